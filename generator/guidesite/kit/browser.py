"""What the browser's engine calls: JSON text in, JSON text out.

The worker (guidesite/assets/engine/worker.js, through boot.mjs) imports this module in
Pyodide and calls `load` with the site's calculators package and name (from the engine's
manifest.json); `run_json` and `view_json` then answer for that package. JSON text crosses
the JavaScript/Python boundary, so answers are exactly what CPython's json module writes
and no proxy objects need freeing.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
from dataclasses import dataclass

from guidesite.kit import Registry
from guidesite.kit import load as load_registry
from guidesite.kit.fields import Json
from guidesite.kit.presentation import present


@dataclass(frozen=True)
class _Site:
    package: str
    name: str
    registry: Registry


_site: _Site | None = None


def load(package: str, site: str) -> None:
    """Answer for the calculators package `package` of the site named `site` from now on.

    Called on every start; after a snapshot start the package is already imported, so it
    costs nothing.
    """
    global _site
    if _site is None or (_site.package, _site.name) != (package, site):
        _site = _Site(package, site, load_registry(package))
        _spec.cache_clear()


def _loaded() -> _Site:
    if _site is None:
        raise RuntimeError("the engine called the calculators before load()")
    return _site


@functools.cache
def _spec(name: str) -> dict[str, Json] | None:
    # spec() recomputes its worked examples; the browser asks for a view on every keystroke.
    registry = _loaded().registry
    return registry.spec(name) if name in registry.calculators else None


def run_json(name: str, inputs_json: str, sort_keys: bool = False) -> str:
    """The registry's `run(name, inputs)` as JSON text."""
    return json.dumps(_loaded().registry.run(name, json.loads(inputs_json)), sort_keys=sort_keys)


def view_json(name: str, inputs_json: str, sort_keys: bool = False) -> str:
    """The presentation view of `run(name, inputs)` as JSON text: what the page draws."""
    site = _loaded()
    inputs = json.loads(inputs_json)
    view = present(_spec(name), inputs, site.registry.run(name, inputs), site.name)
    return json.dumps(view, sort_keys=sort_keys)


def warm_up(package: str, site: str) -> None:
    """Load the site's package, import and run everything a view may need, before a memory
    snapshot is taken.

    A snapshot start has no standard library on disk, so every module must be loaded now.
    """
    load(package, site)
    for root in ("guidesite.kit", package):
        for found in pkgutil.walk_packages(importlib.import_module(root).__path__, f"{root}."):
            importlib.import_module(found.name)
    for name in _loaded().registry.names():
        view_json(name, "{}")
        view_json(name, '{"unknown": [1.5, null, "x", {}]}')
        for example in _loaded().registry.spec(name)["examples"]:
            view_json(name, json.dumps(example["inputs"]))
