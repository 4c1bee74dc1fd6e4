"""Keele STarT Back screening tool: low, medium or high risk of persistent disabling pain.

Item labels are short paraphrases; the tool's own wording is copyright Keele University
and is not reproduced. Items refer to the last 2 weeks.
"""

from __future__ import annotations

from typing import cast

from guidesite.kit.fields import Boolean, Choice, Json, Option, Tuple
from guidesite.kit.instrument import ORDINAL_VALUE, Instrument, Score, Variable, loinc
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
# LOINC's codes for items 1-9, in the panel's order (91349-1); the displays are the tool's
# own wording, which this site does not reproduce.
ITEM_CODES = (
    "91340-0",
    "91341-8",
    "91342-6",
    "91343-4",
    "91344-2",
    "91345-9",
    "91346-7",
    "91347-5",
    "91348-3",
)
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
                Boolean(
                    name=str(index),
                    label=f"{index + 1}. {text}",
                    help="Agree = yes.",
                    code=loinc(ITEM_CODES[index]),
                )
                for index, text in enumerate(AGREE_ITEMS)
            ),
            Choice(
                name="8",
                label="9. Overall, how bothersome the back pain has been",
                help="Only 'very much' and 'extremely' score a point.",
                code=loinc(ITEM_CODES[8]),
                choices=(
                    Option("not_at_all", "Not at all", score=0),
                    Option("slightly", "Slightly", score=0),
                    Option("moderately", "Moderately", score=0),
                    Option("very_much", "Very much", score=1),
                    Option("extremely", "Extremely", score=1),
                ),
            ),
        ),
    ),
)
BOTHER = cast(Choice, INPUTS[0].items[-1])
BOTHER_POINTS = {o.value: o.score for o in BOTHER.choices if o.score is not None}


def _agreed(first: int, stop: int) -> str:
    """FHIRPath: how many of items `first`..`stop - 1` the patient agreed with."""
    link_ids = " | ".join(f"'items.{index}'" for index in range(first, stop))
    return (
        f"%resource.repeat(item).where(linkId in ({link_ids})).answer.where(value = true).count()"
    )


# The points of item 9's answer, read from the Questionnaire's answer options.
BOTHER_EXPRESSION = (
    "%questionnaire.repeat(item).where(linkId = 'items.8').answerOption"
    ".where(value.code = %resource.repeat(item).where(linkId = 'items.8').answer.value.code)"
    f".extension('{ORDINAL_VALUE}').value.aggregate($total + $this, 0).truncate()"
)
INSTRUMENT = Instrument(
    copyright=(
        "Keele STarT Back Screening Tool © 2007 Keele University. Used with permission under "
        "Keele University's published terms of use, which ask that the tool's copyright and "
        "funding statement always stay with it."
    ),
    code=loinc("91349-1", "STarT Back Screening Tool panel"),
    variables=(Variable("bother", BOTHER_EXPRESSION),),
    scores=(
        Score(
            output="psychosocial",
            type="integer",
            code=loinc("91350-9", "Distress subscore [STarT Back]"),
            expression=f"{_agreed(PSYCHOSOCIAL_FROM, len(AGREE_ITEMS))} + %bother",
        ),
        Score(
            output="total",
            type="integer",
            code=loinc("91351-7", "Total score [STarT Back]"),
            expression=f"{_agreed(0, PSYCHOSOCIAL_FROM)} + %psychosocial",
        ),
        Score(
            output="risk",
            type="coding",
            code=loinc("91352-5", "STarT Back Screening risk level"),
            expression=(
                f"iif(%total <= {LOW_MAX_TOTAL}, 'low', "
                f"iif(%psychosocial >= {HIGH_MIN_PSYCHOSOCIAL}, 'high', 'medium'))"
            ),
            # LOINC answer list LL3578-3.
            answers={
                "high": loinc("LA9193-9", "High"),
                "medium": loinc("LA8982-6", "Medium"),
                "low": loinc("LA9194-7", "Low"),
            },
        ),
    ),
)


def compute(values: Values) -> dict[str, Json]:
    answers = cast(tuple[object, ...], values["items"])
    points = [*(int(answer is True) for answer in answers[:-1]), BOTHER_POINTS[str(answers[-1])]]
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
    instrument=INSTRUMENT,
)
