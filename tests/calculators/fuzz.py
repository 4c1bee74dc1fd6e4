"""Seeded fuzzing of `calculators.run` with inputs generated from each calculator's spec().

    python -m tests.calculators.fuzz --count 100000 [--seed 2026]

For each calculator, feeds `count` inputs: valid ones, valid ones with junk at any depth,
wrong shapes (not an object, unknown keys, missing fields) and arbitrary JSON. Prints how
many came back ok, with errors, or raised (or broke the answer contract), and exits 1 if
any did.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import traceback
from collections import Counter
from typing import Any

import calculators

EDGE_NUMBERS = [0, -1, 1, 0.5, -0.0, 1e308, -1e308, 2**53 + 1, 10**30, -(10**30)]
SPECIAL_FLOATS = [float("nan"), float("inf"), float("-inf")]


def junk(rng: random.Random, depth: int = 0) -> Any:
    """Arbitrary JSON-like data, including values JSON itself cannot carry (NaN, huge ints)."""
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([*EDGE_NUMBERS, rng.randint(-1000, 1000)])
    if kind == 3:
        return rng.choice([*SPECIAL_FLOATS, rng.uniform(-1e6, 1e6)])
    if kind == 4:
        return rng.choice(["", "none", "radicular", "morphine", "0", "true", "é" * 50])
    if kind == 5:
        return "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(12)))
    if kind in (6, 7):
        return [junk(rng, depth + 1) for _ in range(rng.randrange(12))]
    return {junk_key(rng): junk(rng, depth + 1) for _ in range(rng.randrange(6))}


def junk_key(rng: random.Random) -> str:
    return rng.choice(["", "items", "drug", "relief", "x" * 300, str(rng.random())])


def valid(rng: random.Random, field: dict[str, Any], junk_rate: float) -> Any:
    """A value the FIELD allows, except that any position may be junk at `junk_rate`."""
    if rng.random() < junk_rate:
        return junk(rng)
    if field["nullable"] and rng.random() < 0.2:
        return None
    kind = field["type"]
    if kind in ("integer", "number"):
        low, high = field["min"], field["max"]
        if kind == "integer":
            return rng.choice([low, high]) if rng.random() < 0.3 else rng.randint(low, high)
        if rng.random() < 0.3:
            # The edges, and the floats just inside them (think 0.1000000000000001).
            return rng.choice([low, high, math.nextafter(low, high), math.nextafter(high, low)])
        value = rng.uniform(low, high)
        return value if rng.random() < 0.3 else min(max(round(value, rng.randrange(5)), low), high)
    if kind == "boolean":
        return rng.random() < 0.5
    values = [choice["value"] for choice in field["choices"] or []]
    if kind == "choice":
        return rng.choice(values)
    if kind == "multi_choice":
        return rng.sample(values, rng.randrange(len(values) + 1))
    if kind == "tuple":
        return [valid(rng, item, junk_rate) for item in field["items"]]
    count = rng.randint(field["min_items"], field["max_items"])
    return [valid_object(rng, field["fields"], junk_rate) for _ in range(count)]


def valid_object(rng: random.Random, fields: list[dict[str, Any]], junk_rate: float) -> Any:
    return {
        field["name"]: valid(rng, field, junk_rate)
        for field in fields
        if field["required"] or rng.random() < 0.5
    }


def generate(rng: random.Random, spec: dict[str, Any]) -> Any:
    """One input in one of five flavours, from perfectly valid to pure noise."""
    flavour = rng.randrange(5)
    if flavour == 4:
        return junk(rng)
    inputs = valid_object(rng, spec["inputs"], (0.0, 0.02, 0.2, 0.0)[flavour])
    if flavour == 3:
        if inputs and rng.random() < 0.5:
            del inputs[rng.choice(list(inputs))]
        else:
            inputs[junk_key(rng)] = junk(rng)
    return inputs


def contract_broken(answer: Any) -> bool:
    """True if the answer is not the promised JSON shape."""
    try:
        json.dumps(answer, allow_nan=False)
    except (TypeError, ValueError):
        return True
    if answer.get("ok") is True:
        return set(answer) != {"ok", "result"}
    return set(answer) != {"ok", "errors"} or not answer["errors"]


def fuzz(name: str, count: int, seed: int) -> tuple[Counter[str], list[str]]:
    rng = random.Random(f"{seed}:{name}")
    spec = calculators.spec(name)
    tally: Counter[str] = Counter()
    failures: list[str] = []
    for _ in range(count):
        inputs = generate(rng, spec)
        try:
            answer = calculators.run(name, inputs)
        except Exception:
            tally["exceptions"] += 1
            failures.append(f"{name} {inputs!r:.300}\n{traceback.format_exc()}")
            continue
        if contract_broken(answer):
            tally["broken"] += 1
            failures.append(f"{name} {inputs!r:.300} -> {answer!r:.300}")
        else:
            tally["ok" if answer["ok"] else "errors"] += 1
    return tally, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs per calculator")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    failures: list[str] = []
    for name in calculators.names():
        tally, found = fuzz(name, args.count, args.seed)
        failures.extend(found)
        print(
            f"{name:12} ok={tally['ok']:>7} errors={tally['errors']:>7} "
            f"exceptions={tally['exceptions']} broken={tally['broken']}"
        )
    for failure in failures[:5]:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
