"""The service worker's bundle (sw.js and Workbox's runtime) is kept in the build cache:
an unchanged site reuses it, byte for byte, and any change to what it lists rebuilds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidesite.site import offline

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"


def bundle(site: Path) -> dict[str, bytes]:
    """What the service worker step wrote: sw.js and the Workbox runtime beside it."""
    return {path.name: path.read_bytes() for path in site.glob("*.js")}


def small_site(path: Path) -> Path:
    (path / "assets").mkdir(parents=True)
    (path / "index.html").write_text("<!doctype html><title>Home</title>\n")
    (path / "assets/app.0123abcd.js").write_text("console.log('hashed');\n")
    return path


def write(site: Path, cache: Path) -> offline.Precache:
    precache = offline.write_service_worker(site, NODE_MODULES, cache)
    assert precache is not None
    return precache


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The bundle of the changed site, made with an empty cache (today's output)."""
    site = small_site(tmp_path_factory.mktemp("uncached") / "site")
    (site / "index.html").write_text("<!doctype html><title>Home, next release</title>\n")
    precache = write(site, tmp_path_factory.mktemp("empty-cache"))
    assert not precache.reused
    return bundle(site)


def test_an_unchanged_site_reuses_the_bundle_and_a_changed_one_rebuilds_it(
    tmp_path: Path, uncached: dict[str, bytes]
) -> None:
    site, cache = small_site(tmp_path / "site"), tmp_path / "cache"
    listed = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())

    first = write(site, cache)
    made = bundle(site)
    for path in site.glob("*.js"):
        path.unlink()
    second = write(site, cache)

    assert (first.reused, second.reused) == (False, True)
    assert bundle(site) == made
    assert {name.split("-")[0] for name in made} == {"sw.js", "workbox"}
    assert (second.files, second.size_bytes) == (first.files, first.size_bytes) == (2, listed)

    # A page changes: its revision in sw.js changes, so the bundle is made again, exactly
    # as it is without any cache.
    (site / "index.html").write_text("<!doctype html><title>Home, next release</title>\n")
    third = write(site, cache)
    assert not third.reused
    assert bundle(site) == uncached != made
