"""`guidesite init` and `guidesite new-calculator`: a new site, and a new calculator in one.

Both write from skeletons shipped as package data (`skeletons/`): a file ending in `.jinja`
is rendered and written without that ending, any other is copied as it is. Neither ever
overwrites a file: they refuse, say why, and write nothing.
"""

from __future__ import annotations

import ast
import datetime
import json
import keyword
import re
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

from guidesite.cli.skeleton import next_review
from guidesite.kit import REGISTRY_NAME as REGISTRY

TEMPLATE_SUFFIX = ".jinja"
# Package data cannot carry a dot-file reliably; written under its real name.
RENAMED = {"gitignore": ".gitignore"}
CALCULATOR_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")

LINE_LENGTH = 100


class Refused(Exception):
    """What the user asked for would overwrite or break something; nothing was written."""


def _skeleton(*parts: str) -> Traversable:
    return resources.files("guidesite").joinpath("skeletons", *parts)


def _render(text: str, values: dict[str, str]) -> str:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    return env.from_string(text).render(values)


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue  # caches that tools leave beside the skeleton's code
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry


def site_files(title: str, today: datetime.date) -> dict[str, str]:
    """Each file of a new site (path relative to its directory -> text)."""
    values = {
        "title": title,
        "title_yaml": json.dumps(title, ensure_ascii=False),  # a YAML double-quoted scalar
        "today": today.isoformat(),
        "next_review": next_review(today).isoformat(),
    }
    files = {}
    for path, entry in _walk(_skeleton("site")):
        text = entry.read_text(encoding="utf-8")
        if path.endswith(TEMPLATE_SUFFIX):
            path, text = path.removesuffix(TEMPLATE_SUFFIX), _render(text, values)
        folder, _, name = path.rpartition("/")
        files[f"{folder}/{RENAMED.get(name, name)}".lstrip("/")] = text
    return files


def write_site(target: Path, title: str, today: datetime.date) -> list[Path]:
    """Write a new site into `target` (absent or empty); the files written, in order."""
    title = " ".join(title.split())
    if not title:
        raise Refused('give the site a title, e.g. --title "Neck Pain Pathways"')
    if target.exists() and not target.is_dir():
        raise Refused(f"{target} is a file; choose a new directory for the site")
    if target.is_dir() and any(target.iterdir()):
        raise Refused(
            f"{target} is not empty; guidesite init writes only into a new or empty "
            "directory, so choose another one (nothing was written)"
        )
    written = []
    for relative, text in site_files(title, today).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def write_calculator(package: str, package_dir: Path, tests_dir: Path, name: str) -> list[Path]:
    """Add calculator `name` to the site's package (import name `package`, in `package_dir`):
    its module (placeholders to fill in), its entry in the package's registry, and a test
    file in `tests_dir` that fails until it is filled in."""
    if not CALCULATOR_NAME_RE.match(name) or keyword.iskeyword(name):
        raise Refused(
            f"{name!r} cannot name a calculator; use lowercase letters, digits and "
            "underscores, starting with a letter, e.g. neck_disability"
        )
    module = package_dir / f"{name}.py"
    test = tests_dir / f"test_{name}.py"
    registry = package_dir / "__init__.py"
    for path in (module, test):
        if path.exists():
            raise Refused(f"{path} already exists; choose another name (nothing was written)")
    if not registry.is_file():
        raise Refused(f"{registry} is missing; the calculators package lists its calculators there")
    registered = _registered(registry.read_text(encoding="utf-8"), package, name)
    values = {"name": name, "package": package}
    texts = {
        module: _render(_skeleton("calculator.py.jinja").read_text(encoding="utf-8"), values),
        test: _render(_skeleton("test_calculator.py.jinja").read_text(encoding="utf-8"), values),
        registry: registered,
    }
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(texts)


def _registered(source: str, package: str, name: str) -> str:
    """The registry module's text with `name` imported and added to `REGISTRY`."""
    tree = ast.parse(source)
    imports = [
        node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module == package
    ]
    listings = [
        (node, node.value.func, node.value.args[0])
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == [REGISTRY]
        and isinstance(node.value, ast.Call)
        and len(node.value.args) == 1
        and isinstance(node.value.args[0], ast.Tuple | ast.List)
    ]
    if len(imports) != 1 or len(listings) != 1:
        raise Refused(
            f"cannot find 'from {package} import ...' and '{REGISTRY} = Registry((...))' in "
            f"the __init__.py of {package}; add the calculator there by hand"
        )
    (imported,), ((assignment, call, listed),) = imports, listings
    assert isinstance(listed, ast.Tuple | ast.List)  # for mypy: filtered above
    items = [str(ast.get_source_segment(source, item)) for item in listed.elts]
    items.append(f"{name}.CALCULATOR")
    call_text = ast.get_source_segment(source, call)
    lines = source.splitlines(keepends=True)
    # The listing comes after the import; replace it first so the import's lines stay put.
    lines[assignment.lineno - 1 : assignment.end_lineno] = [
        _listing(f"{REGISTRY} = {call_text}(", items)
    ]
    modules = [alias.name for alias in imported.names]
    lines[imported.lineno - 1 : imported.end_lineno or imported.lineno] = [
        _import(package, [*modules, name])
    ]
    return "".join(lines)


# What the module text becomes, on one line when it fits, else as ruff format writes it.


def _listing(head: str, items: list[str]) -> str:
    one_line = f"{head}({', '.join(items)}{',' if len(items) == 1 else ''}))\n"
    if len(one_line) <= LINE_LENGTH:
        return one_line
    return head + "\n    (\n" + "".join(f"        {item},\n" for item in items) + "    )\n)\n"


def _import(package: str, names: list[str]) -> str:
    one_line = f"from {package} import {', '.join(names)}\n"
    if len(one_line) <= LINE_LENGTH:
        return one_line
    return f"from {package} import (\n" + "".join(f"    {name},\n" for name in names) + ")\n"
