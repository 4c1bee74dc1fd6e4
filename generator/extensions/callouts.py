"""Call-out blocks (red flag, pitfall, disagreement, bottom line) and the block-syntax check.

    /// red-flag | Send for same-day assessment
    - new weakness in the leg
    ///

Each call-out is a pymdownx `Block` subclass declared as data. pymdownx quietly renders a
block with bad options as plain text and closes an unclosed block at the end of the page,
so `BlockSyntaxCheck` reads the source lines first and records a `LineProblem` for an
unknown block name, bad options (checked against the block's own `OPTIONS`), or a block
that is never closed (reported at its opening line). It checks every registered block, so
blocks from other extensions (the calculator embed) get the same care.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml
from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from generator.content.problems import LineProblem, did_you_mean
from generator.content.prose import prose_lines

# pymdownx's own header and end patterns, allowing list indentation in front of them.
START_RE = re.compile(r"^\s*(?P<slashes>/{3,})[ ]*(?P<name>[\w-]+)[ ]*(?:\|[ ]*(?P<arg>.*?)[ ]*)?$")
END_RE = re.compile(r"^\s*(?P<slashes>/{3,})[ ]*$")
OPTION_LINE_RE = re.compile(r"^[ ]{4,}\S")


class Callout(Block):  # type: ignore[misc]  # pymdownx ships no type hints
    """A titled, styled box; the subclasses below only declare their data."""

    LABEL: ClassVar[str] = ""
    ARGUMENT: ClassVar[bool | None] = None  # the title is optional
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        box = etree.SubElement(parent, "div", {"class": f"admonition gs-callout {self.NAME}"})
        title = etree.SubElement(box, "p", {"class": "admonition-title"})
        label = etree.SubElement(title, "span", {"class": "gs-callout__label"})
        label.text = self.LABEL
        if self.argument:
            label.tail = f": {self.argument}"
        return box


class RedFlag(Callout):
    """Findings that change urgency: stop, and refer or investigate now."""

    NAME = "red-flag"
    LABEL = "Red flag"


class Pitfall(Callout):
    """A common mistake and how to avoid it."""

    NAME = "pitfall"
    LABEL = "Pitfall"


class Disagreement(Callout):
    """Where sources disagree; the title names what is disputed, so it is required."""

    NAME = "disagreement"
    LABEL = "Sources disagree"
    ARGUMENT = True


class BottomLine(Callout):
    """The page's summary, placed first by the plugin so its citations are numbered first."""

    NAME = "bottom-line"
    LABEL = "Bottom line"


CALLOUTS: tuple[type[Callout], ...] = (RedFlag, Pitfall, Disagreement, BottomLine)


@dataclass
class _Open:
    name: str
    slashes: int
    line: int


def _options_problem(block: type[Block], lines: Sequence[str], start: int) -> str | None:
    """What is wrong with the indented YAML options under a block header, if anything."""
    option_lines = []
    for line in lines[start:]:
        if not OPTION_LINE_RE.match(line):
            break
        option_lines.append(line)
    if not option_lines:
        return None
    allowed = {"attrs", *block.OPTIONS}
    try:
        options = yaml.safe_load("\n".join(line[4:] for line in option_lines))
    except yaml.YAMLError:
        options = None
    except ValueError as error:  # YAML reads 2026-02-30 as a date, and fails
        return f"an option holds a date that does not exist ({error}); write a real YYYY-MM-DD"
    if not isinstance(options, dict):
        return "options are not 'key: value' YAML lines indented by 4 spaces"
    for key, value in options.items():
        if key not in allowed:
            return f"unknown option {key!r}; allowed: {', '.join(sorted(allowed))}"
        spec = block.OPTIONS.get(key)
        if spec is not None and spec[1] is not None:
            try:
                spec[1](value)
            except Exception as error:  # pymdownx validators raise anything
                return f"option {key!r} is not valid ({error})"
    return None


def check_blocks(lines: Sequence[str], blocks: dict[str, type[Block]]) -> list[LineProblem]:
    """Find blocks pymdownx would silently mangle: unknown, badly configured, never closed."""
    problems: list[LineProblem] = []
    stack: list[_Open] = []
    for number, text in prose_lines(lines):
        if end := END_RE.match(text):
            slashes = len(end.group("slashes"))
            closing = next(
                (i for i in range(len(stack) - 1, -1, -1) if stack[i].slashes == slashes), None
            )
            if closing is None:
                problems.append(LineProblem(number, "'///' closes no open block; remove it"))
            else:
                del stack[closing:]
            continue
        start = START_RE.match(text)
        if start is None:
            continue
        name, argument = start.group("name"), start.group("arg")
        block = blocks.get(name.lower())
        stack.append(_Open(name, len(start.group("slashes")), number))
        if block is None:
            problems.append(
                LineProblem(
                    number,
                    f"unknown block '/// {name}'{did_you_mean(name, blocks)}; "
                    f"use one of: {', '.join(sorted(blocks))}",
                )
            )
            continue
        if block.ARGUMENT is True and not argument:
            problems.append(
                LineProblem(number, f"'/// {name}' needs a title: '/// {name} | <title>'")
            )
        elif block.ARGUMENT is False and argument:
            problems.append(LineProblem(number, f"'/// {name}' takes no title after '|'"))
        if message := _options_problem(block, lines, number):
            problems.append(LineProblem(number, f"'/// {name}': {message}"))
    problems.extend(
        LineProblem(
            o.line,
            f"'/// {o.name}' is never closed; add a line '{'/' * o.slashes}' after its content",
        )
        for o in stack
    )
    return problems


class BlockSyntaxCheck(Preprocessor):
    """Reads the raw lines once per conversion and stores what it finds on the extension."""

    def __init__(self, md: Markdown, extension: CalloutsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        manager = self.md.parser.blockprocessors["blocks"]
        # pymdownx's BlocksProcessor (untyped) holds the registered blocks.
        blocks: dict[str, type[Block]] = manager.blocks  # type: ignore[attr-defined]
        self.extension.problems = check_blocks(lines, blocks)
        return lines


class CalloutsExtension(BlocksExtension):  # type: ignore[misc]  # pymdownx ships no type hints
    """Registers the call-outs; `problems` holds the block mistakes of the last conversion."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems: list[LineProblem] = []

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        for callout in CALLOUTS:
            block_mgr.register(callout, {})
        # Priority 28: after whitespace normalising (30), before fenced code is stashed (25),
        # so line numbers are still the editor's and code fences are still visible.
        md.preprocessors.register(BlockSyntaxCheck(md, self), "guidesite_block_check", 28)


def makeExtension(**kwargs: Any) -> CalloutsExtension:
    return CalloutsExtension(**kwargs)
