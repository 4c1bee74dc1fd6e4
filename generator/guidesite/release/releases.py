"""Which release a server runs, and releases that switch and roll back in one step.

Every build writes `version.json` beside its pages (content version, build date, generator
version, engine hash). On the server, a root folder holds

    releases/<release>/   one unpacked, verified archive each, never changed afterwards
    manifests/<release>.sha256   the manifest each release was verified against at deploy
    current               a symbolic link to the release being served (the web server's path)
    releases.log          one line per switch: when, what, to which release
    urgent.json           present while the release being served was switched to as urgent

`deploy` unpacks an archive beside the others, verifies it, and only then switches
`current`: a new link is made under a temporary name and renamed over the old one, which
the system does in one step, so a request sees the old release or the new one, never
neither. `rollback` switches back; `prune` removes old releases. Each refuses, changing
nothing, when the root is not laid out this way or a release does not verify.

A release's own `SHA256SUMS` proves nothing: whoever changes a page can change its line
too. So `deploy` accepts an archive only against a manifest (or its hash) that came apart
from it, keeps that manifest outside the release folder, and `rollback`, `releases` and
`verify` check each release against the kept copy.
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
import time
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from guidesite.release.pack import MANIFEST_NAME, VerifyReport, parse_manifest, printable, verify
from guidesite.version import BuildInfo

VERSION_FILE = "version.json"
RELEASES_DIR = "releases"
MANIFESTS_DIR = "manifests"
URGENT_FILE = "urgent.json"
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
        "generator_version": metadata.version("guidesite"),
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
        self.manifests_dir = path / MANIFESTS_DIR
        self.urgent_file = path / URGENT_FILE
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
        """(time, action, release) for each switch, oldest first (an urgent one says so
        in a fourth word)."""
        if not self.log_file.is_file():
            return []
        rows = (line.split() for line in self.log_file.read_text(encoding="utf-8").splitlines())
        return [(row[0], row[1], row[2]) for row in rows if len(row) in (3, 4)]

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

    def recorded_manifest(self, name: str) -> Path:
        return self.manifests_dir / f"{name}.sha256"

    def check(self, name: str) -> VerifyReport:
        """Verify `releases/<name>` against the manifest recorded when it was deployed."""
        recorded = self.recorded_manifest(name)
        if not recorded.is_file():
            raise ReleaseError(
                f"no manifest was recorded for {printable(name)} when it was deployed (an "
                f"earlier guidesite, or copied in by hand), so it cannot be trusted; delete "
                f"{self.releases_dir / printable(name)} and deploy its archive again"
            )
        return verify(self.releases_dir / name, recorded)

    def write_atomically(self, path: Path, data: bytes) -> None:
        """Replace `path` in one rename, readable by the web server account."""
        temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
        temporary.write_bytes(data)
        temporary.chmod(0o644)
        os.replace(temporary, path)

    def switch(self, name: str, action: str, urgent: bool = False) -> None:
        """Point `current` at `releases/<name>` in one rename, and log it.

        The urgent marker is written or removed before the switch: a browser that reads it
        just before the switch takes the release then served at once, which is still one
        whole release, and a switch that is not urgent never inherits the marker.
        """
        if urgent:
            marker = {"release": name, "since": _now()}
            self.write_atomically(self.urgent_file, (json.dumps(marker) + "\n").encode())
        else:
            self.urgent_file.unlink(missing_ok=True)
        temporary = self.path / f".{CURRENT}.{os.getpid()}.new"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(f"{RELEASES_DIR}/{name}", target_is_directory=True)
        os.replace(temporary, self.current_link)
        with self.log_file.open("a", encoding="utf-8") as log:
            log.write(f"{_now()} {action} {name}{' urgent' if urgent else ''}\n")


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
        named = f" ({printable(unsafe[0])})" if unsafe else ""
        raise ReleaseError(f"{archive} is not an archive written by `guidesite pack`{named}")
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


def _unused_second(releases_dir: Path) -> int:
    """A modification time, in whole seconds, later than every other release's.

    nginx tags a file with its size and modification time in whole seconds and answers a
    matching revalidation with 304, so two releases unpacked within one second would give a
    changed page of unchanged size (or `sw.js`) one tag, and browsers would keep the older
    release's copy. Each release's `version.json` carries its stamp.
    """
    stamps = [
        int(stamped.stat().st_mtime) + 1 for stamped in releases_dir.glob(f"[!.]*/{VERSION_FILE}")
    ]
    return max([int(time.time()), *stamps])


def _stamp(release: Path, second: int) -> None:
    for file in release.rglob("*"):
        if file.is_file():
            os.utime(file, (second, second))


@dataclass(frozen=True)
class Expected:
    """What an archive is checked against: the manifest `guidesite pack` wrote beside it,
    or that file's SHA-256, which came apart from the archive (kept, mailed, read out);
    or, only when `test` is set, nothing but the archive's own manifest."""

    manifest: Path | None = None
    manifest_sha256: str | None = None
    test: bool = False

    def require(self, archive: Path) -> None:
        """Refuse before anything is read or written when nothing came apart from `archive`."""
        if self.manifest is None and self.manifest_sha256 is None and not self.test:
            raise ReleaseError(
                f"nothing to check {archive} against: the manifest inside it proves nothing, "
                "since whoever changed a file could change that too. Give the manifest "
                "`guidesite pack` wrote beside it (--manifest <name>.sha256) or that file's "
                "SHA-256 (--manifest-sha256 <hex>); only to try things out, "
                "--test-without-manifest"
            )

    def check(self, archive: Path, inner_manifest: bytes) -> None:
        if self.manifest is not None and self.manifest.read_bytes() != inner_manifest:
            raise ReleaseError(
                f"{archive} does not match {self.manifest}: the manifest inside it differs; "
                "it is not the archive that manifest was written for"
            )
        if self.manifest_sha256 is not None:
            found = hashlib.sha256(inner_manifest).hexdigest()
            if found != self.manifest_sha256.strip().lower():
                raise ReleaseError(
                    f"{archive} does not match the expected manifest hash: its manifest's "
                    f"SHA-256 is {found}; it is not the archive that hash was given for"
                )


def deploy(archive: Path, root_path: Path, expected: Expected, urgent: bool = False) -> str:
    """Unpack `archive` into `releases/`, verify it and make it current; return its name."""
    root = Root(root_path)
    root.check_layout()
    expected.require(archive)
    try:
        return _deploy(archive, root, expected, urgent)
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise ReleaseError(
            f"{archive} is damaged or not an archive written by `guidesite pack`: {error}"
        ) from error


def _deploy(archive: Path, root: Root, expected: Expected, urgent: bool) -> str:
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
        expected.check(archive, inner_manifest)
        name = _release_name(info if isinstance(info, dict) else {}, inner_manifest)
        if (root.releases_dir / name).exists():
            rollback = f"guidesite rollback --root {root.path} --to {name}"
            live = root.current() == name
            advice = "and is live; nothing to do" if live else f"but not live; run `{rollback}`"
            raise ReleaseError(f"{name} is already unpacked in {root.releases_dir} {advice}")
        # A first install makes the folders, which the web server account must be able to
        # walk down; a refusal removes them again.
        created = [
            folder
            for folder in (root.path, root.releases_dir, root.manifests_dir)
            if not folder.is_dir()
        ]
        for folder in created:
            folder.mkdir(parents=True)
            folder.chmod(0o755)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root.releases_dir))
        try:
            _unpack(tar, members, staging)
            _stamp(staging, _unused_second(root.releases_dir))
            report = verify(staging, expected.manifest)
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
    # Recorded outside the release, for `rollback`, `releases` and `verify` to check against.
    root.write_atomically(root.recorded_manifest(name), inner_manifest)
    staging.rename(root.releases_dir / name)
    root.switch(name, "deploy", urgent)
    return name


def rollback(
    root_path: Path, to: str | None = None, urgent: bool = False
) -> tuple[str | None, str]:
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
            f"no release {printable(to)!r} in {root.releases_dir}; they are: "
            + ", ".join(map(printable, names))
        )
    report = root.check(to)
    if not report.ok:
        raise ReleaseError(
            f"{printable(to)} no longer matches the manifest recorded when it was deployed "
            f"({root.recorded_manifest(to)}); nothing was switched:\n" + "\n".join(report.lines())
        )
    root.switch(to, "rollback", urgent)
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
        root.recorded_manifest(name).unlink(missing_ok=True)
    return old


@dataclass(frozen=True)
class Listed:
    """One release as `guidesite releases` shows it."""

    line: str
    # Why it cannot be served: its differences from the manifest recorded at deploy.
    problems: list[str]


def describe(root_path: Path) -> list[Listed]:
    """Each release, oldest first, `*` marking the one being served, each checked against
    the manifest recorded when it was deployed."""
    root = Root(root_path)
    root.check_layout()
    current = root.current()
    listed = []
    for release in root.releases():
        info = release.info or {}
        fields = "  ".join(
            f"{label} {printable(str(info.get(key) or '?'))}"
            for key, label in VERSION_LABELS.items()
        )
        mark = "*" if release.name == current else " "
        since = f"  live since {release.live_since}" if mark == "*" else ""
        try:
            problems = root.check(release.name).lines()
        except ReleaseError as error:
            problems = [str(error)]
        state = "files DO NOT MATCH" if problems else "files match"
        listed.append(
            Listed(
                f"{mark} {printable(release.name)}  {fields}  deployed {release.deployed or '?'}"
                f"{since}  {state}",
                problems,
            )
        )
    return listed


def recorded_manifest_for(directory: Path) -> Path | None:
    """The manifest `deploy` recorded for the release `directory` is (or `current` names)."""
    release = directory.resolve()
    if release.parent.name != RELEASES_DIR:
        return None
    recorded = Root(release.parent.parent).recorded_manifest(release.name)
    return recorded if recorded.is_file() else None
