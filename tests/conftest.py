"""Fixtures shared by the build, browser and engine tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Timing varies on a shared 2-core CI machine: properties are checked, never speed.
settings.register_profile("project", deadline=None, print_blob=True)
# CI explores the same examples on every run, so a red build always reproduces.
settings.register_profile("ci", parent=settings.get_profile("project"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "project")

# The site name this site's mkdocs.yml declares, which ends every copied note.
SITE_NAME = "Back Pain Pathways"
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def run_build(project: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Build `project` with the real `guidesite build` command into `site_dir`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "guidesite.cli", "build", "--site-dir", str(site_dir), *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built once per test session (strict mode)."""
    site_dir = tmp_path_factory.mktemp("build") / "site"
    result = run_build(ROOT, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make test`, which installs it")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the project's site sources, for tests that break content."""
    dest = tmp_path / "project"
    dest.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    link_node_modules(dest)
    return dest


def link_node_modules(project: Path) -> None:
    """Give a project copy this site's npm packages, which a site keeps beside mkdocs.yml."""
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)


NEW_SITE_TITLE = "Neck Pain Pathways"


def init_site(directory: Path) -> subprocess.CompletedProcess[str]:
    """`guidesite init <directory> --title ...`, as a new user runs it, with this checkout's
    npm files linked in its place (what the new site's own `npm ci` installs)."""
    result = subprocess.run(
        [sys.executable, "-m", "guidesite.cli", "init", str(directory), "--title", NEW_SITE_TITLE],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        (directory / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return result


@pytest.fixture(scope="session")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by `guidesite init` and built in place by `guidesite build` (its
    directory; the built site is its `site/`)."""
    directory = tmp_path_factory.mktemp("new-site") / "neck"
    made = init_site(directory)
    assert made.returncode == 0, made.stderr
    built = subprocess.run(
        [sys.executable, "-m", "guidesite.cli", "build"],
        cwd=directory,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    return directory
