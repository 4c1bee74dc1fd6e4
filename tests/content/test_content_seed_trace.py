"""Each clinical statement of each seed is on a page, at an anchor, or left out for a reason.

The data is `seed_statements.yaml` (one list per seed file, statements paraphrased). A
statement that is covered names a page and an anchor that must exist in the built site;
its `expect` words must appear in the anchored part (a heading's section, or the element
that carries the id). A statement left out says why, and any keys it cites must exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from content_pages import CONTENT, built_page

DATA = Path(__file__).with_name("seed_statements.yaml")
SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def statements() -> Iterator[tuple[str, int, dict[str, Any]]]:
    for seed, entries in yaml.safe_load(DATA.read_text(encoding="utf-8")).items():
        for number, entry in enumerate(entries, start=1):
            yield seed, number, entry


STATEMENTS = list(statements())
COVERED = [(s, n, e) for s, n, e in STATEMENTS if "page" in e]
IDS = [f"{seed[:3]}-{number}" for seed, number, _ in STATEMENTS]
COVERED_IDS = [f"{seed[:3]}-{number}" for seed, number, _ in COVERED]


def bibliography_keys() -> set[str]:
    text = (CONTENT / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, re.MULTILINE))


def test_every_seed_is_traced_with_its_statements() -> None:
    seeds = {seed for seed, _, _ in STATEMENTS}
    assert len(seeds) == 5 and all(SEED_NAME.match(seed) for seed in seeds)
    counts = {seed: sum(1 for s, _, _ in STATEMENTS if s == seed) for seed in seeds}
    assert all(count >= 20 for count in counts.values()), counts


@pytest.mark.parametrize(("seed", "number", "entry"), STATEMENTS, ids=IDS)
def test_statement_is_covered_or_left_out_for_a_reason(
    seed: str, number: int, entry: dict[str, Any]
) -> None:
    assert isinstance(entry.get("says"), str) and len(entry["says"].split()) >= 4
    covered = {"page", "anchor"} <= entry.keys()
    left_out = isinstance(entry.get("left_out"), str) and len(entry["left_out"].split()) >= 8
    assert covered != left_out, f"{seed} #{number}: give page and anchor, or left_out"
    allowed = {"says", "page", "anchor", "expect"} if covered else {"says", "left_out", "cite"}
    assert entry.keys() <= allowed, f"{seed} #{number}: unexpected keys {entry.keys() - allowed}"
    assert set(entry.get("cite", [])) <= bibliography_keys()


END_SECTIONS = {"gs-changes", "gs-references"}


def anchored_text(html: Path, anchor: str) -> str | None:
    """The text an anchor points at: a heading's whole section, or the element itself."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    target = soup.find(id=anchor)
    if not isinstance(target, Tag):
        return None
    if target.name not in HEADINGS:
        return target.get_text(" ")
    level = int(target.name[1])
    parts = [target.get_text(" ")]
    for sibling in target.find_next_siblings():
        if sibling.name in HEADINGS and int(sibling.name[1]) <= level:
            break
        # The generated endings (changes, references) close the page's own text.
        if sibling.name == "section" and END_SECTIONS & set(sibling.get("class") or []):
            break
        parts.append(sibling.get_text(" "))
    return " ".join(parts)


@pytest.mark.parametrize(("seed", "number", "entry"), COVERED, ids=COVERED_IDS)
def test_covering_anchor_exists_and_says_it(
    built_site: Path, seed: str, number: int, entry: dict[str, Any]
) -> None:
    text = anchored_text(built_page(built_site, entry["page"]), entry["anchor"])
    assert text is not None, f"{seed} #{number}: no #{entry['anchor']} on {entry['page']}"
    text = " ".join(text.split())
    missing = [word for word in entry.get("expect", []) if word not in text]
    assert not missing, f"{seed} #{number}: #{entry['anchor']} on {entry['page']} lacks {missing}"
