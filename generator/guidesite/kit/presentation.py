"""What the reader sees of a calculator result, described once as plain JSON.

`present(spec, inputs, outcome, site)` turns what `run()` returned (a result or the error
envelope) into a view: blocks to draw in order, a compact summary and the copy-to-note
text. The build's Jinja template and the browser's renderer are thin loops over it, and
the browser gets it from the engine (Pyodide runs this module), so both draw the same
words, numbers and units from one place.

A view is a `contract.View`: an `ErrorView` (each error with its field's label) or a
`ResultView`, whose blocks (banner, items, trace, values, text) `contract` declares. For a
calculator that declares an instrument, a result's view also carries its FHIR Bundle
(guidesite/kit/fhir.py), which the page's "Copy as FHIR" and "Download FHIR" hand on.

The note ends with NOTE_DATE, which the browser replaces with the day the reader copies it.
Pure standard library and deterministic: the same arguments give the same JSON everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guidesite.kit import fhir
from guidesite.kit.contract import (
    Block,
    CalculatorSpec,
    ErrorEntry,
    FieldSpec,
    ItemsBlock,
    Json,
    Outcome,
    Summary,
    Table,
    TextRow,
    ValueRow,
    View,
    ViewError,
    ViewItem,
)

NOTE_DATE = "{today}"

# A plan's result lists, in reading order: (result key, heading, ordered list?).
PLAN_SECTIONS = (
    ("steps", "Do now", True),
    ("later", "If this does not work", True),
    ("avoid", "Avoid for now", False),
)
TRACE_HEADING = "Why: the rules that applied, in order"
# A later item held back by a missing input links to that input's field with these words.
RECORD_TEXT = "Fill in “{label}” in the form"
STRENGTH_LABELS = {"offer": "Offer", "consider": "Consider"}
# An output shown in words below the values rather than as a row.
INTERPRETATION = "interpretation"


def note_end(site: str) -> str:
    """The last line of every copied note: where it came from, and what it is not."""
    return f"({site} calculator, {NOTE_DATE}; decision support only: verify against the sources.)"


def present(spec: CalculatorSpec | None, inputs: Json, outcome: Outcome, site: str) -> View:
    """The view of `outcome`, which `run(name, inputs)` returned for the calculator `spec`
    describes (None for a name no calculator has); `site` names the site in the note."""
    if not outcome["ok"]:
        return {"ok": False, "errors": _errors(spec, outcome["errors"])}
    assert spec is not None, "only a known calculator computes a result"
    result = outcome["result"]
    plan = "steps" in result
    summary, blocks, result_lines = (_plan if plan else _scores)(spec, result)
    note = [spec["title"], *_input_lines(spec, inputs), "Result:", *result_lines, note_end(site)]
    return {
        "ok": True,
        "kind": "plan" if plan else "scores",
        "summary": summary,
        "blocks": blocks,
        "note": "\n".join(note),
        "fhir": fhir.response_bundle(spec, inputs, result, site) if spec["instrument"] else None,
    }


def _errors(spec: CalculatorSpec | None, errors: Sequence[ErrorEntry]) -> list[ViewError]:
    """The envelope's errors, each with the label of the top-level field it concerns."""
    fields = spec["inputs"] if spec is not None else []
    labels = {field["name"]: field["label"] for field in fields}
    return [
        {
            "field": error["field"],
            "message": error["message"],
            "label": labels.get(error["field"].split(".")[0]) if error["field"] else None,
        }
        for error in errors
    ]


# ---------- words for values ----------


def number_text(value: object) -> str:
    """A number as a reader writes it: 32.0 -> "32", 66.7 -> "66.7"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def code_words(code: object) -> str:
    """A result code as words: `bed_bound` -> `bed bound`, `50_to_89` -> `50 to 89`."""
    return str(code).replace("_", " ").replace("-", " ")


def value_text(value: Json, field: FieldSpec) -> str:
    """An input value in words, as the form offered it."""
    if value is None:
        return "not answered"
    kind = field["type"]
    if kind == "boolean":
        return "yes" if value else "no"
    if kind in ("choice", "multi_choice"):
        labels = {choice["value"]: choice["label"] for choice in field["choices"] or ()}
        values = value if kind == "multi_choice" else [value]
        return "; ".join(labels.get(v, str(v)) for v in values) or "none"
    if kind == "tuple":
        return ", ".join(
            value_text(v, item) for v, item in zip(value, field["items"] or (), strict=True)
        )
    if kind == "records":
        return "; ".join(
            ", ".join(value_text(row.get(sub["name"]), sub) for sub in field["fields"] or ())
            for row in value
        )
    return _with_unit(number_text(value), field.get("unit"))


def _with_unit(text: str, unit: str | None) -> str:
    return f"{text} {unit}" if unit else text


def input_rows(spec: CalculatorSpec, inputs: Json) -> list[dict[str, str]]:
    """Label and value in words of each input given, in the spec's order."""
    given = inputs if isinstance(inputs, Mapping) else {}
    return [
        {"label": field["label"], "text": value_text(given[field["name"]], field)}
        for field in spec["inputs"]
        if field["name"] in given
    ]


def _input_lines(spec: CalculatorSpec, inputs: Json) -> list[str]:
    return [f"- {row['label']}: {row['text']}" for row in input_rows(spec, inputs)]


# ---------- a plan: steps, later, avoid ----------


def _plan(
    spec: CalculatorSpec, result: Mapping[str, Json]
) -> tuple[Summary, list[Block], list[str]]:
    urgency = result["urgency"]
    label = code_words(urgency).capitalize()
    headline = result["headline"]
    blocks: list[Block] = [
        {
            "kind": "banner",
            "tone": urgency,
            # Left out when the headline already starts with the urgency.
            "label": None if headline.lower().startswith(label.lower()) else label,
            "text": headline,
        }
    ]
    lines = [f"{label.upper()}: {headline}"]
    labels = {field["name"]: field["label"] for field in spec["inputs"]}
    for key, heading, ordered in PLAN_SECTIONS:
        entries = result.get(key) or []
        if not entries:
            continue
        items = [_plan_item(entry, labels) for entry in entries]
        section: ItemsBlock = {
            "kind": "items",
            "name": key,
            "heading": heading,
            "ordered": ordered,
            "items": items,
        }
        blocks.append(section)
        lines.append(f"{heading}:")
        lines += [
            f"{f'{number}.' if ordered else '-'} {_item_line(item)}"
            for number, item in enumerate(items, start=1)
        ]
    rules = {rule["id"]: rule["when"] for rule in spec["rules"]}
    blocks.append(
        {
            "kind": "trace",
            "heading": TRACE_HEADING,
            "rules": [{"id": rule, "text": rules.get(rule, "")} for rule in result["trace"]],
        }
    )
    lines.append(f"Rules applied: {', '.join(result['trace'])}")
    steps = result["steps"]
    summary: Summary = {
        "tone": urgency,
        "label": label,
        "text": steps[0]["title"] if steps else headline,
    }
    return summary, blocks, lines


def _plan_item(entry: Mapping[str, Json], labels: Mapping[str, str]) -> ViewItem:
    strength = entry.get("strength")
    field = entry.get("record")
    return {
        "title": entry["title"],
        "strength": (
            {"code": strength, "label": STRENGTH_LABELS.get(strength, code_words(strength))}
            if strength
            else None
        ),
        # A whole sentence that names its condition ("If …", "After …").
        "when": entry.get("when"),
        "record": (
            {"field": field, "text": RECORD_TEXT.format(label=labels.get(field, field))}
            if field
            else None
        ),
        "why": list(entry["why"]),
        "refs": list(entry["refs"]),
    }


def _item_line(item: ViewItem) -> str:
    strength = f"{item['strength']['label']}: " if item["strength"] else ""
    when = f" — {item['when']}" if item["when"] else ""
    return f"{strength}{item['title']}{when}"


# ---------- scores: values with labels and units ----------


def _scores(
    spec: CalculatorSpec, result: Mapping[str, Json]
) -> tuple[Summary, list[Block], list[str]]:
    rows: list[ValueRow] = []
    texts: list[TextRow] = []
    bands: list[TextRow] = []  # rows whose value is a code: a band or a category
    lines = []
    for output in spec["outputs"]:
        value = result.get(output["name"])
        if output["name"] == INTERPRETATION or value is None:
            continue
        if isinstance(value, list):
            table = _table(value)
            text = "; ".join(" ".join(cells) for cells in table["rows"])
            rows.append({"name": output["name"], "label": output["label"], "table": table})
        else:
            text = _with_unit(
                code_words(value) if isinstance(value, str) else number_text(value),
                output["unit"],
            )
            row: TextRow = {"name": output["name"], "label": output["label"], "text": text}
            if isinstance(value, str):
                bands.append(row)
            texts.append(row)
            rows.append(row)
        lines.append(f"{output['label']}: {text}")
    blocks: list[Block] = [{"kind": "values", "rows": rows}]
    interpretation = result.get(INTERPRETATION)
    if interpretation:
        blocks.append({"kind": "text", "name": INTERPRETATION, "text": interpretation})
        lines.append(interpretation)
    score = texts[0]
    text = (
        score["text"] if not bands else f"{score['text']} · {bands[0]['label']}: {bands[0]['text']}"
    )
    return {"tone": None, "label": score["label"], "text": text}, blocks, lines


def _table(records: Sequence[Mapping[str, Json]]) -> Table:
    columns = list(records[0]) if records else []
    return {
        "columns": [code_words(column) for column in columns],
        "rows": [[number_text(record[column]) for column in columns] for record in records],
    }
