"""Calculator engine start-up benchmark: memory snapshot against the plain wheel start.

    .venv/bin/python bench/run.py [--runs 5]

Builds the engine into a temporary site, serves it from 127.0.0.1 and times, in headless
Chromium, how long a page takes from navigation to its first calculator result: cold (a
fresh browser profile) and warm (the same profile again, files from the HTTP cache).
Prints a table of medians and writes it to bench/results/engine.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the shared test server lives in tests/support

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from generator.engine import ENGINE_DIR, SCRIPTS_DIR, build_engine_assets  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.static_server import serve  # noqa: E402

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>
<script type="module" src="start.js"></script></head>
<body><p data-engine-status></p></body></html>
"""
START = """import { getEngine } from "./assets/engine/engine-client.js";
const engine = getEngine();
engine.run("odi", { items: [1, 2, 3, 4, 5, 0, 1, 2, null, 3] }).then((outcome) => {
  window.benchDone = { ok: outcome.ok, status: engine.status };
});
"""


def build_sites(work: Path) -> dict[str, Path]:
    """One site starting from the snapshot, a copy of it that must start from the wheel."""
    snapshot_site = work / "snapshot"
    shutil.copytree(SCRIPTS_DIR, snapshot_site / ENGINE_DIR)
    build_engine_assets(snapshot_site, ROOT / "node_modules", ROOT / ".cache")
    (snapshot_site / "index.html").write_text(PAGE)
    (snapshot_site / "start.js").write_text(START)
    wheel_site = work / "wheel"
    shutil.copytree(snapshot_site, wheel_site)
    manifest_path = wheel_site / ENGINE_DIR / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    (wheel_site / ENGINE_DIR / manifest.pop("snapshot")).unlink()
    manifest_path.write_text(json.dumps({**manifest, "snapshot": None}))
    return {"snapshot": snapshot_site, "wheel": wheel_site}


def first_result(browser: Browser, url: str, visits: int) -> list[dict[str, Any]]:
    """Visit `url` `visits` times in one profile; the first visit is cold, the rest warm."""
    context = browser.new_context()
    received: list[int] = []
    context.on("requestfinished", lambda request: received.append(response_bytes(request)))
    timings = []
    for _ in range(visits):
        received.clear()
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function("window.benchDone", timeout=60_000)
        seconds = time.perf_counter() - started
        done = page.evaluate("window.benchDone")
        assert done["ok"], done
        timings.append({"seconds": seconds, "mode": done["status"]["mode"], "bytes": sum(received)})
        page.close()
    context.close()
    return timings


def response_bytes(request: Any) -> int:
    return int(request.sizes()["responseBodySize"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    rows = []
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for variant, site in build_sites(Path(work)).items():
            with serve(site) as base:
                visits = [first_result(browser, base + "index.html", 2) for _ in range(runs)]
            for label, index in (("cold", 0), ("warm", 1)):
                samples = [visit[index] for visit in visits]
                assert {sample["mode"] for sample in samples} == {variant}
                rows.append(
                    {
                        "variant": variant,
                        "visit": label,
                        "median_s": round(statistics.median(s["seconds"] for s in samples), 2),
                        "median_bytes": int(statistics.median(s["bytes"] for s in samples)),
                    }
                )
        browser.close()
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "engine.json").write_text(json.dumps({"runs": runs, "rows": rows}, indent=2))
    print(f"{'variant':<10}{'visit':<7}{'first result':>14}{'downloaded':>14}")
    for row in rows:
        size = f"{row['median_bytes'] / 1e6:.1f} MB"
        print(f"{row['variant']:<10}{row['visit']:<7}{row['median_s']:>12.2f} s{size:>14}")


if __name__ == "__main__":
    main()
