"""The compact result summary: on a phone it stays in view while inputs change, follows the
live result, and a tap goes to the full result without losing the inputs in the URL."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from support.pages import page_address

import calculators
from guidesite.kit.presentation import present
from tests.browser.test_calculators import READY
from tests.conftest import SITE_NAME

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def in_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_on_a_phone_the_summary_stays_in_view_and_leads_to_the_result(
    browser: Any, base: str
) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.goto(base + "calculators/next-step.html")
    page.wait_for_selector(READY, timeout=30_000)
    summary = page.locator("[data-result-summary]")
    assert summary.locator("xpath=..").get_attribute("aria-live") == "polite"

    # Changing an input high in the form: the summary follows, at the bottom of the screen,
    # while the full result is still out of sight below.
    box = page.locator("input[name=new_neuro_deficit]")
    box.scroll_into_view_if_needed()
    box.tap()
    inputs = json.loads(unquote(urlsplit(page_address(page)).fragment.partition("=")[2]))
    shown = present(
        calculators.spec("next_step"), inputs, calculators.run("next_step", inputs), SITE_NAME
    )["summary"]
    expected = f"{shown['label']} {shown['text']}"
    page.locator("[data-summary-content]", has_text=expected).wait_for(timeout=10_000)
    assert shown["tone"] == "urgent"
    assert in_viewport(page, "[data-result-summary]")
    assert not in_viewport(page, ".gs-result-title")
    assert summary.get_attribute("class") == "gs-urgency--urgent"

    # A tap on the bar's words, meant for an input the bar half covers, leaves the reader
    # where they are; its button goes to the result and moves the focus there, and the
    # inputs stay in the URL.
    scrolled = page.evaluate("scrollY")
    summary.locator("[data-summary-content]").tap()
    page.wait_for_timeout(300)
    assert page.evaluate("scrollY") == scrolled
    assert not in_viewport(page, ".gs-result-title")
    summary.locator("[data-summary-go]").tap()
    page.wait_for_function("() => document.activeElement?.classList.contains('gs-result-title')")
    assert in_viewport(page, ".gs-result-title")
    assert urlsplit(page_address(page)).fragment.partition("=")[2] != ""
    context.close()


def test_on_a_wide_screen_there_is_no_summary_bar(browser: Any, base: str) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(base + "calculators/next-step.html")
    page.wait_for_selector(READY, timeout=30_000)
    assert not page.locator("[data-result-summary]").is_visible()
    context.close()


def test_a_bar_whose_engine_is_still_loading_says_not_current_in_its_own_colours(
    browser: Any, base: str
) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True)
    held: list[Any] = []
    context.route("**/assets/engine/pyodide-*/**", lambda route: held.append(route))  # never starts
    page = context.new_page()
    page.goto(base + "calculators/next-step.html")
    page.wait_for_selector("[data-engine-status][data-engine-state=loading]", timeout=30_000)
    page.locator("input[name=new_neuro_deficit]").tap()
    summary = page.locator("[data-result-summary]")
    summary.locator(".gs-summary-not-current").wait_for(timeout=10_000)
    assert summary.get_attribute("data-not-current") is not None
    # Not the old urgency's colours: a glance must not read the old answer's urgency.
    assert summary.evaluate("(e) => getComputedStyle(e).backgroundColor") == "rgb(255, 248, 214)"
    assert not summary.locator("[data-summary-content]").is_visible()
    context.unroute_all(behavior="ignoreErrors")
    context.close()
