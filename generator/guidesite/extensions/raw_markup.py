"""Markup that would be published as written instead of as what the editor meant.

Two causes, two checks:

- `unbalanced`: raw HTML in the source whose elements are not closed, or closed without
  being opened. Python-Markdown takes everything after an unclosed `<div>` as part of it,
  so the rest of the page would go out as raw Markdown. Read with the standard library's
  HTML tokenizer, on the prose (code blanked out), so each finding has its line.
- `literal_markdown`: text of the rendered page, outside code, that still looks like
  Markdown or our blocks (`[@key]`, `///`, `[^1]`, `!!!`, `## Heading`, `| table |`, a
  list item inside a paragraph). Placed by the caller at the source line holding it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from guidesite.content.problems import LineProblem
from guidesite.extensions.allowed_html import ELEMENTS, VOID, Refusal

# Elements whose end tag HTML lets an editor leave out, and those that have none.
END_TAG_OPTIONAL = frozenset(
    ("p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot")
)
CHECKED = ELEMENTS - END_TAG_OPTIONAL - VOID

IN_HTML = "write it outside raw HTML, whose text is published as it is"
LINE_PATTERNS = (
    (re.compile(r"\[@"), "a citation", IN_HTML),
    (
        re.compile(r"\[\^[^\]\s]+\]"),
        "a footnote",
        "write the note on a line of its own below, as '[^1]: the note', or " + IN_HTML,
    ),
    (
        re.compile(r"^///"),
        "a block ('///')",
        "write the header as '/// name | Title' and close the block with '///', " + IN_HTML,
    ),
    (
        re.compile(r"^!!!"),
        "an admonition ('!!!')",
        "write '!!! danger \"Title\"' with its text indented by 4 spaces below it, " + IN_HTML,
    ),
    (re.compile(r"^#{1,6}\s"), "a heading", "leave a blank line before it, and " + IN_HTML),
    (
        re.compile(r"^\|.*\|\s*$"),
        "a table",
        "a table is its header row, a line like '|---|---|', then its rows; " + IN_HTML,
    ),
)
# Anything any pattern here could match (LINE_PATTERNS and LIST_ITEM_RE).
MAYBE_MARKUP_RE = re.compile(r"\[[@^]|^(?:///|!!!|#|\||[*+-]\s|\d{1,2}[.)]\s)")
# After a line break inside a paragraph: a bulleted item, or a step numbered up to 99.
LIST_ITEM_RE = re.compile(r"^(?:[*+-]|\d{1,2}[.)])\s+\S")


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []  # (element, line) not yet closed
        self.problems: list[LineProblem] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CHECKED:
            self.open.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in CHECKED:
            return
        line = self.getpos()[0]
        if all(name != tag for name, _ in self.open):
            self.problems.append(
                LineProblem(
                    line,
                    f"</{tag}> closes an element that is not open; remove it, or add <{tag}> "
                    "where the element starts",
                )
            )
            return
        while self.open:
            name, opened = self.open.pop()
            if name == tag:
                return
            self.problems.append(_unclosed(name, opened))


def _unclosed(name: str, line: int) -> LineProblem:
    return LineProblem(
        line,
        f"<{name}> is opened here but not closed, so what follows would be published as "
        f"raw text; add </{name}> where the element ends",
    )


def unbalanced(prose: str) -> list[LineProblem]:
    """Raw HTML elements in `prose` (source text, code blanked) not closed or not opened."""
    parser = _Balance()
    parser.feed(prose)
    parser.close()
    return parser.problems + [_unclosed(name, line) for name, line in parser.open]


def literal_markdown(texts: list[str]) -> list[Refusal]:
    """Of a page's text outside code (`allowed_html.Page.texts`), what is still Markdown:
    the first line of each kind in each run of text; needles: that line, lower case."""
    found = []
    for text in texts:
        seen = set()
        for index, raw in enumerate(text.split("\n")):
            line = raw.strip()
            kind = _looks_like(line, after_break=index > 0)
            if kind is None or kind[0] in seen:
                continue
            seen.add(kind[0])
            what, fix = kind
            message = f"{line[:40]!r} would be published as written, not as {what}; {fix}"
            found.append(Refusal(message, (line[:60].lower(),)))
    return found


def _looks_like(line: str, *, after_break: bool) -> tuple[str, str] | None:
    """What Markdown `line` looks like, and how to write it so that it is converted."""
    if not MAYBE_MARKUP_RE.search(line):
        return None  # most lines: one search instead of one per kind
    for pattern, what, fix in LINE_PATTERNS:
        if pattern.search(line):
            return what, fix
    if after_break and LIST_ITEM_RE.match(line):
        return "a list item", (
            "leave a blank line before the list (a numbered list right after text must start "
            "at 1), and indent a nested item by 2 spaces under its parent"
        )
    return None
