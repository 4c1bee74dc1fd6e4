"""`guidesite pack` and `guidesite verify` as an administrator runs them, on the real site."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from commands import guidesite

from guidesite.release.pack import MANIFEST_NAME, manifest_text

NAME = "gs-test"


@pytest.fixture(scope="module")
def packed(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive and manifest `guidesite pack` wrote for the real site."""
    out = tmp_path_factory.mktemp("dist")
    result = guidesite("pack", "--site-dir", built_site, "--out", out, "--name", NAME)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def deployed(packed: Path, tmp_path: Path) -> Path:
    """A fresh copy unpacked the way an administrator would, into a web root."""
    with tarfile.open(packed / f"{NAME}.tar.gz") as tar:
        tar.extractall(tmp_path / "www", filter="data")
    return tmp_path / "www" / NAME


def test_pack_writes_the_archive_and_the_manifest(packed: Path, built_site: Path) -> None:
    assert sorted(path.name for path in packed.iterdir()) == [f"{NAME}.sha256", f"{NAME}.tar.gz"]
    listed = {
        line.split("  ", 1)[1]
        for line in (packed / f"{NAME}.sha256").read_text().split("\n")
        if line
    }
    site_files = {
        p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()
    }
    assert listed == site_files


def test_pack_is_byte_for_byte_repeatable(built_site: Path, packed: Path, tmp_path: Path) -> None:
    result = guidesite("pack", "--site-dir", built_site, "--out", tmp_path, "--name", NAME)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{NAME}.tar.gz").read_bytes() == (packed / f"{NAME}.tar.gz").read_bytes()


def test_pack_refuses_a_folder_that_holds_no_site(tmp_path: Path) -> None:
    result = guidesite(
        "pack", "--site-dir", tmp_path / "nothing", "--out", tmp_path / "dist", "--name", "x"
    )
    assert result.returncode == 1
    assert "guidesite build" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_an_untouched_copy_verifies(deployed: Path) -> None:
    result = guidesite("verify", deployed)
    assert (result.returncode, result.stdout) == (0, "")
    assert "matches its manifest" in result.stderr


def test_every_difference_is_named(deployed: Path) -> None:
    engine = deployed / "assets" / "engine"
    [wasm] = engine.glob("pyodide-*/pyodide.asm.wasm")
    with wasm.open("r+b") as handle:  # one flipped byte, same size
        first = handle.read(1)
        handle.seek(0)
        handle.write(bytes([first[0] ^ 0xFF]))
    (deployed / "calculators" / "odi.html").unlink()
    (deployed / "assets" / "extra.js").write_text("// not part of the release\n")
    result = guidesite("verify", deployed)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "missing: calculators/odi.html",
        "extra: assets/extra.js",
        f"changed: {wasm.relative_to(deployed).as_posix()}",
    ]
    assert "3 problems" in result.stderr


def test_a_changed_fhir_resource_is_named(deployed: Path) -> None:
    """A record system imports these files: a recommendation weakened in one is caught."""
    plan = next((deployed / "fhir" / "PlanDefinition").glob("*.json"))
    text = plan.read_text()
    assert '"code": "strong"' in text
    plan.write_text(text.replace('"code": "strong"', '"code": "weak"', 1))
    result = guidesite("verify", deployed)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"changed: {plan.relative_to(deployed).as_posix()}"]


def test_a_separate_manifest_catches_a_doctored_one(deployed: Path, packed: Path) -> None:
    """Someone who changes a file can rewrite SHA256SUMS too; the copy kept aside still holds."""
    page = deployed / "index.html"
    page.write_text(page.read_text().replace("</body>", "<script src=x.js></script></body>"))
    (deployed / MANIFEST_NAME).write_text(manifest_text(deployed))
    assert guidesite("verify", deployed).returncode == 0
    result = guidesite("verify", deployed, "--manifest", packed / f"{NAME}.sha256")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "changed: index.html",
        f"changed: {MANIFEST_NAME} (differs from {NAME}.sha256)",
    ]


def test_verify_says_why_it_cannot_check(deployed: Path, tmp_path: Path) -> None:
    (deployed / MANIFEST_NAME).unlink()
    no_manifest = guidesite("verify", deployed)
    assert no_manifest.returncode == 2 and MANIFEST_NAME in no_manifest.stderr
    no_folder = guidesite("verify", tmp_path / "typo")
    assert no_folder.returncode == 2 and "no such directory" in no_folder.stderr
    broken = tmp_path / "broken.sha256"
    broken.write_text("not a manifest\n")
    malformed = guidesite("verify", deployed, "--manifest", broken)
    assert malformed.returncode == 2 and "broken.sha256:1:" in malformed.stderr
