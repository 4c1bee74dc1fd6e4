"""The reading below a calculator, folded so the form is what a phone shows first.

    /// calculator | bmi
    ///

    /// reading
    ## When to use
    ...
    ## Evidence
    ...
    ///

Each `##` section inside the block becomes a `<details class="gs-fold">` whose summary is
the heading itself (its id and the table of contents unchanged), closed on screen, opened
by a tap, by a link or search result that points inside it (guidesite.js) and on paper
(print.css). On a page with such a block, the bottom line moves from the top of the page
to just above it, so the form comes straight after the page's title, and the page's
numbered references become its last fold.

What keeps a patient safe is never folded: a red-flag call-out or a calculator form inside
the block is refused at its line, as is text before the first heading (it would have no
fold to sit in).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any, ClassVar

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from guidesite.extensions.blocks import BlocksExtension, DeclaredBlock

FOLD_CLASS = "gs-fold"
READING_CLASS = "gs-reading"
HEADING_CLASS = "gs-fold__heading"
# Blocks whose content must stay in view: the red flags, and a form with its scope.
NEVER_FOLDED = ("red-flag", "calculator")


class Reading(DeclaredBlock):
    """Sections a reader consults rather than acts on, each folded under its heading."""

    NAME = "reading"
    ARGUMENT = False
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def on_markdown(self) -> str:
        return "block"

    def on_init(self) -> None:
        super().on_init()
        self.reported: set[str] = set()  # once each, though pymdownx may end it twice

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": READING_CLASS})

    def on_end(self, block: etree.Element) -> None:
        # pymdownx ends the block again after each block nested in it, so sections folded
        # by an earlier call stay as they are and what came since joins the last one.
        self._refuse_what_must_stay_visible()
        fold: etree.Element | None = None
        loose = False
        for child in list(block):
            if child.tag == "details" and child.get("class") == FOLD_CLASS:
                fold = child
            elif child.tag == "h2":
                block.remove(child)
                fold = etree.Element("details", {"class": FOLD_CLASS})
                block.insert(len(block), fold)
                etree.SubElement(fold, "summary", {"class": HEADING_CLASS}).append(child)
            elif fold is not None:
                block.remove(child)
                fold.append(child)
            else:
                loose = True
        if loose:
            self._report_once(
                self.line,
                "'/// reading' must start with a '## Heading': each section folds under its "
                "heading; move the text above the block or give it a heading",
            )

    def _refuse_what_must_stay_visible(self) -> None:
        # Blocks inside this one were read (and claimed their header lines) before it ends;
        # blocks after it are not read yet, so the claimed headers below this one's line are
        # exactly those inside it.
        names = {h.line: h.name for h in self.headers.accepted}
        for line in sorted(h for h in self.headers.claimed if h > self.line):
            if names.get(line) in NEVER_FOLDED:
                self._report_once(
                    line,
                    f"'/// {names[line]}' inside '/// reading' would be folded out of sight; "
                    "move it above the '/// reading' block",
                )

    def _report_once(self, line: int, message: str) -> None:
        if (key := f"{line}:{message}") not in self.reported:
            self.reported.add(key)
            self.log.report(line, message)


class BottomLineAboveReading(Treeprocessor):
    """On a page that folds its reading, the bottom line follows the form instead of
    preceding it. Runs before citation numbering (15), so the numbers follow the page."""

    def run(self, root: etree.Element) -> None:
        children = list(root)
        reading = next((c for c in children if c.get("class") == READING_CLASS), None)
        bottom_line = next(
            (c for c in children if "bottom-line" in (c.get("class") or "").split()), None
        )
        if reading is None or bottom_line is None:
            return
        root.remove(bottom_line)
        root.insert(list(root).index(reading), bottom_line)


class ReferencesFolded(Treeprocessor):
    """On a page that folds its reading, the numbered references (which citation numbering,
    at 15, has just added) become its last fold, the list keeping its `references` id."""

    def run(self, root: etree.Element) -> None:
        children = list(root)
        reading = next((c for c in children if c.get("class") == READING_CLASS), None)
        references = next((c for c in children if c.get("id") == "references"), None)
        heading = references.find("h2") if references is not None else None
        if reading is None or references is None or heading is None:
            return
        root.remove(references)
        references.remove(heading)
        fold = etree.SubElement(reading, "details", {"class": FOLD_CLASS})
        etree.SubElement(fold, "summary", {"class": HEADING_CLASS}).append(heading)
        fold.append(references)


class NoPermalinkInFoldHeadings(Treeprocessor):
    """A heading that is a fold's toggle carries no permalink (the table of contents links
    to it): a link inside the <summary> would be a control inside a control. Runs after
    the table of contents adds permalinks (5)."""

    def run(self, root: etree.Element) -> None:
        for summary in root.iter("summary"):
            if summary.get("class") != HEADING_CLASS:
                continue
            for heading in summary:
                for link in [a for a in heading if a.tag == "a" and a.get("class") == "headerlink"]:
                    heading.remove(link)


class ReadingExtension(BlocksExtension):
    """Registers `/// reading`, places the bottom line above it and folds the references."""

    BLOCKS = (Reading,)

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(BottomLineAboveReading(md), "reading_bottom_line", 16)
        md.treeprocessors.register(ReferencesFolded(md), "reading_references", 14)
        md.treeprocessors.register(NoPermalinkInFoldHeadings(md), "reading_permalinks", 4)


# A search indexer that splits a page at its headings (Material's) ends a heading's section
# where the element holding the heading ends: the <summary>, before the section's text. So
# it indexes the page with each fold's summary tags turned into comments, which it skips.
_SUMMARY_RE = re.compile(rf'<summary class="{HEADING_CLASS}">(.*?)</summary>', re.DOTALL)
_HIDDEN_SUMMARY_RE = re.compile(r"<!--gs-fold-heading-->(.*?)<!--/gs-fold-heading-->", re.DOTALL)


def for_search_index(html: str) -> str:
    """The page as a search indexer should read it: each fold a heading and its text."""
    return _SUMMARY_RE.sub(r"<!--gs-fold-heading-->\1<!--/gs-fold-heading-->", html)


def as_shown(html: str) -> str:
    """Undoes `for_search_index`."""
    return _HIDDEN_SUMMARY_RE.sub(rf'<summary class="{HEADING_CLASS}">\1</summary>', html)


def makeExtension(**kwargs: Any) -> ReadingExtension:
    return ReadingExtension(**kwargs)
