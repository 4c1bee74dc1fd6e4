"""What the browser tests share: the built site, served for each test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.static_server import SITE_PREFIX, serve


@pytest.fixture(scope="module")
def base(built_site: Path) -> Iterator[str]:
    """The site `built_site` built, served under SITE_PREFIX; its base URL."""
    with serve(built_site, SITE_PREFIX) as url:
        yield url
