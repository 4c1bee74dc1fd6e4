"""The real content, built once (`built_site`), read back with BeautifulSoup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from guidesite import PACKAGE_DIR
from guidesite.content.bibliography import load
from guidesite.content.schema import PageMeta, parse_front_matter
from guidesite.site import assets

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
# Guideline questions and calculator pages; ordinary pages (kind: page) are tested in
# test_ordinary_pages.py.
GUIDE_PAGES = sorted(
    p.relative_to(CONTENT).with_suffix("").as_posix()
    for p in CONTENT.rglob("*.md")
    if "\nkind: page\n" not in p.read_text(encoding="utf-8").split("\n---\n", 1)[0]
)
REFERENCES, _ = load(CONTENT / "references.bib", "content/references.bib")


def soup(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


def meta_of(page_id: str) -> PageMeta:
    meta, problems = parse_front_matter(
        page_id, page_id, (CONTENT / f"{page_id}.md").read_text(encoding="utf-8")
    )
    assert meta is not None, problems
    return meta


def article(site: Path, page_id: str) -> Tag:
    found = soup(site, f"{page_id}.html").select_one("article.md-content__inner")
    assert found is not None
    return found


def test_there_are_guideline_pages() -> None:
    assert len(GUIDE_PAGES) >= 5


@pytest.mark.parametrize("page_id", GUIDE_PAGES)
def test_page_header_status_dates_badge_and_disclaimer(built_site: Path, page_id: str) -> None:
    meta = meta_of(page_id)
    page = article(built_site, page_id)
    h1s = page.find_all("h1")
    calculator_page = page_id.startswith("calculators/")
    # A calculator's page is headed by its title; its question follows the form.
    assert [h.get_text(strip=True) for h in h1s] == [
        meta.title if calculator_page else meta.question
    ]
    badge = page.select_one(f".gs-page-header .gs-badge--{meta.audience}")
    assert badge is not None
    steps = page.select("ol.gs-tracker li")
    assert [s.get_text(strip=True) for s in steps] == ["Submitted", "Under review", "Approved"]
    (current,) = page.select("ol.gs-tracker li[aria-current=step]")
    assert current.get_text(strip=True).lower().replace(" ", "-") == meta.status
    times = [t["datetime"] for t in page.select(".gs-review__dates time")]
    assert times == [meta.last_updated.isoformat(), meta.next_review.isoformat()]
    assert page.select_one(".gs-disclaimer") is not None
    summary = page.select_one(".gs-callout.bottom-line")
    assert summary is not None
    after_header = page.select_one("header.gs-page-header").find_next_siblings(limit=3)
    if calculator_page:
        question = page.select_one(".gs-page-about .gs-page-about__question")
        assert question is not None
        assert meta.question in question.get_text()
        # The form first (after at most a short paragraph), the bottom line below it.
        classes = [c for element in after_header[:2] for c in element.get("class", [])]
        assert "gs-calculator-embed" in classes
        assert summary.find_next_sibling() is page.select_one(".gs-reading")
    else:
        # After the link to an embedded form, if the page has one.
        first = after_header[1] if "gs-form-link" in after_header[0].get("class", []) else None
        assert (first or after_header[0]) is summary


@pytest.mark.parametrize("page_id", GUIDE_PAGES)
def test_counterpart_link(built_site: Path, page_id: str) -> None:
    meta = meta_of(page_id)
    link = article(built_site, page_id).select_one(".gs-counterpart a")
    if meta.counterpart is None:
        assert link is None
    else:
        assert link is not None
        target = (built_site / page_id).parent / link["href"]
        assert target.resolve() == (built_site / f"{meta.counterpart}.html").resolve()


@pytest.mark.parametrize("page_id", GUIDE_PAGES)
def test_citations_are_numbered_in_first_use_order_and_resolve(
    built_site: Path, page_id: str
) -> None:
    page = article(built_site, page_id)
    links = page.select("sup.gs-cite a")
    assert links, "every guideline page cites its sources"
    number_of: dict[str, int] = {}
    for link in links:
        key = link["href"].removeprefix("#ref-")
        number = int(link.get_text())
        # first use takes the next number; later uses repeat it
        assert number_of.setdefault(key, len(number_of) + 1) == number
    # The bottom line comes first, and cites first, except on a page whose form comes first.
    first = page.select_one(".gs-callout.bottom-line sup.gs-cite a")
    if first is not None and page.select_one(".gs-reading") is None:
        assert first.get_text() == "1"

    entries = page.select("section.gs-references li.gs-reference")
    assert [e["id"].removeprefix("ref-") for e in entries] == list(number_of)
    assert [int(e["value"]) for e in entries] == list(range(1, len(entries) + 1))
    ids = {el["id"] for el in page.find_all(id=True)}
    for entry in entries:
        key = entry["id"].removeprefix("ref-")
        assert entry.select_one(f".gs-kind--{REFERENCES[key].kind}") is not None
        backlinks = [a["href"].removeprefix("#") for a in entry.select("a.gs-backlink")]
        uses = [a["id"] for a in links if a["href"] == f"#ref-{key}"]
        assert backlinks == uses
        assert set(backlinks) <= ids


@pytest.mark.parametrize("page_id", GUIDE_PAGES)
def test_related_questions_lead_with_the_explicit_ones(built_site: Path, page_id: str) -> None:
    meta = meta_of(page_id)
    related = article(built_site, page_id).select(".gs-related li a")
    hrefs = [a["href"] for a in related]
    explicit = [f"{Path(r).name}.html" for r in meta.related]
    assert [Path(h).name for h in hrefs[: len(explicit)]] == explicit


def test_home_lists_every_question_grouped_by_topic(built_site: Path) -> None:
    home = soup(built_site, "index.html")
    assert home.select_one(".gs-howto") is not None
    assert home.select_one(".gs-audience-switch [data-gs-audience-choice=patient]") is not None
    linked = {a["href"] for a in home.select(".gs-topic .gs-questions a")}
    assert linked == {f"{p}.html" for p in GUIDE_PAGES}
    for page_id in GUIDE_PAGES:
        meta = meta_of(page_id)
        if not page_id.startswith("calculators/"):
            section = home.select_one(f"section.gs-topic:has(h2#gs-topic-{meta.topic})")
            assert section is not None
            assert section.select_one(f'a[href="{page_id}.html"]') is not None


def test_all_references_lists_every_entry_with_citing_pages(built_site: Path) -> None:
    page = soup(built_site, "references.html")
    entries = page.select("li.gs-reference")
    assert [e["id"].removeprefix("ref-") for e in entries] == list(REFERENCES)
    for page_id in GUIDE_PAGES:
        for link in article(built_site, page_id).select("section.gs-references li"):
            key = link["id"].removeprefix("ref-")
            entry = page.select_one(f"li#ref-{key}")
            assert entry is not None
            assert entry.select_one(f'a[href="{page_id}.html#ref-{key}"]') is not None


def test_topics_list_every_tag(built_site: Path) -> None:
    page = soup(built_site, "topics.html")
    tags = {tag for p in GUIDE_PAGES for tag in meta_of(p).tags}
    assert {s["id"].removeprefix("tag-") for s in page.select("section.gs-topic")} == tags


def test_no_inline_handlers_and_no_outside_hosts_in_src_or_href(built_site: Path) -> None:
    reference_links = {r.url for r in REFERENCES.values() if r.url}
    for html in built_site.rglob("*.html"):
        page = soup(built_site, html.relative_to(built_site).as_posix())
        for element in page.find_all(True):
            assert not [a for a in element.attrs if a.startswith("on")], (html, element.name)
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if not value or not re.match(r"(https?:)?//", value):
                    continue
                if "canonical" in element.get("rel", []):
                    # The page's own published address (site_url), never fetched.
                    assert value.endswith("/" + html.relative_to(built_site).as_posix())
                else:
                    assert attribute == "href" and value in reference_links, (html, value)
        for script in page.find_all("script", src=True):
            assert "guidesite" not in script["src"] or script.string is None


def test_vendored_assets_and_polyfill(built_site: Path) -> None:
    assert (built_site / "assets/vendor/iframe-worker/shim.js").is_file()
    home = soup(built_site, "index.html")
    sources = [s["src"] for s in home.find_all("script", src=True)]
    assert "assets/vendor/iframe-worker/shim.js" in sources
    assert "assets/guidesite/guidesite.js" in sources
    assert not list(ROOT.glob("content/index.md")), "generated pages are virtual"


def test_the_head_waits_for_one_site_stylesheet_and_two_small_scripts(built_site: Path) -> None:
    # Every render-blocking request delays the first paint on a phone (README, Performance):
    # Material's stylesheet, the site's one, the search polyfill and the frame guard.
    for page in ("index.html", "recurrence-after-epidural.html", "calculators/next-step.html"):
        html = soup(built_site, page)
        assert html.head is not None and html.body is not None
        root = "../" if "/" in page else ""
        sheets = [link["href"] for link in html.head.select("link[rel=stylesheet]")]
        assert [re.sub(r"\.[0-9a-f]{8}\.min", "", href) for href in sheets] == [
            f"{root}assets/stylesheets/main.css",
            f"{root}assets/guidesite/site.css",
        ], page
        assert [s["src"] for s in html.head.select("script[src]")] == [
            f"{root}assets/vendor/iframe-worker/shim.js",
            f"{root}assets/guidesite/frame-guard.js",
        ], page
        # Material's helpers and search on demand, still before the bundle that uses them.
        body_scripts = [s["src"] for s in html.body.select("script[src]")]
        bundle = next(i for i, src in enumerate(body_scripts) if "/bundle." in src)
        assert body_scripts[bundle - 2 : bundle] == [
            f"{root}assets/guidesite/setup.js",
            f"{root}assets/guidesite/search-on-demand.js",
        ], page


def test_the_site_stylesheet_joins_the_generators_parts(built_site: Path) -> None:
    joined = (built_site / "assets/guidesite/site.css").read_text(encoding="utf-8")
    # The default site has calculators and works offline, so every part is in.
    parts = [*assets.STYLESHEET_PARTS, *assets.OFFLINE_STYLESHEET_PARTS]
    for part in parts:
        text = (PACKAGE_DIR / part).read_text(encoding="utf-8")
        assert f"/* {part} */\n{text}" in joined, part
        assert not (built_site / part).exists(), f"{part} is published only inside site.css"
    # In order, so a later part still overrides an earlier one as it did as its own file.
    assert [joined.index(f"/* {part} */") for part in parts] == sorted(
        joined.index(f"/* {part} */") for part in parts
    )


def test_folded_sections_are_indexed_for_search_under_their_headings(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    texts = {doc["location"]: doc["text"] for doc in index["docs"]}
    assert "Fairbank" in texts["calculators/odi.html#evidence"]
    assert "licensed" in texts["calculators/odi.html#when-to-use"]
    # The page itself is served with its folds, not the search indexer's reading of them.
    html = (built_site / "calculators" / "odi.html").read_text()
    assert html.count('<summary class="gs-fold__heading">') >= 5
    assert "gs-fold-heading-->" not in html


def test_links_to_a_calculator_are_marked_for_the_engine_warm_up(built_site: Path) -> None:
    """prewarm.js warms the engine only on pages whose content links to a calculator page."""

    def marked(path: str) -> set[str]:
        article = soup(built_site, path).select_one("article")
        return {a["href"].split("#")[0] for a in article.select("a[data-gs-calculator-link]")}

    # Its text links to the planner; its related questions to pages that embed it.
    assert "calculators/next-step.html" in marked("when-epidurals-do-not-work.html")
    assert "recurrence-after-epidural.html" in marked("when-epidurals-do-not-work.html")
    assert "calculators/next-step.html" in marked("index.html")
    # Policy pages link to no calculator: their readers never download the engine.
    assert marked("editorial-policy.html") == marked("accessibility.html") == set()
    # A calculator page's links to itself are not marked.
    assert "next-step.html" not in marked("calculators/next-step.html")
