"""Helpers shared by the calculator tests (imported as a plain module by pytest)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import calculators

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def bibliography_keys() -> set[str]:
    """Entry keys of content/references.bib (a regex is enough to read keys)."""
    text = (ROOT / "content" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.MULTILINE))


def ok(name: str, inputs: Any) -> dict[str, Any]:
    """The result of a run that must succeed."""
    answer = calculators.run(name, inputs)
    assert answer["ok"] is True, answer
    result: dict[str, Any] = answer["result"]
    return result


def errors(name: str, inputs: Any) -> dict[str | None, str]:
    """Field path -> message for a run that must fail."""
    answer = calculators.run(name, inputs)
    assert answer["ok"] is False, answer
    assert "result" not in answer
    return {error["field"]: error["message"] for error in answer["errors"]}


def codes(items: list[dict[str, Any]]) -> list[str]:
    return [item["code"] for item in items]


def plan(**inputs: Any) -> dict[str, Any]:
    """A next_step result for a radicular case changed by `inputs`."""
    return ok("next_step", {"pain_pattern": "radicular", "weeks_since_onset": 20, **inputs})


def steps(**inputs: Any) -> list[str]:
    return codes(plan(**inputs)["steps"])


def avoid(**inputs: Any) -> list[str]:
    return codes(plan(**inputs)["avoid"])
