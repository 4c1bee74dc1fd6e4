"""Options of the `guidesite` plugin, as written under `plugins: - guidesite:` in mkdocs.yml."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from guidesite.content.sources import MAX_FILE_BYTES

DEFAULT_DISCLAIMER = (
    "These pages help with decisions; they do not make them. Clinicians remain responsible "
    'for judging each patient\'s situation, and pages not yet marked "Approved" have not '
    "finished clinical review. If you are a patient, talk to the team treating you before "
    "you change or stop any treatment."
)


# mkdocs leaves Config.__init_subclass__ unannotated.
class GuideSiteConfig(Config):  # type: ignore[no-untyped-call]
    """Typed plugin configuration; every option has a default that suits this project."""

    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (the site then builds as plain Material)."""

    hazard_log = c.Type(str, default="safety/hazard-log.yaml")
    """The clinical safety hazard log, relative to `docs_dir`; when it exists, the site has a
    "Clinical safety" page linked from every footer, and the file itself is not published."""

    node_modules = c.Optional(c.Type(str))
    """Where the site's `npm ci` installed the vendored browser files, relative to
    mkdocs.yml; default: `node_modules` next to it."""

    related_limit = c.Type(int, default=6)
    """At most this many related questions under a page (explicit `related` come first)."""

    approved_only = c.Type(bool, default=False)
    """Publish only pages whose status is `approved`, and no link to the others
    (`guidesite build --approved-only` sets it for one build)."""

    max_file_bytes = c.Type(int, default=MAX_FILE_BYTES)
    """A content file larger than this is an error (a pasted PDF or log, not a page)."""

    offline = c.Type(bool, default=True)
    """Keep a visited site working without the network (a service worker precaches every
    page, the search index and the calculator engine) and offer it for the home screen;
    false publishes a service worker that removes an earlier one from readers' browsers."""

    version = c.Optional(c.Type(str))
    """The content version shown in the footer when the sources are not a git checkout
    (e.g. an unpacked archive); a git checkout shows its commit instead."""

    home_lead = c.Type(str, default="")
    """The paragraph under the site's name on the home page: what the site answers."""

    icon = c.Optional(c.Type(str))
    """The site's home-screen icon: an SVG file, relative to mkdocs.yml (inside `docs_dir`
    or not: it is published only as the icon), with its drawing inside the middle 60 % that
    a launcher's round or square crop keeps; left out: the generator's neutral icon (a page
    of text lines, as PNG)."""

    disclaimer = c.Type(str, default=DEFAULT_DISCLAIMER)
    """The notice at the foot of every page, printed too (plain text); a clinical site adds
    what a reader must do at once in an emergency of its field."""


def option_line(config_file: Path, key: str, value: str) -> int:
    """The line of mkdocs.yml that sets `key` to `value` (1 when it cannot be found)."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError:
        return 1
    pattern = re.compile(rf"^\s*{re.escape(key)}:\s*['\"]?{re.escape(value)}['\"]?\s*(#.*)?$")
    for number, text_line in enumerate(text.splitlines(), start=1):
        if pattern.match(text_line):
            return number
    return 1
