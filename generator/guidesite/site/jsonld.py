"""schema.org metadata for every page, as plain data; partials/guidesite/jsonld.html writes it.

A guideline page is a `MedicalWebPage` for its audience, citing its sources; a clinician
question page also carries a `MedicalGuideline` whose `guideline` list holds one
`MedicalGuidelineRecommendation` per recommendation block. Review dates and reviewers are
stated only for approved pages: a page still under review has not been reviewed, and
saying otherwise to a search engine would be the confident wrong answer we avoid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mkdocs.structure.pages import Page

from guidesite import vocabularies
from guidesite.content.bibliography import Reference
from guidesite.content.prose import without_citation_marks
from guidesite.content.schema import PageMeta
from guidesite.site import pages
from guidesite.site.pages import SiteIndex

# Research papers are articles; guidelines, their evidence reviews, policies and summaries
# are documents.
CITATION_TYPES = {"research": "ScholarlyArticle"}


def _address(page: Page) -> str:
    return page.canonical_url or page.url


def _citation(reference: Reference) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": CITATION_TYPES.get(reference.kind, "CreativeWork"),
        "name": reference.title,
    }
    if reference.authors:
        data["author"] = reference.authors
    if reference.year:
        data["datePublished"] = reference.year
    if reference.url:
        data["url"] = reference.url
    return data


def _guideline(address: str, meta: PageMeta, index: SiteIndex) -> dict[str, Any]:
    return {
        "@type": "MedicalGuideline",
        "name": meta.question,
        "guidelineDate": meta.last_updated.isoformat(),
        "guideline": [
            {
                "@type": "MedicalGuidelineRecommendation",
                "@id": f"{address}#{rec.anchor}",
                "url": f"{address}#{rec.anchor}",
                "name": f"Recommendation {rec.number}",
                "description": rec.text,
                "recommendationStrength": rec.grade.words,
            }
            for rec in index.recommendations.get(meta.page_id, [])
        ],
    }


def page_data(
    page: Page, meta: PageMeta | None, index: SiteIndex, references: Mapping[str, Reference]
) -> dict[str, Any]:
    """The JSON-LD object for `page` (generated pages get name and address only)."""
    address = _address(page)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": address,
        "url": address,
        "name": meta.title if meta else page.title,
    }
    if meta is None:
        return data
    data |= {
        "headline": meta.question,
        "description": without_citation_marks(meta.summary),
        "audience": {
            "@type": "MedicalAudience",
            "audienceType": vocabularies.audience(meta.audience).schema_type,
        },
        "dateModified": meta.last_updated.isoformat(),
        "keywords": list(meta.tags),
        "citation": [
            _citation(references[key])
            for key in index.cited.get(meta.page_id, [])
            if key in references
        ],
    }
    if meta.status == vocabularies.APPROVED:
        data["lastReviewed"] = meta.last_updated.isoformat()
        data["reviewedBy"] = [{"@type": "Person", "name": name} for name in meta.reviewers]
    if meta.audience == vocabularies.CLINICIAN.name and not pages.is_calculator(meta):
        data["mainEntity"] = _guideline(address, meta, index)
    return data
