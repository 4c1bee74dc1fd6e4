"""`guidesite build --approved-only`: only approved pages, and no link to any other page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_build
from tests.generator.projects import (
    approved,
    configure_plugin,
    replace_key,
    run_check,
    site_fingerprint,
)

APPROVED = ("leg-pain-after-spine-surgery", "when-epidurals-do-not-work", "calculators/odi")
# Each is linked from an approved page in a full build: related, counterpart, topics, nav.
LEFT_OUT = ("recurrence-after-epidural", "radicular-pain-not-settling", "calculators/mme")


def approve(project: Path, *page_ids: str) -> None:
    for page_id in page_ids:
        page = project / "content" / f"{page_id}.md"
        page.write_text(approved(page.read_text()))


def switch_on_in_mkdocs_yml(project: Path) -> tuple[str, ...]:
    configure_plugin(project, "approved_only: true")
    return ()


def links_to(site: Path, page_id: str) -> list[str]:
    """Every file of the site that mentions the page's address (links, search, sitemap).

    By file name alone: calculators/odi.html links to its neighbour as plain `mme.html`.
    """
    address = re.compile(rf"(?<![\w-]){re.escape(page_id.rpartition('/')[2])}\.html")
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.suffix in (".html", ".json", ".xml") and address.search(p.read_text())
    )


@pytest.mark.parametrize(
    "switch_on", [lambda _: ("--approved-only",), switch_on_in_mkdocs_yml], ids=["flag", "config"]
)
def test_only_approved_pages_and_no_links_to_the_others(
    project_copy: Path, tmp_path: Path, switch_on: Callable[[Path], tuple[str, ...]]
) -> None:
    approve(project_copy, *APPROVED)
    full = run_build(project_copy, tmp_path / "full")
    assert full.returncode == 0, full.stderr
    assert all(links_to(tmp_path / "full", page_id) for page_id in LEFT_OUT)

    extra = switch_on(project_copy)
    result = run_build(project_copy, tmp_path / "site", *extra)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for page_id in APPROVED:
        assert (site / f"{page_id}.html").is_file()
        assert "index.html" in links_to(site, page_id)
    for page_id in LEFT_OUT:
        assert not (site / f"{page_id}.html").exists()
        assert links_to(site, page_id) == []
    # The approved pages still cite sources, and All references says where.
    assert "references.html" in links_to(site, "leg-pain-after-spine-surgery")
    assert "gs-nothing-published" not in (site / "index.html").read_text()


def test_a_body_link_to_a_left_out_page_fails_the_build(project_copy: Path, tmp_path: Path) -> None:
    approve(project_copy, *APPROVED)
    page = project_copy / "content" / "when-epidurals-do-not-work.md"
    text = page.read_text() + "\nRead [the clinicians' version](recurrence-after-epidural.md).\n"
    page.write_text(text)
    location = f"content/when-epidurals-do-not-work.md:{len(text.splitlines())}: "
    message = (
        "links to 'recurrence-after-epidural.md', which this approved-only build leaves out "
        "(its status is under-review); remove the link or have that page approved first"
    )
    old_site = tmp_path / "site"
    old_site.mkdir()
    (old_site / "index.html").write_text("previous")
    before = site_fingerprint(old_site)

    for result in (
        run_build(project_copy, old_site, "--approved-only"),
        run_check(project_copy, "--approved-only"),
    ):
        assert result.returncode != 0
        assert f"\n{location}{message}" in result.stderr, result.stderr
    assert site_fingerprint(old_site) == before
    # The same link is fine where the page it names is published.
    assert run_check(project_copy).returncode == 0


def test_the_content_builds_approved_only_before_anything_is_approved(
    project_copy: Path, tmp_path: Path
) -> None:
    # The real content, with nothing approved (as it is while under review).
    for page in (project_copy / "content").rglob("*.md"):
        page.write_text(re.sub(r"(?m)^status: .*$", "status: under-review", page.read_text()))
    result = run_build(project_copy, tmp_path / "site", "--approved-only")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    pages = sorted(p.name for p in site.rglob("*.html") if "assets" not in p.parts)
    # The ordinary pages (editorial policy, accessibility) have no status: always published.
    assert pages == [
        "404.html", "accessibility.html", "editorial-policy.html", "index.html",
        "references.html", "topics.html", "whats-new.html",
    ]  # fmt: skip
    for name in ("index.html", "whats-new.html"):
        text = (site / name).read_text()
        assert "No pages are published yet." in text
        assert "none has been approved so far" in text
        assert "gs-changes__list" not in text


def add_change(project: Path, page_id: str, change: str) -> None:
    """A history entry (and last_updated) a day newer than the page's last update."""
    page = project / "content" / f"{page_id}.md"
    text = page.read_text()
    last = re.search(r"(?m)^last_updated: (\S+)$", text)
    assert last is not None, page
    newer = datetime.date.fromisoformat(last.group(1)) + datetime.timedelta(days=1)
    text = replace_key(text, "last_updated", f"last_updated: {newer}\n")
    page.write_text(
        text.replace("history:\n", f"history:\n  - date: {newer}\n    change: {change}\n", 1)
    )


def test_approved_only_shows_only_approved_pages_history(
    project_copy: Path, tmp_path: Path
) -> None:
    approve(project_copy, *APPROVED)
    add_change(project_copy, APPROVED[0], "Approved change to spine surgery page.")
    add_change(project_copy, LEFT_OUT[0], "Unapproved change to the epidural page.")
    full = run_build(project_copy, tmp_path / "full")
    assert full.returncode == 0, full.stderr
    assert "Unapproved change" in (tmp_path / "full" / "whats-new.html").read_text()

    result = run_build(project_copy, tmp_path / "site", "--approved-only")
    assert result.returncode == 0, result.stderr
    for name in ("index.html", "whats-new.html"):
        text = (tmp_path / "site" / name).read_text()
        assert "Approved change to spine surgery page." in text, name
        assert "Unapproved change" not in text, name
    # Older entries of approved pages stay listed (calculators/odi's first version).
    whats_new = (tmp_path / "site" / "whats-new.html").read_text()
    assert "First version of the page and its calculator" in whats_new
