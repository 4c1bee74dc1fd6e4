"""Releases as IT runs them, with the very commands deploy/README.md gives: install,
upgrade, roll back, clean up; each refusal changes nothing; `verify` trusts nothing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from commands import documented, guidesite
from conftest import NAME, NEXT_VERSION, Packed

from guidesite.release.pack import MANIFEST_NAME, manifest_text, pack, printable, verify
from guidesite.release.releases import URGENT_FILE, VERSION_FILE, read_version

# For the tests of the archive checks themselves: no manifest kept apart.
TEST = "--test-without-manifest"


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
    assert sorted(p.name for p in (root / "manifests").iterdir()) == sorted(
        f"{name}.sha256" for name in (second, third)
    )
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
    refused(["deploy", not_gzip, "--root", root, TEST], root, "not an archive written by")
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        add(tar, "site/index.html", b"<h1>Another site</h1>")
    refused(["deploy", foreign, "--root", root, TEST], root, f"no {MANIFEST_NAME}")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(release_a.archive.read_bytes()[:200_000])
    refused(["deploy", truncated, "--root", root, TEST], root, "damaged")
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
    refused(["deploy", archive, "--root", root, TEST], root, message)  # a first install
    assert not root.exists()
    run("deploy", root, release_b.archive)
    refused(["deploy", archive, "--root", root, TEST], root, message)  # an upgrade


def test_an_archive_that_does_not_match_the_kept_manifest_is_refused(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    root.mkdir(parents=True)
    args = ["deploy", release_b.archive, "--manifest", release_a.manifest, "--root", root]
    refused(args, root, "the manifest inside it differs")


def test_deploy_refuses_an_archive_it_has_nothing_to_check_against(
    release_a: Packed, root: Path
) -> None:
    """The archive's own manifest agrees with any archive made to agree with it."""
    refused(["deploy", release_a.archive, "--root", root], root, "nothing to check")
    assert not root.exists()
    wrong = hashlib.sha256(b"another manifest").hexdigest()
    args = ["deploy", release_a.archive, "--manifest-sha256", wrong, "--root", root]
    refused(args, root, "does not match the expected manifest hash")
    assert not root.exists()
    # The hash of the kept manifest, given apart (read out on the phone, say), is enough.
    kept = hashlib.sha256(release_a.manifest.read_bytes()).hexdigest()
    deployed = guidesite("deploy", release_a.archive, "--manifest-sha256", kept, "--root", root)
    assert deployed.returncode == 0, deployed.stderr
    assert (root / "manifests" / f"{live(root)}.sha256").read_bytes() == (
        release_a.manifest.read_bytes()
    )


def test_rollback_refuses_a_release_changed_together_with_its_manifest(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    """The issue's case: a page edited and its line in the release's SHA256SUMS too."""
    run("deploy", root, release_a.archive)
    run("deploy", root, release_b.archive)
    [older] = [p.name for p in (root / "releases").iterdir() if p.name != live(root)]
    folder = root / "releases" / older
    page = folder / "index.html"
    page.write_text(page.read_text().replace("</body>", "<p>Take 400 mg.</p></body>"))
    (folder / MANIFEST_NAME).write_text(manifest_text(folder))
    assert verify(folder).ok  # the folder agrees with itself

    rollback = [*documented("rollback", root), "--to", older]
    refused(rollback, root, f"{older} no longer matches the manifest recorded")
    refusal = guidesite(*rollback).stderr
    assert "changed: index.html" in refusal
    assert f"changed: {MANIFEST_NAME} (differs from {older}.sha256)" in refusal

    listing = guidesite(*documented("releases", root))
    assert listing.returncode == 1
    assert listing.stdout.splitlines()[1:3] == [
        "    changed: index.html",
        f"    changed: {MANIFEST_NAME} (differs from {older}.sha256)",
    ]
    assert "files DO NOT MATCH" in listing.stdout.splitlines()[0]
    assert listing.stdout.splitlines()[3].endswith("files match")
    # verify, given the release folder and no manifest, takes the one deploy recorded.
    checked = guidesite("verify", folder)
    assert checked.returncode == 1 and "changed: index.html" in checked.stdout
    assert guidesite("verify", root / "current").returncode == 0


def test_a_release_without_a_recorded_manifest_is_not_trusted(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    """Deployed by an earlier guidesite, or copied in by hand."""
    run("deploy", root, release_a.archive)
    first = live(root)
    run("deploy", root, release_b.archive)
    (root / "manifests" / f"{first}.sha256").unlink()
    refused(documented("rollback", root), root, f"no manifest was recorded for {first}")
    assert guidesite(*documented("releases", root)).returncode == 1


def test_an_urgent_release_is_marked_until_the_next_switch(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    run("deploy", root, release_a.archive)
    assert not (root / URGENT_FILE).exists()
    urgent = [*documented("deploy", root, release_b.archive), "--urgent"]
    assert guidesite(*urgent).returncode == 0
    marker = json.loads((root / URGENT_FILE).read_text())
    assert marker["release"] == live(root) and stat_mode(root / URGENT_FILE) == 0o644
    assert (root / "releases.log").read_text().splitlines()[-1].endswith(f"{live(root)} urgent")
    run("rollback", root)  # not urgent: the marker goes
    assert not (root / URGENT_FILE).exists()
    forward = [*documented("rollback", root), "--to", marker["release"], "--urgent"]
    assert guidesite(*forward).returncode == 0
    assert json.loads((root / URGENT_FILE).read_text())["release"] == marker["release"]
    assert [line[0] for line in run("releases", root).splitlines()] == [" ", "*"]


def test_releases_deployed_within_one_second_are_tagged_apart(
    release_a: Packed, release_b: Packed, root: Path
) -> None:
    """nginx tags a file by its size and modification time in whole seconds: a page of the
    same size in two releases unpacked in one second would revalidate as unchanged (304)
    and the browser would go on showing the older release's text."""
    run("deploy", root, release_a.archive)
    run("deploy", root, release_b.archive)
    seconds = {
        release.name: {int(file.stat().st_mtime) for file in release.rglob("*") if file.is_file()}
        for release in (root / "releases").iterdir()
    }
    first, second = (seconds[name] for name in names_in_deploy_order(root))
    assert len(first) == len(second) == 1 and min(second) > max(first)


def names_in_deploy_order(root: Path) -> list[str]:
    return [line.split()[2] for line in (root / "releases.log").read_text().splitlines()]


def test_names_are_printed_escaped(release_a: Packed, root: Path) -> None:
    """A newline in a file name must not print a line of its own, such as a fake verdict."""
    run("deploy", root, release_a.archive)
    site = root / "current"
    (site / "x\nall files match").write_text("")
    (site / "assets" / "\x1b[2Kreport.js").write_text("")
    (site / "notes\u202etxt.html").write_text("")
    result = guidesite("verify", site)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "extra: assets/\\x1b[2Kreport.js",
        "extra: notes\\u{202e}txt.html",
        "extra: x\\x0aall files match",
    ]


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


def test_printable_leaves_ordinary_names_alone_and_escapes_the_rest() -> None:
    assert printable("calculators/mme.html") == "calculators/mme.html"
    assert printable("Schmerz-Übersicht é.html") == "Schmerz-Übersicht é.html"
    assert printable("a\\nb") == "a\\\\nb"  # a backslash stays distinguishable
    assert printable("a\tb\rc") == "a\\x09b\\x0dc"
    assert printable("line\u2028sep") == "line\\u{2028}sep"
    assert printable(os.fsdecode(b"bad-\xff.html")) == "bad-\\xff.html"
