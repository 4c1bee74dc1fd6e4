"""Keele STarT Back screening tool: low, medium or high risk of persistent disabling pain.

Item labels are short paraphrases; the tool's own wording is copyright Keele University
and is not reproduced. Items refer to the last 2 weeks.
"""

from __future__ import annotations

from typing import cast

from guidesite.kit.fields import Boolean, Choice, Json, Option, Tuple
from guidesite.kit.model import Calculator, Example, Output, Rule, Values

AGREE_ITEMS = (
    "Back pain has spread down a leg",
    "Also had shoulder or neck pain",
    "Walked only short distances because of back pain",
    "Dressed more slowly than usual because of back pain",
    "Feels physical activity is not really safe",
    "Worrying thoughts much of the time",
    "Feels the pain is terrible and will not improve",
    "Has stopped enjoying usual pleasures",
)
BOTHER_SCORING = frozenset({"very_much", "extremely"})
PSYCHOSOCIAL_FROM = 4  # items 5-9 (positions 4-8) form the distress subscale
LOW_MAX_TOTAL = 3
HIGH_MIN_PSYCHOSOCIAL = 4
REFS = ("hill2008", "nice-ng59")

MEANING = {
    "low": (
        "Low risk of persistent disabling pain: reassurance, advice to keep active and "
        "support for self-management are usually enough."
    ),
    "medium": (
        "Medium risk: physical problems dominate; offer an exercise programme, with or "
        "without manual therapy."
    ),
    "high": (
        "High risk: psychological factors weigh heavily; offer exercise-based care delivered "
        "with a psychologically informed approach, such as CBT principles."
    ),
}

INPUTS = (
    Tuple(
        name="items",
        label="STarT Back answers",
        help=(
            "The patient's answers about the last 2 weeks: items 1-8 are agree (true) or "
            "disagree (false); item 9 is how bothersome the pain has been."
        ),
        required=True,
        items=(
            *(
                Boolean(name=str(index), label=f"{index + 1}. {text}", help="Agree = yes.")
                for index, text in enumerate(AGREE_ITEMS)
            ),
            Choice(
                name="8",
                label="9. Overall, how bothersome the back pain has been",
                help="Only 'very much' and 'extremely' score a point.",
                choices=(
                    Option("not_at_all", "Not at all"),
                    Option("slightly", "Slightly"),
                    Option("moderately", "Moderately"),
                    Option("very_much", "Very much"),
                    Option("extremely", "Extremely"),
                ),
            ),
        ),
    ),
)


def compute(values: Values) -> dict[str, Json]:
    answers = cast(tuple[object, ...], values["items"])
    points = [*(answer is True for answer in answers[:-1]), answers[-1] in BOTHER_SCORING]
    total = sum(points)
    psychosocial = sum(points[PSYCHOSOCIAL_FROM:])
    if total <= LOW_MAX_TOTAL:
        risk = "low"
    elif psychosocial >= HIGH_MIN_PSYCHOSOCIAL:
        risk = "high"
    else:
        risk = "medium"
    return {
        "total": total,
        "psychosocial": psychosocial,
        "risk": risk,
        "interpretation": MEANING[risk],
    }


CALCULATOR = Calculator(
    name="start_back",
    title="Keele STarT Back screening tool",
    summary="Sorts people with back pain into low, medium or high risk to match the care offered.",
    inputs=INPUTS,
    outputs=(
        Output("total", "Total score", "Items scoring a point, 0-9."),
        Output("psychosocial", "Distress subscale", "Points from items 5-9, 0-5."),
        Output("risk", "Risk group", "low, medium or high."),
        Output("interpretation", "What it means", "The kind of care the risk group suggests."),
    ),
    references=REFS,
    rules=(
        Rule(
            id="low",
            when=f"total score {LOW_MAX_TOTAL} or less",
            why=MEANING["low"],
            refs=REFS,
        ),
        Rule(
            id="high",
            when=f"total above {LOW_MAX_TOTAL} and distress subscale "
            f"{HIGH_MIN_PSYCHOSOCIAL} or more",
            why=MEANING["high"],
            refs=REFS,
        ),
        Rule(
            id="medium",
            when=f"total above {LOW_MAX_TOTAL} and distress subscale below {HIGH_MIN_PSYCHOSOCIAL}",
            why=MEANING["medium"],
            refs=REFS,
        ),
    ),
    examples=(
        Example(
            "No item positive",
            {"items": [False] * 8 + ["not_at_all"]},
            {"total": 0, "psychosocial": 0, "risk": "low"},
        ),
        Example(
            "Three points, all on distress items, is still low risk",
            {"items": [False, False, False, False, True, True, False, False, "extremely"]},
            {"total": 3, "psychosocial": 3, "risk": "low"},
        ),
        Example(
            "Physical items positive, little distress",
            {"items": [True, True, True, True, False, False, False, False, "moderately"]},
            {"total": 4, "psychosocial": 0, "risk": "medium"},
        ),
        Example(
            "Leg pain with marked distress",
            {"items": [True, False, False, False, True, True, True, False, "very_much"]},
            {"total": 5, "psychosocial": 4, "risk": "high"},
        ),
    ),
    compute=compute,
)
