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

Their syntax is checked with every other block's (guidesite/extensions/blocks.py); each
block reports an unknown calculator, a rejected prefill or content it does not take at its
header line.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any, ClassVar

import jinja2
from pymdownx.blocks.block import type_any, type_boolean

import calculators
from guidesite.extensions import calculator_templates as templates
from guidesite.extensions import prefill as prefills
from guidesite.extensions.blocks import BlocksExtension, DeclaredBlock, html_elements
from guidesite.extensions.calculator_data import CalculatorView
from guidesite.extensions.reporting import TEMPLATE_DIRS


class _CalculatorBlock(DeclaredBlock):
    """Shared parts: the calculator-name argument, the templates, the rendered elements."""

    ARGUMENT = True
    ARGUMENT_NAME = "calculator name"
    env: jinja2.Environment

    def on_init(self) -> None:
        super().on_init()
        self.env = self.config["env"]
        self.embedded: list[str] = self.config["embedded"]  # forms, in page order

    @classmethod
    def hint(cls) -> str:
        options = ", ".join(cls.OPTIONS) or "none"
        return (
            f"the block was not understood: write '/// {cls.NAME} | <calculator name>' with "
            f"options (only {options}) as YAML indented by 4 spaces and close it with '///'"
        )

    def on_markdown(self) -> str:
        return "raw"

    def render(self, spec: dict[str, Any]) -> str:
        raise NotImplementedError

    def on_create(self, parent: etree.Element) -> etree.Element:
        wrapper = etree.SubElement(parent, "div", {"class": f"bpp-{self.NAME}-embed"})
        if self.argument not in prefills.known_names():
            self.report(
                f"unknown calculator {self.argument!r}; known: {', '.join(prefills.known_names())}"
            )
        else:
            try:
                # In the tree (not stashed as raw HTML) so the page's citation pass numbers
                # the calculator's citation marks with the rest of the page.
                wrapper.extend(html_elements(self.render(calculators.spec(self.argument))))
            except prefills.PrefillError as error:
                self.report(f"calculator {self.argument!r}: {error}")
        # Any body text lands in this child and is checked (and dropped) at the end.
        self.body = etree.SubElement(wrapper, "div")
        return wrapper

    def on_add(self, block: etree.Element) -> etree.Element:
        return self.body

    def on_end(self, block: etree.Element) -> None:
        if (self.body.text or "").strip() or len(self.body):
            self.report(
                f"'/// {self.NAME}' takes no content; indent the options by 4 spaces under the "
                "block line"
            )
        block.remove(self.body)


class CalculatorBlock(_CalculatorBlock):
    """The form, its embedded spec and a result computed now for the starting inputs."""

    NAME = "calculator"
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {"prefill": ({}, type_any)}

    def render(self, spec: dict[str, Any]) -> str:
        self.embedded.append(self.argument)
        prefill = self.options["prefill"] or {}
        if not isinstance(prefill, dict):
            raise prefills.PrefillError("'prefill' must map input names to values")
        outcome = prefills.check_prefill(self.argument, prefill)
        view = CalculatorView(
            form_id=f"calc-{self.argument.replace('_', '-')}-{len(self.embedded)}",
            spec=spec,
            initial=prefills.initial_values(spec, prefill),
            outcome=outcome,
        )
        return templates.render_form(self.env, view)


class CalculatorRulesBlock(_CalculatorBlock):
    """'How it decides': the rule objects as a list, optionally as a flowchart."""

    NAME = "calculator-rules"
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {"flowchart": (False, type_boolean)}

    def render(self, spec: dict[str, Any]) -> str:
        return templates.render_rules(self.env, spec, self.options["flowchart"])


class CalculatorExamplesBlock(_CalculatorBlock):
    """Worked examples from spec(), recomputed at build time."""

    NAME = "calculator-examples"

    def render(self, spec: dict[str, Any]) -> str:
        return templates.render_examples(self.env, spec)


class CalculatorExtension(BlocksExtension):
    """Registers the three blocks; `embedded` names the last conversion's forms."""

    BLOCKS = (CalculatorBlock, CalculatorRulesBlock, CalculatorExamplesBlock)
    CONFIG: ClassVar[dict[str, tuple[Any, str]]] = TEMPLATE_DIRS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.forms: list[str] = []
        # Once per extension, not per page: MkDocs makes a Markdown instance for every page,
        # and compiling the templates again for each one doubled the build time.
        self.env = templates.make_environment(self.getConfig("template_dirs"))

    @property
    def embedded(self) -> list[str]:
        """Names of the calculators the last conversion embedded, first use first."""
        return list(dict.fromkeys(self.forms))

    def context(self) -> dict[str, Any]:
        return {"env": self.env, "embedded": self.forms}

    def new_page(self) -> None:
        self.forms.clear()


def makeExtension(**kwargs: Any) -> CalculatorExtension:
    return CalculatorExtension(**kwargs)
