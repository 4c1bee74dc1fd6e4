"""Call-out blocks: red flag, pitfall, disagreement, bottom line.

    /// red-flag | Send for same-day assessment
    - new weakness in the leg
    ///

Each call-out is declared as data; their syntax is checked with every other block's
(guidesite/extensions/blocks.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any, ClassVar

from guidesite.extensions.blocks import BlocksExtension, DeclaredBlock


class Callout(DeclaredBlock):
    """A titled, styled box; the subclasses below only declare their data."""

    LABEL: ClassVar[str] = ""
    ARGUMENT: ClassVar[bool | None] = None  # the title is optional
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        box = etree.SubElement(parent, "div", {"class": f"admonition gs-callout {self.NAME}"})
        title = etree.SubElement(box, "p", {"class": "admonition-title"})
        label = etree.SubElement(title, "span", {"class": "gs-callout__label"})
        label.text = self.LABEL
        if self.argument:
            label.tail = f": {self.argument}"
        return box


class RedFlag(Callout):
    """Findings that change urgency: stop, and refer or investigate now."""

    NAME = "red-flag"
    LABEL = "Red flag"


class Pitfall(Callout):
    """A common mistake and how to avoid it."""

    NAME = "pitfall"
    LABEL = "Pitfall"


class Disagreement(Callout):
    """Where sources disagree; the title names what is disputed, so it is required."""

    NAME = "disagreement"
    LABEL = "Sources disagree"
    ARGUMENT = True


class BottomLine(Callout):
    """The page's summary, placed first by the plugin so its citations are numbered first."""

    NAME = "bottom-line"
    LABEL = "Bottom line"


class CalloutsExtension(BlocksExtension):
    """Registers the call-outs."""

    BLOCKS = (RedFlag, Pitfall, Disagreement, BottomLine)


def makeExtension(**kwargs: Any) -> CalloutsExtension:
    return CalloutsExtension(**kwargs)
