"""A built site must be readable by the web server account that serves a copy of it."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.conftest import ROOT, run_build


def test_built_site_folder_is_world_readable(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    mode = stat.S_IMODE(site.stat().st_mode)
    assert mode & 0o005 == 0o005, f"site folder mode is {oct(mode)}"
