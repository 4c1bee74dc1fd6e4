"""Which files under content/ may be published: pages and the files they show or link to.

A word-processor document, a backup or an editor's lock file saved into content/ would be
copied to the site and precached for offline use; a page saved as `.MD` would be copied
as a file, not made a page; a name with spaces or capitals makes an address that breaks
when typed or linked in lower case. Each is refused with what to do instead.
"""

from __future__ import annotations

import posixpath
import re

# fmt: off
OFFICE = frozenset((
    ".doc", ".docx", ".docm", ".dot", ".dotx", ".xls", ".xlsx", ".xlsm", ".ppt", ".pptx",
    ".odt", ".ods", ".odp", ".rtf", ".pages", ".numbers", ".key", ".msg", ".eml",
))
# fmt: on
BACKUP_SUFFIXES = (".bak", ".tmp", ".temp", ".orig", ".old", ".swp", ".swo", "~", ".crdownload")
SYSTEM_NAMES = frozenset(("thumbs.db", "desktop.ini", ".ds_store"))
PAGE_SUFFIXES = frozenset((".md", ".markdown", ".mdown", ".mkd"))
SAFE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def problem(src_uri: str) -> str | None:
    """Why the content file at `src_uri` (relative to content/) may not be published."""
    name = posixpath.basename(src_uri)
    stem, suffix = posixpath.splitext(name)
    lowered = suffix.lower()
    if lowered in OFFICE:
        return (
            f"{name!r} is an office document, which the site would publish as a download; "
            "write its text in a .md page (or save it as PDF if readers need the file), and "
            "keep drafts outside content/"
        )
    if (
        name.lower().endswith(BACKUP_SUFFIXES)
        or name.startswith(("~$", ".~"))
        or (name.lower() in SYSTEM_NAMES)
    ):
        return (
            f"{name!r} is a backup, temporary or system file, which the site would publish; "
            "delete it, or move it outside content/"
        )
    if lowered in PAGE_SUFFIXES and suffix != ".md":
        return (
            f"{name!r} would be published as a file, not as a page: pages end in '.md' "
            f"(lower case); rename it to {stem}.md"
        )
    unsafe = [part for part in src_uri.split("/") if not SAFE_NAME_RE.match(part)]
    if unsafe:
        suggestion = re.sub(r"[^a-z0-9._-]+", "-", unsafe[0].lower()).strip("-")
        return (
            f"{unsafe[0]!r} has spaces, capitals or other characters that make a fragile web "
            f"address; rename it with lower-case words joined by hyphens, e.g. {suggestion!r}"
        )
    return None
