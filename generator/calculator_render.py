"""Build-time side of the calculator blocks: check prefills, run the Python, render templates.

Everything a form shows about a field (label, help, unit, range, choices, default) comes
from `calculators.spec(name)`; this module only arranges it for the Jinja templates under
`generator/templates/calculator/`, which hold all the HTML.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

import calculators
from calculators import presentation
from generator.citations import MARK_CLASS as CITATION_MARK_CLASS
from generator.templates import Renderer

# Integers with at most this many allowed values render as a drop-down (ODI items 0-5)
# rather than a free-text box: quicker by keyboard and impossible to mistype.
MAX_SELECT_CHOICES = 11


@dataclass(frozen=True)
class CalculatorView:
    """What the form template needs for one embedded calculator."""

    form_id: str
    spec: dict[str, Any]
    initial: dict[str, Any]
    outcome: dict[str, Any]

    @property
    def shown(self) -> dict[str, Any]:
        """The presentation view of the starting result: what the page shows at first."""
        given = {name: value for name, value in self.initial.items() if value is not None}
        return presentation.present(self.spec["name"], given, self.outcome)


class PrefillError(ValueError):
    """A prefill that `calculators.run` rejects; the message says which field and why."""


def known_names() -> list[str]:
    return sorted(calculators.names())


def check_prefill(name: str, prefill: Mapping[str, Any]) -> dict[str, Any]:
    """Run the calculator on the prefill; raise when a prefilled field is rejected.

    Errors about fields the editor did not prefill (a required field left for the reader)
    are expected and ignored; errors about prefilled fields, unknown keys included, are not.
    """
    outcome = calculators.run(name, dict(prefill))
    if outcome["ok"]:
        return outcome
    bad = [
        error
        for error in outcome["errors"]
        if error["field"] is None or str(error["field"]).split(".")[0] in prefill
    ]
    if bad:
        raise PrefillError(
            "; ".join(f"{error['field'] or name}: {error['message']}" for error in bad)
        )
    return outcome


def initial_values(spec: Mapping[str, Any], prefill: Mapping[str, Any]) -> dict[str, Any]:
    """The values the form starts with: the prefill over each field's default."""
    return {field["name"]: prefill.get(field["name"], field["default"]) for field in spec["inputs"]}


def make_environment(extra_dirs: list[str] | None = None) -> jinja2.Environment:
    """The generator's one renderer, plus the filters the calculator templates use."""
    env = Renderer(extra_dirs or []).env
    env.globals["select_limit"] = MAX_SELECT_CHOICES
    env.globals["code_title"] = code_title
    env.globals["code_strength"] = code_strength
    env.globals["cite_class"] = CITATION_MARK_CLASS
    return env


def code_title(code: str) -> str:
    """A next_step code's title, falling back to the code for vocabularies without one."""
    titles = {entry["code"]: entry["title"] for entry in calculators.codes()}
    return titles.get(code) or code


def code_strength(code: str) -> str:
    """A next_step code's strength in words: "offer" or "consider" (empty for avoid-only)."""
    strengths = {entry["code"]: entry["strength"] for entry in calculators.codes()}
    return presentation.STRENGTH_LABELS.get(strengths.get(code) or "", "")


def embedded_data(view: CalculatorView) -> str:
    """The JSON the browser runtime reads; `<`, `>` and `&` are escaped so the text needs no
    HTML escaping and can never close its element."""
    spec = view.spec
    data = {
        # Only what the runtime reads: the inputs it reads and writes the form by, and the
        # starting result's view (copied to a note before the engine has answered). Every
        # calculator page and Q&A page carries this copy.
        "spec": {"name": spec["name"], "inputs": spec["inputs"]},
        "initial": view.initial,
        "view": view.shown,
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def sources(spec: Mapping[str, Any]) -> list[str]:
    """Every reference the calculator or its rules cite, first use first."""
    keys = [*spec["references"], *(key for rule in spec["rules"] for key in rule["refs"])]
    return list(dict.fromkeys(keys))


def render_form(env: jinja2.Environment, view: CalculatorView) -> str:
    return env.get_template("calculator/form.html").render(
        view=view, spec=view.spec, data=embedded_data(view), sources=sources(view.spec)
    )


def render_rules(env: jinja2.Environment, spec: Mapping[str, Any], flowchart: bool) -> str:
    return env.get_template("calculator/rules.html").render(
        spec=spec, flowchart=mermaid_flowchart(spec) if flowchart else ""
    )


def render_examples(env: jinja2.Environment, spec: Mapping[str, Any]) -> str:
    """Worked examples, each recomputed now; a stale example in spec() fails the build."""
    examples = []
    for example in spec["examples"]:
        outcome = calculators.run(spec["name"], example["inputs"])
        if not outcome["ok"] or outcome["result"] != example["result"]:
            raise PrefillError(
                f"worked example {example['title']!r} does not reproduce: run() gave {outcome}"
            )
        examples.append(
            {
                "title": example["title"],
                "inputs": presentation.input_rows(spec, example["inputs"]),
                "view": presentation.present(spec["name"], example["inputs"], outcome),
            }
        )
    return env.get_template("calculator/examples.html").render(spec=spec, examples=examples)


def _mermaid_label(text: str) -> str:
    # Mermaid strings are double-quoted; it spells a literal quote as an entity code.
    return '"' + text.replace('"', "#quot;") + '"'


PLACE_WORDS = {"steps": "do now", "later": "later", "avoid": "avoid"}
# Rule boxes per column of the chart: few enough to read down, so the chart fits a screen.
RULES_PER_COLUMN = 5


def _rule_box(title: str, clauses: list[Mapping[str, Any]]) -> str:
    """One numbered rule as a box: its title, then every code its clauses place, by place."""
    parts = [title]
    for place in ("steps", "later", "avoid"):
        placed = list(dict.fromkeys(code for clause in clauses for code in clause[place]))
        if placed:
            parts.append(f"{PLACE_WORDS[place]}: " + ", ".join(placed))
    if any(clause["final"] for clause in clauses):
        parts.append("stops here when it applies")
    return _mermaid_label("<br>".join(parts))


def mermaid_flowchart(spec: Mapping[str, Any]) -> str:
    """The rules in the order the calculator checks them: one box per numbered rule (or per
    rule, for calculators that do not number theirs), read down each column, then across.

    Columns are linked as wholes because Mermaid ignores a column's direction once its
    boxes link outside it. The list under the chart gives every branch with its reasons.
    """
    boxes = [_rule_box(title, clauses) for title, clauses in _groups(spec["rules"])]
    lines = ["flowchart LR"]
    columns = range(0, len(boxes), RULES_PER_COLUMN)
    for column, start in enumerate(columns):
        chunk = boxes[start : start + RULES_PER_COLUMN]
        lines += [f'  subgraph c{column} [" "]', "    direction TB"]
        nodes = [f"r{start + offset}[{box}]" for offset, box in enumerate(chunk)]
        lines += ["    " + " --> ".join(nodes), "  end"]
    lines += [f"  c{index} --> c{index + 1}" for index in range(len(columns) - 1)]
    return "\n".join(lines)


def _groups(rules: list[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Consecutive clauses of one numbered rule, with the rule's title ("Rule 7: After an
    epidural"); an unnumbered rule is a group of its own, titled by its condition."""
    groups: list[tuple[str, list[Mapping[str, Any]]]] = []
    for index, rule in enumerate(rules, start=1):
        if rule["number"] is None:
            groups.append((f"{index}. {rule['when']}", [rule]))
            continue
        title = f"Rule {rule['number']}: {rule['title']}"
        if groups and groups[-1][0] == title:
            groups[-1][1].append(rule)
        else:
            groups.append((title, [rule]))
    return groups
