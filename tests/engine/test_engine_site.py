"""The engine in the built site: idle on pages without a calculator, alive across pages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.sitemap import write_sitemap
from tests.support.static_server import serve

pytestmark = pytest.mark.browser

PREFIX = "/intranet/back-pain/"
READY = "document.querySelector('[data-engine-status]')?.dataset.engineState === 'ready'"
ENGINE_START_FILES = ("worker.js", "engine/manifest.json", "pyodide.asm.wasm", ".bin.gz", ".whl")
ENGINE_WARM = (
    "() => globalThis[Symbol.for('guidesite.calculator-engine')]?.status.state === 'ready'"
)
# Engine files the page itself fetched (the worker fetches the rest after worker.js), and
# when its load event began; the classic file:// guard is not part of the engine.
ENGINE_FETCHES = """() => ({
  loaded: performance.getEntriesByType("navigation")[0].loadEventStart,
  engine: performance.getEntriesByType("resource")
    .filter((entry) => entry.name.includes("/assets/engine/"))
    .filter((entry) => !entry.name.endsWith("/file-guard.js"))
    .map((entry) => ({ name: entry.name, start: entry.startTime })),
})"""


def test_page_without_calculator_warms_the_engine_up_only_after_load(
    built_site: Path, page: Any, downloads: list[str]
):
    with serve(built_site, PREFIX) as base:
        page.goto(base + "index.html", wait_until="load")
        page.wait_for_function(ENGINE_WARM, timeout=30_000)
        timing = page.evaluate(ENGINE_FETCHES)
    assert timing["engine"], "the page fetched no engine file"
    early = [entry["name"] for entry in timing["engine"] if entry["start"] < timing["loaded"]]
    assert not early, "engine files on the critical path"
    # Only the small scheduler comes at the load event; the engine itself after a pause.
    started = [e["start"] for e in timing["engine"] if not e["name"].endswith("/prewarm.js")]
    assert min(started) >= timing["loaded"] + 900
    assert any(url.endswith(".bin.gz") for url in downloads)


@pytest.mark.parametrize(
    ("device", "path"),
    [
        (
            "Object.defineProperty(Navigator.prototype, 'deviceMemory', {get: () => 0.5})",
            "index.html",
        ),
        (
            "Object.defineProperty(Navigator.prototype, 'connection', "
            "{get: () => ({saveData: true})})",
            "index.html",
        ),
        (
            "Object.defineProperty(Navigator.prototype, 'connection', "
            "{get: () => ({effectiveType: '3g'})})",
            "index.html",
        ),
        # A capable device, on a page whose content links to no calculator.
        ("", "editorial-policy.html"),
    ],
    ids=["small-memory", "save-data", "3g", "no-calculator-link"],
)
def test_no_warm_up_where_it_would_cost_the_reader(
    built_site: Path, page: Any, downloads: list[str], device: str, path: str
):
    page.context.add_init_script(device)
    with serve(built_site, PREFIX) as base:
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(4000)  # settle delay plus idle timeout, with room to spare
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
