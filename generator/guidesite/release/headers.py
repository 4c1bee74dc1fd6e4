"""`guidesite verify --url`: does a running server send the headers deploy/README.md asks for?

A page's `<meta>` policy cannot forbid framing (`frame-ancestors` works only as a header),
and a worker script revalidated late keeps readers on an old release; neither shows in the
browser. So a few files are asked for as a reader's browser would, and each answer's
headers are compared with the policy the generator ships (`guidesite/site/csp.txt`) and
the caching rule; the FHIR index also with FHIR's media type, which electronic records check.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urljoin

from guidesite.fhir.published import INDEX, MEDIA_TYPE
from guidesite.release.pack import printable

# A page, the service worker's script, a data file: one of each kind the configs treat alike;
# and a FHIR file, which they send as its own type.
CHECKED_PATHS = ("", "sw.js", "version.json", INDEX)
MEDIA_TYPES = {INDEX: MEDIA_TYPE}
TIMEOUT_S = 10


def header_problems(base_url: str, policy: str) -> list[str]:
    """One line per header a file under `base_url` lacks or sends wrong; none when all fit."""
    # Straight to the server: a proxy named in the environment may add or drop headers.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    base = base_url if base_url.endswith("/") else base_url + "/"
    problems = []
    for path in CHECKED_PATHS:
        url = urljoin(base, path)
        try:
            with opener.open(url, timeout=TIMEOUT_S) as response:
                headers = response.headers
        except (urllib.error.URLError, OSError, ValueError) as error:
            problems.append(f"{url}: no answer ({error})")
            continue
        sent = headers.get_all("Content-Security-Policy") or []
        if [value.strip() for value in sent] != [policy.strip()]:
            shown = " | ".join(printable(value) for value in sent) or "nothing"
            problems.append(
                f"{url}: Content-Security-Policy is {shown}; "
                "it must be exactly guidesite/site/csp.txt"
            )
        expected = MEDIA_TYPES.get(path)
        if expected and headers.get_content_type() != expected:
            problems.append(
                f"{url}: Content-Type is {printable(headers.get('Content-Type', 'absent'))}; "
                f"it must be {expected} (deploy/README.md)"
            )
        if headers.get("X-Content-Type-Options", "").strip().lower() != "nosniff":
            problems.append(f"{url}: X-Content-Type-Options is not nosniff")
        if "no-cache" not in headers.get("Cache-Control", ""):
            problems.append(
                f"{url}: Cache-Control is {printable(headers.get('Cache-Control', 'absent'))}; "
                "it must be no-cache, or readers learn of a new release late"
            )
    return problems
