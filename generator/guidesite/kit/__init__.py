"""The calculator kit: what any site declares its calculators with, and the one registry.

A site's calculators package is an ordinary Python package (standard library and this kit
only, so the same code runs in pytest, at build time and in Pyodide) whose top level has

    REGISTRY: guidesite.kit.Registry   # every calculator, in the order the site lists them

and `mkdocs.yml` names it (`plugins: - guidesite: {calculators: PACKAGE}`). Through the
registry the generator and the browser reach every calculator the same way:

    run(name, inputs) -> {"ok": True, "result": {...}} or {"ok": False, "errors": [...]}
    names()           -> every calculator's name
    spec(name)        -> JSON description of inputs, outputs, rules and worked examples

- `contract`: the JSON shapes of `run`, `spec` and the result view, as `TypedDict`s.
- `fields`: the input declarations (numbers, choices, tuples, records ...).
- `model`: `Calculator` and its outputs, rules, scope and worked examples.
- `instrument`: a published questionnaire's codes, copyright and scores (for FHIR).
- `fhir`: the QuestionnaireResponse and score Observations of one result.
- `numbers`: exact decimal arithmetic.
- `presentation`: what a reader sees of a result, as JSON.
- `browser`: what the in-browser engine calls.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from guidesite.kit.contract import CalculatorSpec, Failure, Outcome
from guidesite.kit.fields import Json, Problem, read_fields, shorten
from guidesite.kit.model import Calculator, Example

__all__ = ["REGISTRY_NAME", "Registry", "SitePackageError", "contract_problems", "load"]

# The attribute of a site's calculators package that holds its registry.
REGISTRY_NAME = "REGISTRY"


class Registry:
    """A site's calculators by name, in the order the site lists them (read-only)."""

    def __init__(self, calculators: Iterable[Calculator]) -> None:
        by_name: dict[str, Calculator] = {}
        for calculator in calculators:
            if calculator.name in by_name:
                raise ValueError(f"two calculators are named {calculator.name!r}")
            by_name[calculator.name] = calculator
        self.calculators: Mapping[str, Calculator] = MappingProxyType(by_name)

    def names(self) -> list[str]:
        """Every calculator's name, in the order the site lists them."""
        return list(self.calculators)

    def run(self, name: str, inputs: Json) -> Outcome:
        """Validate `inputs` and compute; never raises, never returns a partial result."""
        calculator = self.calculators.get(name) if isinstance(name, str) else None
        if calculator is None:
            known = ", ".join(self.calculators)
            given = f' "{shorten(name)}"' if isinstance(name, str) else " by that name"
            message = f"There is no calculator{given}; the calculators are: {known}."
            return _failure((Problem(None, message),))
        values, problems = read_fields(calculator.inputs, inputs, None)
        if values is not None and not problems:
            problems = calculator.cross_check(values)
        if problems or values is None:
            return _failure(_with_alert(calculator, values, problems))
        return {"ok": True, "result": calculator.compute(values)}

    def spec(self, name: str) -> CalculatorSpec:
        """The JSON description the site renders forms, docs and worked examples from.

        Raises KeyError for an unknown name: unlike `run`, this is called by code, not users.
        """
        calculator = self.calculators[name]
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
                    "result": self._example_result(name, example),
                }
                for example in calculator.examples
            ],
            "rules": [rule.to_spec() for rule in calculator.rules],
            "scope": calculator.scope.to_spec() if calculator.scope else None,
            "groups": [group.to_spec() for group in calculator.groups],
            "instrument": calculator.instrument.to_spec() if calculator.instrument else None,
        }

    def _example_result(self, name: str, example: Example) -> dict[str, Json]:
        outcome = self.run(name, example.inputs)
        if not outcome["ok"]:
            # `contract_problems` reports this to the editor before any spec is asked for.
            raise ValueError(
                f"calculator {name!r}: its worked example {example.title!r} is refused: "
                f"{outcome['errors']}"
            )
        return outcome["result"]


def _group_problems(calculator: Calculator) -> list[str]:
    """An input group that names no input, names one twice, or folds a required one."""
    inputs = {field.name: field for field in calculator.inputs}
    grouped = [name for group in calculator.groups for name in group.fields]
    problems = []
    for name in dict.fromkeys(grouped):
        if name not in inputs:
            problems.append(
                f"calculator {calculator.name!r}: input group names {name!r}, which is not one "
                f"of its inputs; use one of: {', '.join(inputs)}"
            )
        elif grouped.count(name) > 1:
            problems.append(
                f"calculator {calculator.name!r}: input {name!r} is in more than one group; "
                "list it in one"
            )
        elif inputs[name].required:
            problems.append(
                f"calculator {calculator.name!r}: required input {name!r} is in a folded "
                "group; leave it out of the group so it shows first"
            )
    return problems


def _with_alert(
    calculator: Calculator, values: dict[str, object] | None, problems: tuple[Problem, ...]
) -> tuple[Problem, ...]:
    """The calculator's alert first, judged only on the fields that have no problem."""
    if calculator.alert_while_incomplete is None or values is None:
        return problems
    faulty = {problem.field.split(".")[0] for problem in problems if problem.field}
    valid = {name: value for name, value in values.items() if name not in faulty}
    alert = calculator.alert_while_incomplete(valid)
    return problems if alert is None else (Problem(None, alert), *problems)


def _failure(problems: tuple[Problem, ...]) -> Failure:
    return {"ok": False, "errors": [problem.to_json() for problem in problems]}


class SitePackageError(Exception):
    """The site's calculators package is missing, does not import, or has no registry."""


def load(package: str) -> Registry:
    """The registry of the site's calculators package `package` (an import name)."""
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError as error:
        if error.name is not None and f"{package}.".startswith(f"{error.name}."):
            raise SitePackageError(
                f"no calculators package {package!r} can be imported (it is looked for in "
                "the directory of mkdocs.yml and where Python installs packages)"
            ) from error
        raise
    registry = getattr(module, REGISTRY_NAME, None)
    if not isinstance(registry, Registry):
        raise SitePackageError(
            f"{module.__file__}: the calculators package {package!r} has no {REGISTRY_NAME}; "
            f"give it `{REGISTRY_NAME} = guidesite.kit.Registry([...its calculators...])`"
        )
    return registry


def contract_problems(registry: Registry) -> list[str]:
    """What breaks the calculator contract, one message each: a calculator without inputs,
    one whose `run` raises on an empty form (what a page shows first), or one whose `run`
    raises on (or refuses) its own worked example."""
    problems = []
    for name, calculator in registry.calculators.items():
        if not calculator.inputs:
            problems.append(f"calculator {name!r} declares no inputs; give it at least one")
        problems += _group_problems(calculator)
        try:
            registry.run(name, {})
        except Exception as error:
            problems.append(
                f"calculator {name!r}: run raises {type(error).__name__}: {error} when no "
                "input is given yet; make the inputs compute needs `required=True`, or let "
                "compute accept None for them"
            )
        for example in calculator.examples:
            try:
                outcome = registry.run(name, example.inputs)
            except Exception as error:
                problems.append(
                    f"calculator {name!r}: run raises {type(error).__name__}: {error} on its "
                    f"worked example {example.title!r}; fix compute"
                )
                continue
            if not outcome["ok"]:
                problems.append(
                    f"calculator {name!r}: its worked example {example.title!r} is refused: "
                    f"{outcome['errors']}; fix the example's inputs"
                )
    return problems
