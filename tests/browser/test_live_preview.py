"""`guidesite serve` in Chromium: the page reloads after a save under the site's own policy,
mistakes show in a banner over the last good site, and fixing them removes the banner."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from guidesite.site import csp

pytestmark = pytest.mark.browser

PAGE = "content/recurrence-after-epidural.md"
BANNER = "section.gs-preview"
# Generous: a rebuild takes about 2 s alone, and the machine is shared.
WAIT_MS = 30_000


@dataclass
class Preview:
    url: str
    project: Path
    log: Path

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.project / path
        text = file.read_text(encoding="utf-8")
        assert old in text, old
        file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def preview(project_copy: Path) -> Iterator[Preview]:
    """`guidesite serve` on a project copy, stopped (by its own process id) afterwards."""
    address = f"127.0.0.1:{_free_port()}"
    log = project_copy / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "guidesite.cli", "serve", "--dev-addr", address],
            cwd=project_copy,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://{address}/guidelines/"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        yield Preview(url, project_copy, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that records every Content-Security-Policy violation and console error."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def open_page(page: Any, preview: Preview) -> None:
    # No race with the first save: the reload loop compares the page's build with the latest.
    page.goto(preview.url + "recurrence-after-epidural.html")


def test_a_save_reloads_the_page_under_the_sites_policy(page: Any, preview: Preview) -> None:
    open_page(page, preview)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert policy == csp.read_meta_policy()  # the built site's policy, unchanged
    page.evaluate("() => { window.__beforeSave = true; }")
    preview.edit(PAGE, "\n## ", "\nA sentence added while the preview was open.\n\n## ")
    page.get_by_text("A sentence added while the preview was open.").wait_for(timeout=WAIT_MS)
    assert page.evaluate("() => window.__beforeSave") is None  # a real reload, not a patch
    assert page.locator(BANNER).count() == 0
    assert page.problems == [], page.problems


def test_mistakes_show_over_the_last_good_site_until_fixed(page: Any, preview: Preview) -> None:
    open_page(page, preview)
    heading = page.locator("h1").inner_text()
    preview.edit(PAGE, "status: under-review", "status: aproved")
    preview.edit(PAGE, "\n## ", "\nText from the broken version.\n\n## ")
    banner = page.locator(BANNER)
    banner.wait_for(timeout=WAIT_MS)
    assert banner.is_visible()
    line = next(
        n
        for n, text in enumerate((preview.project / PAGE).read_text().splitlines(), 1)
        if text == "status: aproved"
    )
    expected = (
        f"{PAGE}:{line}: status: must be one of submitted, under-review, approved "
        "(got 'aproved') (did you mean 'approved'?)"
    )
    assert banner.locator("li").all_inner_texts() == [expected]
    assert expected in preview.log.read_text()  # the same text as in the terminal
    # The last good site: the page as it was, and every other page too, with the banner.
    assert page.locator("h1").inner_text() == heading
    assert page.get_by_text("Text from the broken version.").count() == 0
    page.goto(preview.url)
    assert page.locator(BANNER).locator("li").all_inner_texts() == [expected]
    assert page.locator("h1").count() == 1

    preview.edit(PAGE, "status: aproved", "status: under-review")
    page.locator(BANNER).wait_for(state="detached", timeout=WAIT_MS)
    page.goto(preview.url + "recurrence-after-epidural.html")
    assert page.get_by_text("Text from the broken version.").count() == 1
    assert page.problems == [], page.problems


def test_an_uncited_new_reference_is_listed_but_does_not_stop_the_preview(
    page: Any, preview: Preview
) -> None:
    open_page(page, preview)
    bib = preview.project / "content/references.bib"
    bib.write_text(
        bib.read_text() + "\n@misc{drafted-source,\n  title = {Not cited yet},\n"
        "  year = {2024},\n  kind = {research},\n}\n"
    )
    preview.edit(PAGE, "\n## ", "\nA sentence written next.\n\n## ")
    page.get_by_text("A sentence written next.").wait_for(timeout=WAIT_MS)
    warnings = page.locator(f"{BANNER} .gs-preview__warnings li").all_inner_texts()
    assert len(warnings) == 1
    assert "entry 'drafted-source' is cited by no page; cite it or remove it" in warnings[0]
    assert warnings[0].startswith("content/references.bib:")
    assert page.locator(f"{BANNER} .gs-preview__errors").count() == 0
    assert page.problems == [], page.problems
