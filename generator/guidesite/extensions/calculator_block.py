"""Markdown blocks that embed the calculators, usable with or without MkDocs.

    /// calculator | triage
        prefill:
          pattern: typical
        link: Triage this patient
    ///

    /// calculator-rules | triage
        flowchart: true
    ///

    /// calculator-examples | symptom_score
    ///

The site names its calculators package (see `guidesite.kit`) as this extension's
`calculators` option in mkdocs.yml, and its name (which ends every copied note) as
`site_name`; under MkDocs the plugin fills `site_name` from mkdocs.yml's own.

`link` puts a link with those words to the form at the top of the page's body, in its first
screen on a phone, where the form itself comes far below.

Their syntax is checked with every other block's (guidesite/extensions/blocks.py); each
block reports an unknown calculator, a rejected prefill or content it does not take at its
header line.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any, ClassVar

import jinja2
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks.block import type_any, type_boolean, type_string

from guidesite.extensions import calculator_templates as templates
from guidesite.extensions import prefill as prefills
from guidesite.extensions.blocks import BlocksExtension, DeclaredBlock, html_elements
from guidesite.extensions.calculator_data import CalculatorView
from guidesite.extensions.reporting import TEMPLATE_DIRS
from guidesite.kit import Registry
from guidesite.kit import load as load_registry
from guidesite.kit.contract import CalculatorSpec


class _CalculatorBlock(DeclaredBlock):
    """Shared parts: the calculator-name argument, the templates, the rendered elements."""

    ARGUMENT = True
    ARGUMENT_NAME = "calculator name"
    env: jinja2.Environment

    def on_init(self) -> None:
        super().on_init()
        self.env = self.config["env"]
        self.registry: Registry = self.config["registry"]
        self.unloaded: str = self.config["unloaded"]
        self.site_name: str = self.config["site_name"]
        self.embedded: list[str] = self.config["embedded"]  # forms, in page order
        self.links: list[tuple[str, str]] = self.config["links"]  # (words, form id)

    @classmethod
    def hint(cls) -> str:
        options = ", ".join(cls.OPTIONS) or "none"
        return (
            f"the block was not understood: write '/// {cls.NAME} | <calculator name>' with "
            f"options (only {options}) as YAML indented by 4 spaces and close it with '///'"
        )

    def on_markdown(self) -> str:
        return "raw"

    def render(self, spec: CalculatorSpec) -> str:
        raise NotImplementedError

    def on_create(self, parent: etree.Element) -> etree.Element:
        wrapper = etree.SubElement(parent, "div", {"class": f"gs-{self.NAME}-embed"})
        known = self.registry.names()
        if self.unloaded:
            self.report(self.unloaded)
        elif self.argument not in known:
            self.report(
                f"unknown calculator {self.argument!r}; known: {', '.join(known) or 'none'}"
            )
        else:
            try:
                # In the tree (not stashed as raw HTML) so the page's citation pass numbers
                # the calculator's citation marks with the rest of the page.
                wrapper.extend(html_elements(self.render(self.registry.spec(self.argument))))
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
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "prefill": ({}, type_any),
        "link": ("", type_string),
    }

    def render(self, spec: CalculatorSpec) -> str:
        self.embedded.append(self.argument)
        prefill = self.options["prefill"] or {}
        if not isinstance(prefill, dict):
            raise prefills.PrefillError("'prefill' must map input names to values")
        outcome = prefills.check_prefill(self.registry, self.argument, prefill)
        form_id = f"calc-{self.argument.replace('_', '-')}-{len(self.embedded)}"
        if self.options["link"].strip():
            self.links.append((self.options["link"].strip(), form_id))
        view = CalculatorView(
            form_id=form_id,
            spec=spec,
            initial=prefills.initial_values(spec, prefill),
            outcome=outcome,
            site_name=self.site_name,
        )
        return templates.render_form(self.env, view)


class CalculatorRulesBlock(_CalculatorBlock):
    """'How it decides': the rule objects as a list, optionally as a flowchart."""

    NAME = "calculator-rules"
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {"flowchart": (False, type_boolean)}

    def render(self, spec: CalculatorSpec) -> str:
        return templates.render_rules(self.env, spec, self.options["flowchart"])


class CalculatorExamplesBlock(_CalculatorBlock):
    """Worked examples from spec(), recomputed at build time."""

    NAME = "calculator-examples"

    def render(self, spec: CalculatorSpec) -> str:
        return templates.render_examples(self.env, self.registry, spec, self.site_name)


class LinksToForms(Treeprocessor):
    """The `link` options' links, first in the body (after the page's header)."""

    def __init__(self, md: Markdown, links: list[tuple[str, str]]) -> None:
        super().__init__(md)
        self.links = links

    def run(self, root: etree.Element) -> None:
        for words, form_id in reversed(self.links):
            paragraph = etree.Element("p", {"class": "gs-form-link"})
            link = etree.SubElement(paragraph, "a", {"href": f"#{form_id}"})
            link.text = words
            root.insert(0, paragraph)


class CalculatorExtension(BlocksExtension):
    """Registers the three blocks; `embedded` names the last conversion's forms."""

    BLOCKS = (CalculatorBlock, CalculatorRulesBlock, CalculatorExamplesBlock)
    CONFIG: ClassVar[dict[str, tuple[Any, str]]] = {
        **TEMPLATE_DIRS,
        "calculators": ("", "Import name of the site's calculators package, or its Registry"),
        "site_name": ("", "The site's name, which ends every copied note"),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.forms: list[str] = []
        self.links: list[tuple[str, str]] = []
        source = self.getConfig("calculators")
        # The plugin passes the registry it loaded and checked (and reports at mkdocs.yml's
        # line); used alone, the package is imported here, and each calculator block says
        # why it could not be (MkDocs makes this extension once before the plugin runs).
        self.registry, self.unloaded = (
            (source, "") if isinstance(source, Registry) else registry_of(source)
        )
        # Once per extension, not per page: MkDocs makes a Markdown instance for every page,
        # and compiling the templates again for each one doubled the build time.
        self.env = templates.make_environment(self.getConfig("template_dirs"))

    @property
    def embedded(self) -> list[str]:
        """Names of the calculators the last conversion embedded, first use first."""
        return list(dict.fromkeys(self.forms))

    def context(self) -> dict[str, Any]:
        return {
            "env": self.env,
            "embedded": self.forms,
            "links": self.links,
            "registry": self.registry,
            "unloaded": self.unloaded,
            "site_name": self.getConfig("site_name"),
        }

    def new_page(self) -> None:
        self.forms.clear()
        self.links.clear()

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        # After the blocks made the forms (pymdownx's, 20), before citations are numbered.
        md.treeprocessors.register(LinksToForms(md, self.links), "calculator_form_links", 19)


def registry_of(package: str) -> tuple[Registry, str]:
    """The registry of the calculators package `package` (empty when it is ""), or an
    empty one and why it could not be loaded."""
    try:
        return (load_registry(package) if package else Registry(())), ""
    except Exception as error:
        return Registry(()), f"the calculators package {package!r} was not loaded: {error}"


def makeExtension(**kwargs: Any) -> CalculatorExtension:
    return CalculatorExtension(**kwargs)
