"""The home-screen icons of the web app manifest, drawn here so that no image is copied in.

A plain PNG (8-bit RGB, no interlace) written with zlib and struct: four white lines of
text, the last one short, on the theme's indigo (a page, whatever the site's subject). The
drawing stays inside the middle 60 %, the area an Android "maskable" icon keeps whatever
shape the launcher cuts, so one file serves both purposes.
"""

from __future__ import annotations

import struct
import zlib

# Material's default primary colour (the header the reader sees), as RGB.
BACKGROUND = (0x40, 0x51, 0xB5)
FOREGROUND = (0xFF, 0xFF, 0xFF)
# Each line as (top, bottom, half-width), fractions of the icon's size.
LINES = ((0.27, 0.33, 0.21), (0.41, 0.47, 0.21), (0.55, 0.61, 0.21), (0.69, 0.75, 0.12))


def icon_png(size: int) -> bytes:
    """A square PNG icon `size` pixels wide."""
    rows = []
    for y in range(size):
        half_width = next((w for top, bottom, w in LINES if top * size <= y < bottom * size), 0.0)
        left, right = round((0.5 - half_width) * size), round((0.5 + half_width) * size)
        row = bytes(BACKGROUND) * left + bytes(FOREGROUND) * (right - left)
        rows.append(b"\0" + row + bytes(BACKGROUND) * (size - right))  # filter type 0
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)),
            _chunk(b"IEND", b""),
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
