"""Checks across pages: links between front matters, repeated titles.

Each page's own front matter is checked in schema.py; these checks need every page at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from guidesite.content.problems import Problem, did_you_mean
from guidesite.content.schema import PageMeta


def check_links(
    pages: Mapping[str, PageMeta], page_ids: set[str], ordinary: Collection[str] = ()
) -> list[Problem]:
    """Check that `related` and `counterpart` name other question pages and counterparts
    pair up.

    `page_ids` holds every page, also those whose own front matter is broken: a link to
    such a page is not a second mistake. `ordinary`: the ids of ordinary pages (kind: page),
    which are neither related questions nor counterparts.
    """
    problems = []
    for meta in pages.values():
        for target in meta.related:
            if target == meta.page_id:
                message = f"related names this page itself; remove {target!r} from the list"
            elif target in ordinary:
                message = (
                    f"related names {target!r}, an ordinary page (kind: page); related lists "
                    "questions only, so link it from the text instead"
                )
            elif target not in page_ids:
                # Listed only here: sorting every page id for every page made large sites
                # quadratic.
                others = sorted(page_ids - {meta.page_id} - set(ordinary))
                message = (
                    f"related names no page: {target!r}{did_you_mean(target, others)}; "
                    f"use a page id from: {', '.join(others)}"
                )
            else:
                continue
            problems.append(Problem(meta.path, meta.lines["related"], message))
        if meta.counterpart in ordinary:
            message = (
                f"counterpart names {meta.counterpart!r}, an ordinary page (kind: page); name "
                "the page that answers the same question for the other audience"
            )
            problems.append(Problem(meta.path, meta.lines["counterpart"], message))
        elif meta.counterpart is not None:
            problems += _counterpart_problems(meta, pages, page_ids)
    return problems


def _counterpart_problems(
    meta: PageMeta, pages: Mapping[str, PageMeta], page_ids: set[str]
) -> list[Problem]:
    target = meta.counterpart or ""
    other = pages.get(target)
    if target == meta.page_id:
        message = (
            "counterpart names this page itself; name the page that answers the same "
            "question for the other audience, or remove the key"
        )
    elif other is None and target in page_ids:
        return []  # that page's own front matter is broken and reported already
    elif other is None:
        message = (
            f"counterpart names no page: {target!r}"
            f"{did_you_mean(target, page_ids - {meta.page_id})}; use the page id of the "
            "same question for the other audience"
        )
    elif other.audience == meta.audience:
        message = (
            f"counterpart {target!r} is also for {meta.audience}s; "
            "a counterpart is written for the other audience"
        )
    elif other.counterpart is None:
        message = (
            f"counterpart {target!r} does not name this page back; "
            f"add 'counterpart: {meta.page_id}' to {other.path}"
        )
    elif other.counterpart != meta.page_id:
        message = (
            f"counterpart {target!r} names {other.counterpart!r} as its counterpart, not "
            f"this page; counterparts come in pairs, so make {other.path} name "
            f"{meta.page_id!r} or choose another counterpart here"
        )
    else:
        return []
    return [Problem(meta.path, meta.lines["counterpart"], message)]


def check_unique_wording(pages: Mapping[str, PageMeta]) -> list[Problem]:
    """Two pages with the same title or question cannot be told apart in lists and search."""
    problems = []
    for key in ("title", "question"):
        by_text: dict[str, list[PageMeta]] = defaultdict(list)
        for meta in pages.values():
            by_text[getattr(meta, key).casefold()].append(meta)
        for group in by_text.values():
            for meta in group if len(group) > 1 else []:
                others = ", ".join(sorted(m.path for m in group if m is not meta))
                problems.append(
                    Problem(
                        meta.path,
                        meta.lines[key],
                        f"{key} is the same as in {others}; give each page its own {key}",
                    )
                )
    return problems
