"""Pages for browser tests, each in a browser context of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def fresh_page(browser: Any, width: int, height: int) -> Iterator[Any]:
    """A page with a `width` x `height` px viewport and its own storage, closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


def page_address(page: Any) -> str:
    """The page's URL once a form has written its inputs there: calculator-form.js writes
    them when the reader pauses (or the address may be read), so this waits until it has."""
    page.wait_for_function("() => !globalThis[Symbol.for('guidesite.address-pending')]")
    return str(page.url)
