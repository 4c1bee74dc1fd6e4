"""Where a problem is: text offsets become the 1-based lines editors see."""

from __future__ import annotations

import pytest

from guidesite.content.problems import line_at

TEXT = "first\nsecond\n\nfourth"


@pytest.mark.parametrize(
    ("offset", "line"),
    [(0, 1), (5, 1), (6, 2), (13, 3), (14, 4), (len(TEXT), 4)],
)
def test_offsets_map_to_lines(offset: int, line: int) -> None:
    assert line_at(TEXT, offset) == line
