"""`guidesite deploy`, `rollback`, `releases` and `prune`: thin wrappers over releases.py."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from guidesite.release import releases
from guidesite.release.releases import ReleaseError

log = logging.getLogger("mkdocs.plugins.guidesite.releases")


def _refusals(handler: Any) -> Any:
    """Exit 1 with the reason when a command is refused (it changed nothing)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return int(handler(args))
        except (ReleaseError, OSError) as error:
            log.error("%s", error)
            return 1

    return run


def deploy(args: argparse.Namespace) -> int:
    manifest = Path(args.manifest) if args.manifest else None
    name = releases.deploy(Path(args.archive), Path(args.root), manifest)
    log.info("Verified and now serving %s from %s", name, Path(args.root) / releases.CURRENT)
    return 0


def rollback(args: argparse.Namespace) -> int:
    before, after = releases.rollback(Path(args.root), args.to)
    log.info("Now serving %s (was %s)", after, before)
    return 0


def list_releases(args: argparse.Namespace) -> int:
    lines = releases.describe(Path(args.root))
    sys.stdout.writelines(f"{line}\n" for line in lines)
    if not lines:
        log.info("No releases in %s", Path(args.root) / releases.RELEASES_DIR)
    return 0


def prune(args: argparse.Namespace) -> int:
    removed = releases.prune(Path(args.root), args.keep)
    sys.stdout.writelines(f"removed: {name}\n" for name in removed)
    log.info("Kept the %d most recent releases (and the live one)", args.keep)
    return 0


def add_commands(commands: Any) -> None:
    """Register the release commands on `guidesite`'s subcommand parser."""
    specs = (
        ("deploy", deploy, "unpack an archive into <root>/releases/, verify it, make it current"),
        ("rollback", rollback, "serve the release deployed before the current one again"),
        ("releases", list_releases, "list the releases in <root>, marking the one being served"),
        ("prune", prune, "remove old releases, keeping the most recent ones and the live one"),
    )
    for name, handler, text in specs:
        command = commands.add_parser(name, help=text, description=text)
        command.set_defaults(handler=_refusals(handler))
        if name == "deploy":
            command.add_argument("archive", help="the <name>.tar.gz `guidesite pack` wrote")
            command.add_argument("-m", "--manifest", help="its <name>.sha256, kept apart")
        command.add_argument("--root", required=True, help="the deployment root, e.g. /srv/www/bpp")
    commands.choices["rollback"].add_argument("--to", help="a release name to switch to instead")
    commands.choices["prune"].add_argument(
        "--keep", type=int, default=3, help="how many recent releases to keep (default 3)"
    )
