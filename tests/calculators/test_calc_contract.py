"""The JSON contract shared by every calculator: names, spec shape, errors, examples, refs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from calc_support import bibliography_keys, codes, errors

import calculators

SPEC_KEYS = {
    "name",
    "title",
    "summary",
    "inputs",
    "outputs",
    "references",
    "examples",
    "rules",
    "scope",
    "instrument",
    "groups",
}
FIELD_KEYS = {
    "name",
    "type",
    "label",
    "help",
    "unit",
    "required",
    "default",
    "nullable",
    "min",
    "max",
    "choices",
    "items",
    "fields",
    "min_items",
    "max_items",
    "code",
}
RULE_KEYS = {
    "id",
    "number",
    "title",
    "final",
    "when",
    "why",
    "refs",
    "steps",
    "later",
    "avoid",
    "items",
}
ITEM_KEYS = {"code", "title", "strength", "place", "when", "only_if", "why", "refs"}
NAMES = calculators.names()


def all_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every FIELD, nested ones included."""
    found = []
    for field in fields:
        found.append(field)
        found.extend(all_fields(field["items"] or []))
        found.extend(all_fields(field["fields"] or []))
    return found


def cited_keys(value: Any) -> set[str]:
    """Every key under a "refs" or "references" entry anywhere in a JSON value."""
    if isinstance(value, dict):
        keys = set(value.get("refs", [])) | set(value.get("references", []))
        return keys.union(*(cited_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(cited_keys(v) for v in value))
    return set()


def test_names_are_the_five_calculators() -> None:
    assert NAMES == ["next_step", "odi", "start_back", "pain_relief", "mme"]


@pytest.mark.parametrize("name", NAMES)
def test_spec_has_the_contract_shape(name: str) -> None:
    spec = calculators.spec(name)
    assert set(spec) == SPEC_KEYS
    assert spec["name"] == name
    assert json.loads(json.dumps(spec, allow_nan=False)) == spec
    for field in all_fields(spec["inputs"]):
        assert set(field) == FIELD_KEYS, field["name"]
        assert field["label"]
        numeric = field["type"] in ("integer", "number")
        assert (field["min"] is not None) == numeric
        assert (field["choices"] is not None) == (field["type"] in ("choice", "multi_choice"))
        assert (field["items"] is not None) == (field["type"] == "tuple")
        assert (field["fields"] is not None) == (field["type"] == "records")
    for output in spec["outputs"]:
        assert set(output) == {"name", "label", "description", "unit"}
    for group in spec["groups"]:
        assert set(group) == {"title", "fields"} and group["fields"], group["title"]
    assert spec["rules"], "every calculator documents how it decides"
    for rule in spec["rules"]:
        assert set(rule) == RULE_KEYS
        assert rule["refs"], rule["id"]
        for item in rule["items"]:
            assert set(item) == ITEM_KEYS
            assert item["why"] and item["refs"], rule["id"]
            assert (item["when"] is not None) == (item["place"] == "later"), rule["id"]
    assert len({rule["id"] for rule in spec["rules"]}) == len(spec["rules"])


@pytest.mark.parametrize("name", NAMES)
def test_outputs_describe_every_result_field(name: str) -> None:
    spec = calculators.spec(name)
    described = {output["name"] for output in spec["outputs"]}
    for example in spec["examples"]:
        assert set(example["result"]) == described


@pytest.mark.parametrize("name", NAMES)
def test_changing_a_spec_does_not_change_the_next_one(name: str) -> None:
    first = calculators.spec(name)
    pristine = json.dumps(first, sort_keys=True)
    for example in first["examples"]:
        for value in example["inputs"].values():
            if isinstance(value, list):
                value.clear()
        example["inputs"]["added"] = 1
    first["inputs"][0]["label"] = "changed"
    assert json.dumps(calculators.spec(name), sort_keys=True) == pristine


def test_spec_of_an_unknown_calculator_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        calculators.spec("nope")


@pytest.mark.parametrize("name", NAMES)
def test_every_cited_key_is_in_the_bibliography(name: str) -> None:
    spec = calculators.spec(name)
    assert cited_keys(spec) <= bibliography_keys()
    assert set(spec["references"]) >= cited_keys(spec["rules"])


def test_the_vocabulary_covers_every_code_a_rule_uses() -> None:
    vocabulary = {entry["code"]: entry for entry in calculators.codes()}
    assert all(
        set(entry) == {"code", "title", "kind", "group", "strength"}
        for entry in vocabulary.values()
    )
    for entry in vocabulary.values():
        assert (entry["strength"] is None) == (entry["kind"] == "avoid")
    plannable = {code for code, entry in vocabulary.items() if entry["kind"] == "step"}
    for rule in calculators.spec("next_step")["rules"]:
        assert set(rule["steps"]) | set(rule["later"]) <= plannable
        assert set(rule["avoid"]) <= set(vocabulary)
        # Each item carries its code's title and strength, so the page needs no vocabulary.
        for item in rule["items"]:
            entry = vocabulary[item["code"]]
            assert (item["title"], item["strength"]) == (entry["title"], entry["strength"])


def test_strength_follows_the_rules_text() -> None:
    strength = {entry["code"]: entry["strength"] for entry in calculators.codes()}
    offered = {
        "emergency-assessment",
        "urgent-specialist-referral",
        "specialist-referral-2-weeks",
        "specialist-referral",
        "mri",
        "reassess-pain-source",
        "active-physiotherapy",
        "opioid-risk-assessment",
        "follow-up",
    }
    assert {code for code, value in strength.items() if value == "offer"} == offered


@pytest.mark.parametrize(
    ("name", "example"),
    [(name, example) for name in NAMES for example in calculators.spec(name)["examples"]],
    ids=lambda value: value if isinstance(value, str) else value["title"],
)
def test_worked_example_in_spec_is_what_run_gives(name: str, example: dict[str, Any]) -> None:
    assert calculators.run(name, example["inputs"]) == {"ok": True, "result": example["result"]}


def _expectations() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [
        (name, example.title, dict(example.inputs), dict(example.expect))
        for name, calculator in calculators.CALCULATORS.items()
        for example in calculator.examples
    ]


@pytest.mark.parametrize(("name", "title", "inputs", "expect"), _expectations())
def test_worked_example_matches_its_hand_checked_values(
    name: str, title: str, inputs: dict[str, Any], expect: dict[str, Any]
) -> None:
    result = calculators.run(name, inputs)["result"]
    shown = {
        key: codes(result[key]) if key in ("steps", "later", "avoid") else result[key]
        for key in expect
    }
    assert shown == expect, title


# A name nested too deep to print must not break the message.
DEEP: list[Any] = []
for _ in range(10_000):
    DEEP = [DEEP]


@pytest.mark.parametrize("name", [None, "", "NEXT_STEP", "odi ", 3, ["odi"], DEEP])
def test_unknown_calculator_is_an_error_without_a_field(name: Any) -> None:
    answer = calculators.run(name, {})
    assert answer["ok"] is False
    assert [error["field"] for error in answer["errors"]] == [None]
    assert "odi" in answer["errors"][0]["message"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("inputs", [None, [], "items", 3, True])
def test_inputs_that_are_not_an_object_are_an_error(name: str, inputs: Any) -> None:
    assert list(errors(name, inputs)) == [None]


@pytest.mark.parametrize("name", NAMES)
def test_unknown_keys_are_errors_not_ignored(name: str) -> None:
    example = calculators.spec(name)["examples"][0]["inputs"]
    found = errors(name, {**example, "relief_percent": 50})
    assert list(found) == ["relief_percent"]
    assert "not allowed" in found["relief_percent"]


def test_missing_required_fields_are_named() -> None:
    found = errors("next_step", {})
    assert set(found) == {"pain_pattern", "weeks_since_onset"}
    assert "required" in found["pain_pattern"]
