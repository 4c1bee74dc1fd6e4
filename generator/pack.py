"""Pack a built site for hand-over to an intranet team, and verify a deployed copy.

`pack` writes one reproducible archive whose root holds the site and a `SHA256SUMS`
manifest (the format `sha256sum -c` reads), plus the same manifest beside the archive so
it can be checked before unpacking. `verify` recomputes every hash in a deployed directory
and names each missing, extra or changed file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = "SHA256SUMS"
_CHUNK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _site_files(root: Path) -> list[str]:
    """Every regular file below `root` as a sorted POSIX relative path, the manifest aside."""
    files = (
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )
    return sorted(name for name in files if name != MANIFEST_NAME)


def manifest_text(root: Path) -> str:
    return "".join(f"{_sha256(root / name)}  {name}\n" for name in _site_files(root))


def parse_manifest(text: str, source: str = MANIFEST_NAME) -> dict[str, str]:
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"{source}:{number}: not a 'sha256  path' line: {line!r}")
        entries[name] = digest
    return entries


def pack(site_dir: Path, out_dir: Path, name: str) -> tuple[Path, Path]:
    """Write `<name>.tar.gz` and `<name>.sha256` into `out_dir`; return their paths.

    Entries are sorted with fixed owners, modes and times (SOURCE_DATE_EPOCH when set), so
    the same site always packs to the same bytes.
    """
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir}: no built site here; run `guidesite build` first")
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    manifest = manifest_text(site_dir).encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{name}.tar.gz"
    sums = out_dir / f"{name}.sha256"

    def add(tar: tarfile.TarFile, arcname: str, data: bytes) -> None:
        info = tarfile.TarInfo(f"{name}/{arcname}")
        info.size, info.mtime, info.mode = len(data), mtime, 0o644
        tar.addfile(info, io.BytesIO(data))

    with (
        archive.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        add(tar, MANIFEST_NAME, manifest)
        for relative in _site_files(site_dir):
            add(tar, relative, (site_dir / relative).read_bytes())
    sums.write_bytes(manifest)
    return archive, sums


@dataclass
class VerifyReport:
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.changed)

    def lines(self) -> list[str]:
        return (
            [f"missing: {name}" for name in self.missing]
            + [f"extra: {name}" for name in self.extra]
            + [f"changed: {name}" for name in self.changed]
        )


def verify(deployed: Path, manifest: Path | None = None) -> VerifyReport:
    """Compare `deployed` with its manifest (default: the `SHA256SUMS` inside it)."""
    if not deployed.is_dir():
        # Otherwise a mistyped path would be reported as every file missing.
        raise FileNotFoundError(f"{deployed}: no such directory")
    manifest = manifest or deployed / MANIFEST_NAME
    expected = parse_manifest(manifest.read_text(encoding="utf-8"), manifest.name)
    present = set(_site_files(deployed))
    report = VerifyReport(
        missing=sorted(set(expected) - present), extra=sorted(present - set(expected))
    )
    report.changed = sorted(
        name for name in set(expected) & present if _sha256(deployed / name) != expected[name]
    )
    return report
