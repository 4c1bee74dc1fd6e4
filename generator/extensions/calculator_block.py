"""Markdown blocks that embed the calculators, usable with or without MkDocs.

    /// calculator | next_step
        prefill:
          pain_pattern: radicular
    ///

    /// calculator-rules | next_step
        flowchart: true
    ///

    /// calculator-examples | odi
    ///

pymdownx drops a block it cannot parse (bad YAML, an unknown option, no name) back into
the page as plain text. To make such mistakes loud, a preprocessor notes the line of every
block header first, each block claims its header when it renders, and any header left
unclaimed becomes a `LineProblem`, as does an unknown calculator or a rejected prefill.
The plugin turns the problems into build errors with the page path.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import jinja2
from markdown import Markdown
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block, type_any, type_boolean

import calculators
from generator.content.problems import LineProblem
from generator.content.prose import prose_lines
from generator.extensions import calculator_templates as templates
from generator.extensions import prefill as prefills
from generator.extensions.calculator_data import CalculatorView
from generator.extensions.callouts import BlockSyntaxCheck

log = logging.getLogger("mkdocs.plugins.guidesite.calculator_block")

# The name under which generator/extensions/callouts.py registers its check of every block header.
SYNTAX_CHECK = "guidesite_block_check"
BLOCK_NAMES = ("calculator", "calculator-rules", "calculator-examples")
HEADER_RE = re.compile(
    r"^\s*/{3,}[ ]*(?P<name>" + "|".join(BLOCK_NAMES) + r")[ ]*(?:\|[ ]*(?P<arg>.*?)[ ]*)?$"
)


@dataclass
class _Header:
    line: int
    name: str
    argument: str
    claimed: bool = False


@dataclass
class PageState:
    """What one Markdown conversion has seen: block headers, forms rendered, problems."""

    headers: list[_Header] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    forms: int = 0
    # Lines the call-outs extension's block-syntax check (when loaded) already reported
    # with the precise reason; a header rejected there is not reported twice.
    reported_elsewhere: Callable[[], set[int]] = set

    def claim(self, name: str, argument: str) -> int:
        """The line of the first unclaimed header for this block, in document order."""
        for header in self.headers:
            if not header.claimed and header.name == name and header.argument == argument:
                header.claimed = True
                return header.line
        return 0

    def unclaimed_problems(self) -> list[LineProblem]:
        reported = self.reported_elsewhere()
        allowed = {"calculator": "prefill", "calculator-rules": "flowchart"}
        return [
            LineProblem(
                header.line,
                f"'/// {header.name}' block was not understood: write '/// {header.name} | "
                f"<calculator name>' with options (only "
                f"{allowed.get(header.name, 'none')}) as YAML indented by 4 spaces "
                f"and close it with '///'",
            )
            for header in self.headers
            if not header.claimed and header.line not in reported
        ]


class _HeaderScanner(Preprocessor):
    """Records where each calculator block starts, before fenced code is stashed."""

    def __init__(self, md: Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        self.state.headers.clear()
        self.state.problems.clear()
        self.state.forms = 0
        self.state.reported_elsewhere = set
        if SYNTAX_CHECK in self.md.preprocessors:
            checker = self.md.preprocessors[SYNTAX_CHECK]
            assert isinstance(checker, BlockSyntaxCheck)  # registered by CalloutsExtension
            self.state.reported_elsewhere = lambda: {p.line for p in checker.extension.problems}
        for number, text in prose_lines(lines):
            match = HEADER_RE.match(text)
            if match:
                self.state.headers.append(
                    _Header(number, match.group("name"), match.group("arg") or "")
                )
        return lines


class _CalculatorBlockBase(Block):  # type: ignore[misc]  # pymdownx ships no type hints
    """Shared parts: the calculator-name argument, the page state, the rendered elements."""

    ARGUMENT = True
    state: PageState
    env: jinja2.Environment

    def on_init(self) -> None:
        self.state = self.config["state"]
        self.env = self.config["env"]
        self.line = 0

    def on_markdown(self) -> str:
        return "raw"

    def on_validate(self, parent: etree.Element) -> bool:
        # Claim the header even when the block is wrong, so it is reported once, here.
        self.line = self.state.claim(self.NAME, self.argument)
        self.html = ""
        if self.argument not in prefills.known_names():
            self.problem(
                f"unknown calculator {self.argument!r}; known: {', '.join(prefills.known_names())}"
            )
            return True
        try:
            self.html = self.render(calculators.spec(self.argument))
        except prefills.PrefillError as error:
            self.problem(f"calculator {self.argument!r}: {error}")
        return True

    def problem(self, message: str) -> None:
        self.state.problems.append(LineProblem(self.line, message))
        log.debug("line %s: %s", self.line, message)

    def render(self, spec: dict[str, Any]) -> str:
        raise NotImplementedError

    def on_create(self, parent: etree.Element) -> etree.Element:
        wrapper = etree.SubElement(parent, "div", {"class": f"bpp-{self.NAME}-embed"})
        # In the tree (not stashed as raw HTML) so the page's citation pass numbers the
        # calculator's citation marks with the rest of the page.
        wrapper.extend(html_elements(self.html))
        # Any body text lands in this child and is checked (and dropped) at the end.
        self.body = etree.SubElement(wrapper, "div")
        return wrapper

    def on_add(self, block: etree.Element) -> etree.Element:
        return self.body

    def on_end(self, block: etree.Element) -> None:
        if (self.body.text or "").strip() or len(self.body):
            self.problem(
                f"'/// {self.NAME}' takes no content; indent the options by 4 spaces under the "
                "block line"
            )
        block.remove(self.body)


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


class CalculatorBlock(_CalculatorBlockBase):
    """The form, its embedded spec and a result computed now for the starting inputs."""

    NAME = "calculator"
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {"prefill": ({}, type_any)}

    def render(self, spec: dict[str, Any]) -> str:
        prefill = self.options["prefill"] or {}
        if not isinstance(prefill, dict):
            raise prefills.PrefillError("'prefill' must map input names to values")
        outcome = prefills.check_prefill(self.argument, prefill)
        self.state.forms += 1
        view = CalculatorView(
            form_id=f"calc-{self.argument.replace('_', '-')}-{self.state.forms}",
            spec=spec,
            initial=prefills.initial_values(spec, prefill),
            outcome=outcome,
        )
        return templates.render_form(self.env, view)


class CalculatorRulesBlock(_CalculatorBlockBase):
    """'How it decides': the rule objects as a list, optionally as a flowchart."""

    NAME = "calculator-rules"
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {"flowchart": (False, type_boolean)}

    def render(self, spec: dict[str, Any]) -> str:
        return templates.render_rules(self.env, spec, self.options["flowchart"])


class CalculatorExamplesBlock(_CalculatorBlockBase):
    """Worked examples from spec(), recomputed at build time."""

    NAME = "calculator-examples"

    def render(self, spec: dict[str, Any]) -> str:
        return templates.render_examples(self.env, spec)


class CalculatorExtension(BlocksExtension):  # type: ignore[misc]  # pymdownx ships no type hints
    """Registers the three blocks; `problems` holds the last conversion's mistakes."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "template_dirs": [[], "Directories searched before the packaged templates"],
        }
        super().__init__(**kwargs)
        self.state = PageState()
        # Once per extension, not per page: MkDocs makes a Markdown instance for every page,
        # and compiling the templates again for each one doubled the build time.
        self.env = templates.make_environment(self.getConfig("template_dirs"))

    @property
    def problems(self) -> list[LineProblem]:
        """Every mistake of the last conversion, unclaimed block headers included."""
        return sorted(
            [*self.state.problems, *self.state.unclaimed_problems()], key=lambda p: p.line
        )

    @property
    def embedded(self) -> list[str]:
        """Names of the known calculators the last conversion embedded, in page order."""
        names = [h.argument for h in self.state.headers if h.name == "calculator"]
        return [n for n in dict.fromkeys(names) if n in prefills.known_names()]

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        # Priority 29: after whitespace normalising (30), before fenced code is stashed (25),
        # so line numbers are still the editor's.
        md.preprocessors.register(_HeaderScanner(md, self.state), "calculator_headers", 29)
        for block in (CalculatorBlock, CalculatorRulesBlock, CalculatorExamplesBlock):
            block_mgr.register(block, {"state": self.state, "env": self.env})


def makeExtension(**kwargs: Any) -> CalculatorExtension:
    return CalculatorExtension(**kwargs)
