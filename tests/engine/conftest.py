"""Fixtures for the engine tests: a site holding only the engine and a bare test page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.engine import ENGINE_DIR, SCRIPTS_DIR, EngineAssets, build_engine_assets

ROOT = Path(__file__).resolve().parents[2]

# A bare page: readable text, the status hook the forms template provides, and the
# classic file:// guard. The tests start the engine by importing engine-client.js.
TEST_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Engine test page</title>
<script src="assets/engine/file-guard.js" defer></script></head>
<body><main>
<h1>Engine test page</h1>
<p id="guidance">This guidance stays readable whatever happens to the engine.</p>
<p class="bpp-engine-status" data-engine-status role="status"></p>
</main></body>
</html>
"""


@pytest.fixture(scope="session")
def engine_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EngineAssets]:
    """The real calculators and Pyodide built into a site with a single test page."""
    site = tmp_path_factory.mktemp("engine") / "site"
    # The generator publishes the engine's scripts with its other assets.
    shutil.copytree(SCRIPTS_DIR, site / ENGINE_DIR)
    assets = build_engine_assets(site, ROOT / "node_modules", ROOT / ".cache")
    (site / "index.html").write_text(TEST_PAGE)
    return site, assets


@pytest.fixture(scope="session")
def engine_site(engine_build: tuple[Path, EngineAssets]) -> Path:
    return engine_build[0]
