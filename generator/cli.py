"""`guidesite`: build, serve, check, pack or verify the site (the plugin `mkdocs build` runs).

`build` writes into a temporary directory next to the site directory and swaps it in only
on success, so a failed build leaves the previous site untouched. `check` runs every
content check of a build without writing anything. With `--approved-only`, both publish
only pages whose status is `approved` (the plugin's `approved_only` option). `pack` and
`verify` are for the hand-over to an intranet web server (see generator/pack.py); `deploy`,
`rollback`, `releases` and `prune` manage releases on it (see generator/releases.py).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError, ConfigurationError
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from generator import release_cli
from generator.pack import pack, verify

log = logging.getLogger("mkdocs.plugins.guidesite.cli")


def _config(args: argparse.Namespace, **overrides: Any) -> MkDocsConfig:
    if args.strict is not None:
        overrides["strict"] = args.strict
    config = load_config(config_file=args.config_file, **overrides)
    if getattr(args, "approved_only", False):
        # A plugin option cannot be overridden through load_config; set it on the instance.
        config.plugins["guidesite"].config["approved_only"] = True
    return config


def build(args: argparse.Namespace) -> int:
    target = Path(args.site_dir or _config(args).site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        mkdocs_build(_config(args, site_dir=str(staging)))
    except (Abort, BuildError, ConfigurationError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        log.error("%s", error)
        log.error("Build failed; %s was left as it was.", target)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # mkdtemp makes the folder private (0700); a web server serving a copy needs to read it.
    staging.chmod(0o755)
    old = target.with_name(f".{target.name}.old")
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    log.info("Site written to %s", target)
    return 0


def check(args: argparse.Namespace) -> int:
    """The reading half of `mkdocs build` (up to `on_env`, where content errors are raised)."""
    config = _config(args)
    warnings = utils.CountHandler()
    warnings.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(warnings)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        for file in files.documentation_pages():
            page = file.page or Page(None, file, config)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(
                page.markdown or "", page=page, config=config, files=files
            )
            page.render(config, files)
            page.content = config.plugins.on_page_content(
                page.content or "", page=page, config=config, files=files
            )
        config.plugins.on_env(env, config=config, files=files)
    except (BuildError, ConfigurationError) as error:
        log.error("%s", error)
        return 1
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs").removeHandler(warnings)
    if config.strict and warnings.get_counts():
        log.error("Check failed: warnings count as errors in strict mode.")
        return 1
    log.info("No problems found.")
    return 0


def serve(args: argparse.Namespace) -> int:
    host, _, port = args.dev_addr.rpartition(":")
    config = _config(args, dev_addr=args.dev_addr)
    path = config.site_url.split("//", 1)[-1].partition("/")[2] if config.site_url else ""
    sys.stdout.write(f"Serving Back Pain Pathways at http://{host}:{port}/{path}\n")
    sys.stdout.flush()
    overrides = {"strict": args.strict} if args.strict is not None else {}
    mkdocs_serve(config_file=args.config_file, dev_addr=args.dev_addr, **overrides)
    return 0


def pack_site(args: argparse.Namespace) -> int:
    try:
        archive, sums = pack(Path(args.site_dir), Path(args.out), args.name)
    except FileNotFoundError as error:
        log.error("%s", error)
        return 1
    log.info("Wrote %s and its manifest %s", archive, sums)
    return 0


def verify_site(args: argparse.Namespace) -> int:
    """Exit 0 when the copy matches, 1 when files differ, 2 when it cannot be checked."""
    try:
        report = verify(Path(args.directory), Path(args.manifest) if args.manifest else None)
    except (OSError, ValueError) as error:
        log.error("Cannot verify %s: %s", args.directory, error)
        return 2
    # One line per file on stdout, so the list can be read by a script or a person.
    sys.stdout.writelines(f"{line}\n" for line in report.lines())
    if not report.ok:
        log.error(
            "%s does not match its manifest (%d problems)", args.directory, len(report.lines())
        )
        return 1
    log.info("%s matches its manifest", args.directory)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidesite", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (
        ("build", build, "build the site (the previous site stays if the build fails)"),
        ("serve", serve, "serve the site locally, rebuilding on every change"),
        ("check", check, "report content errors without writing a site"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.set_defaults(handler=handler)
        command.add_argument("-f", "--config-file", default="mkdocs.yml")
        strict = command.add_mutually_exclusive_group()
        strict.add_argument(
            "-s",
            "--strict",
            dest="strict",
            action="store_true",
            default=None,
            help="fail on warnings (the default in mkdocs.yml)",
        )
        strict.add_argument(
            "--no-strict",
            dest="strict",
            action="store_false",
            help="report warnings but do not fail on them",
        )
    commands.choices["build"].add_argument("-d", "--site-dir", help="where to write the site")
    for name in ("build", "check"):
        commands.choices[name].add_argument(
            "--approved-only",
            action="store_true",
            help="publish only pages whose status is approved (fails on a body link to another)",
        )
    commands.choices["serve"].add_argument(
        "-a", "--dev-addr", default="127.0.0.1:8000", help="host:port to serve on"
    )
    text = "pack a built site into <name>.tar.gz plus a <name>.sha256 manifest"
    packing = commands.add_parser("pack", help=text, description=text)
    packing.set_defaults(handler=pack_site)
    packing.add_argument("-d", "--site-dir", default="site", help="the built site")
    packing.add_argument("-o", "--out", default="dist", help="where to write the archive")
    packing.add_argument("--name", default="back-pain-pathways", help="archive and folder name")
    text = "name every missing, extra, changed or unsafe file in a deployed copy of the site"
    checking = commands.add_parser("verify", help=text, description=text)
    checking.set_defaults(handler=verify_site)
    checking.add_argument("directory", help="the deployed site (holding SHA256SUMS)")
    checking.add_argument("-m", "--manifest", help="a manifest kept elsewhere (<name>.sha256)")
    release_cli.add_commands(commands)
    return parser


def _setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _setup_logging()
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
