"""The main prose of a built page, as the reading-level test measures it.

Kept: paragraphs and list items of the article, call-out bodies included. Left out: the
generated page furniture (header, review status, counterpart link, disclaimer, related
questions), headings and call-out titles (labels, not sentences), citation marks, the
references list and calculator forms. Each paragraph or list item counts as at least one
sentence: a list item without a full stop is still a unit of its own for a reader.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag

NOT_PROSE = (
    "header.gs-page-header",
    "p.gs-counterpart",
    "div.gs-audience-switch",
    "div.gs-review",
    "sup.gs-cite",
    "a.headerlink",
    "section.gs-references",
    "nav.gs-related",
    "aside.gs-disclaimer",
    "p.admonition-title",
    "form",
    "h1, h2, h3, h4, h5, h6",
)


def prose_blocks(html_file: Path) -> list[str]:
    """Paragraph and list-item texts of the page's article, furniture removed."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert isinstance(article, Tag), f"{html_file}: no <article>"
    for element in article.select(", ".join(NOT_PROSE)):
        element.decompose()
    blocks = []
    for element in article.select("p, li"):
        for nested in element.select("ul, ol"):
            nested.extract()  # a nested list's items are blocks of their own
        text = " ".join(element.get_text(" ", strip=True).split())
        # Removing citation marks leaves "pain ." and "leg ," behind.
        text = text.replace(" .", ".").replace(" ,", ",").replace(" ;", ";").strip(" ;")
        if text:
            blocks.append(text if text[-1] in ".?!:" else text + ".")
    return blocks
