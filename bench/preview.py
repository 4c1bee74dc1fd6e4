"""Preview benchmark: from saving a page to the preview's reload signal, under `guidesite serve`.

    .venv/bin/python bench/preview.py [--saves N]     # also run by `make bench`

For this site (its 11 pages) and for 300 and 1 000 of `pages.py`'s generated pages, starts
`guidesite serve` on a copy, waits for its first (full) build, then saves one page N times
(a short paragraph added at its end) and times each save until the preview's long poll
answers that a newer build finished, which is when every open page reloads. Each save is
checked to show on the page. Prints the median and range; writes bench/results/preview.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from pages import ROOT, write_projects

RESULTS = ROOT / "bench" / "results" / "preview.json"
POLL = "/.guidesite-preview/poll/"
FIRST_BUILD_S = 900.0  # the first build makes the calculator engine: minutes on a busy machine
TARGET_S = 1.0  # at 1 000 pages


@dataclass(frozen=True)
class Row:
    pages: str
    samples_s: list[float]
    load_average_1min: tuple[float, float]  # before and after the saves

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples_s)


def this_site(work: Path) -> Path:
    project = work / "this-site"
    project.mkdir()
    shutil.copyfile(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "content", project / "content")
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, timeout: float) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return str(answer.read().decode("utf-8"))


def builds_finished(address: str, seen: int, timeout: float) -> int:
    """The number of builds finished, once it is more than `seen` (a long poll)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            latest = int(get(f"http://{address}{POLL}{seen}", timeout=70))
        except OSError:
            latest = seen  # not listening yet
            time.sleep(0.2)
        if latest > seen:
            return latest
        if time.monotonic() > deadline:
            raise TimeoutError(f"no build after {seen} within {timeout:.0f} s")


def measure(project: Path, page: str, saves: int) -> list[float]:
    """Seconds from each save of `page` to the preview's signal that it is rebuilt."""
    address = f"127.0.0.1:{free_port()}"
    log = project / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "guidesite.cli", "serve", "--dev-addr", address],
            cwd=project,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        seen = builds_finished(address, 0, FIRST_BUILD_S)
        source = project / "content" / page
        url = f"http://{address}/guidelines/{Path(page).with_suffix('.html').as_posix()}"
        samples = []
        for save in range(1, saves + 1):
            time.sleep(1.0)  # the watcher settled after the last build
            marker = f"Saved for the benchmark, time {save}."
            source.write_text(source.read_text() + f"\n{marker}\n")
            started = time.perf_counter()
            seen = builds_finished(address, seen, 120)
            samples.append(time.perf_counter() - started)
            shown = get(url, timeout=30)
            if marker not in shown or 'class="gs-preview' in shown:
                # The log goes with the temporary folder: its end is the evidence.
                ending = log.read_text(encoding="utf-8")[-3000:]
                raise RuntimeError(f"save {save} of {page} did not show cleanly:\n{ending}")
        return samples
    finally:
        server.terminate()  # our own child, by its handle
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="guidesite-bench-preview-") as temporary:
        work = Path(temporary)
        projects = [("this site (11 pages)", this_site(work), "recurrence-after-epidural.md")]
        for count in (300, 1000):
            ours, _ = write_projects(work, count)
            projects.append((f"{count} pages", ours, "generated-0005.md"))
        for label, project, page in projects:
            load_before = os.getloadavg()[0]
            samples = measure(project, page, args.saves)
            rows.append(Row(label, samples, (load_before, os.getloadavg()[0])))
    print("\n| save → preview reloaded | median | fastest to slowest | load (1 min) |")
    print("|---|---|---|---|")
    for row in rows:
        spread = f"{min(row.samples_s):.2f} to {max(row.samples_s):.2f} s"
        loads = f"{row.load_average_1min[0]:.1f} → {row.load_average_1min[1]:.1f}"
        print(f"| {row.pages} | {row.median_s:.2f} s | {spread} | {loads} |")
    print(f"(target at 1 000 pages: ≤ {TARGET_S:g} s; {os.cpu_count()} cores)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = [{**asdict(row), "median_s": row.median_s} for row in rows]
    RESULTS.write_text(json.dumps({"preview": data}, indent=2) + "\n")


if __name__ == "__main__":
    main()
