"""Body mass index for adults, with the WHO bands and the lower thresholds NICE uses for
some family backgrounds. The example calculator `guidesite init` writes: replace it or
keep it, and see WRITING-A-CALCULATOR.md in the guidesite distribution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from guidesite.kit.fields import Choice, Json, Number, Option
from guidesite.kit.model import Calculator, Example, Output, Rule, Scope, Values
from guidesite.kit.numbers import exact, round1

WHO = "who-trs894"
NICE = "nice-ng246"

STANDARD = "standard"
LOWER = "lower"


@dataclass(frozen=True)
class Band:
    code: str
    below: float | None  # exclusive upper bound in kg/m², None for the top band
    meaning: str


# In order; a BMI falls in the first band whose bound it is below.
WHO_BANDS = (
    Band("underweight", 18.5, "Below 18.5: underweight."),
    Band("healthy", 25, "18.5 to 24.9: the healthy range."),
    Band("overweight", 30, "25 to 29.9: overweight."),
    Band("obesity_class_1", 35, "30 to 34.9: obesity class 1."),
    Band("obesity_class_2", 40, "35 to 39.9: obesity class 2."),
    Band("obesity_class_3", None, "40 or more: obesity class 3."),
)
LOWER_BANDS = (
    Band("underweight", 18.5, "Below 18.5: underweight."),
    Band("healthy", 23, "18.5 to 22.9: the healthy range for this family background."),
    Band("overweight", 27.5, "23 to 27.4: overweight for this family background."),
    Band("obesity", None, "27.5 or more: obesity for this family background."),
)
BANDS = {STANDARD: WHO_BANDS, LOWER: LOWER_BANDS}

INPUTS = (
    Number(
        name="height_cm",
        label="Height",
        help="Measured standing, without shoes.",
        unit="cm",
        required=True,
        min=100,
        max=250,
    ),
    Number(
        name="weight_kg",
        label="Weight",
        help="Measured in light clothing.",
        unit="kg",
        required=True,
        min=20,
        max=350,
    ),
    Choice(
        name="background",
        label="Family background",
        help="Lower thresholds apply to some family backgrounds, whatever the country of birth.",
        required=True,
        choices=(
            Option(STANDARD, "Any background not listed below"),
            Option(
                LOWER,
                "South Asian, Chinese, other Asian, Middle Eastern, Black African or "
                "African-Caribbean",
            ),
        ),
    ),
)


def band_for(bmi: float, background: str) -> Band:
    """Judged on the BMI as shown (one decimal), so 24.96 shows 25.0 and reads overweight."""
    return next(b for b in BANDS[background] if b.below is None or bmi < b.below)


def compute(values: Values) -> dict[str, Json]:
    height_m = exact(cast(float, values["height_cm"])) / 100
    weight = exact(cast(float, values["weight_kg"]))
    bmi = round1(weight / (height_m * height_m))
    band = band_for(bmi, cast(str, values["background"]))
    return {"bmi": bmi, "band": band.code, "interpretation": band.meaning}


CALCULATOR = Calculator(
    name="bmi",
    title="Body mass index (adults)",
    summary="Weight divided by the square of height, with the band it falls in.",
    inputs=INPUTS,
    outputs=(
        Output("bmi", "Body mass index", "Weight / height², one decimal.", unit="kg/m²"),
        Output("band", "Band", "The band the body mass index falls in."),
        Output("interpretation", "What it means", "The band's range in words."),
    ),
    references=(WHO, NICE),
    rules=(
        Rule(
            id="bmi",
            when="always",
            why="BMI = weight in kg / (height in m)², rounded to one decimal.",
            refs=(WHO,),
        ),
        Rule(
            id="who-bands",
            when="family background not listed",
            why="WHO bands: under 18.5, 18.5 to 24.9, 25 to 29.9, 30 to 34.9, 35 to 39.9, 40+.",
            refs=(WHO,),
        ),
        Rule(
            id="lower-thresholds",
            when="South Asian, Chinese, other Asian, Middle Eastern, Black African or "
            "African-Caribbean family background",
            why="Overweight from 23 and obesity from 27.5, since health risks rise at a "
            "lower BMI in these groups.",
            refs=(NICE,),
        ),
    ),
    examples=(
        Example(
            "In the healthy range",
            {"height_cm": 175, "weight_kg": 70, "background": STANDARD},
            {"bmi": 22.9, "band": "healthy"},
        ),
        Example(
            "Overweight by WHO bands",
            {"height_cm": 175, "weight_kg": 85, "background": STANDARD},
            {"bmi": 27.8, "band": "overweight"},
        ),
        Example(
            "The same person with a lower threshold",
            {"height_cm": 175, "weight_kg": 85, "background": LOWER},
            {"bmi": 27.8, "band": "obesity"},
        ),
        Example(
            "Obesity class 3",
            {"height_cm": 162, "weight_kg": 110, "background": STANDARD},
            {"bmi": 41.9, "band": "obesity_class_3"},
        ),
    ),
    compute=compute,
    scope=Scope(
        for_="Adults aged 18 and over.",
        not_for=(
            "Children and young people: use age- and sex-specific centile charts.",
            "Pregnancy.",
            "Judging body fat in very muscular people or older adults, where BMI misleads.",
        ),
    ),
)
