"""One result as FHIR R4 for an electronic record: the QuestionnaireResponse of the answers
and one Observation per coded score, in a collection Bundle.

Made by the same Python in pytest, at build time and in the browser (Pyodide), from the
calculator's spec and the inputs `run` accepted; deterministic, so the same answers give
the same resources everywhere. The Questionnaire these answers belong to is made from the
same spec by guidesite/fhir/questionnaire.py, which takes its linkIds and codings from here.

No patient, author or time is filled in: the record that imports the Bundle adds its own.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping

from guidesite.kit.contract import CalculatorSpec, CodingSpec, FieldSpec, Json, ScoreSpec

UCUM = "http://unitsofmeasure.org"
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}


def questionnaire_url(site: str, name: str) -> str:
    """The canonical URL of the site's Questionnaire for calculator `name`.

    A name rather than an address: the same build is served from several hospitals' hosts,
    and a canonical URL must not change with the host.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-")
    return f"urn:guidesite:{slug}:Questionnaire:{name}"


def option_coding(field: FieldSpec, value: str) -> dict[str, Json]:
    """The Coding of a choice field's answer `value`: the site's own code and words."""
    label = next(option["label"] for option in field["choices"] or () if option["value"] == value)
    return {"code": value, "display": label}


def coding(spec: CodingSpec) -> dict[str, Json]:
    """A declared code as FHIR JSON (without `display` when it has none)."""
    display = {"display": spec["display"]} if spec["display"] is not None else {}
    return {"system": spec["system"], "code": spec["code"], **display}


def _answer(field: FieldSpec, value: Json) -> dict[str, Json]:
    kind = field["type"]
    if kind == "integer":
        return {"valueInteger": int(value)}
    if kind == "number":
        return {"valueDecimal": value}
    if kind == "boolean":
        return {"valueBoolean": value}
    if kind == "choice":
        return {"valueCoding": option_coding(field, value)}
    raise ValueError(f"a {kind} field has no FHIR answer here")


def _items(fields: list[FieldSpec], values: Mapping[str, Json], prefix: str) -> list[Json]:
    items: list[Json] = []
    for field in fields:
        link_id, value = prefix + field["name"], values.get(field["name"])
        if field["type"] == "tuple":
            entries = dict(
                zip((item["name"] for item in field["items"] or ()), value or (), strict=True)
            )
            items.append(
                {"linkId": link_id, "item": _items(field["items"] or [], entries, f"{link_id}.")}
            )
        elif value is not None:  # an item left unanswered is left out
            items.append({"linkId": link_id, "answer": [_answer(field, value)]})
    return items


def _score_answer(score: ScoreSpec, value: Json) -> dict[str, Json]:
    """A score's value as a QuestionnaireResponse answer (valueDecimal, valueInteger or
    valueCoding)."""
    if score["type"] == "coding":
        return {"valueCoding": coding(score["answers"][value])}
    return {"valueDecimal" if score["type"] == "decimal" else "valueInteger": value}


def _observation_value(score: ScoreSpec, value: Json, unit: str | None) -> dict[str, Json]:
    if score["type"] == "coding":
        return {"valueCodeableConcept": {"coding": [coding(score["answers"][value])]}}
    if unit is not None:
        return {"valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}
    return {"valueInteger": value}


def response_bundle(
    spec: CalculatorSpec, inputs: Mapping[str, Json], result: Mapping[str, Json], site: str
) -> dict[str, Json]:
    """The answers `inputs` (accepted by `run`) and their `result` as a FHIR Bundle: the
    QuestionnaireResponse, then an Observation for each score the instrument codes."""
    instrument = spec["instrument"]
    if instrument is None:
        raise ValueError(f"calculator {spec['name']!r} declares no instrument")
    # Ids that depend on the answers only, so the same answers give the same Bundle.
    key = json.dumps([site, spec["name"], inputs], sort_keys=True)
    response_url = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"
    scores = instrument["scores"]
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(site, spec["name"]),
        "status": "completed",
        "item": [
            *_items(spec["inputs"], inputs, ""),
            *(
                {
                    "linkId": score["output"],
                    "answer": [_score_answer(score, result[score["output"]])],
                }
                for score in scores
            ),
        ],
    }
    units = {output["name"]: output["unit"] for output in spec["outputs"]}
    entries = [{"fullUrl": response_url, "resource": response}]
    for score in scores:
        if score["code"] is None:
            continue
        output = score["output"]
        observation = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [SURVEY]}],
            "code": {"coding": [coding(score["code"])]},
            **_observation_value(score, result[output], units[output]),
            "derivedFrom": [{"reference": response_url}],
        }
        entries.append(
            {
                "fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{key}#{output}')}",
                "resource": observation,
            }
        )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
