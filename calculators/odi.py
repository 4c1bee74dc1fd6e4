"""Oswestry Disability Index (ODI v2.1a): percentage disability from 10 scored sections.

Only the section names appear here; the questionnaire's statements are copyright (Mapi
Research Trust) and the clinician scores each section 0-5 from the licensed form.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import cast

from guidesite.kit.fields import Integer, Json, Problem, Tuple
from guidesite.kit.instrument import Instrument, Score, Variable, loinc
from guidesite.kit.model import Calculator, Example, Output, Rule, Values
from guidesite.kit.numbers import round1

SECTIONS = (
    "Pain intensity",
    "Personal care",
    "Lifting",
    "Walking",
    "Sitting",
    "Standing",
    "Sleeping",
    "Sex life (if applicable)",
    "Social life",
    "Travelling",
)
MAX_UNANSWERED = 2
REFS = ("fairbank2000", "ostelo2008")
CHANGE_NOTE = (
    "When comparing with an earlier score, a fall of about 10 points, or 30 % of the "
    "starting score, is the smallest change patients tend to notice."
)


@dataclass(frozen=True)
class Band:
    code: str
    high: int  # inclusive upper bound on the unrounded score
    meaning: str


BANDS = (
    Band("minimal", 20, "Minimal disability: most everyday activities are manageable."),
    Band(
        "moderate",
        40,
        "Moderate disability: sitting, lifting and standing are harder, and travel or "
        "social life may be affected.",
    ),
    Band(
        "severe",
        60,
        "Severe disability: pain is a main problem in daily life and deserves a full "
        "assessment of its causes and of the treatment so far.",
    ),
    Band(
        "crippling",
        80,
        "Very severe disability: pain limits nearly every part of daily life and calls for "
        "prompt, active management (the original scale's word for this band is 'crippled').",
    ),
    Band(
        "bed_bound",
        100,
        "Confined to bed or nearly so: scores this high are uncommon, so go through the "
        "answers with the patient to confirm them.",
    ),
)

INPUTS = (
    Tuple(
        name="items",
        label="ODI sections",
        help=(
            "Score each of the 10 sections from 0 (no difficulty) to 5 (greatest difficulty) "
            "as marked on the licensed questionnaire. Leave a section empty when it was not "
            f"answered (at most {MAX_UNANSWERED})."
        ),
        required=True,
        items=tuple(
            Integer(
                name=str(index),
                label=f"Section {index + 1}: {section}",
                help="0 = no difficulty, 5 = greatest difficulty; empty if not answered.",
                nullable=True,
                min=0,
                max=5,
            )
            for index, section in enumerate(SECTIONS)
        ),
    ),
)


# The scored sections' answers in a FHIR QuestionnaireResponse (linkIds are field paths).
ANSWERS = "%resource.repeat(item).where(linkId = 'items').item.answer.value.ofType(integer)"
INSTRUMENT = Instrument(
    copyright=(
        "ODI © Jeremy Fairbank, 1980. All rights reserved. Licensed through Mapi Research "
        "Trust (ePROVIDE); using the questionnaire needs a licence from them."
    ),
    code=loinc("97908-8", "Oswestry Disability Index"),
    variables=(Variable("answers", ANSWERS),),
    scores=(
        Score(
            output="score_pct",
            type="decimal",
            code=loinc("97909-6", "Oswestry disability index score ODI"),
            expression=(
                f"iif(%answers.count() >= {len(SECTIONS) - MAX_UNANSWERED}, "
                "(%answers.aggregate($total + $this, 0) * 100 / (5 * %answers.count()))"
                ".round(1), {})"
            ),
        ),
    ),
)


def check_unanswered(values: Values) -> tuple[Problem, ...]:
    items = cast(tuple[int | None, ...], values["items"])
    empty = items.count(None)
    if empty <= MAX_UNANSWERED:
        return ()
    message = (
        f"{empty} of the 10 sections are empty; this site scores the index only with at most "
        f"{MAX_UNANSWERED} unanswered (its own rule, not the questionnaire authors'), so "
        "complete more sections."
    )
    return (Problem("items", message),)


def band_for(score: Fraction) -> Band:
    """The first band whose inclusive upper bound holds the unrounded score (20.1 is moderate)."""
    return next(band for band in BANDS if score <= band.high)


def compute(values: Values) -> dict[str, Json]:
    items = cast(tuple[int | None, ...], values["items"])
    answered = [score for score in items if score is not None]
    score = Fraction(sum(answered) * 100, 5 * len(answered))
    band = band_for(score)
    return {
        "score_pct": round1(score),
        "answered": len(answered),
        "band": band.code,
        "interpretation": f"{band.meaning} {CHANGE_NOTE}",
    }


CALCULATOR = Calculator(
    name="odi",
    title="Oswestry Disability Index",
    summary="Turns the 10 ODI section scores into a percentage disability and its band.",
    inputs=INPUTS,
    outputs=(
        Output("score_pct", "Score", "Disability in % (0-100), rounded to one decimal.", unit="%"),
        Output("answered", "Sections answered", "How many of the 10 sections were scored."),
        Output("band", "Band", "minimal, moderate, severe, crippling or bed_bound."),
        Output(
            "interpretation", "What it means", "The band in words, with the change to look for."
        ),
    ),
    references=REFS,
    rules=(
        Rule(
            id="score",
            when="always",
            why=(
                "Score = sum of the answered sections / (5 x sections answered) x 100, so an "
                "empty section does not count against the patient."
            ),
            refs=("fairbank2000",),
        ),
        Rule(
            id="unanswered",
            when=f"more than {MAX_UNANSWERED} sections empty",
            why=(
                "Refused. This limit is this site's choice, not a rule published by Fairbank "
                "and Pynsent: a score resting on 7 or fewer sections no longer describes the "
                "patient well."
            ),
            refs=("fairbank2000",),
        ),
        *(
            Rule(
                id=f"band-{band.code}",
                when=f"score above {above} % and up to {band.high} %"
                if above is not None
                else f"score up to {band.high} %",
                why=band.meaning,
                refs=("fairbank2000",),
            )
            for above, band in zip((None, *(b.high for b in BANDS[:-1])), BANDS, strict=True)
        ),
        Rule(id="change", when="comparing two scores", why=CHANGE_NOTE, refs=("ostelo2008",)),
    ),
    examples=(
        Example(
            "All ten sections answered",
            {"items": [2, 2, 1, 2, 2, 1, 2, 1, 2, 1]},
            {"score_pct": 32.0, "answered": 10, "band": "moderate"},
        ),
        Example(
            "One section (sex life) not answered: 16 of a possible 45",
            {"items": [2, 2, 1, 2, 2, 1, 2, None, 3, 1]},
            {"score_pct": 35.6, "answered": 9, "band": "moderate"},
        ),
        Example(
            "Exactly 20 % is still minimal",
            {"items": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]},
            {"score_pct": 20.0, "answered": 10, "band": "minimal"},
        ),
    ),
    compute=compute,
    cross_check=check_unanswered,
    instrument=INSTRUMENT,
)
