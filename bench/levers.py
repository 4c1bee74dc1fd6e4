"""Measure a start-up lever: the calculator page of two or more builds, in one run.

    .venv/bin/python bench/levers.py [--runs 5] [--throttle 4] [--json runs.json] \
        before=HEAD~1 after=. [early=.:early] [no-bundle=.:no-bundle]

Each `label=revision` builds the site from that git revision (`.` is the working tree, with
its uncommitted changes; `revision:variant` makes one of served.py's page variants of it:
`early`, `head-start`, or the diagnostic `no-bundle`) and serves it with the shipped nginx
config; the naive Pyodide page is measured in the same run,
interleaved run by run, as in `make bench`. Prints the medians of the cold and second
visits with their ratios to naive, and the median of each start-up step, so a change can
be kept or dropped on figures from one run. `--settle S` waits S seconds after each browser
launch before the cold visit (Chromium's own start-up work then no longer overlaps it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import browser as measure  # noqa: E402
import served  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from run import launcher  # noqa: E402

NAIVE = "naive"


def checkout(revision: str, work: Path) -> Path:
    """The sources of `revision` (`.`: the working tree as it is) in a folder of `work`."""
    if revision == ".":
        return ROOT
    folder = work / f"src-{revision.replace('/', '_')}"
    if folder.exists():
        return folder
    folder.mkdir()
    archive = subprocess.run(
        ["git", "archive", revision], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "node_modules").symlink_to(ROOT / "node_modules")
    return folder


# Page variants made from a built site (see served.py), as `label=revision:variant`.
VARIANTS = {
    "early": served.with_early_start,
    "head-start": served.with_head_start,
    "no-bundle": served.without_material_bundle,
}


def build(label: str, spec: str, work: Path) -> Path:
    revision, _, variant = spec.partition(":")
    sources = checkout(revision, work)
    site = work / f"site-{label}"
    # `-m` from the checkout: its own generator and calculators packages come first.
    subprocess.run(
        [sys.executable, "-m", "guidesite.cli", "build", "--site-dir", str(site)],
        cwd=sources,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
    )
    served.add_comparison_pages(site)
    return VARIANTS[variant](site, work / f"site-{label}-{variant}") if variant else site


def measure_all(
    bases: dict[str, str], runs: int, throttle: float, settle_s: float
) -> dict[str, list[Any]]:
    samples: dict[str, list[Any]] = defaultdict(list)
    with sync_playwright() as playwright:
        for _ in range(runs):
            for label, base in bases.items():
                url = base + "bench/naive.html" if label == NAIVE else measure.calculator_url(base)
                visits = measure.cold_and_second(launcher(playwright), url, throttle, settle_s)
                samples[label].append(visits)
    return samples


def step_medians(visits: list[dict[str, Any]]) -> list[tuple[str, float]]:
    """The median time of each step, in the order of the first visit's timeline."""
    times: dict[str, list[float]] = defaultdict(list)
    for visit in visits:
        for step, at in visit["timeline"]:
            times[step].append(at)
    return sorted(((step, statistics.median(at)) for step, at in times.items()), key=lambda s: s[1])


def report(samples: dict[str, list[Any]]) -> str:
    naive = {
        visit: statistics.median(v[index]["live"] for v in samples[NAIVE])
        for index, visit in enumerate(("cold", "second"))
    }
    lines = [f"{'build':<12} {'cold ms':>8} {'x naive':>8} {'second ms':>10} {'x naive':>8}"]
    for label, visits in samples.items():
        cold, second = (statistics.median(v[i]["live"] for v in visits) for i in (0, 1))
        lines.append(
            f"{label:<12} {cold:>8.0f} {cold / naive['cold']:>8.2f} "
            f"{second:>10.0f} {second / naive['second']:>8.2f}"
        )
    for label, visits in samples.items():
        if label == NAIVE:
            continue
        for index, visit in enumerate(("cold", "second")):
            lines.append(f"\n{label}, {visit} visit (median ms from navigation start)")
            lines += (
                f"  {at:>6.0f}  {step}" for step, at in step_medians([v[index] for v in visits])
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="+", help="label=revision (`.`: the working tree)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--throttle", type=float, default=1, help="CPU slowdown factor")
    parser.add_argument("--json", type=Path, help="write each run's cold and second ms here")
    parser.add_argument(
        "--settle", type=float, default=0, help="seconds between browser launch and cold visit"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        work = Path(folder)
        sites = {
            label: build(label, revision, work)
            for label, revision in (item.split("=", 1) for item in args.builds)
        }
        bases = {
            label: stack.enter_context(served.served(site, work)) for label, site in sites.items()
        }
        bases = {NAIVE: next(iter(bases.values())), **bases}
        samples = measure_all(bases, args.runs, args.throttle, args.settle)
        print(report(samples))
        if args.json:
            live = {
                label: [[v["live"] for v in visits] for visits in runs]
                for label, runs in samples.items()
            }
            args.json.write_text(json.dumps(live, indent=1))


if __name__ == "__main__":
    main()
