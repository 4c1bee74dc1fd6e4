"""The site's calculators package, as mkdocs.yml names it: imported and checked once a build.

    markdown_extensions:
      - guidesite.extensions.calculator_block:
          calculators: calculators      # an import name; left out: the site has none

The package is imported from the directory of mkdocs.yml first, then from wherever Python
installs packages. A package that is missing, does not import, has no registry or breaks
the calculator contract is a mistake at that line of mkdocs.yml; the build then embeds no
calculator and ships no engine.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidesite.config import option_line
from guidesite.content.problems import Problem
from guidesite.kit import Registry, SitePackageError, contract_problems
from guidesite.kit import load as load_registry

OPTION = "calculators"


@dataclass(frozen=True)
class SiteCalculators:
    """The site's calculators package (an import name) and the site's name for notes."""

    package: str
    site_name: str

    def to_json(self) -> dict[str, str]:
        """As the browser's boot module takes it (`SiteCalculators` in boot.mjs)."""
        return {"package": self.package, "site": self.site_name}


@dataclass(frozen=True)
class Calculators:
    """What a build embeds: the registry (empty when the site has no sound package), the
    engine to build for it (None: none), and the mistakes found loading it."""

    registry: Registry
    engine: SiteCalculators | None
    problems: list[Problem] = field(default_factory=list)


def load(config_file: Path, options: Mapping[str, Any], site_name: str) -> Calculators:
    """The calculators package named by the calculator_block extension's `options`."""
    package = str(options.get(OPTION) or "")
    if not package:
        return Calculators(Registry(()), None)
    where = config_file.name
    line = option_line(config_file, OPTION, package)
    project_dir = str(config_file.parent)
    if project_dir not in sys.path:
        sys.path.insert(0, project_dir)
    try:
        _forget_if_changed(package.partition(".")[0])
        registry = load_registry(package)
    except SitePackageError as error:
        return _failed(Problem(where, line, f"{error}"))
    except Exception as error:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        return _failed(
            Problem(
                where,
                line,
                f"the calculators package {package!r} does not import: "
                f"{type(error).__name__}: {error} ({frame.filename}:{frame.lineno}); "
                "fix that file",
            )
        )
    problems = [Problem(where, line, message) for message in contract_problems(registry)]
    if problems:
        return Calculators(Registry(()), None, problems)
    engine = SiteCalculators(package, site_name) if registry.names() else None
    return Calculators(registry, engine)


def package_dir(package: str | None) -> Path | None:
    """The folder of an importable package (None: no such package, or a single module)."""
    try:
        spec = importlib.util.find_spec(package) if package else None
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


# Each calculators package's source (every file's path, time and size) when this process
# last imported it. Python imports a package once per process, and `guidesite serve` builds
# again in one process after every save: without this, a changed calculator would keep
# its old forms and build-time results beside an engine built from the new code.
_imported: dict[str, str] = {}


def _forget_if_changed(top: str) -> None:
    folder = package_dir(top)
    files = sorted(folder.rglob("*.py")) if folder else []
    stats = [(file, file.stat()) for file in files]
    source = "\n".join(f"{file} {stat.st_mtime_ns} {stat.st_size}" for file, stat in stats)
    if top in sys.modules and _imported.get(top, source) != source:
        for name in [name for name in sys.modules if name == top or name.startswith(f"{top}.")]:
            del sys.modules[name]
        importlib.invalidate_caches()
    _imported[top] = source


def _failed(problem: Problem) -> Calculators:
    return Calculators(Registry(()), None, [problem])
