"""The calculator pages in headless Chromium: keyboard use, validation, URL state, copy,
one engine across instant navigation, no outside requests, no console errors, axe."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from support.pages import page_address
from support.static_server import SITE_PREFIX, serve

import calculators
from guidesite import vocabularies
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

PAGES = {
    "next_step": "calculators/next-step.html",
    "odi": "calculators/odi.html",
    "start_back": "calculators/start-back.html",
    "pain_relief": "calculators/pain-relief.html",
    "mme": "calculators/mme.html",
}
QA_PAGES = (
    "recurrence-after-epidural.html",
    "radicular-pain-not-settling.html",
    "leg-pain-after-spine-surgery.html",
)
READY = "[data-engine-status][data-engine-state=ready]"
RESULT = "form.gs-calculator [data-result]"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class Watched:
    """A page plus what it asked the network for and what it logged."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        # The context sees the page's requests and its workers' (one context per test).
        page.context.on("request", self.record)

    def record(self, request: Any) -> None:
        # GETs only: the engine checks MIME types with HEAD requests first. Not the service
        # worker's: it copies every file of the site for offline use once the page settled.
        if request.method == "GET" and request.service_worker is None:
            self.requests.append(request.url)

    def count(self, suffix: str) -> int:
        return sum(urlsplit(url).path.endswith(suffix) for url in self.requests)


def watched_context(browser: Any, **options: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield Watched(context.new_page())
    context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A page under the site's own Content-Security-Policy."""
    yield from watched_context(browser)


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Watched]:
    """A page that may inject axe-core, which the site's CSP would rightly refuse."""
    yield from watched_context(browser, bypass_csp=True)


def open_calculator(watched: Watched, base: str, name: str, hash_part: str = "") -> Any:
    page = watched.page
    page.goto(base + PAGES[name] + hash_part)
    page.wait_for_selector(READY, timeout=30_000)
    return page


def result_text(page: Any) -> str:
    return page.locator(RESULT).inner_text()


def wait_for_text(page: Any, text: str) -> None:
    page.locator(RESULT, has_text=text).wait_for(timeout=10_000)


def expected(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    outcome = calculators.run(name, inputs)
    assert outcome["ok"], outcome
    return outcome["result"]


def retype(page: Any, text: str) -> None:
    """Replace the focused text box's content, by keyboard."""
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_pain_relief_by_keyboard(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "pain_relief")
    page.locator("input[name=baseline_nrs]").focus()
    retype(page, "6")
    page.keyboard.press("Tab")
    retype(page, "1.5")
    result = expected("pain_relief", {"baseline_nrs": 6, "current_nrs": 1.5})
    wait_for_text(page, f"{result['relief_pct']:g} %")
    assert result["interpretation"] in result_text(page)


def test_odi_by_keyboard(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "odi")
    answers = [3, 2, 4, 1, 0, 2, 3, None, 2, 1]
    page.locator("select[name='items.0']").focus()
    for answer in answers:
        # Typing into a focused drop-down picks the option that starts with that text.
        page.keyboard.type("N" if answer is None else str(answer))
        page.keyboard.press("Tab")
    result = expected("odi", {"items": answers})
    wait_for_text(page, f"{result['score_pct']:g}")
    assert result["interpretation"] in result_text(page)


def test_start_back_by_keyboard(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "start_back")
    agree = [True, False, True, True, True, False, True, True]
    page.locator("input[name='items.0']").focus()
    for ticked in agree:
        if ticked:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
    # Item 9 is a radio group: arrow keys move through it and select.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    choices = calculators.spec("start_back")["inputs"][0]["items"][8]["choices"]
    focused = page.evaluate("document.activeElement.value")
    assert focused in [c["value"] for c in choices]
    result = expected("start_back", {"items": [*agree, focused]})
    wait_for_text(page, result["interpretation"])


def test_mme_rows_by_keyboard(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "mme")
    page.locator("[data-add-row]").focus()
    page.keyboard.press("Enter")
    # The new row's first control (its drug) has the focus.
    assert page.evaluate("document.activeElement.name") == "medications.2.drug"
    page.keyboard.type("Morphine")
    page.keyboard.press("Tab")
    retype(page, "30")
    inputs = {
        "medications": [
            {"drug": "oxycodone", "daily_dose": 20},
            {"drug": "tramadol", "daily_dose": 100},
            {"drug": "morphine", "daily_dose": 30},
        ]
    }
    wait_for_text(page, f"{expected('mme', inputs)['total_mme']:g}")
    # Remove the first row by keyboard; the others renumber.
    page.locator("button", has_text="Remove entry 1").focus()
    page.keyboard.press("Enter")
    wait_for_text(
        page, f"{expected('mme', {'medications': inputs['medications'][1:]})['total_mme']:g}"
    )
    assert page.locator("select[name='medications.1.drug']").input_value() == "morphine"


def test_next_step_by_keyboard(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "next_step")
    page.locator("input[name=new_neuro_deficit]").focus()
    page.keyboard.press("Space")
    wait_for_text(page, "Urgent")
    titles = [item["title"] for item in live_plan(page)["steps"]]
    assert page.locator(f"{RESULT} .gs-steps > li .gs-item-title").all_inner_texts() == titles


def test_a_missing_pain_score_links_to_its_field(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "next_step")
    form_id = page.locator("form.gs-calculator").first.get_attribute("id")
    inputs = {
        "pain_pattern": "radicular",
        "weeks_since_onset": 40,
        "weeks_conservative_care": 30,
        "imaging": "non_concordant",
        "last_injection": "epidural",
        "relief_pct": 20,
    }
    page.goto("about:blank")
    open_calculator(watched, base, "next_step", f"#{form_id}={quote(json.dumps(inputs))}")
    fields = calculators.spec("next_step")["inputs"]
    pain = next(field["label"] for field in fields if field["name"] == "current_pain_nrs")
    link = page.locator(f"{RESULT} .gs-later .gs-fill-in a").first
    link.wait_for(timeout=10_000)
    assert link.inner_text() == f"Fill in “{pain}” in the form"
    target = vocabularies.field_id(form_id, "current_pain_nrs")
    assert link.get_attribute("href") == f"#{target}"
    before = hash_inputs(page)
    assert inputs.items() <= before.items()
    link.click()
    # The field has the focus, and the URL still holds the inputs.
    assert page.evaluate("document.activeElement.id") == target
    assert hash_inputs(page) == before


def live_plan(page: Any) -> dict[str, Any]:
    """Python's plan for whatever the form now holds (read back from the URL)."""
    return expected("next_step", hash_inputs(page))


def hash_inputs(page: Any) -> dict[str, Any]:
    fragment = urlsplit(page_address(page)).fragment
    key, _, value = fragment.partition("=")
    assert key.startswith("calc-")
    return json.loads(page.evaluate("(v) => decodeURIComponent(v)", value))


def test_a_wrong_input_shows_the_field_message_and_no_result(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "pain_relief")
    page.locator("input[name=current_nrs]").focus()
    retype(page, "12")
    message = calculators.run("pain_relief", {"baseline_nrs": 8, "current_nrs": 12})
    expected_message = message["errors"][0]["message"]
    error = page.locator("[id$='--current_nrs-error']")
    error.wait_for(state="visible", timeout=10_000)
    assert error.inner_text() == expected_message
    assert page.locator("input[name=current_nrs]").get_attribute("aria-invalid") == "true"
    assert page.locator(f"{RESULT} .gs-outputs").count() == 0


def field_paths(field: dict[str, Any], path: str) -> Iterator[str]:
    """`path` and the paths inside it: tuple items, and the first row of a records field."""
    yield path
    if field["type"] == "tuple":
        for index, item in enumerate(field["items"]):
            yield from field_paths(item, f"{path}.{index}")
    elif field["type"] == "records":
        for sub in field["fields"]:
            yield from field_paths(sub, f"{path}.0.{sub['name']}")


@pytest.mark.parametrize("name", PAGES)
def test_python_and_javascript_give_every_field_the_same_id(
    watched: Watched, base: str, name: str
) -> None:
    page = watched.page
    page.goto(base + PAGES[name])
    form_id = page.locator("form.gs-calculator").first.get_attribute("id")
    names = embedded_data(page)["names"]
    paths = [p for f in calculators.spec(name)["inputs"] for p in field_paths(f, f["name"])]
    ids = page.evaluate(
        "([module, names, formId, paths]) => import(module)"
        ".then(({ fieldId }) => paths.map((path) => fieldId(names, formId, path)))",
        [f"{base}assets/engine/contracts.js", names, form_id, paths],
    )
    assert ids == [vocabularies.field_id(form_id, path) for path in paths]
    # Each is the id of a field the page has, with its error slot.
    for field_id in ids:
        assert page.locator(f'[id="{field_id}"]').count() == 1, field_id
        assert page.locator(f'[data-error-for="{field_id}"]').count() == 1, field_id
    assert not watched.errors


def test_inputs_round_trip_through_the_url(watched: Watched, base: str, browser: Any) -> None:
    page = open_calculator(watched, base, "pain_relief")
    page.locator("input[name=baseline_nrs]").focus()
    retype(page, "9")
    wait_for_text(page, "66.7")
    url = page_address(page)
    assert hash_inputs(page) == {"baseline_nrs": 9, "current_nrs": 3}

    other = browser.new_context().new_page()
    other.goto(url)
    other.wait_for_selector(READY, timeout=30_000)
    assert other.locator("input[name=baseline_nrs]").input_value() == "9"
    other.locator(RESULT, has_text="66.7").wait_for(timeout=10_000)

    # Reset returns to the page's starting inputs, and the URL follows.
    other.locator("[data-reset]").focus()
    other.keyboard.press("Enter")
    other.locator(RESULT, has_text="62.5").wait_for(timeout=10_000)
    assert other.locator("input[name=baseline_nrs]").input_value() == "8"
    assert hash_inputs(other) == {"baseline_nrs": 8, "current_nrs": 3}
    other.context.close()


def test_copy_puts_a_plain_text_summary_on_the_clipboard(watched: Watched, base: str) -> None:
    page = open_calculator(watched, base, "next_step")
    page.locator("[data-copy]").focus()
    page.keyboard.press("Enter")
    page.locator("[data-copy-status]", has_text="copied").wait_for(timeout=5_000)
    text = page.evaluate("navigator.clipboard.readText()")
    plan = expected("next_step", hash_inputs(page) if "#" in page_address(page) else initial(page))
    assert text.startswith(calculators.spec("next_step")["title"])
    assert plan["headline"] in text
    assert all(item["title"] in text for item in plan["steps"])


def embedded_data(page: Any) -> dict[str, Any]:
    """The first calculator's embedded data (guidesite/extensions/calculator_data.py)."""
    return dict(
        json.loads(
            page.evaluate(
                "document.querySelector('template[data-calculator-data]').content.textContent"
            )
        )
    )


def initial(page: Any) -> dict[str, Any]:
    return {k: v for k, v in embedded_data(page)["initial"].items() if v is not None}


@pytest.fixture(scope="module")
def instant_base(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site served with a sitemap.xml that lists its pages at the address served.

    Material's instant navigation only intercepts links listed in sitemap.xml, which
    MkDocs fills only when `site_url` names the host the site is served from.
    """
    site = tmp_path_factory.mktemp("instant") / "site"
    shutil.copytree(built_site, site)
    with serve(site, SITE_PREFIX) as url:
        pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
        entries = "".join(f"<url><loc>{url}{page}</loc></url>" for page in pages)
        (site / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        )
        yield url


def test_instant_navigation_keeps_one_engine(watched: Watched, instant_base: str) -> None:
    page = open_calculator(watched, instant_base, "next_step")
    page.evaluate("window.bppSamePage = true")
    # The link is in the folded "Pearls and pitfalls": opened first, as a reader would.
    page.locator("details.gs-fold > summary", has_text="Pearls and pitfalls").click()
    page.locator("article a[href$='pain-relief.html']").first.click()
    page.wait_for_selector("form[data-calculator=pain_relief][data-bound]", timeout=10_000)
    assert page.evaluate("window.bppSamePage") is True, "navigation reloaded the page"
    page.locator("input[name=current_nrs]").focus()
    retype(page, "4")
    wait_for_text(page, "50")

    # Back to the first calculator: its form is bound again and still computes.
    page.go_back()
    page.wait_for_selector("form[data-calculator=next_step][data-bound]", timeout=10_000)
    page.locator("input[name=disabling]").focus()
    page.keyboard.press("Space")
    wait_for_text(page, "Soon")
    assert page.evaluate("window.bppSamePage") is True
    assert watched.count("/worker.js") == 1
    assert watched.count("pyodide.asm.wasm") == 1
    assert watched.errors == []


@pytest.mark.parametrize("path", ["index.html", "when-epidurals-do-not-work.html"])
def test_pages_without_a_calculator_load_no_form_code(
    watched: Watched, base: str, path: str
) -> None:
    page = watched.page
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    assert watched.count("calculators/forms.js") == 1
    assert watched.count("calculator-form.js") == 0
    assert watched.count("engine-client.js") == 0
    assert watched.errors == []


def open_settled(watched: Watched, base: str, path: str) -> Any:
    page = watched.page
    page.goto(base + path)
    if page.locator("form.gs-calculator").count():
        page.wait_for_selector(READY, timeout=30_000)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("path", [*PAGES.values(), *QA_PAGES])
def test_page_stays_on_the_origin_and_logs_no_errors(
    watched: Watched, base: str, path: str
) -> None:
    open_settled(watched, base, path)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    outside = [u for u in watched.requests if not u.startswith((origin, "data:", "blob:"))]
    assert outside == []
    assert watched.errors == []


def serious_violations(page: Any, context: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    report = page.evaluate(f"axe.run({context}, {{resultTypes: ['violations']}})")
    return [
        f"{v['id']}: {v['help']} (e.g. {v['nodes'][0]['target']})"
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", [*PAGES.values(), *QA_PAGES])
def test_axe_finds_no_serious_issue(axe_page: Watched, base: str, path: str) -> None:
    page = open_settled(axe_page, base, path)
    serious = serious_violations(page, "document")
    assert serious == [], "\n".join(serious)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_issue_in_a_live_calculator(
    axe_page: Watched, base: str, name: str
) -> None:
    """The calculator parts alone, after a live result and with a field error showing."""
    page = open_settled(axe_page, base, PAGES[name])
    first = page.locator("form.gs-calculator input[type=text]").first
    if first.count():
        first.focus()
        retype(page, "-1")
        page.locator(".gs-field-error:not([hidden])").first.wait_for(timeout=10_000)
    parts = "{include: [['form.gs-calculator'], ['.gs-rules'], ['.gs-examples']]}"
    serious = serious_violations(page, parts)
    assert serious == [], "\n".join(serious)
