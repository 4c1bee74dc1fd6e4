"""Which content a site was built from, for the footer of every page.

A printed or saved page must be traceable to its sources: the last git commit that changed
the content directory, marked when the work tree has uncommitted changes there; without
git (an unpacked archive) the `version` declared in mkdocs.yml.
"""

from __future__ import annotations

import datetime
import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.guidesite.version")

LOCAL_CHANGES = "+ local changes"


@dataclass(frozen=True)
class BuildInfo:
    """What the footer shows: the content version (None when unknown) and the build date."""

    version: str | None
    date: datetime.date


def _git(docs_dir: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=docs_dir, capture_output=True, text=True, check=True, timeout=30
    )
    return result.stdout.strip()


def content_version(docs_dir: Path, declared: str | None) -> str | None:
    """Short hash of the last commit touching `docs_dir` (+ local changes), else `declared`."""
    try:
        commit = _git(docs_dir, "log", "-1", "--format=%h", "--", ".")
        dirty = _git(docs_dir, "status", "--porcelain", "--", ".")
    except (OSError, subprocess.SubprocessError):
        # No git, or not a checkout: the declared version is all there is.
        commit, dirty = "", ""
    if not commit:
        if declared is None:
            log.info("Content version unknown: not a git checkout and no 'version' declared")
        return declared
    return f"{commit} {LOCAL_CHANGES}" if dirty else commit
