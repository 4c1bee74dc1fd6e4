"""`guidesite pack` / `verify`: one archive plus a manifest, and a check of a deployed copy."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from guidesite.release.pack import MANIFEST_NAME, pack, parse_manifest, verify


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "assets" / "engine").mkdir(parents=True)
    (root / "index.html").write_text("<h1>Home</h1>")
    (root / "assets" / "engine" / "pyodide.asm.wasm").write_bytes(bytes(range(256)))
    (root / "assets" / "style.css").write_text("body{}")
    return root


def deploy(site: Path, tmp_path: Path) -> Path:
    archive, _ = pack(site, tmp_path / "dist", "bpp")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "deployed", filter="data")
    return tmp_path / "deployed" / "bpp"


def test_pack_lists_every_file_with_its_hash(site: Path, tmp_path: Path) -> None:
    archive, sums = pack(site, tmp_path / "dist", "bpp")
    entries = parse_manifest(sums.read_text())
    assert sorted(entries) == ["assets/engine/pyodide.asm.wasm", "assets/style.css", "index.html"]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"bpp/{MANIFEST_NAME}" in names and "bpp/index.html" in names


def test_pack_is_reproducible(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, _ = pack(site, tmp_path / "a", "bpp")
    second, _ = pack(site, tmp_path / "b", "bpp")
    assert first.read_bytes() == second.read_bytes()


def test_pack_refuses_a_directory_that_is_not_a_site(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="guidesite build"):
        pack(tmp_path, tmp_path / "dist", "bpp")


def test_verify_accepts_an_untouched_deployment(site: Path, tmp_path: Path) -> None:
    assert verify(deploy(site, tmp_path)).ok


def test_verify_names_missing_extra_and_changed_files(site: Path, tmp_path: Path) -> None:
    deployed = deploy(site, tmp_path)
    (deployed / "assets" / "style.css").unlink()
    (deployed / "assets" / "injected.js").write_text("alert(1)")
    with (deployed / "assets" / "engine" / "pyodide.asm.wasm").open("r+b") as handle:
        handle.write(b"\xff")
    report = verify(deployed)
    assert not report.ok
    assert report.lines() == [
        "missing: assets/style.css",
        "extra: assets/injected.js",
        "changed: assets/engine/pyodide.asm.wasm",
    ]


def test_a_malformed_manifest_is_reported_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"{MANIFEST_NAME}:2:"):
        parse_manifest("a" * 64 + "  index.html\nnot a manifest line\n")
