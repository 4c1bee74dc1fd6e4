"""One error shape for every content mistake: a location plus what is wrong and how to fix it.

Modules collect `Problem` values instead of raising, so an editor sees every mistake of a
build at once; only the plugin boundary turns them into a single `PluginError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs.exceptions import PluginError


@dataclass(frozen=True, order=True)
class Problem:
    """A content mistake at `path:line` (path as the editor knows it, line 1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def line_at(text: str, offset: int) -> int:
    """The 1-based line of `text` that character `offset` is on, for a problem's location."""
    return text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class LineProblem:
    """A mistake found by a Markdown extension, at a line of the Markdown it was given.

    The extension does not know the file or how many front-matter lines were cut off
    before it; the plugin places it with `Problem` once it knows both.
    """

    line: int
    message: str


class ContentError(PluginError):
    """Raised once per build with every collected problem, one `path:line: ...` per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        heading = f"{count} content error{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *map(str, self.problems)]))


@dataclass(frozen=True)
class SourceMap:
    """Where the Markdown an extension saw came from, to place its `LineProblem`s.

    The plugin strips `front_matter_lines` and puts `prefix_lines` of its own in front (the
    summary box, whose text comes from the front-matter line `prefix_source_line`).
    """

    path: str
    front_matter_lines: int = 0
    prefix_lines: int = 0
    prefix_source_line: int = 1

    def place(self, problem: LineProblem) -> Problem:
        if problem.line <= self.prefix_lines:
            return Problem(self.path, self.prefix_source_line, problem.message)
        line = problem.line - self.prefix_lines + self.front_matter_lines
        return Problem(self.path, line, problem.message)


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when `value` is close to one of `choices`, else ''.

    Every closed vocabulary (status, audience, kind, block names, page ids, citation keys)
    uses it, so a typo is answered with the word the editor meant.
    """
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
