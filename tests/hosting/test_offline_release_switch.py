"""Offline copies under the real nginx: a release switch while a reader's service worker is
copying the site fails that copy, the worker then copies the new release whole, and the
offline site is entirely one release. A release marked urgent takes over at once.

Playwright sees the service worker's own requests (Chromium), so the switch is made at an
exact point of the copy: once the worker holds a page of the first release, just before
nginx answers its request for the next page.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from commands import documented, guidesite
from conftest import NEXT_VERSION, Packed
from servers import NGINX, run_server

from guidesite.release.pack import MANIFEST_NAME, parse_manifest
from guidesite.release.releases import rollback

pytestmark = pytest.mark.browser
PREFIX = "/intranet/back-pain/"
# The worker's own script and what it imports are fetched before the copy starts.
WORKER_FILES = ("sw.js", "urgent.json", "assets/guidesite/urgent-release.js")
# The worker claims the page while it is still activating, and activating deletes what the
# previous copy left: the caches are read once the worker is activated, so no entry can go
# between listing it and reading it.
WAIT_FOR_CONTROLLER = """() => navigator.serviceWorker.ready.then(({ active }) => Promise.all([
  navigator.serviceWorker.controller ?? new Promise((resolve) =>
    navigator.serviceWorker.addEventListener("controllerchange", resolve)),
  active.state === "activated" || new Promise((resolve) =>
    active.addEventListener("statechange", () => active.state === "activated" && resolve())),
])).then(() => navigator.serviceWorker.controller.scriptURL)"""
# url -> SHA-256 of every response the service worker keeps.
CACHED = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const body = await (await cache.match(request)).arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
      found[request.url] = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    }
  }
  return found;
}"""


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    if NGINX.binary() is None:
        pytest.skip("nginx is not installed (`make test` installs it)")
    context = browser.new_context(service_workers="allow")
    yield context
    context.close()


def live(root: Path) -> str:
    return Path(os.readlink(root / "current")).name


def worker_path(request: Any, base: str) -> str | None:
    """The site path a request of the service worker asks for (None: not the worker's)."""
    if request.service_worker is None or not request.url.startswith(base):
        return None
    return request.url.removeprefix(base).split("?")[0] or "index.html"


def deploy_both(root: Path, first: Packed, second: Packed) -> tuple[str, str]:
    """Deploy both releases and return their names, the first one live."""
    assert guidesite(*documented("deploy", root, first.archive)).returncode == 0
    older = live(root)
    assert guidesite(*documented("deploy", root, second.archive)).returncode == 0
    newer = live(root)
    rollback(root, older)
    return older, newer


def test_a_switch_during_the_offline_copy_leaves_one_whole_release(
    release_a: Packed, release_b: Packed, tmp_path: Path, context: Any
) -> None:
    root = tmp_path / "srv" / "back-pain-pathways"
    older, newer = deploy_both(root, release_a, release_b)
    asked: Counter[str] = Counter()
    with run_server(NGINX, root, tmp_path / "nginx", prefix=PREFIX) as base:

        def switch_at_the_second_page(route: Any) -> None:
            path = worker_path(route.request, base)
            if path is not None and path not in WORKER_FILES:
                copied_pages = [page for page in asked if page.endswith(".html")]
                if path.endswith(".html") and copied_pages and live(root) == older:
                    rollback(root, newer)
                asked[path] += 1
            route.continue_()

        context.route(f"{base}**", switch_at_the_second_page)
        page = context.new_page()
        page.goto(base)
        assert page.evaluate(WAIT_FOR_CONTROLLER) == base + "sw.js"
        cached = page.evaluate(CACHED)
        context.unroute(f"{base}**")

    assert live(root) == newer
    expected = parse_manifest((root / "releases" / newer / MANIFEST_NAME).read_text())
    kept = {url.removeprefix(base).split("?")[0] or "index.html": h for url, h in cached.items()}
    assert {path for path in kept if kept[path] != expected.get(path)} == set(), asked
    # The first copy failed on the first page after the switch (its bytes are not the ones
    # the worker listed), and the worker then copied the new release: files that differ
    # were asked for twice, none more often.
    assert max(asked.values()) == 2, asked
    pages = {path for path in expected if path.endswith(".html")}
    assert pages <= set(kept)

    # With the server gone, every page comes from the copy: all of the new release.
    context.set_offline(True)
    page.goto(base + "calculators/mme.html")
    assert f"Content version {NEXT_VERSION}" in page.inner_text("footer")


def test_an_urgent_release_reaches_new_pages_at_once(
    release_a: Packed, release_b: Packed, tmp_path: Path, context: Any
) -> None:
    root = tmp_path / "srv" / "back-pain-pathways"
    _, newer = deploy_both(root, release_a, release_b)
    with run_server(NGINX, root, tmp_path / "nginx", prefix=PREFIX) as base:
        page = context.new_page()
        page.goto(base)
        page.evaluate(WAIT_FOR_CONTROLLER)
        assert f"Content version {NEXT_VERSION}" not in page.inner_text("footer")

        urgent = [*documented("rollback", root), "--to", newer, "--urgent"]
        assert guidesite(*urgent).returncode == 0
        assert served_json(base + "urgent.json")["release"] == newer
        # The open page looks for a new release when it becomes visible again; the new
        # worker takes over as soon as it has the whole release, without a Reload.
        page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.locator("[data-guidesite-update]").wait_for(state="visible", timeout=60_000)
        fresh = context.new_page()
        fresh.goto(base + "calculators/mme.html")
        assert f"Content version {NEXT_VERSION}" in fresh.inner_text("footer")
        # The open page was not reloaded under the reader.
        assert f"Content version {NEXT_VERSION}" not in page.inner_text("footer")


def served_json(url: str) -> Any:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return json.load(response)
