"""The fuzz run, smaller, through the browser engine itself (Pyodide in Chromium's worker).

The same seeded generator as `tests/calculators/fuzz.py`, limited to inputs that reach the
browser unchanged as JSON (no NaN, no integers past 2**53, which JavaScript cannot hold):
every answer keeps the contract and equals CPython's. (Byte-identical JSON is proven in
tests/engine; here results pass through JavaScript numbers, where 80.0 and 80 are one.)
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import calculators
from tests.calculators.fuzz import contract_broken, generate
from tests.support.static_server import SITE_PREFIX, serve

PER_CALCULATOR = 300
SEED = 2026


def survives_javascript(value: Any) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return abs(value) <= 2**53
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    if isinstance(value, list):
        return all(survives_javascript(item) for item in value)
    return all(survives_javascript(k) and survives_javascript(v) for k, v in value.items())


def fuzz_inputs(name: str) -> list[Any]:
    rng = random.Random(f"{SEED}:browser:{name}")
    spec = calculators.spec(name)
    inputs: list[Any] = []
    while len(inputs) < PER_CALCULATOR:
        candidate = generate(rng, spec)
        if survives_javascript(candidate):
            inputs.append(candidate)
    return inputs


def test_browser_engine_keeps_the_contract_on_fuzzed_inputs(built_site: Path, browser: Any) -> None:
    batches = {name: fuzz_inputs(name) for name in calculators.names()}
    with serve(built_site, SITE_PREFIX) as base:
        page = browser.new_page()
        page.goto(base + "calculators/pain-relief.html")
        answers = page.evaluate(
            """async ([base, batches]) => {
                const { getEngine } = await import(base + "assets/engine/engine-client.js");
                const engine = getEngine();
                const out = {};
                for (const [name, inputs] of Object.entries(batches)) {
                    out[name] = [];
                    for (const input of inputs) out[name].push(await engine.run(name, input));
                }
                return out;
            }""",
            [base, batches],
        )
        page.close()
    tally = {"ok": 0, "errors": 0}
    for name, inputs in batches.items():
        assert len(answers[name]) == len(inputs)
        for sent, answer in zip(inputs, answers[name], strict=True):
            assert not contract_broken(answer), (name, sent, answer)
            assert answer == calculators.run(name, sent), (name, sent)
            tally["ok" if answer["ok"] else "errors"] += 1
    # The generator must exercise both outcomes, or this proves little.
    assert tally["ok"] > 100 and tally["errors"] > 100, tally
