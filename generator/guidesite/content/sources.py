"""Reading content files safely: a size limit and UTF-8 text, or a `Problem` saying why not.

MkDocs would crash with a traceback on a file saved in another encoding, and a huge file
(a pasted PDF, a log) makes every page slow to build; both become located mistakes.
"""

from __future__ import annotations

from pathlib import Path

from guidesite.content.problems import Problem

# Far above any guideline page (the longest is under 40 kB), far below a pasted PDF.
MAX_FILE_BYTES = 1_000_000


def read_source(path: Path, shown_as: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """The text of `path`, or None and the problem (named `shown_as`) that stops reading it."""
    data = path.read_bytes()
    if len(data) > max_bytes:
        return None, [
            Problem(
                shown_as,
                1,
                f"file is {len(data):,} bytes, over the limit of {max_bytes:,}; split it into "
                "smaller pages (or raise max_file_bytes under the guidesite plugin in mkdocs.yml)",
            )
        ]
    try:
        # As MkDocs reads pages: a byte-order mark and Windows (CRLF) or old Mac (CR) line
        # endings from other editors are fine, and every later step sees plain "\n".
        text = data.decode("utf-8-sig")
        return text.replace("\r\n", "\n").replace("\r", "\n"), []
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                shown_as,
                line,
                f"byte 0x{data[error.start]:02x} at column {error.start - line_start + 1} is not "
                "UTF-8 text; save the file as UTF-8 (often a character pasted from a Word "
                "document or saved as Windows-1252)",
            )
        ]
