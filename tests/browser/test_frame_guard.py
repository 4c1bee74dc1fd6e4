"""A page shown in another site's frame hides itself, even from a server that sends no
`frame-ancestors` header (the `<meta>` policy cannot carry it); the site's own frames
still show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.static_server import SITE_PREFIX, serve

pytestmark = pytest.mark.browser
PAGE = "calculators/mme.html"
GUARD_LINK = "Open it on its own"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(service_workers="block")
    yield context.new_page()
    context.close()


def test_another_site_gets_only_a_link(built_site: Path, page: Any, tmp_path: Path) -> None:
    # Another origin: the same host on another port, as a page of another intranet site.
    with serve(built_site, SITE_PREFIX) as base, serve(tmp_path) as other_site:
        (tmp_path / "framing.html").write_text(f'<iframe src="{base}{PAGE}"></iframe>')
        page.goto(other_site + "framing.html")
        frame = page.frame_locator("iframe")
        link = frame.get_by_role("link", name=GUARD_LINK)
        link.wait_for()
        assert link.get_attribute("target") == "_top"
        assert frame.locator("form.gs-calculator").count() == 0


def test_the_site_may_frame_itself(built_site: Path, page: Any) -> None:
    with serve(built_site, SITE_PREFIX) as base:
        page.goto(base + "index.html")
        page.evaluate(
            """(src) => { const frame = document.createElement("iframe");
              frame.src = src; document.body.append(frame); }""",
            base + PAGE,
        )
        frame = page.frame_locator("iframe").last
        frame.locator("form.gs-calculator").first.wait_for()
        assert frame.get_by_role("link", name=GUARD_LINK).count() == 0
