"""The built site under its own Content-Security-Policy, in headless Chromium.

Every response carries the generator's `csp.txt` as a header, as the shipped server configs send it,
and every page carries its `<meta>` form. A violation is counted twice over: the page's
`securitypolicyviolation` events and Chromium's console errors naming the policy. A worker's
violations reach neither, so the engine's worker is judged by what it must achieve under
the policy: WebAssembly compiled, the memory snapshot fetched, a result computed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from support.static_server import SITE_PREFIX, serve

import calculators
from guidesite.site import csp
from tests.support.sitemap import write_sitemap

pytestmark = pytest.mark.browser

POLICY = csp.POLICY_FILE.read_text(encoding="utf-8").strip()
READY = "[data-engine-status][data-engine-state=ready]"
# Runs before any page script, in every document the context opens.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
addEventListener("securitypolicyviolation", (event) => window.__cspViolations.push(
  `${event.violatedDirective} blocked ${event.blockedURI || "inline code"} ` +
  `(${event.sourceFile}:${event.lineNumber})`));
"""
# Every form shows a live result (not the one from the build, not an error) and is idle.
LIVE_RESULTS = """() => [...document.querySelectorAll("form.gs-calculator [data-result]")]
  .every((box) => !box.hasAttribute("aria-busy") && box.querySelector(".gs-plan, .gs-outputs")
    && !box.querySelector("[data-result-origin], .gs-result-errors"))"""


@pytest.fixture(scope="module")
def site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site served under a sub-path, with a sitemap so instant navigation runs."""
    copy = tmp_path_factory.mktemp("secured") / "site"
    shutil.copytree(built_site, copy)
    with serve(copy, SITE_PREFIX) as base:
        write_sitemap(copy, base)
        yield base


class Guarded:
    """A page whose responses carry a policy header, and what the policy blocked."""

    def __init__(self, context: Any, base: str, policy: str = POLICY) -> None:
        self.console: list[str] = []
        self.policy = policy
        context.add_init_script(COLLECT_VIOLATIONS)
        context.route(f"{base}**", self._with_policy_header)
        self.page = context.new_page()
        self.page.on("console", self._note_console)

    def _with_policy_header(self, route: Any) -> None:
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": self.policy},
        )

    def _note_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        # Violation events are queued as tasks: let any pending ones arrive first.
        self.page.wait_for_timeout(200)
        return [*self.page.evaluate("window.__cspViolations"), *self.console]


@pytest.fixture
def guarded(browser: Any, site: str) -> Iterator[Guarded]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield Guarded(context, site)
    # The page may still be fetching (the engine, the offline copy) when the test ends:
    # those requests' handlers must not fulfil into a closed context.
    context.unroute_all(behavior="ignoreErrors")
    context.close()


INLINE_CODE = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">'


@pytest.mark.parametrize(
    ("meta", "body", "events", "console"),
    [
        # An inline script and an inline handler: each blocked, each seen both ways.
        (csp.meta_policy(POLICY), INLINE_CODE, 2, 2),
        # Nothing to block, but a header-only directive in <meta>: only the console says so.
        (POLICY, "", 0, 1),
    ],
    ids=["inline-code", "header-only-directive"],
)
def test_the_counter_sees_what_the_policy_blocks(
    guarded: Guarded, site: str, meta: str, body: str, events: int, console: int
) -> None:
    html = (
        f'<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="{meta}">'
        f"<title>probe</title></head><body>{body}</body></html>"
    )
    guarded.page.route(
        f"{site}probe.html", lambda route: route.fulfill(body=html, content_type="text/html")
    )
    guarded.page.goto(f"{site}probe.html", wait_until="load")
    blocked = guarded.violations()
    assert len(blocked) - len(guarded.console) == events, blocked
    assert len(guarded.console) >= console, blocked
    assert guarded.page.evaluate("typeof window.__pwned") == "undefined"


def test_the_engine_fails_visibly_without_wasm_unsafe_eval(browser: Any, site: str) -> None:
    """The worker really runs under the header: take away WebAssembly and it cannot start."""
    context = browser.new_context()
    try:
        page = Guarded(context, site, POLICY.replace(" 'wasm-unsafe-eval'", "")).page
        page.goto(f"{site}calculators/pain-relief.html")
        status = page.locator("[data-engine-status][data-engine-state=error]")
        status.wait_for(timeout=30_000)
        assert "wasm-unsafe-eval" in status.inner_text()
    finally:
        context.close()


def example_hash(page: Path) -> str:
    """A URL fragment giving every calculator on the page its first worked example."""
    forms = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
        "form.gs-calculator"
    )
    parts = [
        f"{form['id']}="
        + quote(json.dumps(calculators.spec(str(form["data-calculator"]))["examples"][0]["inputs"]))
        for form in forms
    ]
    return "#" + "&".join(parts) if parts else ""


def engine_mode(page: Any, site: str) -> str:
    """How the page's engine started; the import returns the module forms.js already uses."""
    return str(
        page.evaluate(
            "async (url) => (await import(url)).getEngine().status.mode",
            f"{site}assets/engine/engine-client.js",
        )
    )


def test_no_page_breaks_the_policy(guarded: Guarded, site: str, built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    found: dict[str, list[str]] = {}
    calculators_seen = 0
    for path in pages:
        name = path.relative_to(built_site).as_posix()
        page = guarded.page
        page.goto(site + name + example_hash(path), wait_until="networkidle")
        if page.locator("form.gs-calculator").count():
            calculators_seen += 1
            page.wait_for_selector(READY, timeout=60_000)
            page.wait_for_function(LIVE_RESULTS, timeout=30_000)
            # Started from the memory snapshot: its fetch and compile passed the policy.
            assert engine_mode(page, site) == "snapshot", name
        if blocked := guarded.violations():
            found[name] = blocked
        guarded.console.clear()
    assert calculators_seen >= 5
    assert found == {}


def test_material_features_work_under_the_policy(guarded: Guarded, site: str) -> None:
    page = guarded.page
    page.goto(f"{site}index.html", wait_until="networkidle")
    # setup.js stands in for Material's inline helpers: preferences keyed to the site root.
    assert page.evaluate("__md_scope.href") == site

    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("epidural", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.keyboard.press("Escape")

    page.click("[data-gs-audience-choice=patient]")
    assert page.locator("html").get_attribute("data-gs-audience") == "patient"

    # Instant navigation (no reload) to a page with a calculator: the form is bound again
    # and computes live; then to the page with the rules diagram (drawn at build time).
    page.evaluate("window.sameDocument = true")
    page.click("a[href$='recurrence-after-epidural.html'] >> nth=0")
    page.wait_for_selector("form.gs-calculator[data-bound]", timeout=10_000)
    page.wait_for_selector(READY, timeout=60_000)
    page.click("form.gs-calculator [data-reset]")
    page.wait_for_function(LIVE_RESULTS, timeout=30_000)
    page.click("a[href$='calculators/next-step.html'] >> nth=0")
    page.locator(".gs-flowchart-svg").wait_for(state="attached", timeout=10_000)
    assert page.evaluate("window.sameDocument") is True, "a link reloaded the page"
    assert guarded.violations() == []


# ---------- calculator output is text, never markup ----------

PAYLOADS = (
    '<img src=x id=injected onerror="window.__pwned = 1">',
    '"><script id=injected>window.__pwned = 1</script>',
    '</textarea><svg id=injected onload="window.__pwned = 1">',
)
PAYLOAD = "".join(PAYLOADS)
SETTLED = """() => [...document.querySelectorAll("form.gs-calculator [data-result]")]
  .every((box) => !box.hasAttribute("aria-busy"))"""


def assert_nothing_injected(guarded: Guarded) -> None:
    page = guarded.page
    assert page.locator("#injected").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # Markup that did get in would have its handler blocked: that counts here too.
    assert guarded.violations() == []


def forms_on(page_file: Path) -> list[tuple[str, str]]:
    """(form id, calculator name) of every calculator the built page embeds."""
    soup = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    return [(str(f["id"]), str(f["data-calculator"])) for f in soup.select("form.gs-calculator")]


def hostile_value(field: dict[str, Any]) -> Any:
    """The payload in the shape the field's control takes (as a saved URL state would)."""
    match field["type"]:
        case "multi_choice":
            return [PAYLOAD]
        case "tuple":
            return [PAYLOAD for _ in field["items"]]
        case "records":
            return [{sub["name"]: PAYLOAD for sub in field["fields"]}]
        case _:
            return PAYLOAD


CALCULATOR_PAGES = sorted(
    f"calculators/{name.replace('_', '-')}.html" for name in calculators.names()
)


@pytest.mark.parametrize("path", CALCULATOR_PAGES)
def test_markup_from_the_url_state_and_typing_stays_text(
    guarded: Guarded, site: str, built_site: Path, path: str
) -> None:
    (form_id, name), *_ = forms_on(built_site / path)
    state = {field["name"]: hostile_value(field) for field in calculators.spec(name)["inputs"]}
    page = guarded.page
    page.goto(f"{site}{path}#{form_id}={quote(json.dumps(state))}")
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function(SETTLED, timeout=30_000)
    # No field takes markup: the link's values were left out, each quoted as text in a
    # notice beside its field (assets/calculators/link-state.js), and nothing else.
    notices = page.locator(f"#{form_id} .gs-link-notice").all_inner_texts()
    assert notices and any("<img src=x" in notice for notice in notices), notices
    assert_nothing_injected(guarded)

    # Typed into every free-text box (drop-downs and check boxes take no text); each box's
    # message appears once the engine has answered.
    boxes = page.locator(f"#{form_id} input[type=text]").all()
    for box in boxes:
        box.fill(PAYLOAD)
    for box in boxes:
        page.locator(f'[id="{box.get_attribute("id")}-error"]').wait_for(timeout=30_000)
    assert all(box.input_value() == PAYLOAD for box in boxes)
    assert_nothing_injected(guarded)


# Labels reach the page in the engine's answers (presentation views made in Python), so
# the engine's answers are what this rewrites: every label, the note's title and the
# note's input labels become the payload before the page sees them.
HOSTILE_LABELS = """(payload) => {
  const hostile = (value) => {
    if (Array.isArray(value)) return value.map(hostile);
    if (!value || typeof value !== "object") return value;
    const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hostile(v)]));
    if (typeof copy.label === "string") copy.label = payload;
    if (typeof copy.note === "string") {
      copy.note = copy.note.replace(/^.*/, payload).replace(/^- [^:\\n]*:/gm, `- ${payload}:`);
    }
    return copy;
  };
  const RealWorker = Worker;
  window.Worker = class extends RealWorker {
    addEventListener(type, listener, ...rest) {
      if (type !== "message") return super.addEventListener(type, listener, ...rest);
      const rewrite = (event) => listener({ data: hostile(event.data) });
      return super.addEventListener(type, rewrite, ...rest);
    }
  };
}"""


def test_markup_in_labels_reaches_the_page_and_clipboard_as_text(
    guarded: Guarded, site: str, built_site: Path
) -> None:
    path = "calculators/pain-relief.html"
    (form_id, _), *_ = forms_on(built_site / path)
    page = guarded.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.add_init_script(f"({HOSTILE_LABELS})({json.dumps(PAYLOAD)})")
    # An empty saved state: the form asks for the missing fields by their labels.
    page.goto(f"{site}{path}#{form_id}={quote('{}')}")
    page.wait_for_selector(READY, timeout=60_000)
    pending = page.locator(f"#{form_id} .gs-result-pending", has_text="Fill in")
    assert PAYLOAD in pending.text_content(timeout=30_000)
    assert_nothing_injected(guarded)

    page.fill(f"#{form_id} input[name=baseline_nrs]", "6")
    page.fill(f"#{form_id} input[name=current_nrs]", "3")
    page.locator(f"#{form_id} .gs-outputs dt").first.wait_for(timeout=30_000)
    assert page.locator(f"#{form_id} .gs-outputs dt").first.text_content() == PAYLOAD
    page.click(f"#{form_id} [data-copy]")
    page.locator(f"#{form_id} [data-copy-status]", has_text="copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(PAYLOAD) and f"- {PAYLOAD}: 6" in copied
    assert_nothing_injected(guarded)

    # Negative control: the same markup inserted as HTML is found, and its handler blocked.
    page.evaluate("(html) => document.body.insertAdjacentHTML('beforeend', html)", PAYLOAD)
    assert page.locator("#injected").count() == 3
    assert len(guarded.violations()) >= 2
