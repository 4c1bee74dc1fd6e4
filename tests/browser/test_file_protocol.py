"""Opened straight from disk (file://), pages stay readable and calculators say why they wait."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_calculator_page_from_disk_explains_and_keeps_guidance(
    built_site: Path, browser: Any
) -> None:
    page = browser.new_page()
    page.goto((built_site / "calculators" / "odi.html").as_uri())
    status = page.locator("[data-engine-status]").first
    status.wait_for(state="attached")
    page.wait_for_function(
        "() => document.querySelector('[data-engine-status]').textContent.includes('file://')",
        timeout=5000,
    )
    assert status.get_attribute("data-engine-state") == "error"
    assert "web server" in status.inner_text()
    # The guidance itself is plain HTML and still there.
    assert page.locator("h1").inner_text().strip()
    assert page.locator("section.gs-references li").count() > 0
    page.close()


def test_guideline_page_from_disk_shows_no_calculator_message(
    built_site: Path, browser: Any
) -> None:
    page = browser.new_page()
    page.goto((built_site / "when-epidurals-do-not-work.html").as_uri())
    page.wait_for_load_state("load")
    assert page.locator("[data-engine-status]").count() == 0
    assert "file://" not in page.locator("article").inner_text()
    page.close()
