"""A validated instrument's declaration: its codes, its owner's terms and its scores.

A calculator that implements a published questionnaire (a scored questionnaire, a screening
tool with a risk level) declares these once beside its fields. The page shows the copyright from
here, the FHIR Questionnaire (guidesite/fhir/questionnaire.py) is generated from here, and
the QuestionnaireResponse the browser copies (guidesite/kit/fhir.py) carries these codes.

Codes are only ever copied from the code system's own publication (LOINC's panel pages):
an instrument, item, score or answer without a published code has none here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from guidesite.kit.contract import CodingSpec, InstrumentSpec, ScoreSpec, VariableSpec

LOINC = "http://loinc.org"
# FHIR R4's extension for the score of an answer option (R5 calls it itemWeight).
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


@dataclass(frozen=True)
class Coding:
    system: str
    code: str
    # The code system's own display; None where that is an instrument's copyrighted wording
    # the site does not reproduce (receivers look it up from the code).
    display: str | None = None

    def to_spec(self) -> CodingSpec:
        return {"system": self.system, "code": self.code, "display": self.display}


def loinc(code: str, display: str | None = None) -> Coding:
    return Coding(LOINC, code, display)


@dataclass(frozen=True)
class Variable:
    """A named FHIRPath expression over the answers, for the scores' expressions to use as
    `%name`. In FHIRPath a QuestionnaireResponse's answers are `%resource` and the
    Questionnaire itself is `%questionnaire` (SDC)."""

    name: str
    expression: str

    def to_spec(self) -> VariableSpec:
        return {"name": self.name, "expression": self.expression}


def variable_name(output: str) -> str:
    """The FHIRPath variable holding a score's value: its output's name in camelCase
    (`score_pct` -> `%scorePct`), since FHIR's variable names allow no underscore."""
    first, *rest = output.split("_")
    return first + "".join(word.capitalize() for word in rest)


@dataclass(frozen=True, kw_only=True)
class Score:
    """A result field published as a score. `expression` (FHIRPath) computes the same value
    as the calculator's `compute` from the answers; the tests hold the two to agreement.
    Later scores may use earlier ones as `%name` (see `variable_name`). A coded score
    (`type="coding"`) maps each of its result values to a code."""

    output: str
    type: Literal["decimal", "integer", "coding"]
    expression: str
    code: Coding | None = None
    answers: Mapping[str, Coding] = field(default_factory=dict)

    def to_spec(self) -> ScoreSpec:
        return {
            "output": self.output,
            "code": self.code.to_spec() if self.code else None,
            "type": self.type,
            "expression": self.expression,
            "answers": {value: coding.to_spec() for value, coding in self.answers.items()},
        }


@dataclass(frozen=True, kw_only=True)
class Instrument:
    # Who owns the instrument and on what terms it is used, as the page prints it.
    copyright: str
    code: Coding | None = None
    # Evaluated in order before the scores, which may use them and each other (`%output`).
    variables: tuple[Variable, ...] = ()
    scores: tuple[Score, ...] = ()

    def to_spec(self) -> InstrumentSpec:
        return {
            "code": self.code.to_spec() if self.code else None,
            "copyright": self.copyright,
            "variables": [variable.to_spec() for variable in self.variables],
            "scores": [score.to_spec() for score in self.scores],
        }
