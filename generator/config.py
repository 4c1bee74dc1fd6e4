"""Options of the `guidesite` plugin, as written under `plugins: - guidesite:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GuideSiteConfig(Config):
    """Typed plugin configuration; every option has a default that suits this project."""

    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (the site then builds as plain Material)."""

    bibliography = c.Type(str, default="references.bib")
    """The BibTeX file, relative to `docs_dir`."""

    node_modules = c.Optional(c.Type(str))
    """Where npm installed the vendored browser files; default: next to mkdocs.yml, else
    the generator's own checkout (so a copied project still builds)."""

    related_limit = c.Type(int, default=6)
    """At most this many related questions under a page (explicit `related` come first)."""
