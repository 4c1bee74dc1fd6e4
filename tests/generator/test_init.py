"""`guidesite init` and `guidesite new-calculator`: a second team's site, from nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from guidesite.cli.new_site import Refused, write_calculator
from tests.conftest import NEW_SITE_TITLE, ROOT, init_site
from tests.generator.projects import run_check, run_cli

# Words of the back-pain site: none may reach a new site or what it builds.
BACK_PAIN = re.compile(
    r"epidural|radicul|sciatica|lumbar|spinal|spine|back[ -]pain|oswestry|start[ _]back|"
    r"facet|vertebra|next_step|pain_relief|\bmme\b|\bodi\b",
    re.IGNORECASE,
)
# Third-party files published as they are (the Pyodide engine, Workbox, search).
VENDORED = ("node_modules", "site/assets/vendor", "site/assets/javascripts", "pyodide-")


def test_a_new_site_has_the_parts_a_team_starts_from(new_site: Path) -> None:
    written = {p.relative_to(new_site).as_posix() for p in new_site.rglob("*") if p.is_file()}
    assert {
        "README.md",
        "mkdocs.yml",
        "package.json",
        "package-lock.json",
        ".gitignore",
        "content/adult-bmi.md",
        "content/what-bmi-means.md",
        "content/editorial-policy.md",
        "content/accessibility.md",
        "content/references.bib",
        "content/abbreviations.txt",
        "site_calculators/__init__.py",
        "site_calculators/bmi.py",
        "tests/test_bmi.py",
    } <= written
    assert (new_site / "content/abbreviations.txt").read_text() == ""
    assert len(re.findall(r"^@\w+\{", (new_site / "content/references.bib").read_text(), re.M)) == 2
    assert f'site_name: "{NEW_SITE_TITLE}"' in (new_site / "mkdocs.yml").read_text()
    block = re.search(r"```sh\n(.*?)```", (new_site / "README.md").read_text(), re.S)
    assert block is not None
    commands = [line.partition("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["npm ci && guidesite serve", "python -m pytest"]


def test_the_new_site_builds_with_each_part_on_its_pages(new_site: Path) -> None:
    site = new_site / "site"
    clinician = BeautifulSoup((site / "adult-bmi.html").read_text(), "html.parser")
    assert clinician.select_one("form[data-calculator=bmi]") is not None
    assert clinician.select(".gs-callout.red-flag") and clinician.select("[id^=rec-]")
    assert clinician.select("a[href*='references.html#ref-'], a[href^='#ref-']")
    footer = [a.get_text() for a in clinician.select(".gs-footer-pages a")]
    assert footer == ["Accessibility statement", "Editorial policy"]
    home = (site / "index.html").read_text()
    assert NEW_SITE_TITLE in home and "what-bmi-means.html" in home
    assert not (site / "references.bib").exists()


def test_the_new_sites_own_tests_pass(new_site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=new_site,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b\d+ passed\b", result.stdout)


def _texts(directory: Path) -> dict[str, str]:
    """Every file's text under `directory` but the vendored ones; a wheel's by member."""
    found = {}
    for path in sorted(directory.rglob("*")):
        shown = path.relative_to(directory).as_posix()
        if not path.is_file() or any(part in shown for part in VENDORED):
            continue
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                found |= {f"{shown}/{n}": wheel.read(n).decode() for n in wheel.namelist()}
        elif path.suffix in (".md", ".py", ".yml", ".toml", ".bib", ".txt", ".html", ".json",
                             ".xml", ".js", ".mjs", ".css", ".webmanifest"):  # fmt: skip
            found[shown] = path.read_text(encoding="utf-8")
    return found


def test_no_back_pain_word_in_the_new_site_or_what_it_builds(new_site: Path) -> None:
    texts = _texts(new_site)
    assert "site/index.html" in texts and any(name.endswith(".whl/site_calculators/bmi.py")
                                              for name in texts)  # fmt: skip
    found = {
        name: sorted({m.group(0).lower() for m in BACK_PAIN.finditer(text)})
        for name, text in texts.items()
        if BACK_PAIN.search(text)
    }
    assert found == {}


def test_init_refuses_a_non_empty_directory_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "neck"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run_cli(tmp_path, "init", "neck", "--title", NEW_SITE_TITLE)
    assert result.returncode == 1
    assert "neck is not empty; guidesite init writes only into a new or empty directory" in (
        result.stderr
    )
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_a_missing_calculators_package_fails_at_its_line_in_mkdocs_yml(tmp_path: Path) -> None:
    directory = tmp_path / "neck"
    assert init_site(directory).returncode == 0
    config = directory / "mkdocs.yml"
    text = config.read_text().replace("calculators: site_calculators", "calculators: neck_calcs")
    config.write_text(text)
    line = next(n for n, written in enumerate(text.splitlines(), 1) if "neck_calcs" in written)
    result = run_check(directory)
    assert result.returncode == 1
    assert re.search(rf"mkdocs\.yml:{line}: .*'neck_calcs'", result.stderr), result.stderr


def test_new_calculator_adds_a_module_its_registration_and_a_failing_test(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "neck"
    assert init_site(directory).returncode == 0
    added = run_cli(directory, "new-calculator", "neck_score")
    assert added.returncode == 0, added.stderr
    registry = (directory / "site_calculators/__init__.py").read_text()
    assert "from site_calculators import bmi, neck_score\n" in registry
    assert "REGISTRY = Registry((bmi.CALCULATOR, neck_score.CALCULATOR))\n" in registry

    def site_tests(*names: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *names],
            cwd=directory,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            check=False,
        )

    unfinished = site_tests("tests/test_neck_score.py")
    assert unfinished.returncode == 1 and "2 failed" in unfinished.stdout, unfinished.stdout
    assert site_tests("tests/test_bmi.py").returncode == 0

    again = run_cli(directory, "new-calculator", "neck_score")
    assert again.returncode == 1 and "neck_score.py already exists" in again.stderr
    for bad in ("Neck-Score", "class", "2nd"):
        refused = run_cli(directory, "new-calculator", bad)
        assert refused.returncode == 1 and "cannot name a calculator" in refused.stderr, bad


@pytest.mark.parametrize("title", ["", "   "])
def test_init_wants_a_title(tmp_path: Path, title: str) -> None:
    result = run_cli(tmp_path, "init", "neck", "--title", title)
    assert result.returncode == 1 and "give the site a title" in result.stderr
    assert not (tmp_path / "neck").exists()


def test_new_calculator_refuses_a_registry_it_cannot_read_and_writes_nothing(
    tmp_path: Path,
) -> None:
    package = tmp_path / "calcs"
    package.mkdir()
    (package / "__init__.py").write_text("REGISTRY = build_registry()\n")
    with pytest.raises(Refused, match="add the calculator there by hand"):
        write_calculator("calcs", package, tmp_path / "tests", "neck_score")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "calcs",
        "calcs/__init__.py",
    ]


def test_a_long_registry_is_written_one_calculator_a_line(tmp_path: Path) -> None:
    package = tmp_path / "site_calculators"
    package.mkdir()
    names = [f"calculator_number_{n}" for n in range(6)]
    (package / "__init__.py").write_text(
        "from guidesite.kit import Registry\n"
        f"from site_calculators import {', '.join(names)}\n\n"
        f"REGISTRY = Registry(({', '.join(f'{n}.CALCULATOR' for n in names)}))\n"
    )
    write_calculator("site_calculators", package, tmp_path / "tests", "neck_score")
    text = (package / "__init__.py").read_text()
    listed = "".join(f"        {n}.CALCULATOR,\n" for n in [*names, "neck_score"])
    assert text.endswith(f"REGISTRY = Registry(\n    (\n{listed}    )\n)\n")
    assert "from site_calculators import (\n    calculator_number_0,\n" in text
    assert "    neck_score,\n)\n" in text


def test_a_new_sites_npm_files_pin_what_this_site_pins() -> None:
    skeleton = ROOT / "generator" / "guidesite" / "skeletons" / "site"
    ours, theirs = (json.loads((d / "package.json").read_text()) for d in (ROOT, skeleton))
    assert theirs["dependencies"] == ours["dependencies"]
    locked = [
        json.loads((d / "package-lock.json").read_text())["packages"] for d in (ROOT, skeleton)
    ]
    shared = locked[1].keys() - {""}
    assert shared <= locked[0].keys()
    assert {p: locked[1][p]["version"] for p in shared} == {
        p: locked[0][p]["version"] for p in shared
    }
