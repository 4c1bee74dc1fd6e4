"""The calculator contract's JSON shapes, declared once so mypy checks both sides.

`Registry.run` answers with an `Outcome`, `Registry.spec` with a `CalculatorSpec`, and
`presentation.present` turns them into a `View`; the generator's templates and the
browser's engine read exactly these keys. These are plain dicts at run time (TypedDicts
only name their keys), so nothing here changes the JSON a calculator writes.

A result's own fields stay `Json`: each calculator declares them through its `Output`s.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

# A JSON value as produced by json.loads (or by Pyodide's conversion of a JS object).
Json = Any

# ---------- what run() answers ----------


class ErrorEntry(TypedDict):
    """One thing wrong with the inputs: the dotted field path (None: the whole request)."""

    field: str | None
    message: str


class Success(TypedDict):
    ok: Literal[True]
    result: dict[str, Json]


class Failure(TypedDict):
    ok: Literal[False]
    errors: list[ErrorEntry]


Outcome = Success | Failure

# ---------- what spec() answers ----------


class CodingSpec(TypedDict):
    """A code from a published code system (LOINC: system "http://loinc.org")."""

    system: str
    code: str
    display: str | None


class OptionSpec(TypedDict):
    value: str
    label: str
    score: int | None  # the points the instrument gives this answer (None: not scored)


class FieldDetails(TypedDict, total=False):
    """The keys a kind of field fills in; `FieldSpec` has them null for the other kinds."""

    min: float | None
    max: float | None
    choices: list[OptionSpec] | None
    items: list[FieldSpec] | None
    fields: list[FieldSpec] | None
    min_items: int | None
    max_items: int | None


class FieldSpec(TypedDict):
    """One input (the FIELD JSON): every key present, the unused ones null."""

    name: str
    type: str
    label: str
    help: str
    unit: str | None
    required: bool
    default: Json
    nullable: bool
    min: float | None
    max: float | None
    choices: list[OptionSpec] | None
    items: list[FieldSpec] | None
    fields: list[FieldSpec] | None
    min_items: int | None
    max_items: int | None
    code: CodingSpec | None  # the instrument's code for this item, where it has one


class OutputSpec(TypedDict):
    name: str
    label: str
    description: str
    unit: str | None


class RuleItemSpec(TypedDict):
    """One item a planning rule adds (a scoring rule adds none)."""

    code: str
    title: str
    strength: str | None
    place: str
    when: str | None
    only_if: str | None
    why: str
    refs: list[str]


class RuleSpec(TypedDict):
    id: str
    number: str | None
    title: str | None
    final: bool
    when: str
    why: str
    refs: list[str]
    steps: list[str]
    later: list[str]
    avoid: list[str]
    items: list[RuleItemSpec]


# "for" is a Python keyword, hence the functional form.
ScopeSpec = TypedDict("ScopeSpec", {"for": str, "not_for": list[str]})


class ExampleSpec(TypedDict):
    title: str
    inputs: dict[str, Json]
    result: dict[str, Json]


class VariableSpec(TypedDict):
    """A named FHIRPath expression over the answers (SDC's `variable`)."""

    name: str
    expression: str


class ScoreSpec(TypedDict):
    """A result field the instrument publishes as a score: its code, its FHIR value type
    and, for a coded score, the code of each of its values."""

    output: str
    code: CodingSpec | None
    type: Literal["decimal", "integer", "coding"]
    expression: str  # FHIRPath giving the result field's value from the answers
    answers: dict[str, CodingSpec]


class InstrumentSpec(TypedDict):
    """A validated questionnaire: its code, owner and terms of use, and its scores."""

    code: CodingSpec | None
    copyright: str
    variables: list[VariableSpec]
    scores: list[ScoreSpec]


class CalculatorSpec(TypedDict):
    name: str
    title: str
    summary: str
    inputs: list[FieldSpec]
    outputs: list[OutputSpec]
    references: list[str]
    examples: list[ExampleSpec]
    rules: list[RuleSpec]
    scope: ScopeSpec | None
    instrument: InstrumentSpec | None


# ---------- what present() answers: the view a page draws ----------


class ViewError(ErrorEntry):
    label: str | None  # the label of the top-level field the error concerns


class ErrorView(TypedDict):
    ok: Literal[False]
    errors: list[ViewError]


class Summary(TypedDict):
    tone: str | None
    label: str
    text: str


class Strength(TypedDict):
    code: str  # "offer" or "consider"
    label: str


class Record(TypedDict):
    """The input to fill in before an item can move on; the form links `text` to it."""

    field: str
    text: str


class ViewItem(TypedDict):
    title: str
    strength: Strength | None
    when: str | None
    record: Record | None
    why: list[str]
    refs: list[str]


class BannerBlock(TypedDict):
    kind: Literal["banner"]
    tone: str
    label: str | None  # None when the text already starts with it
    text: str


class ItemsBlock(TypedDict):
    kind: Literal["items"]
    name: str
    heading: str
    ordered: bool
    items: list[ViewItem]


class TraceRule(TypedDict):
    id: str
    text: str


class TraceBlock(TypedDict):
    kind: Literal["trace"]
    heading: str
    rules: list[TraceRule]


class Table(TypedDict):
    columns: list[str]
    rows: list[list[str]]


class _Row(TypedDict):
    name: str
    label: str


class TextRow(_Row):
    """An output's value in words, with its unit."""

    text: str


class TableRow(_Row):
    """An output that is a list of records."""

    table: Table


ValueRow = TextRow | TableRow


class ValuesBlock(TypedDict):
    kind: Literal["values"]
    rows: list[ValueRow]


class TextBlock(TypedDict):
    kind: Literal["text"]
    name: str
    text: str


Block = BannerBlock | ItemsBlock | TraceBlock | ValuesBlock | TextBlock


class ResultView(TypedDict):
    ok: Literal[True]
    kind: Literal["plan", "scores"]
    summary: Summary
    blocks: list[Block]
    note: str
    # The answers and scores as a FHIR Bundle, for an instrument (else None).
    fhir: dict[str, Json] | None


View = ResultView | ErrorView
