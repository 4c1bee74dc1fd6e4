"""The site's Content-Security-Policy as a `<meta>` tag, derived from `csp.txt` beside this module.

`csp.txt` is the one copy of the policy, shipped with the generator because it allows exactly
what the generator's pages need: the server configs send it as a header, and
every page carries it too, so a server without that header (or a page opened from disk)
still runs only the site's own scripts.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from guidesite import PACKAGE_DIR

POLICY_FILE = PACKAGE_DIR / "site" / "csp.txt"
# Browsers ignore these in a <meta> policy (CSP3 §3.3) and Chromium logs an error for each;
# only a header can carry them.
HEADER_ONLY = frozenset({"frame-ancestors", "report-uri", "sandbox"})


def meta_policy(policy: str) -> str:
    """The policy without the directives a `<meta>` tag cannot carry."""
    kept = [
        directive.strip()
        for directive in policy.split(";")
        if directive.split() and directive.split()[0].lower() not in HEADER_ONLY
    ]
    return "; ".join(kept)


def read_meta_policy() -> str:
    """The `<meta>` form of the generator's `csp.txt`."""
    try:
        return meta_policy(POLICY_FILE.read_text(encoding="utf-8"))
    except OSError as error:
        raise PluginError(
            f"cannot read the Content-Security-Policy from {POLICY_FILE}: {error.strerror}"
        ) from error
