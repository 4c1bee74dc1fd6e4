"""The content pages by audience, read from their front matter, and where each is built."""

from __future__ import annotations

from pathlib import Path

import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"


def page_ids(audience: str) -> list[str]:
    """Ids (paths under content/ without .md) of the pages written for `audience`."""
    found = []
    for path in sorted(CONTENT.rglob("*.md")):
        front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
        if yaml.safe_load(front).get("audience") == audience:
            found.append(path.relative_to(CONTENT).with_suffix("").as_posix())
    return found


def built_page(site: Path, page_id: str) -> Path:
    """The HTML file a page id is built to (with or without directory URLs)."""
    for candidate in (site / f"{page_id}.html", site / page_id / "index.html"):
        if candidate.is_file():
            return candidate
    raise AssertionError(f"{page_id} was not built in {site}")
