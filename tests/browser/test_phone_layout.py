"""Every built page on a phone: nothing scrolls sideways but a wide table inside its own
box, and calculator controls are big enough to tap (44 x 44 px, WCAG 2.5.5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.pages import fresh_page

pytestmark = pytest.mark.browser

PHONE_WIDTHS = (360, 390)
PHONE_HEIGHT = 780
TAP = 44
READY = "[data-engine-status][data-engine-state=ready]"


def built_pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def calculator_pages(site: Path) -> list[str]:
    return [
        name for name in built_pages(site) if 'class="gs-calculator"' in (site / name).read_text()
    ]


# Elements that stick out past the right edge of the screen, to name the culprit.
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && e.getClientRects().length)
  .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`)"""


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_no_page_scrolls_sideways_on_a_phone(
    browser: Any, base: str, built_site: Path, width: int
) -> None:
    pages = built_pages(built_site)
    assert len(pages) > 10
    too_wide = {}
    with fresh_page(browser, width, PHONE_HEIGHT) as page:
        for name in pages:
            page.goto(base + name, wait_until="networkidle")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide[name] = (scroll_width, page.evaluate(STICKING_OUT))
    assert too_wide == {}


def test_a_table_wider_than_the_phone_scrolls_inside_its_own_box(browser: Any, base: str) -> None:
    with fresh_page(browser, 360, PHONE_HEIGHT) as page:
        page.goto(base + "calculators/mme.html", wait_until="networkidle")
        table = page.locator("table.gs-rows").first
        # A cell that cannot wrap, as a long drug name or dose would be.
        table.locator("td").first.evaluate("(cell) => { cell.textContent = 'x'.repeat(120); }")
        box = table.evaluate("(t) => ({scroll: t.scrollWidth, client: t.clientWidth})")
        assert box["scroll"] > box["client"]
        assert table.bounding_box()["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        table.evaluate("(t) => { t.scrollLeft = 200; }")
        assert table.evaluate("(t) => t.scrollLeft") > 0


# Each visible control in the page's content with the box a finger has to hit: a text box,
# drop-down, button or summary is its own target; a checkbox or radio is hit through its label.
TARGETS = """(article) => [...article.querySelectorAll("input, select, button, summary")]
  .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
  .map((e) => {
    const toggled = e.type === "checkbox" || e.type === "radio";
    const boxes = (toggled ? [...e.labels] : [e]).map((t) => t.getBoundingClientRect());
    const best = boxes.sort((a, b) => b.width * b.height - a.width * a.height)[0];
    const name = e.name || e.textContent.trim().slice(0, 40);
    return {name, type: e.type || e.tagName, width: best?.width ?? 0, height: best?.height ?? 0};
  })"""


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_calculator_controls_are_big_enough_to_tap(
    browser: Any, base: str, built_site: Path, width: int
) -> None:
    names = calculator_pages(built_site)
    assert len(names) >= 5
    small = []
    counted = 0
    with fresh_page(browser, width, PHONE_HEIGHT) as page:
        for name in names:
            page.goto(base + name, wait_until="networkidle")
            # The copy and reset buttons appear once the engine is ready.
            page.wait_for_selector(READY, timeout=60_000)
            for target in page.locator("article.md-content__inner").evaluate(TARGETS):
                counted += 1
                if target["width"] < TAP or target["height"] < TAP:
                    small.append((name, target))
    assert counted > 50
    assert small == []
