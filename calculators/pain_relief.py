"""Percentage pain relief after a procedure, with the thresholds that decide what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import cast

from guidesite.kit.fields import Json, Number
from guidesite.kit.model import Calculator, Example, Output, Rule, Values
from guidesite.kit.numbers import exact, round1

REFS = ("ostelo2008", "cms-lcd-esi", "cms-lcd-facet")


@dataclass(frozen=True)
class Category:
    code: str
    below: int | None  # exclusive upper bound in %, None for the top category
    meaning: str
    when: str


# In order; a result falls in the first category whose bound it is below.
CATEGORIES = (
    Category(
        "worse",
        0,
        "Pain is worse than before: the procedure has not helped, so reassess before "
        "planning anything further.",
        "pain is higher than at baseline",
    ),
    Category(
        "none",
        30,
        "Under 30 %: no meaningful response (30 % is about the smallest change patients notice).",
        "relief from 0 to under 30 %",
    ),
    Category(
        "partial",
        50,
        "30 to under 50 %: a change patients notice, but short of the 50 % needed before an "
        "epidural is repeated.",
        "relief from 30 to under 50 %",
    ),
    Category(
        "responder",
        80,
        "50 to under 80 %: a responder, enough to justify repeating a therapeutic epidural, but "
        "below the 80 % that US payer criteria require from a diagnostic block before "
        "radiofrequency ablation.",
        "relief from 50 to under 80 %",
    ),
    Category(
        "block_positive",
        None,
        "80 % or more: a positive diagnostic block by US payer criteria, which supports "
        "radiofrequency ablation (some NHS policies accept 50 %).",
        "relief of 80 % or more",
    ),
)

INPUTS = (
    Number(
        name="baseline_nrs",
        label="Pain before the procedure",
        help=(
            "The index pain on a 0-10 scale (or VAS in mm divided by 10). At least 0.1: "
            "relief cannot be measured from no pain."
        ),
        required=True,
        # The smallest step of the scales (1 mm of VAS); also keeps the percentage finite.
        min=0.1,
        max=10,
    ),
    Number(
        name="current_nrs",
        label="Pain now",
        help="The same pain on the same 0-10 scale, at its best since the procedure.",
        required=True,
        min=0,
        max=10,
    ),
)


def category_for(relief_pct: Fraction) -> Category:
    """Judged on the exact value, so 79.99 is a responder and 80 is block-positive."""
    return next(c for c in CATEGORIES if c.below is None or relief_pct < c.below)


def compute(values: Values) -> dict[str, Json]:
    baseline = exact(cast(float, values["baseline_nrs"]))
    current = exact(cast(float, values["current_nrs"]))
    relief = (baseline - current) / baseline * 100
    category = category_for(relief)
    return {
        "relief_pct": round1(relief),
        "category": category.code,
        "interpretation": category.meaning,
    }


CALCULATOR = Calculator(
    name="pain_relief",
    title="Pain relief after a procedure",
    summary="Percentage relief from a pain score before and after an injection or block.",
    inputs=INPUTS,
    outputs=(
        Output(
            "relief_pct",
            "Relief",
            "Percentage relief, one decimal; negative when pain is worse.",
            unit="%",
        ),
        Output("category", "Category", "worse, none, partial, responder or block_positive."),
        Output("interpretation", "What it means", "What the threshold reached allows next."),
    ),
    references=REFS,
    rules=(
        Rule(
            id="relief",
            when="always",
            why="Relief = (pain before - pain now) / pain before x 100, on the same 0-10 scale.",
            refs=("ostelo2008",),
        ),
        *(
            Rule(id=category.code, when=category.when, why=category.meaning, refs=REFS)
            for category in CATEGORIES
        ),
    ),
    examples=(
        Example(
            "Half the pain gone",
            {"baseline_nrs": 8, "current_nrs": 4},
            {"relief_pct": 50.0, "category": "responder"},
        ),
        Example(
            "Exactly 80 % after a diagnostic block",
            {"baseline_nrs": 8, "current_nrs": 1.6},
            {"relief_pct": 80.0, "category": "block_positive"},
        ),
        Example(
            "Small change",
            {"baseline_nrs": 7, "current_nrs": 5},
            {"relief_pct": 28.6, "category": "none"},
        ),
        Example(
            "Pain worse after the injection",
            {"baseline_nrs": 6, "current_nrs": 7},
            {"relief_pct": -16.7, "category": "worse"},
        ),
    ),
    compute=compute,
)
