"""Printing from Chromium: a patient page is a handout of at most two A4 pages with no
half-empty first page; a clinician page prints its text and references without site
chrome; a calculator prints its current inputs and result with the print date."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support.pages import fresh_page

pytestmark = pytest.mark.browser

READY = "[data-engine-status][data-engine-state=ready]"
HANDOUT_PAGES = 2

OBJECT = re.compile(rb"\n(\d+) 0 obj\s*<<")


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object's dictionary text and its (inflated) stream, by object number."""
    found = {}
    for match in OBJECT.finditer(pdf):
        ends = (pdf.find(b"stream", match.end()), pdf.find(b"endobj", match.end()))
        body_end = min(i for i in ends if i >= 0)
        header, data = pdf[match.end() : body_end], b""
        if pdf.startswith(b"stream", body_end):
            start = pdf.index(b"\n", body_end) + 1
            length = re.search(rb"/Length (\d+)", header)
            assert length, header
            data = pdf[start : start + int(length.group(1))]
            if b"/FlateDecode" in header:
                data = zlib.decompress(data)
        found[int(match.group(1))] = (header, data)
    return found


def glyphs(objects: dict[int, tuple[bytes, bytes]], header: bytes, content: bytes) -> int:
    """Text-drawing operators in a content stream and the form XObjects it draws."""
    resources = re.search(rb"/XObject\s*<<(.*?)>>", header, re.S)
    names = dict(re.findall(rb"/(\w+) (\d+) 0 R", resources.group(1))) if resources else {}
    total = len(re.findall(rb"\sT[jJ]\b", content))
    for name in re.findall(rb"/(\w+) Do\b", content):
        form_header, form_content = objects[int(names[name])]
        if b"/Subtype /Form" in form_header:
            total += glyphs(objects, form_header, form_content)
    return total


def glyphs_per_page(pdf: bytes) -> list[int]:
    """How much text each page of a Chromium PDF carries, in page order.

    Chromium's PDF writer numbers page objects in page order and draws one glyph (or run)
    per text operator, so the count is a fair measure of how full a page is."""
    objects = pdf_objects(pdf)
    pages = []
    for _, (header, _data) in sorted(objects.items()):
        if re.search(rb"/Type /Page\b", header):
            contents = re.search(rb"/Contents (\d+) 0 R", header)
            assert contents, header
            pages.append(glyphs(objects, header, objects[int(contents.group(1))][1]))
    return pages


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with fresh_page(browser, 1280, 900) as page:
        yield page


def pages_for(site: Path, audience: str) -> list[str]:
    marker = f'data-gs-page-audience="{audience}"'
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if marker in path.read_text(encoding="utf-8")
    )


def test_every_patient_page_prints_as_a_full_handout_of_at_most_two_pages(
    page: Any, base: str, built_site: Path
) -> None:
    names = pages_for(built_site, "patient")
    assert names
    printed = {}
    for name in names:
        page.goto(base + name, wait_until="networkidle")
        printed[name] = glyphs_per_page(page.pdf(format="A4"))
    for name, counts in printed.items():
        assert 0 < len(counts) <= HANDOUT_PAGES, (name, counts)
        # A block that cannot split would push everything after the introduction over
        # and leave the first page half empty.
        assert counts[0] >= 0.5 * max(counts), (name, counts)


CHROME = (
    ".md-header",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    ".gs-audience-switch",
    ".gs-related",
    ".gs-tag",
    ".headerlink",
    ".gs-backlink",
    "form.gs-calculator button",
    "form.gs-calculator .gs-engine-status",
    "form.gs-calculator .gs-help",
)


def visible(page: Any, selector: str) -> list[str]:
    return [
        str(text)
        for text in page.locator(selector).evaluate_all(
            "(found) => found.filter((e) => e.getClientRects().length"
            " && getComputedStyle(e).visibility !== 'hidden').map((e) => e.outerHTML.slice(0, 80))"
        )
    ]


def test_a_clinician_page_prints_its_text_and_references_without_chrome(
    page: Any, base: str, built_site: Path
) -> None:
    names = [
        name
        for name in pages_for(built_site, "clinician")
        if 'class="gs-calculator"' in (built_site / name).read_text(encoding="utf-8")
        and not name.startswith("calculators/")
    ]
    assert names, "a clinician page that embeds a calculator"
    page.goto(base + names[0], wait_until="networkidle")
    page.wait_for_selector(READY, timeout=60_000)
    on_screen = {selector: bool(visible(page, selector)) for selector in CHROME}
    page.emulate_media(media="print")
    assert {selector: visible(page, selector) for selector in CHROME} == {
        selector: [] for selector in CHROME
    }
    # Most of the chrome was there to hide: the check is not vacuous.
    assert sum(on_screen.values()) >= len(CHROME) - 2, on_screen
    for kept in (
        "h1.gs-question",
        ".md-content p",
        ".gs-references .gs-reference",
        ".gs-disclaimer",
    ):
        assert visible(page, kept), kept
    assert page.locator(".gs-references").inner_text().count("http") >= 3
    assert len(glyphs_per_page(page.pdf(format="A4"))) >= 2


def test_a_calculator_prints_its_inputs_and_current_result_with_the_date(
    page: Any, base: str
) -> None:
    page.goto(base + "calculators/pain-relief.html", wait_until="networkidle")
    page.wait_for_selector(READY, timeout=60_000)
    form = page.locator("form.gs-calculator")
    form.locator("input[name=baseline_nrs]").fill("8")
    form.locator("input[name=current_nrs]").fill("2")
    form.locator("[data-result]", has_text="75 %").wait_for(timeout=10_000)
    # Stale on purpose: printing must stamp the moment of printing and the current address.
    page.evaluate(
        "document.querySelectorAll('[data-gs-printed]').forEach((e) => {"
        " e.setAttribute('data-gs-printed', 'stale');"
        " e.setAttribute('data-gs-address', 'stale'); })"
    )
    pdf = page.pdf(format="A4")
    assert glyphs_per_page(pdf)

    page.emulate_media(media="print")
    today = date.today()
    stamp = str(form.evaluate("(f) => getComputedStyle(f, '::after').content"))
    assert f"{today.day} {today:%B %Y}" in stamp and "stale" not in stamp
    address = page.locator(".md-content__inner").get_attribute("data-gs-address") or ""
    assert address == page.url
    assert visible(page, "form.gs-calculator input[name=baseline_nrs]")
    assert form.locator("input[name=baseline_nrs]").input_value() == "8"
    result = form.locator("[data-result]")
    assert visible(page, "form.gs-calculator [data-result]")
    assert "75 %" in result.inner_text()
    assert not visible(page, "form.gs-calculator .gs-result-pending")
    assert not visible(page, "form.gs-calculator button")


def test_a_calculator_printed_without_its_engine_says_so(page: Any, base: str) -> None:
    page.route("**/assets/engine/pyodide-*/**", lambda route: route.abort())
    page.goto(base + "calculators/pain-relief.html")
    page.wait_for_selector("[data-engine-status][data-engine-state=error]", timeout=30_000)
    page.emulate_media(media="print")
    # The reader of the printout learns the result did not follow any change of input.
    assert visible(page, "form.gs-calculator .gs-engine-status")
    assert visible(page, "form.gs-calculator .gs-result-origin")
