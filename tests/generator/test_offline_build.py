"""What the build writes for offline use: the service worker's precache list, the web app
manifest and its icons, and the worker that retires it when the option is off."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from guidesite.site.icons import icon_png, svg_icon_problem
from guidesite.site.offline import write_web_app_manifest
from tests.conftest import ROOT, run_build
from tests.generator.projects import configure_plugin, run_check


def precached(site: Path) -> set[str]:
    return set(re.findall(r'url:"([^"]+)"', (site / "sw.js").read_text()))


def test_the_service_worker_precaches_every_page_the_search_index_and_the_engine(
    built_site: Path,
) -> None:
    urls = precached(built_site)
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")}
    assert pages and pages <= urls
    engine = json.loads((built_site / "assets/engine/manifest.json").read_text())
    assert {
        "search/search_index.json",
        "sitemap.xml",
        "web-app-manifest.json",
        "assets/engine/manifest.json",
        "assets/engine/worker.js",
        f"assets/engine/{engine['snapshot']}",
        f"assets/engine/{engine['wheel']}",
        f"assets/engine/{engine['pyodide']}pyodide.asm.wasm",
    } <= urls
    assert any(re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", u) for u in urls)
    # Copies for servers only, and the worker's own files, are not cached twice.
    assert not {u for u in urls if u.endswith(".gz") and "snapshot-" not in u}
    assert not {u for u in urls if u.endswith(".map") or u == "sw.js"}
    assert all((built_site / url).is_file() for url in urls)


def test_every_precached_file_carries_its_sha256(built_site: Path) -> None:
    """The browser checks each file it copies against this, so a copy made while the
    server switches releases fails instead of mixing them."""
    entries = re.findall(
        r'\{url:"([^"]+)",revision:[^,]+,integrity:"([^"]+)"\}', (built_site / "sw.js").read_text()
    )
    assert len(entries) == len(precached(built_site))
    for url, integrity in entries:
        digest = base64.b64encode(hashlib.sha256((built_site / url).read_bytes()).digest())
        assert integrity == f"sha256-{digest.decode()}", url


def test_the_workbox_runtime_is_a_local_file(built_site: Path) -> None:
    imported = re.findall(
        r'define\(\["\./(workbox-[0-9a-f]+)"\]', (built_site / "sw.js").read_text()
    )
    assert len(imported) == 1
    assert (built_site / f"{imported[0]}.js").is_file()


def test_pages_link_the_manifest_with_the_sites_own_icon(built_site: Path) -> None:
    head = BeautifulSoup((built_site / "calculators/odi.html").read_text(), "html.parser")
    link = head.select_one("link[rel=manifest]")
    assert link is not None and link["href"] == "../web-app-manifest.json"
    touch = head.select_one("link[rel=apple-touch-icon]")
    assert touch is not None and touch["href"] == "../assets/guidesite/icons/icon.svg"
    manifest = json.loads((built_site / "web-app-manifest.json").read_text())
    assert manifest["start_url"] == manifest["scope"] == "./"
    assert manifest["icons"] == [
        {
            "src": "assets/guidesite/icons/icon.svg",
            "sizes": "any",
            "type": "image/svg+xml",
            "purpose": "any maskable",
        }
    ]
    # mkdocs.yml's `icon: content/icon.svg`, published as the icon and nowhere else.
    icon = (ROOT / "content/icon.svg").read_bytes()
    assert (built_site / manifest["icons"][0]["src"]).read_bytes() == icon
    assert [p for p in built_site.rglob("*.svg") if p.read_bytes() == icon] == [
        built_site / "assets/guidesite/icons/icon.svg"
    ]


def test_without_an_icon_of_its_own_a_site_gets_neutral_pngs_of_each_size(
    tmp_path: Path,
) -> None:
    write_web_app_manifest(tmp_path, "A site", "What it answers", None)
    manifest = json.loads((tmp_path / "web-app-manifest.json").read_text())
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        data = (tmp_path / icon["src"]).read_bytes()
        width, height = struct.unpack(">II", data[16:24])
        assert f"{width}x{height}" == icon["sizes"]
    assert not list(tmp_path.rglob("*.svg"))


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("icon.png", None, "'icon.png' is not an SVG file"),
        ("gone.svg", None, "no file '"),
        ("broken.svg", "<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "not well-formed"),
        ("page.svg", "<html><body/></html>", "its root is <html>, not <svg>"),
        (
            "remote.svg",
            "<svg xmlns='http://www.w3.org/2000/svg' xmlns:x='http://www.w3.org/1999/xlink'>"
            "<image x:href='https://example.org/a.png'/></svg>",
            "refers to another address ('https://example.org/a.png')",
        ),
        (
            "styled.svg",
            "<svg xmlns='http://www.w3.org/2000/svg'><style>@import url(//cdn.example/a.css);"
            "</style></svg>",
            "refers to another address",
        ),
    ],
)
def test_an_unusable_icon_is_named_with_what_is_wrong(
    tmp_path: Path, name: str, text: str | None, expected: str
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    problem = svg_icon_problem(path, 10_000)
    assert problem is not None and expected in problem


def test_the_sites_icon_is_a_usable_svg() -> None:
    assert svg_icon_problem(ROOT / "content/icon.svg", 10_000) is None


def test_a_missing_icon_fails_the_build_at_its_line_of_mkdocs_yml(project_copy: Path) -> None:
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("icon: content/icon.svg", "icon: content/i.svg"))
    line = next(
        n for n, text in enumerate(config.read_text().splitlines(), 1) if "icon: content/i" in text
    )
    result = run_check(project_copy)
    assert result.returncode != 0
    assert f"mkdocs.yml:{line}: icon: no file '{project_copy / 'content/i.svg'}'" in result.stderr


def test_an_icon_is_a_valid_png_with_one_filter_byte_per_row() -> None:
    data = icon_png(48)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    (length,) = struct.unpack(">I", data[33:37])
    assert data[37:41] == b"IDAT"
    pixels = zlib.decompress(data[41 : 41 + length])
    assert len(pixels) == 48 * (1 + 48 * 3)
    assert {pixels[row * (1 + 48 * 3)] for row in range(48)} == {0}
    assert data[-12:-4] == b"\0\0\0\0IEND"


def test_switched_off_the_site_publishes_a_worker_that_removes_the_old_one(
    project_copy: Path, tmp_path: Path
) -> None:
    configure_plugin(project_copy, "offline: false")
    site = tmp_path / "site"
    result = run_build(project_copy, site)
    assert result.returncode == 0, result.stdout + result.stderr
    worker = (site / "sw.js").read_text()
    assert "unregister()" in worker and "precacheAndRoute" not in worker
    assert not (site / "web-app-manifest.json").exists()
    page = (site / "index.html").read_text()
    assert 'rel="manifest"' not in page
    assert "offline.js" not in page and "data-guidesite-update" not in page
