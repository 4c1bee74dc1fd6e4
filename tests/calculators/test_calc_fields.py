"""Field declarations: how raw JSON values are accepted, refused and described."""

from __future__ import annotations

from typing import Any

import pytest
from calc_support import errors, ok, plan

import calculators

BASE = {"pain_pattern": "axial", "weeks_since_onset": 30}


@pytest.mark.parametrize("value", [0, 30, 30.0, 5200])
def test_whole_numbers_are_accepted_also_as_integral_floats(value: Any) -> None:
    ok("next_step", {**BASE, "weeks_since_onset": value})


@pytest.mark.parametrize(
    "value",
    [True, False, -1, 5201, 30.5, float("nan"), float("inf"), -float("inf"), 10**100, "30", [30]],
)
def test_whole_numbers_refuse_bools_fractions_non_finite_and_huge_values(value: Any) -> None:
    found = errors("next_step", {**BASE, "weeks_since_onset": value})
    message = "Weeks since this episode began: must be a whole number from 0 to 5200 weeks."
    assert found == {"weeks_since_onset": message}


@pytest.mark.parametrize("value", [0, 1, "yes", None])
def test_booleans_are_only_true_or_false(value: Any) -> None:
    found = errors("next_step", {**BASE, "disabling": value})
    assert "yes or no" in found["disabling"]


def test_null_is_only_allowed_where_the_field_says_so() -> None:
    assert plan(relief_weeks=None)["urgency"] == "routine"
    assert "weeks_conservative_care" in errors(
        "next_step", {**BASE, "weeks_conservative_care": None}
    )


def test_left_out_optional_fields_take_their_defaults() -> None:
    defaults = {f["name"]: f["default"] for f in calculators.spec("next_step")["inputs"]}
    assert defaults["red_flags"] == [] and defaults["last_injection_image_guided"] is True
    explicit = {name: value for name, value in defaults.items() if value is not None}
    assert plan(**explicit) == plan()


@pytest.mark.parametrize("value", ["cauda_equina", {"cauda_equina": True}, None])
def test_a_multiple_choice_answer_must_be_a_list(value: Any) -> None:
    found = errors("next_step", {**BASE, "red_flags": value})
    assert list(found) == ["red_flags"]
    assert "a list, possibly empty, of" in found["red_flags"]


def test_a_multiple_choice_answer_lists_each_value_once() -> None:
    found = errors("next_step", {**BASE, "red_flags": ["cauda_equina", "cauda_equina"]})
    assert list(found) == ["red_flags"]


def test_each_bad_multiple_choice_entry_is_named() -> None:
    found = errors("next_step", {**BASE, "red_flags": ["cauda_equina", "fever", 3]})
    assert list(found) == ["red_flags.1", "red_flags.2"]


@pytest.mark.parametrize("value", ["Radicular", "", None, 1, ["radicular"]])
def test_a_choice_lists_what_is_allowed(value: Any) -> None:
    found = errors("next_step", {**BASE, "pain_pattern": value})
    assert '"radicular", "axial", "mixed"' in found["pain_pattern"]


def test_every_problem_is_reported_at_once() -> None:
    found = errors(
        "next_step", {"pain_pattern": "leg", "disabling": 1, "weeks_since_onset": -2, "typo": 0}
    )
    assert set(found) == {"pain_pattern", "disabling", "weeks_since_onset", "typo"}


def test_a_long_unknown_key_is_shortened_in_the_message() -> None:
    key = "x" * 5000
    found = errors("odi", {"items": [0] * 10, key: 1})
    (field,) = found
    assert len(field) <= 40 and len(found[field]) < 400


def test_spec_fields_carry_the_declared_details() -> None:
    fields = {f["name"]: f for f in calculators.spec("next_step")["inputs"]}
    relief = fields["relief_pct"]
    assert (relief["type"], relief["min"], relief["max"], relief["unit"]) == (
        "integer",
        0,
        100,
        "%",
    )
    assert relief["nullable"] is True and relief["required"] is False
    assert fields["pain_pattern"]["required"] is True
    assert [c["value"] for c in fields["imaging"]["choices"]] == [
        "none",
        "concordant",
        "non_concordant",
    ]
    medications = calculators.spec("mme")["inputs"][0]
    assert (medications["min_items"], medications["max_items"]) == (1, 20)
    assert [f["name"] for f in medications["fields"]] == ["drug", "daily_dose"]
