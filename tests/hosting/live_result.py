"""Open the pain-relief calculator page in Chromium and wait for a live result."""

from __future__ import annotations

from typing import Any

import calculators

PAGE = "calculators/pain-relief.html"
READY = "[data-engine-status][data-engine-state=ready]"
RESULT = "form.gs-calculator [data-result]"
INPUTS = {"baseline_nrs": 8, "current_nrs": 2}


def compute(page: Any, base: str, ready_timeout_ms: int = 60_000) -> None:
    """The engine must start, and show what CPython computes for the same inputs."""
    page.goto(base + PAGE)
    page.wait_for_selector(READY, timeout=ready_timeout_ms)
    for name, value in INPUTS.items():
        page.fill(f"input[name={name}]", str(value))
    outcome = calculators.run("pain_relief", INPUTS)
    assert outcome["ok"], outcome
    page.locator(RESULT, has_text=outcome["result"]["interpretation"]).wait_for(timeout=10_000)
