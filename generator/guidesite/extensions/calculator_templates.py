"""Render a calculator's form, rules and worked examples from the Jinja templates under
`guidesite/templates/calculator/`, which hold all the HTML.

Everything a form shows about a field (label, help, unit, range, choices, default) comes
from the calculator's spec (see `guidesite.kit`); this module only arranges it for the
templates.
"""

from __future__ import annotations

import jinja2

from guidesite.extensions.calculator_data import CalculatorView, embedded_data, sources
from guidesite.extensions.flowchart import svg_flowchart
from guidesite.extensions.prefill import PrefillError
from guidesite.kit import Registry, presentation
from guidesite.kit.contract import CalculatorSpec
from guidesite.rendering import Renderer

# Integers with at most this many allowed values render as a drop-down (an item scored 0-5)
# rather than a free-text box: quicker by keyboard and impossible to mistype.
MAX_SELECT_CHOICES = 11


def make_environment(extra_dirs: list[str] | None = None) -> jinja2.Environment:
    """The generator's one renderer, plus the filters the calculator templates use."""
    env = Renderer(extra_dirs or []).env
    env.globals["select_limit"] = MAX_SELECT_CHOICES
    env.globals["strength_labels"] = presentation.STRENGTH_LABELS
    return env


def render_form(env: jinja2.Environment, view: CalculatorView) -> str:
    return env.get_template("calculator/form.html").render(
        view=view, spec=view.spec, data=embedded_data(view), sources=sources(view.spec)
    )


def render_rules(env: jinja2.Environment, spec: CalculatorSpec, flowchart: bool) -> str:
    return env.get_template("calculator/rules.html").render(
        spec=spec, flowchart=svg_flowchart(spec) if flowchart else ""
    )


def render_examples(
    env: jinja2.Environment, registry: Registry, spec: CalculatorSpec, site_name: str
) -> str:
    """Worked examples, each recomputed now; a stale example in spec() fails the build."""
    examples = []
    for example in spec["examples"]:
        outcome = registry.run(spec["name"], example["inputs"])
        if not outcome["ok"] or outcome["result"] != example["result"]:
            raise PrefillError(
                f"worked example {example['title']!r} does not reproduce: run() gave {outcome}"
            )
        examples.append(
            {
                "title": example["title"],
                "inputs": presentation.input_rows(spec, example["inputs"]),
                "view": presentation.present(spec, example["inputs"], outcome, site_name),
            }
        )
    return env.get_template("calculator/examples.html").render(spec=spec, examples=examples)
