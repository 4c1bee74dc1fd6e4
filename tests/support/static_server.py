"""A small static file server for tests and benchmarks.

Serves a built site under a URL prefix (the intranet sub-path case) on 127.0.0.1 with the
MIME types an intranet server must send, and can be told to get them wrong on purpose.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

# Where the browser tests serve the site: under a folder, as an intranet often does, so a
# page that assumed the host's root would break.
SITE_PREFIX = "/guidelines/"

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".whl": "application/zip",
}


class _Handler(SimpleHTTPRequestHandler):
    prefix: ClassVar[str] = "/"
    overrides: ClassVar[dict[str, str]] = {}

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def guess_type(self, path: str | object) -> str:
        suffix = Path(str(path)).suffix
        if suffix in self.overrides:
            return self.overrides[suffix]
        return MIME_TYPES.get(suffix) or super().guess_type(path)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(
    directory: Path, prefix: str = "/", mime_overrides: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve `directory` at http://127.0.0.1:<port><prefix>; yields that base URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type(
        "Handler", (_Handler,), {"prefix": prefix, "overrides": dict(mime_overrides or {})}
    )
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
