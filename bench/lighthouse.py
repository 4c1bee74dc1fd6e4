"""Lighthouse's mobile audit of every calculator page and every clinician and patient page.

    .venv/bin/python bench/lighthouse.py        # also run by `make bench`
    .venv/bin/python bench/lighthouse.py --pages calculators/mme.html --reports /tmp/lh

Builds the real site, serves it with a real nginx running the shipped config (deploy/nginx,
gzip included) on 127.0.0.1, and runs Lighthouse (npm `lighthouse`, pinned in
package.json) in its default mobile configuration (a phone's screen, simulated slow 4G and
a 4x slower CPU) with Debian's Chromium, so nothing is fetched from another host. Prints
performance / accessibility / best practices per page, and under the table the failing
audits of each score below its target. Exits 1 if any score misses its target.

A load in which Chromium's compositor held the page's first frame back is measured again
(see `first_frame_withheld`); the scores of such loads are printed and written too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the test suite's nginx runner

import served  # noqa: E402

from tests.conftest import CHROMIUM  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100}
# Front matter naming a reader: the clinician and patient pages (content/*.md).
AUDIENCE = re.compile(r"^audience:\s*(clinician|patient)\s*$", re.MULTILINE)
# Lighthouse starts its own Chromium; the sandbox needs privileges a container lacks.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
# Loads of one page, at most: the first whose first frame was not withheld is kept.
ATTEMPTS = 5
# Why viz, Chromium's compositor, declines to send a page a frame (its trace category "viz").
WITHHELD = {"ThrottleUndrawnFrames", "ThrottleUnresponsiveClient"}


def audited_pages(content: Path) -> list[str]:
    """Site paths of the calculator pages and of every page written for an audience."""
    paths = []
    for source in sorted(content.rglob("*.md")):
        front = source.read_text(encoding="utf-8").split("\n---", 1)[0]
        relative = source.relative_to(content).with_suffix(".html").as_posix()
        if relative.startswith("calculators/") or AUDIENCE.search(front):
            paths.append(relative)
    return paths


def audit(url: str, report: Path) -> dict[str, Any]:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=performance,accessibility,best-practices",
            f"--chrome-flags={CHROME_FLAGS}",
            # The trace, beside the report, with viz's decisions: see first_frame_withheld.
            "--save-assets",
            "--additional-trace-categories=viz",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def first_frame_withheld(report: Path) -> bool:
    """Whether viz withheld frames from the page before its first paint.

    In some headless loads viz stops sending the page frames while it loads, for a whole
    second (GoogleChrome/lighthouse#17148: the reason it records is ThrottleUndrawnFrames
    on this machine). The page painted on time, but Lighthouse sees the paint a second
    late, and its simulated first paint then waits for every request made meanwhile: the
    same page scores about ten points lower in such a load. Such a load measures the
    browser, not the page.
    """
    trace = report.with_name(f"{report.stem}-0.trace.json")
    events = json.loads(trace.read_text(encoding="utf-8"))["traceEvents"]
    paints = [event["ts"] for event in events if event.get("name") == "firstContentfulPaint"]
    if not paints:
        return False
    first_paint = min(paints)
    return any(
        event.get("name") == "SendBeginFrameDecision"
        and event.get("args", {}).get("reason") in WITHHELD
        and event["ts"] < first_paint
        for event in events
    )


def audit_page(url: str, report: Path) -> tuple[dict[str, Any], list[int], bool]:
    """The first load whose first frame was not withheld, else the last of ATTEMPTS loads;
    the performance scores of the withheld loads before it; and whether it was withheld."""
    withheld: list[int] = []
    while True:
        result = audit(url, report)
        if not first_frame_withheld(report):
            return result, withheld, False
        if len(withheld) + 1 == ATTEMPTS:
            return result, withheld, True
        withheld.append(scores(result)["performance"])


def scores(result: dict[str, Any]) -> dict[str, int]:
    return {
        name: round((category["score"] or 0) * 100)
        for name, category in result["categories"].items()
    }


def failing(result: dict[str, Any], category: str) -> list[str]:
    """The category's audits that did not pass, worst first, with Lighthouse's figure."""
    audits = result["audits"]
    found = []
    for ref in result["categories"][category]["auditRefs"]:
        found_audit = audits[ref["id"]]
        score = found_audit.get("score")
        if score is None or score >= 0.9:
            continue
        shown = found_audit.get("displayValue") or ""
        found.append((score, f"{ref['id']} ({score:.2f}{', ' + shown if shown else ''})"))
    return [text for _, text in sorted(found)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", nargs="+", help="site paths to audit (default: all)")
    parser.add_argument(
        "--reports", type=Path, help="also keep each page's full Lighthouse JSON report here"
    )
    args = parser.parse_args()
    pages = args.pages or audited_pages(ROOT / "content")
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        site = served.build_site(work)
        with served.served(site, work) as base:
            for path in pages:
                result, withheld, kept_withheld = audit_page(base + path, work / "report.json")
                if args.reports:
                    kept = args.reports / (path.replace("/", "_") + ".json")
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    kept.write_text(json.dumps(result), encoding="utf-8")
                rows[path] = {
                    "scores": scores(result),
                    "failing": {
                        category: failing(result, category)
                        for category, target in TARGETS.items()
                        if scores(result)[category] < target
                    },
                    "withheld": withheld,
                    "kept_withheld": kept_withheld,
                }
    width = max(len(path) for path in rows)
    print(
        f"Lighthouse {lighthouse_version()}, mobile (targets: "
        + ", ".join(f"{name} >= {target}" for name, target in TARGETS.items())
        + ")"
    )
    print(f"{'page'.ljust(width)}  performance  accessibility  best practices")
    for path, row in rows.items():
        perf, access, best = (row["scores"][name] for name in TARGETS)
        print(f"{path.ljust(width)}  {perf:>11}  {access:>13}  {best:>14}")
    for path, row in rows.items():
        if row["withheld"] or row["kept_withheld"]:
            earlier = ", ".join(map(str, row["withheld"])) or "-"
            last = f"; so were all {ATTEMPTS}, this row among them" if row["kept_withheld"] else ""
            print(f"{path}: first frame withheld by Chromium in earlier loads ({earlier}){last}")
    for path, row in rows.items():
        for category, audits in row["failing"].items():
            print(f"{path}, {category} {row['scores'][category]}: " + "; ".join(audits))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 1 if any(row["failing"] for row in rows.values()) else 0


def lighthouse_version() -> str:
    found = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True)
    return found.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
