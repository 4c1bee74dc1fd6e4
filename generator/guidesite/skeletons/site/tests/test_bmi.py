"""The BMI calculator: its worked examples, the band edges, and what it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from guidesite.kit.contract import Outcome
from guidesite.kit.model import Example
from site_calculators import REGISTRY, bmi


def run(**inputs: Any) -> Outcome:
    return REGISTRY.run("bmi", inputs)


def result(height_cm: float, weight_kg: float, background: str) -> dict[str, Any]:
    outcome = run(height_cm=height_cm, weight_kg=weight_kg, background=background)
    assert outcome["ok"], outcome
    return dict(outcome["result"])


@pytest.mark.parametrize("example", bmi.CALCULATOR.examples, ids=lambda e: e.title)
def test_each_worked_example_gives_what_it_says(example: Example) -> None:
    computed = result(**example.inputs)
    assert {key: computed[key] for key in example.expect} == example.expect


@pytest.mark.parametrize(
    ("shown", "standard", "lower"),
    [
        (18.4, "underweight", "underweight"),
        (18.5, "healthy", "healthy"),
        (22.9, "healthy", "healthy"),
        (23.0, "healthy", "overweight"),
        (24.9, "healthy", "overweight"),
        (25.0, "overweight", "overweight"),
        (27.4, "overweight", "overweight"),
        (27.5, "overweight", "obesity"),
        (29.9, "overweight", "obesity"),
        (30.0, "obesity_class_1", "obesity"),
        (34.9, "obesity_class_1", "obesity"),
        (35.0, "obesity_class_2", "obesity"),
        (39.9, "obesity_class_2", "obesity"),
        (40.0, "obesity_class_3", "obesity"),
    ],
)
def test_each_band_starts_at_its_published_threshold(
    shown: float, standard: str, lower: str
) -> None:
    assert bmi.band_for(shown, bmi.STANDARD).code == standard
    assert bmi.band_for(shown, bmi.LOWER).code == lower


def test_the_band_follows_the_bmi_as_shown() -> None:
    # 63.9 kg at 160 cm is 24.96: shown as 25.0, so it must not read "healthy".
    shown = result(160, 63.9, bmi.STANDARD)
    assert (shown["bmi"], shown["band"]) == (25.0, "overweight")


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"height_cm": 99, "weight_kg": 70, "background": "standard"}, "height_cm"),
        ({"height_cm": 1750, "weight_kg": 70, "background": "standard"}, "height_cm"),
        ({"height_cm": 175, "weight_kg": 0, "background": "standard"}, "weight_kg"),
        ({"height_cm": 175, "weight_kg": 70, "background": "other"}, "background"),
        ({"height_cm": 175, "weight_kg": 70}, "background"),
        ({"height_cm": 175, "weight_kg": 70, "background": "lower", "age": 40}, "age"),
    ],
)
def test_impossible_or_missing_inputs_are_refused_by_name(
    inputs: dict[str, Any], field: str
) -> None:
    outcome = REGISTRY.run("bmi", inputs)
    assert not outcome["ok"] and "result" not in outcome
    assert [error["field"] for error in outcome["errors"]] == [field]


def test_the_limits_themselves_are_accepted() -> None:
    assert result(100, 20, bmi.STANDARD)["bmi"] == 20.0
    assert result(250, 350, bmi.LOWER)["band"] == "obesity"
