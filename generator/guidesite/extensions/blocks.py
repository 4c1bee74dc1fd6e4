"""The one mechanism behind every `///` block (call-outs, calculator, recommendation).

A block is a pymdownx `Block` declared as data: `NAME`, `ARGUMENT` (required, optional or
none) and `OPTIONS` (name: default and validator), read both by pymdownx and by the one
check here. pymdownx quietly leaves a block with bad options in the page as plain text and
closes an unclosed block at the end of the page, so `BlockCheck` reads the source lines
first (where line numbers still exist) and reports an unknown block name, a missing or
unexpected argument, bad options, and a block never closed, for every registered block.
The headers it accepts are the ones pymdownx will render, in page order; each block claims
its own to report its mistakes at the editor's line.

An extension offering blocks subclasses `BlocksExtension` below and lists them in `BLOCKS`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml
from markdown import Markdown
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension as PymdownxBlocksExtension
from pymdownx.blocks import BlocksProcessor
from pymdownx.blocks.block import Block, type_html_attribute_dict

from guidesite.content.problems import did_you_mean
from guidesite.content.prose import prose_lines
from guidesite.extensions.reporting import ProblemLog, ReportingExtension

# pymdownx's own header and end patterns, allowing list indentation in front of them.
START_RE = re.compile(r"^\s*(?P<slashes>/{3,})[ ]*(?P<name>[\w-]+)[ ]*(?:\|[ ]*(?P<arg>.*?)[ ]*)?$")
END_RE = re.compile(r"^\s*(?P<slashes>/{3,})[ ]*$")
# A header with a title but no `|` before it: pymdownx takes it as text, and its closer
# as a stray `///`.
NO_BAR_RE = re.compile(r"^\s*(?P<slashes>/{3,})[ ]*(?P<name>[\w-]+)[ ]+(?P<title>[^|\s].*?)[ ]*$")
OPTION_LINE_RE = re.compile(r"^[ ]{4,}\S")
# Registered once per conversion, by the first extension that offers blocks.
CHECK = "guidesite_block_check"


@dataclass
class Header:
    name: str
    argument: str
    line: int


@dataclass
class Headers:
    """The block headers of one conversion that the check accepted, in page order."""

    accepted: list[Header] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)

    def claim(self, name: str, argument: str | None) -> int:
        """The line of the first unclaimed accepted header of this block and argument."""
        wanted = (name, argument or "")
        for header in self.accepted:
            if header.line not in self.claimed and (header.name, header.argument) == wanted:
                self.claimed.add(header.line)
                return header.line
        return 0


class DeclaredBlock(Block):  # type: ignore[misc]  # pymdownx ships no type hints
    """A block declared as data, reporting its own mistakes at its header line (`report`).

    Subclasses declare `NAME`, `ARGUMENT` (True: required, None: optional, False: none),
    what the argument is (`ARGUMENT_NAME`) and `OPTIONS` ({name: (default, validator)});
    pymdownx and `check_blocks` both read these. Each block gets, as its `config`, the
    conversion's `headers` and `log` plus what its extension adds (`BlocksExtension.context`).
    """

    ARGUMENT_NAME: ClassVar[str] = "title"  # what the argument is, in messages

    def on_init(self) -> None:
        self.headers: Headers = self.config["headers"]
        self.log: ProblemLog = self.config["log"]
        self.line = 0

    def on_validate(self, parent: etree.Element) -> bool:
        self.line = self.headers.claim(self.NAME, self.argument)
        return True

    def report(self, message: str) -> None:
        self.log.report(self.line, message)

    @classmethod
    def hint(cls) -> str:
        """How to write the block, added to its syntax mistakes ("" when they say enough)."""
        return ""


def _options_problem(block: type[Block], lines: Sequence[str], start: int) -> str | None:
    """What is wrong with the indented YAML options under a block header, if anything."""
    option_lines = []
    for line in lines[start:]:
        if not OPTION_LINE_RE.match(line):
            break
        option_lines.append(line)
    if not option_lines:
        return None
    # pymdownx adds `attrs` (HTML attributes) to every block.
    validators = {"attrs": ({}, type_html_attribute_dict), **block.OPTIONS}
    try:
        options = yaml.safe_load("\n".join(line[4:] for line in option_lines))
    except yaml.YAMLError:
        options = None
    except ValueError as error:  # YAML reads 2026-02-30 as a date, and fails
        return f"an option holds a date that does not exist ({error}); write a real YYYY-MM-DD"
    if not isinstance(options, dict):
        return "options are not 'key: value' YAML lines indented by 4 spaces"
    for key, value in options.items():
        if key not in validators:
            return f"unknown option {key!r}; allowed: {', '.join(sorted(validators))}"
        validate = validators[key][1]
        if validate is not None:
            try:
                validate(value)
            except Exception as error:  # pymdownx validators raise anything
                return f"option {key!r} is not valid ({error})"
    return None


def _header_problem(
    block: type[Block], name: str, argument: str | None, options: str | None
) -> str | None:
    """The header's mistake: a missing or unexpected argument, else bad `options`."""
    noun = getattr(block, "ARGUMENT_NAME", "title")  # pymdownx's own blocks have none
    if block.ARGUMENT is True and not argument:
        return f"'/// {name}' needs a {noun}: '/// {name} | <{noun}>'"
    if block.ARGUMENT is False and argument:
        return f"'/// {name}' takes no {noun} after '|'"
    if options is not None:
        return f"'/// {name}': {options}"
    return None


@dataclass
class _Open:
    name: str
    slashes: int
    line: int


def check_blocks(
    lines: Sequence[str], blocks: dict[str, type[Block]], log: ProblemLog
) -> list[Header]:
    """Report blocks pymdownx would silently mangle; return the headers it will render."""
    accepted: list[Header] = []
    stack: list[_Open] = []
    for number, text in prose_lines(lines):
        if end := END_RE.match(text):
            slashes = len(end.group("slashes"))
            closing = next(
                (i for i in range(len(stack) - 1, -1, -1) if stack[i].slashes == slashes), None
            )
            if closing is None:
                log.report(number, "'///' closes no open block; remove it")
            else:
                del stack[closing:]
            continue
        start = START_RE.match(text)
        if start is None:
            if no_bar := NO_BAR_RE.match(text):
                name, title = no_bar.group("name"), no_bar.group("title")
                stack.append(_Open(name, len(no_bar.group("slashes")), number))
                log.report(
                    number,
                    f"a block header needs '|' between the block's name and its title; write "
                    f"'/// {name} | {title}'",
                )
            continue
        name, argument = start.group("name"), start.group("arg")
        block = blocks.get(name.lower())
        stack.append(_Open(name, len(start.group("slashes")), number))
        if block is None:
            log.report(
                number,
                f"unknown block '/// {name}'{did_you_mean(name, blocks)}; "
                f"use one of: {', '.join(sorted(blocks))}",
            )
            continue
        problem = _header_problem(block, name, argument, _options_problem(block, lines, number))
        if problem is None:
            accepted.append(Header(name.lower(), argument or "", number))
        else:
            hint = block.hint() if issubclass(block, DeclaredBlock) else ""
            log.report(number, f"{problem}; {hint}" if hint else problem)
    for block_open in stack:
        log.report(
            block_open.line,
            f"'/// {block_open.name}' is never closed; add a line "
            f"'{'/' * block_open.slashes}' after its content",
        )
    return accepted


class BlockCheck(Preprocessor):
    """Checks every registered block once per conversion; its `headers` go to the blocks."""

    def __init__(self, md: Markdown, manager: BlocksProcessor, log: ProblemLog) -> None:
        super().__init__(md)
        self.manager = manager
        self.log = log
        self.headers = Headers()
        self.new_page: list[Callable[[], None]] = []  # each extension forgets the last page

    def run(self, lines: list[str]) -> list[str]:
        self.headers.claimed.clear()
        for forget in self.new_page:
            forget()
        # Every block registered by any extension, ours or pymdownx's own.
        blocks: dict[str, type[Block]] = self.manager.blocks
        self.headers.accepted = check_blocks(lines, blocks, self.log)
        return lines


class BlocksExtension(ReportingExtension, PymdownxBlocksExtension):  # type: ignore[misc]
    """Registers `BLOCKS` with pymdownx, and the one block check if no extension has yet."""

    BLOCKS: ClassVar[tuple[type[DeclaredBlock], ...]] = ()

    def context(self) -> dict[str, Any]:
        """What this extension's blocks get besides the headers and the log."""
        return {}

    def new_page(self) -> None:
        """Forget what the last conversion found; called before each conversion."""

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)  # the problem log
        manager = self.register_block_mgr(md)
        if CHECK not in md.preprocessors:
            # 28: after whitespace normalising (30), before fenced code is stashed (25), so
            # line numbers are still the editor's and code fences are still visible.
            md.preprocessors.register(BlockCheck(md, manager, self.log), CHECK, 28)
        check = md.preprocessors[CHECK]
        assert isinstance(check, BlockCheck)  # registered above under this name
        check.new_page.append(self.new_page)
        for block in self.BLOCKS:
            manager.register(block, {"headers": check.headers, "log": self.log, **self.context()})
        self.extendMarkdownBlocks(md, manager)


def html_elements(html: str) -> list[etree.Element]:
    """Parse rendered template HTML (written as well-formed XML) into elements.

    All text becomes atomic so Markdown's inline patterns leave clinical text alone.
    """
    root = etree.fromstring(f"<div>{html}</div>")
    for node in root.iter():
        if node.text:
            node.text = AtomicString(node.text)
        if node.tail:
            node.tail = AtomicString(node.tail)
    return list(root)
