"""The abbreviations glossary appended to every page: each line must define an abbreviation.

`pymdownx.snippets` appends the files named in its `auto_append` option to every page,
and the `abbr` extension turns `*[RFA]: radiofrequency ablation` lines into hover titles.
Any other line would be appended to every page as stray text, so it is a mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from guidesite.content.problems import Problem

SNIPPETS = "pymdownx.snippets"
DEFINITION_RE = re.compile(r"^\*\[(?P<term>[^\]\s][^\]]*)\]:[ \t]*\S")


def appended_files(mdx_configs: Mapping[str, Mapping[str, Any]]) -> list[Path]:
    """The auto-appended files that exist, each looked up in the snippet base paths."""
    options = mdx_configs.get(SNIPPETS, {})
    bases = [Path(str(base)) for base in options.get("base_path", ["."])]
    return [
        base / name
        for name in options.get("auto_append", [])
        for base in bases
        if (base / name).is_file()
    ]


def check(
    mdx_configs: Mapping[str, Mapping[str, Any]], shown: Callable[[Path], str]
) -> list[Problem]:
    """Every non-blank line of every appended glossary must be `*[ABBR]: meaning`, each
    abbreviation defined once (`mdx_configs`: the Markdown extensions' options, by name)."""
    problems = []
    defined: dict[str, tuple[str, int]] = {}  # term -> where it was first defined
    for path in appended_files(mdx_configs):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = DEFINITION_RE.match(line)
            if line.strip() and not match:
                problems.append(
                    Problem(
                        shown(path),
                        number,
                        "this line defines no abbreviation and would appear on every page; "
                        "write '*[ABBR]: what it stands for', or remove the line",
                    )
                )
            elif match:
                term = match.group("term")
                first = defined.setdefault(term, (shown(path), number))
                if first != (shown(path), number):
                    # The abbr extension keeps the last one silently.
                    problems.append(
                        Problem(
                            shown(path),
                            number,
                            f"{term!r} is already defined at {first[0]}:{first[1]}; keep one "
                            "definition and delete the other",
                        )
                    )
    return problems
