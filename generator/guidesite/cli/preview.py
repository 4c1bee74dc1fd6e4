"""`guidesite serve`: a live preview that reloads under the site's own policy and shows mistakes.

MkDocs' own server injects an inline reload script, which every page's Content-Security-
Policy blocks, and it stops answering while a build fails. This server injects the same
reload loop as an external script from a path of its own (allowed by `script-src 'self'`,
never part of a built site), builds into a staging folder that replaces the served site
only when the build succeeds, and lists the mistakes of a failed build, and the warnings
that a published build fails on, in a banner at the top of every page until they are fixed.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url, _timestamp

from guidesite import PACKAGE_DIR
from guidesite.content.problems import Problem
from guidesite.plugin import GuideSitePlugin
from guidesite.rendering import Renderer
from guidesite.site import csp

log = logging.getLogger("mkdocs.plugins.guidesite.preview")

PREVIEW_DIR = PACKAGE_DIR / "preview"
# Outside the site's mount path, so no page of the site can shadow it.
PREVIEW_PATH = "/.guidesite-preview/"
PREVIEW_FILES = {"livereload.js": "text/javascript", "preview.css": "text/css"}


@dataclass(frozen=True)
class Report:
    """What the last build found: mistakes that kept the old site, and warnings."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class _Collect(logging.Handler):
    """Keeps the text of every warning and error logged during one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, level: int) -> tuple[str, ...]:
        return tuple(r.getMessage() for r in self.records if r.levelno == level)


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server with an external reload script and the mistakes banner."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = Report()
        self.renderer = Renderer()

    def _serve_request(
        self, environ: dict[str, Any], start_response: Any
    ) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
        if not path.startswith(PREVIEW_PATH):
            return super()._serve_request(environ, start_response)
        name = path[len(PREVIEW_PATH) :]
        if name not in PREVIEW_FILES:
            return None
        data = (PREVIEW_DIR / name).read_bytes()
        headers = [
            ("Content-Type", f"{PREVIEW_FILES[name]}; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
        ]
        start_response("200 OK", headers)
        return [data]

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        report = self.report  # replaced whole by the build thread, never changed in place
        banner = self.renderer.render("preview/banner.html", report=report, path=PREVIEW_PATH)
        script = self.renderer.render(
            "preview/reload.html", epoch=epoch, request_id=_timestamp(), path=PREVIEW_PATH
        )
        body_start = content.find(b">", content.find(b"<body")) + 1 if b"<body" in content else 0
        body_end = content.rfind(b"</body>")
        body_end = body_end if body_end >= body_start else len(content)
        return b"".join(
            (
                content[:body_start],
                banner.encode(),
                content[body_start:body_end],
                script.encode(),
                content[body_end:],
            )
        )


def _problems(config: MkDocsConfig) -> list[Problem]:
    plugin = config.plugins.get("guidesite")
    return sorted(set(getattr(plugin, "problems", None) or []))


def build_preview(config: MkDocsConfig, served: Path, serve_url: str) -> Report:
    """Build into a staging folder; replace `served` with it only if the build succeeds."""
    staging = Path(tempfile.mkdtemp(prefix="next-", dir=served.parent))
    config.site_dir = str(staging)
    collected = _Collect()
    logging.getLogger("mkdocs").addHandler(collected)
    try:
        build(config, serve_url=serve_url)
    except Exception as error:  # any failure keeps the last good site; none stops the server
        shutil.rmtree(staging, ignore_errors=True)
        problems = _problems(config)
        if not problems:
            log.exception("The build failed")
        errors = tuple(map(str, problems)) or collected.messages(logging.ERROR) or (str(error),)
        if not (served / "index.html").is_file():
            # No good build yet: a page that carries the banner (and reloads) instead of a 404.
            (served / "index.html").write_text(
                Renderer().render("preview/no_site.html", policy=csp.read_meta_policy()),
                encoding="utf-8",
            )
        log.error("The preview keeps showing the last good site until this is fixed.")
        return Report(errors, collected.messages(logging.WARNING))
    finally:
        logging.getLogger("mkdocs").removeHandler(collected)
    old = served.with_name("old")
    served.rename(old)
    staging.rename(served)
    shutil.rmtree(old, ignore_errors=True)
    return Report((), collected.messages(logging.WARNING))


def serve(config_file: str, dev_addr: str, strict: bool) -> None:
    """Serve a live preview until interrupted; with `strict`, warnings count as mistakes."""
    workdir = Path(tempfile.mkdtemp(prefix="guidesite-preview-"))
    served = workdir / "site"
    served.mkdir()

    def get_config() -> MkDocsConfig:
        # Not strict by default: a warning (e.g. a reference not cited yet) must not stop a
        # draft; it shows in the banner, and `build` and `check` still fail on it.
        config = load_config(config_file=config_file, dev_addr=dev_addr, strict=strict)
        # No offline copy in the preview: a service worker would keep serving the page as it
        # was before the save. The retiring worker published instead removes one that a
        # built site on the same address installed earlier.
        plugin = config.plugins.get("guidesite")
        if isinstance(plugin, GuideSitePlugin):
            plugin.config.offline = False
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)
    server = PreviewServer(
        builder=lambda: None, host=host, port=port, root=str(served), mount_path=mount_path
    )

    def builder(config: MkDocsConfig | None = None) -> None:
        log.info("Building the preview...")
        config = config or get_config()
        config.site_url = serve_url
        server.report = build_preview(config, served, serve_url)

    server.builder = builder
    server.error_handler = lambda code: _error_page(served, code)
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        live = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            live.watch(item)
        try:
            live.serve()  # type: ignore[no-untyped-call]  # mkdocs leaves serve() unannotated
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            live.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(workdir, ignore_errors=True)


def _error_page(served: Path, code: int) -> bytes | None:
    page = served / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None
