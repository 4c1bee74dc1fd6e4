"""`guidesite verify --url` against the shipped nginx and Apache snippets, and against the
same snippet with its policy line removed (a server that sends no header); and the urgent
marker each snippet publishes."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest
from commands import documented, guidesite
from conftest import Packed
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
    must = "it must be exactly guidesite/site/csp.txt"
    assert bare.stdout.splitlines() == [
        f"{base}{path}: Content-Security-Policy is nothing; {must}"
        for path in ("", "sw.js", "version.json", "fhir/index.json")
    ]


def test_verify_url_names_fhir_files_sent_as_plain_json(
    server: Server, built_site: Path, tmp_path: Path
) -> None:
    shipped = server.snippet.read_text()
    plain = shipped.replace("application/fhir+json    json;", "application/json    json;")
    plain = plain.replace("AddType application/fhir+json .json", "AddType application/json .json")
    assert plain != shipped
    with run_server(server, built_site, tmp_path, snippet_text=plain) as base:
        result = guidesite("verify", "--url", base)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{base}fhir/index.json: Content-Type is application/json; charset=utf-8; "
        "it must be application/fhir+json (deploy/README.md)"
    ]


def test_verify_url_says_when_nothing_answers(tmp_path: Path) -> None:
    result = guidesite("verify", "--url", "http://127.0.0.1:9/guidelines/")
    assert result.returncode == 1 and "no answer" in result.stdout


def test_the_urgent_marker_is_published_beside_the_release(
    server: Server, release_a: Packed, tmp_path: Path
) -> None:
    """`urgent.json` lives outside every release; both configs publish it at the site root."""
    root = tmp_path / "srv" / "back-pain-pathways"
    urgent = [*documented("deploy", root, release_a.archive), "--urgent"]
    assert guidesite(*urgent).returncode == 0
    with run_server(server, root, tmp_path / server.name) as base:
        status, headers, body = fetch(base + "urgent.json")
        assert status == 200
        assert json.loads(body)["release"] == Path(os.readlink(root / "current")).name
        assert headers["Cache-Control"] == "no-cache"
        (root / "urgent.json").unlink()  # as a switch without --urgent does
        assert fetch(base + "urgent.json")[0] == 404


def fetch(url: str) -> tuple[int, Message, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
