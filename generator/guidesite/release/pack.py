"""Pack a built site for hand-over to an intranet team, and verify a deployed copy.

`pack` writes one reproducible archive whose root holds the site and a `SHA256SUMS`
manifest (the format `sha256sum -c` reads), plus the same manifest beside the archive so
it can be checked before unpacking. `verify` trusts nothing in a deployed directory: it
recomputes every hash and names each missing, extra or changed file, every symbolic link,
hard link or special file (a web server would serve what they point at), every file the
server account could not read or anyone could change, and an inner manifest that differs
from the one kept apart.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import tarfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from guidesite.build_time import source_date_epoch

MANIFEST_NAME = "SHA256SUMS"
_CHUNK = 1 << 20


def printable(name: str) -> str:
    """`name` with every character that could fake or hide output written as an escape.

    A file name may hold a newline (which would print a line such as "all OK" of its own),
    terminal control sequences, bidirectional overrides, or bytes that are not UTF-8 (which
    Python carries as lone surrogates). Backslashes are escaped too, so an escape in the
    output always means the name held that character.
    """
    out = []
    for char in name:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, kept by os.fsdecode
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{{{code:x}}}")
        else:
            out.append(char)
    return "".join(out)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _Scan:
    """A directory as `verify` sees it: its regular files, and what a web root must not hold."""

    files: list[str] = field(default_factory=list)
    unsafe: list[tuple[str, str]] = field(default_factory=list)  # (path, what is wrong)


def _permission_problem(relative: str, mode: int, needed: int) -> str | None:
    if mode & needed != needed:
        return f"not world-readable: {printable(relative)} (mode {stat.S_IMODE(mode):04o})"
    if mode & stat.S_IWOTH:
        return f"writable by anyone: {printable(relative)} (mode {stat.S_IMODE(mode):04o})"
    return None


def _scan(root: Path) -> _Scan:
    """Walk `root` without following any link below it (the root itself may be one)."""
    scan = _Scan()
    directory_needs = stat.S_IROTH | stat.S_IXOTH
    if problem := _permission_problem(".", root.stat().st_mode, directory_needs):
        scan.unsafe.append((".", problem))
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath, name)
            relative = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                target = printable(os.readlink(path))
                scan.unsafe.append((relative, f"link: {printable(relative)} -> {target}"))
            elif stat.S_ISDIR(info.st_mode):
                if problem := _permission_problem(relative, info.st_mode, directory_needs):
                    scan.unsafe.append((relative, problem))
            elif not stat.S_ISREG(info.st_mode):
                scan.unsafe.append((relative, f"not a regular file: {printable(relative)}"))
            else:
                if info.st_nlink > 1:
                    # The other name may be outside the web root and change this file.
                    names = f"{info.st_nlink} names"
                    scan.unsafe.append((relative, f"hard link: {printable(relative)} ({names})"))
                if problem := _permission_problem(relative, info.st_mode, stat.S_IROTH):
                    scan.unsafe.append((relative, problem))
                scan.files.append(relative)
    scan.files.sort()
    scan.unsafe.sort()
    return scan


def _site_files(root: Path) -> list[str]:
    """Every regular file below `root` as a sorted POSIX relative path, the manifest aside."""
    return [name for name in _scan(root).files if name != MANIFEST_NAME]


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
    mtime = source_date_epoch(default=0)
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
    # Already worded lines: links, hard links, special files, permissions.
    unsafe: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lines()

    def lines(self) -> list[str]:
        return (
            [f"missing: {printable(name)}" for name in self.missing]
            + [f"extra: {printable(name)}" for name in self.extra]
            + [f"changed: {printable(name)}" for name in self.changed]
            + self.unsafe
        )


def verify(deployed: Path, manifest: Path | None = None) -> VerifyReport:
    """Compare `deployed` with its manifest (default: the `SHA256SUMS` inside it).

    With a manifest kept apart, the one inside must equal it: otherwise the copy is not
    the archive that manifest was written for.
    """
    if not deployed.is_dir():
        # Otherwise a mistyped path would be reported as every file missing.
        raise FileNotFoundError(f"{deployed}: no such directory")
    reference = manifest or deployed / MANIFEST_NAME
    expected_text = reference.read_text(encoding="utf-8")
    expected = parse_manifest(expected_text, reference.name)
    scan = _scan(deployed)
    present = {name for name in scan.files if name != MANIFEST_NAME}
    report = VerifyReport(
        missing=sorted(set(expected) - present),
        extra=sorted(present - set(expected)),
        unsafe=[line for _, line in scan.unsafe],
    )
    report.changed = sorted(
        name for name in set(expected) & present if _sha256(deployed / name) != expected[name]
    )
    if manifest is not None:
        inner = deployed / MANIFEST_NAME
        if MANIFEST_NAME not in scan.files:
            report.missing.append(MANIFEST_NAME)
        elif inner.read_text(encoding="utf-8") != expected_text:
            report.changed.append(f"{MANIFEST_NAME} (differs from {manifest.name})")
    return report
