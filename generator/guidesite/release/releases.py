"""Which release a server runs, and releases that switch and roll back in one step.

Every build writes `version.json` beside its pages (content version, build date, generator
version, engine hash). On the server, a root folder holds

    releases/<release>/   one unpacked, verified archive each, never changed afterwards
    current               a symbolic link to the release being served (the web server's path)
    releases.log          one line per switch: when, what, to which release

`deploy` unpacks an archive beside the others, verifies it, and only then switches
`current`: a new link is made under a temporary name and renamed over the old one, which
the system does in one step, so a request sees the old release or the new one, never
neither. `rollback` switches back; `prune` removes old releases. Each refuses, changing
nothing, when the root is not laid out this way or a release does not verify.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from guidesite.release.pack import MANIFEST_NAME, parse_manifest, verify
from guidesite.version import BuildInfo

VERSION_FILE = "version.json"
RELEASES_DIR = "releases"
CURRENT = "current"
LOG_FILE = "releases.log"
ENGINE_MANIFEST = "assets/engine/manifest.json"
# version.json's keys, and how `guidesite releases` labels them.
VERSION_LABELS = {
    "content_version": "content",
    "build_date": "built",
    "generator_version": "generator",
    "engine": "engine",
}


class ReleaseError(Exception):
    """Why a deploy, rollback or prune was refused; nothing was changed."""


def write_version_file(site_dir: Path, build: BuildInfo) -> dict[str, str | None]:
    """Write `version.json` into a built site: what it was built from, for people and tools."""
    engine_manifest = site_dir / ENGINE_MANIFEST
    info: dict[str, str | None] = {
        "content_version": build.version,
        "build_date": build.date.isoformat(),
        "generator_version": metadata.version("back-pain-pathways"),
        # The engine manifest names Pyodide's, the wheel's and the snapshot's hashes.
        "engine": hashlib.sha256(engine_manifest.read_bytes()).hexdigest()[:16]
        if engine_manifest.is_file()
        else None,
    }
    (site_dir / VERSION_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def read_version(site_dir: Path) -> dict[str, Any] | None:
    """The `version.json` of a built or deployed site, or None when it has none (or a bad one).

    For the editorial dashboard and `guidesite releases`.
    """
    try:
        info = json.loads((site_dir / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _release_name(info: dict[str, Any], manifest: bytes) -> str:
    """`<content version>-<8 hex of the manifest>`: readable, and different for any change."""
    version = str(info.get("content_version") or "unversioned")
    readable = re.sub(r"[^A-Za-z0-9._]+", "-", version).strip("-.") or "unversioned"
    return f"{readable}-{hashlib.sha256(manifest).hexdigest()[:8]}"


@dataclass(frozen=True)
class Release:
    name: str
    info: dict[str, Any] | None
    deployed: str | None  # when it was first switched to, from the log
    live_since: str | None  # when `current` last switched to it, from the log


class Root:
    """A deployment root. Reading it changes nothing; refusals are raised before any change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.releases_dir = path / RELEASES_DIR
        self.current_link = path / CURRENT
        self.log_file = path / LOG_FILE

    def check_layout(self) -> None:
        if (self.path / MANIFEST_NAME).exists():
            # The old guide unpacked the site straight into the served folder.
            raise ReleaseError(
                f"{self.path} holds a site unpacked by hand ({MANIFEST_NAME}, index.html, ...), "
                "not releases; deploy into a new empty folder and point the web server there"
            )
        if self.current_link.exists() and not self.current_link.is_symlink():
            raise ReleaseError(
                f"{self.current_link} is not a link to a release but a plain "
                f"{'folder' if self.current_link.is_dir() else 'file'}; move it away (for "
                f"example to {self.path / 'old-install'}) and deploy again"
            )

    def current(self) -> str | None:
        if not self.current_link.is_symlink():
            return None
        return PurePosixPath(os.readlink(self.current_link)).name

    def _log(self) -> list[tuple[str, str, str]]:
        """(time, action, release) for each switch, oldest first."""
        if not self.log_file.is_file():
            return []
        rows = (line.split() for line in self.log_file.read_text(encoding="utf-8").splitlines())
        return [(row[0], row[1], row[2]) for row in rows if len(row) == 3]

    def names(self) -> list[str]:
        """Releases on disk, in the order they were deployed (unlogged ones first, by name)."""
        if not self.releases_dir.is_dir():
            return []
        present = {p.name for p in self.releases_dir.iterdir() if not p.name.startswith(".")}
        order = [name for _, action, name in self._log() if action == "deploy"]
        logged = [name for name in dict.fromkeys(order) if name in present]
        return sorted(present - set(logged)) + logged

    def releases(self) -> list[Release]:
        log = self._log()
        return [
            Release(
                name,
                read_version(self.releases_dir / name),
                next((when for when, action, n in log if n == name and action == "deploy"), None),
                next((when for when, _, n in reversed(log) if n == name), None),
            )
            for name in self.names()
        ]

    def switch(self, name: str, action: str) -> None:
        """Point `current` at `releases/<name>` in one rename, and log it."""
        temporary = self.path / f".{CURRENT}.{os.getpid()}.new"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(f"{RELEASES_DIR}/{name}", target_is_directory=True)
        os.replace(temporary, self.current_link)
        with self.log_file.open("a", encoding="utf-8") as log:
            log.write(f"{_now()} {action} {name}\n")


def _archive_members(tar: tarfile.TarFile, archive: Path) -> tuple[str, list[tarfile.TarInfo]]:
    """The archive's one top folder and its files, if `guidesite pack` could have written it."""
    members = tar.getmembers()
    tops = {PurePosixPath(m.name).parts[0] for m in members if PurePosixPath(m.name).parts}
    unsafe = [
        m.name
        for m in members
        if not m.isfile() or PurePosixPath(m.name).is_absolute() or ".." in m.name.split("/")
    ]
    if len(tops) != 1 or unsafe:
        raise ReleaseError(f"{archive} is not an archive written by `guidesite pack`")
    [top] = tops
    names = {m.name for m in members}
    for needed in (MANIFEST_NAME, VERSION_FILE):
        if f"{top}/{needed}" not in names:
            raise ReleaseError(
                f"{archive} is not an archive written by `guidesite pack` (no {needed})"
            )
    return top, members


def _unpack(tar: tarfile.TarFile, members: list[tarfile.TarInfo], into: Path) -> None:
    """Write the files readable by the web server account whatever the umask."""
    into.chmod(0o755)
    for member in members:
        target = into.joinpath(*PurePosixPath(member.name).parts[1:])
        for parent in reversed(target.relative_to(into).parents[:-1]):
            if not (into / parent).is_dir():
                (into / parent).mkdir()
                (into / parent).chmod(0o755)
        source = tar.extractfile(member)
        assert source is not None  # a regular file, checked by _archive_members
        with source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        target.chmod(0o644)


def deploy(archive: Path, root_path: Path, manifest: Path | None = None) -> str:
    """Unpack `archive` into `releases/`, verify it and make it current; return its name."""
    root = Root(root_path)
    root.check_layout()
    try:
        return _deploy(archive, root, manifest)
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise ReleaseError(
            f"{archive} is damaged or not an archive written by `guidesite pack`: {error}"
        ) from error


def _deploy(archive: Path, root: Root, manifest: Path | None) -> str:
    with tarfile.open(archive, mode="r:gz") as tar:
        top, members = _archive_members(tar, archive)
        inner = tar.extractfile(f"{top}/{MANIFEST_NAME}")
        info_file = tar.extractfile(f"{top}/{VERSION_FILE}")
        assert inner is not None and info_file is not None
        inner_manifest = inner.read()
        try:
            parse_manifest(inner_manifest.decode(), MANIFEST_NAME)
            info = json.loads(info_file.read())
        except (ValueError, UnicodeDecodeError) as error:
            raise ReleaseError(
                f"{archive} is not an archive written by `guidesite pack`: {error}"
            ) from error
        if manifest is not None and manifest.read_bytes() != inner_manifest:
            raise ReleaseError(
                f"{archive} does not match {manifest}: the manifest inside it differs; "
                "it is not the archive that manifest was written for"
            )
        name = _release_name(info if isinstance(info, dict) else {}, inner_manifest)
        if (root.releases_dir / name).exists():
            rollback = f"guidesite rollback --root {root.path} --to {name}"
            live = root.current() == name
            advice = "and is live; nothing to do" if live else f"but not live; run `{rollback}`"
            raise ReleaseError(f"{name} is already unpacked in {root.releases_dir} {advice}")
        # A first install makes the folders, which the web server account must be able to
        # walk down; a refusal removes them again.
        created = [folder for folder in (root.path, root.releases_dir) if not folder.is_dir()]
        for folder in created:
            folder.mkdir(parents=True)
            folder.chmod(0o755)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root.releases_dir))
        try:
            _unpack(tar, members, staging)
            report = verify(staging, manifest)
            if not report.ok:
                raise ReleaseError(
                    f"{archive} does not verify against its manifest; nothing was switched:\n"
                    + "\n".join(report.lines())
                )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            for folder in reversed(created):
                folder.rmdir()
            raise
    staging.rename(root.releases_dir / name)
    root.switch(name, "deploy")
    return name


def rollback(root_path: Path, to: str | None = None) -> tuple[str | None, str]:
    """Serve the release deployed before the current one (or `to`); return (from, to)."""
    root = Root(root_path)
    root.check_layout()
    names, current = root.names(), root.current()
    if to is None:
        if current not in names or names.index(current) == 0:
            raise ReleaseError(
                f"no release older than {current or 'the current one'} in {root.releases_dir}; "
                f"see `guidesite releases --root {root.path}`"
            )
        to = names[names.index(current) - 1]
    elif to not in names:
        raise ReleaseError(
            f"no release {to!r} in {root.releases_dir}; they are: {', '.join(names)}"
        )
    report = verify(root.releases_dir / to)
    if not report.ok:
        raise ReleaseError(
            f"{to} no longer matches its manifest; nothing was switched:\n"
            + "\n".join(report.lines())
        )
    root.switch(to, "rollback")
    return current, to


def prune(root_path: Path, keep: int) -> list[str]:
    """Remove all but the `keep` most recently deployed releases; the live one always stays."""
    if keep < 1:
        raise ReleaseError("--keep must be 1 or more")
    root = Root(root_path)
    root.check_layout()
    names, current = root.names(), root.current()
    old = [name for name in names[: max(len(names) - keep, 0)] if name != current]
    for name in old:
        shutil.rmtree(root.releases_dir / name)
    return old


def describe(root_path: Path) -> list[str]:
    """One line per release, oldest first, `*` marking the one being served."""
    root = Root(root_path)
    root.check_layout()
    current = root.current()
    lines = []
    for release in root.releases():
        info = release.info or {}
        fields = "  ".join(
            f"{label} {info.get(key) or '?'}" for key, label in VERSION_LABELS.items()
        )
        mark = "*" if release.name == current else " "
        since = f"  live since {release.live_since}" if mark == "*" else ""
        lines.append(f"{mark} {release.name}  {fields}  deployed {release.deployed or '?'}{since}")
    return lines
