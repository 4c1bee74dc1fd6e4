"""Build the in-browser calculator engine: Pyodide's files, a calculators wheel, a snapshot.

The wheel holds the generator's calculator kit (`guidesite.kit`) and the site's own
calculators package, the one mkdocs.yml names; the manifest tells the worker its name.

The engine's own scripts (`guidesite/assets/engine/`) are published with the other assets;
this module adds what is built, under `<site>/assets/engine/`: every large file is named by
its content hash so a server may cache it forever, and `manifest.json` (small, not hashed)
tells the worker which files to load. The wheel is written here with `zipfile` rather than
by `pyodide build`, which needs a cross-build environment downloaded from the internet.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib
import io
import json
import logging
import mimetypes
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from guidesite import PACKAGE_DIR
from guidesite.build_time import source_date_epoch
from guidesite.extensions.calculator_source import SiteCalculators

log = logging.getLogger("mkdocs.plugins.guidesite.engine")

ENGINE_DIR = "assets/engine"
SCRIPTS_DIR = PACKAGE_DIR / "assets" / "engine"
# The only Pyodide files a browser needs. The lock file is not among them: no Pyodide
# package is installed, so the manifest carries just the lock's `info` block.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# Large, compressible, on every calculator start: a ready-made .gz copy beside each lets a
# server that sends precompressed files (nginx `gzip_static`) send 12% fewer bytes than its
# on-the-fly gzip, without spending its CPU on every request.
PRECOMPRESSED = ("pyodide.asm.mjs", "pyodide.asm.wasm")
WHEEL_NAME = "site_calculators"
# Zip timestamps before 1980 cannot be stored.
ZIP_EPOCH = 315532800
# A zip archive with no members: the snapshot start needs no standard library files.
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)
SNAPSHOT_TIMEOUT_S = 180
# Sparse snapshots leave out zero pages of this size (WebAssembly's own page is 64 KB; 4 KB
# pages find twice as many zeros). Part of the cache key: another layout, another file.
SNAPSHOT_PAGE = 4096
SNAPSHOT_FORMAT = f"sparse-{SNAPSHOT_PAGE}"
# {"size": bytes of the whole snapshot, "ranges": [[offset, length], ...] of non-zero data}
SnapshotLayout = dict[str, Any]
# Run by Node.js with: Pyodide directory, wheel path, output path.
SNAPSHOT_SCRIPT = PACKAGE_DIR / "build" / "make-snapshot.mjs"
# How Pyodide prints a Python traceback (among minified JavaScript) when the snapshot step
# fails, and each frame of it.
TRACEBACK = "Traceback (most recent call last):"
FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+)')


@dataclass(frozen=True)
class EngineAssets:
    """What the build wrote, as paths relative to the site root."""

    manifest: str
    pyodide_dir: str
    wheel: str
    snapshot: str | None


def register_mime_types() -> None:
    """Make Python's own servers (`mkdocs serve`) send what browsers insist on.

    Browsers refuse WebAssembly and module scripts sent with another type, and Python's
    table comes partly from the system (the Windows registry, /etc/mime.types).
    """
    mimetypes.add_type("application/wasm", ".wasm")
    mimetypes.add_type("text/javascript", ".mjs")
    mimetypes.add_type("text/javascript", ".js")


def build_engine_assets(
    site_dir: Path, node_modules: Path, cache_dir: Path, calculators: SiteCalculators
) -> EngineAssets:
    """Write Pyodide, the wheel, the snapshot (made or taken from `cache_dir`), the manifest."""
    engine_dir = site_dir / ENGINE_DIR
    engine_dir.mkdir(parents=True, exist_ok=True)
    pyodide_src = pinned_pyodide_dir(node_modules)

    pyodide_dir = f"pyodide-{digest_files(pyodide_src, PYODIDE_FILES)[:16]}/"
    (engine_dir / pyodide_dir).mkdir(exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(pyodide_src / name, engine_dir / pyodide_dir / name)
    for name in PRECOMPRESSED:
        write_gzipped_copy(engine_dir / pyodide_dir / name, cache_dir)
    (engine_dir / "empty-stdlib.zip").write_bytes(EMPTY_ZIP)

    version = metadata.version("guidesite")
    wheel_bytes = build_wheel(wheel_sources(calculators.package), version, calculators.site_name)
    wheel_name = f"{WHEEL_NAME}-{version}-py3-none-any.whl"
    wheel = f"wheels/{sha256(wheel_bytes)[:16]}/{wheel_name}"
    (engine_dir / wheel).parent.mkdir(parents=True, exist_ok=True)
    (engine_dir / wheel).write_bytes(wheel_bytes)

    snapshot, layout = write_snapshot(
        engine_dir, cache_dir, pyodide_src, wheel_bytes, wheel_name, calculators
    )
    manifest = {
        "calculators": calculators.to_json(),
        "pyodide": pyodide_dir,
        "wheel": wheel,
        "snapshot": snapshot,
        "snapshot_layout": layout,
        "empty_stdlib": "empty-stdlib.zip",
        "lock_info": json.loads((pyodide_src / "pyodide-lock.json").read_text())["info"],
    }
    (engine_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return EngineAssets(
        manifest=f"{ENGINE_DIR}/manifest.json",
        pyodide_dir=f"{ENGINE_DIR}/{pyodide_dir}",
        wheel=f"{ENGINE_DIR}/{wheel}",
        snapshot=f"{ENGINE_DIR}/{snapshot}" if snapshot else None,
    )


def pinned_pyodide_dir(node_modules: Path) -> Path:
    """node_modules/pyodide, refused unless it is the version package-lock.json pins."""
    package_dir = node_modules / "pyodide"
    lock = json.loads((node_modules.parent / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/pyodide"]["version"]
    installed_path = package_dir / "package.json"
    if not installed_path.exists():
        raise PluginError(f"{package_dir} is missing: run `npm ci` to install Pyodide {pinned}")
    installed = json.loads(installed_path.read_text())["version"]
    if installed != pinned:
        raise PluginError(
            f"{package_dir} holds Pyodide {installed} but package-lock.json pins {pinned}: "
            "run `npm ci`"
        )
    return package_dir


def wheel_sources(package: str) -> dict[str, Path]:
    """Path in the wheel -> source file: the kit (with the `guidesite` package's own
    `__init__`, so it imports as `guidesite.kit`) and the site's calculators package."""
    site_package = importlib.import_module(package)
    if site_package.__file__ is None or not hasattr(site_package, "__path__"):
        raise PluginError(f"the calculators {package!r} must be a package (a directory)")
    roots = {
        "guidesite/kit": PACKAGE_DIR / "kit",
        package.replace(".", "/"): Path(site_package.__file__).parent,
    }
    sources = {"guidesite/__init__.py": PACKAGE_DIR / "__init__.py"}
    for prefix, root in roots.items():
        sources.update(
            {
                f"{prefix}/{path.relative_to(root).as_posix()}": path
                for path in sorted(root.rglob("*"))
                if path.is_file()
                and "__pycache__" not in path.parts
                and path.suffix in {".py", ".typed"}
            }
        )
    return sources


def build_wheel(sources: dict[str, Path], version: str, site_name: str) -> bytes:
    """A pure-Python wheel of `sources` (path in the wheel -> file), byte-identical for
    identical sources."""
    dist_info = f"{WHEEL_NAME}-{version}.dist-info"
    files = {name: sources[name].read_bytes() for name in sorted(sources)}
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {WHEEL_NAME}\nVersion: {version}\n"
        f"Summary: {site_name} calculators\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: guidesite\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    top_level = sorted({name.split("/")[0] for name in sources})
    files[f"{dist_info}/top_level.txt"] = "".join(f"{name}\n" for name in top_level).encode()
    record = [f"{name},sha256={record_digest(data)},{len(data)}" for name, data in files.items()]
    files[f"{dist_info}/RECORD"] = "\n".join([*record, f"{dist_info}/RECORD,,", ""]).encode()

    timestamp = zip_timestamp()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=timestamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            wheel.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed date."""
    # A zip entry cannot be dated before 1980.
    epoch = max(source_date_epoch(default=ZIP_EPOCH), ZIP_EPOCH)
    year, month, day, hour, minute, second = time.gmtime(epoch)[:6]
    return year, month, day, hour, minute, second


def record_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_files(directory: Path, names: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes())
    return digest.hexdigest()


def write_gzipped_copy(path: Path, cache_dir: Path) -> None:
    """Write `<path>.gz` (best compression, 1-2 s for the WebAssembly, so kept in the cache)."""
    data = path.read_bytes()
    cached = cache_dir / "engine" / f"{path.name}-{sha256(data)[:16]}.gz"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    shutil.copyfile(cached, path.with_name(path.name + ".gz"))


def write_snapshot(
    engine_dir: Path,
    cache_dir: Path,
    pyodide_src: Path,
    wheel_bytes: bytes,
    wheel_name: str,
    calculators: SiteCalculators,
) -> tuple[str | None, SnapshotLayout | None]:
    """Put a sparse, gzipped memory snapshot into the site, made only when its inputs changed.

    Returns its name in `engine_dir` and its layout, or (None, None) when Node.js is missing
    or making it failed; the browser then starts from the wheel, slower but just as right.
    """
    node = shutil.which("node")
    if node is None:
        log.warning(
            "Node.js not found: building without the engine snapshot, so calculators start "
            "more slowly; install Node.js, or build with --no-strict to accept that"
        )
        return None, None
    inputs = (
        SNAPSHOT_FORMAT
        + digest_files(pyodide_src, PYODIDE_FILES)
        + digest_files(SCRIPTS_DIR, ("boot.mjs",))
        + digest_files(SNAPSHOT_SCRIPT.parent, (SNAPSHOT_SCRIPT.name,))
    )
    inputs += json.dumps(calculators.to_json(), sort_keys=True)
    key = sha256(inputs.encode() + wheel_bytes)[:16]
    cached = cache_dir / "engine" / f"snapshot-{key}.bin.gz"
    cached_layout = cached.with_suffix(".json")
    if not (cached.exists() and cached_layout.exists()):
        cached.parent.mkdir(parents=True, exist_ok=True)
        # A directory of its own: builds of several projects may share this cache at once.
        work = Path(tempfile.mkdtemp(prefix="work-", dir=cached.parent))
        made = make_snapshot(node, work, pyodide_src, wheel_bytes, wheel_name, calculators)
        if made is None:
            return None, None
        packed, layout = sparse(made)
        cached.write_bytes(gzip.compress(packed, compresslevel=9, mtime=0))
        cached_layout.write_text(json.dumps(layout))
    data = cached.read_bytes()
    name = f"snapshot-{sha256(data)[:16]}.bin.gz"
    (engine_dir / name).write_bytes(data)
    return name, json.loads(cached_layout.read_text())


def sparse(snapshot: bytes) -> tuple[bytes, SnapshotLayout]:
    """The snapshot's non-zero pages, and where they go (about half of it is zero pages).

    The browser allocates `size` zeroed bytes and copies each range into place as the
    download streams in, so it neither unpacks nor copies the zeros.
    """
    zero_page = bytes(SNAPSHOT_PAGE)
    ranges: list[list[int]] = []
    for offset in range(0, len(snapshot), SNAPSHOT_PAGE):
        page = snapshot[offset : offset + SNAPSHOT_PAGE]
        if page == zero_page[: len(page)]:
            continue
        if ranges and sum(ranges[-1]) == offset:
            ranges[-1][1] += len(page)
        else:
            ranges.append([offset, len(page)])
    packed = b"".join(snapshot[offset : offset + length] for offset, length in ranges)
    return packed, {"size": len(snapshot), "ranges": ranges}


def pyodide_python_error(stderr: str) -> str | None:
    """`FILE:LINE: Error: message` of the last Python traceback Pyodide printed (FILE as
    installed from the wheel: the site's package or the kit), or None when there is none."""
    start = stderr.rfind(TRACEBACK)
    if start < 0:
        return None
    lines = stderr[start:].splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith("    at ")), len(lines))
    frames = [FRAME.match(line) for line in lines[:end]]
    where = [m for m in frames if m and "site-packages/" in m.group(1)]
    message = next((line for line in reversed(lines[:end]) if line.strip()), "")
    if not where:
        return message
    path = where[-1].group(1).split("site-packages/", 1)[1]
    return f"{path}:{where[-1].group(2)}: {message}"


def make_snapshot(
    node: str,
    work: Path,
    pyodide_src: Path,
    wheel_bytes: bytes,
    wheel_name: str,
    calculators: SiteCalculators,
) -> bytes | None:
    """Run Pyodide under Node.js to import the calculators and dump its memory."""
    work.mkdir(parents=True, exist_ok=True)
    wheel_path = work / wheel_name
    wheel_path.write_bytes(wheel_bytes)
    out = work / "snapshot.bin"
    command = [node, str(SNAPSHOT_SCRIPT), str(pyodide_src)]
    log.info("Making the calculator engine snapshot with Node.js")
    try:
        subprocess.run(
            [*command, str(wheel_path), str(out), calculators.package, calculators.site_name],
            check=True,
            capture_output=True,
            text=True,
            timeout=SNAPSHOT_TIMEOUT_S,
        )
        return out.read_bytes()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        python_error = pyodide_python_error(str(error.stderr or ""))
        if python_error is not None:
            # The calculators fail in the browser's Python: a site without its snapshot
            # would fail there too, so the build stops rather than warns.
            raise PluginError(
                f"the calculators do not run in the browser's Python (Pyodide): {python_error}; "
                "fix that file (the browser has the standard library and guidesite.kit only)"
            ) from None
        # Pyodide's errors echo a minified source line first; the end holds the message.
        output = str(error.stderr or "")[-2000:]
        log.warning("Engine snapshot not made (the site still works without it): %s", output)
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)
