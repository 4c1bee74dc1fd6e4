"""Walk the lines of Markdown that editors write as prose, skipping fenced code.

Both the citation check and the call-out check read source lines (they need line numbers,
which Python-Markdown's block and inline processors no longer have), and neither must look
inside code examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

FENCE_RE = re.compile(r"^[ ]{0,3}(?P<fence>`{3,}|~{3,})")
INLINE_CODE_RE = re.compile(r"(`+).+?\1")
CITATION_TEXT_RE = re.compile(r"\s*\[@[^\]]*\]")
# A sentence ends at . ! or ? followed by a space and a capital, digit or opening quote,
# so "e.g. the" and "50 %." inside a sentence do not split it.
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def prose_lines(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Yield `(line_number, text)` for lines outside fenced code, inline code blanked out."""
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        match = FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group("fence")
            continue
        if fence is not None:
            if (
                match
                and match.group("fence")[0] == fence[0]
                and len(match.group("fence")) >= len(fence)
            ):
                fence = None
            continue
        yield number, INLINE_CODE_RE.sub(lambda m: " " * len(m.group(0)), line)


def prose_text(lines: Sequence[str]) -> str:
    """The prose as one text, code lines left empty, so offsets still give source lines.

    Checks that look across line breaks (a citation or HTML tag may wrap) search this.
    """
    prose = dict(prose_lines(lines))
    return "\n".join(prose.get(number, "") for number in range(1, len(lines) + 1))


def without_citation_marks(text: str) -> str:
    """A short text (a summary) on one line, its `[@key]` citations left out, for readers
    that cannot follow them (JSON-LD, FHIR)."""
    return " ".join(CITATION_TEXT_RE.sub("", text).split())


def sentences(text: str) -> list[str]:
    """The sentences of a short text (a summary, a recommendation), citations left out."""
    return SENTENCE_END_RE.split(CITATION_TEXT_RE.sub("", text).strip())
