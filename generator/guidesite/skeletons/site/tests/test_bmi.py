"""The BMI calculator: its worked examples, the band edges, and what it refuses."""

from __future__ import annotations

import pytest
from site_calculators import bmi


def result(height_cm: float, weight_kg: float, background: str) -> dict[str, object]:
    values = {"height_cm": height_cm, "weight_kg": weight_kg, "background": background}
    return bmi.compute(values)


@pytest.mark.parametrize("example", bmi.CALCULATOR.examples, ids=lambda e: e.title)
def test_each_worked_example_gives_what_it_says(example: bmi.Example) -> None:
    computed = bmi.compute(example.inputs)
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
        (35.0, "obesity_class_2", "obesity"),
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
