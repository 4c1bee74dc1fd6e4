"""The preview's differential builds against full clean builds of the same content.

Random sequences of an editor's saves (text, title, tags, a citation, a recommendation, a
link, a page added or deleted, a mistake made and fixed) go to one preview, which after its
first build renders again only what each save changed. After every save, a full clean build
of the same content must give the same files, byte for byte, and the same mistakes and
warnings; when the content has a mistake, the preview must still serve the last good site.
Nothing is normalised: SOURCE_DATE_EPOCH fixes the build date (footers, version.json, the
sitemap and its gzip header), the only thing that honestly differs between two builds.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidesite.cli.preview import Report, build_preview, load_preview_config
from guidesite.preview.differential import Differential
from tests.conftest import ROOT, init_site, link_node_modules

URL = "http://127.0.0.1:8000/guidelines/"
# The first five entries of this site's bibliography: each page cites one, four pages all.
ENTRIES = ["@" + e for e in (ROOT / "content/references.bib").read_text().split("\n@")[1:6]]
KEYS = [re.findall(r"^@\w+\{([^,\s]+),", entry)[0] for entry in ENTRIES]
UNKNOWN_KEY = "[@no-such-key]"

PAGE = """---
title: Case {n}
question: What is the next step for case {n}?
audience: clinician
status: under-review
last_updated: 2026-11-22
next_review: 2027-11-22
reviewers: ["Reviewer {n}"]
tags: [group-{group}]
related: [{related}]
summary: >
  Case {n} follows the usual pathway [@{key}].
---

Case {n} is a short page for the differential preview's test [@{key}].

## What to do next

/// recommendation
    id: review-case-{n}
    strength: offer
    certainty: not-graded
Offer a review of case {n} within two weeks [@{key}].
///
"""


def page_path(project: Path, n: int) -> Path:
    return project / "content" / f"case-{n:03d}.md"


def write_page(project: Path, n: int) -> None:
    related = "" if n == 0 else "case-000"
    text = PAGE.format(n=n, group=n % 2, related=related, key=KEYS[n % len(KEYS)])
    page_path(project, n).write_text(text)


def make_project(where: Path, count: int) -> Path:
    """A small site: this site's mkdocs.yml without calculators, `count` pages."""
    project = where / "project"
    (project / "content").mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text()
    config = re.sub(r"\n  - guidesite\.extensions\.calculator_block:\n.*\n", "\n", config)
    (project / "mkdocs.yml").write_text(config)
    (project / "content" / "references.bib").write_text("\n".join(ENTRIES))
    for name in ("abbreviations.txt", "icon.svg"):
        shutil.copyfile(ROOT / "content" / name, project / "content" / name)
    link_node_modules(project)
    for n in range(count):
        write_page(project, n)
    return project


def existing(project: Path) -> list[int]:
    return sorted(int(p.stem.split("-")[1]) for p in (project / "content").glob("case-*.md"))


def edit(project: Path, kind: str, choice: int) -> None:
    """One save by an editor: `kind` of change, `choice` picks the page and the words."""
    numbers = existing(project)
    n = numbers[choice % len(numbers)]
    path = page_path(project, n)
    text = path.read_text()
    if kind == "text":
        text += f"\nA sentence added on save {choice}.\n"
    elif kind == "title":
        text = re.sub(r"^title: .*$", f"title: Case {n} edited {choice}", text, count=1, flags=re.M)
    elif kind == "tags":
        text = re.sub(r"^tags: .*$", f"tags: [group-{choice % 3}]", text, count=1, flags=re.M)
    elif kind == "recommendation":
        text = text.replace("within two weeks", f"within {choice % 5 + 3} weeks")
    elif kind == "citation":
        text += f"\nSee also [@{KEYS[choice % len(KEYS)]}].\n"
    elif kind == "link":
        target = numbers[(choice // 7) % len(numbers)]
        text += f"\nCompare [case {target}](case-{target:03d}.md#what-to-do-next).\n"
    elif kind == "anchor":  # MkDocs warns of it (validation.anchors), a kept page too
        text += f"\nSee [the topics](topics.md#no-part-{choice}).\n"
    elif kind == "add":
        write_page(project, max(numbers) + 1)
        return
    elif kind == "delete":
        if n != 0:  # every other page names case 0 as related
            path.unlink()
        return
    elif kind == "break":
        text += f"\nA claim with a key the bibliography lacks {UNKNOWN_KEY}.\n"
    elif kind == "fix":
        fix_all(project)
        return
    path.write_text(text)


def fix_all(project: Path) -> None:
    """Remove every mistake `edit` can make: unknown keys and links to deleted pages."""
    numbers = existing(project)
    for path in (project / "content").glob("case-*.md"):
        lines = path.read_text().splitlines(keepends=True)
        kept = [
            line
            for line in lines
            if UNKNOWN_KEY not in line
            and all(int(m) in numbers for m in re.findall(r"\(case-(\d+)\.md", line))
        ]
        path.write_text("".join(kept))


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def build(project: Path, served: Path, differential: Differential | None = None) -> Report:
    config = load_preview_config(str(project / "mkdocs.yml"), None, strict=False)
    return build_preview(config, served, URL, differential)


def assert_same_files(preview: dict[str, bytes], full: dict[str, bytes]) -> None:
    assert sorted(preview) == sorted(full)
    differing = [name for name in full if preview[name] != full[name]]
    assert differing == []


EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "text",
                "title",
                "tags",
                "citation",
                "recommendation",
                "link",
                "anchor",
                "add",
                "delete",
                "break",
                "fix",
            ]
        ),
        st.integers(0, 1000),
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_each_save_gives_what_a_full_build_gives(
    edits: list[tuple[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    where = tmp_path_factory.mktemp("differential")
    project = make_project(where, 4)
    served = where / "served" / "site"
    served.mkdir(parents=True)
    differential = Differential()
    assert build(project, served, differential) == build(project, where / "first")
    last_good = site_files(served)
    for step, (kind, choice) in enumerate(edits):
        edit(project, kind, choice)
        preview = build(project, served, differential)
        full_site = where / f"full-{step}" / "site"
        full_site.mkdir(parents=True)
        full = build(project, full_site)
        assert sorted(preview.errors) == sorted(full.errors)
        assert sorted(preview.warnings) == sorted(full.warnings)
        if not full.errors:
            last_good = site_files(full_site)
        assert_same_files(site_files(served), last_good)


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")


def test_a_save_renders_only_the_changed_page_and_what_shows_its_text(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path, 4)
    served = tmp_path / "served"
    served.mkdir()
    differential = Differential()
    assert build(project, served, differential).errors == ()
    before = {p.name: p.stat().st_mtime_ns for p in served.glob("*.html")}
    edit(project, "text", 1)
    assert build(project, served, differential).errors == ()
    after = {p.name: p.stat().st_mtime_ns for p in served.glob("*.html")}
    rewritten = {name for name in after if after[name] != before.get(name)}
    # The dashboard shows what it makes of every page's text; MkDocs renders 404.html always.
    assert rewritten == {"case-001.html", "dashboard.html", "404.html"}
    assert "A sentence added on save 1." in (served / "case-001.html").read_text()


def test_a_save_on_this_site_gives_what_a_full_build_gives(
    project_copy: Path, tmp_path: Path
) -> None:
    """This site, calculators, their FHIR Questionnaires and the hazard log included: a
    save to a guideline page, then to a calculator page, each against a full build."""
    served = tmp_path / "served"
    differential = Differential()
    assert build(project_copy, served, differential).errors == ()
    saves = [
        ("content/recurrence-after-epidural.md", "\nA sentence added on save one.\n"),
        ("content/calculators/pain-relief.md", "\nA sentence added on save two.\n"),
    ]
    for step, (name, added) in enumerate(saves):
        page = project_copy / name
        page.write_text(page.read_text() + added)
        assert build(project_copy, served, differential).errors == ()
        full_site = tmp_path / f"full-{step}"
        assert build(project_copy, full_site).errors == ()
        assert_same_files(site_files(served), site_files(full_site))


def test_a_kept_page_warns_again_of_a_missing_anchor(tmp_path: Path) -> None:
    project = make_project(tmp_path, 4)
    served = tmp_path / "served"
    differential = Differential()
    assert build(project, served, differential).errors == ()
    edit(project, "anchor", 1)
    warned = build(project, served, differential).warnings
    assert any("'#no-part-1'" in warning for warning in warned)
    edit(project, "text", 2)  # case 1 is kept
    assert build(project, served, differential).warnings == warned


def test_a_calculator_removed_from_a_page_unmarks_the_links_of_kept_pages(
    project_copy: Path, tmp_path: Path
) -> None:
    """Pages that link to a calculator page mark those links (calculator_links.py); the
    next-step planner's page links to the pain relief page, whose calculator goes."""
    served = tmp_path / "served"
    differential = Differential()
    assert build(project_copy, served, differential).errors == ()
    planner = served / "calculators" / "next-step.html"
    assert re.search(r'<a data-gs-calculator-link[^>]*href="pain-relief.html"', planner.read_text())
    page = project_copy / "content" / "calculators" / "pain-relief.md"
    text = page.read_text()
    page.write_text(re.sub(r"/// calculator(-rules)? \| pain_relief\n(    .*\n)*///\n", "", text))
    assert build(project_copy, served, differential).errors == ()
    full_site = tmp_path / "full"
    assert build(project_copy, full_site).errors == ()
    assert_same_files(site_files(served), site_files(full_site))
    assert 'href="pain-relief.html"' in planner.read_text()


def test_a_save_in_the_calculators_shows_the_new_code(tmp_path: Path) -> None:
    """Python imports a package once per process and the preview builds in one process: a
    changed calculator is imported again, so its form shows what the new code declares."""
    project = tmp_path / "new-site"
    assert init_site(project).returncode == 0
    served = tmp_path / "served"
    differential = Differential()
    assert build(project, served, differential).errors == ()
    page = served / "adult-bmi.html"
    old, new = "with the band it falls in.", "with its band (changed on save)."
    assert old in page.read_text()
    code = project / "site_calculators" / "bmi.py"
    code.write_text(code.read_text().replace(old, new))
    assert build(project, served, differential).errors == ()
    assert new in page.read_text() and old not in page.read_text()
    full_site = tmp_path / "full"
    assert build(project, full_site).errors == ()
    assert_same_files(site_files(served), site_files(full_site))
