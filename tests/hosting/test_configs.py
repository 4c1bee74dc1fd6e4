"""One Content-Security-Policy (the generator's csp.txt) in every server config; it fits the site.

The policy runs no inline script and names no hash: every script is a file, so a theme
upgrade or template that adds inline code fails here, naming the page. IIS cannot be run
here, so its web.config is checked as XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from servers import DEPLOY, SERVERS

from guidesite.site import csp

POLICY = csp.POLICY_FILE.read_text()
WEB_CONFIG = DEPLOY / "iis" / "web.config"
CONFIGS = [server.snippet for server in SERVERS] + [WEB_CONFIG]
HASHED_NAME = "[./-][0-9a-f]{8,}[./]"
# Script types a browser executes (a JSON data block is not a script).
EXECUTED = {"", "text/javascript", "module", "application/javascript"}


class InlineScripts(HTMLParser):
    """Collects every inline script the browser would run, event-handler attributes too."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.scripts += [f"{tag} {name}={value}" for name, value in attrs if name.startswith("on")]
        self._inside = (
            tag == "script" and "src" not in found and (found.get("type") or "") in EXECUTED
        )
        if self._inside:
            self.scripts.append("")

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._inside = False


def directives(policy: str) -> dict[str, list[str]]:
    parsed = (part.split() for part in policy.strip().split(";"))
    return {words[0]: words[1:] for words in parsed if words}


def test_the_policy_is_one_line_and_stays_strict() -> None:
    assert POLICY.endswith("\n") and POLICY.count("\n") == 1
    policy = directives(POLICY)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]  # WebAssembly needs only wasm-unsafe-eval
    assert "'wasm-unsafe-eval'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert all("http" not in source for sources in policy.values() for source in sources)


def test_every_config_sends_exactly_that_policy() -> None:
    for config in CONFIGS:
        text = config.read_text()
        assert text.count(POLICY.strip()) == 1, config
        assert text.count("default-src") == 1, f"{config} holds a second policy"


def test_the_site_has_no_inline_script_and_the_policy_allows_none(built_site: Path) -> None:
    allowances = [s for s in directives(POLICY)["script-src"] if s.startswith(("'sha", "'nonce"))]
    assert allowances == [], "scripts run from files only; remove these from csp.txt"
    inline: dict[str, list[str]] = {}
    for page in sorted(built_site.rglob("*.html")):
        parser = InlineScripts()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.scripts:
            inline[page.relative_to(built_site).as_posix()] = [s[:80] for s in parser.scripts]
    assert inline == {}, "move this code into a file under guidesite/assets/"


def test_all_configs_tell_hashed_files_apart_the_same_way() -> None:
    for config in CONFIGS:
        assert HASHED_NAME in config.read_text(), config
    hashed = re.compile(HASHED_NAME)
    assert hashed.search("assets/engine/pyodide-807ebe151c3cab51/pyodide.asm.wasm")
    assert hashed.search("assets/stylesheets/main.57a0d79d.min.css")
    assert hashed.search("assets/engine/wheels/d1fd31b26773b98a/site_calculators-0.1.0.whl")
    for name in ("assets/engine/manifest.json", "assets/engine/worker.js", "index.html"):
        assert not hashed.search(name), name


def mime_maps(static_content: ET.Element) -> dict[str, str]:
    """Extension -> type, checking that each is removed first (a duplicate is a 500.19)."""
    maps: dict[str, str] = {}
    removed: set[str] = set()
    for element in static_content:
        extension = element.get("fileExtension", "")
        if element.tag == "remove":
            removed.add(extension)
        elif element.tag == "mimeMap":
            assert extension in removed, f"{extension} is added without <remove> first"
            maps[extension] = element.get("mimeType", "").split(";")[0]
    return maps


def test_iis_types_cover_the_site_with_the_types_browsers_require(built_site: Path) -> None:
    server = ET.parse(WEB_CONFIG).getroot().find("location/system.webServer")
    assert server is not None
    static_content = server.find("staticContent")
    assert static_content is not None
    maps = mime_maps(static_content)
    assert maps[".wasm"] == "application/wasm"
    assert maps[".mjs"] == maps[".js"] == "text/javascript"
    assert maps[".json"] == "application/json" and maps[".whl"] == "application/zip"
    extensions = {path.suffix for path in built_site.rglob("*") if path.is_file()}
    assert extensions - set(maps) == set(), "IIS answers 404.3 for these"
    cache = static_content.find("clientCache")
    assert cache is not None and cache.get("cacheControlMode") == "DisableCache"


def test_iis_sends_fhir_resources_as_fhir_json_and_only_them() -> None:
    root = ET.parse(WEB_CONFIG).getroot()
    by_path = {location.get("path"): location for location in root.iter("location")}
    fhir = by_path["guidelines/fhir"].find("system.webServer/staticContent")
    assert fhir is not None
    assert mime_maps(fhir) == {".json": "application/fhir+json"}
    site = by_path["guidelines"].find("system.webServer/staticContent")
    assert site is not None and mime_maps(site)[".json"] == "application/json"


def test_iis_sends_the_policy_and_nosniff() -> None:
    headers = (
        ET.parse(WEB_CONFIG).getroot().find("location/system.webServer/httpProtocol/customHeaders")
    )
    assert headers is not None
    added = {element.get("name"): element.get("value") for element in headers.iter("add")}
    assert added == {
        "Content-Security-Policy": POLICY.strip(),
        "X-Content-Type-Options": "nosniff",
    }


def test_the_optional_iis_cache_rule_is_valid_xml() -> None:
    """The URL Rewrite rule lives in a comment (see why there); it must still paste cleanly."""
    text = WEB_CONFIG.read_text()
    rule = text[text.index("<rewrite>") : text.index("</rewrite>") + len("</rewrite>")]
    parsed = ET.fromstring(rule)
    condition = parsed.find("outboundRules/rule/conditions/add")
    action = parsed.find("outboundRules/rule/action")
    assert condition is not None and condition.get("pattern") == HASHED_NAME
    assert action is not None and action.get("value") == "public, max-age=31536000, immutable"
