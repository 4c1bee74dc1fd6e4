"""What the browser's engine calls: JSON text in, JSON text out.

The worker (guidesite/assets/engine/worker.js, through boot.mjs) imports this module in
Pyodide. JSON text crosses the JavaScript/Python boundary, so answers are exactly what
CPython's json module writes and no proxy objects need freeing.
"""

from __future__ import annotations

import importlib
import json
import pkgutil

import calculators
from calculators.presentation import present


def run_json(name: str, inputs_json: str, sort_keys: bool = False) -> str:
    """`calculators.run(name, inputs)` as JSON text."""
    return json.dumps(calculators.run(name, json.loads(inputs_json)), sort_keys=sort_keys)


def view_json(name: str, inputs_json: str, sort_keys: bool = False) -> str:
    """The presentation view of `run(name, inputs)` as JSON text: what the page draws."""
    inputs = json.loads(inputs_json)
    view = present(name, inputs, calculators.run(name, inputs))
    return json.dumps(view, sort_keys=sort_keys)


def warm_up() -> None:
    """Import and run everything a view may need, before a memory snapshot is taken.

    A snapshot start has no standard library on disk, so every module must be loaded now.
    """
    for module in pkgutil.walk_packages(calculators.__path__, "calculators."):
        importlib.import_module(module.name)
    for name in calculators.names():
        view_json(name, "{}")
        view_json(name, '{"unknown": [1.5, null, "x", {}]}')
        for example in calculators.spec(name)["examples"]:
            view_json(name, json.dumps(example["inputs"]))
