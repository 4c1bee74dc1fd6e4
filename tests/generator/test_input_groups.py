"""A calculator's input groups (`guidesite.kit.model.InputGroup`): what a site may fold."""

from __future__ import annotations

import pytest

from guidesite.kit import Registry, contract_problems
from guidesite.kit.fields import Boolean, Integer
from guidesite.kit.model import Calculator, InputGroup

INPUTS = (
    Integer(name="score", label="Score", required=True, min=0, max=10),
    Boolean(name="smoker", label="Smoker"),
)


def calculator(*groups: InputGroup) -> Calculator:
    return Calculator(
        name="demo",
        title="Demo",
        summary="A demo.",
        inputs=INPUTS,
        outputs=(),
        references=(),
        rules=(),
        examples=(),
        compute=lambda values: {},
        groups=groups,
    )


def test_a_group_is_in_the_spec_in_its_own_order() -> None:
    spec = Registry((calculator(InputGroup("More", ("smoker",))),)).spec("demo")
    assert spec["groups"] == [{"title": "More", "fields": ["smoker"]}]
    assert contract_problems(Registry((calculator(InputGroup("More", ("smoker",))),))) == []


@pytest.mark.parametrize(
    ("group", "problem"),
    [
        (InputGroup("More", ("smokes",)), "input group names 'smokes', which is not one of"),
        (InputGroup("More", ("smoker", "smoker")), "input 'smoker' is in more than one group"),
        (InputGroup("More", ("score",)), "required input 'score' is in a folded group"),
    ],
)
def test_a_group_that_would_hide_or_lose_an_input_breaks_the_contract(
    group: InputGroup, problem: str
) -> None:
    problems = contract_problems(Registry((calculator(group),)))
    assert len(problems) == 1
    assert problem in problems[0]
