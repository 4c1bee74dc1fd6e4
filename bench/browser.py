"""Browser measurements in headless Chromium: first result, recompute latency, bytes.

Times come from the page's own clock (`performance.now()`, zero at navigation start), read
by a MutationObserver that an init script installs before any page script runs:
- first content: the build-time result for the default inputs is in the DOM (marked
  "worked out when this page was built");
- first result: the first LIVE result, from the engine (or the comparison page's script),
  after the form marked its result box busy to ask for it.
Our page is opened with inputs in its URL (as a shared link carries them), which makes
the form compute at once instead of waiting for the reader's first change.
"""

from __future__ import annotations

import gzip
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from playwright.sync_api import Browser, BrowserContext, Page
from served import CALCULATOR_PAGE, FORM_ID, INPUTS, OTHER_PAGE, PLANNER_FIELD, PLANNER_PAGE

TIMEOUT_MS = 60_000
INSTRUMENT = """(() => {
  const bench = (window.__bench = { start: 0, content: null, live: null, updates: 0,
                                    lastInput: null, recompute: [], asked: false });
  document.addEventListener("input", () => { bench.lastInput = performance.now(); }, true);
  new MutationObserver(() => {
    const box = document.querySelector("[data-result]");
    if (!box) return;
    const now = performance.now();
    // An answer is one the form asked for (it marks the box busy while it waits), not the
    // build-time text of a form that starts without a result (an empty questionnaire).
    if (box.hasAttribute("aria-busy")) bench.asked = true;
    if (box.querySelector("[data-result-origin]")) { bench.content ??= now - bench.start; return; }
    if (box.hasAttribute("aria-busy") || !bench.asked || !box.textContent.trim()) return;
    bench.asked = false;
    bench.live ??= now - bench.start;
    bench.updates += 1;
    if (bench.lastInput !== null) bench.recompute.push(now - bench.lastInput);
    bench.lastInput = null;
  }).observe(document, { childList: true, subtree: true, characterData: true,
                         attributes: true, attributeFilter: ["aria-busy"] });
})();"""
# Makes the prewarm step see a small-memory device, which it leaves alone (prewarm off).
SMALL_DEVICE = "Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.5 });"
ENGINE_READY = (
    "() => globalThis[Symbol.for('guidesite.calculator-engine')]?.status.state === 'ready'"
)
CHANGES = (0, 3, 1, 5, 2, 7, 4, 6)
KEEP_MS = 500


def calculator_url(base: str) -> str:
    return f"{base}{CALCULATOR_PAGE}#{FORM_ID}={quote(json.dumps(INPUTS, separators=(',', ':')))}"


def new_context(browser: Browser, *init_scripts: str) -> BrowserContext:
    context = browser.new_context()
    for script in (INSTRUMENT, *init_scripts):
        context.add_init_script(script)
    return context


def wait_live(page: Page) -> dict[str, Any]:
    # Functions, not strings: the site's CSP forbids evaluating strings.
    page.wait_for_function("() => window.__bench?.live != null", timeout=TIMEOUT_MS)
    marks: dict[str, Any] = page.evaluate("window.__bench")
    return marks


def cold_and_second(
    launch: Callable[[Path], BrowserContext], url: str, cpu_slowdown: float = 1, settle_s: float = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A fresh on-disk profile: a cold visit, then a second one from its caches.

    On disk, like a reader's browser: Chromium keeps compiled WebAssembly in the code cache
    of a disk profile only (an in-memory profile would hide what the second visit gains).
    `cpu_slowdown` > 1 throttles the page's CPU by that factor (Chrome DevTools Protocol
    `Emulation.setCPUThrottlingRate`), a stand-in for a phone.
    """
    with tempfile.TemporaryDirectory() as profile:
        context = launch(Path(profile))
        context.add_init_script(INSTRUMENT)
        time.sleep(settle_s)
        visits = []
        for _ in range(2):
            page = context.new_page()
            if cpu_slowdown > 1:
                cdp = context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
            page.goto(url, wait_until="commit")
            marks = wait_live(page)
            marks["timeline"] = engine_timeline(page, marks)
            visits.append(marks)
            # Our engine keeps its snapshot in IndexedDB once ready: let it finish, as a
            # reader's tab would, before the page closes.
            page.wait_for_timeout(KEEP_MS)
            page.close()  # ends its worker too, so the second visit starts its own engine
        context.close()
    return visits[0], visits[1]


def engine_timeline(page: Page, marks: dict[str, Any]) -> list[tuple[str, float]]:
    """The engine's start-up steps in ms from navigation start, then the first answer."""
    steps: list[tuple[str, float]] = page.evaluate(
        """() => {
          const engine = globalThis[Symbol.for("guidesite.calculator-engine")];
          return (engine?.status.timeline ?? []).map(
            ([what, at]) => [what, at - performance.timeOrigin]);
        }"""
    )
    return [*steps, ("first answer in the page", marks["live"])]


def in_site(browser: Browser, base: str, prewarm: bool, dwell_ms: int = 3000) -> dict[str, Any]:
    """Another page of the site for `dwell_ms`, then a link to the calculator (instant
    navigation: the document, and with it a prewarmed engine, stays). Times from the click."""
    context = new_context(browser, *(() if prewarm else (SMALL_DEVICE,)))
    page = context.new_page()
    page.goto(base + OTHER_PAGE, wait_until="load")
    page.wait_for_timeout(dwell_ms)
    target = calculator_url(base)
    page.evaluate(
        """(href) => {
          const link = Object.assign(document.createElement("a"), { href, textContent: "go" });
          document.querySelector("article").append(link);
          window.__benchSameDocument = true;
          Object.assign(window.__bench,
                        { start: performance.now(), content: null, live: null, asked: false });
          link.click();
        }""",
        target,
    )
    marks = wait_live(page)
    # A full page load instead would start the clock again and measure something else.
    assert page.evaluate("window.__benchSameDocument === true"), "instant navigation failed"

    context.close()
    return marks


# Where a recompute's time goes, from the page: the form's request to the engine leaves
# (input handled), the answer comes back to the page's thread, the result is in the DOM.
ENGINE_MESSAGES = """(() => {
  const times = (window.__benchEngine = { asked: [], answered: [] });
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ({ data }) => {
        if (data?.type === "result") times.answered.push(performance.now());
      });
    }
    postMessage(message, ...rest) {
      if (message?.type === "view") times.asked.push(performance.now());
      return super.postMessage(message, ...rest);
    }
  };
})();"""
# A reader typing: each change made by the page itself, 40-100 ms after the last result (a
# fast typist's pace), so nothing but the page runs on its thread between a change and
# its result. Playwright's own typing runs its checks and messages in the page meanwhile.
TYPIST = """async ([name, changes, values]) => {
  const box = document.querySelector(`input[name=${name}]`);
  const bench = window.__bench;
  const engine = window.__benchEngine;
  const typed = { inputs: [], asked: engine.asked.length, answered: engine.answered.length };
  const stamp = () => typed.inputs.push(performance.now());
  document.addEventListener("input", stamp, true);
  bench.recompute = [];
  box.focus();
  for (let index = 0; index < changes; index++) {
    const before = bench.updates;
    await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 60));
    box.value = String(values[index % values.length]);
    const data = box.value;
    box.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data }));
    while (bench.updates === before) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  document.removeEventListener("input", stamp, true);
  return { inputs: typed.inputs, asked: engine.asked.slice(typed.asked),
           answered: engine.answered.slice(typed.answered), done: bench.recompute };
}"""


def recompute(browser: Browser, base: str, changes: int) -> dict[str, list[float]]:
    """On the planner page: input change -> DOM updated, for `changes` edits of one field,
    made by the page at a typist's pace and split into its steps; as many typed through
    Playwright; then, on the same page, the engine alone as many times (`engine.view` with
    the form's inputs, the call the form makes, without the form), so all share the run's
    conditions."""
    context = new_context(browser, ENGINE_MESSAGES)
    page = context.new_page()
    page.goto(base + PLANNER_PAGE)
    page.wait_for_function(ENGINE_READY, timeout=TIMEOUT_MS)
    box = page.locator(f"input[name={PLANNER_FIELD}]")
    box.fill("9")  # the first live result, so every change below replaces a live one
    wait_live(page)
    typed: dict[str, list[float]] = page.evaluate(TYPIST, [PLANNER_FIELD, changes, list(CHANGES)])
    inputs, asked, answered = typed["inputs"], typed["asked"], typed["answered"]
    steps = {
        "dom_ms": typed["done"],
        "handled_ms": [a - i for i, a in zip(inputs, asked, strict=True)],
        "engine_in_form_ms": [b - a for a, b in zip(asked, answered, strict=True)],
        "drawn_ms": [d - (b - i) for d, i, b in zip(typed["done"], inputs, answered, strict=True)],
    }
    page.evaluate("window.__bench.recompute = []")
    for index in range(changes):
        before = page.evaluate("window.__bench.updates")
        box.fill(str(CHANGES[index % len(CHANGES)]))
        page.wait_for_function(f"() => window.__bench.updates > {before}", timeout=TIMEOUT_MS)
    steps["playwright_ms"] = page.evaluate("window.__bench.recompute")
    # The engine alone reads the form's inputs from the address, written after a pause.
    page.wait_for_function("() => !globalThis[Symbol.for('guidesite.address-pending')]")
    steps["engine_ms"] = page.evaluate(
        """async ([url, field, count]) => {
          const engine = (await import(url)).getEngine();
          const fragment = location.hash.slice(1);
          const inputs = JSON.parse(decodeURIComponent(fragment.slice(fragment.indexOf("=") + 1)));
          const times = [];
          for (let i = 0; i < count; i++) {
            inputs[field] = i % 8;
            const started = performance.now();
            await engine.view("next_step", inputs);
            times.push(performance.now() - started);
          }
          return times;
        }""",
        [base + "assets/engine/engine-client.js", PLANNER_FIELD, changes],
    )
    context.close()
    return steps


def page_bytes(browser: Browser, base: str, site: Path, path: str) -> dict[str, Any]:
    """What a fresh visit to `path` transfers before its load event and after it (up to a
    ready engine), split into engine and other files, raw and gzip."""
    context = new_context(browser)
    finished: list[tuple[str, int]] = []
    context.on("requestfinished", lambda request: finished.append(transfer(request)))
    page = context.new_page()
    page.goto(base + path, wait_until="load")
    page.wait_for_function(ENGINE_READY, timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    timing = page.evaluate(
        """() => ({
          load: performance.getEntriesByType("navigation")[0].loadEventStart,
          early: performance.getEntriesByType("resource")
            .filter((entry) => entry.startTime < performance.getEntriesByType("navigation")[0]
                                                  .loadEventStart)
            .map((entry) => entry.name),
        })"""
    )
    context.close()
    early = {urlsplit(url).path for url in timing["early"]} | {urlsplit(base + path).path}
    prefix = urlsplit(base).path
    totals: dict[str, Any] = {}
    for url, wire in finished:
        url_path = urlsplit(url).path
        phase = "before_load" if url_path in early else "after_load"
        kind = "engine" if is_engine(url_path.removeprefix(prefix)) else "other"
        raw, packed = file_sizes(site / url_path.removeprefix(prefix))
        bucket = totals.setdefault(f"{phase}_{kind}", {"files": 0, "raw": 0, "gzip": 0, "wire": 0})
        bucket["files"] += 1
        bucket["raw"] += raw
        bucket["gzip"] += packed
        bucket["wire"] += wire
    totals["load_ms"] = timing["load"]
    return totals


def is_engine(path: str) -> bool:
    """The engine's files; not file-guard.js, the 1 KB classic script on every page that
    only writes a notice when the site is opened from file:// (it starts nothing)."""
    return path.startswith("assets/engine/") and path != "assets/engine/file-guard.js"


def transfer(request: Any) -> tuple[str, int]:
    response = request.response() if request.method == "GET" else None
    wire = request.sizes()["responseBodySize"] if response else 0
    return request.url, int(wire)


def file_sizes(path: Path) -> tuple[int, int]:
    """Raw size, and gzip size (what a compressing server sends; compressed files as they are)."""
    if not path.is_file():
        return 0, 0
    data = path.read_bytes()
    if path.suffix in {".gz", ".zip", ".whl", ".png", ".woff2"}:
        return len(data), len(data)
    return len(data), len(gzip.compress(data, compresslevel=6))


def medians(samples: list[dict[str, Any]], key: str) -> float | None:
    values = [s[key] for s in samples if s.get(key) is not None]
    return round(statistics.median(values) / 1000, 3) if values else None


def repeat(runs: int, measure: Callable[[], Any]) -> list[Any]:
    return [measure() for _ in range(runs)]
