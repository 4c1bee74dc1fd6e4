"""The home-screen icons of the web app manifest: the site's own SVG (the plugin's `icon`
option), checked here, or else the generator's neutral icon, drawn here.

The neutral icon is a plain PNG (8-bit RGB, no interlace) written with zlib and struct: four
white lines of text, the last one short, on the theme's indigo (a page, whatever the site's
subject). The drawing stays inside the middle 60 %, the area an Android "maskable" icon keeps
whatever shape the launcher cuts, so one file serves both purposes.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
# An address with a host: scheme://, or scheme-relative // alone or in CSS url(...).
ADDRESS = re.compile(r"""[a-z][a-z0-9+.-]*://|^\s*//|url\(\s*['"]?//""", re.IGNORECASE)

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


def svg_icon_problem(path: Path, max_bytes: int) -> str | None:
    """What is wrong with `path` as the site's icon, or None when it is a usable SVG."""
    if path.suffix.lower() != ".svg":
        return f"'{path.name}' is not an SVG file; give the path of a .svg file"
    if not path.is_file():
        return f"no file '{path}'; give a path relative to mkdocs.yml, or leave icon out"
    if path.stat().st_size > max_bytes:
        return f"'{path.name}' is larger than {max_bytes} bytes; simplify the drawing"
    try:
        root = ElementTree.fromstring(path.read_bytes())
    except ElementTree.ParseError as error:
        return f"'{path.name}' is not well-formed XML ({error}); save it again as plain SVG"
    if root.tag != SVG_ROOT:
        return f"'{path.name}' is not an SVG drawing (its root is <{root.tag}>, not <svg>)"
    for element in root.iter():
        for value in (*element.attrib.values(), element.text or ""):
            if ADDRESS.search(value):
                # The site never asks an outside host for anything, its icon included.
                return (
                    f"'{path.name}' refers to another address ({value!r}); draw everything "
                    "in the file itself"
                )
    return None
