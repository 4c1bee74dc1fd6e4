"""Build benchmark: our `guidesite build` against plain mkdocs-material on the same Markdown.

Each build runs in its own Python process, which runs MkDocs as its only child and reports
the child's wall time and peak resident memory (RUSAGE_CHILDREN counts that child alone).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pages import PLAIN_CONFIG, ROOT, write_projects

MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


@dataclass(frozen=True)
class BuildRow:
    pages: str
    builder: str
    seconds: float
    peak_mb: float
    html_pages: int
    kb_per_page: float

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def measure(project: Path, command: list[str], site_dir: Path, runs: int) -> tuple[float, float]:
    """Median wall seconds and median peak MB over `runs` clean builds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    samples = []
    for _ in range(runs):
        shutil.rmtree(site_dir, ignore_errors=True)
        completed = subprocess.run(
            [sys.executable, "-c", MEASURE, *command, "--site-dir", str(site_dir)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(json.loads(completed.stdout))
    return (
        statistics.median(s["seconds"] for s in samples),
        statistics.median(s["peak_mb"] for s in samples),
    )


def html_per_page(site_dir: Path) -> tuple[int, float]:
    """How many HTML pages the site has and their mean size in KB (404 page left out)."""
    pages = [p for p in site_dir.rglob("*.html") if p.name != "404.html"]
    return len(pages), sum(p.stat().st_size for p in pages) / len(pages) / 1024


def compare(label: str, ours: Path, plain: Path, work: Path, runs: int) -> list[BuildRow]:
    builders = {
        "guidesite": (ours, [sys.executable, "-m", "guidesite.cli", "build"]),
        "plain mkdocs-material": (plain, [sys.executable, "-m", "mkdocs", "build", "-q"]),
    }
    rows = []
    for builder, (project, command) in builders.items():
        site_dir = work / f"site-{label}-{project.name}"
        seconds, peak_mb = measure(project, command, site_dir, runs)
        count, kb = html_per_page(site_dir)
        rows.append(BuildRow(label, builder, seconds, peak_mb, count, kb))
        shutil.rmtree(site_dir)
    return rows


def real_site_projects(work: Path) -> tuple[Path, Path]:
    """The real project, and a plain copy of its Markdown (citations and blocks stay text)."""
    plain = work / "plain-real"
    shutil.copytree(ROOT / "content", plain / "content", ignore=shutil.ignore_patterns("*.bib"))
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG)
    return ROOT, plain


def run_build_bench(work: Path, sizes: tuple[int, ...], runs: int) -> list[BuildRow]:
    rows = compare("real site", *real_site_projects(work), work, runs)
    for count in sizes:
        ours, plain = write_projects(work, count)
        # 1000 pages are built once each: more runs would blow the 15-minute budget, and
        # a minutes-long build varies less than a seconds-long one.
        rows += compare(f"{count} generated", ours, plain, work, 1 if count >= 1000 else runs)
    return rows
