"""Every page opens its <head> with the generator's csp.txt as a <meta> policy, minus header-only
parts."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag

from guidesite.site import csp

POLICY = csp.POLICY_FILE.read_text(encoding="utf-8")


def directives(policy: str) -> dict[str, str]:
    parsed = (part.strip() for part in policy.split(";"))
    return {part.split()[0]: part for part in parsed if part}


def test_the_meta_policy_is_the_file_without_header_only_directives() -> None:
    meta = directives(csp.meta_policy(POLICY))
    header = directives(POLICY)
    assert "frame-ancestors" in header, "the shipped policy lost its framing rule"
    assert meta == {name: text for name, text in header.items() if name not in csp.HEADER_ONLY}


def test_header_only_directives_are_dropped_wherever_they_stand() -> None:
    policy = "sandbox; default-src 'self'; REPORT-URI /r; frame-ancestors 'none'; img-src data:"
    assert csp.meta_policy(policy) == "default-src 'self'; img-src data:"


def test_every_page_starts_with_the_policy(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert any(page.name == "404.html" for page in pages)  # rendered without page context
    for page in pages:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        assert head is not None, page
        first = next(child for child in head.children if isinstance(child, Tag))
        assert first.name == "meta" and first.get("http-equiv") == "Content-Security-Policy", page
        assert first["content"] == csp.meta_policy(POLICY), page
