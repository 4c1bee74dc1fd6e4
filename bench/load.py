"""A bounded load run: many clients at once against the site deployed as a release, through
a real nginx running the shipped config under /intranet/back-pain/.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 20] [--site DIR]

Builds the real site (or takes DIR), packs it, deploys it with `guidesite deploy` into a
scratch root, serves `current` on 127.0.0.1, then runs the clients for the given time.
Each client keeps one connection open and cycles through every page and every engine file
a browser fetches (asking for gzip as browsers do), starting at its own place in the list.
Prints requests per second, bytes, latency percentiles and errors (any status but 200, a
body shorter than announced, a dropped connection); exits 1 if there was any error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the test suite's nginx runner

import served  # noqa: E402

from guidesite.release.pack import pack  # noqa: E402
from guidesite.release.releases import Expected, deploy  # noqa: E402
from tests.hosting.servers import NGINX, run_server  # noqa: E402

PREFIX = "/intranet/back-pain/"


def paths(site: Path) -> list[str]:
    """Every page, the theme's bundles, and every engine file the worker fetches."""
    engine = json.loads((site / "assets/engine/manifest.json").read_text())
    pyodide = f"assets/engine/{engine['pyodide']}"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    files += sorted(
        p.relative_to(site).as_posix()
        for folder in ("assets/javascripts", "assets/stylesheets", "assets/calculators")
        for p in (site / folder).glob("*.*")
    )
    files += [f"{pyodide}{name}" for name in ("pyodide.mjs", "pyodide.asm.mjs")]
    files += [f"{pyodide}pyodide.asm.wasm", f"{pyodide}python_stdlib.zip"]
    files += ["assets/engine/worker.js", "assets/engine/boot.mjs", "assets/engine/manifest.json"]
    files += [f"assets/engine/{engine['wheel']}"]
    files += [f"assets/engine/{engine['snapshot']}"] if engine.get("snapshot") else []
    return [name for name in files if (site / name).is_file()]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    bytes: int = 0
    errors: list[str] = field(default_factory=list)


def client(base: str, urls: list[str], start: int, until: float, tally: Tally) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    index = start
    while time.monotonic() < until:
        path = parts.path + urls[index % len(urls)]
        index += 1
        began = time.monotonic()
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            tally.errors.append(f"{path}: {error!r}")
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
            continue
        tally.latencies.append(time.monotonic() - began)
        tally.bytes += len(body)
        if response.status != 200:
            tally.errors.append(f"{path}: HTTP {response.status}")
    connection.close()


def run(base: str, urls: list[str], clients: int, seconds: float) -> Tally:
    tallies = [Tally() for _ in range(clients)]
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client, args=(base, urls, n * len(urls) // clients, until, tallies[n])
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Tally()
    for tally in tallies:
        total.latencies += tally.latencies
        total.bytes += tally.bytes
        total.errors += tally.errors
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--site", type=Path, help="a built site (default: build the real one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bpp-load-") as scratch:
        work = Path(scratch)
        site = args.site or served.build_site(work)
        archive, sums = pack(site, work / "dist", "back-pain-pathways")
        root = work / "srv" / "back-pain-pathways"
        release = deploy(archive, root, Expected(manifest=sums))
        urls = paths(root / "current")
        with run_server(NGINX, root, work / "nginx", prefix=PREFIX) as base:
            started = time.monotonic()
            tally = run(base, urls, args.clients, args.seconds)
            elapsed = time.monotonic() - started
    count = len(tally.latencies)
    cuts = statistics.quantiles(tally.latencies, n=100) if count > 1 else [0.0] * 99
    print(f"release {release}: {len(urls)} URLs, {args.clients} clients, {elapsed:.1f} s")
    print(f"requests  {count}  ({count / elapsed:.0f} per second)")
    print(f"received  {tally.bytes / 1e6:.0f} MB  ({tally.bytes / 1e6 / elapsed:.0f} MB/s)")
    print(f"latency   p50 {cuts[49] * 1000:.1f} ms  p95 {cuts[94] * 1000:.1f} ms")
    print(f"errors    {len(tally.errors)}")
    for line in tally.errors[:10]:
        print(f"  {line}")
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
