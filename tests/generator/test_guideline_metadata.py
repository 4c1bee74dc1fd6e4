"""Recommendations, page history, What's new and JSON-LD on the built site, read back and
checked against the front matter and the page body they come from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import extruct
from bs4 import BeautifulSoup

from guidesite.extensions.recommendations import STRENGTHS
from tests.conftest import run_build
from tests.generator.projects import REVIEWED_BY, approved
from tests.generator.test_site import GUIDE_PAGES, REFERENCES, article, meta_of, soup

RECS_PAGE = "radicular-pain-not-settling"
SITE_URL = "http://localhost/guidelines/"


def json_ld(site: Path, name: str) -> list[dict[str, Any]]:
    html = (site / name).read_text(encoding="utf-8")
    found: list[dict[str, Any]] = extruct.extract(
        html, base_url=SITE_URL + name, syntaxes=["json-ld"], uniform=True
    )["json-ld"]
    return found


def test_recommendations_are_numbered_and_listed_at_a_glance_under_the_bottom_line(
    built_site: Path,
) -> None:
    body = article(built_site, RECS_PAGE)
    blocks = body.select("section.gs-rec")
    assert len(blocks) >= 2
    numbers = [b.select_one(".gs-rec__number").get_text() for b in blocks]
    assert numbers == [f"Recommendation {n}" for n in range(1, len(blocks) + 1)]
    for block in blocks:
        assert block.select_one(".gs-rec__number")["href"] == f"#{block['id']}"
        assert block.select_one(".gs-rec__statement sup.gs-cite a") is not None
    glance = body.select_one(".gs-callout.bottom-line + section.gs-glance")
    assert glance is not None, "the glance list follows the bottom line"
    items = glance.select("li.gs-glance__item")
    assert [i.select_one("a")["href"] for i in items] == [f"#{b['id']}" for b in blocks]
    assert [i.select_one(".gs-rec__strength").get_text(" ", strip=True) for i in items] == [
        b.select_one(".gs-rec__strength").get_text(" ", strip=True) for b in blocks
    ]
    assert not glance.select("sup"), "no citation marks (or their ids) are repeated"


def test_every_page_ends_with_its_changes(built_site: Path) -> None:
    for page_id in GUIDE_PAGES:
        page = soup(built_site, f"{page_id}.html")
        section = page.select_one("section.gs-changes")
        assert section is not None, page_id
        entries = [li.get_text(" ", strip=True) for li in section.select("li")]
        history = meta_of(page_id).history
        assert len(entries) == len(history) >= 1
        for text, entry in zip(entries, history, strict=True):
            assert entry.change in text
        dates = [t["datetime"] for t in section.select("time")]
        assert dates == [e.date.isoformat() for e in history]


def site_changes() -> list[tuple[str, str, str]]:
    """(date, page title, change) of every page, newest first then by title."""
    every = [
        (entry.date, meta.title, entry.change)
        for meta in map(meta_of, GUIDE_PAGES)
        for entry in meta.history
    ]
    every.sort(key=lambda c: (-c[0].toordinal(), c[1].lower()))
    return [(date.isoformat(), title, change) for date, title, change in every]


def listed_changes(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    return [
        (
            li.select_one("time")["datetime"],
            li.select_one("a").get_text(),
            # "<day>: <title> <badge>: <change>"; the change itself may hold ": ".
            li.get_text(" ", strip=True).split(": ", 2)[2],
        )
        for li in page.select("ol.gs-changes__list--site li")
    ]


def test_whats_new_lists_every_change_newest_first_and_home_the_three_latest(
    built_site: Path,
) -> None:
    assert listed_changes(soup(built_site, "whats-new.html")) == site_changes()
    home = soup(built_site, "index.html")
    assert listed_changes(home) == site_changes()[:3]
    assert home.select_one('.gs-recent-changes a[href="whats-new.html"]') is not None


def test_every_page_carries_json_ld_matching_its_front_matter(built_site: Path) -> None:
    for page_id in GUIDE_PAGES:
        meta = meta_of(page_id)
        (data,) = json_ld(built_site, f"{page_id}.html")
        assert data["@type"] == "MedicalWebPage"
        assert data["url"] == f"{SITE_URL}{page_id}.html"
        assert data["name"] == meta.title and data["headline"] == meta.question
        assert data["audience"] == {
            "@type": "MedicalAudience",
            "audienceType": meta.audience.capitalize(),
        }
        assert data["dateModified"] == meta.last_updated.isoformat()
        # Nothing is approved yet, so nothing claims a review.
        assert meta.status != "approved"
        assert "reviewedBy" not in data and "lastReviewed" not in data
        listed = [
            li["id"].removeprefix("ref-")
            for li in article(built_site, page_id).select("section.gs-references li")
        ]
        assert [c["name"] for c in data["citation"]] == [REFERENCES[k].title for k in listed]
        is_guideline = meta.audience == "clinician" and not page_id.startswith("calculators/")
        assert ("mainEntity" in data) is is_guideline


def test_clinician_pages_describe_each_recommendation_in_json_ld(built_site: Path) -> None:
    (data,) = json_ld(built_site, f"{RECS_PAGE}.html")
    guideline = data["mainEntity"]
    assert guideline["@type"] == "MedicalGuideline"
    blocks = article(built_site, RECS_PAGE).select("section.gs-rec")
    words = {grade.words: key for key, grade in STRENGTHS.items()}
    described = [
        (r["@type"], r["url"].split("#")[1], words[r["recommendationStrength"]])
        for r in guideline["guideline"]
    ]
    assert described == [
        (
            "MedicalGuidelineRecommendation",
            b["id"],
            next(c for c in b["class"] if c != "gs-rec").removeprefix("gs-rec--"),
        )
        for b in blocks
    ]
    statements = [b.select_one(".gs-rec__statement") for b in blocks]
    for recommendation, statement in zip(guideline["guideline"], statements, strict=True):
        for mark in statement.select("sup"):
            mark.decompose()
        assert recommendation["description"] == " ".join(statement.get_text().split()).replace(
            " .", "."
        )


def test_generated_pages_carry_json_ld_too(built_site: Path) -> None:
    for name in ("index.html", "topics.html", "references.html", "whats-new.html"):
        (data,) = json_ld(built_site, name)
        assert data["@type"] == "MedicalWebPage" and data["url"] == SITE_URL + name


def test_approved_pages_name_reviewers_and_new_recommendations_reach_whats_new(
    project_copy: Path, tmp_path: Path
) -> None:
    page = project_copy / "content" / f"{RECS_PAGE}.md"
    text = approved(page.read_text())
    first_id = text.split("    id: ", 1)[1].split("\n", 1)[0]
    text = text.replace(
        f"    id: {first_id}\n", f"    id: {first_id}\n    change: new\n    changed: 2026-11-01\n"
    )
    page.write_text(text)
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    meta = meta_of(RECS_PAGE)
    (data,) = json_ld(site, f"{RECS_PAGE}.html")
    assert data["lastReviewed"] == meta.last_updated.isoformat()
    assert [r["name"] for r in data["reviewedBy"]] == list(REVIEWED_BY)

    block = soup(site, f"{RECS_PAGE}.html").select_one(f"#rec-{first_id}")
    assert block.select_one(".gs-rec__change").get_text() == "[new 2026]"
    new = soup(site, "whats-new.html").select_one(".gs-whats-new__list li")
    assert new.select_one("a")["href"] == f"{RECS_PAGE}.html#rec-{first_id}"
    assert "[new 2026]" in new.get_text()
