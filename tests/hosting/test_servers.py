"""The shipped nginx and Apache snippets in real servers, serving the real site under
/guidelines/.

Checked over HTTP (types, caching, CSP, compression) and in Chromium (a calculator computes
under the shipped CSP; a server that sends the wrong WebAssembly type gets a clear message).
"""

from __future__ import annotations

import gzip
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from live_result import compute
from servers import SERVERS, Server, run_server

from guidesite.site import csp

POLICY = csp.POLICY_FILE.read_text().strip()
IMMUTABLE = "public, max-age=31536000, immutable"
STATUS = "[data-engine-status]"


@pytest.fixture(scope="module", params=SERVERS, ids=repr)
def server(request: pytest.FixtureRequest) -> Server:
    if request.param.binary() is None:
        pytest.skip(f"{request.param} is not installed (`make test` installs it)")
    return request.param


@pytest.fixture(scope="module")
def engine(built_site: Path) -> Path:
    """The built engine directory; its hashed names are looked up rather than assumed."""
    engine_dir = built_site / "assets" / "engine"
    if not (engine_dir / "manifest.json").is_file():
        pytest.skip("the built site has no calculator engine yet (no assets/engine/manifest.json)")
    return engine_dir


@pytest.fixture(scope="module")
def base(
    server: Server, built_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with run_server(server, built_site, tmp_path_factory.mktemp(server.name)) as url:
        yield url


def url_of(base: str, site: Path, path: Path) -> str:
    return base + path.relative_to(site).as_posix()


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def content_type(headers: Message) -> str:
    return headers.get("Content-Type", "").split(";")[0].strip()


def one(directory: Path, pattern: str) -> Path:
    [match] = sorted(directory.glob(pattern))
    return match


def test_every_kind_of_file_in_the_site_has_a_real_type(built_site: Path, base: str) -> None:
    """The snippet's `types` block replaces nginx's table, so it must cover the whole site."""
    samples: dict[str, Path] = {}
    for path in sorted(built_site.rglob("*")):
        if path.is_file():
            samples.setdefault(path.suffix, path)
    untyped = [
        path.relative_to(built_site).as_posix()
        for path in samples.values()
        if content_type(fetch(url_of(base, built_site, path))[1]) == "application/octet-stream"
    ]
    assert untyped == []


def test_engine_files_are_sent_with_the_types_browsers_require(
    built_site: Path, engine: Path, base: str
) -> None:
    pyodide = one(engine, "pyodide-*")
    expected = {
        pyodide / "pyodide.asm.wasm": "application/wasm",
        pyodide / "pyodide.mjs": "text/javascript",
        engine / "boot.mjs": "text/javascript",
        engine / "worker.js": "text/javascript",
        engine / "manifest.json": "application/json",
        one(engine, "wheels/*/*.whl"): "application/zip",
        pyodide / "python_stdlib.zip": "application/zip",
        built_site / "index.html": "text/html",
    }
    served = {path: content_type(fetch(url_of(base, built_site, path))[1]) for path in expected}
    assert served == expected


def test_fhir_resources_are_sent_as_fhir_json_under_the_same_headers(
    built_site: Path, base: str
) -> None:
    """Electronic records check FHIR's own type; the fhir/ location keeps every header."""
    resources = sorted((built_site / "fhir").rglob("*.json"))
    assert len(resources) > 1  # the index Bundle and at least one resource
    for path in resources:
        status, headers, body = fetch(url_of(base, built_site, path), **{"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers["Content-Type"].replace(" ", "") == "application/fhir+json;charset=utf-8"
        assert headers.get_all("Content-Security-Policy") == [POLICY], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Cache-Control"] == "no-cache", path
        sent = gzip.decompress(body) if headers["Content-Encoding"] == "gzip" else body
        assert sent == path.read_bytes()
    # Other JSON keeps its plain type.
    assert content_type(fetch(base + "version.json")[1]) == "application/json"


def test_hashed_files_are_cached_for_a_year_and_the_rest_revalidated(
    built_site: Path, engine: Path, base: str
) -> None:
    hashed = [
        one(engine, "pyodide-*") / "pyodide.asm.wasm",
        one(engine, "wheels/*/*.whl"),
        one(built_site / "assets" / "stylesheets", "main.*.min.css"),
        one(built_site / "assets" / "javascripts", "bundle.*.min.js"),
        *engine.glob("snapshot-*.bin.gz"),
    ]
    revalidated = [
        built_site / "index.html",
        built_site / "calculators" / "odi.html",
        engine / "manifest.json",
        engine / "worker.js",
        built_site / "assets" / "calculators" / "forms.js",
    ]
    for path in hashed:
        assert fetch(url_of(base, built_site, path))[1]["Cache-Control"] == IMMUTABLE, path
    for path in revalidated:
        assert fetch(url_of(base, built_site, path))[1]["Cache-Control"] == "no-cache", path


def test_a_revalidated_page_answers_not_modified(built_site: Path, base: str) -> None:
    _, headers, _ = fetch(base + "index.html")
    status, _, body = fetch(base + "index.html", **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")


def test_every_response_carries_the_policy_even_in_the_nested_location(
    built_site: Path, engine: Path, base: str
) -> None:
    """nginx drops a parent's add_header lines in a location with its own: guard that trap
    (and Apache's <If> section must not lose them either)."""
    paths = [
        built_site / "index.html",
        engine / "worker.js",  # the worker is held to the policy by its own response
        one(engine, "pyodide-*") / "pyodide.asm.wasm",  # served by the nested location
    ]
    for path in paths:
        _, headers, _ = fetch(url_of(base, built_site, path))
        assert headers.get_all("Content-Security-Policy") == [POLICY], path
        assert headers["X-Content-Type-Options"] == "nosniff", path
    assert fetch(base + "no-such-page.html")[1]["Content-Security-Policy"] == POLICY


def test_text_and_webassembly_are_gzipped_when_asked(
    built_site: Path, engine: Path, base: str
) -> None:
    for path in (built_site / "index.html", one(engine, "pyodide-*") / "pyodide.asm.wasm"):
        url = url_of(base, built_site, path)
        _, headers, body = fetch(url, **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(body) == path.read_bytes()
        assert len(body) < path.stat().st_size
        _, plain_headers, plain = fetch(url)
        assert plain_headers["Content-Encoding"] is None and plain == path.read_bytes()


def test_the_gzipped_snapshot_is_sent_as_it_is(built_site: Path, engine: Path, base: str) -> None:
    snapshots = list(engine.glob("snapshot-*.bin.gz"))
    if not snapshots:
        pytest.skip("this build has no engine snapshot (Node.js was missing)")
    _, headers, body = fetch(url_of(base, built_site, snapshots[0]), **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] is None
    assert body == snapshots[0].read_bytes()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # Every response from the server, none from the offline copy (a service worker, tested
    # in tests/browser/test_offline_mode.py), so each load shows what the server sends.
    context = browser.new_context(service_workers="block")
    yield context.new_page()
    context.close()


def policy_violations(page: Any) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


@pytest.mark.browser
def test_a_calculator_computes_through_nginx_under_the_policy(
    engine: Path, base: str, page: Any
) -> None:
    violations = policy_violations(page)
    compute(page, base, ready_timeout_ms=30_000)
    assert violations == []


@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["index.html", "recurrence-after-epidural.html", "calculators/next-step.html"]
)
def test_pages_run_without_policy_violations(base: str, page: Any, path: str) -> None:
    """Material's setup runs from a file, not inline."""
    violations = policy_violations(page)
    page.goto(base + path, wait_until="networkidle")
    assert page.evaluate("typeof __md_get") == "function"  # Material's inline script ran
    assert violations == []


@pytest.mark.browser
def test_search_works_under_the_policy(base: str, page: Any) -> None:
    """Material's search runs in a worker, which its own response's policy governs."""
    page.goto(base + "index.html", wait_until="networkidle")
    page.keyboard.press("s")  # Material's shortcut to the search box
    page.keyboard.type("epidural")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)


@pytest.mark.browser
def test_a_wrong_wasm_type_is_explained_within_ten_seconds(
    server: Server, built_site: Path, engine: Path, tmp_path: Path, page: Any
) -> None:
    shipped = server.snippet.read_text()
    misconfigured = shipped.replace("application/wasm", "application/octet-stream")
    with run_server(server, built_site, tmp_path / server.name, misconfigured) as wrong:
        page.goto(wrong + "calculators/odi.html")
        page.wait_for_selector(
            "[data-engine-status][data-engine-state=error]", state="attached", timeout=10_000
        )
        message = page.inner_text(STATUS)
        assert "pyodide.asm.wasm" in message and "application/octet-stream" in message
        assert "administrator" in message
        assert page.locator("article h1").is_visible()
        assert len(page.inner_text("article")) > 500  # the guidance text is still there
