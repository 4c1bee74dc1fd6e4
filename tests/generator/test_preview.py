"""The preview server's parts without a browser: builds that keep the last good site, and
what it adds to each page (tests/browser/test_live_preview.py drives the whole in Chromium)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.config import load_config

from guidesite.cli import preview
from guidesite.cli.preview import (
    PREVIEW_PATH,
    Report,
    add_banner_and_reload,
    build_preview,
)

PAGE = "content/recurrence-after-epidural.md"
URL = "http://127.0.0.1:8000/guidelines/"


def build(project: Path, served: Path) -> Report:
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=False)
    return build_preview(config, served, URL)


def test_a_failed_build_keeps_the_last_good_site_and_reports_each_mistake(
    project_copy: Path, tmp_path: Path
) -> None:
    served = tmp_path / "preview" / "site"
    served.mkdir(parents=True)
    assert build(project_copy, served) == Report()
    good = (served / "recurrence-after-epidural.html").read_bytes()

    page = project_copy / PAGE
    page.write_text(page.read_text().replace("status: under-review", "status: aproved", 1))
    report = build(project_copy, served)
    line = page.read_text().splitlines().index("status: aproved") + 1
    assert report.errors == (
        f"{PAGE}:{line}: status: must be one of submitted, under-review, approved "
        "(got 'aproved') (did you mean 'approved'?)",
    )
    assert (served / "recurrence-after-epidural.html").read_bytes() == good
    assert sorted(p.name for p in served.parent.iterdir()) == ["site"]  # no staging left


def test_warnings_do_not_stop_the_preview(project_copy: Path, tmp_path: Path) -> None:
    served = tmp_path / "site"
    served.mkdir()
    bib = project_copy / "content/references.bib"
    bib.write_text(bib.read_text() + "\n@misc{new-one,\n  title = {T},\n  kind = {summary},\n}\n")
    report = build(project_copy, served)
    assert report.errors == ()
    assert [w for w in report.warnings if "'new-one' is cited by no page" in w]
    assert (served / "index.html").is_file()


def test_the_first_build_failing_still_serves_a_page_for_the_banner(
    project_copy: Path, tmp_path: Path
) -> None:
    served = tmp_path / "site"
    served.mkdir()
    page = project_copy / PAGE
    page.write_text(page.read_text().replace("\ntitle:", "\ntitle", 1))
    report = build(project_copy, served)
    assert len(report.errors) == 1 and "has no ':' after its key" in report.errors[0]
    head = BeautifulSoup((served / "index.html").read_text(), "html.parser").head
    assert head is not None and head.find("meta", attrs={"http-equiv": True}) is not None


def test_pages_get_the_banner_first_and_an_external_reload_script_last() -> None:
    report = Report(errors=("content/a.md:3: <b>bad</b> & wrong; fix it",))
    html = b'<html><head></head><body class="x"><main>text</main></body></html>'
    body = BeautifulSoup(add_banner_and_reload(html, report, 42), "html.parser").body
    assert body is not None
    children = [c for c in body.children if getattr(c, "name", None)]
    assert [c.name for c in children] == ["link", "section", "main", "script"]
    assert children[1].li.get_text() == "content/a.md:3: <b>bad</b> & wrong; fix it"
    script = children[-1]
    assert script["src"] == f"{PREVIEW_PATH}livereload.js" and not script.string
    assert script["data-build"] == "42"

    body = BeautifulSoup(add_banner_and_reload(html, Report(), 43), "html.parser").body
    assert body is not None and body.select("section, link") == []


def test_the_reload_script_and_banner_style_are_never_published(built_site: Path) -> None:
    published = {p.name for p in built_site.rglob("*")}
    assert not set(preview.PREVIEW_FILES) & published
    assert all("livereload" not in p.read_text() for p in built_site.rglob("*.html"))


def test_the_banner_lists_each_new_kind_of_mistake_at_its_line(
    project_copy: Path, tmp_path: Path
) -> None:
    """Raw HTML left open, a recommendation contradicting its strength and an office file:
    the preview reports each with its file and line, as `guidesite check` does."""
    served = tmp_path / "preview" / "site"
    served.mkdir(parents=True)
    page = project_copy / PAGE
    text = page.read_text()
    text = text.replace("\nDo not offer opioids of any", "\nOffer opioids of any", 1)
    page.write_text(text + '\n<div class="note">\n\nRead [@lee2013] first.\n')
    (project_copy / "content" / "draft.docx").write_bytes(b"PK\x03\x04")
    errors = build(project_copy, served).errors
    lines = page.read_text().splitlines()
    div = lines.index('<div class="note">') + 1
    header = lines.index("Offer opioids of any strength for chronic sciatica [@nice-ng59].")
    while lines[header - 1] != "/// recommendation":
        header -= 1
    assert f"{PAGE}:{div}: <div> is opened here but not closed" in "\n".join(errors)
    assert any(
        e.startswith(f"{PAGE}:{header}: recommendation ")
        and "says 'Offer' but its strength is do-not-offer" in e
        for e in errors
    ), errors
    assert "content/draft.docx:1: 'draft.docx' is an office document" in "\n".join(errors)
    assert not (served / "draft.docx").exists()
