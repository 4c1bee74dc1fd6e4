"""Deploy, upgrade and roll back under a real nginx and Apache at /intranet/back-pain/, with
a browser computing a live result after each switch.

No page load may mix two releases. Each response is traced to the file that served it by
its ETag, which both servers derive from the file's size and modification time (`deploy`
stamps each release's files with a second no other release has, so one path in two
releases has two ETags); answers from the browser's cache (304) are traced the same way.
Between switches, every response of a load comes from the release that served the page.
When the switch falls in the middle of a load, later files come from the new release, and
each must then hold exactly the bytes the page's own release lists for it: files whose
content changes carry its hash in their name, and the rest are identical or revalidated.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from commands import documented, guidesite
from conftest import NEXT_VERSION, Packed
from live_result import PAGE, compute
from servers import SERVERS, Server, run_server

from guidesite.release.pack import MANIFEST_NAME, manifest_text, parse_manifest

PREFIX = "/intranet/back-pain/"
HASHED = re.compile("[./-][0-9a-f]{8,}[./]")  # as the server configs tell them apart

pytestmark = pytest.mark.browser


@pytest.fixture(params=SERVERS, ids=repr)
def server(request: pytest.FixtureRequest) -> Server:
    if request.param.binary() is None:
        pytest.skip(f"{request.param} is not installed (`make test` installs it)")
    return request.param


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # Every response from the server, none from the offline copy (a service worker, tested
    # in tests/browser/test_offline_mode.py), so each load shows the release being served.
    context = browser.new_context(service_workers="block")
    yield context.new_page()
    context.close()


def manifests(root: Path) -> dict[str, dict[str, str]]:
    """Release name -> (path -> sha256), from each release's own manifest."""
    return {
        release.name: parse_manifest((release / MANIFEST_NAME).read_text())
        for release in (root / "releases").iterdir()
    }


def etags(release: Path) -> dict[str, str]:
    """ETag -> path, as nginx ("mtime-size") or Apache ("size-mtime in µs") tag its files."""
    tags: dict[str, str] = {}
    for file in release.rglob("*"):
        info = file.stat()
        path = file.relative_to(release).as_posix()
        tags[f"{int(info.st_mtime):x}-{info.st_size:x}"] = path
        tags[f"{info.st_size:x}-{info.st_mtime_ns // 1000:x}"] = path
    return tags


def live(root: Path) -> str:
    return Path(os.readlink(root / "current")).name


def load_and_compute(page: Any, base: str) -> dict[str, str]:
    """Open the calculator page and compute a live result; return path -> ETag of every
    response of that load (the worker's too, and those the browser's cache answered)."""
    loaded: dict[str, str] = {}

    def record(response: Any) -> None:
        if response.url.startswith(base) and response.status in (200, 304):
            path = response.url.removeprefix(base).split("?")[0] or "index.html"
            tag = response.headers.get("etag", "").removeprefix("W/").strip('"')
            loaded[path] = tag.removesuffix("-gzip")

    page.context.on("response", record)
    compute(page, base)
    page.context.remove_listener("response", record)
    assert PAGE in loaded and any(path.endswith(".wasm") for path in loaded), sorted(loaded)
    return loaded


def trace(loaded: dict[str, str], root: Path) -> tuple[str, set[str]]:
    """(the release that served the page, the releases that served its revalidated files);
    fails if any response is not byte for byte the page's release's file. Files with a
    hash in their name may come from the browser's cache, from an earlier release."""
    origin_of = {
        tag: (release.name, path)
        for release in (root / "releases").iterdir()
        for tag, path in etags(release).items()
    }
    # nginx's gzip_static answers for a file with the `.gz` copy beside it.
    unknown = {
        path
        for path, tag in loaded.items()
        if origin_of.get(tag, ("", ""))[1] not in (path, path + ".gz")
    }
    assert unknown == set(), "responses that no release's file explains"
    served = origin_of[loaded[PAGE]][0]
    lists = manifests(root)
    mixed = {
        path
        for path, tag in loaded.items()
        if lists[origin_of[tag][0]][origin_of[tag][1]] != lists[served].get(origin_of[tag][1])
    }
    assert mixed == set(), f"files that differ from those of {served}, which served the page"
    revalidated = [tag for path, tag in loaded.items() if not HASHED.search(path)]
    return served, {origin_of[tag][0] for tag in revalidated}


def served_version(base: str) -> Any:
    with urllib.request.urlopen(base + "version.json") as response:
        return json.load(response)


def test_deploy_upgrade_rollback_each_load_whole(
    server: Server, release_a: Packed, release_b: Packed, tmp_path: Path, page: Any
) -> None:
    root = tmp_path / "srv" / "back-pain-pathways"
    assert guidesite(*documented("deploy", root, release_a.archive)).returncode == 0
    first = live(root)
    with run_server(server, root, tmp_path / server.name, prefix=PREFIX) as base:
        assert trace(load_and_compute(page, base), root) == (first, {first})

        assert guidesite(*documented("deploy", root, release_b.archive)).returncode == 0
        second = live(root)
        assert trace(load_and_compute(page, base), root) == (second, {second})
        assert served_version(base)["content_version"] == NEXT_VERSION
        assert f"Content version {NEXT_VERSION}" in page.inner_text("footer")

        assert guidesite(*documented("rollback", root)).returncode == 0
        assert trace(load_and_compute(page, base), root) == (first, {first})
        assert served_version(base) == json.loads((release_a.site / "version.json").read_text())

        # A switch while a page is loading: the page comes from the first release, the
        # files it then asks for from the second, and none differs from the first's.
        def switch_once(route: Any) -> None:
            if live(root) == first:
                assert guidesite("rollback", "--root", root, "--to", second).returncode == 0
            route.continue_()

        page.route(f"{base}assets/**", switch_once)
        assert trace(load_and_compute(page, base), root) == (first, {first, second})
        page.unroute(f"{base}assets/**")
        assert live(root) == second
        assert trace(load_and_compute(page, base), root) == (second, {second})


def test_a_link_inside_a_release_is_not_served(
    server: Server, release_a: Packed, tmp_path: Path
) -> None:
    """The issue's case: notes.txt -> /etc/hostname put into the served folder."""
    root = tmp_path / "srv" / "back-pain-pathways"
    assert guidesite(*documented("deploy", root, release_a.archive)).returncode == 0
    (root / "current" / "notes.txt").symlink_to("/etc/hostname")
    with run_server(server, root, tmp_path / server.name, prefix=PREFIX) as base:
        with urllib.request.urlopen(base + "index.html") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "notes.txt")
        assert refused.value.code in (403, 404)


def test_the_trace_catches_a_file_from_another_release(tmp_path: Path) -> None:
    """The check above has teeth: the same path with other bytes in the release that
    answered is a mix, whichever file the page asked for."""
    root = tmp_path / "root"
    for written, (name, script) in enumerate((("one", b"old();"), ("two", b"new();"))):
        release = root / "releases" / name
        (release / "calculators").mkdir(parents=True)
        (release / PAGE).write_text(f"<h1>{name}</h1>")
        (release / "forms.js").write_bytes(script)
        (release / MANIFEST_NAME).write_text(manifest_text(release))
        for file in release.rglob("*.*"):  # unpacked a minute apart, as deploy would
            os.utime(file, (1_700_000_000 + 60 * written,) * 2)

    def tag(release: str, path: str) -> str:
        info = (root / "releases" / release / path).stat()
        return f"{int(info.st_mtime):x}-{info.st_size:x}"

    whole = {PAGE: tag("one", PAGE), "forms.js": tag("one", "forms.js")}
    assert trace(whole, root) == ("one", {"one"})
    with pytest.raises(AssertionError, match="differ from those of one"):
        trace({**whole, "forms.js": tag("two", "forms.js")}, root)
