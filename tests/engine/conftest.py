"""Fixtures for the engine tests: a site holding only the engine and a bare test page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guidesite.engine.bundle import ENGINE_DIR, SCRIPTS_DIR, EngineAssets, build_engine_assets
from guidesite.extensions.calculator_source import SiteCalculators
from tests.conftest import SITE_NAME

ROOT = Path(__file__).resolve().parents[2]
# This site's calculators, as its mkdocs.yml names them.
SITE = SiteCalculators("calculators", SITE_NAME)

# A bare page: readable text, the status hook the forms template provides, and the
# classic file:// guard. The tests start the engine by importing engine-client.js.
TEST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Engine test page</title>
<script src="assets/engine/file-guard.js" defer></script></head>
<body><main>
<h1>Engine test page</h1>
<p id="guidance">This guidance stays readable whatever happens to the engine.</p>
<p class="gs-engine-status" data-engine-status role="status"></p>
</main></body>
</html>
"""


@pytest.fixture(scope="session")
def engine_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EngineAssets]:
    """The real calculators and Pyodide built into a site with a single test page."""
    site = tmp_path_factory.mktemp("engine") / "site"
    # The generator publishes the engine's scripts with its other assets.
    shutil.copytree(SCRIPTS_DIR, site / ENGINE_DIR)
    assets = build_engine_assets(site, ROOT / "node_modules", ROOT / ".cache", SITE)
    (site / "index.html").write_text(TEST_PAGE)
    return site, assets


@pytest.fixture(scope="session")
def engine_site(engine_build: tuple[Path, EngineAssets]) -> Path:
    return engine_build[0]


@pytest.fixture
def downloads() -> list[str]:
    """Every URL (query dropped) the page and its workers downloaded with GET; the engine
    checks types with HEAD first, which is not a download."""
    return []


@pytest.fixture
def page(browser: Any, downloads: list[str]) -> Iterator[Any]:
    context = browser.new_context()
    context.on(
        "request",
        lambda request: request.method == "GET" and downloads.append(request.url.split("?")[0]),
    )
    page = context.new_page()
    yield page
    context.close()
