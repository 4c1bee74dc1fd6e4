"""Property tests: `run` is total, honest about errors, deterministic, and plans stay coherent."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

from calc_support import bibliography_keys, codes
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_claims import DEFAULTS, contradicted, sentences

import calculators

NAMES = calculators.names()
VOCABULARY = {entry["code"]: entry for entry in calculators.codes()}
RULE_IDS = {rule["id"] for rule in calculators.spec("next_step")["rules"]}
BIBLIOGRAPHY = bibliography_keys()
REFERRALS = {"urgent-specialist-referral", "specialist-referral-2-weeks", "specialist-referral"}

# Anything json.loads (or Pyodide's conversion of a JS object) can produce, and then some:
# NaN, infinities and integers far beyond 64 bits.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()
    | st.text(max_size=20)
)
JSON_LIKE = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=30,
)


def valid_value(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the FIELD declaration allows, built from spec() alone."""
    kind = field["type"]
    if kind == "integer":
        values = st.integers(field["min"], field["max"])
    elif kind == "number":
        low, high = field["min"], field["max"]
        values = st.integers(math.ceil(low), math.floor(high)) | st.floats(low, high)
    elif kind == "boolean":
        values = st.booleans()
    elif kind == "choice":
        values = st.sampled_from([c["value"] for c in field["choices"]])
    elif kind == "multi_choice":
        values = st.lists(st.sampled_from([c["value"] for c in field["choices"]]), unique=True)
    elif kind == "tuple":
        values = st.tuples(*(valid_value(item) for item in field["items"])).map(list)
    else:
        values = st.lists(
            object_of(field["fields"]), min_size=field["min_items"], max_size=field["max_items"]
        )
    return st.none() | values if field["nullable"] else values


def object_of(
    fields: list[dict[str, Any]], junk: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with the required fields and some optional ones; `junk` mixes in any JSON."""

    def value(field: dict[str, Any]) -> st.SearchStrategy[Any]:
        return valid_value(field) | JSON_LIKE if junk else valid_value(field)

    return st.fixed_dictionaries(
        {f["name"]: value(f) for f in fields if f["required"]},
        optional={f["name"]: value(f) for f in fields if not f["required"]},
    )


def inputs_for(name: str, junk: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    return object_of(calculators.spec(name)["inputs"], junk)


def check_contract(name: Any, inputs: Any) -> dict[str, Any]:
    """The invariants every answer keeps; returns the answer for further checks."""
    before = copy.deepcopy(inputs)
    answer = calculators.run(name, inputs)
    assert inputs == before or inputs != inputs  # NaN never equals itself
    text = json.dumps(answer, sort_keys=True, allow_nan=False)
    assert json.dumps(calculators.run(name, inputs), sort_keys=True, allow_nan=False) == text
    assert json.loads(text) == answer
    if answer["ok"] is True:
        assert set(answer) == {"ok", "result"}
    else:
        assert answer["ok"] is False
        assert set(answer) == {"ok", "errors"}
        assert answer["errors"]
        for error in answer["errors"]:
            assert set(error) == {"field", "message"}
            assert error["field"] is None or isinstance(error["field"], str)
            assert isinstance(error["message"], str) and error["message"].endswith(".")
    return answer


@given(name=st.sampled_from(NAMES) | st.text(max_size=12) | JSON_LIKE, inputs=JSON_LIKE)
def test_any_json_gives_an_answer_never_an_exception(name: Any, inputs: Any) -> None:
    check_contract(name, inputs)


@given(data=st.data())
@settings(max_examples=300)
def test_spec_shaped_inputs_with_junk_values_give_an_answer(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(NAMES))
    inputs = data.draw(inputs_for(name, junk=True))
    extra = data.draw(st.dictionaries(st.text(max_size=8), JSON_LIKE, max_size=2))
    check_contract(name, {**extra, **inputs})


@given(data=st.data())
@settings(max_examples=300)
def test_valid_scores_give_results(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["odi", "start_back", "pain_relief", "mme"]))
    inputs = data.draw(inputs_for(name))
    answer = check_contract(name, inputs)
    if name == "odi" and inputs["items"].count(None) > 2:
        assert [e["field"] for e in answer["errors"]] == ["items"]
    else:
        assert answer["ok"], answer


def consistent(inputs: dict[str, Any]) -> dict[str, Any]:
    """Repair the cross-field constraints so a generated next_step case is valid."""
    fixed = dict(inputs)
    care = fixed.get("weeks_conservative_care", 0)
    fixed["weeks_conservative_care"] = min(care, fixed["weeks_since_onset"])
    if fixed.get("last_injection", "none") != "none":
        fixed["relief_pct"] = fixed.get("relief_pct") or 0
    else:
        fixed.update(relief_pct=None, relief_weeks=None, epidurals_last_12_months=0)
    return fixed


# Written from clinical-rules.md, not imported from the planner.
PROCEDURES = {
    "image-guided-epidural",
    "repeat-epidural",
    "diagnostic-block",
    "radiofrequency-ablation",
    "pulsed-rf-drg",
    "adhesiolysis",
    "scs-trial",
    "scs-implant",
    "trigger-point-injections",
    "surgical-referral",
    "follow-up",
}
EMERGENCY_FLAGS = {
    "cauda_equina",
    "severe_motor_deficit",
    "progressive_motor_deficit",
    "suspected_infection",
}
PLANS = inputs_for("next_step").map(consistent)
# Rule 15's order of steps and later items, written out as the rules text lists it.
RULE_15_ORDER = [
    "emergency-assessment",
    "urgent-specialist-referral",
    "specialist-referral-2-weeks",
    "specialist-referral",
    "mri",
    "reassess-pain-source",
    "image-guided-epidural",
    "repeat-epidural",
    "follow-up",
    "diagnostic-block",
    "radiofrequency-ablation",
    "pulsed-rf-drg",
    "adhesiolysis",
    "scs-trial",
    "scs-implant",
    "surgical-referral",
    "trigger-point-injections",
    "active-physiotherapy",
    "non-opioid-medication",
    "psychological-support",
    "opioid-risk-assessment",
]
NEED_A_SCAN = {
    "image-guided-epidural",
    "repeat-epidural",
    "pulsed-rf-drg",
    "adhesiolysis",
    "scs-trial",
    "scs-implant",
}
COUNTED = NEED_A_SCAN | {"diagnostic-block", "radiofrequency-ablation"}
EPIDURALS = {"image-guided-epidural", "repeat-epidural"}


def plan_of(inputs: dict[str, Any]) -> dict[str, Any]:
    answer = check_contract("next_step", inputs)
    assert answer["ok"], answer
    result: dict[str, Any] = answer["result"]
    return result


def items_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [*result["steps"], *result["later"], *result["avoid"]]


@given(inputs=PLANS)
@settings(max_examples=500)
def test_next_step_plans_are_coherent(inputs: dict[str, Any]) -> None:
    result = plan_of(inputs)
    planned, waiting, avoided = (codes(result[p]) for p in ("steps", "later", "avoid"))
    assert result["urgency"] in ("emergency", "urgent", "soon", "routine")
    assert planned, "a plan always says what to do now"
    assert result["headline"].endswith(".") and ". " not in result["headline"]
    assert len(REFERRALS & set(planned)) <= 1
    for place in ("steps", "later"):
        ranks = [RULE_15_ORDER.index(code) for code in codes(result[place])]
        assert ranks == sorted(ranks)
        for item in result[place]:
            assert VOCABULARY[item["code"]]["kind"] == "step"
            assert item["strength"] == VOCABULARY[item["code"]]["strength"]
            assert item["strength"] in ("offer", "consider")
    assert all("strength" not in item for item in result["avoid"])
    assert result["trace"] and set(result["trace"]) <= RULE_IDS
    assert len(planned + waiting + avoided) == len(set(planned + waiting + avoided))


@given(inputs=PLANS)
@settings(max_examples=500)
def test_an_emergency_plan_is_exactly_assessment_then_mri(inputs: dict[str, Any]) -> None:
    result = plan_of(inputs)
    flags = set(inputs.get("red_flags", []))
    serious = bool(flags & {"suspected_malignancy", "suspected_fracture"})
    leg_pain = inputs["pain_pattern"] in ("radicular", "mixed")
    emergency = (
        bool(flags & EMERGENCY_FLAGS)
        or (serious and bool(inputs.get("new_neuro_deficit")))
        or ("suspected_malignancy" in flags and leg_pain)
    )
    assert (result["urgency"] == "emergency") == emergency
    if emergency:
        assert codes(result["steps"]) == ["emergency-assessment", "mri"]
        assert result["later"] == [] and result["avoid"] == []
        # Any emergency with suspected metastases is treated as MSCC (rule 1).
        mscc = "suspected_malignancy" in flags
        assert ("MSCC coordinator" in " ".join(result["steps"][0]["why"])) == mscc
        assert ("within 24 hours" in " ".join(result["steps"][1]["why"])) == mscc
    elif serious:
        assert result["urgency"] == "urgent"
        assert codes(result["steps"]) == ["urgent-specialist-referral", "mri"]
        assert result["later"] == [] and result["avoid"] == []
    else:
        assert "emergency-assessment" not in codes(result["steps"])


@given(inputs=PLANS, missing=st.sampled_from(["weeks_since_onset", "pain_pattern"]))
@settings(max_examples=500)
def test_the_emergency_alert_of_an_incomplete_form_agrees_with_the_plan(
    inputs: dict[str, Any], missing: str
) -> None:
    """With a required answer taken away there is no plan, but an emergency flag is said
    at once: exactly when the complete form's plan is an emergency, except that suspected
    cancer needs the pain pattern to tell an emergency from an urgent referral."""
    emergency = plan_of(inputs)["urgency"] == "emergency"
    partial = {key: value for key, value in inputs.items() if key != missing}
    answer = check_contract("next_step", partial)
    assert not answer["ok"]
    alerts = [error["message"] for error in answer["errors"] if error["field"] is None]
    assert all(alert.startswith("Emergency:") for alert in alerts) and len(alerts) <= 1
    flags = set(inputs.get("red_flags", []))
    undecided = missing == "pain_pattern" and not flags & EMERGENCY_FLAGS
    if undecided and "suspected_malignancy" in flags and not inputs.get("new_neuro_deficit"):
        assert not alerts
    else:
        assert bool(alerts) == emergency


@given(inputs=PLANS.map(lambda i: {**i, "new_neuro_deficit": True}))
@settings(max_examples=300)
def test_with_a_new_deficit_no_procedure_is_done_now(inputs: dict[str, Any]) -> None:
    result = plan_of(inputs)
    assert not PROCEDURES & set(codes(result["steps"]))
    if result["urgency"] != "emergency":
        assert result["urgency"] == "urgent"
        assert codes(result["steps"])[:2] == ["urgent-specialist-referral", "mri"]


@given(inputs=PLANS)
@settings(max_examples=500)
def test_every_later_item_has_its_condition(inputs: dict[str, Any]) -> None:
    for item in plan_of(inputs)["later"]:
        assert isinstance(item["when"], str) and item["when"].endswith(".")
        assert item["when"][0].isupper()


@given(inputs=PLANS)
@settings(max_examples=500)
def test_no_sentence_of_a_reason_repeats_in_another_item(inputs: dict[str, Any]) -> None:
    seen: dict[str, str] = {}
    for item in items_of(plan_of(inputs)):
        own = [sentence for why in item["why"] for sentence in sentences(why)]
        assert len(own) == len(set(own)), (item["code"], own)
        for sentence in own:
            assert seen.setdefault(sentence, item["code"]) == item["code"], sentence


@given(inputs=PLANS)
@settings(max_examples=500)
def test_no_reason_states_a_fact_the_inputs_contradict(inputs: dict[str, Any]) -> None:
    for item in items_of(plan_of(inputs)):
        for why in item["why"]:
            assert contradicted(inputs, why) == [], (item["code"], why)


@given(inputs=PLANS)
@settings(max_examples=300)
def test_every_item_cites_sources_that_exist(inputs: dict[str, Any]) -> None:
    for item in items_of(plan_of(inputs)):
        assert item["refs"] and set(item["refs"]) <= BIBLIOGRAPHY
        assert item["why"] and all(item["why"])


def full(inputs: dict[str, Any]) -> dict[str, Any]:
    return DEFAULTS | inputs


def only_at_the_limit(i: dict[str, Any]) -> bool:
    """Leg pain for which an epidural would be next, held back by the yearly limit alone:
    after an epidural that helped and lasted, after a blind one that failed (with a scan
    that does not rule out a target), or after a failed joint injection with a matching scan."""
    if i["pain_pattern"] == "axial" or i["epidurals_last_12_months"] < 4:
        return False
    relief = i["relief_pct"] or 0
    lasted = i["relief_weeks"] is None or i["relief_weeks"] >= 2
    if i["last_injection"] == "epidural":
        responder = relief >= 50 and lasted
        blind_failure = relief < 50 and not i["last_injection_image_guided"]
        return responder or (blind_failure and i["imaging"] != "non_concordant")
    joint = i["last_injection"] in ("facet", "sacroiliac")
    return joint and relief < 80 and i["imaging"] == "concordant"


def case_and_plan(inputs: dict[str, Any]) -> tuple[dict[str, Any], set[str], set[str]]:
    """The inputs with their defaults, and the codes in steps and in later."""
    result = plan_of(inputs)
    return full(inputs), set(codes(result["steps"])), set(codes(result["later"]))


@given(inputs=PLANS)
@settings(max_examples=400)
def test_no_procedure_before_the_scan(inputs: dict[str, Any]) -> None:
    i, planned, _ = case_and_plan(inputs)
    if "mri" in planned:
        assert not planned & PROCEDURES
    if i["imaging"] == "none":
        assert not planned & NEED_A_SCAN


@given(inputs=PLANS)
@settings(max_examples=400)
def test_one_procedure_at_a_time(inputs: dict[str, Any]) -> None:
    _, planned, _ = case_and_plan(inputs)
    assert len(planned & COUNTED) <= 1
    if "follow-up" in planned:
        assert planned & EPIDURALS


@given(inputs=PLANS)
@settings(max_examples=400)
def test_no_procedure_now_for_mild_or_unscored_pain(inputs: dict[str, Any]) -> None:
    i, planned, _ = case_and_plan(inputs)
    pain = i["current_pain_nrs"]
    if pain is not None and pain < 5:
        assert not planned & EPIDURALS
    if pain is None or pain < 5:
        assert not planned & (COUNTED - EPIDURALS)


@given(inputs=PLANS)
@settings(max_examples=400)
def test_no_epidural_or_stimulator_for_back_pain_alone(inputs: dict[str, Any]) -> None:
    i, planned, waiting = case_and_plan(inputs)
    if i["pain_pattern"] == "axial":
        assert not (planned | waiting) & (EPIDURALS | {"scs-trial", "scs-implant"})


@given(inputs=PLANS)
@settings(max_examples=400)
def test_at_the_limit_is_not_refractory(inputs: dict[str, Any]) -> None:
    i, planned, waiting = case_and_plan(inputs)
    if only_at_the_limit(i):
        assert not (planned | waiting) & {"pulsed-rf-drg", "scs-trial"}


@given(inputs=PLANS)
@settings(max_examples=400)
def test_implant_and_denervation_only_inside_their_gates(inputs: dict[str, Any]) -> None:
    i, planned, _ = case_and_plan(inputs)
    pain = i["current_pain_nrs"]
    if "scs-implant" in planned:
        assert (i["scs_trial_relief_pct"] or 0) >= 50 and i["weeks_conservative_care"] >= 26
        assert pain is not None and pain >= 5 and i["pain_pattern"] != "axial"
    if "radiofrequency-ablation" in planned:
        assert (i["diagnostic_block_relief_pct"] or 0) >= 80
        assert i["pain_pattern"] != "radicular" and i["last_injection"] != "sacroiliac"
        assert i["weeks_since_onset"] >= 12 and i["weeks_conservative_care"] >= 6
        assert pain is not None and pain >= 5


@given(inputs=PLANS)
@settings(max_examples=300)
def test_soon_before_any_injection_comes_with_a_referral(inputs: dict[str, Any]) -> None:
    result = plan_of(inputs)
    if result["urgency"] == "soon" and full(inputs)["last_injection"] == "none":
        assert REFERRALS & set(codes(result["steps"]))


@given(inputs=PLANS)
@settings(max_examples=300)
def test_a_later_item_asks_for_a_missing_pain_score(inputs: dict[str, Any]) -> None:
    pain = full(inputs)["current_pain_nrs"]
    for item in plan_of(inputs)["later"]:
        asks = "record the pain score" in item["when"].lower()
        assert (item["record"] == "current_pain_nrs") == asks
        assert not asks or pain is None
