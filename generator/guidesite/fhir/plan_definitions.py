"""A FHIR PlanDefinition per clinician question page, in CPG-on-FHIR's recommendation shape.

One action per numbered recommendation block: its number (`prefix`), its stable id (the
block's `id`, which is also its anchor on the page), its statement, NICE's strength and the
certainty of its evidence as the `cqf-strengthOfRecommendation` and `cqf-qualityOfEvidence`
extensions, and what it cites as `citation` RelatedArtifacts carrying the bibliography's
URL (or DOI address). The page's last update is the resource's version and date; review
dates are stated only for approved pages, as in the page's JSON-LD (site/jsonld.py): a page
under review has not been reviewed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from guidesite import vocabularies
from guidesite.content.bibliography import Reference
from guidesite.content.prose import without_citation_marks
from guidesite.content.schema import PageMeta
from guidesite.extensions.recommendations import Grade, Recommendation
from guidesite.fhir.published import PublishedResource, address, resource_path
from guidesite.site import pages
from guidesite.site.pages import SiteIndex

STRENGTH_EXTENSION = "http://hl7.org/fhir/StructureDefinition/cqf-strengthOfRecommendation"
QUALITY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/cqf-qualityOfEvidence"
STRENGTH_SYSTEM = "http://terminology.hl7.org/CodeSystem/recommendation-strength"
QUALITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/evidence-quality"
PLAN_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/plan-definition-type"

# NICE words a recommendation it is confident in "offer" (or "do not offer") and one it is
# less sure of "consider": strong and weak on HL7's scale. "Only in research" is on no scale,
# so it is stated in words only.
STRENGTH_CODES: Mapping[str, tuple[str, str]] = {
    "offer": ("strong", "Strong"),
    "do-not-offer": ("strong", "Strong"),
    "consider": ("weak", "Weak"),
}
# GRADE levels are HL7's evidence-quality codes; consensus and not-graded are no GRADE level,
# so they are stated in words only, never coded as one.
QUALITY_CODES: Mapping[str, tuple[str, str]] = {
    "high": ("high", "High quality"),
    "moderate": ("moderate", "Moderate quality"),
    "low": ("low", "Low quality"),
    "very-low": ("very-low", "Very low quality"),
}
# The site's review status as FHIR's publication status: only an approved page is active.
STATUS = {vocabularies.APPROVED: "active"}
DRAFT = "draft"


def resource_id(page_id: str) -> str:
    """`topics/first-visit` -> `topics-first-visit`: a page id as a FHIR id (no slashes)."""
    return page_id.replace("/", "-")


def _computable_name(page_id: str) -> str:
    return "".join(word.capitalize() for word in re.split(r"[^A-Za-z0-9]+", page_id) if word)


def _present(element: dict[str, Any]) -> dict[str, Any]:
    """`element` without its empty lists: FHIR's JSON has none (a page with no tags, a
    recommendation that cites nothing the bibliography holds)."""
    return {key: value for key, value in element.items() if value != []}


def _rated(url: str, system: str, coded: tuple[str, str] | None, words: str) -> dict[str, Any]:
    concept: dict[str, Any] = {}
    if coded is not None:
        code, display = coded
        concept["coding"] = [{"system": system, "code": code, "display": display}]
    return {"url": url, "valueCodeableConcept": {**concept, "text": words}}


def _strength_words(grade: Grade) -> str:
    return f"{grade.words} ({grade.rating.lower()})"


def _citation(reference: Reference) -> dict[str, Any]:
    artifact: dict[str, Any] = {
        "type": "citation",
        "label": reference.key,
        "display": reference.title,
    }
    if reference.url:
        artifact["url"] = reference.url
    return artifact


def _action(
    rec: Recommendation, references: Mapping[str, Reference], page_url: str | None
) -> dict[str, Any]:
    documentation = [_citation(references[key]) for key in rec.cited if key in references]
    if page_url is not None:
        documentation.insert(
            0,
            {
                "type": "documentation",
                "label": f"Recommendation {rec.number}",
                "url": f"{page_url}#{rec.anchor}",
            },
        )
    return _present(
        {
            "id": rec.id,
            "extension": [
                _rated(
                    STRENGTH_EXTENSION,
                    STRENGTH_SYSTEM,
                    STRENGTH_CODES.get(rec.strength),
                    _strength_words(rec.grade),
                ),
                _rated(
                    QUALITY_EXTENSION,
                    QUALITY_SYSTEM,
                    QUALITY_CODES.get(rec.certainty),
                    rec.evidence.words,
                ),
            ],
            "prefix": str(rec.number),
            "title": f"Recommendation {rec.number}",
            "description": rec.text,
            "documentation": documentation,
        }
    )


def plan_definition(
    meta: PageMeta,
    recommendations: Sequence[Recommendation],
    references: Mapping[str, Reference],
    *,
    publisher: str,
    site_url: str | None,
    page_url: str | None,
) -> dict[str, Any]:
    """The PlanDefinition of a clinician page (`meta`) with its `recommendations` in page
    order; its addresses (`page_url`, absolute) only when the site has a `site_url`."""
    identifier = resource_id(meta.page_id)
    day = meta.last_updated.isoformat()
    resource: dict[str, Any] = {"resourceType": "PlanDefinition", "id": identifier}
    if site_url:
        resource["url"] = address(site_url, resource_path("PlanDefinition", identifier))
    resource |= {
        "version": day,
        "name": _computable_name(meta.page_id),
        "title": meta.title,
        "subtitle": meta.question,
        "type": {
            "coding": [
                {"system": PLAN_TYPE_SYSTEM, "code": "clinical-protocol"},
            ]
        },
        "status": STATUS.get(meta.status, DRAFT),
        "date": day,
        "publisher": publisher,
        "description": without_citation_marks(meta.summary),
        "topic": [{"text": tag} for tag in meta.tags],
    }
    if meta.status == vocabularies.APPROVED:
        resource["approvalDate"] = day
        resource["lastReviewDate"] = day
    # The next review is due by then: the page is meant for use until it is reviewed again.
    resource["effectivePeriod"] = {"start": day, "end": meta.next_review.isoformat()}
    if page_url is not None:
        resource["relatedArtifact"] = [
            {"type": "documentation", "label": "Page", "display": meta.title, "url": page_url}
        ]
    resource["action"] = [_action(rec, references, page_url) for rec in recommendations]
    return _present(resource)


def clinician_pages(index: SiteIndex) -> list[PageMeta]:
    """The question pages for clinicians (calculators have their own resources)."""
    return [
        meta
        for meta in index.pages.values()
        if meta.audience == vocabularies.CLINICIAN.name and not pages.is_calculator(meta)
    ]


def for_site(
    index: SiteIndex,
    references: Mapping[str, Reference],
    *,
    publisher: str,
    site_url: str | None,
    file_line: Callable[[str, int], int],
) -> list[PublishedResource]:
    """A PlanDefinition per clinician page this build publishes; `file_line(page_id,
    line)` places a recommendation's line (as converted) in its page's file."""
    made = []
    for meta in clinician_pages(index):
        recommendations = index.recommendations.get(meta.page_id, [])
        page_url = address(site_url, index.urls[meta.page_id]) if site_url else None
        resource = plan_definition(
            meta,
            recommendations,
            references,
            publisher=publisher,
            site_url=site_url,
            page_url=page_url,
        )
        made.append(
            PublishedResource(
                resource,
                meta.page_id,
                meta.path,
                element_lines={
                    f"action[{n}]": file_line(meta.page_id, rec.line)
                    for n, rec in enumerate(recommendations)
                },
            )
        )
    return made
