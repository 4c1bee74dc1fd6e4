"""The built site in headless Chromium, served under a sub-path like an intranet would.

Every page must load with no request to any other host, no failed request and no console
error; search, the audience preference and the print stylesheet must work.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.static_server import SITE_PREFIX, serve

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(tempfile.gettempdir()) / "guidesite-screenshots"


@pytest.fixture
def site(built_site: Path) -> Iterator[str]:
    with serve(built_site, SITE_PREFIX) as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def watch(page: Any, base: str) -> tuple[list[str], list[str]]:
    """Collect requests to other hosts, and console errors plus failed requests."""
    origin = base.removesuffix(SITE_PREFIX)
    outside: list[str] = []
    problems: list[str] = []

    def on_request(request: Any) -> None:
        if not request.url.startswith((origin + "/", "data:", "blob:")):
            outside.append(request.url)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    page.on("request", on_request)
    page.on("response", on_response)

    def on_failed(request: Any) -> None:
        # Leaving a page cancels what it was still loading (the calculator engine); fine.
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"failed {request.url}: {request.failure}")

    page.on("requestfailed", on_failed)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return outside, problems


def test_every_page_loads_offline_without_errors(built_site: Path, site: str, page: Any) -> None:
    outside, problems = watch(page, site)
    names = sorted(
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if "assets" not in p.relative_to(built_site).parts and p.name != "404.html"
    )
    assert "index.html" in names
    for name in names:
        response = page.goto(site + name, wait_until="load")
        assert response is not None and response.ok, name
        page.wait_for_load_state("networkidle")
    assert outside == []
    assert problems == []


def test_search_works_over_http_under_a_sub_path(site: str, page: Any) -> None:
    outside, problems = watch(page, site)
    page.goto(site)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed key by key: Material searches on key events, not on a programmatic fill.
    page.locator(".md-search__input").press_sequentially("epidural", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0
    href = page.locator(".md-search-result__link").first.get_attribute("href")
    assert href and href.startswith(site)
    assert outside == [] and problems == []


def test_audience_preference_is_remembered_and_survives_instant_navigation(
    site: str, page: Any
) -> None:
    page.goto(site)
    switch = page.locator(".gs-audience-switch")
    assert switch.is_visible()
    page.click("[data-gs-audience-choice=patient]")
    html = page.locator("html")
    assert html.get_attribute("data-gs-audience") == "patient"
    # In every list holding both, the patient questions are now shown first.
    for group in page.locator("ul.gs-questions").all():
        tops = {
            audience: [
                item.bounding_box()["y"]
                for item in group.locator(f".gs-questions__item[data-gs-audience={audience}]").all()
            ]
            for audience in ("clinician", "patient")
        }
        if tops["clinician"] and tops["patient"]:
            assert max(tops["patient"]) < min(tops["clinician"])
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home-patient.png"), full_page=True)

    # Instant navigation to a clinician page: the preference holds and the link to the
    # patient version is emphasised.
    page.click(".gs-questions__item[data-gs-audience=clinician] a >> nth=0")
    page.locator("h1.gs-question").wait_for()
    assert html.get_attribute("data-gs-audience") == "patient"
    counterpart = page.locator(".gs-counterpart[data-gs-counterpart-audience=patient]")
    if counterpart.count():
        assert counterpart.evaluate("el => getComputedStyle(el).fontWeight") == "700"

    # Back home by instant navigation: the switch is wired again, and a reload remembers.
    page.click(".md-nav__link[href$='index.html'] >> nth=0")
    page.locator(".gs-audience-switch").wait_for(state="visible")
    page.click("[data-gs-audience-choice=clinician]")
    page.reload()
    assert page.locator("html").get_attribute("data-gs-audience") == "clinician"


def test_screenshots_of_home_and_a_clinician_page(site: str, page: Any) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(site)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    page.goto(site + "recurrence-after-epidural.html")
    page.screenshot(path=str(SCREENSHOTS / "clinician.png"))
    assert (SCREENSHOTS / "clinician.png").stat().st_size > 0


def test_print_shows_the_page_and_its_references_without_site_chrome(site: str, page: Any) -> None:
    page.goto(site + "recurrence-after-epidural.html")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1.gs-question", ".gs-review", "section.gs-references", ".gs-disclaimer"):
        assert page.locator(shown).first.is_visible(), shown
    assert not page.locator(".gs-backlink").first.is_visible()
    page.pdf(path=str(SCREENSHOTS / "clinician.pdf"))
