"""The ODI and STarT Back forms hand their result on as FHIR: "Copy as FHIR" and "Download
FHIR" give a valid Bundle whose QuestionnaireResponse and score Observations carry the
score the page shows, made in the page (no request leaves it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

import calculators

pytestmark = pytest.mark.browser

READY = "[data-engine-status][data-engine-state=ready]"
# A worked example of each instrument, and the page and form it is entered on.
CASES = {
    "odi": ("calculators/odi.html", "calc-odi-1", 1, "35.6 %"),
    "start_back": ("calculators/start-back.html", "calc-start-back-1", 3, "high"),
}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def open_example(page: Any, base: str, name: str) -> tuple[dict[str, Any], list[str]]:
    """The page with the worked example entered through the URL, once the engine is up and
    the result is for it; returns the example's result and the hosts the page asked."""
    address, form_id, example, shown = CASES[name]
    inputs = calculators.spec(name)["examples"][example]["inputs"]
    hosts: list[str] = []
    page.context.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.goto(f"{base}{address}#{form_id}={quote(json.dumps(inputs))}")
    page.wait_for_selector(READY, timeout=30_000)
    page.locator(f"#{form_id} [data-result]", has_text=shown).wait_for(timeout=10_000)
    outcome = calculators.run(name, inputs)
    assert outcome["ok"]
    return outcome["result"], hosts


def check_bundle(name: str, bundle: dict[str, Any], result: dict[str, Any]) -> None:
    Bundle.model_validate(bundle)
    response, *observations = (entry["resource"] for entry in bundle["entry"])
    QuestionnaireResponse.model_validate(response)
    instrument = calculators.spec(name)["instrument"]
    answers = {item["linkId"]: item["answer"][0] for item in response["item"] if "answer" in item}
    for score, observation in zip(instrument["scores"], observations, strict=True):
        expected = result[score["output"]]
        if score["type"] == "coding":
            code = score["answers"][expected]["code"]
            assert answers[score["output"]]["valueCoding"]["code"] == code
            assert observation["valueCodeableConcept"]["coding"][0]["code"] == code
        else:
            assert expected in answers[score["output"]].values()
            value = observation.get("valueQuantity", {}).get(
                "value", observation.get("valueInteger")
            )
            assert value == expected
        assert observation["code"]["coding"][0]["code"] == score["code"]["code"]


@pytest.mark.parametrize("name", list(CASES))
def test_copy_as_fhir_gives_a_valid_bundle_with_the_pages_score(
    page: Any, base: str, name: str
) -> None:
    result, hosts = open_example(page, base, name)
    page.get_by_role("button", name="Copy as FHIR").click()
    page.locator("[data-copy-status]", has_text="copied as FHIR").wait_for(timeout=5_000)
    check_bundle(name, json.loads(page.evaluate("navigator.clipboard.readText()")), result)
    assert set(hosts) == {urlsplit(base).netloc}


def test_download_fhir_saves_the_same_bundle(page: Any, base: str) -> None:
    result, _ = open_example(page, base, "odi")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download FHIR").click()
    assert download.value.suggested_filename == "odi-result.fhir.json"
    check_bundle("odi", json.loads(Path(download.value.path()).read_text("utf-8")), result)


def test_the_instrument_pages_name_the_copyright_holder(page: Any, base: str) -> None:
    for name, (address, *_) in CASES.items():
        page.goto(base + address)
        licence = page.locator(".gs-calc-licence").inner_text()
        assert licence == calculators.spec(name)["instrument"]["copyright"]
