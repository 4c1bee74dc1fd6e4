"""The engine build: a reproducible wheel, only the files a browser needs, a cached snapshot."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import logging
import mimetypes
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import calculators
from guidesite.engine import bundle
from guidesite.engine.bundle import EngineAssets, build_engine_assets, build_wheel, wheel_sources
from tests.conftest import SITE_NAME
from tests.engine.conftest import SITE

ROOT = Path(__file__).resolve().parents[2]


def site_wheel() -> bytes:
    return build_wheel(wheel_sources("calculators"), "0.1.0", SITE_NAME)


def test_wheel_is_reproducible_and_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = site_wheel()
    assert site_wheel() == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    dated = zipfile.ZipFile(BytesIO(site_wheel()))
    assert {info.date_time for info in dated.infolist()} == {(2026, 9, 21, 14, 13, 20)}


def test_wheel_holds_every_module_and_a_valid_record():
    wheel = zipfile.ZipFile(BytesIO(site_wheel()))
    names = wheel.namelist()
    kit = ROOT / "generator" / "guidesite" / "kit"
    sources = {
        *(
            f"calculators/{p.relative_to(ROOT / 'calculators').as_posix()}"
            for p in (ROOT / "calculators").rglob("*.py")
        ),
        *(f"guidesite/kit/{p.relative_to(kit).as_posix()}" for p in kit.rglob("*.py")),
        "guidesite/__init__.py",
    }
    assert sources <= set(names)
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    record = wheel.read("site_calculators-0.1.0.dist-info/RECORD").decode().splitlines()
    for line in record:
        name, digest, size = line.rsplit(",", 2)
        if name.endswith("RECORD"):
            continue
        data = wheel.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        assert digest == f"sha256={expected.decode()}" and int(size) == len(data)


def test_wheel_runs_on_its_own(tmp_path: Path):
    wheel_path = tmp_path / "site_calculators-0.1.0-py3-none-any.whl"
    wheel_path.write_bytes(site_wheel())
    example = calculators.spec("odi")["examples"][0]
    script = (
        f"import sys, json; sys.path.insert(0, {str(wheel_path)!r}); import calculators; "
        "import guidesite.kit; "
        f"assert calculators.__file__.startswith({str(wheel_path)!r}); "
        f"assert guidesite.kit.__file__.startswith({str(wheel_path)!r}); "
        f"print(json.dumps(calculators.run('odi', {example['inputs']!r}), sort_keys=True))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    expected = json.dumps(calculators.run("odi", example["inputs"]), sort_keys=True)
    assert completed.stdout.strip() == expected


def test_site_gets_only_what_the_browser_needs(engine_build: tuple[Path, EngineAssets]):
    site, assets = engine_build
    engine_dir = site / "assets" / "engine"
    manifest = json.loads((engine_dir / "manifest.json").read_text())
    assert sorted(path.name for path in (site / assets.pyodide_dir).iterdir()) == [
        "pyodide.asm.mjs",
        "pyodide.asm.mjs.gz",
        "pyodide.asm.wasm",
        "pyodide.asm.wasm.gz",
        "pyodide.mjs",
        "python_stdlib.zip",
    ]
    for name in bundle.PRECOMPRESSED:
        packed = (site / assets.pyodide_dir / f"{name}.gz").read_bytes()
        assert gzip.decompress(packed) == (site / assets.pyodide_dir / name).read_bytes()
    for key in ("pyodide", "wheel", "snapshot", "empty_stdlib"):
        assert (engine_dir / manifest[key]).exists(), key
    assert manifest["lock_info"]["python"].startswith("3.")
    # Large files are named by content hash, so servers may cache them forever.
    snapshot = (engine_dir / manifest["snapshot"]).read_bytes()
    assert manifest["snapshot"] == f"snapshot-{hashlib.sha256(snapshot).hexdigest()[:16]}.bin.gz"
    wheel = (engine_dir / manifest["wheel"]).read_bytes()
    assert manifest["wheel"].startswith(f"wheels/{hashlib.sha256(wheel).hexdigest()[:16]}/")
    scripts = {path.name for path in engine_dir.glob("*.js")}
    assert {path.name for path in engine_dir.glob("*.mjs")} == {"boot.mjs"}
    assert scripts == {
        "contracts.js",
        "engine-client.js",
        "worker.js",
        "file-guard.js",
        "prewarm.js",
    }


def test_snapshot_is_reused_while_its_inputs_are_unchanged(
    engine_build: tuple[Path, EngineAssets], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def refuse(*_args: object) -> None:
        raise AssertionError("the snapshot was made again although nothing changed")

    monkeypatch.setattr(bundle, "make_snapshot", refuse)
    assets = build_engine_assets(tmp_path / "site", ROOT / "node_modules", ROOT / ".cache", SITE)
    assert assets.snapshot == engine_build[1].snapshot


def test_without_node_the_site_builds_without_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setattr(bundle.shutil, "which", lambda _name: None)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.guidesite.engine"):
        assets = build_engine_assets(tmp_path / "site", ROOT / "node_modules", tmp_path, SITE)
    assert assets.snapshot is None
    manifest = json.loads((tmp_path / "site" / assets.manifest).read_text())
    assert manifest["snapshot"] is None
    assert "Node.js not found" in caplog.text


def fake_project(root: Path, pinned: str, installed: str | None) -> Path:
    lock = {"packages": {"node_modules/pyodide": {"version": pinned}}}
    (root / "package-lock.json").write_text(json.dumps(lock))
    if installed is not None:
        package = root / "node_modules" / "pyodide"
        package.mkdir(parents=True)
        (package / "package.json").write_text(json.dumps({"version": installed}))
    return root


@pytest.mark.parametrize(
    ("installed", "message"), [(None, "is missing"), ("314.0.6", "holds Pyodide 314.0.6")]
)
def test_pyodide_must_be_the_pinned_version(tmp_path: Path, installed: str | None, message: str):
    project = fake_project(tmp_path, "314.0.7", installed)
    with pytest.raises(PluginError, match=message):
        build_engine_assets(tmp_path / "site", project / "node_modules", tmp_path, SITE)


def test_serve_sends_the_types_browsers_insist_on(monkeypatch: pytest.MonkeyPatch):
    # A system table that gets them wrong, as some Windows registries and old distros do.
    wrong = mimetypes.MimeTypes()
    wrong.add_type("application/octet-stream", ".wasm")
    wrong.add_type("text/plain", ".mjs")
    monkeypatch.setattr(mimetypes, "_db", wrong)
    monkeypatch.setattr(mimetypes, "inited", True)
    bundle.register_mime_types()
    assert mimetypes.guess_type("pyodide.asm.wasm")[0] == "application/wasm"
    assert mimetypes.guess_type("pyodide.mjs")[0] == "text/javascript"
