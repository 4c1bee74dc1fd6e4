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
    expected = releases.Expected(
        manifest=Path(args.manifest) if args.manifest else None,
        manifest_sha256=args.manifest_sha256,
        test=args.test_without_manifest,
    )
    if expected.test and not (expected.manifest or expected.manifest_sha256):
        log.warning(
            "Test deploy: %s is checked only against its own manifest, which proves nothing "
            "about where it came from; never serve it to readers",
            args.archive,
        )
    name = releases.deploy(Path(args.archive), Path(args.root), expected, args.urgent)
    log.info("Verified and now serving %s from %s", name, Path(args.root) / releases.CURRENT)
    _say_urgent(args)
    return 0


def rollback(args: argparse.Namespace) -> int:
    before, after = releases.rollback(Path(args.root), args.to, args.urgent)
    log.info("Now serving %s (was %s)", after, before)
    _say_urgent(args)
    return 0


def _say_urgent(args: argparse.Namespace) -> None:
    if args.urgent:
        log.info(
            "Marked urgent (%s): browsers holding an offline copy take this release as soon "
            "as they have it whole, and open pages offer to reload",
            Path(args.root) / releases.URGENT_FILE,
        )


def list_releases(args: argparse.Namespace) -> int:
    listed = releases.describe(Path(args.root))
    for release in listed:
        sys.stdout.write(f"{release.line}\n")
        sys.stdout.writelines(f"    {problem}\n" for problem in release.problems)
    if not listed:
        log.info("No releases in %s", Path(args.root) / releases.RELEASES_DIR)
    failing = sum(1 for release in listed if release.problems)
    if failing:
        log.error(
            "%d release(s) do not match the manifest recorded when they were deployed; "
            "`rollback` refuses them",
            failing,
        )
        return 1
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
        command.add_argument(
            "--root", required=True, help="the deployment root, e.g. /srv/www/my-site"
        )
    deploying = commands.choices["deploy"]
    deploying.add_argument("archive", help="the <name>.tar.gz `guidesite pack` wrote")
    expected = deploying.add_mutually_exclusive_group()
    expected.add_argument("-m", "--manifest", help="its <name>.sha256, kept apart from it")
    expected.add_argument(
        "--manifest-sha256", metavar="HEX", help="the SHA-256 of its <name>.sha256, given apart"
    )
    deploying.add_argument(
        "--test-without-manifest",
        action="store_true",
        help="only to try things out: accept an archive checked against nothing but itself",
    )
    commands.choices["rollback"].add_argument("--to", help="a release name to switch to instead")
    for name in ("deploy", "rollback"):
        commands.choices[name].add_argument(
            "--urgent",
            action="store_true",
            help="a safety fix: offline copies switch to it at once, open pages offer to reload",
        )
    commands.choices["prune"].add_argument(
        "--keep", type=int, default=3, help="how many recent releases to keep (default 3)"
    )
