"""Links to a page with a calculator, marked in the built page so that the browser warms
the calculator engine up only on pages whose readers are one click from a calculator
(`assets/engine/prewarm.js`); pages such as the editorial policy never download it."""

from __future__ import annotations

import posixpath
import re

# The marker prewarm.js looks for; an attribute of the link, so it travels with the page
# content that Material's instant navigation swaps in.
ATTRIBUTE = "data-gs-calculator-link"
FORM = re.compile(r'<form\b[^>]*\bclass="gs-calculator"')
# Links the Markdown renderer wrote: a relative page address, maybe with a fragment.
LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"#?:]*)(?:[#?][^"]*)?"')


def has_calculator(html: str) -> bool:
    return FORM.search(html) is not None


def mark_in_article(page_html: str, page_url: str, calculator_urls: set[str]) -> str:
    """A built page with its article's links to calculators marked (the article holds the
    body, related questions and references; the menus link to every page alike)."""
    start, end = page_html.find("<article"), page_html.rfind("</article>")
    if start < 0 or end < start:
        return page_html
    article = mark_calculator_links(page_html[start:end], page_url, calculator_urls)
    return page_html[:start] + article + page_html[end:]


def mark_calculator_links(html: str, page_url: str, calculator_urls: set[str]) -> str:
    """`html` with ATTRIBUTE on every link to a page in `calculator_urls` (site-relative,
    as MkDocs' `page.url`), other than the page itself."""
    here = posixpath.dirname(page_url)

    def mark(link: re.Match[str]) -> str:
        target = link[2]
        if not target:
            return link[0]  # a link within this page
        resolved = posixpath.normpath(posixpath.join(here, target))
        if resolved not in calculator_urls or resolved == page_url:
            return link[0]
        return f"<a {ATTRIBUTE}{link[0][2:]}"

    return LINK.sub(mark, html)
