"""Clinicians search by abbreviation: each one is in the search index and explained on hover."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ABBREVIATIONS = ("ESI", "RFA", "SCS", "MBB", "DRG", "PRF", "FBSS", "CES", "LBP")
GLOSSARY = Path(__file__).resolve().parents[2] / "content" / "abbreviations.txt"


def glossary() -> dict[str, str]:
    entries = re.findall(r"^\*\[(.+?)\]:\s*(.+)$", GLOSSARY.read_text(), re.MULTILINE)
    return dict(entries)


@pytest.mark.parametrize("abbreviation", ABBREVIATIONS)
def test_search_index_finds_the_abbreviation(built_site: Path, abbreviation: str) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    pattern = re.compile(rf"\b{abbreviation}\b")
    hits = [doc["location"] for doc in index["docs"] if pattern.search(doc["text"])]
    assert hits, f"searching {abbreviation!r} finds nothing"


@pytest.mark.parametrize("abbreviation", ABBREVIATIONS)
def test_the_glossary_explains_it_on_hover(built_site: Path, abbreviation: str) -> None:
    title = glossary()[abbreviation]
    found = [
        abbr["title"]
        for page in built_site.rglob("*.html")
        for abbr in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(
            "abbr", string=abbreviation
        )
    ]
    assert found and set(found) == {title}


@pytest.mark.parametrize("abbreviation", ABBREVIATIONS)
def test_each_page_spells_it_out_at_first_use(built_site: Path, abbreviation: str) -> None:
    """On every page that uses it, the first use is "words (ABBR)", as the glossary says.

    Only what editors write counts: calculator forms, results, rules and examples (generated
    from Python, `gs-` classes), references and related questions are left out.
    """
    words = glossary()[abbreviation].split(",")[0]
    for page in built_site.rglob("*.html"):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            "article"
        )
        if article is None:
            continue
        generated_parts = 'section.gs-references, nav.gs-related, form, [class^="gs-"]'
        for generated in article.select(generated_parts):
            generated.decompose()
        text = " ".join(article.get_text(" ").split())
        first = re.search(rf"\b{abbreviation}\b", text)
        if first is None:
            continue
        before = text[: first.start()].rstrip(" (").lower()
        assert before.endswith(words.lower()), (
            f"{page.relative_to(built_site)}: first {abbreviation} is not spelled out: "
            f"...{text[max(0, first.start() - 60) : first.end()]}"
        )


def test_the_glossary_is_not_published_as_a_page(built_site: Path) -> None:
    assert not list(built_site.rglob("abbreviations*"))
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    assert not [doc for doc in index["docs"] if "abbreviations" in doc["location"]]
