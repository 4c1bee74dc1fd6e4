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


def autoescape(template_name: str | None) -> bool:
    """Whether a template's values are HTML-escaped: yes for every template the generator
    ships (and a site's override of one), so no front-matter value can add markup; the
    theme's own templates (Material's) are left as their authors wrote them.

    The MkDocs theme's environment takes this policy (the plugin's `on_env`); `Renderer`
    escapes everything, as it renders only the generator's templates."""
    return template_name is not None and (TEMPLATES_DIR / template_name).is_file()


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
