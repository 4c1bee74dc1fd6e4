"""The site the browser benchmark loads: the real build, two comparison pages, a real nginx.

Beside our calculator page the served folder gets, under `bench/`:
- `naive.html`: how other sites run Python calculators: `loadPyodide()` on the main thread,
  the calculators wheel installed with `loadPackage`, no worker, no snapshot, no prewarm;
- `engine-only.html`: our engine (the site's own engine client, worker and snapshot) on a
  blank page, so the bench can tell the engine's start from the site page's own work;
- `plain.html`: the same result computed in plain JavaScript (the floor).
All load Pyodide from the same content-hashed folder as ours, so they get the same cache
headers from the shipped nginx config (deploy/nginx).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from pages import ROOT

import calculators
from tests.hosting.servers import NGINX, run_server
from tests.support.sitemap import write_sitemap

CALCULATOR_PAGE = "calculators/pain-relief.html"
# The planner: the longest calculator page and the largest result, where a recompute
# costs the most; the field a clinician changes most often at the bedside.
PLANNER_PAGE = "calculators/next-step.html"
PLANNER_FIELD = "current_pain_nrs"
OTHER_PAGE = "when-epidurals-do-not-work.html"  # a guideline page without a calculator
FORM_ID = "calc-pain-relief-1"
INPUTS = {"baseline_nrs": 8, "current_nrs": 2}
# Busy until the page's script writes its answer, as our forms mark theirs while they wait.
RESULT_BOX = '<div data-result aria-live="polite" aria-busy="true"></div>'

COMPARISON_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><script type="module" src="{script}"></script></head>
<body><h1>{title}</h1>{box}</body></html>
"""

NAIVE_SCRIPT = """import {{ loadPyodide }} from "../{pyodide}pyodide.mjs";
const pyodide = await loadPyodide({{ indexURL: new URL("../{pyodide}", import.meta.url).href }});
await pyodide.loadPackage(new URL("../{wheel}", import.meta.url).href);
pyodide.globals.set("inputs_json", {inputs});
const outcome = JSON.parse(pyodide.runPython(
  "import json, calculators\\njson.dumps(calculators.run('pain_relief', json.loads(inputs_json)))"
));
const box = document.querySelector("[data-result]");
box.removeAttribute("aria-busy");
box.textContent =
  `${{outcome.result.relief_pct}} % relief: ${{outcome.result.category}}`;
"""

ENGINE_ONLY_SCRIPT = """import {{ getEngine }} from "../assets/engine/engine-client.js";
const answer = await getEngine().run("pain_relief", {inputs});
// No text on failure: the bench then waits in vain instead of timing an error message.
if (!answer.ok) throw new Error(JSON.stringify(answer.errors));
const box = document.querySelector("[data-result]");
box.removeAttribute("aria-busy");
box.textContent =
  `${{answer.result.relief_pct}} % relief: ${{answer.result.category}}`;
"""

# calculators/pain_relief.py in JavaScript: relief against baseline, then its category.
PLAIN_SCRIPT = """const {{ baseline_nrs: baseline, current_nrs: current }} = {inputs};
const relief = ((baseline - current) / baseline) * 100;
const bounds = [["worse", 0], ["none", 30], ["partial", 50], ["responder", 80]];
const category = bounds.find(([, below]) => relief < below)?.[0] ?? "block_positive";
const box = document.querySelector("[data-result]");
box.removeAttribute("aria-busy");
box.textContent =
  `${{Math.round(relief * 10) / 10}} % relief: ${{category}}`;
"""


def calculator_pages(site: Path) -> dict[str, str]:
    """Every calculator page of the built site -> its address with inputs in the URL hash
    (as a shared link carries them), so the page computes live at once instead of showing
    only the build-time result until the first change: its first worked example's inputs,
    complete where the page's starting inputs may not be (a questionnaire starts empty)."""
    pages = {}
    for page in sorted((site / "calculators").glob("*.html")):
        form = FORM_TAG.search(page.read_text(encoding="utf-8"))
        if not form:
            continue
        inputs = calculators.spec(form["name"])["examples"][0]["inputs"]
        path = page.relative_to(site).as_posix()
        pages[path] = f"{path}#{form['id']}={quote(json.dumps(inputs, separators=(',', ':')))}"
    return pages


FORM_TAG = re.compile(
    r'<form [^>]*class="gs-calculator" data-calculator="(?P<name>\w+)" id="(?P<id>[^"]+)"'
)


def build_site(work: Path) -> Path:
    """Build the real content with the real command into `work/site`."""
    site = work / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "guidesite.cli", "build", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    add_comparison_pages(site)
    return site


def add_comparison_pages(site: Path) -> None:
    manifest = json.loads((site / "assets/engine/manifest.json").read_text())
    pyodide = f"assets/engine/{manifest['pyodide']}"
    # A plain `loadPyodide()` reads the full lock file, which the site does not ship.
    shutil.copyfile(
        ROOT / "node_modules/pyodide/pyodide-lock.json", site / pyodide / "pyodide-lock.json"
    )
    bench = site / "bench"
    bench.mkdir()
    inputs = json.dumps(json.dumps(INPUTS))
    scripts = {
        "naive": NAIVE_SCRIPT.format(
            pyodide=pyodide, wheel=f"assets/engine/{manifest['wheel']}", inputs=inputs
        ),
        "engine-only": ENGINE_ONLY_SCRIPT.format(inputs=json.dumps(INPUTS)),
        "plain": PLAIN_SCRIPT.format(inputs=json.dumps(INPUTS)),
    }
    for name, script in scripts.items():
        (bench / f"{name}.js").write_text(script)
        page = COMPARISON_PAGE.format(title=name, script=f"{name}.js", box=RESULT_BOX)
        (bench / f"{name}.html").write_text(page)


def without_snapshot(site: Path, copy: Path) -> Path:
    """A copy of `site` whose engine must start from the wheel (the snapshot lever, off)."""
    shutil.copytree(site, copy)
    manifest_path = copy / "assets/engine/manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "snapshot": None}))
    return copy


def without_precompressed(site: Path, copy: Path) -> Path:
    """A copy of `site` without the engine's .gz copies (nginx then gzips on the fly)."""
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("*.wasm.gz", "*.mjs.gz"))
    return copy


def with_calculator_pages_edited(site: Path, copy: Path, edit: Callable[[str], str]) -> Path:
    """A copy of `site` whose calculator pages' HTML went through `edit`."""
    shutil.copytree(site, copy)
    for page in (copy / "calculators").glob("*.html"):
        page.write_text(edit(page.read_text()))
    return copy


# The early-start lever, not shipped: it needs a <head> hook on calculator pages (the page
# template's, not the engine's). Async, so it runs as soon as it arrives, long before the
# forms runtime at the end of the page; the forms then find the engine already starting.
EARLY_START = 'import { getEngine } from "./engine-client.js";\ngetEngine();\n'
EARLY_START_TAG = '<script type="module" async src="../assets/engine/start.js"></script></head>'


def with_early_start(site: Path, copy: Path) -> Path:
    """A copy of `site` whose calculator pages start the engine from their <head>."""
    with_calculator_pages_edited(
        site, copy, lambda html: html.replace("</head>", EARLY_START_TAG, 1)
    )
    (copy / "assets/engine/start.js").write_text(EARLY_START)
    return copy


# Earlier still: a classic script right after the page's security policy, before the
# stylesheets, so nothing in the page holds it back (a measured lever, not shipped).
HEAD_START = 'import("./engine-client.js").then(({ getEngine }) => getEngine());\n'
HEAD_START_TAG = '<script src="../assets/engine/head-start.js"></script>'
POLICY_TAG = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


def with_head_start(site: Path, copy: Path) -> Path:
    """A copy of `site` whose calculator pages start the engine first thing in <head>."""
    with_calculator_pages_edited(
        site, copy, lambda html: POLICY_TAG.sub(lambda tag: tag[0] + HEAD_START_TAG, html, 1)
    )
    (copy / "assets/engine/head-start.js").write_text(HEAD_START)
    return copy


MATERIAL_BUNDLE_TAG = re.compile(
    r'<script src="[^"]*/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>'
)


def without_material_bundle(site: Path, copy: Path) -> Path:
    """A diagnostic, never a lever: calculator pages without Material's JavaScript (menus,
    search and instant navigation stop working), to weigh the page's own work."""
    return with_calculator_pages_edited(site, copy, lambda html: MATERIAL_BUNDLE_TAG.sub("", html))


@contextmanager
def served(site: Path, work: Path) -> Iterator[str]:
    """`site` behind a real nginx running the shipped config; yields its base URL."""
    with run_server(NGINX, site, work / f"nginx-{site.name}") as base:
        write_sitemap(site, base)
        yield base
