"""The `guidesite` command: build, serve with a live preview, check, new page, status,
references import, and the release commands."""

from guidesite.cli.main import main

__all__ = ["main"]
