"""`guidesite`: build, serve, check, pack or verify the site (the plugin `mkdocs build` runs).

`build` writes into a temporary directory next to the site directory and swaps it in only
on success, so a failed build leaves the previous site untouched. `check` runs the same
build into a scratch directory and keeps nothing. With `--approved-only`, both publish
only pages whose status is `approved` (the plugin's `approved_only` option). `pack` and
`verify` are for the hand-over to an intranet web server (see guidesite/release/pack.py); `deploy`,
`rollback`, `releases` and `prune` manage releases on it (see guidesite/release/releases.py).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError, ConfigurationError

from guidesite.cli import new_site, prepare, preview, release, skeleton, status_table
from guidesite.content import refs_import
from guidesite.content.bibliography import KINDS
from guidesite.extensions import calculator_block, calculator_source
from guidesite.plugin import GuideSitePlugin, bibliography_path
from guidesite.release.headers import header_problems
from guidesite.release.pack import pack, verify
from guidesite.release.releases import recorded_manifest_for
from guidesite.replaced_whole import replaced_whole
from guidesite.site.csp import POLICY_FILE
from guidesite.vocabularies import AUDIENCE_NAMES

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
    try:
        with replaced_whole(target) as staging:
            mkdocs_build(_config(args, site_dir=str(staging)))
    except (Abort, BuildError, ConfigurationError) as error:
        log.error("%s", error)
        log.error("Build failed; %s was left as it was.", target)
        return 1
    log.info("Site written to %s", target)
    return 0


def _build_and_discard(config: MkDocsConfig) -> None:
    """MkDocs' own build into a scratch directory that is removed afterwards, so `check`
    and `status` see exactly what `build` checks, and nothing is kept."""
    with tempfile.TemporaryDirectory(prefix="guidesite-check-") as scratch:
        config["site_dir"] = scratch
        mkdocs_build(config)


def check(args: argparse.Namespace) -> int:
    """Every check of a build, without keeping anything it wrote."""
    try:
        _build_and_discard(_config(args))
    except (Abort, BuildError, ConfigurationError) as error:
        log.error("%s", error)
        log.error("Check failed; fix what is listed above and run it again.")
        return 1
    log.info("No problems found.")
    return 0


def status(args: argparse.Namespace) -> int:
    """The editorial dashboard in the terminal (a table, or JSON with --json)."""
    config = _config(args, strict=False)
    version_file = Path(config.site_dir) / "version.json"
    plugin = config.plugins["guidesite"]
    assert isinstance(plugin, GuideSitePlugin)
    try:
        _build_and_discard(config)
    except (Abort, BuildError, ConfigurationError) as error:
        if not getattr(plugin, "problems", None):
            log.error("%s", error)
            return 1
    # Content errors (MkDocs has logged them) leave the pages that did read listed.
    problems = len(set(plugin.problems))
    board = plugin.editorial_dashboard()
    version = json.loads(version_file.read_text()) if version_file.is_file() else None
    if args.json:
        report = {
            "pages": [row.as_json() for row in board.pages],
            "uncited": [{"key": r.key, "kind": r.kind, "line": r.line} for r in board.uncited],
            "content_errors": problems,
            "site_version": version,
        }
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(status_table.render(board, problems, version))
    return 0


def serve(args: argparse.Namespace) -> int:
    host, _, port = args.dev_addr.rpartition(":")
    config = _config(args, dev_addr=args.dev_addr)
    path = config.site_url.split("//", 1)[-1].partition("/")[2] if config.site_url else ""
    sys.stdout.write(f"Serving {config.site_name} at http://{host}:{port}/{path}\n")
    sys.stdout.flush()
    preview.serve(args.config_file, args.dev_addr, strict=bool(args.strict))
    return 0


def new_page(args: argparse.Namespace) -> int:
    """Write content/<page-id>.md from the skeleton; never overwrite an existing page."""
    config = _config(args)
    try:
        path = skeleton.write_page(
            Path(config.docs_dir), args.page_id, args.title, args.audience, datetime.date.today()
        )
    except (FileExistsError, ValueError) as error:
        log.error("%s", error)
        return 1
    shown = os.path.relpath(path, Path(config.config_file_path).parent)
    log.info("Wrote %s; replace each 'FILL IN:' (guidesite check lists them)", shown)
    return 0


def init_site(args: argparse.Namespace) -> int:
    """Write a new, small, working site into an absent or empty directory."""
    target = Path(args.directory)
    try:
        written = new_site.write_site(target, args.title, datetime.date.today())
    except (new_site.Refused, OSError) as error:
        log.error("%s", error)
        return 1
    log.info("Wrote %d files into %s. Next:", len(written), target)
    log.info("  cd %s", target)
    log.info("  npm ci && guidesite serve    # install its browser files, build and serve it")
    log.info("  python -m pytest             # run its calculators' tests")
    return 0


def new_calculator(args: argparse.Namespace) -> int:
    """Add a calculator to the site's calculators package (mkdocs.yml's `calculators`)."""
    config = _config(args)
    project_dir = Path(config.config_file_path).resolve().parent
    options = config.mdx_configs.get(calculator_block.__name__, {})
    package = str(options.get(calculator_source.OPTION) or "")
    try:
        if not package:
            raise new_site.Refused(
                "mkdocs.yml names no calculators package; give "
                f"'- {calculator_block.__name__}:' in its markdown_extensions the option "
                f"'{calculator_source.OPTION}: PACKAGE', and create that package"
            )
        package_dir = project_dir.joinpath(*package.split("."))
        if not (package_dir / "__init__.py").is_file():
            raise new_site.Refused(
                f"the calculators package {package!r} that mkdocs.yml names is not in "
                f"{project_dir}; new-calculator adds to a package beside mkdocs.yml"
            )
        written = new_site.write_calculator(package, package_dir, project_dir / "tests", args.name)
    except (new_site.Refused, OSError) as error:
        log.error("%s", error)
        return 1
    for path in written:
        log.info("Wrote %s", os.path.relpath(path, project_dir))
    log.info(
        "Replace each 'FILL IN' in %s, then run python -m pytest tests/test_%s.py until it passes",
        os.path.relpath(written[0], project_dir),
        args.name,
    )
    return 0


def add_references(args: argparse.Namespace) -> int:
    """Import a reference manager's export into the bibliography (see refs_import.py)."""
    config = _config(args)
    bib = bibliography_path(config)
    shown = bib.resolve().relative_to(Path(config.config_file_path).resolve().parent).as_posix()
    try:
        keys = refs_import.add(Path(args.file), bib, args.kind, shown)
    except (refs_import.ImportRefused, OSError) as error:
        log.error("%s", error)
        return 1
    for key in keys:
        log.info("Added %r to %s; cite it as [@%s]", key, shown, key)
    return 0


def pack_site(args: argparse.Namespace) -> int:
    try:
        archive, sums = pack(Path(args.site_dir), Path(args.out), args.name)
    except FileNotFoundError as error:
        log.error("%s", error)
        return 1
    log.info(
        "Wrote %s and its manifest %s (SHA-256 %s, for `deploy --manifest-sha256`)",
        archive,
        sums,
        hashlib.sha256(sums.read_bytes()).hexdigest(),
    )
    return 0


def verify_site(args: argparse.Namespace) -> int:
    """Exit 0 when the copy (or server) matches, 1 when not, 2 when it cannot be checked."""
    if args.directory is None and args.url is None:
        log.error("Give the deployed folder to check, or --url of the running site, or both")
        return 2
    status = 0 if args.directory is None else _verify_files(args)
    if args.url is not None and status != 2:
        problems = header_problems(args.url, POLICY_FILE.read_text(encoding="utf-8"))
        sys.stdout.writelines(f"{line}\n" for line in problems)
        if problems:
            log.error("%s does not send the headers deploy/README.md asks for", args.url)
            status = 1
        else:
            log.info("%s sends the Content-Security-Policy of guidesite/site/csp.txt", args.url)
    return status


def _verify_files(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    manifest = Path(args.manifest) if args.manifest else recorded_manifest_for(directory)
    if manifest is None:
        log.warning(
            "Checked against the manifest inside %s only: a file changed together with its "
            "line there goes unnoticed. Give --manifest <name>.sha256 (kept apart)",
            directory,
        )
    elif not args.manifest:
        log.info("Checking against the manifest recorded when it was deployed: %s", manifest)
    try:
        report = verify(directory, manifest)
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
    parser.add_argument(
        "--version", action="version", version=f"guidesite {metadata.version('guidesite')}"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (
        ("build", build, "build the site (the previous site stays if the build fails)"),
        (
            "serve",
            serve,
            "preview the site locally: pages reload on every save and list any mistakes",
        ),
        ("check", check, "build into a scratch directory, keep nothing, report every error"),
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
            help="fail on warnings (the default in mkdocs.yml; serve only lists them)",
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
    text = "start a new page with valid front matter and placeholders to fill in"
    creating = commands.add_parser("new", help=text, description=text)
    creating.set_defaults(handler=new_page)
    creating.add_argument("page_id", help="the file name under content/ without .md")
    creating.add_argument("--title", required=True, help="short title for menus and lists")
    creating.add_argument("--audience", required=True, choices=AUDIENCE_NAMES)
    creating.add_argument("-f", "--config-file", default="mkdocs.yml")
    creating.set_defaults(strict=None)
    text = "write a new, small, working site (pages, a calculator, its tests) into DIRECTORY"
    starting = commands.add_parser("init", help=text, description=text)
    starting.set_defaults(handler=init_site, strict=None)
    starting.add_argument("directory", help="a new or empty directory")
    starting.add_argument("--title", required=True, help='the site\'s name, e.g. "Neck Pain"')
    text = "add a calculator to the site's package, with a test that fails until it is done"
    adding_calculator = commands.add_parser("new-calculator", help=text, description=text)
    adding_calculator.set_defaults(handler=new_calculator, strict=None)
    adding_calculator.add_argument("name", help="lowercase letters, digits and underscores")
    adding_calculator.add_argument("-f", "--config-file", default="mkdocs.yml")
    text = "list every page's review state, weak citations and uncited references"
    listing = commands.add_parser("status", help=text, description=text)
    listing.set_defaults(handler=status, strict=None)
    listing.add_argument("-f", "--config-file", default="mkdocs.yml")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    text = "add references from a RIS, CSL JSON (Zotero) or BibTeX file to the bibliography"
    refs = commands.add_parser("refs", help="manage the bibliography", description=text)
    refs_commands = refs.add_subparsers(dest="refs_command", required=True)
    adding = refs_commands.add_parser("add", help=text, description=text)
    adding.set_defaults(handler=add_references, strict=None)
    adding.add_argument("file", help="the export: .ris, .json (CSL JSON) or .bib")
    adding.add_argument(
        "--kind", required=True, choices=KINDS, help="what sort of source every record is"
    )
    adding.add_argument("-f", "--config-file", default="mkdocs.yml")
    text = "pack a built site into <name>.tar.gz plus a <name>.sha256 manifest"
    packing = commands.add_parser("pack", help=text, description=text)
    packing.set_defaults(handler=pack_site)
    packing.add_argument("-d", "--site-dir", default="site", help="the built site")
    packing.add_argument("-o", "--out", default="dist", help="where to write the archive")
    packing.add_argument("--name", required=True, help="archive and folder name, e.g. my-site")
    text = "name every missing, extra, changed or unsafe file in a deployed copy of the site"
    checking = commands.add_parser("verify", help=text, description=text)
    checking.set_defaults(handler=verify_site)
    checking.add_argument(
        "directory",
        nargs="?",
        help="the deployed site: <root>/current, or a release folder (holding SHA256SUMS)",
    )
    checking.add_argument(
        "-m",
        "--manifest",
        help="a manifest kept elsewhere (<name>.sha256); default: the one `deploy` recorded",
    )
    checking.add_argument(
        "--url", help="also check the headers the running site sends, e.g. https://host/guidelines/"
    )
    release.add_commands(commands)
    prepare.add_commands(commands)
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
