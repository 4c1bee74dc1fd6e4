"""Inputs for the CPython-vs-Pyodide parity tests.

Three sources: the shared next_step cases, every worked example in `spec()`, and seeded
random inputs generated from `spec()` (valid ones, and ones broken on purpose the ways a
form, a hand-written URL or a bug could break them).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import calculators
from guidesite.kit import browser
from guidesite.kit.browser import run_json, view_json
from tests.calculators.fuzz import valid_object
from tests.conftest import SITE_NAME

SHARED_CASES = Path(__file__).parent.parent / "calculators" / "data" / "next_step_cases.json"
SEED = 20261122
# The CPython side answers for this site's calculators, as the built engine does.
browser.load("calculators", SITE_NAME)
GENERATED_COUNT = 1200

JUNK: list[Any] = ["", "abc", -1, 1.5, 10**20, -1e308, True, None, [], {}, [None, {"a": [1]}]]


@dataclass(frozen=True)
class Case:
    source: str
    name: str
    inputs: Any

    def to_json_line(self) -> str:
        return json.dumps({"name": self.name, "inputs_json": json.dumps(self.inputs)})


def all_cases() -> list[Case]:
    return [*shared_cases(), *example_cases(), *generated_cases()]


def shared_cases() -> list[Case]:
    cases = json.loads(SHARED_CASES.read_text())
    return [Case(f"shared:{case['id']}", "next_step", case["inputs"]) for case in cases]


def example_cases() -> list[Case]:
    return [
        Case(f"example:{name}:{example['title']}", name, example["inputs"])
        for name in calculators.names()
        for example in calculators.spec(name)["examples"]
    ]


def generated_cases(seed: int = SEED, count: int = GENERATED_COUNT) -> list[Case]:
    rng = random.Random(seed)
    specs = [calculators.spec(name) for name in calculators.names()]
    cases = []
    for index in range(count):
        spec = rng.choice(specs)
        inputs = valid_object(rng, spec["inputs"], junk_rate=0.0)
        if rng.random() < 0.45:
            name, broken = break_inputs(rng, spec["name"], inputs, spec["inputs"])
            cases.append(Case(f"generated:{index}:invalid", name, broken))
        else:
            cases.append(Case(f"generated:{index}:valid", spec["name"], inputs))
    return cases


def break_inputs(
    rng: random.Random, name: str, inputs: dict[str, Any], fields: list[dict[str, Any]]
) -> tuple[str, Any]:
    """One deliberate fault: a wrong value, a missing or unknown key, or junk throughout."""
    broken = dict(inputs)
    field = rng.choice(fields)
    fault = rng.randrange(8)
    if fault == 0:
        broken[field["name"]] = rng.choice(JUNK)
    elif fault == 1:
        broken.pop(field["name"], None)
    elif fault == 2:
        broken["unknown_" + field["name"]] = rng.choice(JUNK)
    elif fault == 3 and field["max"] is not None:
        broken[field["name"]] = field["max"] + rng.choice([1, 0.5, 10**6])
    elif fault == 4 and isinstance(broken.get(field["name"]), list) and broken[field["name"]]:
        values = list(broken[field["name"]])
        values[rng.randrange(len(values))] = rng.choice(JUNK)
        broken[field["name"]] = values if rng.random() < 0.7 else values[:-1]
    elif fault == 5:
        return name, rng.choice([[], "items", 3, None, [inputs]])
    elif fault == 6:
        return rng.choice(["", "ODI", "next-step", "nope"]), inputs
    else:
        broken[field["name"]] = rng.choice(JUNK)
        broken.pop(rng.choice(fields)["name"], None)
    return name, broken


def cpython_results(cases: list[Case]) -> list[str]:
    """What CPython computes for each case, in the form the Pyodide runner writes."""
    return [run_json(case.name, json.dumps(case.inputs), sort_keys=True) for case in cases]


def cpython_views(cases: list[Case]) -> list[str]:
    """The presentation view of each case's answer, as the Pyodide runner writes it."""
    return [view_json(case.name, json.dumps(case.inputs), sort_keys=True) for case in cases]
