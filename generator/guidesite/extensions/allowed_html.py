"""What a page's rendered HTML may contain: an allow-list of elements, attributes and URL
schemes, so nothing an editor writes can run, redirect, restyle or hide the page, or make
the browser fetch from another host.

The list is what Markdown, the site's Markdown extensions and our blocks (citations,
call-outs, recommendations, calculators) produce; anything else is refused with the reason.
Attribute values are read after entity decoding, and URLs with the characters browsers
ignore in them removed, so `&#106;avascript:` or `java\tscript:` is a script link too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# fmt: off
ELEMENTS = frozenset((
    "a", "abbr", "aside", "b", "blockquote", "br", "button", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "i", "img", "input", "ins", "kbd", "label", "legend", "li", "mark", "nav", "ol",
    "optgroup", "option", "p", "pre", "q", "s", "samp", "section", "select", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "template", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var",
))
# Drawings the generator lays out (the rules flowchart): shapes and text, nothing that
# links, loads or runs. Only the generator writes them: the body check refuses them in what
# an editor writes, as a drawing in a page's source is checked against no rules it shows.
DRAWING_ELEMENTS = frozenset(("svg", "g", "rect", "text", "polyline", "polygon", "title", "desc"))
ELEMENTS |= DRAWING_ELEMENTS
GLOBAL_ATTRIBUTES = frozenset(("class", "id", "title", "lang", "dir", "role", "hidden", "tabindex"))
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "form": {"novalidate"},
    "input": {
        "type", "name", "value", "checked", "disabled", "size", "inputmode", "autocomplete",
        "min", "max", "step", "placeholder", "required",
    },
    "label": {"for"},
    "select": {"name", "multiple", "disabled", "required"},
    "option": {"value", "selected", "disabled"},
    "optgroup": {"label", "disabled"},
    "button": {"type", "disabled"},
    # html.parser reads attribute names in lower case: viewbox is SVG's viewBox.
    "svg": {"width", "height", "viewbox", "font-size"},
    "rect": {"x", "y", "width", "height", "rx"},
    "text": {"x", "y"},
    "polyline": {"points"},
    "polygon": {"points"},
}
# Why the dangerous ones are refused, and the fix, for the message.
BLOCKED = ("scripts and embedded pages are blocked on the intranet", "remove it, or ask for a "
           "Markdown block")
ELEMENT_REASONS = {
    **dict.fromkeys(
        ("script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet"),
        BLOCKED,
    ),
    "style": ("the site's theme styles every page, and a page's own styles could hide or cover "
              "its review status or disclaimer", "remove it"),
    **dict.fromkeys(
        ("meta", "base", "link"),
        ("it could send readers to another address or load files from another host",
         "remove it"),
    ),
}
OTHER_ELEMENT = ("not an element pages may use", "write it in Markdown instead, or remove it")
ATTRIBUTE_REASONS = {
    "style": ("the site's theme styles every page, and a style could hide or cover text",
              "remove it"),
    **dict.fromkeys(
        ("action", "formaction"),
        ("a form would send what readers type to another address", "remove it"),
    ),
}
OTHER_ATTRIBUTE = ("not an attribute pages may use", "remove it")
# fmt: on
# Elements without content, and those whose text is meant literally.
VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)
LITERAL_CONTAINERS = frozenset(("code", "pre", "kbd", "samp", "template"))
URL_ATTRIBUTES = frozenset(("href", "cite"))
LINK_SCHEMES = frozenset(("http", "https", "mailto", "tel"))
# Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme.
IGNORED_IN_URL_RE = re.compile(r"[\x00-\x20\x7f]")
SCHEME_RE = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*):", re.IGNORECASE)


@dataclass(frozen=True)
class Refusal:
    """Something the page may not contain, with `needles`: text (lower case, entities
    decoded) that finds the editor's line, most telling first."""

    message: str
    needles: tuple[str, ...]


def scheme(url: str) -> str | None:
    """`'JavaScript:x'` -> `'javascript'`; `None` for a relative URL (or `//host/...`)."""
    match = SCHEME_RE.match(IGNORED_IN_URL_RE.sub("", url))
    return match.group("scheme").lower() if match else None


def is_outside(url: str) -> bool:
    """A URL on another host: with a scheme, or starting `//`."""
    bare = IGNORED_IN_URL_RE.sub("", url)
    return scheme(url) is not None or bare.startswith(("//", "\\\\", "/\\", "\\/"))


@dataclass
class Page:
    """What the checks need of a page's HTML, read once: what the allow-list refuses, the
    ids it has, and its text outside code (in runs between tags, entities decoded)."""

    refusals: list[Refusal] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)


def read(html: str) -> Page:
    """Read a page's HTML (the standard library's tokenizer, as BeautifulSoup's
    `html.parser`; without building a tree, as the preview's speed depends on it)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[str] = []  # elements not yet closed, outermost first
        self.refused_at: int | None = None  # depth of the open refused element, if any

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.ids.update(value for name, value in attrs if name == "id" and value)
        if self.refused_at is None:  # what is inside a refused element is not refused again
            if tag not in ELEMENTS:
                why, fix = ELEMENT_REASONS.get(tag, OTHER_ELEMENT)
                message = f"<{tag}> is not allowed in a page ({why}); {fix}"
                self.page.refusals.append(Refusal(message, (f"<{tag}",)))
                self.refused_at = len(self.open)
            else:
                self.page.refusals += _attribute_refusals(tag, attrs)
        if tag in VOID:
            if self.refused_at == len(self.open):
                self.refused_at = None
        else:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return  # a stray end tag: the source check reports it
        while self.open and self.open.pop() != tag:
            pass
        if self.refused_at is not None and len(self.open) <= self.refused_at:
            self.refused_at = None

    def handle_data(self, data: str) -> None:
        if self.refused_at is None and not LITERAL_CONTAINERS.intersection(self.open):
            self.page.texts.append(data)


def _attribute_refusals(tag: str, attrs: list[tuple[str, str | None]]) -> list[Refusal]:
    found = []
    for attribute, raw in attrs:
        value = raw or ""
        needles: tuple[str, ...] = (attribute, f"<{tag}")
        if value.strip():
            needles = (value.strip().lower(), *needles)
        if attribute.startswith("on"):
            found.append(
                Refusal(
                    f"event handler {attribute}= on <{tag}> is not allowed (no scripts in "
                    "pages); remove the attribute",
                    (attribute, *needles),
                )
            )
        elif not (
            attribute in GLOBAL_ATTRIBUTES
            or attribute in ATTRIBUTES.get(tag, ())
            or attribute.startswith(("aria-", "data-"))
        ):
            why, fix = ATTRIBUTE_REASONS.get(attribute, OTHER_ATTRIBUTE)
            found.append(Refusal(f"{attribute}= on <{tag}> is not allowed ({why}); {fix}", needles))
        elif attribute in URL_ATTRIBUTES:
            found += _link_refusal(value, needles)
        elif attribute == "src":
            found += _image_refusal(value, needles)
    return found


def _link_refusal(url: str, needles: tuple[str, ...]) -> list[Refusal]:
    found = scheme(url)
    if found is None or found in LINK_SCHEMES:
        return []
    return [
        Refusal(
            f"a '{found}:' link is not allowed; link to a page, or to a source's https:// address",
            needles,
        )
    ]


def _image_refusal(url: str, needles: tuple[str, ...]) -> list[Refusal]:
    if not is_outside(url):
        return []
    where = "is on another host" if scheme(url) in (None, "http", "https") else "is not a file"
    return [
        Refusal(
            f"image {url!r} {where}; the intranet site makes no outside requests, so save "
            "the image under content/ and link to that file",
            needles,
        )
    ]
