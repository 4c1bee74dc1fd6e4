"""CPython and Pyodide (under Node, from the built site) give byte-identical results."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from engine_cases import Case, all_cases, cpython_results, cpython_views, generated_cases

import calculators

pytestmark = pytest.mark.node

RUNNER = Path(__file__).parent / "pyodide_runner.mjs"


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return all_cases()


def pyodide_results(
    engine_site: Path, mode: str, cases: list[Case], work: Path
) -> tuple[list[str], list[str]]:
    """Each case's run() answer and presentation view, as JSON text from Pyodide."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: the parity tests run Pyodide under Node")
    # A file, not stdin: Pyodide makes Node's stdin non-blocking.
    cases_path = work / "cases.jsonl"
    cases_path.write_text("".join(case.to_json_line() + "\n" for case in cases))
    completed = subprocess.run(
        [node, str(RUNNER), str(engine_site / "assets" / "engine"), mode, str(cases_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = completed.stdout.splitlines()
    return lines[0::2], lines[1::2]


@pytest.mark.parametrize("mode", ["wheel", "snapshot"])
def test_pyodide_results_are_byte_identical(
    engine_site: Path, cases: list[Case], mode: str, tmp_path: Path
):
    results, views = pyodide_results(engine_site, mode, cases, tmp_path)
    for kind, expected, actual in (
        ("results", cpython_results(cases), results),
        ("views", cpython_views(cases), views),
    ):
        assert len(actual) == len(expected)
        mismatches = [
            f"{case.source} {case.name} {json.dumps(case.inputs)}\n  CPython: {want}\n"
            f"  Pyodide: {got}"
            for case, want, got in zip(cases, expected, actual, strict=True)
            if want != got
        ]
        assert not mismatches, f"{len(mismatches)} {kind} differ:\n" + "\n".join(mismatches[:5])


def test_cases_cover_every_calculator_with_valid_and_invalid_inputs(cases: list[Case]):
    generated = [case for case in cases if case.source.startswith("generated:")]
    assert len(generated) >= 1000
    assert generated == generated_cases(), "the generated inputs must not depend on the run"
    assert {case.name for case in generated} >= set(calculators.names())
    assert any(case.source.startswith("shared:") for case in cases)
    assert {case.name for case in cases if case.source.startswith("example:")} == set(
        calculators.names()
    )
    accepted = [json.loads(text)["ok"] for text in cpython_results(generated)]
    share = sum(accepted) / len(accepted)
    assert 0.3 < share < 0.8, f"{share:.0%} of the generated inputs were accepted"
