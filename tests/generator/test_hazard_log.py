"""The clinical safety hazard log: every listed test exists, mistakes are found at their
line, and the site shows it as the Clinical safety page linked from every footer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from guidesite.content import hazards

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "content" / "safety" / "hazard-log.yaml"
HAZARDS, PROBLEMS = hazards.load(LOG, "content/safety/hazard-log.yaml")
# Issues 9 and 26 name these hazards; each must have an entry (matched on words of its title).
REQUIRED = [
    "urgency",
    "elective procedure before an urgent review",
    "injection limit",
    "stale build-time result",
    "invalid input",
    "misread unit",
    "MME conversion factor",
    "outdated page",
    "engine silently failing",
    # Issue 26: the hazards clinical rules versions 3 and 4 close.
    "Metastatic spinal cord compression under-triaged",
    "procedure before the scan",
    "Injecting mild pain",
    "Several procedures at once",
    "Escalating a responder",
    "stimulator outside NICE TA159",
    "Facet denervation for leg pain",
    "epidural before 6 weeks of conservative care",
]


def missing_tests(node_ids: list[str], root: Path = ROOT) -> list[str]:
    """The pytest node ids (path::test or path::Class::test) naming no test in `root`."""
    defined: dict[Path, set[str]] = {}
    missing = []
    for node_id in node_ids:
        path, _, name = node_id.partition("::")
        file = root / path
        if file not in defined:
            defined[file] = _test_names(file) if file.is_file() else set()
        if name not in defined[file]:
            missing.append(node_id)
    return missing


def _test_names(file: Path) -> set[str]:
    """Top-level test functions, and Class::method for test methods of classes."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef)
            }
    return {name for name in names if name.split("::")[-1].startswith("test_")}


def test_the_log_reads_without_mistakes() -> None:
    assert PROBLEMS == []
    assert [hazard.id for hazard in HAZARDS] == [f"H{n:02}" for n in range(1, len(HAZARDS) + 1)]


def test_every_test_the_log_lists_exists() -> None:
    listed = [test for hazard in HAZARDS for test in hazard.tests]
    assert listed
    assert missing_tests(listed) == []


def test_a_test_that_does_not_exist_is_found(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    source = "def test_here():\n    pass\n\n\nclass TestGroup:\n    def test_inside(self):\n"
    (tmp_path / "tests" / "test_x.py").write_text(source + "        pass\n", encoding="utf-8")
    ids = [
        "tests/test_x.py::test_here",
        "tests/test_x.py::TestGroup::test_inside",
        "tests/test_x.py::test_gone",
        "tests/test_y.py::test_here",
    ]
    assert missing_tests(ids, tmp_path) == [
        "tests/test_x.py::test_gone",
        "tests/test_y.py::test_here",
    ]


@pytest.mark.parametrize("words", REQUIRED)
def test_the_log_has_every_hazard_issues_9_and_26_name(words: str) -> None:
    assert any(words.lower() in hazard.title.lower() for hazard in HAZARDS), words


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- id: H01\n  title: x\n", 1, "cause is missing"),
        ("- id: H01\n  title: x\n  causes: y\n", 1, "unknown key 'causes' (did you mean 'cause'?)"),
        ("- id: H1\n", 1, "must look like H01"),
        ("- {}\n- id: H02\n  severity: huge\n", 2, "severity 'huge' must be one of"),
        ("- id: H02\n  likelihood: rare\n", 1, "likelihood 'rare' must be one of"),
        ("- id: H02\n  tests: [test_x]\n", 1, "'test_x' is not a pytest id"),
        ("- id: H02\n", 1, "tests must list the pytest ids"),
        ("[unclosed\n", 2, "not valid YAML"),
        ("id: H01\n", 1, "must be a list of hazards"),
        ("- just text\n", 1, "each hazard must be a mapping"),
    ],
)
def test_mistakes_are_reported_at_their_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "log.yaml"
    path.write_text(text, encoding="utf-8")
    found, problems = hazards.load(path, "log.yaml")
    assert found == [] or all(h.id != "H02" for h in found)
    assert any(p.line == line and message in p.message for p in problems), problems
    assert all(str(p).startswith(f"log.yaml:{p.line}: ") for p in problems)


def test_a_repeated_id_is_a_mistake(tmp_path: Path) -> None:
    entry = (
        "- id: H01\n  title: t\n  cause: c\n  effect: e\n  severity: minor\n"
        "  likelihood: low\n  mitigation: m\n  tests: [tests/test_x.py::test_y]\n"
    )
    path = tmp_path / "log.yaml"
    path.write_text(entry + entry, encoding="utf-8")
    found, problems = hazards.load(path, "log.yaml")
    assert [h.line for h in found] == [1, 9]
    assert [str(p) for p in problems] == ["log.yaml:9: hazard id H01 is used twice"]


def test_no_log_means_no_hazards_and_no_mistakes(tmp_path: Path) -> None:
    assert hazards.load(tmp_path / "absent.yaml", "absent.yaml") == ([], [])


def test_the_clinical_safety_page_shows_every_hazard(built_site: Path) -> None:
    page = BeautifulSoup((built_site / "clinical-safety.html").read_text("utf-8"), "html.parser")
    assert page.select_one("article h1").text == "Clinical safety"
    rows = page.select("article table tbody tr")
    assert [row["id"] for row in rows] == [f"hazard-{hazard.id}" for hazard in HAZARDS]
    for row, hazard in zip(rows, HAZARDS, strict=True):
        text = " ".join(row.get_text(" ").split())
        assert hazard.title in text and " ".join(hazard.mitigation.split()) in text
        assert hazard.severity.capitalize() in text and hazard.likelihood.capitalize() in text
        assert [code.text for code in row.select("code")] == list(hazard.tests)
    assert not (built_site / "safety" / "hazard-log.yaml").exists()


@pytest.mark.parametrize("name", ["index.html", "calculators/next-step.html", "404.html"])
def test_every_footer_links_the_clinical_safety_page(built_site: Path, name: str) -> None:
    page = BeautifulSoup((built_site / name).read_text("utf-8"), "html.parser")
    link = page.select_one("footer .gs-safety-link a")
    assert link is not None and link.text == "Clinical safety"
    assert link["href"].endswith("clinical-safety.html")
