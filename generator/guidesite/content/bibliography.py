"""The bibliography: `references.bib` parsed with pybtex, checked, and shaped for display.

Every entry needs a `kind` (what sort of source it is, shown next to it on every page) and a
title; published works (guidelines, their evidence reviews, research) need a year, while
policies and summaries are living web pages that often have none. An evidence review is
where a guideline grades its evidence (GRADE); a recommendation showing a GRADE level must
cite one (generator/extensions/recommendations.py).
Problems carry the line of the entry in the .bib file, which pybtex does not keep, so the
entry lines are found by a light scan of the same text.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import Entry, Person, parse_string
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text

from guidesite.build_time import build_date
from guidesite.content.problems import Problem, did_you_mean, line_at
from guidesite.content.sources import MAX_FILE_BYTES, read_source

EVIDENCE_REVIEW = "evidence-review"
KINDS = ("guideline", EVIDENCE_REVIEW, "research", "policy", "summary")
KINDS_NEEDING_YEAR = ("guideline", EVIDENCE_REVIEW, "research")
ENTRY_RE = re.compile(r"^[ \t]*@(?P<type>\w+)[ \t]*[{(][ \t]*(?P<key>[^,\s]+)[ \t]*,", re.MULTILINE)
# A field's first line.
FIELD_RE = re.compile(r"^\s*[\w-]+\s*=")
# Identifiers that name one work: the same under two keys is one source cited two ways.
IDENTIFIERS = {"doi": "DOI", "pmid": "PMID"}
DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)\s*", re.IGNORECASE)
YEAR_RE = re.compile(r"^\d{4}")
# Vancouver style: list up to six authors, otherwise the first three and "et al."
MAX_AUTHORS = 6
AUTHORS_BEFORE_ET_AL = 3
# Made once: `render_as("text")` would look the backend up among entry points on every call.
_PLAIN_TEXT = PlainText()


@dataclass(frozen=True)
class Reference:
    """One bibliography entry as readers see it."""

    key: str
    kind: str
    authors: str
    title: str
    source: str
    year: str
    url: str
    line: int


# Kept between builds: the preview reads the same bibliography again on every save.
@functools.lru_cache(maxsize=8192)
def _plain(latex: str) -> str:
    """BibTeX field text without braces and LaTeX escapes (`--` becomes an en dash)."""
    plain: str = Text.from_latex(latex).render(_PLAIN_TEXT)
    return plain.strip()


def _person(person: Person) -> str:
    if not person.first_names and not person.middle_names:
        return _plain(" ".join(person.last_names))  # an organisation in double braces
    initials = "".join(_plain(name)[:1] for name in person.first_names + person.middle_names)
    last = _plain(" ".join(person.prelast_names + person.last_names))
    return f"{last} {initials}"


def _authors(entry: Entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if not people:
        return _plain(entry.fields.get("organization") or entry.fields.get("institution") or "")
    names = [_person(p) for p in people]
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:AUTHORS_BEFORE_ET_AL]) + " et al."
    return ", ".join(names)


def _source(entry: Entry) -> str:
    """Where the work appeared: journal with volume, issue and pages, or the publisher."""
    fields = {name.lower(): _plain(value) for name, value in entry.fields.items()}
    if "journal" in fields:
        issue = f"({fields['number']})" if "number" in fields else ""
        volume = f" {fields['volume']}{issue}" if "volume" in fields else ""
        pages = f":{fields['pages']}" if "pages" in fields else ""
        return f"{fields['journal']}{volume}{pages}"
    publisher = fields.get("institution") or fields.get("publisher") or fields.get("organization")
    series = " ".join(part for part in (fields.get("type"), fields.get("number")) if part)
    parts = [p for p in (publisher, series, fields.get("howpublished"), fields.get("note")) if p]
    return ". ".join(parts)


def _url(entry: Entry) -> str:
    if url := entry.fields.get("url"):
        return str(url)
    if doi := entry.fields.get("doi"):
        return f"https://doi.org/{doi}"
    return ""


def entry_starts(text: str) -> list[tuple[int, str]]:
    """`(line, key)` of every `@type{key,` in the file, repeats included."""
    return [
        (line_at(text, match.start()), match.group("key"))
        for match in ENTRY_RE.finditer(text)
        if match.group("type").lower() not in ("comment", "preamble", "string")
    ]


def load(
    path: Path, shown_as: str, max_bytes: int = MAX_FILE_BYTES
) -> tuple[dict[str, Reference], list[Problem]]:
    """Parse the .bib file at `path`; problems name it `shown_as` (content/references.bib)."""
    if not path.is_file():
        return {}, [
            Problem(shown_as, 1, "bibliography file is missing; create it (it may be empty)")
        ]
    text, unreadable = read_source(path, shown_as, max_bytes)
    if text is None:
        return {}, unreadable
    if repeated := _repeated_keys(text, shown_as):
        return {}, repeated
    if unbalanced := _unbalanced_braces(text, shown_as):
        return {}, unbalanced
    try:
        data = parse_string(text, "bibtex")
    except PybtexError as error:
        found = getattr(error, "lineno", None) or 1
        # pybtex notices a missing brace late (often at the end of the file): point at the
        # entry that contains the place it noticed.
        line, key = max(((n, k) for n, k in entry_starts(text) if n <= found), default=(found, ""))
        where = f" in entry {key!r}" if key else ""
        return {}, [
            Problem(
                shown_as, line, f"BibTeX is malformed{where} ({error}); check its braces and commas"
            )
        ]

    lines: dict[str, int] = {}
    for number, key in entry_starts(text):
        lines.setdefault(key, number)
    references: dict[str, Reference] = {}
    problems: list[Problem] = []
    identified: dict[tuple[str, str], str] = {}  # (field, normalised value) -> first key
    for key, entry in data.entries.items():
        line = lines.get(key, 1)
        kind = str(entry.fields.get("kind", "")).strip()
        # Still loaded when wrong, so citations of it are not reported as unknown keys too.
        problems += [Problem(shown_as, line, m) for m in _entry_problems(key, kind, entry)]
        for name, label in IDENTIFIERS.items():
            value = _identifier(name, entry)
            if not value:
                continue
            first = identified.setdefault((name, value), key)
            if first != key:
                problems.append(
                    Problem(
                        shown_as,
                        line,
                        f"entry {key!r} has the same {label} as entry {first!r} (line "
                        f"{lines.get(first, 1)}): it is the same source; cite {first!r} "
                        "instead and delete this entry",
                    )
                )
        references[key] = Reference(
            key=key,
            kind=kind,
            authors=_authors(entry),
            title=_plain(entry.fields.get("title", "")),
            source=_source(entry),
            year=_plain(entry.fields.get("year", "")),
            url=_url(entry),
            line=line,
        )
    return references, problems


def _identifier(name: str, entry: Entry) -> str:
    """An entry's DOI or PMID as compared: lower case, without a resolver's prefix."""
    value = _plain(entry.fields.get(name, "")).lower()
    return DOI_PREFIX_RE.sub("", value) if name == "doi" else value


def _entry_problems(key: str, kind: str, entry: Entry) -> list[str]:
    problems = []
    year = YEAR_RE.match(_plain(entry.fields.get("year", "")))
    if year and int(year.group(0)) > build_date().year:
        problems.append(
            f"entry {key!r} has year {year.group(0)}, which is in the future; write the "
            "year the source was published"
        )
    if kind not in KINDS:
        what = f"has an unknown kind {kind!r}{did_you_mean(kind, KINDS)}" if kind else "has no kind"
        problems.append(f"entry {key!r} {what}; add kind = {{{'|'.join(KINDS)}}}")
    if not _plain(entry.fields.get("title", "")):
        problems.append(f"entry {key!r} has no title; add title = {{...}}")
    if kind in KINDS_NEEDING_YEAR and not _plain(entry.fields.get("year", "")):
        problems.append(
            f"entry {key!r} has no year; kind = {{{kind}}} needs year = {{YYYY}} "
            "(the year published)"
        )
    return problems


def _repeated_keys(text: str, shown_as: str) -> list[Problem]:
    """BibTeX keys ignore letter case; pybtex stops at the first repeat without a line."""
    first_seen: dict[str, int] = {}
    problems = []
    for line, key in entry_starts(text):
        first = first_seen.setdefault(key.lower(), line)
        if first != line:
            problems.append(
                Problem(
                    shown_as,
                    line,
                    f"entry key {key!r} is used again (first at line {first}); give this "
                    "entry its own key, or delete it if it is a copy",
                )
            )
    return problems


def _unbalanced_braces(text: str, shown_as: str) -> list[Problem]:
    """Braces that do not pair up within an entry, at the line where they go wrong.

    pybtex notices an unclosed brace only in a later entry (and blames that one), and an
    extra `}` ends the entry early, dropping the fields after it without a word."""
    lines = text.split("\n")
    starts = [*entry_starts(text), (len(lines) + 1, "")]
    problems = []
    for (first, key), (following, _) in itertools.pairwise(starts):
        if not lines[first - 1].rstrip().endswith(",") or "{" not in lines[first - 1]:
            continue  # `@type(key, ...)` or more than the header on its line: pybtex judges
        message = _entry_braces(key, first, lines[first : following - 1])
        if message:
            problems.append(Problem(shown_as, *message))
    return problems


def _entry_braces(key: str, first: int, body: list[str]) -> tuple[int, str] | None:
    """(line, message) for the first brace mistake in the lines after `@type{key,`."""
    depth, field_line = 1, first
    closed_at = first  # the line where the entry's braces last came back to none
    for number, line in enumerate(body, start=first + 1):
        starts_field = FIELD_RE.match(line) is not None
        if starts_field and depth > 1:
            break  # the field before this one never closed its value
        if starts_field:
            field_line = number
        if depth == 0 and starts_field:
            return closed_at, (
                f"BibTeX is malformed in entry {key!r}: a '}}' too many on this line ends the "
                "entry early, so the fields after it would be lost; remove that '}'"
            )
        depth += line.count("{") - line.count("}")  # BibTeX counts `\{` too
        if depth == 0:
            closed_at = number
    if depth > 1 or (depth == 1 and field_line != first):
        if depth == 1:
            return field_line, (
                f"BibTeX is malformed in entry {key!r}: the entry is never closed; add a line "
                "with '}' after its last field"
            )
        return field_line, (
            f"BibTeX is malformed in entry {key!r}: a '{{' on this line is never closed; add "
            "the missing '}'"
        )
    return None


def unused(references: Mapping[str, Reference], cited: set[str]) -> list[Reference]:
    """Entries no page cites, in file order."""
    return sorted((r for k, r in references.items() if k not in cited), key=lambda r: r.line)
