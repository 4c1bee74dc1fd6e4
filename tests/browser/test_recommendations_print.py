"""A recommendation's rationale is folded on screen and printed open (recommendations.css)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.static_server import SITE_PREFIX, serve

pytestmark = pytest.mark.browser
PAGE = "radicular-pain-not-settling.html"
RATIONALE = "section.gs-rec details.gs-rec__rationale > :not(summary)"


@pytest.fixture
def page(browser: Any, built_site: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    with serve(built_site, SITE_PREFIX) as base:
        page = context.new_page()
        page.goto(base + PAGE, wait_until="networkidle")
        yield page
    context.close()


def test_the_rationale_is_folded_on_screen_and_open_in_print(page: Any) -> None:
    rationale = page.locator(RATIONALE)
    assert rationale.count() >= 2
    assert not any(rationale.nth(i).is_visible() for i in range(rationale.count()))
    page.emulate_media(media="print")
    assert all(rationale.nth(i).is_visible() for i in range(rationale.count()))
    # Still folded for the reader, who can open it on screen afterwards.
    assert page.locator("details.gs-rec__rationale[open]").count() == 0
