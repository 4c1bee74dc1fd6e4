"""The footer of every page names the content version and the build date."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_build
from tests.generator.projects import configure_plugin

EPOCH = "1767225600"  # 1 January 2026, 00:00 UTC
BUILT = "built 1 January 2026"


def footers(site: Path) -> dict[str, str]:
    """The footer text of every page, by file, whitespace collapsed."""
    texts = {}
    for page in sorted(site.rglob("*.html")):
        info = BeautifulSoup(page.read_text(), "html.parser").select_one(".md-copyright")
        texts[page.relative_to(site).as_posix()] = " ".join(info.get_text().split()) if info else ""
    return texts


def git(project: Path, *args: str) -> str:
    identity = ["-c", "user.name=Editor", "-c", "user.email=editor@invalid"]
    result = subprocess.run(
        ["git", *identity, *args], cwd=project, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def build(project: Path, site: Path) -> dict[str, str]:
    result = run_build(project, site)
    assert result.returncode == 0, result.stderr
    pages = footers(site)
    assert {"index.html", "404.html", "recurrence-after-epidural.html"} <= set(pages)
    return pages


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_a_git_checkout_shows_the_last_content_commit_and_local_changes(
    project_copy: Path, tmp_path: Path
) -> None:
    git(project_copy, "init", "-q")
    git(project_copy, "add", ".")
    git(project_copy, "commit", "-q", "-m", "content")
    commit = git(project_copy, "log", "-1", "--format=%h")
    # A later commit outside the content does not change the content version.
    (project_copy / "notes.txt").write_text("not content")
    git(project_copy, "add", "notes.txt")
    git(project_copy, "commit", "-q", "-m", "notes")

    clean = build(project_copy, tmp_path / "clean")
    assert set(clean.values()) == {f"Content version {commit}, {BUILT}"}

    page = project_copy / "content" / "recurrence-after-epidural.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    dirty = build(project_copy, tmp_path / "dirty")
    assert set(dirty.values()) == {f"Content version {commit} + local changes, {BUILT}"}


def test_without_git_the_version_declared_in_mkdocs_yml_is_shown(
    project_copy: Path, tmp_path: Path
) -> None:
    assert set(build(project_copy, tmp_path / "unknown").values()) == {
        f"Content version not recorded, {BUILT}"
    }
    configure_plugin(project_copy, 'version: "2026.1"')
    assert set(build(project_copy, tmp_path / "declared").values()) == {
        f"Content version 2026.1, {BUILT}"
    }
