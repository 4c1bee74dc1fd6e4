"""`guidesite prepare`: what the MkDocs plugin adds to a build, for a renderer without it.

Zensical (Material for MkDocs' successor) reads mkdocs.yml and runs the Markdown extensions
listed there, but not MkDocs plugins. This step does the plugin's part without MkDocs'
plugin API: every content check (front matter, bibliography, glossary, hazard log, links
between pages, and each page through our Markdown extensions, reported as `file:line`),
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

import os
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

from generator.build_time import build_date
from generator.config import GuideSiteConfig
from generator.content import (
    bibliography,
    glossary,
    hazards,
    placeholders,
    schema,
    site_checks,
    sources,
)
from generator.content.problems import Problem, SourceMap
from generator.content.schema import PageMeta
from generator.engine import bundle
from generator.extensions import body_check, citations, recommendations
from generator.extensions.body_check import SiteLinks
from generator.extensions.calculator_block import CalculatorExtension
from generator.extensions.citations import CitationsExtension
from generator.extensions.recommendations import RecommendationsExtension
from generator.extensions.reporting import ProblemLog
from generator.release.releases import write_version_file
from generator.rendering import Renderer
from generator.replaced_whole import replaced_whole
from generator.site import assets, pages, prefill_reference
from generator.version import BuildInfo, content_version

PLUGIN = "guidesite"
APPROVED = "approved"
# Our Markdown extensions' names start so; they get the plugin's collaborators here.
OURS = "generator.extensions."
# Around a content page's body, in main.html's order; every page ends with the disclaimer.
BEFORE_BODY = ("partials/guidesite/page-header.html",)
AFTER_BODY = ("partials/guidesite/related.html", "partials/guidesite/changes.html")
DISCLAIMER = "partials/guidesite/disclaimer.html"


@dataclass(frozen=True)
class Relative:
    """A `!relative` path of mkdocs.yml (`$docs_dir` or `$config_dir`), resolved on writing."""

    base: str


class _ConfigLoader(yaml.Loader):
    """mkdocs.yml as MkDocs reads it: `!!python/name`, `!ENV` and `!relative` included."""


def _env_tag(loader: yaml.Loader, node: yaml.Node) -> Any:
    names = (
        [loader.construct_scalar(n) for n in node.value[:-1]]
        if isinstance(node, yaml.SequenceNode)
        else [loader.construct_scalar(node)]  # type: ignore[arg-type]
    )
    default = (
        loader.construct_object(node.value[-1]) if isinstance(node, yaml.SequenceNode) else None
    )
    for name in names:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


def _relative_tag(loader: yaml.Loader, node: yaml.Node) -> Relative:
    return Relative(str(loader.construct_scalar(node)))  # type: ignore[arg-type]


_ConfigLoader.add_constructor("!ENV", _env_tag)
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
        self.outcome = Prepared()
        self.index = pages.SiteIndex()
        self.texts: dict[str, str] = {}
        self.bodies: dict[str, str] = {}  # page id -> Markdown with the bottom line
        self.prefill_refs: dict[str, str] = {}  # calculator page id -> its prefill reference

    def shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.project_dir).as_posix()
        except ValueError:
            return str(path)

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
        problems = self.outcome.problems
        self.bib_path = citations.bibliography_file(
            self.configs.get(citations.__name__, {}), self.project_dir, self.docs_dir
        )
        bib_path = self.bib_path
        self.references, bib_problems = bibliography.load(
            bib_path, self.shown(bib_path), self.options.max_file_bytes
        )
        problems += bib_problems
        problems += glossary.check(self.configs, self.shown)
        hazard_path = self.docs_dir / self.options.hazard_log
        self.hazards, hazard_problems = hazards.load(hazard_path, self.shown(hazard_path))
        problems += hazard_problems
        self.generated = pages.generated_pages(
            approved_only=self.options.approved_only, has_hazard_log=bool(self.hazards)
        )
        page_files = {
            p.relative_to(self.docs_dir).as_posix(): p
            for p in self.source_files()
            if p.suffix == ".md"
        }
        metas: dict[str, PageMeta] = {}
        addresses = []
        for src_uri, path in page_files.items():
            if src_uri in {g.src_uri for g in self.generated}:
                problems.append(Problem(self.shown(path), 1, pages.RESERVED_NAME))
                continue
            addresses.append((self.shown(path), page_url(src_uri)))
            text, read_problems = sources.read_source(
                path, self.shown(path), self.options.max_file_bytes
            )
            problems += read_problems
            if text is None:
                continue
            self.texts[pages.page_id(src_uri)] = text
            meta, meta_problems = schema.parse_front_matter(
                pages.page_id(src_uri), self.shown(path), text
            )
            problems += meta_problems + placeholders.unfilled(self.shown(path), text)
            if meta is not None:
                metas[meta.page_id] = meta
        problems += site_checks.check_links(metas, {pages.page_id(u) for u in page_files})
        problems += site_checks.check_unique_addresses(addresses)
        problems += site_checks.check_unique_wording(metas)
        left_out = {
            f"{m.page_id}.md": m.status
            for m in metas.values()
            if self.options.approved_only and m.status != APPROVED
        }
        for meta in metas.values():
            if f"{meta.page_id}.md" not in left_out:
                self.index.pages[meta.page_id] = meta
                self.index.urls[meta.page_id] = page_url(f"{meta.page_id}.md")
        self.index.urls.update(
            {pages.page_id(g.src_uri): page_url(g.src_uri) for g in self.generated}
        )
        published = (page_files.keys() - left_out.keys()) | {g.src_uri for g in self.generated}
        self._convert(page_files, metas, SiteLinks(published, left_out))
        if not self.options.approved_only:
            cited = {key for keys in self.index.cited.values() for key in keys}
            self.outcome.warnings += [
                f"{self.shown(bib_path)}:{r.line}: entry {r.key!r} is cited by no page; "
                "cite it or remove it"
                for r in bibliography.unused(self.references, cited)
            ]

    def _convert(
        self, page_files: Mapping[str, Path], metas: Mapping[str, PageMeta], site: SiteLinks
    ) -> None:
        """Each page through mkdocs.yml's Markdown extensions, as the renderer will run
        them, ours given what the plugin gives them: the bibliography, the site's pages and
        one log of problems."""
        log = ProblemLog()
        given: dict[str, dict[str, Any]] = {
            citations.__name__: {
                "bibliography": self.references,
                "check_keys": bool(self.references),
            },
            body_check.__name__: {"site": site},
        }
        configs = {
            name: {**options, "problems": log, **given.get(name, {})}
            if name.startswith(OURS)
            else options
            for name, options in self.configs.items()
        }
        converter = markdown.Markdown(extensions=list(configs), extension_configs=configs)
        found = {type(e): e for e in converter.registeredExtensions}
        cites = found[CitationsExtension]
        recs = found[RecommendationsExtension]
        calculator_blocks = found[CalculatorExtension]
        assert isinstance(cites, CitationsExtension)
        assert isinstance(recs, RecommendationsExtension)
        assert isinstance(calculator_blocks, CalculatorExtension)
        for src_uri, path in page_files.items():
            page_id = pages.page_id(src_uri)
            text = self.texts.get(page_id)
            meta = metas.get(page_id)
            if text is None or (page_id not in self.index.pages and meta is not None):
                continue  # unreadable (reported), or left out of an approved-only build
            match = schema.FRONT_MATTER_RE.match(text)
            body = text[match.end() :].lstrip("\n") if match else text
            front_lines = text[: len(text) - len(body)].count("\n")
            if meta is None:
                source_map = SourceMap(self.shown(path), front_lines)
            else:
                body, added = pages.with_bottom_line(body, meta.summary)
                source_map = SourceMap(self.shown(path), front_lines, added, meta.lines["summary"])
                self.bodies[page_id] = body
            site.page = src_uri
            log.clear()
            converter.reset().convert(body)
            problems = list(log.problems)
            if meta is not None:
                problems += recommendations.check_changed_dates(
                    recs.recommendations, meta.last_updated
                )
                if pages.is_calculator(meta):
                    self.prefill_refs[page_id] = prefill_reference.render(
                        calculator_blocks.env, calculator_blocks.embedded
                    )
            self.outcome.problems += [source_map.place(p) for p in problems]
            self.index.cited[page_id] = list(cites.cited)
            self.index.recommendations[page_id] = list(recs.recommendations)

    def write(self, out_dir: Path, engine: bool) -> None:
        """The staging project, swapped in whole (a failed write leaves the old one)."""
        with replaced_whole(out_dir) as staging:
            self._write_docs(staging / "docs", engine)
            (staging / "mkdocs.yml").write_text(
                yaml.dump(self._renderer_config(), Dumper=yaml.Dumper, sort_keys=False),
                encoding="utf-8",
            )

    def _write_docs(self, docs: Path, engine: bool) -> None:
        renderer = Renderer(self._custom_dirs())
        renderer.env.filters["url"] = _url
        docs.mkdir()
        hazard_log = self.docs_dir / self.options.hazard_log
        for path in self.source_files():
            src_uri = path.relative_to(self.docs_dir).as_posix()
            page_id = pages.page_id(src_uri)
            if path == hazard_log or (path.suffix == ".md" and page_id not in self.index.pages):
                continue  # shown as the Clinical safety page; left out; or unreadable
            target = docs / src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                target.write_text(self._content_page(renderer, page_id), encoding="utf-8")
            else:
                shutil.copyfile(path, target)
        for generated in self.generated:
            context = self._guide(None)
            if generated.context is not None:
                context.update(generated.context(self.index, self.texts, self.references))
            parts = [
                renderer.render(name, guide=context, page_url=page_url(generated.src_uri))
                for name in (generated.template, DISCLAIMER)
            ]
            (docs / generated.src_uri).write_text(
                generated.source() + _joined(parts), encoding="utf-8"
            )
        node_modules = assets.find_node_modules(self.project_dir, self.options.node_modules)
        for site_path, source in assets.asset_sources(node_modules).items():
            (docs / site_path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, docs / site_path)
        if engine:
            bundle.build_engine_assets(docs, node_modules, node_modules.parent / ".cache")
        build = BuildInfo(content_version(self.docs_dir, self.options.version), build_date())
        write_version_file(docs, build)

    def _guide(self, meta: PageMeta | None) -> dict[str, Any]:
        return pages.guide_context(
            meta,
            self.index,
            self.references,
            self.hazards,
            approved_only=self.options.approved_only,
            related_limit=self.options.related_limit,
        )

    def _content_page(self, renderer: Renderer, page_id: str) -> str:
        """Front matter, then what main.html draws around the body, as raw HTML blocks."""
        meta = self.index.pages[page_id]
        text = self.texts[page_id]
        match = schema.FRONT_MATTER_RE.match(text)
        assert match is not None  # the page's meta was read from it
        context = {"guide": self._guide(meta), "page_url": page_url(f"{page_id}.md")}
        before = [renderer.render(name, **context) for name in BEFORE_BODY]
        after = [self.prefill_refs.get(page_id, "")]
        after += [renderer.render(name, **context) for name in (*AFTER_BODY, DISCLAIMER)]
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
        config["nav"] = self.config.get("nav") or pages.nav(self.index.pages, self.generated)
        theme = dict(config.get("theme") or {})
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
            "bibliography": str(self.bib_path.resolve()),
        }
        config["markdown_extensions"] = [
            {name: options} if options else name for name, options in configs.items()
        ]
        extra = dict(config.get("extra") or {})
        extra["polyfills"] = [*assets.POLYFILLS, *extra.get("polyfills", [])]
        config["extra"] = extra
        config["extra_css"] = [*config.get("extra_css", []), *assets.STYLESHEETS]
        config["extra_javascript"] = [
            *config.get("extra_javascript", []),
            *assets.SCRIPTS,
            *({"path": path, "type": "module"} for path in assets.MODULE_SCRIPTS),
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
