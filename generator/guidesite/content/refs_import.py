"""`guidesite refs add FILE --kind KIND`: references from a reference manager into the .bib.

Reads RIS (rispy), CSL-JSON (Zotero's "CSL JSON" export) and BibTeX, writes each record as
a BibTeX entry with the given `kind`, and appends them to the bibliography. Keys are stable:
a BibTeX key is kept; RIS and CSL-JSON records get the first author's family name and the
year (`lee2013`, then `lee2013b`), so the same export always gives the same keys. A record
whose DOI or key is already in the bibliography stops the import before anything is written.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rispy
from pybtex.database import parse_string
from pybtex.exceptions import PybtexError

from guidesite.content import bibliography
from guidesite.content.problems import Problem

FORMATS = {".ris": "RIS", ".txt": "RIS", ".json": "CSL-JSON", ".bib": "BibTeX"}
# Field order in the written entry; anything else a record has is left out.
FIELD_ORDER = (
    "title",
    "journal",
    "booktitle",
    "publisher",
    "institution",
    "year",
    "volume",
    "number",
    "pages",
    "doi",
    "url",
    "note",
)
RAW_FIELDS = ("doi", "url")  # written as they are, never escaped
RIS_TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "BOOK": "book",
    "CHAP": "incollection",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "RPRT": "techreport",
    "GOVDOC": "techreport",
    "THES": "phdthesis",
}
CSL_TYPES = {
    "article-journal": "article",
    "article": "article",
    "review": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
}
LATEX_SPECIAL = re.compile(r"([%&#$_])")


class ImportRefused(ValueError):
    """The file cannot be imported as it is; the message says why and what to do."""


@dataclass
class Record:
    """One reference in BibTeX terms, before it has a key in the bibliography."""

    entry_type: str
    fields: dict[str, str]
    authors: list[str] = field(default_factory=list)  # "Family, Given" or an organisation
    key: str | None = None  # kept from a BibTeX file
    latex: bool = False  # values are BibTeX already (from a .bib), not plain text
    label: str = ""  # how messages name it: "record 2 ('A title')"


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _year(text: str) -> str:
    match = re.search(r"\b(1[5-9]|20)\d\d\b", text)
    return match.group(0) if match else ""


def from_ris(text: str) -> list[Record]:
    records = []
    for item in rispy.loads(text):
        pages = "--".join(
            p for p in (_first(item.get("start_page")), _first(item.get("end_page"))) if p
        )
        fields = {
            "title": _first(item.get("title") or item.get("primary_title")),
            "journal": _first(
                item.get("secondary_title")
                or item.get("journal_name")
                or item.get("alternate_title3")
            ),
            "publisher": _first(item.get("publisher")),
            "year": _year(
                _first(item.get("year") or item.get("publication_year") or item.get("date"))
            ),
            "volume": _first(item.get("volume")),
            "number": _first(item.get("number")),
            "pages": pages,
            "doi": _first(item.get("doi")),
            "url": _first(item.get("urls") or item.get("url")),
        }
        entry_type = RIS_TYPES.get(_first(item.get("type_of_reference")), "misc")
        if entry_type != "article":
            fields["publisher"] = fields["publisher"] or fields.pop("journal")
        authors = [a for a in (item.get("authors") or item.get("first_authors") or []) if a]
        records.append(Record(entry_type, fields, authors))
    return records


def _csl_name(person: Mapping[str, Any]) -> str:
    if person.get("literal"):
        return str(person["literal"])
    family = " ".join(str(person[p]) for p in ("non-dropping-particle", "family") if person.get(p))
    return f"{family}, {person['given']}" if person.get("given") else family


def from_csl_json(text: str) -> list[Record]:
    data = json.loads(text)
    items = data if isinstance(data, list) else [data]
    records = []
    for item in items:
        issued = (item.get("issued") or {}).get("date-parts") or [[]]
        year = (
            str(issued[0][0])
            if issued[0]
            else _year(str((item.get("issued") or {}).get("raw", "")))
        )
        entry_type = CSL_TYPES.get(str(item.get("type", "")), "misc")
        container = str(item.get("container-title") or "")
        fields = {
            "title": str(item.get("title") or ""),
            "journal" if entry_type == "article" else "booktitle": container,
            "publisher": str(item.get("publisher") or ""),
            "year": year,
            "volume": str(item.get("volume") or ""),
            "number": str(item.get("issue") or ""),
            "pages": str(item.get("page") or "").replace("-", "--"),
            "doi": str(item.get("DOI") or ""),
            "url": str(item.get("URL") or ""),
        }
        authors = [_csl_name(p) for p in item.get("author") or item.get("editor") or []]
        records.append(Record(entry_type, fields, authors))
    return records


def from_bibtex(text: str) -> list[Record]:
    data = parse_string(text, "bibtex")
    records = []
    for key, entry in data.entries.items():
        fields = {name.lower(): str(value) for name, value in entry.fields.items()}
        fields.pop("kind", None)  # the import's --kind decides
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        authors = [str(p) for p in people]
        records.append(Record(entry.type, fields, authors, key=key, latex=True))
    return records


def read(path: Path) -> list[Record]:
    """The records of an export file, by its extension."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImportRefused(
            f"{path}: unknown file type {path.suffix!r}; export as RIS (.ris), CSL JSON (.json) "
            "or BibTeX (.bib)"
        )
    text = path.read_text(encoding="utf-8-sig")
    try:
        reader = {"RIS": from_ris, "CSL-JSON": from_csl_json, "BibTeX": from_bibtex}[kind]
        records = reader(text)
    except (ValueError, KeyError, TypeError, IndexError, PybtexError) as error:
        raise ImportRefused(
            f"{path}: cannot read it as {kind} ({error}); export it again"
        ) from None
    if not records:
        raise ImportRefused(f"{path}: no references found in this {kind} file")
    for number, record in enumerate(records, 1):
        record.label = f"record {number} ({record.fields.get('title', '')[:60]!r})"
    return records


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", folded)


def _key_base(record: Record) -> str:
    """`lee2013` from "Lee, Joon Ho" (the last word of a family name: "van Berg" -> berg);
    an organisation's first word; with no author, the title's first long word."""
    if record.authors:
        name = record.authors[0]
        words = name.split(",")[0].split() or ["ref"]
        word = words[-1] if "," in name else words[0]
    else:
        long_words = [w for w in record.fields.get("title", "").split() if len(_ascii_word(w)) > 3]
        word = long_words[0] if long_words else "ref"
    return f"{_ascii_word(word) or 'ref'}{record.fields.get('year', '')}"


def _normal_doi(doi: str) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip().lower())


def assign_keys(records: Iterable[Record], taken: set[str]) -> None:
    """Give every record without one a key not in `taken` (compared ignoring case)."""
    used = {key.lower() for key in taken}
    for record in records:
        if record.key is None:
            base = _key_base(record)
            key, suffix = base, ord("b")
            while key.lower() in used:
                key, suffix = f"{base}{chr(suffix)}", suffix + 1
            record.key = key
        used.add(record.key.lower())


def _escape(value: str) -> str:
    # Unbalanced braces would break the file; LaTeX specials would vanish from the text.
    return LATEX_SPECIAL.sub(r"\\\1", value.replace("{", "(").replace("}", ")"))


def as_bibtex(record: Record, kind: str) -> str:
    """The entry as the bibliography writes entries: title, author, the rest, kind last."""
    escape = (lambda text: text) if record.latex else _escape
    fields = {
        name: value.strip() if name in RAW_FIELDS else escape(value.strip())
        for name, value in record.fields.items()
        if value.strip()
    }
    if record.authors:
        # "Family, Given" as BibTeX reads it; an organisation in braces, kept whole.
        fields["author"] = " and ".join(
            escape(name) if "," in name else f"{{{escape(name.strip('{}'))}}}"
            for name in record.authors
        )
    order = ("title", "author", *FIELD_ORDER[1:])
    lines = [f"@{record.entry_type}{{{record.key},"]
    for name in sorted(fields, key=lambda n: (order.index(n) if n in order else len(order), n)):
        lines.append(f"\t{name} = {{{fields[name]}}},")
    lines.append(f"\tkind = {{{kind}}},")
    return "\n".join(lines) + "\n}\n"


def _existing(text: str) -> tuple[dict[str, int], dict[str, str]]:
    """Keys (lower case) with their lines, and DOIs with the key that has each."""
    lines = {key.lower(): line for line, key in bibliography.entry_starts(text)}
    dois = {}
    try:
        for key, entry in parse_string(text, "bibtex").entries.items():
            if doi := str(entry.fields.get("doi", "")):
                dois[_normal_doi(doi)] = key
    except PybtexError:
        raise ImportRefused(
            "the bibliography has a mistake of its own; run `guidesite check` and fix it first"
        ) from None
    return lines, dois


def add(source: Path, bib_path: Path, kind: str, shown_as: str) -> list[str]:
    """Append every record of `source` to `bib_path`; return the new keys.

    Raises `ImportRefused` (writing nothing) on a duplicate, or when the entries would not
    pass the bibliography's own checks (e.g. a research paper without a year).
    """
    if kind not in bibliography.KINDS:
        raise ImportRefused(f"unknown kind {kind!r}; use one of {', '.join(bibliography.KINDS)}")
    records = read(source)
    text = bib_path.read_text(encoding="utf-8-sig") if bib_path.exists() else ""
    keys, dois = _existing(text)
    refused = []
    seen_dois: dict[str, str] = {}
    for record in records:
        doi = _normal_doi(record.fields.get("doi", ""))
        if doi and doi in dois:
            refused.append(f"{record.label} has DOI {doi}, already in {shown_as} as {dois[doi]!r}")
        elif doi and doi in seen_dois:
            refused.append(f"{record.label} has the same DOI as {seen_dois[doi]}")
        elif record.key is not None and record.key.lower() in keys:
            refused.append(
                f"{record.label} has key {record.key!r}, already used in {shown_as} at line "
                f"{keys[record.key.lower()]}"
            )
        seen_dois.setdefault(doi, record.label)
    if refused:
        raise ImportRefused(
            "; ".join(refused) + ". Nothing was added: remove the duplicate from the export "
            "(or the old entry from the bibliography) and run the command again"
        )
    assign_keys(records, set(keys))
    addition = "".join(f"\n{as_bibtex(record, kind)}" for record in records)
    new_text = text.rstrip("\n") + "\n" + addition if text.strip() else addition.lstrip("\n")
    problems = _check(new_text, shown_as)
    if problems:
        raise ImportRefused(
            "the imported entries would not pass the checks, so nothing was added:\n"
            + "\n".join(str(p) for p in problems)
        )
    bib_path.write_text(new_text, encoding="utf-8")
    return [str(record.key) for record in records]


def _check(text: str, shown_as: str) -> list[Problem]:
    """The bibliography's own checks on the text (in a temporary file, away from content/,
    whose every change would start a rebuild in a running preview)."""
    with tempfile.TemporaryDirectory(prefix="guidesite-refs-") as folder:
        trial = Path(folder) / "references.bib"
        trial.write_text(text, encoding="utf-8")
        return bibliography.load(trial, shown_as)[1]
