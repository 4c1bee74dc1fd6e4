"""A FHIR R4 Questionnaire for each calculator that declares an instrument, made from the
calculator's spec alone (guidesite/kit/instrument.py declares the codes and scores).

The items are the calculator's fields, with the instrument's codes; a choice's answer
options carry their points (`ordinalValue`); each score is a read-only item computed by its
FHIRPath expression (SDC `calculatedExpression`), with the instrument's variables declared
on the Questionnaire. The answers the browser copies (guidesite/kit/fhir.py) use the same
linkIds, so a QuestionnaireResponse of this site's page fits this Questionnaire.
"""

from __future__ import annotations

import re

from guidesite.kit.contract import CalculatorSpec, FieldSpec, Json, OutputSpec, ScoreSpec
from guidesite.kit.fhir import UCUM, coding, option_coding, questionnaire_url
from guidesite.kit.instrument import ORDINAL_VALUE, variable_name

FHIRPATH = "text/fhirpath"
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
# A field's kind -> the Questionnaire item type of its answer.
ITEM_TYPES = {"integer": "integer", "number": "decimal", "boolean": "boolean", "choice": "choice"}
SCORE_TYPES = {"decimal": "decimal", "integer": "integer", "coding": "choice"}


def questionnaire(spec: CalculatorSpec, *, site: str, version: str, status: str) -> dict[str, Json]:
    """The Questionnaire of the calculator `spec` describes, which must declare an
    instrument; `site` is the site's name (its publisher), `version` (a date: the day its
    page was last updated) and `status` (FHIR's publication status: "active" or "draft")
    the Questionnaire's."""
    instrument = spec["instrument"]
    if instrument is None:
        raise ValueError(f"calculator {spec['name']!r} declares no instrument")
    outputs = {output["name"]: output for output in spec["outputs"]}
    expressions = [
        *((variable["name"], variable["expression"]) for variable in instrument["variables"]),
        *((variable_name(score["output"]), score["expression"]) for score in instrument["scores"]),
    ]
    return {
        "resourceType": "Questionnaire",
        "id": spec["name"].replace("_", "-"),
        "url": questionnaire_url(site, spec["name"]),
        "version": version,
        "name": re.sub(r"[^A-Za-z0-9]", "", spec["title"].title()),
        "title": spec["title"],
        "status": status,
        "date": version,
        "publisher": site,
        "subjectType": ["Patient"],
        "description": spec["summary"],
        "copyright": instrument["copyright"],
        **({"code": [coding(instrument["code"])]} if instrument["code"] else {}),
        # SDC variables, in order: a later expression may use an earlier one as %name.
        "extension": [
            {
                "url": VARIABLE,
                "valueExpression": {"name": name, "language": FHIRPATH, "expression": expression},
            }
            for name, expression in expressions
        ],
        "item": [
            *(_item(field, field["name"], required=field["required"]) for field in spec["inputs"]),
            *(_score_item(score, outputs[score["output"]]) for score in instrument["scores"]),
        ],
    }


def _item(field: FieldSpec, link_id: str, *, required: bool) -> dict[str, Json]:
    item: dict[str, Json] = {"linkId": link_id, "text": field["label"], "required": required}
    if field["code"]:
        item["code"] = [coding(field["code"])]
    if field["type"] == "tuple":
        item["type"] = "group"
        item["item"] = [
            _item(child, f"{link_id}.{child['name']}", required=not child["nullable"])
            for child in field["items"] or ()
        ]
        return item
    if field["type"] not in ITEM_TYPES:
        raise ValueError(f"field {link_id!r}: a {field['type']} field has no Questionnaire item")
    item["type"] = ITEM_TYPES[field["type"]]
    if field["type"] == "integer":
        item["extension"] = [
            {"url": MIN_VALUE, "valueInteger": field["min"]},
            {"url": MAX_VALUE, "valueInteger": field["max"]},
        ]
    if field["type"] == "choice":
        item["answerOption"] = [
            {
                "valueCoding": option_coding(field, option["value"]),
                **(
                    {"extension": [{"url": ORDINAL_VALUE, "valueDecimal": option["score"]}]}
                    if option["score"] is not None
                    else {}
                ),
            }
            for option in field["choices"] or ()
        ]
    return item


def _score_item(score: ScoreSpec, output: OutputSpec) -> dict[str, Json]:
    name, variable = score["output"], variable_name(score["output"])
    expression = f"%{variable}"
    if score["type"] == "coding":
        # The variable gives the calculator's own value ('low'); the item's answer is the
        # answer option coding that value.
        chosen = "{}"
        for value, answer in reversed(score["answers"].items()):
            chosen = f"iif(%{variable} = '{value}', '{answer['code']}', {chosen})"
        expression = (
            f"%questionnaire.repeat(item).where(linkId = '{name}').answerOption.value"
            f".where(code = {chosen})"
        )
    extensions: list[Json] = [
        {"url": CALCULATED, "valueExpression": {"language": FHIRPATH, "expression": expression}}
    ]
    if output["unit"]:
        extensions.append({"url": UNIT, "valueCoding": {"system": UCUM, "code": output["unit"]}})
    item: dict[str, Json] = {
        "linkId": name,
        "text": output["label"],
        "type": SCORE_TYPES[score["type"]],
        "readOnly": True,
        "extension": extensions,
    }
    if score["code"]:
        item["code"] = [coding(score["code"])]
    if score["type"] == "coding":
        item["answerOption"] = [{"valueCoding": coding(c)} for c in score["answers"].values()]
    return item
