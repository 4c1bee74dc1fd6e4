"""Check a calculator block's prefill against the calculator itself, at build time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidesite.kit import Registry


class PrefillError(ValueError):
    """A prefill that the calculator's `run` rejects; the message says which field and why."""


def check_prefill(registry: Registry, name: str, prefill: Mapping[str, Any]) -> dict[str, Any]:
    """Run the calculator on the prefill; raise when a prefilled field is rejected.

    Errors about fields the editor did not prefill (a required field left for the reader)
    are expected and ignored; errors about prefilled fields, unknown keys included, are not.
    """
    outcome = registry.run(name, dict(prefill))
    if outcome["ok"]:
        return outcome
    bad = [
        error
        for error in outcome["errors"]
        if error["field"] is None or str(error["field"]).split(".")[0] in prefill
    ]
    if bad:
        raise PrefillError(
            "; ".join(f"{error['field'] or name}: {error['message']}" for error in bad)
        )
    return outcome


def initial_values(spec: Mapping[str, Any], prefill: Mapping[str, Any]) -> dict[str, Any]:
    """The values the form starts with: the prefill over each field's default."""
    return {field["name"]: prefill.get(field["name"], field["default"]) for field in spec["inputs"]}
