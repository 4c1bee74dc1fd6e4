"""Each mistake an editor may make fails `guidesite build` and `guidesite check` with
`path:line: what is wrong, how to fix`, and leaves an existing site exactly as it was."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_build

PAGE = "content/recurrence-after-epidural.md"
BIB = "content/references.bib"


def run_check(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`guidesite check` in `project`, as `run_build` runs `guidesite build`."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", *extra],
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


@dataclass(frozen=True)
class Mistake:
    file: str
    change: Callable[[str], str]
    marker: str  # the expected line is the first line containing this; "" means line 1
    message: str


MISTAKES = {
    "unknown citation key": Mistake(
        PAGE, lambda t: t + "\nA new claim [@no-such-source].\n", "[@no-such-source]",
        "unknown citation key 'no-such-source'",
    ),
    "unknown citation key in the summary": Mistake(
        PAGE, lambda t: t.replace("summary: >\n", "summary: >\n  Claim [@not-in-bib].\n", 1),
        "summary: >", "unknown citation key 'not-in-bib'",
    ),
    "malformed BibTeX": Mistake(
        BIB, lambda t: t + "\n@article{broken-entry,\n  title = {Unclosed,\n  kind = {research},\n",
        "@article{broken-entry", "BibTeX is malformed in entry 'broken-entry'",
    ),
    "bibliography entry without a kind": Mistake(
        BIB, lambda t: t + "\n@misc{no-kind-entry,\n  title = {Something},\n}\n",
        "@misc{no-kind-entry", "entry 'no-kind-entry' has no kind",
    ),
    "front matter that is not YAML": Mistake(
        PAGE, lambda t: replace_key(t, "title", "title: Broken: colon\n"), "title: Broken",
        "front matter is not valid YAML",
    ),
    "missing front-matter key": Mistake(
        PAGE, lambda t: replace_key(t, "question", ""), "", "front matter has no 'question'",
    ),
    "unknown front-matter key": Mistake(
        PAGE, lambda t: t.replace("---\n", "---\nauthor: Somebody\n", 1), "author: Somebody",
        "unknown front-matter key 'author'",
    ),
    "bad date": Mistake(
        PAGE, lambda t: replace_key(t, "last_updated", "last_updated: 2026-02-30\n"),
        "last_updated: 2026-02-30", "last_updated: must be a real date written YYYY-MM-DD",
    ),
    "wrong type": Mistake(
        PAGE, lambda t: replace_key(t, "reviewers", "reviewers: one person\n"),
        "reviewers: one person", "reviewers: must be a list",
    ),
    "related names no page": Mistake(
        PAGE, lambda t: replace_key(t, "related", "related: [no-such-page]\n"),
        "related: [no-such-page]", "related names no page: 'no-such-page'",
    ),
    "counterpart names no page": Mistake(
        PAGE, lambda t: replace_key(t, "counterpart", "counterpart: no-such-page\n"),
        "counterpart: no-such-page", "counterpart names no page: 'no-such-page'",
    ),
    "unknown tag format": Mistake(
        PAGE, lambda t: replace_key(t, "tags", "tags: [Radicular_Pain]\n"),
        "tags: [Radicular_Pain]", "tags: 'Radicular_Pain' has an unknown format",
    ),
    "unclosed call-out": Mistake(
        PAGE, lambda t: t + "\n/// pitfall | Never closed\nSome text.\n",
        "/// pitfall | Never closed", "'/// pitfall' is never closed",
    ),
    "call-out with bad options": Mistake(
        PAGE, lambda t: t + "\n/// red-flag | Bad options\n    colour: red\nText.\n///\n",
        "/// red-flag | Bad options", "'/// red-flag': unknown option 'colour'",
    ),
}  # fmt: skip


def site_fingerprint(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    """A previous site that a failed build must not touch."""
    site = tmp_path / "out" / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<p>previous build</p>")
    (site / "assets" / "x.css").write_bytes(b"\x00previous")
    return site


def break_project(project: Path, mistake: Mistake) -> str:
    """Apply the mistake; return the `path:line:` the report must start with."""
    path = project / mistake.file
    text = mistake.change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = next(n for n, s in enumerate(lines, 1) if mistake.marker in s) if mistake.marker else 1
    return f"{mistake.file}:{line}: "


@pytest.mark.parametrize("name", MISTAKES)
def test_build_fails_with_location_and_keeps_the_old_site(
    project_copy: Path, old_site: Path, name: str
) -> None:
    mistake = MISTAKES[name]
    location = break_project(project_copy, mistake)
    before = site_fingerprint(old_site)
    result = run_build(project_copy, old_site)
    assert result.returncode != 0
    assert f"\n{location}{mistake.message}" in result.stderr, result.stderr
    assert site_fingerprint(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("name", MISTAKES)
def test_check_fails_with_location_and_writes_nothing(project_copy: Path, name: str) -> None:
    mistake = MISTAKES[name]
    location = break_project(project_copy, mistake)
    before = sorted(p.relative_to(project_copy) for p in project_copy.rglob("*"))
    result = run_check(project_copy)
    assert result.returncode != 0
    assert f"\n{location}{mistake.message}" in result.stderr, result.stderr
    assert sorted(p.relative_to(project_copy) for p in project_copy.rglob("*")) == before


def test_mistakes_in_several_files_are_reported_together(project_copy: Path) -> None:
    locations = [break_project(project_copy, MISTAKES[n]) for n in ("bad date", "malformed BibTeX")]
    result = run_check(project_copy)
    assert result.returncode != 0
    assert "2 content errors:" in result.stderr
    assert all(location in result.stderr for location in locations)


def test_unused_entries_warn_and_strict_mode_makes_them_fail(
    project_copy: Path, tmp_path: Path
) -> None:
    bib = project_copy / BIB
    bib.write_text(
        bib.read_text() + "\n@misc{never-cited,\n  title = {Unused},\n  kind = {summary},\n}\n"
    )
    line = bib.read_text().splitlines().index("@misc{never-cited,") + 1
    warning = f"{BIB}:{line}: entry 'never-cited' is cited by no page"

    relaxed = run_build(project_copy, tmp_path / "relaxed", "--no-strict")
    assert relaxed.returncode == 0, relaxed.stderr
    assert warning in relaxed.stderr
    assert (tmp_path / "relaxed" / "index.html").is_file()

    strict = run_build(project_copy, tmp_path / "strict", "--strict")
    assert strict.returncode != 0
    assert warning in strict.stderr
    assert not (tmp_path / "strict").exists()

    assert run_check(project_copy, "--no-strict").returncode == 0
    assert run_check(project_copy, "--strict").returncode != 0


def test_overdue_review_is_flagged(project_copy: Path, tmp_path: Path) -> None:
    page = project_copy / PAGE
    text = replace_key(page.read_text(), "last_updated", "last_updated: 2020-01-01\n")
    page.write_text(replace_key(text, "next_review", "next_review: 2020-06-01\n"))
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "recurrence-after-epidural.html").read_text()
    assert '<strong class="gs-overdue">Review overdue</strong>' in html


def test_a_good_build_replaces_the_old_site(project_copy: Path, old_site: Path) -> None:
    result = run_build(project_copy, old_site)
    assert result.returncode == 0, result.stderr
    assert "previous build" not in (old_site / "index.html").read_text()
    assert not (old_site / "assets" / "x.css").exists()
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]


def test_check_passes_on_the_real_content() -> None:
    result = run_check(Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert "No problems found." in result.stderr
