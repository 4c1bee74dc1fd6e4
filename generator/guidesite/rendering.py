"""The one renderer for HTML fragments made outside the theme (e.g. a page's References).

Fragments live under `guidesite/templates/`; directories passed in (a site's `custom_dir`)
are searched first, so a site can override any fragment without touching the generator.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from guidesite import PACKAGE_DIR, vocabularies

TEMPLATES_DIR = PACKAGE_DIR / "templates"


class Renderer:
    """Renders named templates with autoescaping, overrides first; `vocab` is a global."""

    def __init__(self, override_dirs: Sequence[str | Path] = ()) -> None:
        search_path = [str(d) for d in override_dirs] + [str(TEMPLATES_DIR)]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search_path),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        vocabularies.expose_to(self.env)

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)
