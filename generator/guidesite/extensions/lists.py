"""Lists as editors write them in a word processor, rendered as they meant them.

`mdx_truly_sane_lists` already nests an item indented by 2 spaces (Python-Markdown wants 4)
and keeps a numbered and a bulleted list apart; on top of it, two CommonMark rules:

- a numbered list starts at its first number ("3." after a paragraph stays step 3);
- a list may follow a paragraph line directly, without a blank line: a bulleted list
  always, a numbered one when it starts at 1 (so "...in\\n2024. The" stays text).

Block processors only split and number blocks: every line stays where it was, so the
checks that report source lines are unaffected.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from mdx_truly_sane_lists.mdx_truly_sane_lists import (
    TrulySaneListExtension,
    TrulySaneOListProcessor,
)

LIST_START_RE = re.compile(r"^[ ]{0,3}(?:[*+-]|1[.)])[ ]+\S")


class NumberedFromFirst(TrulySaneOListProcessor):  # type: ignore[misc]
    """An ordered list with `start` when it does not begin at 1."""

    LAZY_OL = False


class ListAfterParagraph(BlockProcessor):
    """Splits a paragraph block where a list starts, so the list is a list."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._list_start(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        lines = blocks[0].split("\n")
        start = self._list_start(blocks[0])
        assert start is not None  # test() found it
        blocks[0:1] = ["\n".join(lines[:start]), "\n".join(lines[start:])]
        return False  # the paragraph processor takes the first part, the list the second

    @staticmethod
    def _list_start(block: str) -> int | None:
        lines = block.split("\n")
        if LIST_START_RE.match(lines[0]):
            return None
        return next((n for n, line in enumerate(lines) if LIST_START_RE.match(line)), None)


class ListsExtension(TrulySaneListExtension):  # type: ignore[misc]
    """mdx_truly_sane_lists (options `nested_indent`, `truly_sane`) and the rules above."""

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        md.parser.blockprocessors.register(NumberedFromFirst(md.parser), "olist", 50)
        # Above the paragraph processor (10), below everything that claims a block first.
        md.parser.blockprocessors.register(ListAfterParagraph(md.parser), "list_after_text", 11)


def makeExtension(**kwargs: Any) -> ListsExtension:
    return ListsExtension(**kwargs)
