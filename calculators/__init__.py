"""Clinical calculators for back and leg pain: one registry, one JSON contract.

    run(name, inputs) -> {"ok": True, "result": {...}} or {"ok": False, "errors": [...]}
    names()           -> every calculator's name
    spec(name)        -> JSON description of inputs, outputs, rules and worked examples
    codes()           -> the next_step vocabulary (code, title, kind, group, strength)

Pure standard-library Python: the same code runs in pytest, at build time and in Pyodide.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType

from calculators import mme, next_step, odi, pain_relief, start_back
from calculators.fields import Json, Problem, read_fields, shorten
from calculators.model import Calculator

__all__ = ["CALCULATORS", "codes", "names", "run", "spec"]

# Every calculator by name, in the order the site lists them (read-only).
CALCULATORS: Mapping[str, Calculator] = MappingProxyType(
    {
        calculator.name: calculator
        for calculator in (
            next_step.CALCULATOR,
            odi.CALCULATOR,
            start_back.CALCULATOR,
            pain_relief.CALCULATOR,
            mme.CALCULATOR,
        )
    }
)


def names() -> list[str]:
    """Every calculator's name, in the order the site lists them."""
    return list(CALCULATORS)


def _lookup(name: object) -> Calculator | None:
    return CALCULATORS.get(name) if isinstance(name, str) else None


def _failure(problems: tuple[Problem, ...]) -> dict[str, Json]:
    return {"ok": False, "errors": [problem.to_json() for problem in problems]}


def run(name: str, inputs: Json) -> dict[str, Json]:
    """Validate `inputs` and compute; never raises, never returns a partial result."""
    calculator = _lookup(name)
    if calculator is None:
        known = ", ".join(CALCULATORS)
        given = f' "{shorten(name)}"' if isinstance(name, str) else " by that name"
        message = f"There is no calculator{given}; the calculators are: {known}."
        return _failure((Problem(None, message),))
    values, problems = read_fields(calculator.inputs, inputs, None)
    if values is not None and not problems:
        problems = calculator.cross_check(values)
    if problems or values is None:
        return _failure(problems)
    return {"ok": True, "result": calculator.compute(values)}


def spec(name: str) -> dict[str, Json]:
    """The JSON description the site renders forms, docs and worked examples from.

    Raises KeyError for an unknown name: unlike `run`, this is called by code, not users.
    """
    calculator = CALCULATORS[name]
    return {
        "name": calculator.name,
        "title": calculator.title,
        "summary": calculator.summary,
        "inputs": [field.to_spec() for field in calculator.inputs],
        "outputs": [output.to_spec() for output in calculator.outputs],
        "references": list(calculator.references),
        "examples": [
            {
                "title": example.title,
                "inputs": copy.deepcopy(dict(example.inputs)),
                "result": run(name, example.inputs)["result"],
            }
            for example in calculator.examples
        ],
        "rules": [rule.to_spec() for rule in calculator.rules],
        "scope": calculator.scope.to_spec() if calculator.scope else None,
    }


def codes() -> list[dict[str, str | None]]:
    """The next_step vocabulary: every code with its title, kind ("step" or "avoid"), group
    and strength ("offer", "consider", or None for avoid-only codes)."""
    return next_step.vocabulary()
