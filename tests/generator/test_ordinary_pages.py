"""Ordinary pages (`kind: page`): a title and text, linked from the footer, checked like any
page, and published by every build since they have no review status."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.generator.projects import run_check

FOOTER = ["Accessibility statement", "Editorial policy"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(), "html.parser")


def test_an_ordinary_page_has_its_title_and_no_guideline_parts(built_site: Path) -> None:
    page = soup(built_site / "editorial-policy.html")
    assert page.select_one("article h1").get_text(strip=True) == "Editorial policy"
    # No question header, audience badge, bottom line, related questions or change list.
    for part in (".gs-page-header", ".bottom-line", ".gs-related", ".gs-changes"):
        assert page.select_one(part) is None, part
    # Linked from the footer, not the menu.
    menu = [a.get_text(strip=True) for a in page.select(".md-nav a")]
    assert not set(FOOTER) & set(menu)


def test_every_page_footer_links_the_ordinary_pages_that_ask_for_it(built_site: Path) -> None:
    for name in ("index.html", "recurrence-after-epidural.html", "calculators/odi.html"):
        links = soup(built_site / name).select(".gs-footer-pages a")
        assert [a.get_text() for a in links] == FOOTER, name


def test_an_ordinary_page_gets_the_checks_that_apply(project_copy: Path) -> None:
    page = project_copy / "content" / "editorial-policy.md"
    text = page.read_text().replace("footer: true", "footer: true\nreviewers: [An editor]")
    text += "\n<script>alert(1)</script>\n\nSee [the contact page](contact.md).\n"
    page.write_text(text)
    result = run_check(project_copy)
    assert result.returncode == 1
    last = len(text.splitlines())
    assert f"content/editorial-policy.md:{last - 2}: <script> is not allowed in a page" in (
        result.stderr
    )
    assert "content/editorial-policy.md:5: 'reviewers' is a key of guideline questions" in (
        result.stderr
    )
    assert f"content/editorial-policy.md:{last}: links to 'contact.md', which is not a page" in (
        result.stderr
    )
