"""Run `guidesite` as an administrator does: the real command line, in a child process."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def guidesite(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guidesite.cli", *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
        capture_output=True,
        text=True,
        check=False,
    )


DEPLOY_README = ROOT / "deploy" / "README.md"
DOCUMENTED_ROOT = "/srv/www/back-pain-pathways"


def documented(verb: str, root: Path, archive: Path | None = None) -> list[str]:
    """The `guidesite <verb>` command deploy/README.md gives, for `root` and `archive`.

    The guide may show a command more than once (first install and upgrade): it must be
    the same command each time, so the tests run exactly what administrators read.
    """
    shown = {
        line.strip()
        for line in DEPLOY_README.read_text().splitlines()
        if line.startswith(f"    guidesite {verb} ")
    }
    assert len(shown) == 1, f"deploy/README.md shows `guidesite {verb}` as {shown or 'nothing'}"
    words = shlex.split(shown.pop())[1:]
    files: dict[str, str] = {}
    if archive is not None:
        manifest = archive.with_name(archive.name.replace(".tar.gz", ".sha256"))
        files = {archive.name: str(archive), manifest.name: str(manifest)}
    return [files.get(word) or word.replace(DOCUMENTED_ROOT, str(root), 1) for word in words]
