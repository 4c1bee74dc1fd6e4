"""`guidesite new`: a page skeleton with valid front matter and placeholders to fill in."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import jinja2

from guidesite import PACKAGE_DIR
from guidesite.content import schema
from guidesite.vocabularies import AUDIENCES, STATUSES

SKELETONS_DIR = PACKAGE_DIR / "skeletons"
PAGE_ID_RE = re.compile(r"^(calculators/)?[a-z0-9]+(-[a-z0-9]+)*$")


def next_review(today: datetime.date) -> datetime.date:
    """A year on (28 February when today is 29 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def page_text(title: str, audience: str, today: datetime.date) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SKELETONS_DIR),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    (other,) = (a for a in AUDIENCES if a.name != audience)
    return env.get_template("page.md").render(
        # Quoted as YAML, so a title with ': ' or '#' stays one value.
        title=f'"{title}"' if re.search(r":\s|\s#|^[\W]", title) else title,
        audience=audience,
        other_audience=other.plural,
        status=STATUSES[0].name,  # a new page starts at the first review step
        today=today.isoformat(),
        next_review=next_review(today).isoformat(),
        # The change log arrives with the `history` key; pages need it once the schema has it.
        history="history" in schema.QUESTION_FIELDS,
    )


def write_page(
    docs_dir: Path, page_id: str, title: str, audience: str, today: datetime.date
) -> Path:
    """Write `<docs_dir>/<page_id>.md`; refuse a bad id, a missing title or an existing file."""
    page_id = page_id.removesuffix(".md")
    if not PAGE_ID_RE.match(page_id):
        raise ValueError(
            f"{page_id!r} is not a page id; use lowercase words joined by hyphens, e.g. "
            "leg-pain-after-surgery (the file becomes content/<page-id>.md)"
        )
    if not title.strip() or '"' in title:
        raise ValueError("give the page a title (without double quotes) with --title")
    path = docs_dir / f"{page_id}.md"
    if path.exists():
        raise FileExistsError(f"{path} already exists; choose another page id or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page_text(title.strip(), audience, today), encoding="utf-8")
    return path
