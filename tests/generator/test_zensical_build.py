"""The real content built with Zensical (pinned in pyproject.toml) after `guidesite prepare`.

Zensical runs the Markdown extensions mkdocs.yml lists but no MkDocs plugin; `prepare`
does the plugin's part (checks, generated pages, engine files). The built-site checks of
the MkDocs build that hold for both renderers are imported and run again here against
the Zensical site (this module's `built_site`); README lists what still differs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import calculators
from guidesite.site import pages
from guidesite.site.prepare import load_config, page_url, prepare
from tests.conftest import link_node_modules
from tests.generator import (
    test_fhir,
    test_fhir_questionnaires,
    test_guideline_metadata,
    test_hazard_log,
    test_prefill_reference,
    test_site,
)
from tests.generator.projects import run_cli, site_fingerprint
from tests.generator.test_editor_mistakes import MISTAKES, break_project
from tests.generator.test_site import CONTENT, GUIDE_PAGES, ROOT, article, soup

# The MkDocs build's checks that hold for both renderers, collected here again and run on
# this module's `built_site`, the Zensical build.
REUSED = {
    test_site: (
        "test_page_header_status_dates_badge_and_disclaimer",
        "test_counterpart_link",
        "test_citations_are_numbered_in_first_use_order_and_resolve",
        "test_related_questions_lead_with_the_explicit_ones",
        "test_home_lists_every_question_grouped_by_topic",
        "test_all_references_lists_every_entry_with_citing_pages",
        "test_topics_list_every_tag",
    ),
    test_guideline_metadata: (
        "test_recommendations_are_numbered_and_listed_at_a_glance_under_the_bottom_line",
        "test_every_page_ends_with_its_changes",
        "test_whats_new_lists_every_change_newest_first_and_home_the_three_latest",
    ),
    test_prefill_reference: (
        "test_each_calculator_page_lists_every_input",
        "test_guideline_pages_that_embed_a_calculator_do_not_carry_it",
    ),
    test_hazard_log: ("test_the_clinical_safety_page_shows_every_hazard",),
    test_fhir: (
        "test_one_valid_plan_definition_per_clinician_page",
        "test_every_recommendation_block_is_an_action",
        "test_the_index_lists_every_resource_and_each_page_links_its_own",
    ),
    test_fhir_questionnaires: (
        "test_one_questionnaire_per_instrument",
        "test_each_is_linked_from_its_page_with_its_version_status_and_licence",
    ),
}
for module, names in REUSED.items():
    globals().update({name: getattr(module, name) for name in names})

STAGING = Path("build") / "zensical"


def copy_project(destination: Path) -> Path:
    destination.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(CONTENT, destination / "content")
    link_node_modules(destination)
    return destination


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content: `guidesite prepare`, then `zensical build` of what it wrote."""
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    prepared = run_cli(project, "prepare")
    assert prepared.returncode == 0, prepared.stderr
    built = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", str(STAGING / "mkdocs.yml")],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return project / STAGING / "site"


def test_every_content_and_generated_page_is_built(built_site: Path) -> None:
    built = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")}
    generated = {page_url(g.src_uri) for g in pages.GENERATED}
    assert len(generated) == 6
    assert {f"{p}.html" for p in GUIDE_PAGES} | generated <= built


@pytest.mark.parametrize("page_id", GUIDE_PAGES)
def test_citations_and_call_outs_are_rendered_not_left_as_text(
    built_site: Path, page_id: str
) -> None:
    page = article(built_site, page_id)
    for code in page.select("code, pre"):
        code.decompose()  # the prefill reference shows blocks to copy
    text = page.get_text()
    assert "[@" not in text
    assert "///" not in text
    source = (CONTENT / f"{page_id}.md").read_text(encoding="utf-8")
    if "[@" in source:
        assert page.select("sup.gs-cite a[href^='#ref-']")
        assert page.select("section.gs-references li[id^='ref-']")
    for kind in ("red-flag", "pitfall", "disagreement"):
        assert len(page.select(f".gs-callout.{kind}")) == source.count(f"\n/// {kind}")


@pytest.mark.parametrize("name", calculators.names())
def test_calculator_blocks_and_the_engine_files(built_site: Path, name: str) -> None:
    page_id = "calculators/" + name.replace("_", "-")
    page = article(built_site, page_id)
    assert page.select_one(f"form.gs-calculator[data-calculator={name}]") is not None
    assert page.select_one(f"#prefill-{name.replace('_', '-')}") is not None
    manifest = json.loads((built_site / "assets/engine/manifest.json").read_text())
    assert (built_site / "assets/engine" / manifest["wheel"]).is_file()
    scripts = [s["src"] for s in soup(built_site, f"{page_id}.html").select("script[src]")]
    assert "../assets/calculators/forms.js" in scripts


def test_the_local_search_polyfill_and_no_outside_host(built_site: Path) -> None:
    for name in ("index.html", "recurrence-after-epidural.html"):
        page = soup(built_site, name)
        sources = [s["src"] for s in page.select("script[src]")]
        assert "./assets/vendor/iframe-worker/shim.js" in sources  # Zensical writes "./"
        fetched = sources + [link["href"] for link in page.select("link[href]")]
        assert not [u for u in fetched if "//" in u and "localhost" not in u], fetched
        assert "./assets/guidesite/site.css" in fetched  # the generator's one stylesheet
    assert "/* assets/calculators/forms.css */" in (
        built_site / "assets/guidesite/site.css"
    ).read_text(encoding="utf-8")


def test_the_dashboard_is_built_but_in_no_menu(built_site: Path) -> None:
    board = soup(built_site, "dashboard.html")
    assert len(board.select("table tbody tr")) >= len(GUIDE_PAGES)
    home = soup(built_site, "index.html")
    assert not home.select("nav a[href$='dashboard.html']")
    titles = {a.get_text(strip=True) for a in home.select("nav.md-nav--primary a")}
    assert {"Topics", "All references", "What's new", "Clinical safety"} <= titles


def test_an_approved_only_preparation_leaves_out_unapproved_pages_and_the_editors_pages(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "project")
    outcome = prepare(project / "mkdocs.yml", tmp_path / "out", approved_only=True, engine=False)
    assert not outcome.failed
    docs = tmp_path / "out" / "docs"
    assert sorted(p.name for p in docs.glob("*.md")) == [
        "accessibility.md",  # ordinary pages have no status: always published
        "editorial-policy.md",
        "index.md",
        "references.md",
        "topics.md",
        "whats-new.md",
    ]  # no guideline page here is approved yet
    assert not (docs / "calculators").exists()
    assert 'class="gs-nothing-published"' in (docs / "index.md").read_text()


def test_an_uncited_entry_warns_and_fails_prepare_in_strict_mode(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    bib = project / "content" / "references.bib"
    bib.write_text(
        bib.read_text() + "\n@misc{never-cited,\n  title = {Unused},\n  kind = {summary},\n}\n"
    )
    line = bib.read_text().splitlines().index("@misc{never-cited,") + 1
    warning = f"content/references.bib:{line}: entry 'never-cited' is cited by no page"

    strict = run_cli(project, "prepare", "--no-engine", "-o", str(tmp_path / "strict"))
    assert strict.returncode != 0
    assert warning in strict.stderr
    assert not (tmp_path / "strict").exists()

    relaxed = run_cli(project, "prepare", "--no-engine", "--no-strict", "-o", str(tmp_path / "ok"))
    assert relaxed.returncode == 0, relaxed.stderr
    assert warning in relaxed.stderr
    assert (tmp_path / "ok" / "docs" / "index.md").is_file()


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_prepare_reports_each_catalogued_mistake_and_writes_nothing(
    tmp_path: Path, name: str
) -> None:
    mistake = MISTAKES[name]
    project = copy_project(tmp_path / "project")
    location = break_project(project, mistake)
    out = tmp_path / "out"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "index.md").write_text("previous")
    before = site_fingerprint(out)
    outcome = prepare(project / "mkdocs.yml", out, engine=False)
    assert outcome.failed
    reported = [str(p) for p in outcome.problems] + outcome.warnings
    assert any(r.startswith(f"{location}{mistake.message}") for r in reported), reported
    assert site_fingerprint(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]


def test_prepare_reads_env_tags_as_mkdocs_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_url: !ENV [GS_TEST_URL, 'http://default/']\nstrict: !ENV GS_TEST_STRICT\n"
    )
    monkeypatch.delenv("GS_TEST_URL", raising=False)
    monkeypatch.setenv("GS_TEST_STRICT", "true")
    assert load_config(config) == {"site_url": "http://default/", "strict": True}
    monkeypatch.setenv("GS_TEST_URL", "http://intranet/guides/")
    assert load_config(config)["site_url"] == "http://intranet/guides/"
