"""Offline after the first visit: the service worker, the web app manifest and its icons.

Written after everything else (the engine included), because the service worker's precache
manifest lists every published file with a hash of its content. Workbox writes it, run by
Node.js (`guidesite/build/service-worker.mjs`). With the feature switched off, `sw.js` is a
worker that removes itself and its caches from every browser that installed an earlier one.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from guidesite import PACKAGE_DIR
from guidesite.site.icons import icon_png

log = logging.getLogger("mkdocs.plugins.guidesite.offline")

BUILD_DIR = PACKAGE_DIR / "build"
SERVICE_WORKER = "sw.js"
WEB_APP_MANIFEST = "web-app-manifest.json"
ICON_SIZES = (192, 512)
ICONS_DIR = "assets/guidesite/icons"
SITE_ICON = f"{ICONS_DIR}/icon.svg"
THEME_COLOR = "#4051b5"
# Workbox reads every published file twice (about 0.8 GB each time at 10 000 pages).
BUILD_TIMEOUT_S = 600


@dataclass(frozen=True)
class Precache:
    """What the service worker keeps for offline use."""

    files: int
    size_bytes: int
    reused: bool  # sw.js and Workbox's runtime came from the build cache (site unchanged)


def write_service_worker(site_dir: Path, node_modules: Path, cache_dir: Path) -> Precache | None:
    """Write sw.js and Workbox's runtime beside it (bundled, or taken from `cache_dir` when
    nothing they are made from changed); None (with a warning) if that failed."""
    node = shutil.which("node")
    if node is None:
        log.warning(
            "Node.js not found: building without the service worker, so the site does not "
            "work offline; install Node.js, or build with --no-strict to accept that"
        )
        return None
    script = BUILD_DIR / "service-worker.mjs"
    try:
        done = subprocess.run(
            [node, str(script), str(site_dir), str(node_modules), str(cache_dir)],
            check=True,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        log.warning("Service worker not written (the site works, but not offline): %s", error)
        return None
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    precache = Precache(
        files=summary["count"], size_bytes=summary["size"], reused=summary["cached"]
    )
    log.info(
        "Service worker precaches %d files, %.1f MB%s",
        precache.files,
        precache.size_bytes / 1e6,
        " (bundle reused from the build cache)" if precache.reused else "",
    )
    return precache


def write_retiring_service_worker(site_dir: Path) -> None:
    """Publish the worker that uninstalls an earlier one (the feature is switched off)."""
    shutil.copyfile(BUILD_DIR / "retiring-sw.js", site_dir / SERVICE_WORKER)


def head_icon(site_icon: Path | None) -> str:
    """The published icon every page's head links to (the apple-touch-icon)."""
    return SITE_ICON if site_icon is not None else f"{ICONS_DIR}/icon-{ICON_SIZES[0]}.png"


def write_web_app_manifest(
    site_dir: Path, name: str, description: str, site_icon: Path | None
) -> None:
    """The manifest and icons that let a reader add the site to a phone's home screen:
    `site_icon` (an SVG, any size) or else the generator's neutral icon in each size."""
    (site_dir / ICONS_DIR).mkdir(parents=True, exist_ok=True)
    icons = []
    if site_icon is not None:
        shutil.copyfile(site_icon, site_dir / SITE_ICON)
        icons.append(
            {"src": SITE_ICON, "sizes": "any", "type": "image/svg+xml", "purpose": "any maskable"}
        )
    else:
        for size in ICON_SIZES:
            path = f"{ICONS_DIR}/icon-{size}.png"
            (site_dir / path).write_bytes(icon_png(size))
            icons.append(
                {
                    "src": path,
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any maskable",
                }
            )
    manifest = {
        "name": name,
        "short_name": name,
        "description": description,
        # Relative to the manifest, so the site may live under any sub-path.
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    (site_dir / WEB_APP_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
