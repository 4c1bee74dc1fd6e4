"""next_step: the shared cases, one test per rule, every threshold edge, and rule 13's merge."""

from __future__ import annotations

import json
from typing import Any

import pytest
from calc_support import DATA, avoid, codes, errors, ok, plan, steps

import calculators

CASES = json.loads((DATA / "next_step_cases.json").read_text(encoding="utf-8"))
RULE_IDS = [rule["id"] for rule in calculators.spec("next_step")["rules"]]
EPIDURAL = {"last_injection": "epidural", "weeks_conservative_care": 10}
FACET = {"last_injection": "facet", "weeks_conservative_care": 10}
SURGERY = {"prior_spine_surgery": True}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_shared_case(case: dict[str, Any]) -> None:
    result = ok("next_step", case["inputs"])
    expect = case["expect"]
    planned, avoided = codes(result["steps"]), codes(result["avoid"])
    assert result["urgency"] == expect["urgency"]
    assert set(expect["steps_include"]) <= set(planned)
    assert not set(expect["steps_exclude"]) & set(planned)
    assert set(expect["avoid_include"]) <= set(avoided)


# (rule id, inputs on top of a radicular case 20 weeks from onset, steps it adds, avoids it adds)
RULE_CASES: list[tuple[str, dict[str, Any], set[str], set[str]]] = [
    ("red-flag", {"red_flags": ["cauda_equina"]}, {"emergency-assessment", "mri"}, set()),
    ("new-deficit", {"new_neuro_deficit": True}, {"urgent-specialist-referral", "mri"}, set()),
    ("disabling-pain", {"disabling": True}, set(), set()),
    ("stay-active", {}, {"active-physiotherapy"}, {"bed-rest"}),
    ("medicines-review", {}, {"non-opioid-medication"}, {"long-term-opioids"}),
    ("image-guidance", {}, set(), {"blind-injection"}),
    ("opioid-risk", {"opioid_risk": True}, {"opioid-risk-assessment"}, set()),
    ("trigger-points", {"myofascial_trigger_points": True}, {"trigger-point-injections"}, set()),
    ("first-referral-disabling", {"disabling": True}, {"specialist-referral-2-weeks"}, set()),
    ("first-referral", {}, {"specialist-referral"}, set()),
    ("first-imaging", {"weeks_conservative_care": 6}, {"mri"}, set()),
    ("no-early-imaging", {"weeks_conservative_care": 5}, set(), {"early-imaging"}),
    (
        "first-epidural",
        {"imaging": "concordant", "weeks_conservative_care": 6},
        {"image-guided-epidural"},
        set(),
    ),
    (
        "first-surgical-option",
        {"imaging": "concordant", "weeks_conservative_care": 6},
        {"surgical-referral", "image-guided-epidural"},
        {"fusion"},
    ),
    ("epidural-responder", {**EPIDURAL, "relief_pct": 50}, {"repeat-epidural", "follow-up"}, set()),
    (
        "epidural-limit",
        {**EPIDURAL, "relief_pct": 50, "epidurals_last_12_months": 4},
        {"pulsed-rf-drg"},
        {"repeat-epidural"},
    ),
    (
        "blind-epidural-failed",
        {**EPIDURAL, "relief_pct": 49, "last_injection_image_guided": False},
        {"image-guided-epidural"},
        set(),
    ),
    (
        "guided-epidural-failed",
        {**EPIDURAL, "relief_pct": 49, "imaging": "non_concordant"},
        {"reassess-pain-source"},
        {"repeat-epidural"},
    ),
    ("guided-epidural-failed-no-scan", {**EPIDURAL, "relief_pct": 49}, {"mri"}, set()),
    ("refractory-leg-pain", {**EPIDURAL, "relief_pct": 49}, {"pulsed-rf-drg"}, set()),
    (
        "refractory-surgical-option",
        {**EPIDURAL, "relief_pct": 49, "imaging": "concordant"},
        {"surgical-referral"},
        {"fusion"},
    ),
    (
        "axial-epidural-failed",
        {**EPIDURAL, "pain_pattern": "axial", "relief_pct": 49},
        {"reassess-pain-source"},
        {"repeat-epidural"},
    ),
    (
        "test-joint-source",
        {**EPIDURAL, "pain_pattern": "mixed", "relief_pct": 49},
        {"diagnostic-block"},
        set(),
    ),
    ("joint-injection-positive", {**FACET, "relief_pct": 80}, {"radiofrequency-ablation"}, set()),
    (
        "joint-injection-negative",
        {**FACET, "last_injection": "sacroiliac", "relief_pct": 79},
        {"reassess-pain-source"},
        {"repeat-joint-injection"},
    ),
    (
        "joint-injection-negative-matching-scan",
        {**FACET, "relief_pct": 79, "imaging": "concordant"},
        {"image-guided-epidural"},
        set(),
    ),
    ("joint-injection-negative-no-scan", {**FACET, "relief_pct": 79}, {"mri"}, set()),
    (
        "diagnostic-block-positive",
        {"diagnostic_block_relief_pct": 80},
        {"radiofrequency-ablation"},
        set(),
    ),
    (
        "diagnostic-block-negative",
        {"diagnostic_block_relief_pct": 79},
        set(),
        {"radiofrequency-ablation", "repeat-joint-injection"},
    ),
    ("post-surgery-imaging", {**SURGERY, **FACET, "relief_pct": 90}, {"mri"}, set()),
    ("post-surgery-psychology", SURGERY, {"psychological-support"}, set()),
    (
        "post-surgery-adhesiolysis",
        {**SURGERY, "epidural_scarring": True, "weeks_conservative_care": 12},
        {"adhesiolysis"},
        set(),
    ),
    ("post-surgery-scs-trial", {**SURGERY, **EPIDURAL, "relief_pct": 20}, {"scs-trial"}, set()),
    (
        "post-surgery-surgical-opinion",
        {**SURGERY, "instability": True},
        {"surgical-referral"},
        set(),
    ),
    ("scs-trial-success", {"scs_trial_relief_pct": 50}, {"scs-implant"}, set()),
    ("scs-trial-failure", {"scs_trial_relief_pct": 49}, set(), {"scs-implant"}),
    ("no-repeat-imaging", {"imaging": "concordant"}, set(), {"routine-repeat-imaging"}),
    ("no-fusion", {"imaging": "concordant", "weeks_conservative_care": 6}, set(), {"fusion"}),
]


@pytest.mark.parametrize(
    ("rule", "inputs", "added_steps", "added_avoid"), RULE_CASES, ids=[c[0] for c in RULE_CASES]
)
def test_rule(
    rule: str, inputs: dict[str, Any], added_steps: set[str], added_avoid: set[str]
) -> None:
    result = plan(**inputs)
    assert rule in result["trace"]
    assert added_steps <= set(codes(result["steps"]))
    assert added_avoid <= set(codes(result["avoid"]))


def test_every_rule_has_a_focused_test() -> None:
    assert sorted(RULE_IDS) == sorted(rule for rule, *_ in RULE_CASES)


@pytest.mark.parametrize(
    "flag",
    [
        "cauda_equina",
        "progressive_motor_deficit",
        "suspected_infection",
        "suspected_malignancy",
        "suspected_fracture",
    ],
)
def test_any_red_flag_stops_the_planner(flag: str) -> None:
    result = plan(
        red_flags=[flag], new_neuro_deficit=True, disabling=True, **EPIDURAL, relief_pct=90
    )
    assert result["urgency"] == "emergency"
    assert codes(result["steps"]) == ["emergency-assessment", "mri"]
    assert result["avoid"] == []
    assert result["trace"] == ["red-flag"]


@pytest.mark.parametrize(
    ("inputs", "urgency"),
    [
        ({}, "routine"),
        ({"disabling": True}, "soon"),
        ({"new_neuro_deficit": True}, "urgent"),
        ({"new_neuro_deficit": True, "disabling": True}, "urgent"),
    ],
)
def test_urgency(inputs: dict[str, Any], urgency: str) -> None:
    assert plan(**inputs)["urgency"] == urgency


# Threshold edges: the value just below and at each threshold.


def test_epidural_responder_edge_49_50() -> None:
    assert "repeat-epidural" in avoid(**EPIDURAL, relief_pct=49)
    assert "repeat-epidural" in steps(**EPIDURAL, relief_pct=50)


def test_epidural_frequency_edge_3_4() -> None:
    assert "repeat-epidural" in steps(**EPIDURAL, relief_pct=70, epidurals_last_12_months=3)
    at_limit = plan(**EPIDURAL, relief_pct=70, epidurals_last_12_months=4)
    assert "repeat-epidural" in codes(at_limit["avoid"])
    assert "repeat-epidural" not in codes(at_limit["steps"])
    assert "pulsed-rf-drg" in codes(at_limit["steps"])


@pytest.mark.parametrize("injection", ["facet", "sacroiliac"])
def test_joint_injection_edge_79_80(injection: str) -> None:
    below = plan(**{**FACET, "last_injection": injection, "relief_pct": 79})
    assert "radiofrequency-ablation" not in codes(below["steps"])
    assert "repeat-joint-injection" in codes(below["avoid"])
    assert "radiofrequency-ablation" in steps(
        **{**FACET, "last_injection": injection}, relief_pct=80
    )


def test_diagnostic_block_edge_79_80() -> None:
    assert "radiofrequency-ablation" in avoid(diagnostic_block_relief_pct=79)
    assert "radiofrequency-ablation" in steps(diagnostic_block_relief_pct=80)


def test_scs_trial_edge_49_50() -> None:
    assert "scs-implant" in avoid(scs_trial_relief_pct=49)
    assert "scs-implant" in steps(scs_trial_relief_pct=50)


def test_conservative_care_edge_5_6_weeks_for_imaging() -> None:
    early = plan(weeks_conservative_care=5)
    assert "mri" not in codes(early["steps"])
    assert "early-imaging" in codes(early["avoid"])
    assert "mri" in steps(weeks_conservative_care=6)


def test_conservative_care_edge_5_6_weeks_for_a_first_epidural() -> None:
    assert "image-guided-epidural" not in steps(imaging="concordant", weeks_conservative_care=5)
    assert "image-guided-epidural" in steps(imaging="concordant", weeks_conservative_care=6)
    assert "image-guided-epidural" in steps(
        imaging="concordant", weeks_conservative_care=0, disabling=True
    )


def test_persistence_edge_11_12_weeks_for_a_surgical_option() -> None:
    early = dict(imaging="concordant", weeks_conservative_care=6)
    assert "surgical-referral" not in steps(**early, weeks_since_onset=11)
    assert "surgical-referral" in steps(**early, weeks_since_onset=12)


def test_persistence_edge_11_12_weeks_after_a_failed_epidural() -> None:
    failed = {**EPIDURAL, "relief_pct": 10, "imaging": "concordant"}
    assert "surgical-referral" not in steps(**failed, weeks_since_onset=11)
    assert "surgical-referral" in steps(**failed, weeks_since_onset=12)
    assert "surgical-referral" in steps(**failed, weeks_since_onset=11, instability=True)


def test_adhesiolysis_edge_11_12_weeks_of_conservative_care() -> None:
    scarred = {**SURGERY, "epidural_scarring": True}
    assert "adhesiolysis" not in steps(**{**scarred, "weeks_conservative_care": 11})
    assert "adhesiolysis" in steps(**{**scarred, "weeks_conservative_care": 12})


# Conditions that keep a rule from firing.


def test_no_scs_trial_once_a_trial_result_is_known() -> None:
    assert "scs-trial" not in steps(**SURGERY, **EPIDURAL, relief_pct=20, scs_trial_relief_pct=30)


def test_scs_trial_after_surgery_once_the_epidural_limit_is_reached() -> None:
    assert "scs-trial" in steps(**SURGERY, **FACET, relief_pct=90, epidurals_last_12_months=4)


def test_no_diagnostic_block_once_a_block_result_is_known() -> None:
    mixed_failed = {**EPIDURAL, "pain_pattern": "mixed", "relief_pct": 10}
    assert "diagnostic-block" not in steps(**mixed_failed, diagnostic_block_relief_pct=30)


def test_blind_epidural_failure_is_not_refractory() -> None:
    result = plan(**EPIDURAL, relief_pct=10, last_injection_image_guided=False)
    assert "pulsed-rf-drg" not in codes(result["steps"])
    assert "repeat-epidural" not in codes(result["avoid"])


def test_axial_pain_gets_no_epidural_escalation() -> None:
    result = plan(**EPIDURAL, pain_pattern="axial", relief_pct=10, imaging="concordant")
    assert not {"pulsed-rf-drg", "surgical-referral", "mri"} & set(codes(result["steps"]))


def test_no_first_line_referral_for_axial_pain() -> None:
    assert not {"specialist-referral", "mri"} & set(steps(pain_pattern="axial"))


def test_instability_keeps_fusion_possible() -> None:
    assert "fusion" not in avoid(**SURGERY, instability=True)


def test_new_deficit_allows_repeat_imaging_of_a_matching_scan() -> None:
    result = plan(new_neuro_deficit=True, imaging="concordant")
    assert "mri" in codes(result["steps"])
    assert "routine-repeat-imaging" not in codes(result["avoid"])


# Rule 13: precedence, de-duplication, ordering.


def test_avoid_wins_over_a_step() -> None:
    result = plan(**FACET, relief_pct=90, diagnostic_block_relief_pct=50)
    assert {"joint-injection-positive", "diagnostic-block-negative"} <= set(result["trace"])
    assert "radiofrequency-ablation" not in codes(result["steps"])
    assert "radiofrequency-ablation" in codes(result["avoid"])


def test_a_planned_mri_removes_the_early_imaging_caution() -> None:
    result = plan(new_neuro_deficit=True, weeks_conservative_care=2)
    assert "no-early-imaging" in result["trace"]
    assert "mri" in codes(result["steps"])
    assert "early-imaging" not in codes(result["avoid"])


@pytest.mark.parametrize(
    ("inputs", "kept"),
    [
        ({"new_neuro_deficit": True, "disabling": True}, "urgent-specialist-referral"),
        ({"new_neuro_deficit": True}, "urgent-specialist-referral"),
        ({"disabling": True}, "specialist-referral-2-weeks"),
        ({}, "specialist-referral"),
    ],
)
def test_only_the_most_urgent_referral_is_kept(inputs: dict[str, Any], kept: str) -> None:
    referrals = {"urgent-specialist-referral", "specialist-referral-2-weeks", "specialist-referral"}
    assert referrals & set(steps(**inputs)) == {kept}


def test_steps_run_from_referrals_to_imaging_to_procedures_to_the_rest() -> None:
    result = plan(
        **SURGERY,
        **EPIDURAL,
        relief_pct=20,
        imaging="concordant",
        opioid_risk=True,
        myofascial_trigger_points=True,
        new_neuro_deficit=True,
    )
    assert codes(result["steps"]) == [
        "urgent-specialist-referral",
        "surgical-referral",
        "mri",
        "reassess-pain-source",
        "pulsed-rf-drg",
        "scs-trial",
        "trigger-point-injections",
        "active-physiotherapy",
        "non-opioid-medication",
        "psychological-support",
        "opioid-risk-assessment",
    ]


def test_a_code_added_by_two_rules_keeps_both_reasons_once_each_reference() -> None:
    mri = next(i for i in plan(**SURGERY)["steps"] if i["code"] == "mri")
    assert len(mri["why"]) == 2
    assert len(mri["refs"]) == len(set(mri["refs"]))


def test_item_shape_and_titles() -> None:
    titles = {entry["code"]: entry["title"] for entry in calculators.codes()}
    for item in plan(**EPIDURAL, relief_pct=60)["steps"]:
        assert set(item) == {"code", "title", "why", "refs"}
        assert item["title"] == titles[item["code"]]


def test_medicines_review_names_nsaids_first_and_the_gabapentinoid_disagreement() -> None:
    item = next(i for i in plan()["steps"] if i["code"] == "non-opioid-medication")
    reason = " ".join(item["why"])
    assert reason.index("NSAID") < reason.index("gabapentinoid")
    assert "NICE" in reason and "against" in reason
    assert "nice-ng59" in item["refs"]


def test_ablation_reason_explains_80_against_50() -> None:
    item = next(
        i for i in plan(**FACET, relief_pct=85)["steps"] if i["code"] == "radiofrequency-ablation"
    )
    assert "80 %" in item["why"][0] and "50 %" in item["why"][0]


@pytest.mark.parametrize(
    ("inputs", "start"),
    [
        ({"red_flags": ["suspected_fracture"]}, "Red flag"),
        ({"new_neuro_deficit": True}, "Urgent"),
        ({"disabling": True}, "Soon"),
        ({}, "Routine"),
    ],
)
def test_headline_is_one_sentence_led_by_the_urgency(inputs: dict[str, Any], start: str) -> None:
    headline = plan(**inputs)["headline"]
    assert headline.startswith(start)
    assert headline.count(". ") == 0 and headline.endswith(".")


# Cross-field errors: each names the field to fix.


def test_conservative_care_longer_than_the_episode_is_an_error() -> None:
    found = errors(
        "next_step", {"pain_pattern": "axial", "weeks_since_onset": 4, "weeks_conservative_care": 5}
    )
    assert list(found) == ["weeks_conservative_care"]


def test_conservative_care_equal_to_the_episode_is_fine() -> None:
    ok("next_step", {"pain_pattern": "axial", "weeks_since_onset": 4, "weeks_conservative_care": 4})


@pytest.mark.parametrize("injection", ["epidural", "facet", "sacroiliac"])
def test_relief_is_required_after_an_injection(injection: str) -> None:
    found = errors(
        "next_step", {"pain_pattern": "axial", "weeks_since_onset": 4, "last_injection": injection}
    )
    assert list(found) == ["relief_pct"]


def test_relief_without_an_injection_is_an_error() -> None:
    inputs = {"pain_pattern": "axial", "weeks_since_onset": 4, "relief_pct": 50}
    assert list(errors("next_step", inputs)) == ["relief_pct"]
    ok("next_step", {**inputs, "relief_pct": None})


def test_all_cross_field_errors_are_reported_together() -> None:
    inputs = {
        "pain_pattern": "axial",
        "weeks_since_onset": 4,
        "weeks_conservative_care": 9,
        "relief_pct": 5,
    }
    assert set(errors("next_step", inputs)) == {"weeks_conservative_care", "relief_pct"}
