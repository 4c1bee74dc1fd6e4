"""Editing a throwaway project copy and running the CLI on it, for the generator tests."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path


def run_check(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`guidesite check` in `project`, as `run_build` runs `guidesite build`."""
    return run_cli(project, "check", *extra)


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`guidesite <args>` in `project`, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "guidesite.cli", *args],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def replace_key(text: str, key: str, new: str) -> str:
    """Replace a front-matter key with its value (block lists included) by `new`."""
    pattern = re.compile(rf"^{key}:.*\n(?:[ ]+-.*\n|[ ]{{2,}}\S.*\n)*", re.MULTILINE)
    assert pattern.search(text), key
    return pattern.sub(new.replace("\\", "\\\\"), text, count=1)


REVIEWED_BY = ("Dr A Example, consultant in pain medicine", "Dr B Example, spinal surgeon")


def approved(text: str) -> str:
    """A page's text marked approved, by reviewers who have reviewed it (an approved page
    may not list a review still pending)."""
    text = replace_key(text, "status", "status: approved\n")
    return replace_key(text, "reviewers", f"reviewers: {json.dumps(list(REVIEWED_BY))}\n")


def site_fingerprint(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def configure_plugin(project: Path, option: str) -> None:
    """Give the guidesite plugin in the project's mkdocs.yml one `key: value` option."""
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert "\n  - guidesite:\n" in text
    config.write_text(text.replace("\n  - guidesite:\n", f"\n  - guidesite:\n      {option}\n"))
