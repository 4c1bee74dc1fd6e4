"""The publishing layer: each FHIR resource the build makes, at a stable path, checked.

A maker (a PlanDefinition per clinician page, a Questionnaire per calculator) returns
`PublishedResource` values; `Project.fhir_resources` collects them all. Each is written as
JSON at `fhir/<resourceType>/<id>.json`, listed in the collection Bundle `fhir/index.json`,
linked from the page it belongs to, and validated against the FHIR R4B models of
`fhir.resources` first: an invalid resource fails the build at the line it came from.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from guidesite.content.problems import Problem

FHIR_DIR = "fhir"
INDEX = f"{FHIR_DIR}/index.json"
# The JSON format's media type (FHIR R4 http.html#mime-type): the deploy/ configs send it
# for every file under fhir/.
MEDIA_TYPE = "application/fhir+json"
# FHIR's `id` datatype: a resource published under its id needs a valid one.
ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


@dataclass(frozen=True)
class PublishedResource:
    """One FHIR resource for the site to publish.

    `resource`: its JSON (with `resourceType` and an `id` that is stable across builds: it
    names the file). `page_id`: the page that links to it (None: listed in the index only).
    `source` and `line`: where an editor fixes what it was made from, as build errors name
    it. `element_lines`: a more precise line for parts of it, by FHIR element path (e.g.
    "action[2]": the line of the page's third recommendation); the longest matching path
    wins.
    """

    resource: Mapping[str, Any]
    page_id: str | None
    source: str
    line: int = 1
    element_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def resource_type(self) -> str:
        return str(self.resource["resourceType"])

    @property
    def path(self) -> str:
        """Where it is published, relative to the site's root."""
        return resource_path(self.resource_type, str(self.resource["id"]))

    @property
    def label(self) -> str:
        """Its link's words on its page."""
        return f"FHIR {self.resource_type} (JSON)"

    def line_of(self, element: str) -> int:
        """The source line of `element` (a path such as "action[0].title")."""
        matches = [
            path
            for path in self.element_lines
            if element == path or element.startswith((f"{path}.", f"{path}["))
        ]
        return self.element_lines[max(matches, key=len)] if matches else self.line


def resource_path(resource_type: str, resource_id: str) -> str:
    """Where a resource is published, relative to the site's root (its canonical URL is
    this under the site's address)."""
    return f"{FHIR_DIR}/{resource_type}/{resource_id}.json"


def element_path(location: Sequence[int | str]) -> str:
    """pydantic's error location as a FHIR element path: ('action', 0, 'title') ->
    'action[0].title'."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else part
    return path


def problems(resources: Iterable[PublishedResource]) -> list[Problem]:
    """Every resource that is not valid FHIR R4B, or that another one's path clashes with,
    at its source line; the message names the published file and the element."""
    found: list[Problem] = []
    paths: dict[str, PublishedResource] = {}
    for published in resources:
        resource_type = published.resource.get("resourceType")
        resource_id = published.resource.get("id")
        made = f"the FHIR {resource_type} made from this file"
        if not isinstance(resource_id, str) or not ID_RE.match(resource_id):
            found.append(
                Problem(
                    published.source,
                    published.line,
                    f"{made} would have the id {resource_id!r}, which cannot name its file: "
                    "a FHIR id is 1 to 64 letters, digits, '-' and '.'; give this file a "
                    "shorter name",
                )
            )
            continue
        if (first := paths.setdefault(published.path, published)) is not published:
            found.append(
                Problem(
                    published.source,
                    published.line,
                    f"{made} would be published as {published.path}, as is the one made "
                    f"from {first.source}; rename one of them",
                )
            )
            continue
        try:
            invalid = _invalid_elements(json.dumps(published.resource, sort_keys=True))
        except ValueError as error:  # an unknown resourceType
            found.append(Problem(published.source, published.line, f"{made}: {error}"))
            continue
        for element, message in invalid:
            found.append(
                Problem(
                    published.source,
                    published.line_of(element),
                    f"{made} ({published.path}) is not valid FHIR R4B at "
                    f"{element or 'its root'}: {message}; correct what it is made "
                    "from here, or report it to the generator's maintainers",
                )
            )
    return found


# By the resource's JSON text: the preview validates again only the resources a save
# changed (validating every page's PlanDefinition was a third of a save at 1 000 pages).
@functools.lru_cache(maxsize=4096)
def _invalid_elements(resource_json: str) -> tuple[tuple[str, str], ...]:
    """Each element of the resource (JSON text) that FHIR R4B's models refuse, with why."""
    resource = json.loads(resource_json)
    try:
        get_fhir_model_class(str(resource["resourceType"])).model_validate(resource)
    except ValidationError as error:
        return tuple((element_path(d["loc"]), d["msg"]) for d in error.errors())
    return ()


def index_bundle(resources: Iterable[PublishedResource], site_url: str | None) -> dict[str, Any]:
    """The Bundle (type collection) of every published resource, each with its address
    under `site_url` (mkdocs.yml's) as `fullUrl` when the site has one."""
    entries = []
    for published in resources:
        entry: dict[str, Any] = {}
        if site_url:
            entry["fullUrl"] = address(site_url, published.path)
        entries.append({**entry, "resource": published.resource})
    bundle: dict[str, Any] = {"resourceType": "Bundle", "id": "index", "type": "collection"}
    # FHIR's JSON has no empty arrays: a site with nothing to publish lists no entry.
    return bundle | {"entry": entries} if entries else bundle


def address(site_url: str, path: str) -> str:
    """A site path's absolute address."""
    return site_url.rstrip("/") + "/" + path


def links(resources: Iterable[PublishedResource]) -> dict[str, list[tuple[str, str]]]:
    """Page id -> (label, site path) of each resource that page links to."""
    by_page: dict[str, list[tuple[str, str]]] = {}
    for published in resources:
        if published.page_id is not None:
            by_page.setdefault(published.page_id, []).append((published.label, published.path))
    return by_page


def _json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _compact(data: Mapping[str, Any]) -> str:
    """The same JSON on one line: a key for its indented text (`_json`), which takes about
    ten times as long to make (Python's C encoder does not indent)."""
    return json.dumps(data, ensure_ascii=False)


class WrittenFile(NamedTuple):
    text: str
    mtime_ns: int
    compact: str  # a resource's `_compact` JSON; "" for the index


# What each file of the last write holds, by its path.
Written = dict[Path, WrittenFile]

# Where each resource's text goes in the index Bundle's outline (`_index_json`); as JSON
# text the NUL is `\u0000`, which no other string of the outline can hold unescaped.
_PLACE = "\0resource "
_PLACE_RE = re.compile(r'^( *)("resource": )"\\u0000resource (\d+)"', re.MULTILINE)


def _index_json(
    resources: Sequence[PublishedResource], texts: Sequence[str], site_url: str | None
) -> str:
    """`_json(index_bundle(resources, site_url))`, made from each resource's own text
    (`texts`, in order) instead of dumping every resource a second time."""
    outline = index_bundle(resources, site_url)
    for number, entry in enumerate(outline.get("entry", [])):
        entry["resource"] = f"{_PLACE}{number}"

    def nested(place: re.Match[str]) -> str:
        indent, key, number = place.groups()
        text = texts[int(number)].rstrip("\n").replace("\n", "\n" + indent)
        return f"{indent}{key}{text}"

    return _PLACE_RE.sub(nested, _json(outline))


def write(
    site_dir: Path,
    resources: Sequence[PublishedResource],
    site_url: str | None,
    earlier: Written | None = None,
) -> Written:
    """Write each resource and the index Bundle into the built site; return what each file
    holds.

    With `earlier` (what the last write returned, kept by the preview across its builds), a
    resource whose JSON did not change keeps its text, and a file that still holds the same
    text, untouched since, is not written again: after a save, most resources are the same,
    and making their text and writing every file were a third of the save."""
    earlier = earlier or {}
    files: Written = {}
    for resource in resources:
        target, compact = site_dir / resource.path, _compact(resource.resource)
        last = earlier.get(target)
        text = (
            last.text if last is not None and last.compact == compact else _json(resource.resource)
        )
        files[target] = WrittenFile(text, 0, compact)
    texts = [files[site_dir / r.path].text for r in resources]
    files[site_dir / INDEX] = WrittenFile(_index_json(resources, texts, site_url), 0, "")
    written: Written = {}
    for target, made in files.items():
        if _unchanged(target, made.text, earlier):
            written[target] = earlier[target]
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(made.text, encoding="utf-8")
        written[target] = made._replace(mtime_ns=target.stat().st_mtime_ns)
    return written


def _unchanged(target: Path, text: str, earlier: Written) -> bool:
    if (last := earlier.get(target)) is None or last.text != text:
        return False
    try:
        return target.stat().st_mtime_ns == last.mtime_ns
    except FileNotFoundError:
        return False
