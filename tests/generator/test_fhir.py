"""The FHIR resources published with the site: a PlanDefinition per clinician page, the
index Bundle, links from the pages, and validation that fails the build at its source line.

The expectations below are written from the FHIR and HL7 terminology definitions, not read
from guidesite/fhir/, and the built site is compared with the content's own source.
"""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from fhir.resources.R4B import get_fhir_model_class

from guidesite.content import bibliography
from guidesite.content.schema import PageMeta
from guidesite.extensions.recommendations import CERTAINTIES, STRENGTHS, Recommendation
from guidesite.fhir import plan_definitions, published
from guidesite.fhir.published import PublishedResource
from guidesite.site.pages import SiteIndex
from tests.conftest import ROOT, SITE_NAME
from tests.generator.conftest import FIXTURES

STRENGTH_URL = "http://hl7.org/fhir/StructureDefinition/cqf-strengthOfRecommendation"
QUALITY_URL = "http://hl7.org/fhir/StructureDefinition/cqf-qualityOfEvidence"
# NICE's "offer"/"do not offer" are its strong recommendations, "consider" its weaker ones;
# "only in research" is on no scale. Only a GRADE level is a quality code.
STRENGTH_CODE = {"offer": "strong", "do-not-offer": "strong", "consider": "weak"}
QUALITY_CODE = {"high": "high", "moderate": "moderate", "low": "low", "very-low": "very-low"}
SITE_URL = "https://intranet.example/guidelines/"
REFERENCES, _ = bibliography.load(FIXTURES / "references.bib", "references.bib")


def valid(resource: Mapping[str, Any]) -> None:
    get_fhir_model_class(str(resource["resourceType"])).model_validate(resource)


def page(status: str = "under-review") -> PageMeta:
    return PageMeta(
        page_id="some-question",
        path="content/some-question.md",
        title="Some question",
        question="What next for some question?",
        audience="clinician",
        status=status,
        last_updated=datetime.date(2026, 11, 22),
        next_review=datetime.date(2027, 11, 22),
        reviewers=("Dr A Example",),
        tags=("epidural", "surgery"),
        related=(),
        summary="Offer the first thing [@alpha2020].",
    )


def rec(number: int, strength: str, certainty: str, *cited: str) -> Recommendation:
    return Recommendation(
        id=f"rec-number-{number}",
        number=number,
        line=10 * number,
        strength=strength,
        certainty=certainty,
        text=f"Statement {number}.",
        cited=cited,
    )


def make(meta: PageMeta, *recs: Recommendation, site_url: str | None = SITE_URL) -> Any:
    page_url = f"{site_url}some-question.html" if site_url else None
    return plan_definitions.plan_definition(
        meta, recs, REFERENCES, publisher=SITE_NAME, site_url=site_url, page_url=page_url
    )


def rating(action: Mapping[str, Any], url: str) -> Mapping[str, Any]:
    [extension] = [e for e in action["extension"] if e["url"] == url]
    concept: Mapping[str, Any] = extension["valueCodeableConcept"]
    return concept


def test_every_strength_and_certainty_has_an_expected_rating() -> None:
    """A new strength or certainty in the vocabulary must be mapped here (and there) first."""
    assert set(STRENGTH_CODE) <= set(STRENGTHS) and set(QUALITY_CODE) <= set(CERTAINTIES)
    assert set(STRENGTHS) - set(STRENGTH_CODE) == {"only-in-research"}
    assert set(CERTAINTIES) - set(QUALITY_CODE) == {"consensus", "not-graded"}


@pytest.mark.parametrize("strength", STRENGTHS)
@pytest.mark.parametrize("certainty", CERTAINTIES)
def test_strength_and_certainty_are_coded_only_where_a_scale_has_them(
    strength: str, certainty: str
) -> None:
    resource = make(page(), rec(1, strength, certainty, "alpha2020"))
    valid(resource)
    [action] = resource["action"]
    strength_rating = rating(action, STRENGTH_URL)
    assert STRENGTHS[strength].words in strength_rating["text"]
    expected_strength = STRENGTH_CODE.get(strength)
    if expected_strength is None:
        assert "coding" not in strength_rating
    else:
        [coding] = strength_rating["coding"]
        assert coding["system"] == "http://terminology.hl7.org/CodeSystem/recommendation-strength"
        assert coding["code"] == expected_strength
    quality = rating(action, QUALITY_URL)
    assert quality["text"] == CERTAINTIES[certainty].words
    expected_quality = QUALITY_CODE.get(certainty)
    if expected_quality is None:
        assert "coding" not in quality  # consensus or not graded: never a GRADE level
    else:
        [coding] = quality["coding"]
        assert coding["system"] == "http://terminology.hl7.org/CodeSystem/evidence-quality"
        assert coding["code"] == expected_quality


def test_each_recommendation_is_an_action_in_page_order_with_its_citations() -> None:
    resource = make(
        page(),
        rec(1, "offer", "not-graded", "alpha2020", "beta-guide"),
        rec(2, "consider", "consensus", "gamma-policy"),
    )
    valid(resource)
    first, second = resource["action"]
    assert [first["id"], first["prefix"], first["description"]] == [
        "rec-number-1",
        "1",
        "Statement 1.",
    ]
    assert [second["id"], second["prefix"]] == ["rec-number-2", "2"]
    anchor, *citations = first["documentation"]
    assert anchor == {
        "type": "documentation",
        "label": "Recommendation 1",
        "url": f"{SITE_URL}some-question.html#rec-rec-number-1",
    }
    assert [(c["type"], c["label"], c.get("url")) for c in citations] == [
        ("citation", "alpha2020", "https://doi.org/10.1000/xyz"),  # its DOI's address
        ("citation", "beta-guide", "https://example.org/t1"),
    ]
    # An entry with no address is still named, with no invented one.
    [_, policy] = second["documentation"]
    assert policy == {"type": "citation", "label": "gamma-policy", "display": "Coverage rules"}


def test_the_page_gives_version_dates_status_and_address() -> None:
    draft = make(page(), rec(1, "offer", "not-graded", "alpha2020"))
    valid(draft)
    assert draft["id"] == "some-question"
    assert draft["url"] == f"{SITE_URL}fhir/PlanDefinition/some-question.json"
    assert (draft["version"], draft["date"]) == ("2026-11-22", "2026-11-22")
    assert draft["status"] == "draft"
    assert draft["effectivePeriod"] == {"start": "2026-11-22", "end": "2027-11-22"}
    assert draft["relatedArtifact"][0]["url"] == f"{SITE_URL}some-question.html"
    assert draft["publisher"] == SITE_NAME
    assert draft["description"] == "Offer the first thing."  # citation marks left out
    # Under review: nobody has approved or reviewed it yet, so no date says so.
    assert "approvalDate" not in draft and "lastReviewDate" not in draft
    approved = make(page("approved"), rec(1, "offer", "not-graded", "alpha2020"))
    assert approved["status"] == "active"
    assert approved["approvalDate"] == approved["lastReviewDate"] == "2026-11-22"


def test_without_a_site_url_no_address_is_made_up() -> None:
    resource = make(page(), rec(1, "offer", "not-graded", "alpha2020"), site_url=None)
    valid(resource)
    text = json.dumps(resource)
    assert "http://localhost" not in text and "intranet.example" not in text
    assert "url" not in resource and "relatedArtifact" not in resource
    assert [d["type"] for d in resource["action"][0]["documentation"]] == ["citation"]


def test_a_page_without_tags_or_recommendations_has_no_empty_array() -> None:
    bare = PageMeta(**{**vars(page()), "tags": ()})
    resource = make(bare)
    valid(resource)
    assert "topic" not in resource and "action" not in resource


def test_an_invalid_action_is_reported_at_its_recommendation_line() -> None:
    meta = page()
    index = SiteIndex()
    index.pages[meta.page_id] = meta
    index.urls[meta.page_id] = "some-question.html"
    index.recommendations[meta.page_id] = [
        rec(1, "offer", "not-graded", "alpha2020"),
        rec(2, "consider", "not-graded", "beta-guide"),
    ]
    [made] = plan_definitions.for_site(
        index,
        REFERENCES,
        publisher=SITE_NAME,
        site_url=SITE_URL,
        # As Project places a converted line in its file: here, 7 front-matter lines.
        file_line=lambda page_id, line: line + 7,
    )
    assert (made.page_id, made.source) == ("some-question", "content/some-question.md")
    assert published.problems([made]) == []
    broken = {**made.resource, "action": [*made.resource["action"]]}
    broken["action"][1] = {**broken["action"][1], "title": 3}  # what a bug could make
    [problem] = published.problems([replace(made, resource=broken)])
    assert (problem.path, problem.line) == ("content/some-question.md", 27)
    assert "fhir/PlanDefinition/some-question.json" in problem.message
    assert "action[1].title" in problem.message


def test_ids_that_cannot_name_a_file_and_clashing_paths_are_reported() -> None:
    good = make(page(), rec(1, "offer", "not-graded"))
    too_long = {**good, "id": "a" * 65}
    clash = PublishedResource(good, None, "content/other.md", line=3)
    problems = published.problems(
        [
            PublishedResource(good, "some-question", "content/some-question.md"),
            PublishedResource(too_long, None, "content/long.md"),
            clash,
            PublishedResource({"resourceType": "NoSuchThing", "id": "x"}, None, "a.md"),
        ]
    )
    assert [(p.path, p.line) for p in problems] == [
        ("content/long.md", 1),
        ("content/other.md", 3),
        ("a.md", 1),
    ]
    assert "64" in problems[0].message
    assert "content/some-question.md" in problems[1].message


def test_element_paths_read_as_fhir_writes_them() -> None:
    assert published.element_path(("action", 2, "documentation", 0, "url")) == (
        "action[2].documentation[0].url"
    )
    assert published.element_path(()) == ""


def test_the_index_is_a_valid_bundle_of_every_resource() -> None:
    resources = [
        PublishedResource(make(page(), rec(1, "offer", "not-graded")), "some-question", "a.md")
    ]
    bundle = published.index_bundle(resources, SITE_URL)
    valid(bundle)
    assert bundle["type"] == "collection"
    [entry] = bundle["entry"]
    assert entry["fullUrl"] == f"{SITE_URL}fhir/PlanDefinition/some-question.json"
    assert entry["resource"] == resources[0].resource


def test_an_empty_index_has_no_empty_array() -> None:
    """An approved-only build may publish no clinician page; FHIR JSON has no `[]`."""
    bundle = published.index_bundle([], SITE_URL)
    valid(bundle)
    assert "entry" not in bundle


def test_a_write_after_an_earlier_one_writes_only_what_changed(tmp_path: Path) -> None:
    """The preview passes what its last write returned: a file with the same text, not
    touched since, is left alone; a changed resource, or a file changed since, is written."""
    first = PublishedResource(make(page(), rec(1, "offer", "not-graded")), "one", "a.md")
    second = replace(first, resource={**first.resource, "id": "other"}, source="b.md")
    one, other, index = (tmp_path / p for p in (first.path, second.path, published.INDEX))
    long_ago = 10**18  # a modification time no write of this test gives
    earlier = {}
    for path, made in published.write(tmp_path, [first, second], SITE_URL).items():
        os.utime(path, ns=(long_ago, long_ago))
        earlier[path] = made._replace(mtime_ns=long_ago)
    other.write_text("{}", encoding="utf-8")  # not by the build

    again = published.write(tmp_path, [first, second], SITE_URL, earlier)
    assert again[one] == earlier[one] and one.stat().st_mtime_ns == long_ago
    assert again[index] == earlier[index] and index.stat().st_mtime_ns == long_ago
    assert json.loads(other.read_text(encoding="utf-8")) == second.resource

    changed = replace(first, resource={**first.resource, "title": "A new title"})
    published.write(tmp_path, [changed, second], SITE_URL, again)
    assert json.loads(one.read_text(encoding="utf-8")) == changed.resource
    assert json.loads(index.read_text(encoding="utf-8")) == published.index_bundle(
        [changed, second], SITE_URL
    )


@pytest.mark.parametrize("site_url", [SITE_URL, None])
def test_the_index_file_is_the_bundle_as_indented_json(
    tmp_path: Path, site_url: str | None
) -> None:
    """The index's text is put together from each resource's own text: it must be the
    Bundle's JSON exactly, whatever the resources hold (nesting, empty containers, other
    scripts, line breaks and quotes in strings, text that looks like the outline's)."""
    first = PublishedResource(make(page(), rec(1, "offer", "not-graded")), "one", "a.md")
    odd = {
        "resourceType": "Basic",
        "id": "odd",
        "code": {"text": 'Douleur lombaire — "aiguë"\n\t"resource": "\u0000resource 0"'},
        "extension": [{"url": "x", "valueString": ""}, {}, []],
        "nested": {"empty": {}, "list": [[1, 2.5, None, True], {"a": {"b": []}}]},
    }
    resources = [first, PublishedResource(odd, None, "b.md")]
    published.write(tmp_path, resources, site_url)
    index = (tmp_path / published.INDEX).read_text(encoding="utf-8")
    expected = published.index_bundle(resources, site_url)
    assert index == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    published.write(tmp_path, [], site_url)
    empty = published.index_bundle([], site_url)
    assert (tmp_path / published.INDEX).read_text(encoding="utf-8") == json.dumps(
        empty, indent=2, ensure_ascii=False
    ) + "\n"


# The built site against the content's own source.

BLOCK_RE = re.compile(
    r"^/// recommendation\n((?:    [^\n]*\n)+)(.*?)^///$", re.MULTILINE | re.DOTALL
)
CITE_RE = re.compile(r"\[(@[^\]]+)\]")


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text.split("---\n")[1])
    return data


def clinician_question_pages() -> list[Path]:
    """Top-level pages (calculators live in calculators/) written for clinicians."""
    return [
        path
        for path in sorted((ROOT / "content").glob("*.md"))
        if front_matter(path).get("audience") == "clinician"
    ]


def blocks(path: Path) -> list[tuple[dict[str, str], list[str]]]:
    """Each recommendation block's options and cited keys, in page order."""
    found = []
    for options, body in BLOCK_RE.findall(path.read_text(encoding="utf-8")):
        declared = dict(line.strip().split(": ", 1) for line in options.splitlines())
        keys = [
            key.strip().lstrip("@") for group in CITE_RE.findall(body) for key in group.split(";")
        ]
        found.append((declared, list(dict.fromkeys(keys))))
    return found


def test_one_valid_plan_definition_per_clinician_page(built_site: Path) -> None:
    pages = clinician_question_pages()
    assert len(pages) >= 3
    written = sorted((built_site / "fhir" / "PlanDefinition").glob("*.json"))
    assert [p.stem for p in written] == [p.stem for p in pages]
    for path in written:
        valid(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("source", clinician_question_pages(), ids=lambda p: p.stem)
def test_every_recommendation_block_is_an_action(built_site: Path, source: Path) -> None:
    references, _ = bibliography.load(ROOT / "content" / "references.bib", "references.bib")
    plan = json.loads((built_site / "fhir" / "PlanDefinition" / f"{source.stem}.json").read_text())
    declared = blocks(source)
    assert declared, source
    assert len(plan["action"]) == len(declared)
    for number, (action, (options, cited)) in enumerate(
        zip(plan["action"], declared, strict=True), start=1
    ):
        assert (action["id"], action["prefix"]) == (options["id"], str(number))
        assert STRENGTHS[options["strength"]].words in rating(action, STRENGTH_URL)["text"]
        assert rating(action, QUALITY_URL)["text"] == CERTAINTIES[options["certainty"]].words
        citations = [d for d in action["documentation"] if d["type"] == "citation"]
        assert [c["label"] for c in citations] == cited
        for citation in citations:
            assert citation.get("url", "") == references[citation["label"]].url
        assert action["description"] and "[@" not in action["description"]
    meta = front_matter(source)
    assert plan["version"] == str(meta["last_updated"])
    assert plan["relatedArtifact"][0]["url"].endswith(f"/{source.stem}.html")


def test_the_index_lists_every_resource_and_each_page_links_its_own(built_site: Path) -> None:
    index = json.loads((built_site / "fhir" / "index.json").read_text())
    valid(index)
    files = {
        p.relative_to(built_site).as_posix(): json.loads(p.read_text())
        for p in (built_site / "fhir").rglob("*.json")
        if p.name != "index.json"
    }
    site_url = "http://localhost/guidelines/"  # mkdocs.yml's default
    assert {e["fullUrl"].removeprefix(site_url): e["resource"] for e in index["entry"]} == files
    for source in clinician_question_pages():
        html = (built_site / f"{source.stem}.html").read_text()
        [link] = BeautifulSoup(html, "html.parser").find_all(
            "a", string="FHIR PlanDefinition (JSON)"
        )
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source.stem), link["href"]))
        assert target == f"fhir/PlanDefinition/{source.stem}.json"


def test_readers_offline_keep_them_too(built_site: Path) -> None:
    service_worker = (built_site / "sw.js").read_text()
    paths = [p.relative_to(built_site).as_posix() for p in (built_site / "fhir").rglob("*")]
    assert published.INDEX in paths
    assert all(f'"{path}"' in service_worker for path in paths if path.endswith(".json"))
