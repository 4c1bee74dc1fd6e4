"""`guidesite prepare`: what the MkDocs plugin adds to a build, for a renderer without it.

Zensical (Material for MkDocs' successor) reads mkdocs.yml and runs the Markdown extensions
listed there, but not MkDocs plugins. This step does the plugin's part without MkDocs'
plugin API: every content check (front matter, bibliography, glossary, hazard log, links
between pages, and each page through our Markdown extensions, reported as `file:line`),
by the plugin's own sequence (`project.Project`) over the files it finds itself,
then, only when there is no mistake, a staging project in `out_dir`:

- `mkdocs.yml`: the project's settings with our extensions listed, the generated nav, our
  stylesheets and scripts, `docs_dir: docs` and `site_dir: site`;
- `docs/`: each published content page with its header (question, review status), related
  questions, changes and disclaimer around the body, as `main.html` draws them for MkDocs;
  the generated pages (`pages.GENERATED`, the same templates the plugin renders); the theme
  assets and the calculator engine files.

`zensical build -f <out_dir>/mkdocs.yml` then writes `<out_dir>/site/`.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import markdown
import pathspec
import yaml
from yaml_env_tag import construct_env_tag

from guidesite.config import GuideSiteConfig
from guidesite.content import schema
from guidesite.content.problems import Problem
from guidesite.engine import bundle
from guidesite.extensions import calculator_block, citations
from guidesite.fhir import published as fhir_publishing
from guidesite.fhir.published import PublishedResource
from guidesite.project import Project
from guidesite.release.releases import write_version_file
from guidesite.rendering import Renderer
from guidesite.replaced_whole import replaced_whole
from guidesite.site import assets, pages

PLUGIN = "guidesite"
# Around a content page's body, in main.html's order; every page ends with the disclaimer.
BEFORE_BODY = ("partials/guidesite/page-header.html",)
AFTER_BODY = (
    "partials/guidesite/page-about.html",
    "partials/guidesite/related.html",
    "partials/guidesite/changes.html",
    "partials/guidesite/fhir.html",
)
DISCLAIMER = "partials/guidesite/disclaimer.html"


@dataclass(frozen=True)
class Relative:
    """A `!relative` path of mkdocs.yml (`$docs_dir` or `$config_dir`), resolved on writing."""

    base: str


class _ConfigLoader(yaml.Loader):
    """mkdocs.yml as MkDocs reads it: `!!python/name`, `!ENV` and `!relative` included."""


def _relative_tag(loader: yaml.Loader, node: yaml.Node) -> Relative:
    return Relative(str(loader.construct_scalar(node)))  # type: ignore[arg-type]


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_constructor("!relative", _relative_tag)


def load_config(config_file: Path) -> dict[str, Any]:
    with config_file.open(encoding="utf-8") as stream:
        loaded = yaml.load(stream, Loader=_ConfigLoader)  # the project's own file
    return loaded if isinstance(loaded, dict) else {}


def _named(entries: list[Any]) -> dict[str, Any]:
    """`[name, {name: options}]` lists of mkdocs.yml as name -> options (None: none given)."""
    named: dict[str, Any] = {}
    for entry in entries:
        if isinstance(entry, dict):
            named.update(entry)
        else:
            named[str(entry)] = None
    return named


def plugin_options(config: Mapping[str, Any], approved_only: bool) -> GuideSiteConfig:
    options = GuideSiteConfig()
    options.load_dict(_named(config.get("plugins", [])).get(PLUGIN) or {})
    failed, _ = options.validate()
    if failed:
        raise ValueError("; ".join(f"{PLUGIN} option {key}: {error}" for key, error in failed))
    if approved_only:
        options["approved_only"] = True
    return options


def page_url(src_uri: str) -> str:
    """Where a page is published: `.html` addresses, as Material's offline plugin makes them."""
    return src_uri.removesuffix(".md") + ".html"


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    """The `url` filter of the theme: `target` relative to the page being drawn."""
    start = posixpath.dirname(context["page_url"]) or "."
    return posixpath.relpath(target, start)


@dataclass
class Prepared:
    """The outcome: mistakes (nothing written when there is one) and warnings."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    strict: bool = False  # warnings were mistakes too

    @property
    def failed(self) -> bool:
        return bool(self.problems or (self.strict and self.warnings))


class _Site:
    """Everything read from the project, checked; written out by `write` when sound."""

    def __init__(self, config_file: Path, approved_only: bool) -> None:
        self.project_dir = config_file.resolve().parent
        self.config = load_config(config_file)
        self.options = plugin_options(self.config, approved_only)
        self.docs_dir = self.project_dir / str(self.config.get("docs_dir", "docs"))
        # Markdown extension name -> its options, `!relative` paths resolved.
        self.configs: dict[str, Any] = {
            name: _resolved(options or {}, self.docs_dir, self.project_dir)
            for name, options in _named(self.config.get("markdown_extensions", [])).items()
        }
        # src_uri -> file: what the content directory holds, found once.
        self.files = {p.relative_to(self.docs_dir).as_posix(): p for p in self.source_files()}
        self.project = Project(
            config_file.resolve(),
            self.docs_dir,
            self.options,
            self.configs,
            self._custom_dirs(),
            str(self.config.get("site_name", "")),
        )
        # Whether the site has calculators: else no forms runtime, engine or Pyodide.
        self.calculators = self.project.calculators.engine is not None
        self.outcome = Prepared()
        self.bodies: dict[str, str] = {}  # page id -> Markdown with the bottom line
        self.prefill_refs: dict[str, str] = {}  # calculator page id -> its prefill reference
        site_url = self.config.get("site_url")
        self.site_url = str(site_url) if site_url else None
        self.fhir: list[PublishedResource] = []  # written beside the pages, as files

    def source_files(self) -> list[Path]:
        spec = pathspec.GitIgnoreSpec.from_lines(
            str(self.config.get("exclude_docs") or "").splitlines()
        )
        return [
            path
            for path in sorted(self.docs_dir.rglob("*"))
            if path.is_file()
            and not any(part.startswith(".") for part in path.relative_to(self.docs_dir).parts)
            and not spec.match_file(path.relative_to(self.docs_dir).as_posix())
        ]

    def read(self) -> None:
        """Every check of a build; problems in `self.outcome`."""
        project = self.project
        publishable = project.publishable(self.files)
        self.files = {uri: path for uri, path in self.files.items() if uri in publishable}
        page_files = {uri: path for uri, path in self.files.items() if path.suffix == ".md"}
        project.read_pages(page_files, page_url)
        added = [g.src_uri for g in project.generated]
        published = assets.asset_sources(project.node_modules, self.calculators)
        project.addable(self.files, [*added, *published, assets.STYLESHEET])
        # Each page through mkdocs.yml's Markdown extensions, as the renderer will run them
        # (ours given what the plugin gives them), for the checks and what pages cite; the
        # renderer converts the bodies again.
        converter = markdown.Markdown(
            extensions=project.wired(self.configs), extension_configs=self.configs
        )
        for src_uri in page_files:
            page_id = pages.page_id(src_uri)
            if page_id not in project.texts or src_uri in project.left_out:
                continue  # unreadable (reported), or left out of an approved-only build
            self.bodies[page_id] = project.page_markdown(src_uri)
            converter.reset().convert(self.bodies[page_id])
            self.prefill_refs[page_id] = project.converted(src_uri)
        project.check_fragments()
        if not project.problems:
            self.fhir = project.fhir_resources(self.site_url)
        self.outcome.problems = project.problems
        self.outcome.warnings = project.unused_references()

    def write(self, out_dir: Path, engine: bool) -> None:
        """The staging project, swapped in whole (a failed write leaves the old one)."""
        with replaced_whole(out_dir) as staging:
            self._write_docs(staging / "docs", engine)
            (staging / "mkdocs.yml").write_text(
                yaml.dump(self._renderer_config(), Dumper=yaml.Dumper, sort_keys=False),
                encoding="utf-8",
            )

    def _write_docs(self, docs: Path, engine: bool) -> None:
        project = self.project
        renderer = Renderer(self._custom_dirs())
        renderer.env.filters["url"] = _url
        docs.mkdir()
        for src_uri, path in self.files.items():
            page_id = pages.page_id(src_uri)
            published = project.index.pages.keys() | project.index.ordinary.keys()
            if (
                path == project.hazard_log
                or project.never_published(path)
                or (path.suffix == ".md" and page_id not in published)
            ):
                # Shown as the Clinical safety page; read by the build, never published as
                # the raw file; left out; or unreadable.
                continue
            target = docs / src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                target.write_text(self._content_page(renderer, page_id), encoding="utf-8")
            else:
                shutil.copyfile(path, target)
        for generated in project.generated:
            context = project.guide(None, generated)
            parts = [
                renderer.render(name, guide=context, page_url=page_url(generated.src_uri))
                for name in (generated.template, DISCLAIMER)
            ]
            (docs / generated.src_uri).write_text(
                generated.source() + _joined(parts), encoding="utf-8"
            )
        node_modules = project.node_modules
        for site_path, source in assets.asset_sources(node_modules, self.calculators).items():
            (docs / site_path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, docs / site_path)
        # Zensical runs no service worker, so the offline part stays out.
        (docs / assets.STYLESHEET).write_text(
            assets.stylesheet(self.calculators, offline=False), encoding="utf-8"
        )
        if engine and (calculators := project.calculators.engine) is not None:
            bundle.build_engine_assets(
                docs, node_modules, node_modules.parent / ".cache", calculators
            )
        fhir_publishing.write(docs, self.fhir, self.site_url)
        write_version_file(docs, project.build_info())

    def _content_page(self, renderer: Renderer, page_id: str) -> str:
        """Front matter, then what main.html draws around the body, as raw HTML blocks."""
        meta = self.project.index.pages.get(page_id)  # None: an ordinary page (kind: page)
        match = schema.FRONT_MATTER_RE.match(self.project.texts[page_id])
        assert match is not None  # the page's meta was read from it
        context = {"guide": self.project.guide(meta), "page_url": page_url(f"{page_id}.md")}
        around = (BEFORE_BODY, (*AFTER_BODY, DISCLAIMER)) if meta else ((), (DISCLAIMER,))
        before = [renderer.render(name, **context) for name in around[0]]
        after = [self.prefill_refs.get(page_id, "")]
        after += [renderer.render(name, **context) for name in around[1]]
        return match.group(0) + _joined([*before, self.bodies[page_id], *after])

    def _custom_dirs(self) -> list[str]:
        custom = (self.config.get("theme") or {}).get("custom_dir")
        return [str(self.project_dir / custom)] if custom else []

    def _renderer_config(self) -> dict[str, Any]:
        """The project's mkdocs.yml for the renderer: our additions in, the plugin out."""
        config = {
            key: value
            for key, value in self.config.items()
            if key not in {"docs_dir", "site_dir", "plugins", "markdown_extensions", "nav"}
        }
        config["docs_dir"] = "docs"
        config["site_dir"] = "site"
        config["use_directory_urls"] = False
        config["nav"] = self.config.get("nav") or pages.nav(
            self.project.index.pages, self.project.generated
        )
        theme = dict(config.get("theme") or {})
        theme["font"] = False  # as the plugin does: no web fonts from an outside host
        if theme.get("custom_dir"):
            theme["custom_dir"] = self._custom_dirs()[0]
        config["theme"] = theme
        config["plugins"] = [
            {name: options} if options else name
            for name, options in _named(self.config.get("plugins", [])).items()
            if name != PLUGIN
        ]
        # As mkdocs.yml lists them; `!relative $docs_dir` stays the content directory (the
        # glossary is not copied), and the bibliography is named by its absolute path.
        configs = dict(self.configs)
        configs[citations.__name__] = {
            **configs.get(citations.__name__, {}),
            "bibliography": str(self.project.bib_path.resolve()),
        }
        configs[calculator_block.__name__] = {
            **configs.get(calculator_block.__name__, {}),
            "site_name": str(self.config.get("site_name", "")),
        }
        config["markdown_extensions"] = [
            {name: options} if options else name for name, options in configs.items()
        ]
        extra = dict(config.get("extra") or {})
        extra["polyfills"] = [*assets.POLYFILLS, *extra.get("polyfills", [])]
        config["extra"] = extra
        config["extra_css"] = [assets.STYLESHEET, *config.get("extra_css", [])]
        modules = assets.needed(assets.MODULE_SCRIPTS, self.calculators)
        config["extra_javascript"] = [
            *config.get("extra_javascript", []),
            *assets.needed(assets.SCRIPTS, self.calculators),
            *({"path": path, "type": "module"} for path in modules),
        ]
        return config


def _joined(parts: list[str]) -> str:
    """Markdown blocks (raw HTML among them) one blank line apart."""
    return "\n" + "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def _resolved(options: Any, docs_dir: Path, project_dir: Path) -> Any:
    """Options with each `!relative` path made absolute."""
    if isinstance(options, Relative):
        bases = {"$docs_dir": docs_dir, "$config_dir": project_dir}
        if options.base not in bases:
            raise ValueError(f"!relative {options.base}: only $docs_dir and $config_dir are known")
        return str(bases[options.base].resolve())
    if isinstance(options, dict):
        return {key: _resolved(value, docs_dir, project_dir) for key, value in options.items()}
    if isinstance(options, list):
        return [_resolved(value, docs_dir, project_dir) for value in options]
    return options


def prepare(
    config_file: Path,
    out_dir: Path,
    *,
    approved_only: bool = False,
    engine: bool = True,
    strict: bool | None = None,
) -> Prepared:
    """Check the project of `config_file`; when sound, write the staging project.

    Warnings stop it too in strict mode (`strict` None: as mkdocs.yml says)."""
    site = _Site(config_file, approved_only)
    site.read()
    site.outcome.strict = bool(site.config.get("strict")) if strict is None else strict
    if not site.outcome.failed:
        site.write(out_dir, engine)
    return site.outcome
