"""Placeholders that `guidesite new` writes into a page and `check` reports until replaced.

A placeholder is the text `FILL IN:` followed by what to write there, so the message can
repeat the hint at the placeholder's own line.
"""

from __future__ import annotations

import re

from guidesite.content.problems import Problem

PLACEHOLDER_RE = re.compile(r"FILL IN:\s*(?P<hint>[^\"\n]*)")


def unfilled(path: str, text: str) -> list[Problem]:
    """One problem per line that still holds a placeholder."""
    return [
        Problem(
            path,
            number,
            f"placeholder not filled in ({match.group('hint').strip()}); replace "
            "'FILL IN: ...' with the real text",
        )
        for number, line in enumerate(text.splitlines(), 1)
        if (match := PLACEHOLDER_RE.search(line))
    ]
