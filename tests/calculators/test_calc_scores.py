"""ODI, STarT Back, pain relief and MME: every band edge, factor and scoring rule."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from calc_support import errors, ok

import calculators
from calculators import mme, odi

# ODI


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (Fraction(0), "minimal"),
        (Fraction(20), "minimal"),
        (Fraction(201, 10), "moderate"),
        (Fraction(40), "moderate"),
        (Fraction(401, 10), "severe"),
        (Fraction(60), "severe"),
        (Fraction(601, 10), "crippling"),
        (Fraction(80), "crippling"),
        (Fraction(801, 10), "bed_bound"),
        (Fraction(100), "bed_bound"),
    ],
)
def test_odi_band_edges_are_inclusive_upper_bounds(score: Fraction, band: str) -> None:
    assert odi.band_for(score).code == band


@pytest.mark.parametrize(
    ("items", "score", "band"),
    [
        ([1] * 10, 20.0, "minimal"),
        ([1] * 9 + [2], 22.0, "moderate"),
        ([2] * 10, 40.0, "moderate"),
        ([2] * 9 + [3], 42.0, "severe"),
        ([3] * 10, 60.0, "severe"),
        ([3] * 9 + [4], 62.0, "crippling"),
        ([4] * 10, 80.0, "crippling"),
        ([4] * 9 + [5], 82.0, "bed_bound"),
        ([5] * 10, 100.0, "bed_bound"),
        ([0] * 10, 0.0, "minimal"),
        # 8 answered: each point is 2.5 %; 9 answered: 20/9 % a point, rounded for display.
        ([1] * 8 + [None, None], 20.0, "minimal"),
        ([2] + [1] * 7 + [None, None], 22.5, "moderate"),
        ([1] * 9 + [None], 20.0, "minimal"),
        ([2] + [1] * 8 + [None], 22.2, "moderate"),
    ],
)
def test_odi_scores(items: list[int | None], score: float, band: str) -> None:
    result = ok("odi", {"items": items})
    assert (result["score_pct"], result["band"]) == (score, band)
    assert result["answered"] == sum(item is not None for item in items)


def test_odi_crippling_band_is_worded_respectfully() -> None:
    result = ok("odi", {"items": [4] * 10})
    assert result["interpretation"].startswith("Very severe disability")


def test_odi_two_empty_sections_are_allowed_three_are_not() -> None:
    ok("odi", {"items": [3] * 8 + [None, None]})
    found = errors("odi", {"items": [3] * 7 + [None, None, None]})
    assert list(found) == ["items"]
    assert "3 of the 10" in found["items"]


@pytest.mark.parametrize(
    ("entry", "accepted"),
    [
        (0, True),
        (5, True),
        (5.0, True),
        (-1, False),
        (6, False),
        (2.5, False),
        (True, False),
        ("3", False),
    ],
)
def test_odi_section_values(entry: Any, accepted: bool) -> None:
    answer = ok if accepted else errors
    result = answer("odi", {"items": [entry] + [0] * 9})
    if not accepted:
        assert list(result) == ["items.0"]


@pytest.mark.parametrize("length", [0, 9, 11])
def test_odi_needs_exactly_ten_sections(length: int) -> None:
    assert list(errors("odi", {"items": [1] * length})) == ["items"]


def test_odi_labels_are_the_section_names_only() -> None:
    from calculators import spec

    labels = [item["label"] for item in spec("odi")["inputs"][0]["items"]]
    assert labels[0] == "Section 1: Pain intensity"
    assert labels[7] == "Section 8: Sex life (if applicable)"
    assert labels[9] == "Section 10: Travelling"


# STarT Back

NO = [False] * 8


def start_back(agree: set[int], bother: str = "not_at_all") -> dict[str, Any]:
    """Run STarT Back with the given item numbers (1-8) agreed."""
    return ok("start_back", {"items": [i + 1 in agree for i in range(8)] + [bother]})


@pytest.mark.parametrize(
    ("agree", "bother", "total", "psychosocial", "risk"),
    [
        (set(), "not_at_all", 0, 0, "low"),
        ({1, 2, 3}, "not_at_all", 3, 0, "low"),
        ({5, 6, 7}, "not_at_all", 3, 3, "low"),
        ({5, 6}, "extremely", 3, 3, "low"),
        ({1, 2, 3, 4}, "moderately", 4, 0, "medium"),
        ({1, 5, 6, 7}, "slightly", 4, 3, "medium"),
        ({5, 6, 7, 8}, "not_at_all", 4, 4, "high"),
        ({1, 5, 6, 7}, "very_much", 5, 4, "high"),
        (set(range(1, 9)), "extremely", 9, 5, "high"),
    ],
)
def test_start_back_groups(
    agree: set[int], bother: str, total: int, psychosocial: int, risk: str
) -> None:
    result = start_back(agree, bother)
    assert (result["total"], result["psychosocial"], result["risk"]) == (total, psychosocial, risk)


@pytest.mark.parametrize(
    ("bother", "point"),
    [("not_at_all", 0), ("slightly", 0), ("moderately", 0), ("very_much", 1), ("extremely", 1)],
)
def test_start_back_item_9_scores_only_the_top_two_answers(bother: str, point: int) -> None:
    result = start_back(set(), bother)
    assert result["total"] == result["psychosocial"] == point


def test_start_back_items_must_be_answered_in_kind() -> None:
    found = errors("start_back", {"items": [1, None, *NO[2:], True]})
    assert set(found) == {"items.0", "items.1", "items.8"}


# Pain relief


@pytest.mark.parametrize(
    ("baseline", "current", "relief", "category"),
    [
        (6, 7, -16.7, "worse"),
        (10, 10.0, 0.0, "none"),
        (10, 7.1, 29.0, "none"),
        (10, 7, 30.0, "partial"),
        (10, 5.1, 49.0, "partial"),
        (10, 5, 50.0, "responder"),
        (10, 2.1, 79.0, "responder"),
        (10, 2, 80.0, "block_positive"),
        (3, 0.6, 80.0, "block_positive"),
        (8, 0, 100.0, "block_positive"),
        (0.3, 0.1, 66.7, "responder"),
    ],
)
def test_pain_relief_category_edges(
    baseline: float, current: float, relief: float, category: str
) -> None:
    result = ok("pain_relief", {"baseline_nrs": baseline, "current_nrs": current})
    assert (result["relief_pct"], result["category"]) == (relief, category)


def test_pain_relief_judges_the_unrounded_value() -> None:
    # 79.96 % shows as 80.0 but is not a positive block.
    result = ok("pain_relief", {"baseline_nrs": 10, "current_nrs": 2.004})
    assert (result["relief_pct"], result["category"]) == (80.0, "responder")


def test_pain_relief_rounds_halves_away_from_zero() -> None:
    assert ok("pain_relief", {"baseline_nrs": 8, "current_nrs": 7.996})["relief_pct"] == 0.1
    assert ok("pain_relief", {"baseline_nrs": 8, "current_nrs": 8.004})["relief_pct"] == -0.1


@pytest.mark.parametrize("baseline", [0, 0.09, 2.2250738585e-313])
def test_pain_relief_baseline_below_0_1_is_an_error(baseline: float) -> None:
    found = errors("pain_relief", {"baseline_nrs": baseline, "current_nrs": 0})
    assert found == {"baseline_nrs": "Pain before the procedure: must be a number from 0.1 to 10."}


def test_pain_relief_smallest_baseline_keeps_the_percentage_finite() -> None:
    result = ok("pain_relief", {"baseline_nrs": 0.1, "current_nrs": 10})
    assert (result["relief_pct"], result["category"]) == (-9900.0, "worse")


@pytest.mark.parametrize(
    "value", [-0.1, 10.1, float("nan"), float("inf"), True, "5", None, 10**400]
)
def test_pain_relief_scores_must_be_numbers_from_0_to_10(value: Any) -> None:
    assert list(errors("pain_relief", {"baseline_nrs": 5, "current_nrs": value})) == ["current_nrs"]


# MME


@pytest.mark.parametrize(
    ("drug", "mme_per_100"),
    [
        ("codeine", 15.0),
        ("dihydrocodeine", 25.0),
        ("fentanyl_transdermal", 240.0),
        ("hydrocodone", 100.0),
        ("hydromorphone", 500.0),
        ("methadone", 470.0),
        ("morphine", 100.0),
        ("oxycodone", 150.0),
        ("oxymorphone", 300.0),
        ("tapentadol", 40.0),
        ("tramadol", 20.0),
    ],
)
def test_mme_factor(drug: str, mme_per_100: float) -> None:
    result = ok("mme", {"medications": [{"drug": drug, "daily_dose": 100}]})
    assert result["total_mme"] == result["rows"][0]["mme"] == mme_per_100


def test_mme_factors_cover_exactly_the_cdc_list() -> None:
    assert len(mme.DRUGS) == 11
    assert [d.code for d in mme.DRUGS if d.unit != mme.MG] == ["fentanyl_transdermal"]


@pytest.mark.parametrize(
    ("dose", "level"),
    [(0, "below_50"), (49.9, "below_50"), (50, "50_to_89"), (89.9, "50_to_89"), (90, "90_or_more")],
)
def test_mme_level_edges(dose: float, level: str) -> None:
    assert ok("mme", {"medications": [{"drug": "morphine", "daily_dose": dose}]})["level"] == level


def test_mme_level_is_judged_before_rounding() -> None:
    result = ok("mme", {"medications": [{"drug": "morphine", "daily_dose": 89.96}]})
    assert (result["total_mme"], result["level"]) == (90.0, "50_to_89")


def test_mme_sums_rows_exactly() -> None:
    # 0.1 + 0.2 in binary is not 0.3; the exact sum of the decimals is.
    meds = [{"drug": "morphine", "daily_dose": 0.1}, {"drug": "morphine", "daily_dose": 0.2}]
    assert ok("mme", {"medications": meds})["total_mme"] == 0.3


def test_mme_interpretation_gives_both_cdc_views_and_the_conversion_warning() -> None:
    text = ok("mme", {"medications": [{"drug": "morphine", "daily_dose": 95}]})["interpretation"]
    assert "2016" in text and "2022" in text
    assert "not a table for switching" in text


def test_mme_warns_about_methadone_and_fentanyl_only_when_present() -> None:
    assert (
        "Methadone"
        in ok("mme", {"medications": [{"drug": "methadone", "daily_dose": 5}]})["interpretation"]
    )
    assert (
        "Methadone"
        not in ok("mme", {"medications": [{"drug": "codeine", "daily_dose": 5}]})["interpretation"]
    )


def test_mme_each_factor_names_its_own_source() -> None:
    rules = {rule["id"]: rule for rule in calculators.spec("mme")["rules"]}
    for drug in mme.DRUGS:
        rule = rules[f"factor-{drug.code}"]
        if drug.code == "dihydrocodeine":
            # Not a CDC 2022 factor: the US CMS table, with the lower UK figure beside it.
            assert rule["refs"] == ["cms-mme", "fpm-opioids-aware"]
            assert all(words in rule["why"] for words in ("CMS", "0.1", "CDC 2022 gives none"))
        else:
            assert rule["refs"] == ["cdc2022"]
            assert "CDC 2022" in rule["why"]


@pytest.mark.parametrize("name", ["buprenorphine", "Buprenorphine", " buprenorphine "])
def test_mme_buprenorphine_is_refused_with_the_reason(name: str) -> None:
    found = errors("mme", {"medications": [{"drug": name, "daily_dose": 10}]})
    assert list(found) == ["medications.0.drug"]
    assert "left out on purpose" in found["medications.0.drug"]
    assert "overdose risk" in found["medications.0.drug"]


def test_mme_result_flags_the_us_dihydrocodeine_factor_only_when_present() -> None:
    with_it = ok("mme", {"medications": [{"drug": "dihydrocodeine", "daily_dose": 120}]})
    assert "UK tables use about 0.1" in with_it["interpretation"]
    without = ok("mme", {"medications": [{"drug": "codeine", "daily_dose": 120}]})
    assert "dihydrocodeine" not in without["interpretation"].lower()


def test_mme_unknown_drug_lists_the_known_ones() -> None:
    found = errors("mme", {"medications": [{"drug": "heroin", "daily_dose": 10}]})
    assert list(found) == ["medications.0.drug"]
    assert all(drug.code in found["medications.0.drug"] for drug in mme.DRUGS)


def test_mme_entry_errors_are_dotted_paths() -> None:
    meds = [
        {"drug": "morphine", "daily_dose": 10},
        {"drug": "morphine"},
        {"daily_dose": -1, "route": "oral"},
        7,
    ]
    found = errors("mme", {"medications": meds})
    assert set(found) == {
        "medications.1.daily_dose",
        "medications.2.drug",
        "medications.2.daily_dose",
        "medications.2.route",
        "medications.3",
    }


@pytest.mark.parametrize(
    "medications", [[], [{"drug": "morphine", "daily_dose": 1}] * 21, "morphine"]
)
def test_mme_needs_1_to_20_entries(medications: Any) -> None:
    assert list(errors("mme", {"medications": medications})) == ["medications"]
