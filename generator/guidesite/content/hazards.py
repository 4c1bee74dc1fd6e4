"""The clinical safety hazard log, kept the way DCB0129 asks: read, checked, shown as a page.

The log is a YAML list in `content/safety/hazard-log.yaml` (outside the page schema: the
plugin takes it out of the published files). Every hazard names its cause, effect,
severity, likelihood after mitigation, the mitigation, and the pytest node ids of the tests
that prove the mitigation; `tests/generator/test_hazard_log.py` fails when one of those
tests does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from guidesite.content.problems import Problem, did_you_mean

# DCB0129's wording for the two axes of its risk matrix, least to most.
SEVERITIES = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOODS = ("very low", "low", "medium", "high", "very high")
TEXT_FIELDS = ("id", "title", "cause", "effect", "severity", "likelihood", "mitigation")
FIELDS = (*TEXT_FIELDS, "tests")
HAZARD_ID = re.compile(r"^H[0-9]{2}$")
# A pytest node id: a test file under tests/, then the function (optionally in a class).
TEST_ID = re.compile(r"^tests/[\w/]+\.py::(\w+::)?test_\w+$")


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    cause: str
    effect: str
    severity: str
    likelihood: str
    mitigation: str
    tests: tuple[str, ...]
    line: int


def load(path: Path, shown: str) -> tuple[list[Hazard], list[Problem]]:
    """The hazards in `path` with every mistake found, each at its line; none if no file."""
    if not path.is_file():
        return [], []
    text = path.read_text(encoding="utf-8")
    try:
        nodes = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [Problem(shown, line, f"not valid YAML ({error}); fix the indentation")]
    if not isinstance(data, list) or not data or nodes is None:
        return [], [Problem(shown, 1, "the hazard log must be a list of hazards, each '- id: H01'")]
    hazards: list[Hazard] = []
    problems: list[Problem] = []
    for node, entry in zip(nodes.value, data, strict=True):
        line = node.start_mark.line + 1
        hazard, found = _hazard(entry, line, shown)
        problems += found
        if hazard is not None:
            hazards.append(hazard)
    seen: set[str] = set()
    for hazard in hazards:
        if hazard.id in seen:
            problems.append(Problem(shown, hazard.line, f"hazard id {hazard.id} is used twice"))
        seen.add(hazard.id)
    return hazards, problems


def _hazard(entry: Any, line: int, shown: str) -> tuple[Hazard | None, list[Problem]]:
    if not isinstance(entry, dict):
        return None, [Problem(shown, line, "each hazard must be a mapping of " + ", ".join(FIELDS))]
    problems = [
        Problem(
            shown,
            line,
            f"unknown key {key!r}{did_you_mean(key, FIELDS)}; allowed: " + ", ".join(FIELDS),
        )
        for key in entry
        if key not in FIELDS
    ]
    problems += [
        Problem(shown, line, f"{key} is missing or empty; write it as text")
        for key in TEXT_FIELDS
        if not isinstance(entry.get(key), str) or not entry[key].strip()
    ]
    tests = entry.get("tests")
    if not isinstance(tests, list) or not tests:
        problems.append(Problem(shown, line, "tests must list the pytest ids that prove it"))
        tests = []
    problems += [
        Problem(shown, line, f"{test!r} is not a pytest id like tests/dir/test_x.py::test_y")
        for test in tests
        if not isinstance(test, str) or not TEST_ID.match(test)
    ]
    for key, allowed in (("severity", SEVERITIES), ("likelihood", LIKELIHOODS)):
        value = entry.get(key)
        if isinstance(value, str) and value not in allowed:
            problems.append(
                Problem(
                    shown,
                    line,
                    f"{key} {value!r}{did_you_mean(value, allowed)} must be one of: "
                    + ", ".join(allowed),
                )
            )
    if isinstance(entry.get("id"), str) and not HAZARD_ID.match(entry["id"]):
        problems.append(Problem(shown, line, f"id {entry['id']!r} must look like H01"))
    if problems:
        return None, problems
    return Hazard(
        **{key: entry[key].strip() for key in TEXT_FIELDS}, tests=tuple(tests), line=line
    ), []
