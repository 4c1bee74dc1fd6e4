"""The seeded fuzz script runs as documented and finds nothing at a small count."""

from __future__ import annotations

import subprocess
import sys

from calc_support import ROOT

import calculators


def test_fuzz_script_reports_no_exceptions() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.calculators.fuzz", "--count", "400", "--seed", "7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == calculators.names()
    assert all("exceptions=0 broken=0" in line for line in lines)
