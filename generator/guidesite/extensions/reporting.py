"""How every Markdown extension here reports a mistake: `ProblemLog.report(line, message)`.

Under MkDocs the plugin gives all of them one log (a collaborator, `problems=` in their
configuration), reads it after each page and places the lines in the file. Listed in a
Markdown configuration on their own (Zensical, `markdown.markdown(...)`), the extensions of
one conversion share a log that fails the conversion at its end with every mistake found,
so a page is never rendered wrong in silence.
"""

from __future__ import annotations

from typing import Any, ClassVar

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from guidesite.content.problems import LineProblem

# The option of every extension that renders templates: a site's own templates first.
TEMPLATE_DIRS: dict[str, tuple[Any, str]] = {
    "template_dirs": ([], "Directories searched before the packaged templates"),
}
# Registered once per conversion by the first extension used without a plugin's log.
STANDALONE = "guidesite_problems"


class ProblemLog:
    """The mistakes found in one page, at lines of the Markdown the extensions were given."""

    def __init__(self) -> None:
        self.problems: list[LineProblem] = []

    def report(self, line: int, message: str) -> None:
        self.problems.append(LineProblem(line, message))

    def clear(self) -> None:
        self.problems.clear()


class PageProblemsError(ValueError):
    """A page converted without the MkDocs plugin has mistakes; one line per mistake."""

    def __init__(self, problems: list[LineProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        count = len(self.problems)
        heading = f"{count} mistake{'s' if count != 1 else ''} in this page:"
        super().__init__(
            "\n".join([heading, *(f"line {p.line}: {p.message}" for p in self.problems)])
        )


class _ClearLog(Preprocessor):
    def __init__(self, md: Markdown, log: ProblemLog) -> None:
        super().__init__(md)
        self.log = log

    def run(self, lines: list[str]) -> list[str]:
        self.log.clear()
        return lines


class _RaiseProblems(Postprocessor):
    def __init__(self, md: Markdown, log: ProblemLog) -> None:
        super().__init__(md)
        self.log = log

    def run(self, text: str) -> str:
        if self.log.problems:
            raise PageProblemsError(self.log.problems)
        return text


def log_for(md: Markdown, given: ProblemLog | None) -> ProblemLog:
    """`given` (the plugin's, which it clears and reads), else this conversion's own log."""
    if given is not None:
        return given
    if STANDALONE not in md.postprocessors:
        log = ProblemLog()
        # Cleared before any check reads the page (whitespace is normalised at 30), and
        # read after every other step has run.
        md.preprocessors.register(_ClearLog(md, log), STANDALONE, 100)
        md.postprocessors.register(_RaiseProblems(md, log), STANDALONE, 0)
    raising = md.postprocessors[STANDALONE]
    assert isinstance(raising, _RaiseProblems)  # registered above under this name
    return raising.log


class ReportingExtension(Extension):
    """An extension whose mistakes go to a `ProblemLog`: `problems=` from its configuration
    (the plugin's), else the conversion's own. Subclasses declare their options in `CONFIG`
    (name: default and description, as Python-Markdown's `config`)."""

    CONFIG: ClassVar[dict[str, tuple[Any, str]]] = {}

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            **{name: list(option) for name, option in self.CONFIG.items()},
            # Not None: Python-Markdown would read any value given for a None default as a
            # yes/no flag.
            "problems": ["", "A ProblemLog to report to (the MkDocs plugin's)"],
        }
        super().__init__(**kwargs)
        self.log = ProblemLog()

    @property
    def problems(self) -> list[LineProblem]:
        """What the last conversion reported through this extension's log."""
        return list(self.log.problems)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.log = log_for(md, self.getConfig("problems") or None)
