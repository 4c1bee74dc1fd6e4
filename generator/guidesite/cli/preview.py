"""`guidesite serve`: a live preview that reloads under the site's own policy and shows mistakes.

MkDocs' own server injects an inline reload script, which every page's Content-Security-
Policy blocks, and it stops answering while a build fails. The preview keeps MkDocs' public
server for what it does well (watching files, rebuilding once per burst of saves, answering
HTTP) and answers every request itself: it builds into a staging folder that replaces the
served site only when the build succeeds, adds an external reload script from a path of its
own (allowed by `script-src 'self'`, never part of a built site) to every page, and lists the
mistakes of a failed build, and the warnings that a published build fails on, in a banner at
the top of every page until they are fixed.

After the first good build, each save is a differential build (`preview/differential.py`):
MkDocs' dirty build into the served folder, reading and rendering only the pages whose output
can have changed. A content mistake stops it before it writes anything, so the last good site
stays; a failure after writing began makes the next save build everything into staging again.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from wsgiref.util import FileWrapper

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from guidesite import PACKAGE_DIR
from guidesite.content.problems import Problem
from guidesite.plugin import GuideSitePlugin
from guidesite.preview.differential import Differential, RenderEverything, without_dirty_warning
from guidesite.rendering import Renderer
from guidesite.replaced_whole import replaced_whole
from guidesite.site import csp

log = logging.getLogger("mkdocs.plugins.guidesite.preview")

PREVIEW_DIR = PACKAGE_DIR / "preview"
# Outside the site's mount path, so no page of the site can shadow it.
PREVIEW_PATH = "/.guidesite-preview/"
PREVIEW_FILES = {"livereload.js": "text/javascript", "preview.css": "text/css"}
# The reload script asks here whether a build newer than its page's has finished.
POLL_PATH = PREVIEW_PATH + "poll/"
# A poll with nothing new is answered after this long, so no proxy or browser gives up on it.
POLL_TIMEOUT_S = 60.0
# How often the watcher looks for saved files (MkDocs' default is 0.5 s): a save waits half
# of this on average before its build starts. Each look stats every watched file, about
# 20 ms for 1 000 pages on a busy machine, so a tenth of a core at most while idle.
WATCH_INTERVAL_S = 0.25

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


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


def add_banner_and_reload(content: bytes, report: Report, build_number: int) -> bytes:
    """A served page with the banner after `<body>` and the reload script before `</body>`."""
    renderer = Renderer()
    banner = renderer.render("preview/banner.html", report=report, path=PREVIEW_PATH)
    script = renderer.render("preview/reload.html", build=build_number, path=PREVIEW_PATH)
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


class PreviewApp:
    """The preview's WSGI application: the last good site, the preview's own files, and the
    long poll through which each page learns that a newer build has finished."""

    def __init__(self, root: Path, mount_path: str) -> None:
        self.root = root
        self.mount_path = mount_path  # starts and ends with "/"
        # Held while a build replaces the site, so no request sees it half replaced.
        self.building = threading.Lock()
        self._finished = threading.Condition()
        self.report = Report()
        self.build_number = 0  # builds finished, failed ones too: their banner needs a reload

    def finish_build(self, report: Report) -> None:
        with self._finished:
            self.report = report
            self.build_number += 1
            self._finished.notify_all()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # WSGI hands the path over as Latin-1; browsers send UTF-8.
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace")
        if path.startswith(POLL_PATH):
            return self._poll(path[len(POLL_PATH) :], start_response)
        if path.startswith(PREVIEW_PATH):
            return self._preview_file(path[len(PREVIEW_PATH) :], start_response)
        if path == "/" and self.mount_path != "/":
            return _redirect(self.mount_path, start_response)
        if not (path + "/").startswith(self.mount_path):
            return self._not_found(start_response)
        relative = posixpath.normpath("/" + path[len(self.mount_path) :]).lstrip("/")
        if path.endswith("/"):
            relative = posixpath.join(relative, "index.html")
        with self.building:
            file = self.root / relative
            if file.is_dir() and (file / "index.html").is_file():
                return _redirect(quote(path) + "/", start_response)
            if not file.is_file():
                return self._not_found(start_response)
            if file.suffix == ".html":
                return self._page("200 OK", file.read_bytes(), start_response)
            opened = file.open("rb")  # still readable after a build replaces the folder
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = [("Content-Type", kind), ("Content-Length", str(file.stat().st_size))]
        start_response("200 OK", headers)
        return FileWrapper(opened)

    def _page(self, status: str, content: bytes, start_response: StartResponse) -> list[bytes]:
        with self._finished:
            report, build_number = self.report, self.build_number
        return _respond(
            status,
            "text/html; charset=utf-8",
            add_banner_and_reload(content, report, build_number),
            start_response,
        )

    def _not_found(self, start_response: StartResponse) -> list[bytes]:
        page = self.root / "404.html"
        content = page.read_bytes() if page.is_file() else b"<body>Not found</body>"
        return self._page("404 Not Found", content, start_response)

    def _poll(self, seen: str, start_response: StartResponse) -> list[bytes]:
        if not seen.isdigit():
            return self._not_found(start_response)
        with self._finished:
            self._finished.wait_for(lambda: self.build_number > int(seen), POLL_TIMEOUT_S)
            latest = self.build_number
        return _respond("200 OK", "text/plain", str(latest).encode(), start_response)

    def _preview_file(self, name: str, start_response: StartResponse) -> list[bytes]:
        if name not in PREVIEW_FILES:
            return self._not_found(start_response)
        kind = f"{PREVIEW_FILES[name]}; charset=utf-8"
        return _respond("200 OK", kind, (PREVIEW_DIR / name).read_bytes(), start_response)


def _respond(status: str, kind: str, data: bytes, start_response: StartResponse) -> list[bytes]:
    headers = [
        ("Content-Type", kind),
        ("Content-Length", str(len(data))),
        ("Cache-Control", "no-store"),  # every answer may change with the next save
    ]
    start_response(status, headers)
    return [data]


def _redirect(location: str, start_response: StartResponse) -> list[bytes]:
    start_response("302 Found", [("Location", location), ("Content-Length", "0")])
    return []


def _problems(config: MkDocsConfig) -> list[Problem]:
    plugin = config.plugins.get("guidesite")
    return sorted(set(getattr(plugin, "problems", None) or []))


def build_preview(
    config: MkDocsConfig, served: Path, serve_url: str, differential: Differential | None = None
) -> Report:
    """Build into a staging folder; replace `served` with it only if the build succeeds.

    With `differential`, once a build succeeded, the next ones are dirty builds into `served`
    that render again only what changed: a content mistake stops them before they write."""
    collected = _Collect()
    logging.getLogger("mkdocs").addHandler(collected)
    try:
        if differential is not None and differential.ready:
            try:
                _use(config, differential)
                config.site_dir = str(served)
                with without_dirty_warning():
                    build(config, serve_url=serve_url, dirty=True)
            except RenderEverything:  # before it wrote anything
                differential.reset()
                collected.records.clear()
                site_url, config = config.site_url, _reloaded(config)
                config.site_url = site_url
                _full_build(config, served, serve_url, differential)
        else:
            _full_build(config, served, serve_url, differential)
    except Exception as error:  # any failure keeps the last good site; none stops the server
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
    return Report((), collected.messages(logging.WARNING))


def _use(config: MkDocsConfig, differential: Differential | None) -> None:
    if isinstance(plugin := config.plugins.get("guidesite"), GuideSitePlugin):
        plugin.differential = differential


def _full_build(
    config: MkDocsConfig, served: Path, serve_url: str, differential: Differential | None
) -> None:
    _use(config, differential)
    with replaced_whole(served) as staging:
        config.site_dir = str(staging)
        build(config, serve_url=serve_url)


def _reloaded(config: MkDocsConfig) -> MkDocsConfig:
    """mkdocs.yml loaded again for another build (a build changes the config it is given)."""
    return load_preview_config(str(config.config_file_path), None, bool(config.strict))


def load_preview_config(config_file: str, dev_addr: str | None, strict: bool) -> MkDocsConfig:
    """mkdocs.yml as the preview builds it: without the offline copy."""
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


def serve(config_file: str, dev_addr: str, strict: bool) -> None:
    """Serve a live preview until interrupted; with `strict`, warnings count as mistakes."""
    workdir = Path(tempfile.mkdtemp(prefix="guidesite-preview-"))
    served = workdir / "site"
    served.mkdir()

    def get_config() -> MkDocsConfig:
        return load_preview_config(config_file, dev_addr, strict)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    server = LiveReloadServer(
        builder=lambda: None,
        host=host,
        port=port,
        root=str(served),
        mount_path=urlsplit(config.site_url or "/").path,
        polling_interval=WATCH_INTERVAL_S,
    )
    app = PreviewApp(served, server.mount_path)
    differential = Differential()
    # Every request goes to the preview's own application, none to MkDocs' file serving.
    server.set_app(app)

    def builder(config: MkDocsConfig | None = None) -> None:
        log.info("Building the preview...")
        config = config or get_config()
        config.site_url = server.url
        with app.building:
            report = build_preview(config, served, server.url, differential)
        app.finish_build(report)

    server.builder = builder
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
