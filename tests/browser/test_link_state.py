"""Shared links in Chromium: whatever a link holds, the form starts, says what it left out,
and the result and Copy are always those for the inputs on screen (or marked not current).

A Hypothesis property over random and hostile URL states, with the mangled links that once
stopped the form's start-up as fixed examples; and Copy while the engine is held back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import calculators
from guidesite.kit.presentation import present
from tests.browser.test_calculators import PAGES
from tests.conftest import SITE_NAME

pytestmark = pytest.mark.browser

# Each calculator's own page, and a question page whose calculator starts from a case.
TARGETS = {path: name for name, path in PAGES.items()} | {
    "recurrence-after-epidural.html": "next_step"
}
SPECS = {name: calculators.spec(name) for name in calculators.names()}
FORM = "form.gs-calculator"
# The form's code has finished starting once Copy says whether it may copy.
STARTED = f"{FORM} [data-copy][aria-disabled]"
SENTINEL = "clipboard before Copy"
WORKER = "**/assets/engine/worker.js"
# No service worker: it would fetch the engine's worker past the routes that hold it back.
CONTEXT: dict[str, Any] = {"viewport": {"width": 1100, "height": 900}, "service_workers": "block"}
CURRENT = """(formId) => {
  const form = document.getElementById(formId);
  return form.querySelector(".gs-result-not-current").hidden
    && !form.querySelector("[data-result]").hasAttribute("aria-busy");
}"""

# Everything the invariant is about, read in one go (so from one moment of the page).
SNAPSHOT = """async ([controls, formId]) => {
  const { readObject } = await import(controls);
  const form = document.getElementById(formId);
  const data = JSON.parse(form.querySelector("template[data-calculator-data]").content.textContent);
  const mark = form.querySelector(".gs-result-not-current");
  return {
    inputs: readObject(form, data.spec.inputs, ""),
    notCurrent: mark && !mark.hidden ? mark.textContent : null,
    busy: form.querySelector("[data-result]").hasAttribute("aria-busy"),
    summaryShown: !form.querySelector("[data-result-summary]").hidden,
    summary: form.querySelector("[data-summary-content]").textContent,
    copyDisabled: form.querySelector("[data-copy]").getAttribute("aria-disabled") === "true",
    notices: [...form.querySelectorAll(".gs-link-notice")].map((n) => n.dataset.linkNotice),
    today: new Date().toISOString().slice(0, 10),
  };
}"""


@pytest.fixture(scope="module")
def tab(browser: Any) -> Iterator[Any]:
    """One tab for every example: each opens its link as a new document (and engine)."""
    context = browser.new_context(**CONTEXT)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def form_ids(tab: Any, base: str) -> dict[str, str]:
    ids = {}
    for path in TARGETS:
        tab.goto(base + path)
        ids[path] = tab.locator(FORM).first.get_attribute("id")
    return ids


# ---------- link states ----------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)


def nested(depth: int) -> Any:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = st.one_of(
    JSON_SCALARS,
    st.lists(JSON_SCALARS, max_size=30),
    # Deeper than this, Python's json cannot write it; the 200 000-deep link is an example.
    st.integers(1, 500).map(nested),
    # Objects whose conversion to text throws in JavaScript.
    st.sampled_from([{"toString": 1}, {"toString": None, "valueOf": None}, {"__proto__": []}]),
)


def proper(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value shaped as the field declares, whose parts may themselves be anything."""
    kind = field["type"]
    if kind == "integer":
        return st.integers(field["min"], field["max"])
    if kind == "number":
        return st.one_of(
            st.integers(int(field["min"]), int(field["max"])),
            st.floats(field["min"], field["max"]),
        )
    if kind == "boolean":
        return st.booleans()
    values = [choice["value"] for choice in field["choices"] or []]
    if kind == "choice":
        return st.sampled_from(values)
    if kind == "multi_choice":
        return st.lists(st.sampled_from(values), max_size=len(values) + 1)
    if kind == "tuple":
        return st.tuples(*(anything(item) for item in field["items"])).map(list)
    rows = st.fixed_dictionaries(
        {}, optional={sub["name"]: anything(sub) for sub in field["fields"]} | {"extra": HOSTILE}
    )
    return st.lists(rows, max_size=field["max_items"] + 2)


def anything(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    return st.one_of(proper(field), proper(field), HOSTILE)


def states(name: str) -> st.SearchStrategy[Any]:
    fields = SPECS[name]["inputs"]
    declared = st.fixed_dictionaries({}, optional={f["name"]: anything(f) for f in fields})
    unknown = st.dictionaries(st.text(max_size=12), HOSTILE, max_size=2)
    objects = st.builds(lambda extra, known: extra | known, unknown, declared)
    return st.one_of(objects, objects, objects, HOSTILE)


LINKS = st.sampled_from(sorted(TARGETS)).flatmap(
    lambda path: states(TARGETS[path]).map(lambda state: (path, quote(json.dumps(state))))
)


def link(state: Any) -> str:
    return quote(json.dumps(state))


RED_FLAGS = ["cauda_equina", "suspected_infection"]


MME_400_100 = [{"drug": "morphine", "daily_dose": 400}, {"drug": "oxycodone", "daily_dose": 100}]


def medicines(count: int) -> list[dict[str, Any]]:
    return [{"drug": "morphine", "daily_dose": 10}] * count


# ---------- what the page must show ----------


def normal(field: dict[str, Any], value: Any) -> Any:
    """`value` as the form would hold it, so a link's value and the form's can be compared."""
    if field["type"] in ("integer", "number") and isinstance(value, float) and value.is_integer():
        return int(value)  # a text box shows 5.0 as 5
    if field["type"] == "multi_choice" and isinstance(value, list):
        return sorted(value, key=repr)
    if field["type"] == "tuple" and isinstance(value, list):
        return [normal(item, v) for item, v in zip(field["items"], value, strict=False)] + value[
            len(field["items"]) :
        ]
    if field["type"] == "records" and isinstance(value, list):
        return [normal_row(field["fields"], row) for row in value]
    # Nothing entered, where the field starts so: its boxes are shown empty.
    if field["type"] == "records" and value is None:
        return [normal_row(field["fields"], {})]  # one blank row to fill in
    if field["type"] == "tuple" and value is None:
        return [None] * len(field["items"])
    return value


def normal_row(fields: list[dict[str, Any]], row: Any) -> Any:
    if not isinstance(row, dict):
        return row
    declared = {f["name"]: normal(f, row.get(f["name"], f["default"])) for f in fields}
    return declared | {key: value for key, value in row.items() if key not in declared}


def same(field: dict[str, Any], linked: Any, shown: Any) -> bool:
    linked, shown = normal(field, linked), normal(field, shown)
    return json.dumps(linked, sort_keys=True) == json.dumps(shown, sort_keys=True)


def check_notices(name: str, state: Any, page: dict[str, Any]) -> None:
    """Every value of the link is on the form as given, or its field says it was left out."""
    notices = {path.split(".")[0] for path in page["notices"]}
    if not isinstance(state, dict):
        # No set of inputs at all: the form keeps the page's own, and their result.
        assert "" in notices and page["notCurrent"] is None, page
        return
    fields = {field["name"]: field for field in SPECS[name]["inputs"]}
    assert ("" in notices) == any(key not in fields for key in state), page
    for key, value in state.items():
        if key in fields:
            field = fields[key]
            shown = page["inputs"].get(key, field["default"])
            assert (key in notices) == (not same(field, value, shown)), (key, value, page)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_result(name: str, tab: Any, form_id: str, page: dict[str, Any]) -> bool:
    """The result and Copy are for the inputs on screen, or marked not current; True if current."""
    if page["notCurrent"] is not None:
        assert page["copyDisabled"], page
        tab.evaluate("(text) => navigator.clipboard.writeText(text)", SENTINEL)
        tab.locator(f"#{form_id} [data-copy]").focus()
        tab.keyboard.press("Enter")
        status = tab.locator(f"#{form_id} [data-copy-status]")
        assert (
            status.inner_text() == f"Not copied: {page['notCurrent'].removeprefix('Not current: ')}"
        )
        assert tab.evaluate("navigator.clipboard.readText()") == SENTINEL
        return False
    view = present(SPECS[name], page["inputs"], calculators.run(name, page["inputs"]), SITE_NAME)
    # Without a result the compact bar shows only a message about the form as a whole
    # (the planner's emergency alert), never a result.
    general = [] if view["ok"] else [e["message"] for e in view["errors"] if e["field"] is None]
    assert page["summaryShown"] == (view["ok"] or bool(general)), (page, view)
    assert page["copyDisabled"] == (not view["ok"]), (page, view)
    if view["ok"]:
        label, text = view["summary"]["label"], view["summary"]["text"]
        assert words(page["summary"]) == words(f"{label} {text}"), page
    elif general:
        assert words(page["summary"]) == words(general[0]), page
    tab.evaluate("(text) => navigator.clipboard.writeText(text)", SENTINEL)
    tab.locator(f"#{form_id} [data-copy]").focus()
    tab.keyboard.press("Enter")
    said = "Result copied." if view["ok"] else "Nothing to copy until there is a result."
    tab.locator(f"#{form_id} [data-copy-status]", has_text=said).wait_for()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied == (view["note"].replace("{today}", page["today"]) if view["ok"] else SENTINEL)
    return True


def snapshot(tab: Any, base: str, form_id: str) -> dict[str, Any]:
    return dict(tab.evaluate(SNAPSHOT, [f"{base}assets/calculators/controls.js", form_id]))


def open_link(tab: Any, base: str, path: str, form_id: str, fragment: str) -> dict[str, Any]:
    """Opens the page with the engine held back, checks it at once, then again once the
    engine has answered; returns the first look."""
    errors: list[Any] = []
    held: list[Any] = []
    released = False

    def hold(route: Any) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    def record(error: Any) -> None:
        errors.append(error)

    tab.on("pageerror", record)
    tab.route(WORKER, hold)
    try:
        tab.goto("about:blank")
        tab.goto(f"{base}{path}{fragment}")
        tab.wait_for_selector(STARTED, state="attached", timeout=10_000)
        first = snapshot(tab, base, form_id)
        check_result(TARGETS[path], tab, form_id, first)
        released = True
        for route in held:
            route.continue_()
        # Once the engine has answered for the inputs on screen, the result is current.
        tab.wait_for_function(CURRENT, arg=form_id, timeout=30_000)
        final = snapshot(tab, base, form_id)
        assert final["inputs"] == first["inputs"]
        assert check_result(TARGETS[path], tab, form_id, final)
    finally:
        tab.unroute(WORKER, hold)
        tab.remove_listener("pageerror", record)
    assert errors == []
    return first


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=LINKS)
# The links that once showed a result for other inputs, or stopped the form's start.
@example(
    case=(
        "recurrence-after-epidural.html",
        link({"red_flags": RED_FLAGS, "pain_pattern": "radicular", "relief_pct": "5O"}),
    )
)
@example(
    case=(
        "recurrence-after-epidural.html",
        link({"red_flags": RED_FLAGS, "weeks_since_onset": {"toString": 1}}),
    )
)
@example(
    case=(
        "calculators/mme.html",
        link({"medications": [*MME_400_100, {"drug": "morphine", "daily_dose": "1OO"}]}),
    )
)
@example(case=("calculators/mme.html", link({"medications": medicines(1000)})))
@example(case=("calculators/mme.html", link({"medications": medicines(3000)})))
@example(case=("calculators/odi.html", quote("{not JSON")))
@example(case=("calculators/pain-relief.html", "%E0%A4%A"))
def test_a_link_never_puts_a_result_beside_other_inputs(
    tab: Any, base: str, form_ids: dict[str, str], case: tuple[str, str]
) -> None:
    path, state_text = case
    try:
        state = json.loads(unquote(state_text))
    except ValueError:
        state = None
    first = open_link(tab, base, path, form_ids[path], f"#{form_ids[path]}={state_text}")
    check_notices(TARGETS[path], state, first)


def test_a_link_nested_200_000_deep_starts_the_form(
    tab: Any, base: str, form_ids: dict[str, str]
) -> None:
    """Too deep for Python's json: the link is written by hand and checked against a
    stand-in of the same shape at the top."""
    path = "calculators/mme.html"
    deep = "[" * 200_000 + "]" * 200_000
    rows = json.dumps(MME_400_100).replace("100}", deep + "}")
    state_text = quote('{"medications": ' + rows + "}")
    first = open_link(tab, base, path, form_ids[path], f"#{form_ids[path]}={state_text}")
    stand_in = {"medications": [MME_400_100[0], {**MME_400_100[1], "daily_dose": [[]]}]}
    check_notices("mme", stand_in, first)


@pytest.mark.parametrize("path", sorted(TARGETS))
def test_without_a_link_the_build_time_result_is_current(
    tab: Any, base: str, form_ids: dict[str, str], path: str
) -> None:
    first = open_link(tab, base, path, form_ids[path], "")
    assert first["notCurrent"] is None
    assert first["notices"] == []


def test_copy_while_the_engine_loads_copies_nothing_stale(browser: Any, base: str) -> None:
    """The engine's worker is held back: a changed input marks the result not current and
    Copy refuses, saying why; once the engine answers, Copy copies the new result."""
    context = browser.new_context(**CONTEXT)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    held: list[Any] = []
    context.route(WORKER, lambda route: held.append(route))
    page = context.new_page()
    page.goto(base + PAGES["pain_relief"])
    page.wait_for_selector(STARTED, state="attached")
    form_id = page.locator(FORM).first.get_attribute("id")
    before = snapshot(page, base, form_id)
    assert before["notCurrent"] is None
    assert check_result("pain_relief", page, form_id, before)

    page.locator("input[name=baseline_nrs]").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("9")
    changed = snapshot(page, base, form_id)
    assert changed["inputs"] == {"baseline_nrs": 9, "current_nrs": 3}
    assert changed["notCurrent"] == (
        "Not current: the inputs changed while the calculator engine loads, "
        "and this result is for the earlier ones."
    )
    assert page.locator(f"#{form_id} .gs-result-not-current").is_visible()
    assert not check_result("pain_relief", page, form_id, changed)
    assert page.locator(f"#{form_id} [data-copy-status]").inner_text() == (
        "Not copied: the inputs changed while the calculator engine loads, "
        "and this result is for the earlier ones."
    )

    assert held, "the engine's worker was never asked for"
    for route in held:
        route.continue_()
    page.wait_for_selector(
        f"#{form_id} .gs-result-not-current[hidden]", state="attached", timeout=30_000
    )
    page.locator(f"#{form_id} [data-result]", has_text="66.7").wait_for()
    assert check_result("pain_relief", page, form_id, snapshot(page, base, form_id))
    context.close()
