"""Front matter of content pages: the declared schema, parsing with line numbers, checks.

A page is of one kind (`kind:`): a guideline question (the default; a calculator's page is
a question page in `calculators/`), or an ordinary page (`kind: page`: editorial policy,
about, accessibility statement, contact) that needs only a title. Every key is declared
once, in its kind's table or in `THEME_FIELDS` (Material's own page keys, for any page);
unknown keys, missing keys and wrong types become `Problem` values at the line of the
offending key (or list item), counted in the .md file.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml

from guidesite.build_time import build_date
from guidesite.content.problems import Problem, did_you_mean
from guidesite.content.prose import sentences
from guidesite.vocabularies import APPROVED, AUDIENCE_NAMES, STATUS_NAMES

# The same delimiters MkDocs accepts, so both agree on where the body starts.
FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
TAG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_SUMMARY_SENTENCES = 3
# No date in a page is further ahead than this (next_review is at most a few years out).
MAX_YEARS_AHEAD = 3
# Words that say a reviewer is not one yet ("Consultant (review pending)", "TBC").
NOT_YET_REVIEWED_RE = re.compile(r"\b(?:pending|tbc|tbd|to be confirmed|fill in)\b", re.IGNORECASE)
# The YAML text starts on line 2 of the file, after the opening `---`.
FIRST_YAML_LINE = 2


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is our error with a line, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Invalid(ValueError):
    """A value does not fit its field; `line` points at the list item when there is one."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _text(value: Any, node: yaml.Node) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("must be non-empty text")
    return value.strip()


def _choice(choices: tuple[str, ...]) -> Callable[[Any, yaml.Node], str]:
    def check(value: Any, node: yaml.Node) -> str:
        if value not in choices:
            raise Invalid(
                f"must be one of {', '.join(choices)} (got {value!r}){did_you_mean(value, choices)}"
            )
        return str(value)

    return check


def _date(value: Any, node: yaml.Node) -> datetime.date:
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            date = datetime.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            today = build_date()
            if (date.year, date.month, date.day) > (
                today.year + MAX_YEARS_AHEAD,
                today.month,
                today.day,
            ):
                raise Invalid(
                    f"{value} is more than {MAX_YEARS_AHEAD} years ahead; check the year for a typo"
                )
            return date
    raise Invalid(f"must be a real date written YYYY-MM-DD (got {value!r})")


def _summary(value: Any, node: yaml.Node) -> str:
    text = _text(value, node)
    count = len(sentences(text))
    if count > MAX_SUMMARY_SENTENCES:
        raise Invalid(
            f"has {count} sentences; the bottom line is 1 to {MAX_SUMMARY_SENTENCES} "
            "sentences, so move the detail into the body"
        )
    return text


def _list_of(item: Callable[[Any], str]) -> Callable[[Any, yaml.Node], tuple[str, ...]]:
    def check(value: Any, node: yaml.Node) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise Invalid("must be a list, e.g. [first, second]")
        checked = []
        for entry, entry_node in zip(value, node.value, strict=True):
            try:
                checked.append(item(entry))
            except Invalid as error:
                raise Invalid(str(error), _line(entry_node)) from None
        return tuple(checked)

    return check


def _list_text(entry: Any) -> str:
    if not isinstance(entry, str) or not entry.strip():
        raise Invalid("every entry must be non-empty text")
    return entry.strip()


def _tag(entry: Any) -> str:
    if not isinstance(entry, str) or not TAG_RE.match(entry):
        raise Invalid(
            f"{entry!r} has an unknown format; write lowercase words joined by hyphens, "
            "e.g. first-line-care"
        )
    return entry


def _page_id(entry: Any) -> str:
    if not isinstance(entry, str) or not entry.strip() or entry.endswith(".md"):
        raise Invalid(f"{entry!r} is not a page id; write the path under content/ without .md")
    return entry


def _one_page_id(value: Any, node: yaml.Node) -> str:
    return _page_id(value)


def _yes_no(value: Any, node: yaml.Node) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false (got {value!r})")
    return value


# What Material for MkDocs' `hide` accepts.
HIDEABLE = ("navigation", "toc", "footer", "feedback", "tags", "path")


def _hide(value: Any, node: yaml.Node) -> tuple[str, ...]:
    return _list_of(lambda entry: _choice(HIDEABLE)(entry, node))(value, node)


def _template(value: Any, node: yaml.Node) -> str:
    text = _text(value, node)
    if not text.endswith(".html"):
        raise Invalid(f"must name an HTML template, e.g. my-page.html (got {value!r})")
    return text


def _search(value: Any, node: yaml.Node) -> dict[str, Any]:
    example = "e.g. 'search: {exclude: true}' or 'search: {boost: 2}'"
    if not isinstance(value, dict) or not value or not set(value) <= {"exclude", "boost"}:
        raise Invalid(f"takes only exclude (true or false) and boost (a number), {example}")
    if "exclude" in value and not isinstance(value["exclude"], bool):
        raise Invalid(f"exclude must be true or false, {example}")
    boost = value.get("boost", 1)
    if isinstance(boost, bool) or not isinstance(boost, int | float) or boost <= 0:
        raise Invalid(f"boost must be a number above 0, {example}")
    return value


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change to a page: when, and what changed, in the editor's words."""

    date: datetime.date
    change: str
    line: int


HISTORY_KEYS = ("date", "change")


T = TypeVar("T")


def _history_field(
    entry: dict[str, Any],
    key: str,
    check: Callable[[Any, yaml.Node], T],
    node: yaml.Node,
    line: int,
) -> T:
    try:
        return check(entry[key], node)
    except Invalid as error:
        raise Invalid(f"entry {key} {error}", line) from None


def _history(value: Any, node: yaml.Node) -> tuple[HistoryEntry, ...]:
    """`[{date, change}, ...]`, newest first; each mistake at its entry's line."""
    example = "e.g. '  - {date: 2026-11-22, change: What changed}'"
    if not isinstance(value, list) or not value:
        raise Invalid(f"must be a list of changes, newest first, {example}")
    entries: list[HistoryEntry] = []
    for entry, entry_node in zip(value, node.value, strict=True):
        line = _line(entry_node)
        if not isinstance(entry, dict) or sorted(entry) != sorted(HISTORY_KEYS):
            raise Invalid(f"every entry needs exactly a date and a change, {example}", line)
        date = _history_field(entry, "date", _date, entry_node, line)
        change = _history_field(entry, "change", _text, entry_node, line)
        if entries and date > entries[-1].date:
            raise Invalid(
                f"entry dated {date} is newer than the one above it ({entries[-1].date}); "
                "list changes newest first",
                line,
            )
        entries.append(HistoryEntry(date, change, line))
    return tuple(entries)


@dataclass(frozen=True)
class Field:
    """One front-matter key: how to check it, and whether a page may leave it out."""

    check: Callable[[Any, yaml.Node], Any]
    required: bool = True


QUESTION = "question"
ORDINARY = "page"
KINDS = (QUESTION, ORDINARY)

QUESTION_FIELDS: Mapping[str, Field] = {
    "kind": Field(_choice(KINDS), required=False),
    "title": Field(_text),
    "question": Field(_text),
    "audience": Field(_choice(AUDIENCE_NAMES)),
    "status": Field(_choice(STATUS_NAMES)),
    "last_updated": Field(_date),
    "next_review": Field(_date),
    "reviewers": Field(_list_of(_list_text)),
    "tags": Field(_list_of(_tag)),
    "related": Field(_list_of(_page_id)),
    "summary": Field(_summary),
    "counterpart": Field(_one_page_id, required=False),
    "history": Field(_history, required=False),
}

# An editorial policy or a contact page has no audience, review card or bottom line.
ORDINARY_FIELDS: Mapping[str, Field] = {
    "kind": Field(_choice(KINDS)),
    "title": Field(_text),
    "footer": Field(_yes_no, required=False),  # linked from every page's footer
}

# Material for MkDocs reads these itself (https://squidfunk.github.io/mkdocs-material/
# reference/); checked here so a misspelling is a mistake with its line, not ignored.
THEME_FIELDS: Mapping[str, Field] = {
    "hide": Field(_hide, required=False),
    "icon": Field(_text, required=False),
    "template": Field(_template, required=False),
    "search": Field(_search, required=False),
}


@dataclass(frozen=True)
class PageMeta:
    """The validated front matter of one page, with the file line of each key."""

    page_id: str
    path: str
    title: str
    question: str
    audience: str
    status: str
    last_updated: datetime.date
    next_review: datetime.date
    reviewers: tuple[str, ...]
    tags: tuple[str, ...]
    related: tuple[str, ...]
    summary: str
    counterpart: str | None = None
    history: tuple[HistoryEntry, ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def topic(self) -> str:
        """The first tag names the topic the home page groups the page under."""
        return self.tags[0] if self.tags else "other"


@dataclass(frozen=True)
class OrdinaryPage:
    """The validated front matter of an ordinary page (`kind: page`)."""

    page_id: str
    path: str
    title: str
    footer: bool = False
    lines: Mapping[str, int] = field(default_factory=dict)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + FIRST_YAML_LINE


def _yaml_mistake(error: yaml.MarkedYAMLError, yaml_lines: list[str]) -> tuple[int, str]:
    """The file line and the editor's wording for a YAML syntax error in the front matter."""
    mark = error.problem_mark or error.context_mark
    index = mark.line if mark else -1
    problem = error.problem or ""
    if "'\\t'" in problem:
        return index + FIRST_YAML_LINE, (
            "front matter has a tab character here; YAML allows only spaces, so replace the "
            "tab with spaces"
        )
    missing_colon = None
    if "could not find expected ':'" in problem and error.context_mark:
        # PyYAML notices at the next line; the key without its colon is where it started.
        missing_colon = error.context_mark.line
    elif (
        "mapping values are not allowed" in problem
        and mark
        and ":" not in yaml_lines[index][: mark.column]
    ):
        # 'title Text' followed by 'question: ...': the lines before joined into one value.
        earlier = [n for n in range(index) if yaml_lines[n].strip()]
        if earlier and ":" not in yaml_lines[earlier[-1]]:
            missing_colon = earlier[-1]
    if missing_colon is not None:
        return missing_colon + FIRST_YAML_LINE, (
            "this front-matter line has no ':' after its key; write 'key: value'"
        )
    return (index + FIRST_YAML_LINE if mark else 1), (
        f"front matter is not valid YAML ({problem}); check indentation and quote text "
        "containing ': '"
    )


def _approval_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What an approved page lacks, as (front-matter key, message): reviewers who are named
    and have reviewed, and a next review after the last update."""
    problems = []
    reviewers = values.get("reviewers")
    if reviewers == ():
        problems.append(
            (
                "reviewers",
                "an approved page names its reviewers; add them, or set the status "
                "back to under-review",
            )
        )
    for reviewer in reviewers or ():
        if NOT_YET_REVIEWED_RE.search(reviewer):
            problems.append(
                (
                    "reviewers",
                    f"reviewer {reviewer!r} has not reviewed the page yet, so it "
                    "cannot be approved; set the status back to under-review, or write the "
                    "reviewer's name once they have approved it",
                )
            )
    last, due = values.get("last_updated"), values.get("next_review")
    if last and due and due == last:
        problems.append(
            (
                "next_review",
                "an approved page's next review is after its last update; set "
                "next_review to when it is due, e.g. a year after last_updated",
            )
        )
    return problems


def parse_front_matter(
    page_id: str, path: str, source: str
) -> tuple[PageMeta | OrdinaryPage | None, list[Problem]]:
    """Parse and check the front matter of `source`; return the page's meta (a question's
    or an ordinary page's, by its kind) or the problems."""
    match = FRONT_MATTER_RE.match(source)
    if match is None:
        opened = re.match(r"-{3}[ \t]*\n", source) is not None
        message = (
            "front matter is never closed; add a '---' line after the last key"
            if opened
            else "no front matter; start the file with a '---' line, the keys, and '---'"
        )
        return None, [Problem(path, 1, message)]
    try:
        root = yaml.compose(match.group(1), Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return None, [Problem(path, *_yaml_mistake(error, match.group(1).split("\n")))]
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(path, 1, "front matter must be 'key: value' lines")]

    kind = _declared_kind(root)
    fields = {**(ORDINARY_FIELDS if kind == ORDINARY else QUESTION_FIELDS), **THEME_FIELDS}
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for key_node, value_node in root.value:
        key, line = key_node.value, _line(key_node)
        if key in lines:
            # YAML keeps the last value silently; the editor's first one would be lost.
            problems.append(
                Problem(
                    path,
                    line,
                    f"{key!r} is given twice (lines {lines[key]} and {line}); keep one of them",
                )
            )
            continue
        lines[key] = line
        spec = fields.get(key)
        if spec is None:
            problems.append(Problem(path, line, _unknown_key(key, kind, fields)))
            continue
        value = _Loader(yaml.serialize(value_node)).get_single_data()
        try:
            values[key] = spec.check(value, value_node)
        except Invalid as error:
            problems.append(Problem(path, error.line or line, f"{key}: {error}"))
    for key, spec in fields.items():
        if spec.required and key not in lines:
            problems.append(Problem(path, 1, f"front matter has no {key!r}; add '{key}: ...'"))
    if not source[match.end() :].strip():
        closing_line = match.group(0).count("\n")
        problems.append(
            Problem(
                path,
                closing_line,
                "the page has no text after its front matter; write the page below this line",
            )
        )
    # MkDocs hands Material its own keys; the kind is what chose the table.
    own = {k: v for k, v in values.items() if k not in THEME_FIELDS and k != "kind"}
    if kind == ORDINARY:
        if problems:
            return None, problems
        return OrdinaryPage(page_id=page_id, path=path, lines=lines, **own), []
    problems += _question_dates(path, own, lines)
    if problems:
        return None, problems
    return PageMeta(page_id=page_id, path=path, lines=lines, **own), []


def _declared_kind(root: yaml.MappingNode) -> str:
    """The page's `kind:`; a question when absent or misspelt (reported with its line)."""
    for key_node, value_node in root.value:
        if key_node.value == "kind" and value_node.value == ORDINARY:
            return ORDINARY
    return QUESTION


def _unknown_key(key: str, kind: str, fields: Mapping[str, Field]) -> str:
    allowed = ", ".join(fields)
    if kind == ORDINARY and key in QUESTION_FIELDS:
        return (
            f"{key!r} is a key of guideline questions, not of an ordinary page (kind: page); "
            f"remove it, or remove 'kind: page' to make this a question page; allowed: {allowed}"
        )
    return f"unknown front-matter key {key!r}{did_you_mean(key, fields)}; allowed: {allowed}"


def _question_dates(
    path: str, values: Mapping[str, Any], lines: Mapping[str, int]
) -> list[Problem]:
    problems = []
    last, due = values.get("last_updated"), values.get("next_review")
    if last and due and due < last:
        problems.append(
            Problem(
                path, lines["next_review"], "next_review is before last_updated; fix either date"
            )
        )
    if values.get("status") == APPROVED:
        problems += [
            Problem(path, lines.get(key, lines["status"]), message)
            for key, message in _approval_problems(values)
        ]
    history = values.get("history")
    if last and history and history[0].date != last:
        problems.append(
            Problem(
                path,
                lines["last_updated"],
                f"last_updated is {last} but the newest history entry is dated "
                f"{history[0].date}; add a history entry for this update at the top of "
                "'history', or make the two dates the same",
            )
        )
    return problems
