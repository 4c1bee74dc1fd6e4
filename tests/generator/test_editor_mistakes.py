"""Each mistake an editor may make fails `guidesite build` and `guidesite check` with
`path:line: what is wrong, how to fix`, and leaves an existing site exactly as it was."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import run_build
from tests.generator.projects import replace_key, run_check, site_fingerprint

PAGE = "content/recurrence-after-epidural.md"
BIB = "content/references.bib"


def append(addition: str) -> Callable[[str], str]:
    return lambda text: text + addition


def set_key(key: str, line: str) -> Callable[[str], str]:
    """Replace a front-matter key (with its value) by `line`."""
    return lambda text: replace_key(text, key, f"{line}\n")


# A complete, valid page for mistakes that need a page of their own.
NEW_PAGE = """\
---
title: A question of its own
question: Is this a question no other page asks?
audience: patient
status: under-review
last_updated: 2026-11-22
next_review: 2027-11-22
reviewers: ["An editor"]
tags: [epidural]
related: []
summary: >
  One sentence of bottom line.
---

Some text.
"""
HUGE_PAGE = NEW_PAGE + "A line that makes the file too large.\n" * 30_000
OTHER_AUDIENCE = "content/when-epidurals-do-not-work.md"
# 65 characters: one more than a FHIR id may have.
LONG_NAME = "what-next-when-leg-pain-after-an-operation-on-the-lumbar-spine-xy"


def recommendation(*options: str, statement: str = "Offer it [@lee2013].") -> str:
    """A recommendation block (7 lines with 3 options) to append to a page."""
    indented = "".join(f"    {option}\n" for option in options)
    return f"\n/// recommendation\n{indented}{statement}\n///\n"


GRADED = ("strength: offer", "certainty: not-graded")
WITH_HISTORY = "last_updated: 2026-11-22\nhistory:\n  - date: 2026-11-22\n    change: First.\n"


def new_page(old: str = "", new: str = "", body: str = "") -> Callable[[str], str]:
    """NEW_PAGE (the file did not exist) with `old` replaced by `new` and `body` appended."""
    return lambda _: NEW_PAGE.replace(old, new, 1) + body


@dataclass(frozen=True)
class Mistake:
    file: str
    change: Callable[[str], str | bytes]  # gets the file's text, "" for a new file
    marker: str | int  # the expected line: first line containing this text, or a number
    message: str  # what the report says after `path:line: `
    others: Mapping[str, Callable[[str], str]] = field(default_factory=dict)  # edited first


MISTAKES = {
    "unknown citation key": Mistake(
        PAGE, append("\nA new claim [@no-such-source].\n"), "[@no-such-source]",
        "unknown citation key 'no-such-source'",
    ),
    "page named like a generated page": Mistake(
        "content/topics.md", new_page(), 1,
        "this file name is reserved for a generated page; rename the file",
    ),
    "clinician page named too long for a FHIR id": Mistake(
        f"content/{LONG_NAME}.md", new_page("audience: patient", "audience: clinician"), 1,
        f"the FHIR PlanDefinition made from this file would have the id {LONG_NAME!r}, which "
        "cannot name its file: a FHIR id is 1 to 64 letters, digits, '-' and '.'; give this "
        "file a shorter name",
    ),
    "content file in the FHIR resources' folder": Mistake(
        "content/fhir/index.json", lambda _: "{}\n", 1,
        "the folder fhir/ is reserved for the FHIR resources the build writes; move this file "
        "into another folder",
    ),
    "misspelt citation key": Mistake(
        PAGE, append("\nA new claim [@Lee2031].\n"), "[@Lee2031]",
        "unknown citation key 'Lee2031' (did you mean 'lee2013'?); add it to references.bib",
    ),
    "unknown citation key in the summary": Mistake(
        PAGE, lambda t: t.replace("summary: >\n", "summary: >\n  Claim [@not-in-bib].\n", 1),
        "summary: >", "unknown citation key 'not-in-bib'",
    ),
    "malformed BibTeX": Mistake(
        BIB, append("\n@article{broken-entry,\n  title = {Unclosed,\n  kind = {research},\n"),
        "title = {Unclosed,", "BibTeX is malformed in entry 'broken-entry': a '{' on this "
        "line is never closed; add the missing '}'",
    ),
    "unclosed brace in an entry before others": Mistake(
        BIB, lambda t: t.replace("title = {Low back and radicular", "title = {{Low back and "
                                 "radicular", 1),
        "title = {{Low back", "BibTeX is malformed in entry 'lee2013': a '{' on this line is "
        "never closed; add the missing '}'",
    ),
    "brace too many in an entry": Mistake(
        BIB, lambda t: t.replace("\tyear = {2013},", "\tyear = 2013},", 1), "year = 2013},",
        "BibTeX is malformed in entry 'lee2013': a '}' too many on this line ends the entry "
        "early, so the fields after it would be lost; remove that '}'",
    ),
    "bibliography entry without a kind": Mistake(
        BIB, append("\n@misc{no-kind-entry,\n  title = {Something},\n}\n"),
        "@misc{no-kind-entry", "entry 'no-kind-entry' has no kind",
    ),
    "bibliography kind misspelt": Mistake(
        BIB, append("\n@misc{odd-kind,\n  title = {Something},\n  kind = {guidline},\n}\n"),
        "@misc{odd-kind", "entry 'odd-kind' has an unknown kind 'guidline' (did you mean "
        "'guideline'?); add kind = {guideline|evidence-review|research|policy|summary}",
    ),
    "bibliography entry without a title": Mistake(
        BIB, append("\n@article{untitled,\n  year = {2020},\n  kind = {research},\n}\n"),
        "@article{untitled", "entry 'untitled' has no title; add title = {...}",
    ),
    "bibliography entry without a year": Mistake(
        BIB, append("\n@article{undated,\n  title = {Something},\n  kind = {research},\n}\n"),
        "@article{undated", "entry 'undated' has no year; kind = {research} needs year = {YYYY}",
    ),
    "bibliography key used twice": Mistake(
        BIB, append("\n@misc{Lee2013,\n  title = {A copy},\n  kind = {guideline},\n}\n"),
        "@misc{Lee2013", "entry key 'Lee2013' is used again (first at line ",
    ),
    "bibliography not saved as UTF-8": Mistake(
        BIB, lambda t: t.encode() + b"\n% note: caf\xe9\n", "% note: caf",
        "byte 0xe9 at column 12 is not UTF-8 text; save the file as UTF-8",
    ),
    "front matter that is not YAML": Mistake(
        PAGE, set_key("title", "title: Broken: colon"), "title: Broken",
        "front matter is not valid YAML",
    ),
    "front matter with a missing colon": Mistake(
        PAGE, lambda t: t.replace("\nstatus: ", "\nstatus ", 1), "status under-review",
        "this front-matter line has no ':' after its key; write 'key: value'",
    ),
    "front matter whose first key has no colon": Mistake(
        PAGE, lambda t: t.replace("---\ntitle: ", "---\ntitle ", 1), 2,
        "this front-matter line has no ':' after its key; write 'key: value'",
    ),
    "tab in the front matter": Mistake(
        PAGE, lambda t: t.replace("\naudience:", "\n\taudience:", 1), "\taudience:",
        "front matter has a tab character here; YAML allows only spaces, so replace the tab "
        "with spaces",
    ),
    "front-matter key given twice": Mistake(
        "content/new-page.md", new_page("summary: >", "tags: [radicular-pain]\nsummary: >"),
        "tags: [radicular-pain]", "'tags' is given twice (lines 9 and 11); keep one of them",
    ),
    "mistake in a file saved with Windows line endings": Mistake(
        PAGE,
        lambda t: set_key("status", "status: aproved")(t).replace("\n", "\r\n").encode(),
        "status: aproved", "status: must be one of submitted, under-review, approved",
    ),
    "prefill indented by 2 spaces": Mistake(
        PAGE, append("\n/// calculator | odi\n  prefill:\n    items: [1]\n///\n"),
        "/// calculator | odi", "'/// calculator' takes no content; indent the options by 4 "
        "spaces under the block line",
    ),
    "placeholder from guidesite new left in": Mistake(
        PAGE, append("\nFILL IN: the answer, in sections\n"), "FILL IN: the answer",
        "placeholder not filled in (the answer, in sections); replace 'FILL IN: ...' with the "
        "real text",
    ),
    "front matter never closed": Mistake(
        PAGE, lambda t: t.replace("\n---\n", "\n\n", 1), 1,
        "front matter is never closed; add a '---' line after the last key",
    ),
    "missing front-matter key": Mistake(
        PAGE, lambda t: replace_key(t, "question", ""), 1, "front matter has no 'question'",
    ),
    "unknown front-matter key": Mistake(
        PAGE, lambda t: t.replace("---\n", "---\nauthor: Somebody\n", 1), "author: Somebody",
        "unknown front-matter key 'author'",
    ),
    "misspelt front-matter key": Mistake(
        PAGE, lambda t: t.replace("---\n", "---\nsumary: text\n", 1), "sumary: text",
        "unknown front-matter key 'sumary' (did you mean 'summary'?)",
    ),
    "bad date": Mistake(
        PAGE, set_key("last_updated", "last_updated: 2026-02-30"), "last_updated: 2026-02-30",
        "last_updated: must be a real date written YYYY-MM-DD",
    ),
    "next review before last update": Mistake(
        PAGE, set_key("next_review", "next_review: 2026-01-01"), "next_review: 2026-01-01",
        "next_review is before last_updated; fix either date",
    ),
    "status misspelt": Mistake(
        PAGE, set_key("status", "status: aproved"), "status: aproved",
        "status: must be one of submitted, under-review, approved (got 'aproved') "
        "(did you mean 'approved'?)",
    ),
    "audience misspelt": Mistake(
        PAGE, set_key("audience", "audience: Clinicians"), "audience: Clinicians",
        "audience: must be one of clinician, patient (got 'Clinicians') "
        "(did you mean 'clinician'?)",
    ),
    "wrong type": Mistake(
        PAGE, set_key("reviewers", "reviewers: one person"), "reviewers: one person",
        "reviewers: must be a list",
    ),
    "summary of four sentences": Mistake(
        PAGE, set_key("summary", "summary: One. Two [@lee2013]. Three. Four."), "summary: One.",
        "summary: has 4 sentences; the bottom line is 1 to 3 sentences",
    ),
    "empty summary": Mistake(
        PAGE, set_key("summary", 'summary: ""'), 'summary: ""', "summary: must be non-empty text",
    ),
    "related names no page": Mistake(
        PAGE, set_key("related", "related: [no-such-page]"), "related: [no-such-page]",
        "related names no page: 'no-such-page'",
    ),
    "related names the page itself": Mistake(
        PAGE, set_key("related", "related: [recurrence-after-epidural]"), "related: [recurrence",
        "related names this page itself; remove 'recurrence-after-epidural' from the list",
    ),
    "counterpart names no page": Mistake(
        PAGE, set_key("counterpart", "counterpart: when-epidurals-dont-work"),
        "counterpart: when-epidurals-dont-work",
        "counterpart names no page: 'when-epidurals-dont-work' (did you mean "
        "'when-epidurals-do-not-work'?)",
    ),
    "counterpart names the page itself": Mistake(
        PAGE, set_key("counterpart", "counterpart: recurrence-after-epidural"),
        "counterpart: recurrence", "counterpart names this page itself",
    ),
    "counterpart for the same audience": Mistake(
        PAGE, set_key("counterpart", "counterpart: radicular-pain-not-settling"),
        "counterpart: radicular", "counterpart 'radicular-pain-not-settling' is also for "
        "clinicians; a counterpart is written for the other audience",
    ),
    "counterpart pairs that do not match": Mistake(
        PAGE, lambda t: t, "counterpart:", "counterpart 'when-epidurals-do-not-work' names "
        "'when-injections-do-not-work' as its counterpart, not this page",
        others={OTHER_AUDIENCE: set_key("counterpart", "counterpart: when-injections-do-not-work")},
    ),
    "unknown tag format": Mistake(
        PAGE, set_key("tags", "tags: [Radicular_Pain]"), "tags: [Radicular_Pain]",
        "tags: 'Radicular_Pain' has an unknown format",
    ),
    "tag with a space": Mistake(
        PAGE, set_key("tags", "tags: [radicular pain]"), "tags: [radicular pain]",
        "tags: 'radicular pain' has an unknown format; write lowercase words joined by hyphens",
    ),
    "two pages with the same title": Mistake(
        "content/new-page.md",
        new_page("A question of its own", "Recurrence after a partial epidural response"),
        "title:", f"title is the same as in {PAGE}; give each page its own title",
    ),
    "page name with capitals": Mistake(
        "content/Recurrence-After-Epidural.md", new_page(), 1,
        "'Recurrence-After-Epidural.md' has spaces, capitals or other characters that make a "
        "fragile web address; rename it with lower-case words joined by hyphens, e.g. "
        "'recurrence-after-epidural.md'",
    ),
    "file name with a space": Mistake(
        "content/images/spine diagram.png", lambda _: b"\x89PNG\r\n", 1,
        "'spine diagram.png' has spaces, capitals or other characters that make a fragile web "
        "address; rename it with lower-case words joined by hyphens, e.g. 'spine-diagram.png'",
    ),
    "Word document in content": Mistake(
        "content/referral-letter.docx", lambda _: b"PK\x03\x04", 1,
        "'referral-letter.docx' is an office document, which the site would publish as a "
        "download; write its text in a .md page (or save it as PDF if readers need the file), "
        "and keep drafts outside content/",
    ),
    "backup copy of a page": Mistake(
        "content/recurrence-after-epidural.md.bak", lambda _: "An old copy.\n", 1,
        "'recurrence-after-epidural.md.bak' is a backup, temporary or system file, which the "
        "site would publish; delete it, or move it outside content/",
    ),
    "page saved as .MD": Mistake(
        "content/new-page.MD", new_page(), 1,
        "'new-page.MD' would be published as a file, not as a page: pages end in '.md' (lower "
        "case); rename it to new-page.md",
    ),
    "page with no text": Mistake(
        "content/new-page.md", lambda _: NEW_PAGE.split("\n\n")[0] + "\n", -1,
        "the page has no text after its front matter",
    ),
    "page not saved as UTF-8": Mistake(
        PAGE, lambda t: t.encode() + b"\nA Word dash \x96 pasted.\n", "A Word dash",
        "byte 0x96 at column 13 is not UTF-8 text; save the file as UTF-8",
    ),
    "page larger than the limit": Mistake(
        "content/huge.md", lambda _: HUGE_PAGE, 1,
        f"file is {len(HUGE_PAGE):,} bytes, over the limit of 1,000,000",
    ),
    "level-1 heading in the body": Mistake(
        PAGE, append("\n# Another title\n\nText.\n"), "# Another title",
        "level-1 heading in the body; the question is the page's only level-1 heading",
    ),
    "script in the page": Mistake(
        PAGE, append("\n<script>alert(1)</script>\n"), "<script>",
        "<script> is not allowed in a page",
    ),
    "embedded page": Mistake(
        PAGE, append('\nSee below.\n\n<iframe src="https://example.org/video"></iframe>\n'),
        "<iframe", "<iframe> is not allowed in a page",
    ),
    "event handler attribute": Mistake(
        PAGE, append('\n<span onclick="go()">Tap here</span>\n'), "onclick",
        "event handler onclick= on <span> is not allowed",
    ),
    "javascript link": Mistake(
        PAGE, append("\n[Open the tool](javascript:open())\n"), "[Open the tool]",
        "a 'javascript:' link is not allowed; link to a page, or to a source's https:// address",
    ),
    "link to a missing page": Mistake(
        PAGE, append("\nSee [the older page](recurrence-after-epidurals.md).\n"),
        "[the older page]", "links to 'recurrence-after-epidurals.md', which is not a page "
        "(did you mean 'recurrence-after-epidural.md'?)",
    ),
    "link to a heading another page does not have": Mistake(
        PAGE, append("\nSee [the dose](when-epidurals-do-not-work.md#no-such-heading).\n"),
        "[the dose]", "links to 'when-epidurals-do-not-work.md#no-such-heading', but "
        "when-epidurals-do-not-work.md has no heading or anchor 'no-such-heading'",
    ),
    "link to a heading this page does not have": Mistake(
        PAGE, append("\nSee [below](#no-such-part).\n"), "[below](#no-such-part)",
        "links to '#no-such-part', but this page has no heading or anchor 'no-such-part'",
    ),
    "image that is not there": Mistake(
        PAGE, append("\n![Spine](images/spine.png)\n"), "![Spine]",
        "image 'images/spine.png' is not a file under content/; save the file there, or write "
        "its name relative to this page",
    ),
    "image from another host": Mistake(
        PAGE, append("\n![Spine](https://example.org/spine.png)\n"), "![Spine]",
        "image 'https://example.org/spine.png' is on another host",
    ),
    "stylesheet from another host": Mistake(
        PAGE, append('\n<link rel="stylesheet" href="https://example.org/a.css">\n'), "<link",
        "<link> is not allowed in a page (it could send readers to another address or load "
        "files from another host); remove it",
    ),
    "redirect to another address": Mistake(
        PAGE, append('\n<meta http-equiv="refresh" content="2;url=https://example.org">\n'),
        "<meta", "<meta> is not allowed in a page (it could send readers to another address",
    ),
    "page styles": Mistake(
        PAGE, append("\n<style>.gs-review { display: none }</style>\n"), "<style>",
        "<style> is not allowed in a page (the site's theme styles every page, and a page's "
        "own styles could hide or cover its review status or disclaimer); remove it",
    ),
    "style attribute": Mistake(
        PAGE, append('\n<p style="position: fixed; inset: 0">Notice</p>\n'), "position: fixed",
        "style= on <p> is not allowed (the site's theme styles every page, and a style could "
        "hide or cover text); remove it",
    ),
    "form that sends elsewhere": Mistake(
        PAGE, append('\n<form action="https://example.org/collect">\n<input name="nhs">\n'
                     "</form>\n"), "<form action",
        "action= on <form> is not allowed (a form would send what readers type to another "
        "address); remove it",
    ),
    "entity-encoded javascript link": Mistake(
        PAGE, append('\n<a href="&#106;avascript:alert(1)">Open</a>\n'), "&#106;avascript",
        "a 'javascript:' link is not allowed; link to a page, or to a source's https:// address",
    ),
    "event handler written with attr_list": Mistake(
        PAGE, append('\nTap this paragraph.\n{: onclick="alert(1)" }\n'), "{: onclick",
        "event handler onclick= on <p> is not allowed (no scripts in pages); remove the "
        "attribute",
    ),
    "javascript link written with attr_list": Mistake(
        PAGE, append('\n[Open the tool](calculators/odi.md){href="javascript:go()"}\n'),
        "[Open the tool]", "a 'javascript:' link is not allowed",
    ),
    "element pages may not use": Mistake(
        PAGE, append('\n<video src="clip.mp4"></video>\n'), "<video",
        "<video> is not allowed in a page (not an element pages may use); write it in Markdown "
        "instead, or remove it",
    ),
    "raw HTML element never closed": Mistake(
        PAGE, append('\n<div class="note">\n\nRead [@lee2013] first.\n\n## More\n'),
        '<div class="note">', "<div> is opened here but not closed, so what follows would be "
        "published as raw text; add </div> where the element ends",
    ),
    "raw HTML closed but never opened": Mistake(
        PAGE, append("\nSome text.\n</section>\n"), "</section>",
        "</section> closes an element that is not open; remove it, or add <section> where the "
        "element starts",
    ),
    "citation inside raw HTML": Mistake(
        PAGE, append("\n<details><summary>More</summary>\n\nRead [@lee2013] first.\n"
                     "</details>\n"), "Read [@lee2013] first.",
        "'Read [@lee2013] first.' would be published as written, not as a citation; write it "
        "outside raw HTML, whose text is published as it is",
    ),
    "numbered steps from 3 straight after text": Mistake(
        PAGE, append("\nThen:\n3. Rest for two days.\n4. Walk.\n"), "3. Rest for two days.",
        "'3. Rest for two days.' would be published as written, not as a list item; leave a "
        "blank line before the list (a numbered list right after text must start at 1), and "
        "indent a nested item by 2 spaces under its parent",
    ),
    "nested list indented by 4 spaces": Mistake(
        PAGE, append("\n- Outer item\n    - nested by four\n"), "- nested by four",
        "'- nested by four' would be published as written, not as a list item",
    ),
    "footnote without its note": Mistake(
        PAGE, append("\nRest helps[^rest].\n"), "Rest helps[^rest]",
        "'Rest helps[^rest].' would be published as written, not as a footnote; write the note "
        "on a line of its own below, as '[^1]: the note', or write it outside raw HTML",
    ),
    "table without its header line": Mistake(
        PAGE, append("\n| Dose | Time |\n| 5 mg | 2 days |\n"), "| Dose | Time |",
        "'| Dose | Time |' would be published as written, not as a table; a table is its "
        "header row, a line like '|---|---|', then its rows; write it outside raw HTML, whose "
        "text is published as it is",
    ),
    "unclosed call-out": Mistake(
        PAGE, append("\n/// pitfall | Never closed\nSome text.\n"),
        "/// pitfall | Never closed", "'/// pitfall' is never closed",
    ),
    "call-out with bad options": Mistake(
        PAGE, append("\n/// red-flag | Bad options\n    colour: red\nText.\n///\n"),
        "/// red-flag | Bad options", "'/// red-flag': unknown option 'colour'",
    ),
    "call-out header without '|'": Mistake(
        PAGE, append("\n/// red-flag Stop and refer today\nText.\n///\n"),
        "/// red-flag Stop and refer today", "a block header needs '|' between the block's "
        "name and its title; write '/// red-flag | Stop and refer today'",
    ),
    "call-out name misspelt": Mistake(
        PAGE, append("\n/// red-flags | Stop\nText.\n///\n"), "/// red-flags",
        "unknown block '/// red-flags' (did you mean 'red-flag'?)",
    ),
    "recommendation strength unknown": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", "strength: ofer", "certainty: not-graded")),
        "/// recommendation", "unknown strength 'ofer' (did you mean 'offer'?); use one of "
        "offer, consider, do-not-offer, only-in-research",
    ),
    "recommendation certainty unknown": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", "strength: consider", "certainty: moderat")),
        "/// recommendation", "unknown certainty 'moderat' (did you mean 'moderate'?); use one "
        "of high, moderate, low, very-low, consensus, not-graded",
    ),
    "recommendation without a strength": Mistake(
        "content/new-page.md", new_page(body=recommendation("id: one", "certainty: not-graded")),
        "/// recommendation", "recommendation needs 'strength: ...' (one of offer, consider, "
        "do-not-offer, only-in-research) under its header",
    ),
    "two recommendations with the same id": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: twice", *GRADED) * 2), -6,
        "recommendation id 'twice' is already used by recommendation 1 on this page; give each "
        "recommendation its own id",
    ),
    "recommendation without a citation": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", *GRADED, statement="Offer it.")),
        "/// recommendation", "recommendation 1 cites no source; its first paragraph is the "
        "recommendation and needs a citation, e.g. [@nice-ng59]",
    ),
    "GRADE level without the evidence review that states it": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", "strength: consider", "certainty: low",
                                     statement="Consider it [@nice-ng59; @lee2013].")),
        "/// recommendation", "certainty: low names no evidence review that grades it; cite "
        "the review in the recommendation or its rationale (an entry with kind = "
        "{evidence-review} in references.bib), or write certainty: not-graded",
    ),
    "recommendation change without a date": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", *GRADED, "change: amended")),
        "/// recommendation", "'change: amended' needs the date it was made: add "
        "'    changed: YYYY-MM-DD'",
    ),
    "recommendation change date without a change": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", *GRADED, "changed: 2026-11-01")),
        "/// recommendation", "'changed' needs 'change: new' or 'change: amended' to say what "
        "changed; add one, or remove 'changed'",
    ),
    "recommendation change date that does not exist": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", *GRADED, "change: new", "changed: 2026-02-30")),
        "/// recommendation", "'/// recommendation': an option holds a date that does not "
        "exist (day is out of range for month); write a real YYYY-MM-DD",
    ),
    "recommendation changed after the page's last update": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", *GRADED, "change: new", "changed: 2026-12-01")),
        "/// recommendation", "changed: 2026-12-01 is after the page's last_updated "
        "(2026-11-22); correct the date, or add a history entry for the change and update "
        "last_updated",
    ),
    "last update that is not the newest history entry": Mistake(
        "content/new-page.md",
        new_page("last_updated: 2026-11-22\n", WITH_HISTORY.replace("-22\nh", "-23\nh")),
        "last_updated:", "last_updated is 2026-11-23 but the newest history entry is dated "
        "2026-11-22; add a history entry for this update at the top of 'history', or make the "
        "two dates the same",
    ),
    "history not newest first": Mistake(
        "content/new-page.md",
        new_page("last_updated: 2026-11-22\n", WITH_HISTORY + "  - date: 2026-11-23\n    "
                 "change: Later.\n"),
        "- date: 2026-11-23", "history: entry dated 2026-11-23 is newer than the one above it "
        "(2026-11-22); list changes newest first",
    ),
    "history entry without a change": Mistake(
        "content/new-page.md",
        new_page("last_updated: 2026-11-22\n", WITH_HISTORY.replace("    change: First.\n", "")),
        "- date: 2026-11-22", "history: every entry needs exactly a date and a change",
    ),
    # The calculator block's own tests (test_calculator_block.py) cover the wording; these
    # check that the site build reports them at the page's line.
    "unknown calculator": Mistake(
        PAGE, append("\n/// calculator | next_stpe\n///\n"), "/// calculator | next_stpe",
        "unknown calculator 'next_stpe'",
    ),
    "unknown prefilled field": Mistake(
        PAGE, append("\n/// calculator | odi\n    prefill:\n      itemz: [1]\n///\n"),
        "/// calculator | odi", "calculator 'odi': itemz:",
    ),
    "abbreviation defined twice": Mistake(
        "content/abbreviations.txt", append("*[CBT]: cognitive behaviour therapy\n"),
        "cognitive behaviour therapy", "'CBT' is already defined at content/abbreviations.txt:1; "
        "keep one definition and delete the other",
    ),
    "recommendation strength says the opposite of its words": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", *GRADED, statement="Do not offer opioids for "
                                     "sciatica [@lee2013].")),
        "/// recommendation", "recommendation 1 says 'Do not' but its strength is offer "
        "('Offer'); if the statement is right, write '    strength: do-not-offer', else reword "
        "it to start with 'Offer'",
    ),
    "recommendation 'consider' not worded so": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", "strength: consider", "certainty: low")),
        "/// recommendation", "recommendation 1 says 'Offer' but its strength is consider",
    ),
    "recommendation of three sentences": Mistake(
        "content/new-page.md",
        new_page(body=recommendation("id: one", *GRADED, statement="Offer it [@lee2013]. It "
                                     "helps most people. Few have harms.")),
        "/// recommendation", "recommendation 1 has 3 sentences; a recommendation is one or "
        "two sentences, so move the reasons to the rationale (a new paragraph below it)",
    ),
    "approved while a review is pending": Mistake(
        "content/new-page.md",
        lambda _: NEW_PAGE.replace("status: under-review", "status: approved").replace(
            '["An editor"]', '["Dr A Shah", "Consultant surgeon (review pending)"]'),
        "reviewers:", "reviewer 'Consultant surgeon (review pending)' has not reviewed the page "
        "yet, so it cannot be approved; set the status back to under-review, or write the "
        "reviewer's name once they have approved it",
    ),
    "approved without reviewers": Mistake(
        "content/new-page.md",
        lambda _: NEW_PAGE.replace("status: under-review", "status: approved").replace(
            '["An editor"]', "[]"),
        "reviewers:", "an approved page names its reviewers; add them, or set the status back "
        "to under-review",
    ),
    "approved with its next review on the day of its last update": Mistake(
        "content/new-page.md",
        lambda _: NEW_PAGE.replace("status: under-review", "status: approved").replace(
            "next_review: 2027-11-22", "next_review: 2026-11-22"),
        "next_review:", "an approved page's next review is after its last update; set "
        "next_review to when it is due, e.g. a year after last_updated",
    ),
    "date mistyped centuries ahead": Mistake(
        "content/new-page.md", new_page("next_review: 2027-11-22", "next_review: 2207-11-22"),
        "next_review:", "next_review: 2207-11-22 is more than 3 years ahead; check the year for "
        "a typo",
    ),
    "same DOI under two keys": Mistake(
        BIB, append("\n@article{lee-pathway,\n  title = {A pathway},\n  year = {2013},\n"
                    "  doi = {https://doi.org/10.1093/BJA/aet172},\n  kind = {guideline},\n}\n"),
        "@article{lee-pathway", "entry 'lee-pathway' has the same DOI as entry 'lee2013' (line ",
    ),
    "bibliography year in the future": Mistake(
        BIB, append("\n@article{soon,\n  title = {Not yet},\n  year = {2062},\n"
                    "  kind = {research},\n}\n"),
        "@article{soon", "entry 'soon' has year 2062, which is in the future; write the year "
        "the source was published",
    ),
    "glossary line that defines no abbreviation": Mistake(
        "content/abbreviations.txt", append("RFA means radiofrequency ablation\n"), "RFA means",
        "this line defines no abbreviation and would appear on every page",
    ),
    "prefilled value out of range": Mistake(
        PAGE,
        append("\n/// calculator | pain_relief\n    prefill:\n      baseline_nrs: 11\n///\n"),
        "/// calculator | pain_relief", "calculator 'pain_relief': baseline_nrs:",
    ),
    "misspelt severity in the hazard log": Mistake(
        "content/safety/hazard-log.yaml",
        lambda t: t.replace("severity: catastrophic", "severity: catastrophc", 1), "- id: H01",
        "severity 'catastrophc' (did you mean 'catastrophic'?) must be one of",
    ),
}  # fmt: skip


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    """A previous site that a failed build must not touch."""
    site = tmp_path / "out" / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<p>previous build</p>")
    (site / "assets" / "x.css").write_bytes(b"\x00previous")
    return site


def break_project(project: Path, mistake: Mistake) -> str:
    """Apply the mistake; return the `path:line:` the report must start with."""
    for other, change in mistake.others.items():
        (project / other).write_text(change((project / other).read_text(encoding="utf-8")))
    path = project / mistake.file
    path.parent.mkdir(parents=True, exist_ok=True)
    changed = mistake.change(path.read_text(encoding="utf-8") if path.exists() else "")
    if isinstance(changed, bytes):
        path.write_bytes(changed)
    else:
        path.write_text(changed, encoding="utf-8")
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    if isinstance(mistake.marker, int):
        line = mistake.marker if mistake.marker > 0 else len(lines) + 1 + mistake.marker
    else:
        line = next(n for n, s in enumerate(lines, 1) if mistake.marker in s)
    return f"{mistake.file}:{line}: "


@pytest.mark.parametrize("name", MISTAKES)
def test_build_fails_with_location_and_keeps_the_old_site(
    project_copy: Path, old_site: Path, name: str
) -> None:
    mistake = MISTAKES[name]
    location = break_project(project_copy, mistake)
    before = site_fingerprint(old_site)
    result = run_build(project_copy, old_site)
    assert result.returncode != 0
    assert f"\n{location}{mistake.message}" in result.stderr, result.stderr
    assert "not included in the" not in result.stderr  # no second, unrelated warning
    assert site_fingerprint(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("name", MISTAKES)
def test_check_fails_with_location_and_writes_nothing(project_copy: Path, name: str) -> None:
    mistake = MISTAKES[name]
    location = break_project(project_copy, mistake)
    before = sorted(p.relative_to(project_copy) for p in project_copy.rglob("*"))
    result = run_check(project_copy)
    assert result.returncode != 0
    assert f"\n{location}{mistake.message}" in result.stderr, result.stderr
    assert "not included in the" not in result.stderr  # no second, unrelated warning
    assert sorted(p.relative_to(project_copy) for p in project_copy.rglob("*")) == before


def test_unreadable_front_matter_is_one_mistake_not_its_lines_as_body(project_copy: Path) -> None:
    page = project_copy / PAGE
    # A YAML comment would be a level-1 heading if the front matter were taken as body.
    page.write_text(page.read_text().replace("\naudience:", "\n# a note\n\taudience:", 1))
    result = run_check(project_copy)
    assert result.returncode != 0
    assert "1 content error:" in result.stderr, result.stderr
    assert "tab character" in result.stderr


def test_mistakes_in_several_files_are_reported_together(project_copy: Path) -> None:
    locations = [break_project(project_copy, MISTAKES[n]) for n in ("bad date", "malformed BibTeX")]
    result = run_check(project_copy)
    assert result.returncode != 0
    assert "2 content errors:" in result.stderr
    assert all(location in result.stderr for location in locations)


def test_unused_entries_warn_and_strict_mode_makes_them_fail(
    project_copy: Path, tmp_path: Path
) -> None:
    bib = project_copy / BIB
    bib.write_text(
        bib.read_text() + "\n@misc{never-cited,\n  title = {Unused},\n  kind = {summary},\n}\n"
    )
    line = bib.read_text().splitlines().index("@misc{never-cited,") + 1
    warning = f"{BIB}:{line}: entry 'never-cited' is cited by no page"

    relaxed = run_build(project_copy, tmp_path / "relaxed", "--no-strict")
    assert relaxed.returncode == 0, relaxed.stderr
    assert warning in relaxed.stderr
    assert (tmp_path / "relaxed" / "index.html").is_file()

    strict = run_build(project_copy, tmp_path / "strict", "--strict")
    assert strict.returncode != 0
    assert warning in strict.stderr
    assert not (tmp_path / "strict").exists()

    assert run_check(project_copy, "--no-strict").returncode == 0
    assert run_check(project_copy, "--strict").returncode != 0


def test_overdue_review_is_flagged(project_copy: Path, tmp_path: Path) -> None:
    page = project_copy / PAGE
    text = replace_key(page.read_text(), "last_updated", "last_updated: 2020-01-01\n")
    text = replace_key(text, "history", "history:\n  - {date: 2020-01-01, change: First.}\n")
    page.write_text(replace_key(text, "next_review", "next_review: 2020-06-01\n"))
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "recurrence-after-epidural.html").read_text()
    assert '<strong class="gs-overdue">Review overdue</strong>' in html


def test_a_good_build_replaces_the_old_site(project_copy: Path, old_site: Path) -> None:
    result = run_build(project_copy, old_site)
    assert result.returncode == 0, result.stderr
    assert "previous build" not in (old_site / "index.html").read_text()
    assert not (old_site / "assets" / "x.css").exists()
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]


def test_check_passes_on_the_real_content() -> None:
    result = run_check(Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert "No problems found." in result.stderr


def test_citation_look_alikes_in_code_stay_literal_and_split_citations_resolve(
    project_copy: Path, tmp_path: Path
) -> None:
    page = project_copy / PAGE
    page.write_text(
        page.read_text()
        + "\nTo cite, write `[@no-such-key]` after the sentence.\n"
        + "\n```text\nA claim [@another-missing].\n```\n"
        + "\nTwo sources agree [@baber2016;\n@nice-ta159] on this.\n"
    )
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(
        (tmp_path / "site" / "recurrence-after-epidural.html").read_text(), "html.parser"
    )
    codes = [code.get_text() for code in soup.select("article code")]
    assert "[@no-such-key]" in codes
    assert "A claim [@another-missing].\n" in codes
    agree = next(p for p in soup.select("article p") if p.get_text().startswith("Two sources"))
    links = [a["href"] for a in agree.select("sup.gs-cite a")]
    assert links == ["#ref-baber2016", "#ref-nice-ta159"]


def test_front_matter_is_published_as_text_on_every_page(
    project_copy: Path, tmp_path: Path
) -> None:
    """A careless or hostile front matter: each value is shown as the text it is, on the page
    itself, the generated pages (home, topics, references, what's new, dashboard) and in
    the theme's window title, header and menu; nothing in it becomes an element."""
    redirect = '<meta http-equiv="refresh" content="2;url=https://example.org/away">'
    image = '<img src="https://example.org/x.png" onerror="alert(1)">'
    page = project_copy / PAGE
    text = replace_key(page.read_text(), "title", f"title: 'Recurrence {image}'\n")
    text = replace_key(text, "question", f"question: 'What next {redirect} then?'\n")
    text = replace_key(text, "reviewers", f"reviewers: ['{image} surgeon']\n")
    last_updated = next(line for line in text.splitlines() if line.startswith("last_updated:"))
    text = replace_key(
        text,
        "history",
        f"history:\n  - date: {last_updated.split()[1]}\n    change: '{image} First.'\n",
    )
    page.write_text(text)
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    shown = 0
    for html_file in (tmp_path / "site").rglob("*.html"):
        soup = BeautifulSoup(html_file.read_text(), "html.parser")
        refreshes = soup.find_all("meta", attrs={"http-equiv": "refresh"})
        outside = [i for i in soup.find_all("img") if "example.org" in i.get("src", "")]
        assert (refreshes, outside) == ([], []), html_file
        shown += soup.get_text().count(redirect) + soup.get_text().count(image)
    assert shown >= 6  # the page, home, topics, what's new, dashboard, references
    page_html = (tmp_path / "site" / "recurrence-after-epidural.html").read_text()
    assert (
        BeautifulSoup(page_html, "html.parser").title.get_text().startswith(f"Recurrence {image}")
    )
