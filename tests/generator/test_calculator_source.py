"""The calculators package a site names in mkdocs.yml: found, imported and checked, or a
mistake at that line of mkdocs.yml."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from guidesite.extensions import calculator_source
from tests.conftest import link_node_modules, run_build
from tests.generator.projects import run_check
from tests.generator.test_install import BIBLIOGRAPHY, CALCULATORS, MKDOCS_YML, PAGE

CONFIG = """\
site_name: Test
markdown_extensions:
  - guidesite.extensions.calculator_block:
      calculators: {package}
"""

CALCULATOR = """\
from guidesite.kit import Registry
from guidesite.kit.fields import Number
from guidesite.kit.model import Calculator, Example, Output

def compute(values):
    {body}

CALCULATOR = Calculator(
    name="double",
    title="Double",
    summary="Twice the number.",
    inputs=({inputs}),
    outputs=(Output("twice", "Twice", "The number doubled."),),
    references=(),
    rules=(),
    examples=(Example("Two", {{"x": 2}}, {{"twice": 4}}),),
    compute=compute,
)
REGISTRY = Registry([CALCULATOR])
"""
NUMBER = 'Number(name="x", label="A number", min=0, max=10, required=True),'
OPTIONAL = 'Number(name="x", label="A number", min=0, max=10),'


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    """A site directory; the packages its tests write are forgotten afterwards."""
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        del sys.modules[name]
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))


def write_site(site: Path, package: str, files: dict[str, str]) -> Path:
    config = site / "mkdocs.yml"
    config.write_text(CONFIG.format(package=package))
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(dedent(text))
    return config


def load(config: Path, package: str) -> calculator_source.Calculators:
    return calculator_source.load(config, {"calculators": package}, "Test")


def test_a_package_beside_mkdocs_yml_is_loaded_for_the_page_and_the_engine(site: Path) -> None:
    body = 'return {"twice": values["x"] * 2}'
    config = write_site(
        site, "dbl_site", {"dbl_site/__init__.py": CALCULATOR.format(body=body, inputs=NUMBER)}
    )
    loaded = load(config, "dbl_site")
    assert loaded.problems == []
    assert loaded.registry.run("double", {"x": 3}) == {"ok": True, "result": {"twice": 6}}
    assert loaded.engine == calculator_source.SiteCalculators("dbl_site", "Test")


def test_no_package_named_means_no_calculators_and_no_engine(site: Path) -> None:
    loaded = calculator_source.load(site / "mkdocs.yml", {}, "Test")
    assert (loaded.registry.names(), loaded.engine, loaded.problems) == ([], None, [])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no calculators package 'dbl_site' can be imported"),
        (
            {"dbl_site/__init__.py": "import no_such_module_here\n"},
            "the calculators package 'dbl_site' does not import: "
            "ModuleNotFoundError: No module named 'no_such_module_here' (",
        ),
        (
            {"dbl_site/__init__.py": "CALCULATORS = []\n"},
            "the calculators package 'dbl_site' has no REGISTRY; give it `REGISTRY = ",
        ),
        (
            {
                "dbl_site/__init__.py": CALCULATOR.format(
                    body='return {"twice": values["x"] * 2}', inputs=""
                )
            },
            "calculator 'double' declares no inputs; give it at least one",
        ),
        (
            {"dbl_site/__init__.py": CALCULATOR.format(body="return 1 / 0", inputs=NUMBER)},
            "calculator 'double': run raises ZeroDivisionError: division by zero "
            "on its worked example 'Two'; fix compute",
        ),
        (
            {
                "dbl_site/__init__.py": CALCULATOR.format(
                    body='return {"twice": values["x"] * 2}', inputs=OPTIONAL
                )
            },
            "calculator 'double': run raises TypeError: unsupported operand type(s) for *: "
            "'NoneType' and 'int' when no input is given yet; make the inputs compute needs "
            "`required=True`, or let compute accept None for them",
        ),
    ],
    ids=["missing", "import-error", "no-registry", "no-inputs", "example-raises", "empty-form"],
)
def test_a_broken_package_is_a_mistake_at_its_line_of_mkdocs_yml(
    site: Path, files: dict[str, str], message: str
) -> None:
    loaded = load(write_site(site, "dbl_site", files), "dbl_site")
    found = [str(problem) for problem in loaded.problems]
    assert found and all(text.startswith("mkdocs.yml:4: ") for text in found)
    assert message in found[0]
    assert (loaded.registry.names(), loaded.engine) == ([], None)


def test_the_import_error_names_the_file_it_came_from(site: Path) -> None:
    config = write_site(
        site, "dbl_site", {"dbl_site/__init__.py": "x = 1\nraise ValueError('bad')\n"}
    )
    (problem,) = load(config, "dbl_site").problems
    assert f"ValueError: bad ({site / 'dbl_site' / '__init__.py'}:2)" in problem.message


def test_a_build_naming_a_missing_package_fails_at_that_line(project_copy: Path) -> None:
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("calculators: calculators", "calculators: nope"))
    line = config.read_text().splitlines().index("      calculators: nope") + 1
    result = run_check(project_copy)
    assert result.returncode != 0
    assert f"mkdocs.yml:{line}: no calculators package 'nope' can be imported" in result.stderr


def test_a_site_without_calculators_ships_no_engine(tmp_path: Path) -> None:
    site = tmp_path / "plain"
    (site / "content").mkdir(parents=True)
    config = MKDOCS_YML.replace("      calculators: mini_calcs\n", "").replace(
        "  - guidesite.extensions.calculator_block:\n", "  - guidesite.extensions.callouts\n"
    )
    (site / "mkdocs.yml").write_text(config)
    page = PAGE.split("## Calculator")[0] + "## Answer\n\nTwice the number.\n"
    (site / "content" / "double.md").write_text(page)
    (site / "content" / "references.bib").write_text(BIBLIOGRAPHY)
    link_node_modules(site)
    result = run_build(site, site / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    published = {p.relative_to(site / "site").as_posix() for p in (site / "site").rglob("*")}
    assert not [p for p in published if p.startswith(("assets/engine", "assets/calculators"))]
    home = (site / "site" / "index.html").read_text()
    assert "forms.js" not in home and "file-guard.js" not in home


def test_calculators_that_fail_in_the_browsers_python_fail_the_build(tmp_path: Path) -> None:
    # pyyaml is installed beside the generator, so the package imports at build time, but the
    # browser's Python has only the standard library and the kit: the snapshot step fails.
    site = tmp_path / "mini"
    (site / "content" / "calculators").mkdir(parents=True)
    (site / "mini_calcs").mkdir()
    (site / "mkdocs.yml").write_text(MKDOCS_YML)
    (site / "mini_calcs" / "__init__.py").write_text("import yaml  # noqa: F401\n" + CALCULATORS)
    (site / "content" / "calculators" / "double.md").write_text(PAGE)
    (site / "content" / "references.bib").write_text(BIBLIOGRAPHY)
    link_node_modules(site)
    result = run_build(site, site / "site")
    assert result.returncode != 0
    assert (
        "the calculators do not run in the browser's Python (Pyodide): mini_calcs/__init__.py:1: "
        "ModuleNotFoundError: No module named 'yaml'; fix that file"
    ) in result.stderr
    assert not (site / "site").exists()
