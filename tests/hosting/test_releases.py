"""Releases as IT runs them, with the very commands deploy/README.md gives: install,
upgrade, roll back, clean up; each refusal changes nothing; `verify` trusts nothing."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from commands import documented, guidesite
from conftest import NAME, NEXT_VERSION, Packed

from guidesite.release.pack import MANIFEST_NAME, pack
from guidesite.release.releases import VERSION_FILE, read_version


def run(verb: str, root: Path, archive: Path | None = None) -> str:
    result = guidesite(*documented(verb, root, archive))
    assert result.returncode == 0, result.stderr
    return result.stdout


def live(root: Path) -> str:
    """The release `current` names, checked to be a relative link into releases/."""
    target = os.readlink(root / "current")
    assert target.startswith("releases/"), target
    return target.removeprefix("releases/")


def snapshot(root: Path) -> dict[str, str]:
    """Everything about a root that a refused command must leave alone."""
    state = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[key] = "-> " + os.readlink(path)
        elif path.is_file():
            state[key] = path.read_bytes().hex()[:64] + str(path.stat().st_size)
        else:
            state[key] = "dir"
    return state


def refused(args: list[str], root: Path, message: str) -> None:
    before = snapshot(root)
    result = guidesite(*args)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert snapshot(root) == before


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "srv" / "www" / "back-pain-pathways"


def test_version_json_says_what_the_site_was_built_from(release_a: Packed) -> None:
    info = read_version(release_a.site)
    assert info is not None
    assert sorted(info) == ["build_date", "content_version", "engine", "generator_version"]
    assert info["generator_version"] == "0.1.0" and len(info["engine"]) == 16
    assert info["content_version"]  # a git commit in this checkout


def test_install_upgrade_rollback_and_clean_up(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    run("deploy", root, release_a.archive)
    first = live(root)
    assert (root / "releases" / first / "index.html").is_file()
    assert stat_mode(root / "releases" / first / "index.html") == 0o644
    assert guidesite("verify", root / "current", "--manifest", release_a.manifest).returncode == 0

    run("deploy", root, release_b.archive)
    second = live(root)
    assert second.startswith(f"{NEXT_VERSION}-") and second != first
    listing = run("releases", root).splitlines()
    assert [line[:2] for line in listing] == ["  ", "* "]
    assert listing[1].split()[1] == second and f"content {NEXT_VERSION}" in listing[1]
    assert "live since" in listing[1] and "live since" not in listing[0]

    run("rollback", root)
    assert live(root) == first
    assert [line[0] for line in run("releases", root).splitlines()] == ["*", " "]
    log = [line.split()[1:] for line in (root / "releases.log").read_text().splitlines()]
    assert log == [["deploy", first], ["deploy", second], ["rollback", first]]

    # Forward again, a third release, then clean up: the live one stays whatever --keep says.
    assert guidesite("rollback", "--root", root, "--to", second).returncode == 0
    run("deploy", root, repacked(release_a, root.parent / "c"))
    third = live(root)
    assert run("prune", root) == ""  # three releases, three kept
    run("rollback", root)
    assert guidesite("prune", "--root", root, "--keep", "1").returncode == 0
    assert sorted(p.name for p in (root / "releases").iterdir()) == sorted([second, third])
    assert live(root) == second


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def repacked(packed: Packed, out: Path) -> Path:
    """`packed` with one page changed and packed again: a third genuine release."""
    site = out / "site"
    out.mkdir(parents=True)
    with tarfile.open(packed.archive) as tar:
        tar.extractall(out, filter="data")
    (out / NAME).rename(site)
    (site / MANIFEST_NAME).unlink()
    (site / "index.html").write_text((site / "index.html").read_text() + "<!-- 3 -->")
    archive, _ = pack(site, out / "dist", NAME)
    return archive


def test_a_plain_folder_where_current_should_be_is_refused(release_a: Packed, root: Path) -> None:
    """The old guide's layout: the site unpacked straight into the served folder."""
    (root / "current").mkdir(parents=True)
    (root / "current" / "index.html").write_text("old install")
    refused(documented("deploy", root, release_a.archive), root, "not a link to a release")
    refused(documented("rollback", root), root, "not a link to a release")


def test_a_site_unpacked_by_hand_into_the_root_is_refused(release_a: Packed, root: Path) -> None:
    """The old guide's other layout: `tar -xzf` straight into the served folder."""
    with tarfile.open(release_a.archive) as tar:
        tar.extractall(root.parent, filter="data")
    (root.parent / NAME).rename(root)
    refused(documented("deploy", root, release_a.archive), root, "unpacked by hand")


def test_an_archive_that_is_not_ours_is_refused(
    release_a: Packed, tmp_path: Path, root: Path
) -> None:
    root.mkdir(parents=True)
    not_gzip = tmp_path / "notes.tar.gz"
    not_gzip.write_text("hello")
    refused(["deploy", not_gzip, "--root", root], root, "not an archive written by")
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        add(tar, "site/index.html", b"<h1>Another site</h1>")
    refused(["deploy", foreign, "--root", root], root, f"no {MANIFEST_NAME}")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(release_a.archive.read_bytes()[:200_000])
    refused(["deploy", truncated, "--root", root], root, "damaged")
    assert list(root.iterdir()) == []


def add(tar: tarfile.TarFile, name: str, data: bytes, kind: bytes = tarfile.REGTYPE) -> None:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, len(data)
    if kind == tarfile.SYMTYPE:
        info.linkname, info.size = "/etc/hostname", 0
    tar.addfile(info, io.BytesIO(data) if info.size else None)


def tampered(packed: Packed, out: Path, change: str) -> Path:
    """A copy of `packed` with one member changed, added or swapped for a link."""
    archive = out / f"{change}.tar.gz"
    with (
        tarfile.open(packed.archive) as source,
        tarfile.open(archive, "w:gz", compresslevel=1) as tar,
    ):
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if change == "changed" and member.name == f"{NAME}/index.html":
                data = data.replace(b"</body>", b"<script src=x.js></script></body>")
            add(tar, member.name, data)
        if change == "link":
            add(tar, f"{NAME}/notes.txt", b"", tarfile.SYMTYPE)
        if change == "extra":
            add(tar, f"{NAME}/assets/extra.js", b"alert(1)")
    return archive


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("changed", "changed: index.html"),
        ("extra", "extra: assets/extra.js"),
        ("link", "not an archive written by"),
    ],
)
def test_an_archive_that_fails_verification_is_refused(
    release_a: Packed, release_b: Packed, root: Path, tmp_path: Path, change: str, message: str
) -> None:
    archive = tampered(release_a, tmp_path, change)
    refused(["deploy", archive, "--root", root], root, message)  # a first install
    assert not root.exists()
    run("deploy", root, release_b.archive)
    refused(["deploy", archive, "--root", root], root, message)  # an upgrade


def test_an_archive_that_does_not_match_the_kept_manifest_is_refused(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    root.mkdir(parents=True)
    args = ["deploy", release_b.archive, "--manifest", release_a.manifest, "--root", root]
    refused(args, root, "the manifest inside it differs")


def test_rollback_refuses_a_release_that_was_tampered_with(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    run("deploy", root, release_a.archive)
    run("deploy", root, release_b.archive)
    [older] = [p for p in (root / "releases").iterdir() if p.name != live(root)]
    (older / "index.html").write_text("defaced")
    refused(documented("rollback", root), root, "changed: index.html")


def test_verify_trusts_nothing(release_a: Packed, root: Path, tmp_path: Path) -> None:
    run("deploy", root, release_a.archive)
    site = root / "current"
    (site / "notes.txt").symlink_to("/etc/hostname")
    (site / "assets" / "linked").symlink_to("/etc", target_is_directory=True)
    outside = tmp_path / "outside.css"
    outside.write_text("body{}")
    os.link(outside, site / "assets" / "stolen.css")
    os.mkfifo(site / "pipe")
    (site / "404.html").chmod(0o600)
    (site / "sitemap.xml").chmod(0o666)
    (site / "search").chmod(0o700)
    version = json.loads((site / VERSION_FILE).read_text())
    (site / VERSION_FILE).write_text(json.dumps({**version, "content_version": "forged"}))
    (site / "calculators" / "odi.html").unlink()

    result = guidesite(*documented("verify", root, release_a.archive))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "missing: calculators/odi.html",
        "extra: assets/stolen.css",
        f"changed: {VERSION_FILE}",
        "not world-readable: 404.html (mode 0600)",
        "link: assets/linked -> /etc",
        "hard link: assets/stolen.css (2 names)",
        "link: notes.txt -> /etc/hostname",
        "not a regular file: pipe",
        "not world-readable: search (mode 0700)",
        "writable by anyone: sitemap.xml (mode 0666)",
    ]
