"""For editors, on every calculator page: the field names and values a `prefill` may use.

Read from the calculator's spec, like the form itself, so the reference cannot drift from
what the build accepts; the example is the calculator's first worked example, which the
calculator's own tests prove valid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
import yaml

from guidesite.kit import Registry
from guidesite.kit.presentation import number_text

TEMPLATE = "calculator/prefill-reference.html"


@dataclass(frozen=True)
class FieldDoc:
    """One prefill key (or a list position, or a field of each entry) and what it accepts."""

    name: str
    label: str
    allowed: str
    parts: tuple[FieldDoc, ...] = ()


def _range(field: Mapping[str, Any]) -> str:
    kind = "a whole number" if field["type"] == "integer" else "a number"
    unit = f", in {field['unit']}" if field.get("unit") else ""
    return f"{kind} from {number_text(field['min'])} to {number_text(field['max'])}{unit}"


def allowed(field: Mapping[str, Any]) -> str:
    """What a field accepts, in the words and YAML values an editor writes."""
    kind = field["type"]
    values = ", ".join(choice["value"] for choice in field.get("choices") or [])
    text = {
        "choice": f"one of: {values}",
        "multi_choice": f"a list of any of: {values}, e.g. [] for none",
        "boolean": "true or false",
        "integer": _range(field) if field.get("min") is not None else "a whole number",
        "number": _range(field) if field.get("min") is not None else "a number",
        "tuple": f"a list of {len(field.get('items') or [])} values, in this order:",
        "records": (
            f"a list of {field.get('min_items') or 0} to {field.get('max_items')} entries, "
            "each with:"
        ),
    }.get(kind, kind)
    return f"{text}, or null if not known" if field.get("nullable") else text


def document(fields: Sequence[Mapping[str, Any]], positions: bool = False) -> list[FieldDoc]:
    return [
        FieldDoc(
            name=f"{index + 1}." if positions else field["name"],
            label=field["label"],
            allowed=allowed(field),
            parts=tuple(
                document(field.get("items") or [], positions=True)
                if field["type"] == "tuple"
                else document(field.get("fields") or [])
            ),
        )
        for index, field in enumerate(fields)
    ]


def example(name: str, spec: Mapping[str, Any]) -> str:
    """A complete block to copy: the first worked example's inputs as the prefill."""
    inputs = spec["examples"][0]["inputs"] if spec["examples"] else {}
    # One line per key, lists in brackets: `{key: value}` in flow style without its braces.
    lines = [
        yaml.safe_dump({key: value}, default_flow_style=True, sort_keys=False, width=1000).strip()[
            1:-1
        ]
        for key, value in inputs.items()
    ]
    indented = "".join(f"      {line}\n" for line in lines)
    return f"/// calculator | {name}\n    prefill:\n{indented}///"


def render(env: jinja2.Environment, registry: Registry, names: Sequence[str]) -> str:
    """The reference for each calculator named (those the page embeds), or ''."""
    docs = []
    for name in names:
        spec = registry.spec(name)
        docs.append(
            {
                "name": name,
                "title": spec["title"],
                "fields": document(spec["inputs"]),
                "example": example(name, spec),
            }
        )
    return env.get_template(TEMPLATE).render(calculators=docs) if docs else ""
