"""Daily morphine milligram equivalents (MME), each conversion factor with its own source.

A screening aid for overall opioid load, not a table for switching one opioid to another.
Ten factors come from the CDC 2022 guideline; dihydrocodeine, which CDC does not list,
from the US CMS table. Buprenorphine is left out on purpose (see `BUPRENORPHINE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import cast

from guidesite.kit.fields import Checked, Choice, Json, Number, Option, Problem, Records
from guidesite.kit.model import Calculator, Example, Output, Rule, Values
from guidesite.kit.numbers import exact, round1

MG = "mg/day"
PATCH = "mcg/hour"
CAUTION_LEVEL = 50
HIGH_LEVEL = 90
REFS = ("cdc2022", "cdc2016")
CDC_2022 = ("cdc2022",)


@dataclass(frozen=True)
class Drug:
    code: str
    label: str
    factor: Fraction  # MME per unit of daily dose
    unit: str = MG
    refs: tuple[str, ...] = CDC_2022  # where this factor comes from
    source_note: str = "Factor from the CDC 2022 guideline."


DRUGS = (
    Drug("codeine", "Codeine", Fraction("0.15")),
    Drug(
        "dihydrocodeine",
        "Dihydrocodeine",
        Fraction("0.25"),
        refs=("cms-mme", "fpm-opioids-aware"),
        source_note=(
            "Factor from the US CMS opioid MME table; CDC 2022 gives none for dihydrocodeine. "
            "UK tables use about 0.1 (30 mg of dihydrocodeine is about 3 mg of morphine), so "
            "in UK terms this row may overstate the load by more than twice."
        ),
    ),
    Drug("fentanyl_transdermal", "Fentanyl patch (transdermal)", Fraction("2.4"), PATCH),
    Drug("hydrocodone", "Hydrocodone", Fraction(1)),
    Drug("hydromorphone", "Hydromorphone", Fraction(5)),
    Drug(
        "methadone",
        "Methadone",
        Fraction("4.7"),
        source_note=(
            "Factor from the CDC 2022 guideline; methadone's ratio to morphine rises with the "
            "dose, so this single figure only screens."
        ),
    ),
    Drug("morphine", "Morphine", Fraction(1)),
    Drug("oxycodone", "Oxycodone", Fraction("1.5")),
    Drug("oxymorphone", "Oxymorphone", Fraction(3)),
    Drug("tapentadol", "Tapentadol", Fraction("0.4")),
    Drug("tramadol", "Tramadol", Fraction("0.2")),
)
# Asked for by name, it gets a reason instead of a list of the allowed codes.
BUPRENORPHINE = (
    "Opioid: buprenorphine is left out on purpose. CDC 2022 gives it no MME factor because "
    "its MME does not reflect overdose risk the way a full agonist's does; review it "
    "separately and do not add it to this total."
)


@dataclass(frozen=True, kw_only=True)
class DrugChoice(Choice):
    """The opioid list, which explains the one deliberate omission instead of just refusing."""

    def read_value(self, raw: Json, path: str) -> Checked:
        if isinstance(raw, str) and raw.strip().lower() == "buprenorphine":
            return None, (Problem(path, BUPRENORPHINE),)
        return super().read_value(raw, path)


BY_CODE = {drug.code: drug for drug in DRUGS}
# Long or unpredictable action: the total understates the risk of these two.
SPECIAL_CARE = frozenset({"methadone", "fentanyl_transdermal"})
DIHYDROCODEINE_NOTE = (
    "Dihydrocodeine is counted with the US CMS factor of 0.25; UK tables use about 0.1, "
    "so in UK terms its share of the total may be less than half of what is shown."
)

NOT_A_CONVERSION = (
    "MME screens the overall opioid load; it is not a table for switching one opioid to "
    "another, where the new drug starts well below the calculated equivalent."
)
LEVELS = {
    "below_50": f"Below {CAUTION_LEVEL} MME a day.",
    "50_to_89": (
        f"{CAUTION_LEVEL} to {HIGH_LEVEL - 1} MME a day: the 2016 CDC guideline asked for "
        "caution and reassessment from 50; the 2022 guideline keeps 50 as a point where "
        "risk rises and benefit should be reviewed, not as a cap."
    ),
    "90_or_more": (
        f"{HIGH_LEVEL} MME a day or more: the 2016 CDC guideline said to avoid this or justify "
        "it carefully; the 2022 guideline treats 90 as a reference point of further rising "
        "risk rather than a ceiling, so review benefit, harms and tapering with the patient."
    ),
}

INPUTS = (
    Records(
        name="medications",
        label="Opioids taken",
        help="One entry per opioid; add up all doses of the same drug taken in a day.",
        required=True,
        min_items=1,
        max_items=20,
        entry="medicine",
        fields=(
            DrugChoice(
                name="drug",
                label="Opioid",
                help="Buprenorphine is not listed on purpose: its MME does not reflect its risk.",
                required=True,
                choices=tuple(Option(d.code, d.label) for d in DRUGS),
            ),
            Number(
                name="daily_dose",
                label="Dose",
                help="Total mg taken a day; for a fentanyl patch, the patch strength in mcg/hour.",
                unit="mg/day (fentanyl patch: mcg/hour)",
                required=True,
                min=0,
                max=10000,
            ),
        ),
    ),
)


def level_for(total: Fraction) -> str:
    """Judged on the unrounded total, so 89.95 is still below 90."""
    if total < CAUTION_LEVEL:
        return "below_50"
    if total < HIGH_LEVEL:
        return "50_to_89"
    return "90_or_more"


def compute(values: Values) -> dict[str, Json]:
    medications = cast(tuple[dict[str, object], ...], values["medications"])
    rows: list[dict[str, Json]] = []
    total = Fraction(0)
    for medication in medications:
        drug = BY_CODE[cast(str, medication["drug"])]
        dose = cast(float, medication["daily_dose"])
        mme = exact(dose) * drug.factor
        total += mme
        rows.append(
            {
                "drug": drug.code,
                "daily_dose": dose,
                "unit": drug.unit,
                "factor": float(drug.factor),
                "mme": round1(mme),
            }
        )
    level = level_for(total)
    notes = [LEVELS[level], NOT_A_CONVERSION]
    if SPECIAL_CARE & {row["drug"] for row in rows}:
        notes.append(
            "Methadone and fentanyl patches need particular care: their effects build up "
            "and last longer than the figure suggests."
        )
    if any(row["drug"] == "dihydrocodeine" for row in rows):
        notes.append(DIHYDROCODEINE_NOTE)
    return {
        "total_mme": round1(total),
        "rows": rows,
        "level": level,
        "interpretation": " ".join(notes),
    }


CALCULATOR = Calculator(
    name="mme",
    title="Morphine milligram equivalents",
    summary="Adds up a patient's daily opioid doses as morphine milligram equivalents.",
    inputs=INPUTS,
    outputs=(
        Output("total_mme", "Total", "Sum of every row, one decimal.", unit="MME/day"),
        Output("rows", "Per medicine", "drug, daily_dose, unit, factor and mme for each entry."),
        Output("level", "Level", "below_50, 50_to_89 or 90_or_more (unrounded total)."),
        Output("interpretation", "What it means", "The CDC reference points and cautions."),
    ),
    references=(*REFS, "cms-mme", "fpm-opioids-aware"),
    rules=(
        *(
            Rule(
                id=f"factor-{drug.code}",
                when=f"{drug.label}, dose in {drug.unit}",
                why=f"Multiply the daily dose by {float(drug.factor):g}. {drug.source_note}",
                refs=drug.refs,
            )
            for drug in DRUGS
        ),
        Rule(id="below_50", when=f"total below {CAUTION_LEVEL}", why=LEVELS["below_50"], refs=REFS),
        Rule(
            id="50_to_89",
            when=f"total from {CAUTION_LEVEL} to under {HIGH_LEVEL}",
            why=LEVELS["50_to_89"],
            refs=REFS,
        ),
        Rule(
            id="90_or_more", when=f"total {HIGH_LEVEL} or more", why=LEVELS["90_or_more"], refs=REFS
        ),
        Rule(id="not-a-conversion", when="always", why=NOT_A_CONVERSION, refs=CDC_2022),
        Rule(
            id="no-buprenorphine",
            when="buprenorphine is entered",
            why="Refused with this reason: " + BUPRENORPHINE.removeprefix("Opioid: "),
            refs=CDC_2022,
        ),
    ),
    examples=(
        Example(
            "Hydrocodone 5 mg four times a day",
            {"medications": [{"drug": "hydrocodone", "daily_dose": 20}]},
            {"total_mme": 20.0, "level": "below_50"},
        ),
        Example(
            "Oxycodone 10 mg twice a day with tramadol 100 mg a day",
            {
                "medications": [
                    {"drug": "oxycodone", "daily_dose": 20},
                    {"drug": "tramadol", "daily_dose": 100},
                ]
            },
            {"total_mme": 50.0, "level": "50_to_89"},
        ),
        Example(
            "Fentanyl patch 25 mcg/hour with morphine 30 mg a day",
            {
                "medications": [
                    {"drug": "fentanyl_transdermal", "daily_dose": 25},
                    {"drug": "morphine", "daily_dose": 30},
                ]
            },
            {"total_mme": 90.0, "level": "90_or_more"},
        ),
    ),
    compute=compute,
)
