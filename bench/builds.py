"""Build benchmark: our `guidesite build` against plain mkdocs-material on the same Markdown.

    .venv/bin/python bench/builds.py --sizes 100 1000 10000   # make bench-large (slow)

Each build runs in a Python process of its own that runs the builder's module in itself,
then reports its wall time, its own peak resident memory (the MkDocs build) and that of the
largest process it started (ours: Node.js, which writes the service worker).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pages import PLAIN_CONFIG, ROOT, write_projects

MEASURE = """
import json, resource, runpy, sys, time
result, sys.argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
try:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
except SystemExit as exit:
    if exit.code:
        raise
seconds = time.perf_counter() - started
peak_mb = {
    name: resource.getrusage(who).ru_maxrss / 1024
    for name, who in (("python", resource.RUSAGE_SELF), ("child", resource.RUSAGE_CHILDREN))
}
with open(result, "w") as out:
    json.dump({"seconds": seconds, **peak_mb}, out)
"""


@dataclass(frozen=True)
class BuildRow:
    pages: str
    builder: str
    seconds: float
    peak_mb: float  # the MkDocs build's own Python process
    child_mb: float  # the largest process it started (0: none)
    html_pages: int
    kb_per_page: float

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def measure(
    project: Path, module: list[str], site_dir: Path, runs: int
) -> tuple[float, float, float]:
    """Median wall seconds, Python peak MB and child peak MB over `runs` clean builds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = site_dir.with_suffix(".json")
    samples = []
    for _ in range(runs):
        shutil.rmtree(site_dir, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-c", MEASURE, str(result), *module, "--site-dir", str(site_dir)],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        samples.append(json.loads(result.read_text()))
    result.unlink()
    return (
        statistics.median(s["seconds"] for s in samples),
        statistics.median(s["python"] for s in samples),
        statistics.median(s["child"] for s in samples),
    )


def html_per_page(site_dir: Path) -> tuple[int, float]:
    """How many HTML pages the site has and their mean size in KB (404 page left out)."""
    pages = [p for p in site_dir.rglob("*.html") if p.name != "404.html"]
    return len(pages), sum(p.stat().st_size for p in pages) / len(pages) / 1024


# Plain Material with no nav lists every page in every page's menu: its output grows with
# the square of the pages (333 KB a page at 1 000 pages; about 33 GB at 10 000).
PLAIN_UP_TO = 1000


def compare(label: str, ours: Path, plain: Path | None, work: Path, runs: int) -> list[BuildRow]:
    builders = {"guidesite": (ours, ["guidesite.cli", "build"])}
    if plain is not None:
        builders["plain mkdocs-material"] = (plain, ["mkdocs", "build", "-q"])
    rows = []
    for builder, (project, module) in builders.items():
        site_dir = work / f"site-{label}-{project.name}"
        seconds, peak_mb, child_mb = measure(project, module, site_dir, runs)
        count, kb = html_per_page(site_dir)
        rows.append(BuildRow(label, builder, seconds, peak_mb, child_mb, count, kb))
        print("built:", *row_cells(rows[-1].as_dict()), file=sys.stderr, flush=True)
        shutil.rmtree(site_dir)
    return rows


def real_site_projects(work: Path) -> tuple[Path, Path]:
    """The real project, and a plain copy of its Markdown (citations and blocks stay text)."""
    plain = work / "plain-real"
    shutil.copytree(ROOT / "content", plain / "content", ignore=shutil.ignore_patterns("*.bib"))
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG)
    return ROOT, plain


def run_build_bench(
    work: Path, sizes: tuple[int, ...], runs: int, *, real_site: bool = True
) -> list[BuildRow]:
    rows = compare("real site", *real_site_projects(work), work, runs) if real_site else []
    for count in sizes:
        ours, plain = write_projects(work, count)
        # 1000 pages and more are built once each: more runs would blow the time budget,
        # and a minutes-long build varies less than a seconds-long one.
        plain_here = plain if count <= PLAIN_UP_TO else None
        rows += compare(f"{count} generated", ours, plain_here, work, 1 if count >= 1000 else runs)
        shutil.rmtree(ours)
        shutil.rmtree(plain)
    return rows


def growth(rows: list[dict[str, Any]]) -> list[list[str]]:
    """For each builder and each two generated sizes in a row: time and Python memory per
    page at each, and whether they grew no faster than the pages (`LINEAR_SLACK`)."""
    found = []
    for builder in dict.fromkeys(r["builder"] for r in rows):
        generated = sorted(
            (int(r["pages"].split()[0]), r)
            for r in rows
            if r["builder"] == builder and r["pages"].endswith("generated")
        )
        for (small, a), (large, b) in itertools.pairwise(generated):
            for cost, key, unit, scale in (
                ("time", "seconds", "ms", 1000),
                ("memory", "peak_mb", "KB", 1024),
            ):
                before, after = a[key] / small * scale, b[key] / large * scale
                factor = after / before
                found.append(
                    [
                        builder,
                        cost,
                        f"{small} -> {large}",
                        f"{before:.1f} -> {after:.1f} {unit}/page",
                        f"{factor:.2f}",
                        "yes" if factor <= LINEAR_SLACK else "NO",
                    ]
                )
    return found


# A per-page cost may grow this much with ten times the pages and still count as linear
# (the machine is shared: one build's time varies by about that much).
LINEAR_SLACK = 1.1

GROWTH_HEADER = ["builder", "cost", "pages", "per page", "x per page", "linear"]
ROW_HEADER = ["pages", "builder", "s", "Python MB", "child MB", "HTML pages", "KB/page"]


def row_cells(row: dict[str, Any]) -> list[str]:
    return [
        str(row["pages"]),
        str(row["builder"]),
        f"{row['seconds']:.1f}",
        f"{row['peak_mb']:.0f}",
        f"{row['child_mb']:.0f}",
        str(row["html_pages"]),
        f"{row['kb_per_page']:.0f}",
    ]


def main() -> None:
    import argparse
    import tempfile

    from run import table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        rows = [
            r.as_dict()
            for r in run_build_bench(Path(work), tuple(args.sizes), args.runs, real_site=False)
        ]
    print(table("Build (medians)", ROW_HEADER, [row_cells(r) for r in rows]))
    print(table("Growth with the pages", GROWTH_HEADER, growth(rows)))
    result = ROOT / "bench" / "results" / "builds.json"
    result.parent.mkdir(exist_ok=True)
    result.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"Written to {result.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
