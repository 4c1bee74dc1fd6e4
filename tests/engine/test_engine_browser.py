"""The engine alone in headless Chromium: it starts, computes, fails clearly, and starts once."""

from __future__ import annotations

import gzip
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

import calculators
from tests.support.static_server import serve

pytestmark = pytest.mark.browser

PREFIX = "/intranet/back-pain/"
STATUS = "[data-engine-status]"
# Imports the client the way the forms runtime does and runs one calculation.
RUN_ONCE = """async ([name, inputs]) => {
  const { getEngine } = await import("./assets/engine/engine-client.js");
  return getEngine().run(name, inputs);
}"""
START = """async () => {
  const { getEngine } = await import("./assets/engine/engine-client.js");
  getEngine();
}"""
KEPT = """() => new Promise((resolve) => {
  const request = indexedDB.open("guidesite-engine");
  request.onsuccess = () => {
    const db = request.result;
    const count = db.transaction("snapshots").objectStore("snapshots").count();
    count.onsuccess = () => { db.close(); resolve(count.result === 1); };
  };
})"""
SETTLED = "() => document.querySelector('[data-engine-status]').dataset.engineState !== 'loading'"


def engine_status(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """async () => (await import("./assets/engine/engine-client.js")).getEngine().status"""
    )


def requested(downloads: list[str], suffix: str) -> int:
    return sum(url.endswith(suffix) for url in downloads)


def site_copy(engine_site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(engine_site, copy)
    return copy


def test_engine_computes_every_calculator_from_the_snapshot(
    engine_site: Path, page: Any, downloads: list[str]
):
    with serve(engine_site, PREFIX) as base:
        page.goto(base, wait_until="networkidle")
        assert requested(downloads, "worker.js") == 0, (
            "the engine must wait until a form asks for it"
        )
        for name in calculators.names():
            inputs = calculators.spec(name)["examples"][0]["inputs"]
            assert page.evaluate(RUN_ONCE, [name, inputs]) == calculators.run(name, inputs)
        status = engine_status(page)
        assert status["state"] == "ready" and status["mode"] == "snapshot"
        assert page.inner_text(STATUS) == "Calculator engine ready."
        assert requested(downloads, "pyodide.asm.wasm") == 1


def test_engine_is_started_once_per_tab(engine_site: Path, page: Any, downloads: list[str]):
    with serve(engine_site, PREFIX) as base:
        page.goto(base)
        same = page.evaluate(
            """async () => {
              const first = (await import("./assets/engine/engine-client.js")).getEngine();
              await first.run("odi", {});
              // A second copy of the client module (another URL) must find the same engine.
              const again = await import("./assets/engine/engine-client.js?copy");
              return again.getEngine() === first;
            }"""
        )
        assert same
        assert requested(downloads, "worker.js") == 1
        assert requested(downloads, "pyodide.asm.wasm") == 1


def test_a_second_visit_starts_from_the_snapshot_kept_in_indexeddb(
    engine_site: Path, page: Any, downloads: list[str]
):
    inputs = calculators.spec("odi")["examples"][0]["inputs"]
    with serve(engine_site, PREFIX) as base:
        for visit in ("snapshot downloaded and unpacked", "snapshot read from IndexedDB"):
            page.goto(base)
            assert page.evaluate(RUN_ONCE, ["odi", inputs]) == calculators.run("odi", inputs)
            status = engine_status(page)
            steps = [step for step, _ in status["timeline"]]
            assert status["mode"] == "snapshot"
            assert visit in steps, steps
            assert {"worker started", "WebAssembly compiled", "loadPyodide resolved"} <= set(steps)
            times = [at for _, at in status["timeline"]]
            assert times == sorted(times)
            # Kept once the engine is ready, so wait until the copy is stored.
            page.wait_for_function(KEPT)
    assert requested(downloads, ".bin.gz") == 1


def test_engine_falls_back_to_the_wheel_when_the_snapshot_is_unusable(
    engine_site: Path, tmp_path: Path, page: Any
):
    site = site_copy(engine_site, tmp_path)
    engine_dir = site / "assets" / "engine"
    snapshot = json.loads((engine_dir / "manifest.json").read_text())["snapshot"]
    (engine_dir / snapshot).write_bytes(gzip.compress(b"not a Pyodide snapshot"))
    inputs = calculators.spec("next_step")["examples"][0]["inputs"]
    with serve(site, PREFIX) as base:
        page.goto(base)
        assert page.evaluate(RUN_ONCE, ["next_step", inputs]) == calculators.run(
            "next_step", inputs
        )
        assert engine_status(page)["mode"] == "wheel"


@pytest.mark.parametrize(
    ("overrides", "named_file"),
    [
        ({".wasm": "application/octet-stream"}, "pyodide.asm.wasm"),
        ({".mjs": "text/plain"}, ".mjs"),
    ],
)
def test_wrong_mime_type_is_explained_within_ten_seconds(
    engine_site: Path, page: Any, overrides: dict[str, str], named_file: str
):
    with serve(engine_site, PREFIX, overrides) as base:
        page.goto(base)
        started = time.monotonic()
        page.evaluate(START)
        page.wait_for_function(SETTLED, timeout=10_000)
        elapsed = time.monotonic() - started
        text = page.inner_text(STATUS)
        assert elapsed < 10
        assert named_file in text and next(iter(overrides.values())) in text
        assert "administrator" in text
        assert page.evaluate(RUN_ONCE, ["odi", {}])["errors"][0]["message"] == text
        assert page.is_visible("#guidance")


def test_a_silent_hang_ends_in_a_timeout_message(engine_site: Path, tmp_path: Path, page: Any):
    site = site_copy(engine_site, tmp_path)
    (site / "assets" / "engine" / "worker.js").write_text("// never answers\n")
    with serve(site, PREFIX) as base:
        page.goto(base)
        started = time.monotonic()
        page.evaluate(START)
        page.wait_for_function(SETTLED, timeout=10_000)
        assert time.monotonic() - started < 10
        assert "did not start within 8 seconds" in page.inner_text(STATUS)
        assert page.is_visible("#guidance")


def test_file_url_explains_why_calculators_are_off(engine_site: Path, page: Any):
    page.goto((engine_site / "index.html").as_uri())
    page.wait_for_function(SETTLED.replace("!== 'loading'", "=== 'error'"), timeout=5_000)
    assert "file://" in page.inner_text(STATUS)
    assert page.is_visible("#guidance")


def test_snapshot_unpacked_by_the_server_is_used_as_is(engine_site: Path, page: Any):
    """A server may send the .gz with `Content-Encoding: gzip`; the browser then unpacks it."""
    engine_dir = engine_site / "assets" / "engine"
    snapshot = json.loads((engine_dir / "manifest.json").read_text())["snapshot"]
    unpacked = gzip.decompress((engine_dir / snapshot).read_bytes())
    page.route(f"**/{snapshot}", lambda route: route.fulfill(status=200, body=unpacked))
    with serve(engine_site, PREFIX) as base:
        page.goto(base)
        inputs = {"baseline_nrs": 8, "current_nrs": 2}
        result = page.evaluate(RUN_ONCE, ["pain_relief", inputs])
        assert result == calculators.run("pain_relief", inputs)
        assert engine_status(page)["mode"] == "snapshot"


def test_missing_engine_file_is_named(engine_site: Path, tmp_path: Path, page: Any):
    site = site_copy(engine_site, tmp_path)
    next((site / "assets" / "engine").glob("pyodide-*/pyodide.asm.wasm")).unlink()
    with serve(site, PREFIX) as base:
        page.goto(base)
        page.evaluate(START)
        page.wait_for_function(SETTLED, timeout=10_000)
        assert "no pyodide.asm.wasm (HTTP 404)" in page.inner_text(STATUS)
