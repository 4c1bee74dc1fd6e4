"""A site made by `guidesite init`: its own calculator computes live in Chromium, on a
phone-sized screen, asking no host but its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from support.pages import fresh_page
from support.static_server import serve

pytestmark = pytest.mark.browser

READY = "[data-engine-status][data-engine-state=ready]"
RESULT = "form[data-calculator=bmi] [data-result]"


def test_the_example_calculator_computes_live_offline_on_a_phone(
    browser: Any, new_site: Path
) -> None:
    with serve(new_site / "site") as base, fresh_page(browser, 390, 844) as page:
        requested: list[str] = []
        page.context.on("request", lambda request: requested.append(request.url))
        page.goto(base + "adult-bmi.html")
        page.wait_for_selector(READY, timeout=60_000)
        form = page.locator("form[data-calculator=bmi]")
        form.locator("input[name=height_cm]").fill("175")
        form.locator("input[name=weight_kg]").fill("85")
        form.locator("input[name=background][value=lower]").check()
        # 85 / 1.75² = 27.76: overweight by the WHO bands, obesity from 27.5 for this group.
        page.locator(RESULT, has_text="27.8").wait_for(timeout=20_000)
        assert "obesity" in page.locator(RESULT).inner_text().lower()
        form.locator("input[name=background][value=standard]").check()
        page.locator(RESULT, has_text="overweight").wait_for(timeout=20_000)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    hosts = {urlsplit(url).netloc for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(base).netloc}
