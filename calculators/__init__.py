"""Clinical calculators for back and leg pain, declared with the generator's kit.

`REGISTRY` is what the site's `mkdocs.yml` names (see `guidesite.kit`); the functions below
are its answers, for this package's tests and tools:

    run(name, inputs) -> {"ok": True, "result": {...}} or {"ok": False, "errors": [...]}
    names()           -> every calculator's name
    spec(name)        -> JSON description of inputs, outputs, rules and worked examples
    codes()           -> the next_step vocabulary (code, title, kind, group, strength)

Pure standard-library Python and the kit: the same code runs in pytest, at build time and
in Pyodide.
"""

from __future__ import annotations

from calculators import mme, next_step, odi, pain_relief, start_back
from guidesite.kit import Registry

__all__ = ["CALCULATORS", "REGISTRY", "codes", "names", "run", "spec"]

REGISTRY = Registry(
    (
        next_step.CALCULATOR,
        odi.CALCULATOR,
        start_back.CALCULATOR,
        pain_relief.CALCULATOR,
        mme.CALCULATOR,
    )
)
# Every calculator by name, in the order the site lists them (read-only).
CALCULATORS = REGISTRY.calculators
names = REGISTRY.names
run = REGISTRY.run
spec = REGISTRY.spec


def codes() -> list[dict[str, str | None]]:
    """The next_step vocabulary: every code with its title, kind ("step" or "avoid"), group
    and strength ("offer", "consider", or None for avoid-only codes)."""
    return next_step.vocabulary()
