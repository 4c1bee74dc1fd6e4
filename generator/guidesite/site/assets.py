"""Static files the generator adds to every site: its own CSS/JS and vendored npm files.

Everything under `guidesite/assets/X` is published at `assets/X`. Vendored files are copied
from node_modules at build time (never committed), so no page needs any outside host.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from guidesite import PACKAGE_DIR

ASSETS_DIR = PACKAGE_DIR / "assets"

# The site's one stylesheet, joined at build time from the parts below (each keeps its own
# file here): one request holding up every page's first paint rather than one per part,
# each a round trip on a phone's network (README, "Performance"). Print rules sit inside
# `@media print`, so they cost the screen nothing but their bytes.
STYLESHEET = "assets/guidesite/site.css"
STYLESHEET_PARTS = (
    "assets/guidesite/guidesite.css",
    "assets/guidesite/print.css",
    "assets/calculators/forms.css",
    "assets/guidesite/recommendations.css",
)
SCRIPTS = (
    "assets/guidesite/guidesite.js",
    # Classic, so it still runs from file://, where browsers refuse the module scripts the
    # calculators need; it explains that beside each calculator (a few hundred bytes).
    "assets/engine/file-guard.js",
)
# Offline after the first visit (the `offline` option): the service worker's registration
# and the notice of a newer release.
OFFLINE_STYLESHEET_PARTS = ("assets/guidesite/offline.css",)
OFFLINE_SCRIPTS = ("assets/guidesite/offline.js",)
# ES modules: the calculator forms runtime imports the engine client.
MODULE_SCRIPTS = ("assets/calculators/forms.js",)
# Site path -> path inside node_modules.
VENDORED = {
    # Material's offline plugin would fetch this search-worker shim from unpkg; listing a
    # local copy under `extra.polyfills` first makes it keep ours.
    "assets/vendor/iframe-worker/shim.js": "iframe-worker/shim/index.js",
}
POLYFILLS = ("assets/vendor/iframe-worker/shim.js",)
# Published only when the site has calculators: the forms runtime and the engine's scripts.
CALCULATOR_FOLDERS = ("assets/calculators/", "assets/engine/")


def needed(paths: Iterable[str], calculators: bool) -> list[str]:
    """`paths` without the calculator files when the site has no calculator."""
    return [path for path in paths if calculators or not path.startswith(CALCULATOR_FOLDERS)]


def stylesheet(calculators: bool, offline: bool) -> str:
    """The text of `STYLESHEET`: its parts in order, each headed by its source's name."""
    parts = [*needed(STYLESHEET_PARTS, calculators), *(OFFLINE_STYLESHEET_PARTS if offline else ())]
    return "".join(
        f"/* {part} */\n{(ASSETS_DIR.parent / part).read_text(encoding='utf-8')}\n"
        for part in parts
    )


def find_node_modules(project_dir: Path, configured: str | None) -> Path:
    """The site's node_modules directory: as configured, else next to mkdocs.yml.

    The npm packages are the site's own dependencies (its package.json pins them); an
    installed generator carries none of them. Resolved, so a linked node_modules is read
    with the package-lock.json (and engine cache) of the project that installed it.
    """
    node_modules = (project_dir / (configured or "node_modules")).resolve()
    if not (node_modules / next(iter(VENDORED.values()))).is_file():
        raise PluginError(
            f"node_modules with iframe-worker not found in {node_modules}; "
            "run `npm ci` in the project directory"
        )
    return node_modules


def asset_sources(node_modules: Path, calculators: bool) -> dict[str, Path]:
    """Site path -> source of each file to copy: the generator's assets (the calculator
    ones only for a site with `calculators`; the stylesheet parts only joined, as
    `STYLESHEET`), then the vendored npm files."""
    joined = {*STYLESHEET_PARTS, *OFFLINE_STYLESHEET_PARTS}
    generated = {
        site_path: path
        for path in sorted(ASSETS_DIR.rglob("*"))
        if path.is_file()
        and (site_path := path.relative_to(ASSETS_DIR.parent).as_posix()) not in joined
    }
    sources = {site_path: generated[site_path] for site_path in needed(generated, calculators)}
    for site_path, npm_path in VENDORED.items():
        source = node_modules / npm_path
        if not source.is_file():
            raise PluginError(f"{source} is missing; run `npm ci` in the project directory")
        sources[site_path] = source
    return sources


def asset_files(
    config: MkDocsConfig, node_modules: Path, calculators: bool, offline: bool
) -> list[File]:
    """`asset_sources` and `STYLESHEET` as MkDocs files."""
    copied = [
        File.generated(config, site_path, abs_src_path=str(source))
        for site_path, source in asset_sources(node_modules, calculators).items()
    ]
    return [File.generated(config, STYLESHEET, content=stylesheet(calculators, offline)), *copied]
