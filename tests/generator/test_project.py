"""`guidesite build`/`check` (the MkDocs plugin) and `guidesite prepare` read a project by
one sequence (guidesite/project.py), so they find the same mistakes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from guidesite.site.pages import RESERVED_NAME
from guidesite.site.prepare import prepare
from tests.conftest import run_build
from tests.generator.projects import run_check
from tests.generator.test_editor_mistakes import NEW_PAGE


def test_a_content_file_named_like_a_theme_asset_fails_both_routes(
    project_copy: Path, tmp_path: Path
) -> None:
    clash = "content/assets/guidesite/site.css"
    (project_copy / clash).parent.mkdir(parents=True)
    (project_copy / clash).write_text("p { color: red; }\n")
    expected = f"{clash}:1: {RESERVED_NAME}"

    checked = run_check(project_copy)
    assert checked.returncode != 0
    assert f"\n{expected}" in checked.stderr, checked.stderr

    outcome = prepare(project_copy / "mkdocs.yml", tmp_path / "out", engine=False)
    assert [str(p) for p in outcome.problems] == [expected]
    assert not (tmp_path / "out").exists()


def test_a_sites_own_stylesheet_comes_after_the_generators_both_routes(
    project_copy: Path, tmp_path: Path
) -> None:
    # So a site restyles the generator's parts with rules of the same specificity.
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_css:\n  - house-style.css\n")
    (project_copy / "content/house-style.css").write_text(".gs-callout { border-width: 0; }\n")

    built = run_build(project_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert sheets[-2:] == ["assets/guidesite/site.css", "house-style.css"]

    outcome = prepare(config, tmp_path / "out", engine=False)
    assert not outcome.problems
    staged = yaml.safe_load((tmp_path / "out/mkdocs.yml").read_text(encoding="utf-8"))
    assert staged["extra_css"] == ["assets/guidesite/site.css", "house-style.css"]


def test_a_page_named_like_a_generated_page_fails_even_when_left_out(
    project_copy: Path, tmp_path: Path
) -> None:
    # Not approved, so an approved-only build leaves it out; its name is still taken.
    (project_copy / "content/topics.md").write_text(NEW_PAGE)
    expected = f"content/topics.md:1: {RESERVED_NAME}"

    checked = run_check(project_copy, "--approved-only")
    assert checked.returncode != 0
    assert f"\n{expected}" in checked.stderr, checked.stderr

    outcome = prepare(
        project_copy / "mkdocs.yml", tmp_path / "out", approved_only=True, engine=False
    )
    assert [str(p) for p in outcome.problems] == [expected]
    assert not (tmp_path / "out").exists()
