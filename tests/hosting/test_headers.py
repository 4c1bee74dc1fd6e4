"""`guidesite verify --url` against the shipped nginx and Apache snippets, and against the
same snippet with its policy line removed (a server that sends no header)."""

from __future__ import annotations

from pathlib import Path

import pytest
from commands import guidesite
from servers import SERVERS, Server, run_server


@pytest.fixture(params=SERVERS, ids=repr)
def server(request: pytest.FixtureRequest) -> Server:
    if request.param.binary() is None:
        pytest.skip(f"{request.param} is not installed (`make test` installs it)")
    return request.param


def without_policy(snippet: str) -> str:
    kept = [
        line
        for line in snippet.splitlines()
        if "Content-Security-Policy" not in line or line.lstrip().startswith("#")
    ]
    assert len(kept) == len(snippet.splitlines()) - 1, "the snippet sends its policy once"
    return "\n".join(kept) + "\n"


def test_verify_url_compares_the_headers_with_csp_txt(
    server: Server, built_site: Path, tmp_path: Path
) -> None:
    with run_server(server, built_site, tmp_path / "shipped") as base:
        shipped = guidesite("verify", "--url", base)
    assert (shipped.returncode, shipped.stdout) == (0, ""), shipped.stderr

    snippet = without_policy(server.snippet.read_text())
    with run_server(server, built_site, tmp_path / "bare", snippet_text=snippet) as base:
        bare = guidesite("verify", "--url", base)
    assert bare.returncode == 1
    assert bare.stdout.splitlines() == [
        f"{base}{path}: Content-Security-Policy is nothing; it must be exactly deploy/csp.txt"
        for path in ("", "sw.js", "version.json")
    ]


def test_verify_url_says_when_nothing_answers(tmp_path: Path) -> None:
    result = guidesite("verify", "--url", "http://127.0.0.1:9/guidelines/")
    assert result.returncode == 1 and "no answer" in result.stdout
