"""Generated guideline pages for the build benchmark: N valid pages citing the real references.

The same Markdown is built twice: by our config (the guidesite plugin checks the front matter,
numbers the citations, draws the call-outs) and by a plain mkdocs-material config with the
same theme features, for which the citations and call-out fences stay as text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHY = ROOT / "content" / "references.bib"
# Every entry is cited somewhere (a strict build refuses an uncited one).
KEYS = tuple(re.findall(r"^@\w+\{([^,\s]+),", BIBLIOGRAPHY.read_text(), re.MULTILINE))

PAGE = """---
title: Generated question {n}
question: What is the next step for generated benchmark case {n}?
audience: clinician
status: under-review
last_updated: 2026-11-22
next_review: 2027-11-22
reviewers: ["Benchmark reviewer {n}"]
tags: [group-{group}, theme-{theme}]
related: [{related}]
summary: >
  Case {n} follows the usual pathway: reassess, then choose the next step with the
  patient [@{key_a}; @{key_b}].
---

Case {n} is a generated page with the length and structure of a real guideline answer
[@{key_a}].

/// red-flag | Same-day assessment for case {n}
- new weakness in a leg or foot [@nice-ng59];
- loss of bladder or bowel control [@lee2013].
///

## What the evidence says

{paragraphs}

/// pitfall | Repeating what did not work
A repeat injection after no response rarely helps [@{key_b}].
///

## What to do next

1. Review the history and examination again [@{key_a}].
2. Agree a plan with the patient and record it [@{key_b}].
"""

PARAGRAPH = (
    "Paragraph {i} of case {n}: the trials and guidelines cited here differ in who they "
    "enrolled and how they measured relief, so the numbers are read with care and the "
    "decision rests on the patient's own response and goals [@{key}].\n\n"
)

# Our mkdocs.yml without the guidesite plugin: the same theme,
# features and Markdown extensions otherwise.
PLAIN_CONFIG = """site_name: Back Pain Pathways (plain)
site_url: http://localhost/guidelines/
docs_dir: content
theme:
  name: material
  font: false
  language: en
  features: [navigation.instant, navigation.prune, navigation.top, search.suggest,
             search.highlight]
plugins: [search, offline]
exclude_docs: |
  /abbreviations.txt
markdown_extensions:
  - abbr
  - attr_list
  - md_in_html
  - toc:
      permalink: true
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [!relative $docs_dir]
      auto_append: [abbreviations.txt]
"""


def page_text(n: int, total: int) -> str:
    # Eight different keys a page, moving on by eight a page: three pages cite every entry.
    first = n * 8
    paragraphs = "".join(
        PARAGRAPH.format(i=i, n=n, key=KEYS[(first + i) % len(KEYS)]) for i in range(1, 7)
    )
    return PAGE.format(
        n=n,
        # Topics of about 100 and 140 pages: related pages are found among those.
        group=n % 10,
        theme=n % 7,
        related=f"generated-{(n + 1) % total:04d}",
        key_a=KEYS[first % len(KEYS)],
        key_b=KEYS[(first + 7) % len(KEYS)],
        paragraphs=paragraphs.rstrip(),
    )


def write_projects(work: Path, count: int) -> tuple[Path, Path]:
    """Two project folders holding the same `count` pages: (ours, plain mkdocs-material)."""
    ours, plain = work / f"ours-{count}", work / f"plain-{count}"
    for project in (ours, plain):
        content = project / "content"
        content.mkdir(parents=True)
        shutil.copyfile(BIBLIOGRAPHY, content / "references.bib")
        for n in range(count):
            (content / f"generated-{n:04d}.md").write_text(page_text(n, count))
    shutil.copyfile(ROOT / "mkdocs.yml", ours / "mkdocs.yml")
    # mkdocs.yml's `icon` (our build publishes it as the home-screen icon only).
    shutil.copyfile(ROOT / "content" / "icon.svg", ours / "content" / "icon.svg")
    (ours / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG)
    # Plain MkDocs would publish the .bib file as a static file; ours reads it instead.
    (plain / "content" / "references.bib").unlink()
    return ours, plain
