"""FHIR: each instrument's Questionnaire and each result's QuestionnaireResponse and
Observations are valid FHIR (R4B models of fhir.resources, which R4's Questionnaire,
QuestionnaireResponse and Observation match), carry LOINC's codes, and every score's
FHIRPath `calculatedExpression`, run by fhirpathpy, gives what the Python gives."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhirpathpy import compile as compile_fhirpath
from fhirpathpy.models import models
from hypothesis import given, settings
from hypothesis import strategies as st

import calculators
from guidesite.fhir.questionnaire import CALCULATED, VARIABLE
from guidesite.fhir.questionnaire import questionnaire as make_questionnaire
from guidesite.kit.fhir import response_bundle
from guidesite.kit.presentation import present

SITE = "Back Pain Pathways"
INSTRUMENTS = ["odi", "start_back"]
R4 = models["r4"]


def questionnaire(name: str) -> dict[str, Any]:
    return make_questionnaire(
        calculators.spec(name), site=SITE, version="2026-11-22", status="draft"
    )


def codes(codings: list[dict[str, Any]]) -> list[str]:
    return [coding["code"] for coding in codings]


def all_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for item in items for entry in (item, *all_items(item.get("item", [])))]


def test_only_the_validated_instruments_declare_one() -> None:
    # mme, pain_relief and next_step are not published questionnaires: no LOINC panel or
    # score code describes them, so they get no Questionnaire.
    declared = [name for name in calculators.names() if calculators.spec(name)["instrument"]]
    assert declared == INSTRUMENTS


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_questionnaire_is_valid_fhir(name: str) -> None:
    Questionnaire.model_validate(questionnaire(name))


def test_odi_questionnaire_has_loinc_panel_and_score_codes() -> None:
    odi = questionnaire("odi")
    assert codes(odi["code"]) == ["97908-8"]
    score = next(item for item in odi["item"] if item["linkId"] == "score_pct")
    assert codes(score["code"]) == ["97909-6"] and score["readOnly"] is True
    assert "Jeremy Fairbank, 1980" in odi["copyright"] and "Mapi" in odi["copyright"]


def test_start_back_questionnaire_has_loinc_panel_item_and_score_codes() -> None:
    start_back = questionnaire("start_back")
    assert codes(start_back["code"]) == ["91349-1"]
    (group,) = (item for item in start_back["item"] if item["type"] == "group")
    # LOINC's panel lists items 1-9 as 91340-0 ... 91348-3, in the tool's order.
    assert [codes(item["code"]) for item in group["item"]] == [
        ["91340-0"],  # leg pain
        ["91341-8"],  # shoulder or neck pain
        ["91342-6"],  # walked short distances
        ["91343-4"],  # dressed slowly
        ["91344-2"],  # activity not safe
        ["91345-9"],  # worrying thoughts
        ["91346-7"],  # pain terrible, will not improve
        ["91347-5"],  # not enjoyed things
        ["91348-3"],  # bothersomeness
    ]
    scores = {item["linkId"]: item for item in start_back["item"][1:]}
    assert {link: codes(item["code"]) for link, item in scores.items()} == {
        "psychosocial": ["91350-9"],
        "total": ["91351-7"],
        "risk": ["91352-5"],
    }
    assert [option["valueCoding"]["code"] for option in scores["risk"]["answerOption"]] == [
        "LA9193-9",
        "LA8982-6",
        "LA9194-7",
    ]
    assert "2007 Keele University" in start_back["copyright"]


def test_bothersomeness_options_carry_their_points() -> None:
    (group,) = (item for item in questionnaire("start_back")["item"] if item["type"] == "group")
    options = group["item"][8]["answerOption"]
    points = {o["valueCoding"]["code"]: o["extension"][0]["valueDecimal"] for o in options}
    assert points == {
        "not_at_all": 0,
        "slightly": 0,
        "moderately": 0,
        "very_much": 1,
        "extremely": 1,
    }


def calculated(q: dict[str, Any], response: dict[str, Any]) -> dict[str, list[Any]]:
    """Every calculated item's value (by linkId) as an SDC form filler would work it out:
    the Questionnaire's variables in order, then each item's calculatedExpression."""
    env: dict[str, Any] = {"resource": response, "questionnaire": q}
    for extension in q["extension"]:
        if extension["url"] == VARIABLE:
            expression = extension["valueExpression"]
            env[expression["name"]] = evaluate(expression["expression"], response, env)
    values = {}
    for item in all_items(q["item"]):
        for extension in item.get("extension", []):
            if extension["url"] == CALCULATED:
                expression = extension["valueExpression"]["expression"]
                values[item["linkId"]] = evaluate(expression, response, env)
    return values


_compiled: dict[str, Any] = {}


def evaluate(expression: str, resource: dict[str, Any], env: dict[str, Any]) -> list[Any]:
    if expression not in _compiled:
        _compiled[expression] = compile_fhirpath(expression, R4)
    result: list[Any] = _compiled[expression](resource, env)
    return result


def check_result(name: str, inputs: dict[str, Any]) -> None:
    """The result of `inputs` as FHIR is valid, and FHIRPath agrees with the Python."""
    spec = calculators.spec(name)
    outcome = calculators.run(name, inputs)
    q = questionnaire(name)
    scores = spec["instrument"]["scores"]
    score_links = {score["output"] for score in scores}
    if not outcome["ok"]:
        # A refused answer set has no score in FHIRPath either (e.g. ODI, 3 sections empty).
        bundle = response_bundle(spec, inputs, dict.fromkeys(score_links), SITE)
        response = bundle["entry"][0]["resource"]
        assert all(value == [] for value in calculated(q, response).values()), inputs
        return
    result = outcome["result"]
    bundle = response_bundle(spec, inputs, result, SITE)
    Bundle.model_validate(bundle)
    response, *observations = (entry["resource"] for entry in bundle["entry"])
    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == q["url"]
    # Every answer fits an item of the Questionnaire.
    items = {item["linkId"]: item for item in all_items(q["item"])}
    for answered in all_items(response["item"]):
        assert answered["linkId"] in items
    # The scores are worked out from the answers alone, not read back from the response.
    answers_only = {
        **response,
        "item": [i for i in response["item"] if i["linkId"] not in score_links],
    }
    values = calculated(q, answers_only)
    for score in scores:
        output, expected = score["output"], result[score["output"]]
        (value,) = values[output]
        if score["type"] == "coding":
            assert value["code"] == score["answers"][expected]["code"], (inputs, output)
        else:
            assert Decimal(str(value)) == Decimal(str(expected)), (inputs, output, value)
    assert len(observations) == len(scores)
    for observation, score in zip(observations, scores, strict=True):
        Observation.model_validate(observation)
        assert observation["code"]["coding"][0]["code"] == score["code"]["code"]
        expected = result[score["output"]]
        if score["type"] == "coding":
            concept = observation["valueCodeableConcept"]["coding"][0]
            assert concept["code"] == score["answers"][expected]["code"]
        else:
            value = observation.get("valueQuantity", {}).get(
                "value", observation.get("valueInteger")
            )
            assert value == expected


@pytest.mark.parametrize(
    ("name", "inputs"),
    [
        (name, example["inputs"])
        for name in INSTRUMENTS
        for example in calculators.spec(name)["examples"]
    ],
)
def test_worked_examples_as_fhir(name: str, inputs: dict[str, Any]) -> None:
    check_result(name, inputs)


def test_odi_score_is_a_percentage_quantity() -> None:
    spec = calculators.spec("odi")
    example = spec["examples"][1]
    bundle = response_bundle(spec, example["inputs"], example["result"], SITE)
    observation = bundle["entry"][1]["resource"]
    assert observation["valueQuantity"] == {
        "value": 35.6,
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }
    assert observation["derivedFrom"] == [{"reference": bundle["entry"][0]["fullUrl"]}]


ODI_SECTIONS = st.lists(st.none() | st.integers(0, 5), min_size=10, max_size=10)
START_BACK = st.tuples(
    st.lists(st.booleans(), min_size=8, max_size=8),
    st.sampled_from(["not_at_all", "slightly", "moderately", "very_much", "extremely"]),
).map(lambda answers: [*answers[0], answers[1]])


@settings(max_examples=300, deadline=None)
@given(ODI_SECTIONS)
def test_odi_fhirpath_agrees_with_python(items: list[int | None]) -> None:
    check_result("odi", {"items": items})


@settings(max_examples=300, deadline=None)
@given(START_BACK)
def test_start_back_fhirpath_agrees_with_python(items: list[object]) -> None:
    check_result("start_back", {"items": items})


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_the_pages_view_of_a_result_carries_its_bundle(name: str) -> None:
    # What "Copy as FHIR" copies: the view the page draws carries the Bundle.
    spec = calculators.spec(name)
    example = spec["examples"][-1]
    outcome = calculators.run(name, example["inputs"])
    view = present(spec, example["inputs"], outcome, SITE)
    assert view["ok"] and view["fhir"] == response_bundle(
        spec, example["inputs"], example["result"], SITE
    )


def test_a_score_the_instrument_does_not_code_gets_no_observation() -> None:
    spec = copy.deepcopy(calculators.spec("start_back"))
    spec["instrument"]["scores"][0]["code"] = None  # the distress subscore
    example = spec["examples"][0]
    bundle = response_bundle(spec, example["inputs"], example["result"], SITE)
    observed = [codes(e["resource"]["code"]["coding"]) for e in bundle["entry"][1:]]
    assert observed == [["91351-7"], ["91352-5"]]


def test_a_calculator_without_an_instrument_makes_no_bundle() -> None:
    with pytest.raises(ValueError, match="'mme' declares no instrument"):
        response_bundle(calculators.spec("mme"), {}, {}, SITE)


def test_an_answer_takes_its_fields_fhir_type() -> None:
    spec = copy.deepcopy(calculators.spec("odi"))
    example = spec["examples"][1]
    section = spec["inputs"][0]["items"][0]
    section["type"] = "number"
    response = response_bundle(spec, example["inputs"], example["result"], SITE)["entry"][0]
    first = response["resource"]["item"][0]["item"][0]["answer"][0]
    assert first == {"valueDecimal": example["inputs"]["items"][0]}
    section["type"] = "text"  # no FHIR answer type is chosen for free text
    with pytest.raises(ValueError, match="a text field has no FHIR answer here"):
        response_bundle(spec, example["inputs"], example["result"], SITE)
