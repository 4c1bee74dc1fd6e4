"""Run a shipped server snippet in a real nginx or Apache httpd owned by the test.

Everything the server writes lives in the test's own directory, it listens on a free port
of 127.0.0.1, runs in the foreground as the test's child, and is stopped with it. The
snippets serve a deployment root's `current` link (see guidesite/release/releases.py); a plain
site folder is served through a root made for it.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SHIPPED_ROOT = "/srv/www/back-pain-pathways"
SHIPPED_PREFIX = "/guidelines"
PREFIX = "/guidelines/"
START_TIMEOUT_S = 10

NGINX_CONF = """\
daemon off;
{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
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

APACHE_MODULES = ("mpm_event", "authz_core", "alias", "mime", "dir", "headers", "filter", "deflate")
# No system type table, so the snippet must name every type itself; and the `.gz` encoding
# some distributions' mime.conf declare, which the snippet must undo.
APACHE_CONF = """\
ServerRoot {work}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
{modules}
TypesConfig /dev/null
AddEncoding x-gzip .gz .tgz
Include {snippet}
"""


class Server:
    """One kind of web server: its binary, its snippet, how to run it in the foreground."""

    def __init__(
        self,
        name: str,
        binaries: tuple[str, ...],
        snippet: Path,
        command: Callable[[str, Path], list[str]],
    ) -> None:
        self.name, self.binaries, self.snippet, self.command = name, binaries, snippet, command

    def binary(self) -> str | None:
        found = (shutil.which(name) or f"/usr/sbin/{name}" for name in self.binaries)
        return next((path for path in found if Path(path).exists()), None)

    def __repr__(self) -> str:
        return self.name


NGINX = Server(
    "nginx",
    ("nginx",),
    DEPLOY / "nginx" / "back-pain-pathways.conf",
    lambda binary, conf: [binary, "-e", "stderr", "-p", str(conf.parent), "-c", str(conf)],
)
APACHE = Server(
    "apache",
    ("apache2", "httpd"),
    DEPLOY / "apache" / "back-pain-pathways.conf",
    # -X: one process in the foreground, so the test owns it.
    lambda binary, conf: [binary, "-X", "-d", str(conf.parent), "-f", str(conf)],
)
SERVERS = (NGINX, APACHE)


def main_conf(server: Server, work: Path, port: int, snippet: Path) -> str:
    if server is NGINX:
        # Under root nginx's workers would switch to `nobody`, who cannot read pytest's 0700
        # directories; keep them as root there (never in production).
        user = "user root root;" if os.geteuid() == 0 else ""
        return NGINX_CONF.format(user=user, work=work, port=port, snippet=snippet)
    modules_dir = (
        Path(server.binary() or "").resolve().parent.parent / "lib" / "apache2" / "modules"
    )
    modules = "\n".join(
        f"LoadModule {name}_module {modules_dir}/mod_{name}.so" for name in APACHE_MODULES
    )
    return APACHE_CONF.format(work=work, port=port, snippet=snippet, modules=modules)


def make_readable(*paths: Path) -> None:
    """Apache refuses to run as root, and its unprivileged child cannot enter pytest's 0700
    directories: open these (and everything below them) to others."""
    for top in paths:
        for path in (top, *top.rglob("*")):
            if path.is_symlink():
                continue
            mode = stat.S_IMODE(path.stat().st_mode)
            path.chmod(mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))


def root_for(site: Path, work: Path, copy: bool) -> Path:
    """A deployment root whose `current` link points at `site` (at a copy of it if `copy`)."""
    root = work / "root"
    root.mkdir()
    if copy:
        shutil.copytree(site, root / "site")
        site = root / "site"
    (root / "current").symlink_to(site.resolve(), target_is_directory=True)
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shipped_snippet(
    server: Server, root: Path, snippet_text: str | None = None, prefix: str = PREFIX
) -> str:
    """The shipped snippet (or a variant of it) for `root` and `prefix` instead of the
    documented /srv/www folder and /guidelines/ path. `root` is not resolved: its `current`
    link must stay a link."""
    text = server.snippet.read_text() if snippet_text is None else snippet_text
    assert f"{SHIPPED_ROOT}/current" in text, "the snippet no longer serves the documented link"
    text = text.replace(SHIPPED_ROOT, os.path.abspath(root))
    return text.replace(SHIPPED_PREFIX, prefix.rstrip("/"))


@contextmanager
def run_server(
    server: Server,
    site: Path,
    work: Path,
    snippet_text: str | None = None,
    prefix: str = PREFIX,
) -> Iterator[str]:
    """Serve `site` with the snippet; yields the base URL, http://127.0.0.1:<port><prefix>.

    `site` is a deployment root (holding `current`) or a plain built site.
    """
    binary = server.binary()
    assert binary is not None
    work.mkdir(parents=True, exist_ok=True)
    as_root = server is APACHE and os.geteuid() == 0
    root = site if (site / "current").is_symlink() else root_for(site, work, copy=as_root)
    if as_root:
        make_readable(work, root)
    snippet = work / "back-pain-pathways.conf"
    snippet.write_text(shipped_snippet(server, root, snippet_text, prefix))
    port = free_port()
    conf = work / "server.conf"
    conf.write_text(main_conf(server, work, port, snippet))
    process = subprocess.Popen(
        server.command(binary, conf), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}{prefix}"
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
            raise AssertionError(f"the server exited: {error}")
        try:
            with urllib.request.urlopen(base, timeout=1):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise AssertionError(f"no answer at {base} within {START_TIMEOUT_S} s")
