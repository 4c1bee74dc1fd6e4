"""Material's search worker starts, and its index downloads, when the reader first goes to
the search box, so that neither competes with the page's own files and the calculator
engine's start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.static_server import SITE_PREFIX, serve

pytestmark = pytest.mark.browser


def test_the_search_worker_and_index_wait_for_the_search_box(
    built_site: Path, browser: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    index_requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            index_requests.append(request.url)
            if request.url.endswith("/search/search_index.json")
            else None
        ),
    )
    with serve(built_site, SITE_PREFIX) as base:
        page.goto(base + "calculators/pain-relief.html", wait_until="networkidle")
        page.wait_for_selector("[data-engine-status][data-engine-state=ready]", timeout=30_000)
        assert not [url for url in workers if "/workers/search." in url]
        assert index_requests == []
        assert [url for url in workers if url.endswith("/assets/engine/worker.js")]

        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator(".md-search__input").press_sequentially("epidural", delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        assert [url for url in workers if "/workers/search." in url]
        assert len(index_requests) == 1
    context.close()
