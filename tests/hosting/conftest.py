"""Two real releases of the site, packed as they are handed to IT: the current content
(release A) and the same content declared as version 2026.2 (release B)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from commands import guidesite

from tests.conftest import ROOT, link_node_modules, run_build

# The name deploy/README.md uses: every release arrives under the same file names.
NAME = "back-pain-pathways"
NEXT_VERSION = "2026.2"


@dataclass(frozen=True)
class Packed:
    archive: Path
    manifest: Path
    site: Path


def pack(site: Path, out: Path) -> Packed:
    result = guidesite("pack", "--site-dir", site, "--out", out, "--name", NAME)
    assert result.returncode == 0, result.stderr
    return Packed(out / f"{NAME}.tar.gz", out / f"{NAME}.sha256", site)


@pytest.fixture(scope="session")
def release_a(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Packed:
    return pack(built_site, tmp_path_factory.mktemp("release-a"))


@pytest.fixture(scope="session")
def release_b(tmp_path_factory: pytest.TempPathFactory) -> Packed:
    """A second real build: outside git, so its content version is the declared one."""
    project = tmp_path_factory.mktemp("project-b")
    shutil.copytree(ROOT / "content", project / "content")
    link_node_modules(project)
    config = (ROOT / "mkdocs.yml").read_text()
    assert "\n  - guidesite:\n" in config
    declared = f'\n  - guidesite:\n      version: "{NEXT_VERSION}"\n'
    (project / "mkdocs.yml").write_text(config.replace("\n  - guidesite:\n", declared))
    site = project / "site"
    result = run_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return pack(site, tmp_path_factory.mktemp("release-b"))
