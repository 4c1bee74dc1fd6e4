"""The generator as a second team gets it: its wheel, built by a standard build frontend,
installed in a fresh virtual environment outside this repository, builds a small site of
its own whose calculator then computes in Pyodide.

Slow (a wheel build, a venv, an install, a site build with its engine snapshot): marked
`install`; `pytest -m "not install"` leaves it out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.install

VERSION = "0.1.0"
SITE_NAME = "Mini Clinic Guide"
MKDOCS_YML = f"""\
site_name: {SITE_NAME}
site_url: http://localhost/mini/
docs_dir: content
theme:
  name: material
plugins:
  - search
  - offline
  - guidesite:
      home_lead: Short answers for a small clinic.
markdown_extensions:
  - guidesite.extensions.calculator_block:
      calculators: mini_calcs
"""
CALCULATORS = """\
from guidesite.kit import Registry
from guidesite.kit.fields import Number
from guidesite.kit.model import Calculator, Example, Output


def compute(values):
    return {"twice": values["x"] * 2}


REGISTRY = Registry(
    [
        Calculator(
            name="double",
            title="Double a number",
            summary="Twice the number given.",
            inputs=(Number(name="x", label="A number", min=0, max=10, required=True),),
            outputs=(Output("twice", "Twice", "The number doubled."),),
            references=(),
            rules=(),
            examples=(Example("Two", {"x": 2}, {"twice": 4}),),
            compute=compute,
        )
    ]
)
"""
PAGE = """\
---
title: Double a number
question: What is twice this number?
audience: clinician
status: under-review
last_updated: 2026-11-22
history:
  - date: 2026-11-22
    change: First version.
next_review: 2027-11-22
reviewers: ["Clinical editor"]
tags: [arithmetic]
related: []
summary: >
  Doubles a number from 0 to 10 [@smith2020].
---

## Calculator

/// calculator | double
///
"""
BIBLIOGRAPHY = """\
@book{smith2020,
  author = {Smith, Jane},
  title = {Arithmetic at the bedside},
  publisher = {Example Press},
  year = {2020},
  kind = {summary}
}
"""


def run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Nothing of this checkout's environment: the venv's own Python and packages only.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
    }
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def write_site(site: Path) -> None:
    (site / "content" / "calculators").mkdir(parents=True)
    (site / "mini_calcs").mkdir()
    (site / "mkdocs.yml").write_text(MKDOCS_YML)
    (site / "mini_calcs" / "__init__.py").write_text(CALCULATORS)
    (site / "content" / "calculators" / "double.md").write_text(PAGE)
    (site / "content" / "references.bib").write_text(BIBLIOGRAPHY)
    # The site's npm packages (what its own `npm ci` would install), with their lock file.
    for npm_file in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / npm_file, site / npm_file)
    (site / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the repository with the generator's wheel, built
    by a standard build frontend from a copy of generator/, installed in it."""
    tmp_path = tmp_path_factory.mktemp("install")
    source = tmp_path / "src"
    leftovers = shutil.ignore_patterns("__pycache__", "*.egg-info")

    def ignored(directory: str, names: list[str]) -> set[str]:
        # A local build's output beside pyproject.toml (guidesite/build/ is package data).
        top = {"build", "dist"} if Path(directory) == ROOT / "generator" else set()
        return set(leftovers(directory, names)) | (top & set(names))

    shutil.copytree(ROOT / "generator", source, ignore=ignored)
    run([sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", source], tmp_path)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert wheel.name == f"guidesite-{VERSION}-py3-none-any.whl"

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path)
    run([venv / "bin" / "pip", "install", "--quiet", wheel], tmp_path)
    return venv


def compute(engine: Path, name: str, inputs: dict[str, object], tmp_path: Path) -> list[str]:
    """`run` and the result view of calculator `name`, computed by Pyodide from the built
    engine as a browser starts it (one JSON line each)."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"name": name, "inputs_json": json.dumps(inputs)}) + "\n")
    runner = ROOT / "tests" / "engine" / "pyodide_runner.mjs"
    return run(["node", runner, engine, "snapshot", cases], tmp_path).stdout.splitlines()


def test_the_wheel_installed_outside_the_repository_builds_a_site_that_computes(
    venv: Path, tmp_path: Path
) -> None:
    imported = run(
        [venv / "bin" / "python", "-c", "import guidesite; print(guidesite.__file__)"], tmp_path
    )
    assert imported.stdout.strip().startswith(str(venv))
    version = run([venv / "bin" / "guidesite", "--version"], tmp_path)
    assert version.stdout.strip() == f"guidesite {VERSION}"

    site = tmp_path / "mini"
    write_site(site)
    run([venv / "bin" / "guidesite", "build"], site)
    built = site / "site"
    assert json.loads((built / "version.json").read_text())["generator_version"] == VERSION
    home = (built / "index.html").read_text()
    assert f"<h1>{SITE_NAME}</h1>" in home and "fonts.googleapis" not in home
    assert not (built / "references.bib").exists()
    engine = built / "assets" / "engine"
    manifest = json.loads((engine / "manifest.json").read_text())
    assert manifest["calculators"] == {"package": "mini_calcs", "site": SITE_NAME}
    assert manifest["snapshot"], "the snapshot step imported and warmed the site's package"

    # The site's calculator, computed by Pyodide from the built engine, as a browser starts it.
    computed = compute(engine, "double", {"x": 3}, tmp_path)
    assert json.loads(computed[0]) == {"ok": True, "result": {"twice": 6}}
    assert json.loads(computed[1])["note"].splitlines()[-1].startswith(f"({SITE_NAME} calculator")


def test_the_installed_wheel_inits_a_site_that_builds_tests_and_computes(
    venv: Path, tmp_path: Path
) -> None:
    title = "Neck Pain Pathways"
    run([venv / "bin" / "guidesite", "init", "neck", "--title", title], tmp_path)
    site = tmp_path / "neck"
    # What the new site's own `npm ci` installs from the package-lock.json init wrote.
    (site / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    run([venv / "bin" / "guidesite", "build"], site)
    engine = site / "site" / "assets" / "engine"
    manifest = json.loads((engine / "manifest.json").read_text())
    assert manifest["calculators"] == {"package": "site_calculators", "site": title}
    computed = compute(engine, "bmi", {"height_cm": 175, "weight_kg": 85, "background": "lower"},
                       tmp_path)  # fmt: skip
    outcome = json.loads(computed[0])
    assert outcome["ok"] and (outcome["result"]["bmi"], outcome["result"]["band"]) == (
        27.8,
        "obesity",
    )
    # The site's own tests, against the installed kit.
    run([venv / "bin" / "pip", "install", "--quiet", "pytest==9.0.3"], tmp_path)
    tested = run([venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], site)
    assert " passed" in tested.stdout and "failed" not in tested.stdout
