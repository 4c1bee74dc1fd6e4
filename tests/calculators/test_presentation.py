"""The presentation model: what the reader sees of a result, exactly, for each kind of result."""

from __future__ import annotations

import json
from typing import Any

import pytest

import calculators
from guidesite.kit import browser
from guidesite.kit.browser import run_json, view_json, warm_up
from guidesite.kit.presentation import input_rows, note_end, present, value_text
from tests.conftest import SITE_NAME

NOTE_END = note_end(SITE_NAME)
browser.load("calculators", SITE_NAME)


def item(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": title.lower(),
        "title": title,
        "why": [f"Why {title}."],
        "refs": ["nice-ng59"],
        **extra,
    }


# A contract-v2 plan written by hand: steps and later items with a strength, later items
# with their condition, avoid items without a strength; one rule id the spec does not know.
RULE = calculators.spec("next_step")["rules"][0]
FIELDS = {field["name"]: field for field in calculators.spec("next_step")["inputs"]}
RADICULAR = next(c["label"] for c in FIELDS["pain_pattern"]["choices"] if c["value"] == "radicular")
PLAN_V2 = {
    "urgency": "soon",
    "headline": "Specialist assessment within 2 weeks.",
    "steps": [item("MRI", strength="offer"), item("Physiotherapy", strength="consider")],
    "later": [item("Epidural", strength="consider", when="If leg pain persists at 6 weeks.")],
    "avoid": [item("Opioids")],
    "trace": [RULE["id"], "not-a-rule"],
}


def reasons(title: str) -> dict[str, Any]:
    return {"why": [f"Why {title}."], "refs": ["nice-ng59"]}


def test_a_v2_plan_reads_as_do_now_then_if_this_does_not_work_then_avoid() -> None:
    inputs = {"pain_pattern": "radicular", "disabling": True, "red_flags": []}
    view = present(
        calculators.spec("next_step"), inputs, {"ok": True, "result": PLAN_V2}, SITE_NAME
    )
    assert view == {
        "ok": True,
        "kind": "plan",
        "summary": {"tone": "soon", "label": "Soon", "text": "MRI"},
        "blocks": [
            {
                "kind": "banner",
                "tone": "soon",
                "label": "Soon",
                "text": "Specialist assessment within 2 weeks.",
            },
            {
                "kind": "items",
                "name": "steps",
                "heading": "Do now",
                "ordered": True,
                "items": [
                    {
                        "title": "MRI",
                        "strength": {"code": "offer", "label": "Offer"},
                        "when": None,
                        "record": None,
                        **reasons("MRI"),
                    },
                    {
                        "title": "Physiotherapy",
                        "strength": {"code": "consider", "label": "Consider"},
                        "when": None,
                        "record": None,
                        **reasons("Physiotherapy"),
                    },
                ],
            },
            {
                "kind": "items",
                "name": "later",
                "heading": "If this does not work",
                "ordered": True,
                "items": [
                    {
                        "title": "Epidural",
                        "strength": {"code": "consider", "label": "Consider"},
                        "when": "If leg pain persists at 6 weeks.",
                        "record": None,
                        **reasons("Epidural"),
                    }
                ],
            },
            {
                "kind": "items",
                "name": "avoid",
                "heading": "Avoid for now",
                "ordered": False,
                "items": [
                    {
                        "title": "Opioids",
                        "strength": None,
                        "when": None,
                        "record": None,
                        **reasons("Opioids"),
                    }
                ],
            },
            {
                "kind": "trace",
                "heading": "Why: the rules that applied, in order",
                "rules": [
                    {"id": RULE["id"], "text": RULE["when"]},
                    {"id": "not-a-rule", "text": ""},
                ],
            },
        ],
        "note": "\n".join(
            [
                calculators.spec("next_step")["title"],
                f"- {FIELDS['red_flags']['label']}: none",
                f"- {FIELDS['pain_pattern']['label']}: {RADICULAR}",
                f"- {FIELDS['disabling']['label']}: yes",
                "Result:",
                "SOON: Specialist assessment within 2 weeks.",
                "Do now:",
                "1. Offer: MRI",
                "2. Consider: Physiotherapy",
                "If this does not work:",
                "1. Consider: Epidural — If leg pain persists at 6 weeks.",
                "Avoid for now:",
                "- Opioids",
                f"Rules applied: {RULE['id']}, not-a-rule",
                NOTE_END,
            ]
        ),
        "fhir": None,  # not an instrument
    }


def test_a_later_item_held_for_a_pain_score_names_the_field_to_fill_in() -> None:
    inputs = {
        "pain_pattern": "radicular",
        "weeks_since_onset": 40,
        "weeks_conservative_care": 30,
        "imaging": "non_concordant",
        "last_injection": "epidural",
        "relief_pct": 20,
    }
    view = present(
        calculators.spec("next_step"), inputs, calculators.run("next_step", inputs), SITE_NAME
    )
    later = next(b for b in view["blocks"] if b.get("name") == "later")
    held = [entry["record"] for entry in later["items"] if entry["record"]]
    label = FIELDS["current_pain_nrs"]["label"]
    assert held and all(
        record == {"field": "current_pain_nrs", "text": f"Fill in “{label}” in the form"}
        for record in held
    )
    scored = present(
        calculators.spec("next_step"),
        inputs | {"current_pain_nrs": 7},
        calculators.run("next_step", inputs | {"current_pain_nrs": 7}),
        SITE_NAME,
    )
    assert all(
        entry["record"] is None
        for block in scored["blocks"]
        if block["kind"] == "items"
        for entry in block["items"]
    )


def test_a_plan_without_later_items_or_steps_leaves_them_out() -> None:
    result = {**PLAN_V2, "urgency": "urgent", "headline": "Urgent: see a specialist.", "steps": []}
    del result["later"]
    view = present(calculators.spec("next_step"), {}, {"ok": True, "result": result}, SITE_NAME)
    # The headline already starts with the urgency, so the banner does not repeat it; with
    # no step, the summary falls back to the headline.
    assert view["blocks"][0] == {
        "kind": "banner",
        "tone": "urgent",
        "label": None,
        "text": "Urgent: see a specialist.",
    }
    assert view["summary"] == {
        "tone": "urgent",
        "label": "Urgent",
        "text": "Urgent: see a specialist.",
    }
    assert [block.get("name") for block in view["blocks"]] == [None, "avoid", None]


def test_a_score_shows_labelled_values_with_units_then_what_it_means() -> None:
    inputs = {"baseline_nrs": 8, "current_nrs": 2.5}
    view = present(
        calculators.spec("pain_relief"), inputs, calculators.run("pain_relief", inputs), SITE_NAME
    )
    interpretation = calculators.run("pain_relief", inputs)["result"]["interpretation"]
    assert view == {
        "ok": True,
        "kind": "scores",
        "summary": {"tone": None, "label": "Relief", "text": "68.8 % · Category: responder"},
        "blocks": [
            {
                "kind": "values",
                "rows": [
                    {"name": "relief_pct", "label": "Relief", "text": "68.8 %"},
                    {"name": "category", "label": "Category", "text": "responder"},
                ],
            },
            {"kind": "text", "name": "interpretation", "text": interpretation},
        ],
        "note": "\n".join(
            [
                "Pain relief after a procedure",
                "- Pain before the procedure: 8",
                "- Pain now: 2.5",
                "Result:",
                "Relief: 68.8 %",
                "Category: responder",
                interpretation,
                NOTE_END,
            ]
        ),
        "fhir": None,  # not an instrument
    }


def test_whole_numbers_lose_their_decimal_point_and_codes_become_words() -> None:
    inputs = {"items": [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]}
    view = present(calculators.spec("odi"), inputs, calculators.run("odi", inputs), SITE_NAME)
    assert view["blocks"][0]["rows"] == [
        {"name": "score_pct", "label": "Score", "text": "100 %"},
        {"name": "answered", "label": "Sections answered", "text": "10"},
        {"name": "band", "label": "Band", "text": "bed bound"},
    ]
    assert view["summary"]["text"] == "100 % · Band: bed bound"


def test_rows_of_records_become_a_table() -> None:
    inputs = {"medications": [{"drug": "morphine", "daily_dose": 30}]}
    view = present(calculators.spec("mme"), inputs, calculators.run("mme", inputs), SITE_NAME)
    rows = view["blocks"][0]["rows"]
    assert rows[1] == {
        "name": "rows",
        "label": "Per medicine",
        "table": {
            "columns": ["drug", "daily dose", "unit", "factor", "mme"],
            "rows": [["morphine", "30", "mg/day", "1", "30"]],
        },
    }
    assert "Per medicine: morphine 30 mg/day 1 30" in view["note"].splitlines()
    assert view["summary"] == {
        "tone": None,
        "label": "Total",
        "text": "30 MME/day · Level: below 50",
    }


def test_an_empty_table_and_a_score_without_band_or_interpretation() -> None:
    spec_result = {"total_mme": 0.0, "rows": [], "level": None, "interpretation": ""}
    view = present(calculators.spec("mme"), {}, {"ok": True, "result": spec_result}, SITE_NAME)
    assert view["blocks"] == [
        {
            "kind": "values",
            "rows": [
                {"name": "total_mme", "label": "Total", "text": "0 MME/day"},
                {"name": "rows", "label": "Per medicine", "table": {"columns": [], "rows": []}},
            ],
        }
    ]
    assert view["summary"] == {"tone": None, "label": "Total", "text": "0 MME/day"}


def test_errors_keep_the_envelope_and_name_the_field_by_its_label() -> None:
    inputs = {"baseline_nrs": 0, "current_nrs": 3}
    outcome = calculators.run("pain_relief", inputs)
    assert present(calculators.spec("pain_relief"), inputs, outcome, SITE_NAME) == {
        "ok": False,
        "errors": [{**error, "label": "Pain before the procedure"} for error in outcome["errors"]],
    }
    nested = present(
        calculators.spec("mme"),
        {},
        {"ok": False, "errors": [{"field": "medications.0.drug", "message": "m"}]},
        SITE_NAME,
    )
    assert nested["errors"] == [
        {"field": "medications.0.drug", "message": "m", "label": "Opioids taken"}
    ]
    unknown = calculators.run("nope", {})
    assert present(None, {}, unknown, SITE_NAME) == {
        "ok": False,
        "errors": [{**unknown["errors"][0], "label": None}],
    }


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ({"type": "boolean"}, True, "yes"),
        ({"type": "boolean"}, False, "no"),
        ({"type": "integer"}, None, "not answered"),
        ({"type": "number", "unit": "mg"}, 2.0, "2 mg"),
        ({"type": "number", "unit": None}, 2.5, "2.5"),
        ({"type": "choice", "choices": [{"value": "a", "label": "Apple"}]}, "a", "Apple"),
        ({"type": "choice", "choices": []}, "zz", "zz"),
        ({"type": "multi_choice", "choices": [{"value": "a", "label": "A"}]}, ["a", "b"], "A; b"),
        ({"type": "multi_choice", "choices": []}, [], "none"),
        (
            {"type": "tuple", "items": [{"type": "boolean"}, {"type": "integer"}]},
            [True, 3],
            "yes, 3",
        ),
        (
            {
                "type": "records",
                "fields": [{"name": "n", "type": "integer"}, {"name": "b", "type": "boolean"}],
            },
            [{"n": 1, "b": True}, {"n": 2}],
            "1, yes; 2, not answered",
        ),
    ],
)
def test_input_values_in_words(field: dict[str, Any], value: Any, text: str) -> None:
    assert value_text(value, field) == text


def test_input_rows_follow_the_spec_and_ignore_inputs_that_are_not_an_object() -> None:
    spec = calculators.spec("pain_relief")
    assert input_rows(spec, {"current_nrs": 3, "baseline_nrs": 8}) == [
        {"label": "Pain before the procedure", "text": "8"},
        {"label": "Pain now", "text": "3"},
    ]
    assert input_rows(spec, ["not", "an", "object"]) == []


def test_every_worked_example_has_a_deterministic_plain_json_view() -> None:
    for name in calculators.names():
        for example in calculators.spec(name)["examples"]:
            text = json.dumps(example["inputs"])
            view = json.loads(view_json(name, text))
            assert view == present(
                calculators.spec(name),
                example["inputs"],
                calculators.run(name, example["inputs"]),
                SITE_NAME,
            )
            assert view["ok"] and view["blocks"] and view["note"].endswith(NOTE_END)
            assert view_json(name, text, sort_keys=True) == json.dumps(view, sort_keys=True)


def test_the_browser_entry_points_answer_json_text_and_warm_up_runs() -> None:
    assert json.loads(run_json("odi", "{}")) == calculators.run("odi", {})
    assert json.loads(view_json("odi", "{}"))["ok"] is False
    warm_up("calculators", SITE_NAME)
