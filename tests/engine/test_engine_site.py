"""The engine in the built site: idle on pages without a calculator, alive across pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.static_server import serve

pytestmark = pytest.mark.browser

PREFIX = "/intranet/back-pain/"
READY = "document.querySelector('[data-engine-status]')?.dataset.engineState === 'ready'"
ENGINE_START_FILES = ("worker.js", "manifest.json", "pyodide.asm.wasm", ".bin.gz", ".whl")


@pytest.fixture
def downloads() -> list[str]:
    return []


@pytest.fixture
def page(browser: Any, downloads: list[str]) -> Iterator[Any]:
    context = browser.new_context()
    context.on("request", lambda request: record_download(downloads, request))
    page = context.new_page()
    yield page
    context.close()


def record_download(downloads: list[str], request: Any) -> None:
    if request.method == "GET":  # the engine checks types with HEAD first
        downloads.append(request.url.split("?")[0])


def write_sitemap(site: Path, base: str) -> None:
    """List every page under the URL it is served from.

    Material's instant navigation only takes over links to pages its sitemap lists, and
    MkDocs writes an empty sitemap when `site_url` is unset (an intranet address is known
    only when the site is installed).
    """
    urls = "".join(
        f"<url><loc>{base}{path.relative_to(site).as_posix()}</loc></url>"
        for path in sorted(site.rglob("*.html"))
    )
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def test_page_without_calculator_does_not_start_the_engine(
    built_site: Path, page: Any, downloads: list[str]
):
    with serve(built_site, PREFIX) as base:
        page.goto(base + "index.html", wait_until="networkidle")
    started = [url for url in downloads if url.endswith(ENGINE_START_FILES)]
    assert not started


def test_engine_survives_instant_navigation(
    built_site: Path, tmp_path: Path, page: Any, downloads: list[str]
):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    with serve(site, PREFIX) as base:
        write_sitemap(site, base)
        page.goto(base + "calculators/odi.html")
        page.evaluate(
            """async () => (await import("../assets/engine/engine-client.js")).getEngine()
                .run("odi", {})"""
        )
        page.wait_for_function(READY, timeout=30_000)
        page.evaluate("window.sameDocument = true")
        page.click("a[href$='mme.html']")
        page.wait_for_url("**/calculators/mme.html")
        page.wait_for_function(READY, timeout=10_000)
        assert page.evaluate("window.sameDocument === true"), "instant navigation did not happen"
    for name in ("worker.js", "pyodide.asm.wasm"):
        assert sum(url.endswith(name) for url in downloads) == 1, name
