"""Run the shipped nginx snippet in a real nginx owned by the test (no root, no system paths)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SNIPPET = DEPLOY / "nginx" / "back-pain-pathways.conf"
SHIPPED_ROOT = "/srv/www/back-pain-pathways/"
PREFIX = "/guidelines/"
START_TIMEOUT_S = 10

# Everything nginx would write lives in the test's own directory; `daemon off` keeps nginx
# a child of the test so it is stopped with it.
MAIN_CONF = """\
daemon off;
{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {snippet};
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
    )


def worker_user() -> str:
    """Under root nginx's workers would switch to `nobody`, who cannot read pytest's 0700
    temporary directories; keep them as root there (never in production)."""
    return "user root root;" if os.geteuid() == 0 else ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def snippet_for(site: Path, snippet_text: str | None = None) -> str:
    """The shipped snippet (or a variant of it) pointed at `site` instead of /srv/www."""
    text = SNIPPET.read_text() if snippet_text is None else snippet_text
    assert text.count(f"alias {SHIPPED_ROOT};") == 1, "the snippet's alias line changed"
    return text.replace(f"alias {SHIPPED_ROOT};", f"alias {site.resolve()}/;")


@contextmanager
def run_nginx(site: Path, work: Path, snippet_text: str | None = None) -> Iterator[str]:
    """Serve `site` with the snippet; yields the base URL, http://127.0.0.1:<port>/guidelines/."""
    binary = nginx_binary()
    assert binary is not None
    work.mkdir(parents=True, exist_ok=True)
    snippet = work / "back-pain-pathways.conf"
    snippet.write_text(snippet_for(site, snippet_text))
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(MAIN_CONF.format(user=worker_user(), work=work, port=port, snippet=snippet))
    checked = subprocess.run(
        [binary, "-t", "-q", "-e", "stderr", "-p", str(work), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [binary, "-e", "stderr", "-p", str(work), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}{PREFIX}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            raise AssertionError(f"nginx exited: {error}")
        try:
            with urllib.request.urlopen(base, timeout=1):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise AssertionError(f"nginx did not answer at {base} within {START_TIMEOUT_S} s")
