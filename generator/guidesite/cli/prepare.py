"""`guidesite prepare`: checks and generated pages for a renderer other than MkDocs (Zensical).

A thin wrapper over guidesite/site/prepare.py; the renderer runs afterwards, e.g.
`zensical build -f build/zensical/mkdocs.yml`.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

import yaml

from guidesite.site.prepare import prepare

log = logging.getLogger("mkdocs.plugins.guidesite.prepare")
DEFAULT_OUT = "build/zensical"


def run(args: argparse.Namespace) -> int:
    config_file = Path(args.config_file)
    out_dir = Path(args.out or config_file.resolve().parent / DEFAULT_OUT)
    try:
        outcome = prepare(
            config_file,
            out_dir,
            approved_only=args.approved_only,
            engine=not args.no_engine,
            strict=args.strict,
        )
    except (OSError, ValueError, yaml.YAMLError) as error:  # mkdocs.yml unreadable or wrong
        log.error("%s: %s", config_file, error)
        return 1
    for problem in sorted(set(outcome.problems)):
        log.error("%s", problem)
    for warning in outcome.warnings:
        log.warning("%s", warning)
    if outcome.failed:
        log.error("Nothing written; %s was left as it was.", out_dir)
        return 1
    log.info("Wrote %s; now run: zensical build -f %s", out_dir, out_dir / "mkdocs.yml")
    return 0


def add_commands(commands: Any) -> None:
    text = "check the content and write it, with the generated pages, for another renderer"
    command = commands.add_parser("prepare", help=text, description=text)
    command.set_defaults(handler=run)
    command.add_argument("-f", "--config-file", default="mkdocs.yml")
    command.add_argument("-o", "--out", help=f"staging directory (default: {DEFAULT_OUT})")
    command.add_argument("--approved-only", action="store_true", help="only approved pages")
    command.add_argument(
        "--no-engine", action="store_true", help="leave out the calculator engine files"
    )
    command.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        default=None,
        help="report warnings but do not fail on them (mkdocs.yml's strict otherwise)",
    )
