"""Offline after the first visit, and the notice of a newer release (service worker).

Served under a sub-path on 127.0.0.1 (a secure context, as service workers need). After
one visit the server is stopped and the browser set offline: any page, search and the
calculators must still work. A rebuild with changed content must show the notice and
keep the open page on the old release until the reader reloads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_build
from tests.support.static_server import SITE_PREFIX, serve

pytestmark = pytest.mark.browser
READY = "[data-engine-status][data-engine-state=ready]"
RESULT = "form.gs-calculator [data-result]"
UPDATE = "[data-guidesite-update]"
ENGINE_MODE = '() => globalThis[Symbol.for("guidesite.calculator-engine")].status.mode'
WAIT_FOR_CONTROLLER = """() => navigator.serviceWorker.ready.then(() =>
  navigator.serviceWorker.controller ?? new Promise((resolve) =>
    navigator.serviceWorker.addEventListener("controllerchange", resolve)))
  .then(() => navigator.serviceWorker.controller.scriptURL)"""

# Requests a precached file every 15 ms for 1.5 s, from the open page.
KEEP_FETCHING = """() => {
  const timer = setInterval(() => fetch("sitemap.xml").catch(() => {}), 15);
  setTimeout(() => clearInterval(timer), 1500);
}"""


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def first_visit(page: Any, base: str) -> None:
    """Open the home page and wait until the service worker has cached the site."""
    page.goto(base)
    assert page.evaluate(WAIT_FOR_CONTROLLER) == base + "sw.js"


def test_a_visited_site_opens_searches_and_computes_offline(built_site: Path, context: Any) -> None:
    page = context.new_page()
    with serve(built_site, SITE_PREFIX) as base:
        first_visit(page, base)
    context.set_offline(True)  # and the server is gone: nothing can come from the network

    # A page never opened before, from the cache.
    page.goto(base + "when-injections-do-not-work.html")
    assert page.locator("h1").first.inner_text()

    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("epidural", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)

    page.goto(base + "calculators/pain-relief.html")
    page.wait_for_selector(READY, timeout=30_000)
    page.locator("input[name=baseline_nrs]").fill("8")
    page.locator("input[name=current_nrs]").fill("2")
    page.locator(RESULT, has_text="75 %").wait_for(timeout=10_000)
    # From the cached memory snapshot, not the slower fallback.
    assert page.evaluate(ENGINE_MODE) == "snapshot"


def test_readers_saving_data_get_no_offline_copy(built_site: Path, context: Any) -> None:
    context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'connection', {get: () => ({saveData: true})})"
    )
    page = context.new_page()
    with serve(built_site, SITE_PREFIX) as base:
        page.goto(base, wait_until="load")
        page.wait_for_timeout(8000)  # settle delay plus idle timeout, with room to spare
        registrations = page.evaluate("() => navigator.serviceWorker.getRegistrations()")
    assert registrations == []


def test_the_web_app_manifest_and_its_icons_are_served(built_site: Path, context: Any) -> None:
    page = context.new_page()
    with serve(built_site, SITE_PREFIX) as base:
        page.goto(base + "calculators/mme.html")
        href = page.locator("link[rel=manifest]").get_attribute("href")
        manifest_url = page.evaluate("(href) => new URL(href, location.href).href", href)
        manifest = json.loads(page.request.get(manifest_url).text())
        assert manifest["start_url"] == "./" and manifest["display"] == "standalone"
        # The drawn PNGs, or the site's own SVG when mkdocs.yml names one (this site does).
        signature = {"image/png": b"\x89PNG", "image/svg+xml": b"<svg"}
        assert manifest["icons"]
        for icon in manifest["icons"]:
            response = page.request.get(manifest_url.rsplit("/", 1)[0] + "/" + icon["src"])
            assert response.ok and response.body().startswith(signature[icon["type"]])


def test_a_new_release_is_offered_and_never_mixed_with_the_open_one(
    project_copy: Path, context: Any
) -> None:
    site_dir = project_copy / "site"
    assert run_build(project_copy, site_dir).returncode == 0
    page = context.new_page()
    with serve(site_dir, SITE_PREFIX) as base:
        first_visit(page, base)
        page.goto(base + "recurrence-after-epidural.html")
        assert page.locator(UPDATE).is_hidden()

        source = project_copy / "content" / "recurrence-after-epidural.md"
        source.write_text(source.read_text() + "\nA sentence added in the next release.\n")
        result = run_build(project_copy, site_dir)
        assert result.returncode == 0, result.stdout + result.stderr

        page.reload()  # the browser looks for a new sw.js on every page load
        page.locator(UPDATE).wait_for(state="visible", timeout=30_000)
        assert "A newer version of this site is available" in page.locator(UPDATE).inner_text()
        # Until the reader chooses, every page is still the old release's.
        page.reload()
        assert "added in the next release" not in page.content()

        # The reader presses Reload while the page still asks the old release for files
        # (as a calculator engine does while it starts): Chromium restarts the old worker
        # it was stopping for the swap, and the swap must still happen.
        page.evaluate(KEEP_FETCHING)
        page.locator(UPDATE).get_by_role("button", name="Reload").click()
        # The new release takes over, then the page reloads (slow on a busy machine).
        page.get_by_text("A sentence added in the next release.").wait_for(timeout=90_000)
        assert page.locator(UPDATE).is_hidden()
