"""What a calculator is: its declared inputs, outputs, rules, examples and computation.

One `Calculator` value per module; the registry in `__init__` holds them, and `spec()`
and `run()` are derived from these values alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from guidesite.kit.contract import GroupSpec, OutputSpec, RuleSpec, ScopeSpec
from guidesite.kit.fields import Field, Json, Problem
from guidesite.kit.instrument import Instrument

# Checked input values by field name, as returned by `fields.read_fields`.
Values = Mapping[str, object]


@dataclass(frozen=True)
class Output:
    """One field of the result, described for the page."""

    name: str
    label: str
    description: str
    # Shown after the value ("35.6 %"), so a number is never read without its scale.
    unit: str | None = None

    def to_spec(self) -> OutputSpec:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "unit": self.unit,
        }


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A decision the calculator applies, written to be read on the page.

    A scoring calculator uses rules to document its bands and thresholds; a planning
    calculator's clauses extend this with a rule number and the items each clause adds.
    """

    id: str
    when: str
    why: str
    refs: tuple[str, ...]

    def to_spec(self) -> RuleSpec:
        return {
            "id": self.id,
            "number": None,
            "title": None,
            "final": False,
            "when": self.when,
            "why": self.why,
            "refs": list(self.refs),
            "steps": [],
            "later": [],
            "avoid": [],
            "items": [],
        }


@dataclass(frozen=True)
class Scope:
    """Who a calculator is for and not for, shown beside every embedded copy."""

    for_: str
    not_for: tuple[str, ...]

    def to_spec(self) -> ScopeSpec:
        return {"for": self.for_, "not_for": list(self.not_for)}


@dataclass(frozen=True)
class InputGroup:
    """Inputs a form shows after the ungrouped ones, folded under `title`, which says how
    many of them are filled in: the answers that change a result most stay in view first.
    Never a required input (a reader must not have to open a fold to answer it)."""

    title: str
    fields: tuple[str, ...]

    def to_spec(self) -> GroupSpec:
        return {"title": self.title, "fields": list(self.fields)}


@dataclass(frozen=True)
class Example:
    """A worked example: inputs and the result fields a clinician can check by hand.

    `expect` holds a subset of the result (for a plan, codes instead of full items);
    the tests check it and the site shows the full result that `run` gives.
    """

    title: str
    inputs: Mapping[str, Json]
    expect: Mapping[str, Json]


def no_cross_check(values: Values) -> tuple[Problem, ...]:
    """For calculators whose fields can be checked one at a time."""
    return ()


@dataclass(frozen=True, kw_only=True)
class Calculator:
    name: str
    title: str
    summary: str
    inputs: tuple[Field, ...]
    outputs: tuple[Output, ...]
    references: tuple[str, ...]
    rules: tuple[Rule, ...]
    examples: tuple[Example, ...]
    compute: Callable[[Values], dict[str, Json]]
    # Problems that involve several fields, checked once every field is valid on its own.
    cross_check: Callable[[Values], tuple[Problem, ...]] = no_cross_check
    # What the reader must be told even while the form is incomplete or has a mistake (a
    # red flag that makes the other answers moot), from the fields that are valid so far;
    # it is shown above the list of fields to fix, never as a result.
    alert_while_incomplete: Callable[[Values], str | None] | None = None
    scope: Scope | None = None
    groups: tuple[InputGroup, ...] = ()
    # Set when the calculator implements a published questionnaire (its codes and licence).
    instrument: Instrument | None = None
