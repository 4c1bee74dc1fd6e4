"""The preview's differential builds: after a save, MkDocs' `--dirty` build reads and renders
again only the pages whose output can have changed; every other page keeps its output from
the last good build, and what converting it added to the site (its citations, headings,
links to fragments, search entries, warnings) is restored, so the checks across pages and
the generated pages see the whole site on every save.

A page's key is a hash of all its output depends on: its own source text, and what every
page shares (`site_fingerprint`): mkdocs.yml, every other file under the docs directory (the
bibliography, the glossary, images), the front matter and place of every page (titles,
status, tags and related pages go into the menu, the related lists and the structured data
of other pages), the templates, the calculators package, what mkdocs.yml's `watch` lists,
and the content version in the footer. A change to what every page shares renders every
page again: correct first, and an editor changes the text of a page far more often than its
front matter. A generated page (home, topics, references, what's new, dashboard) adds to
that what every page cites and recommends, and the dashboard every page's text.

Where MkDocs 1.x stops us: a dirty build still lists every content file, builds the menu,
writes the search index, the sitemap and the 404 page and stats every theme file it copies on
each save; it offers no event before it lists the theme's files, so `ThemeListing` wraps the
theme's Jinja environment to keep that listing. Its check of links to anchors
(`validation.anchors`) runs once every page is built, so a kept page's links are restored for
it. Which pages have a calculator is known only once every page is converted; when that
changed, kept pages' marked links may be stale, and the save is built in full.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

from guidesite.content import schema
from guidesite.engine import bundle
from guidesite.extensions.calculator_source import package_dir
from guidesite.fhir import published
from guidesite.project import Converted, Project, Read
from guidesite.rendering import TEMPLATES_DIR
from guidesite.site import pages
from guidesite.version import BuildInfo

DIRTY_WARNING = "A 'dirty' build is being performed"


@dataclass
class PageResult:
    """What converting and rendering one page left behind, for builds that skip it."""

    key: str
    markdown: str | None
    meta: MutableMapping[str, Any]
    title_from_render: str | None
    content: str | None
    toc: Any  # mkdocs' TableOfContents
    anchor_ids: set[str] | None
    # The page's links to anchors, by the src_uri of the file linked to: MkDocs checks them
    # once every page is built (`validation.anchors`), kept pages included.
    anchor_links: dict[str, dict[str, str]] | None = None
    converted: Converted | None = None
    search_entries: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[logging.LogRecord] = field(default_factory=list)


class RenderEverything(Exception):
    """A dirty build cannot keep its pages: the preview builds everything instead."""


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


@contextmanager
def without_dirty_warning() -> Iterator[None]:
    """MkDocs' warning that a dirty build may leave the menu inaccurate, dropped: ours
    renders every page again whose menu can have changed (and a strict preview would fail
    on the warning)."""
    build_log = logging.getLogger("mkdocs.commands.build")
    dropped = _DropDirtyWarning()
    build_log.addFilter(dropped)
    try:
        yield
    finally:
        build_log.removeFilter(dropped)


class _PageWarnings(logging.Handler):
    """Keeps each warning logged while a page is converted or rendered, with the page's."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.page: PageResult | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.page is not None:
            self.page.warnings.append(record)


def _stat(path: Path) -> str:
    try:
        status = path.stat()
    except OSError:
        return f"{path}: none"
    return f"{path}: {status.st_mtime_ns} {status.st_size}"


def _tree(folder: Path | None) -> Iterable[str]:
    """Every file under `folder` as its path, modification time and size; a page (Markdown)
    by its path alone: its text is part of its own key."""
    if folder is None or not folder.is_dir():
        return
    for directory, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            path = Path(directory, name)
            yield str(path) if utils.is_markdown_file(name) else _stat(path)


def site_fingerprint(
    config: MkDocsConfig, project: Project, files: Files, build_info: BuildInfo
) -> str:
    """A hash of what every page's output depends on besides its own text (see above)."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    engine = project.calculators.engine
    parts: list[str] = [
        config_file.read_text(encoding="utf-8") if config_file else "",
        str(config.site_url),
        repr(build_info),
        _stat(project.bib_path),
        *_tree(Path(config.docs_dir)),
        *_tree(custom_dir),
        *_tree(TEMPLATES_DIR),
        *_tree(package_dir(engine.package if engine else None)),
        *(line for folder in config.watch for line in _tree(Path(folder))),
    ]
    for file in files:
        parts.append(f"{file.src_uri} {file.url} {file.inclusion.name}")
        text = project.texts.get(pages.page_id(file.src_uri), "")
        if file.generated_by is None and (front := schema.FRONT_MATTER_RE.match(text)):
            parts.append(front.group(0))
    return _digest(*parts)


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The search plugin's list of entries so far (None: no search plugin we know)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)  # Material's search plugin
        if isinstance(entries, list):
            return entries
    return None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled once for every build of the preview: each build loads
    mkdocs.yml again and so makes a new Jinja environment, and compiling the theme again was
    a fifth of a save. Jinja compiles a template again when its source changed."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class ThemeListing:
    """The theme's files as MkDocs lists them for each build (`Files.add_files_from_theme`),
    listed again only when a folder of the theme changed: listing and filtering Material's
    14 500 files was an eighth of a save at 1 000 pages. A file added, removed or renamed
    changes its folder's modification time. MkDocs 1.6's filter depends only on the name
    and the theme's `static_templates`, so the filtered list is kept under those."""

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._folders: list[str] = []  # every folder under the theme's, at the last listing
        self._names: list[str] = []

    def install(self, theme: Theme) -> None:
        """Each Jinja environment `theme` makes lists its templates through this."""
        make_env = theme.get_env

        def env_with_kept_listing() -> jinja2.Environment:
            env = make_env()
            static = tuple(theme.static_templates)
            env.list_templates = partial(self.list_templates, env, static)  # type: ignore[method-assign]
            return env

        theme.get_env = env_with_kept_listing  # type: ignore[method-assign]

    def list_templates(
        self,
        env: jinja2.Environment,
        static_templates: tuple[str, ...],
        extensions: Collection[str] | None = None,
        filter_func: Callable[[str], bool] | None = None,
    ) -> list[str]:
        searchpath = tuple(getattr(env.loader, "searchpath", ()))
        asked = (
            searchpath,
            static_templates,
            extensions,
            getattr(filter_func, "__qualname__", None),
        )
        if self._key == (*asked, *map(_mtime_ns, self._folders)):
            return list(self._names)
        # The folders' times first: a change during the listing shows at the next build.
        self._folders = [folder for top in searchpath for folder, _, _ in os.walk(top)]
        key = (*asked, *map(_mtime_ns, self._folders))
        self._names = jinja2.Environment.list_templates(env, extensions, filter_func)
        self._key = key
        return list(self._names)


def _mtime_ns(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


class Differential:
    """Lives as long as `guidesite serve`; each build's plugin consults it (`plugin.py`)."""

    def __init__(self) -> None:
        self.results: dict[str, PageResult] = {}  # src_uri -> from the last good build
        self.engine_key: str | None = None  # the calculators' fingerprint it was built for
        self.read_memo: dict[tuple[str, str, str], Read] = {}  # Project's, kept across builds
        self.compiled_templates = CompiledTemplates()  # every build's theme environment's
        self.fhir_written: published.Written = {}  # what the last build's FHIR files hold
        self.theme_listing = ThemeListing()  # every build's theme environment's
        self.calculator_urls: frozenset[str] | None = None  # of the pages with a calculator
        # What the last good build published (site paths) and the site's fingerprint then.
        self.published: tuple[set[str], str] = (set(), "")
        self._build: _Build | None = None

    @property
    def ready(self) -> bool:
        """Whether the served site came from a good build: the next may be a dirty one."""
        return bool(self.results)

    def reset(self) -> None:
        """After a build that failed half written: the next one builds everything."""
        self.results.clear()
        self.engine_key = None
        self.calculator_urls = None

    def plan(
        self, config: MkDocsConfig, project: Project, files: Files, build_info: BuildInfo
    ) -> None:
        """Decide which pages this build reads and renders; in a dirty build (after a good
        one), the others keep their output."""
        dirty = self.ready
        site = site_fingerprint(config, project, files, build_info)
        build = self._build = _Build(config, files, dirty)
        # The pages a preview build reads, drafts too, in the order it reads them.
        documentation = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        build.site = site
        for file in documentation:
            # MkDocs' --dirty asks each file whether to read and render it again; this is
            # where the answer is the key's, not the modification times'.
            file.is_modified = partial(build.again, file.src_uri)  # type: ignore[method-assign]
            if file.generated_by is not None:
                continue  # made from every page: decided once every page is read (`restore`)
            text = project.texts.get(pages.page_id(file.src_uri), "")
            key = _digest(site, file.src_uri, text)
            kept = self.results.get(file.src_uri)
            build.keys[file.src_uri] = key
            if build.may_skip and kept is not None and kept.key == key:
                build.skipped[file.src_uri] = kept
        build.order = [f.src_uri for f in documentation]
        engine = project.calculators.engine
        build.engine_key = _digest(*_tree(package_dir(engine.package if engine else None)))
        build.start()

    def converting(self, page: Page) -> None:
        """A page's conversion begins: warnings from now on are its."""
        if (build := self._build) is not None:
            build.warnings.page = build.result(page)

    def converted(self, page: Page, project: Project) -> None:
        if (build := self._build) is not None:
            build.warnings.page = None
            result = build.result(page)
            result.converted = project.converted_results(page.file.src_uri)

    def restore(self, project: Project, pages_by_uri: dict[str, Page]) -> None:
        """Before the checks across pages: each skipped page as the last build left it."""
        if (build := self._build) is None:
            return
        for src_uri, kept in build.skipped.items():
            page = pages_by_uri[src_uri]
            page.markdown, page.meta, page.content = kept.markdown, dict(kept.meta), kept.content
            page._title_from_render = kept.title_from_render
            page.toc, page.present_anchor_ids = kept.toc, kept.anchor_ids
            if kept.anchor_links is not None:
                page.links_to_anchors = {
                    file: links
                    for uri, links in kept.anchor_links.items()
                    if (file := build.files.get_file_from_path(uri)) is not None
                }
            if kept.converted is not None:
                project.restore_converted(src_uri, kept.converted)
            for record in kept.warnings:
                logging.getLogger(record.name).handle(record)
        project.put_in_conversion_order(build.order)
        # A generated page shows what every page cites and recommends, and one with a
        # context (the dashboard) what it makes of every page's text; the rest of what it
        # shows is part of `site`.
        every_page = f"{project.index.cited!r}\0{project.index.recommendations!r}"
        texts = _digest(*itertools.chain.from_iterable(sorted(project.texts.items())))
        for generated in project.generated:
            uses_texts = texts if generated.context is not None else ""
            key = _digest(build.site, generated.src_uri, every_page, uses_texts)
            build.keys[generated.src_uri] = key
            previous = self.results.get(generated.src_uri)
            if build.may_skip and previous is not None and previous.key == key:
                build.skipped[generated.src_uri] = previous
                for record in previous.warnings:
                    logging.getLogger(record.name).handle(record)
        if build.last_rendered() is None:  # nothing to render: the index is whole now
            build.index_skipped_before(None)

    def mark_calculator_links(self, calculator_urls: set[str]) -> None:
        """Before anything is written: every page marks its links to the pages that have a
        calculator (`calculator_links`), so when those are not the last build's pages, a
        kept page's marks may be stale, and everything is built again (`RenderEverything`;
        rare: a calculator added to or removed from a page)."""
        if (build := self._build) is None:
            return
        build.calculator_urls = frozenset(calculator_urls)
        if build.skipped and build.calculator_urls != self.calculator_urls:
            raise RenderEverything("the pages with a calculator changed")

    def rendering(self, page: Page) -> None:
        """Before the search plugin indexes `page`: the skipped pages before it are indexed
        first, so the index lists every page in the order a full build does."""
        if (build := self._build) is None:
            return
        build.writing = True
        build.index_skipped_before(page.file.src_uri)
        result = build.result(page)
        result.content = page.content
        build.warnings.page = result
        build.search_start = len(build.search) if build.search is not None else 0

    def rendered(self, page: Page) -> None:
        if (build := self._build) is None:
            return
        build.warnings.page = None
        result = build.result(page)
        if build.search is not None:
            result.search_entries = build.search[build.search_start :]
        if page.file.src_uri == build.last_rendered():
            build.index_skipped_before(None)

    def engine_is_current(self) -> bool:
        """Whether the served site holds the calculator engine this build would make."""
        build = self._build
        return build is not None and build.dirty and build.engine_key == self.engine_key

    def finish(self) -> None:
        """After a good build: keep what it made; remove what a deleted file left."""
        if (build := self._build) is None:
            return
        build.stop()
        site = Path(build.config.site_dir)
        published = {f.dest_uri for f in build.files}
        # The FHIR files this build published, those it did not write again included.
        published |= {path.relative_to(site).as_posix() for path in self.fhir_written}
        # Looking through the whole site is needed only when what it publishes, what every
        # page shares (mkdocs.yml, so the plugins and what they write) or the engine changed.
        same = (published, build.site) == self.published and self.engine_is_current()
        if build.dirty and not same:
            self._remove_stale(build, published)
        self._build = None
        self.published = (published, build.site)
        self.engine_key = build.engine_key
        self.calculator_urls = build.calculator_urls
        self.results = {
            src_uri: build.skipped.get(src_uri) or build.made[src_uri]
            for src_uri in build.keys
            if src_uri in build.skipped or src_uri in build.made
        }

    def _remove_stale(self, build: _Build, published: set[str]) -> None:
        """Remove what only an earlier build made: the output of a file since deleted, and
        what the end of a build writes for a page since deleted (its FHIR resources). What
        a dirty build keeps is what it published, or the calculator engine it did not make."""
        site = Path(build.config.site_dir)
        for path in site.rglob("*"):
            name = path.relative_to(site).as_posix()
            if (
                path.is_file()
                and name not in published
                and path.stat().st_mtime_ns < build.started_ns
                and not (self.engine_is_current() and name.startswith(bundle.ENGINE_DIR))
            ):
                path.unlink()

    def failed(self) -> None:
        """After a failed build: its pages are forgotten; if it had begun writing, the
        served site is part new, part old, and the next build makes all of it."""
        if (build := self._build) is None:
            return
        build.stop()
        self._build = None
        if build.writing:
            self.reset()


class _Build:
    """One build's plan and what it makes."""

    def __init__(self, config: MkDocsConfig, files: Files, dirty: bool) -> None:
        self.config = config
        self.files = files
        self.dirty = dirty
        self.keys: dict[str, str] = {}
        self.skipped: dict[str, PageResult] = {}
        self.made: dict[str, PageResult] = {}
        self.order: list[str] = []
        self.started_ns = time.time_ns()  # what the build writes is at least as new
        self.site = ""  # the site's fingerprint
        self.engine_key = ""
        self.calculator_urls: frozenset[str] | None = None
        self.writing = False
        self.search = _search_entries(config)
        # A page is kept only if its search entries can be too: with a search plugin whose
        # index is not Material's, every page is rendered again.
        unknown_search = self.search is None and any(
            hasattr(plugin, "search_index") for plugin in config.plugins.values()
        )
        self.may_skip = dirty and not unknown_search
        self.search_start = 0
        self._indexed = 0  # of `order`, the pages up to which the search index is filled
        self.warnings = _PageWarnings()

    def start(self) -> None:
        logging.getLogger("mkdocs").addHandler(self.warnings)

    def stop(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)

    def again(self, src_uri: str) -> bool:
        """Whether this build reads and renders `src_uri` (MkDocs' `File.is_modified`)."""
        return src_uri not in self.skipped

    def result(self, page: Page) -> PageResult:
        src_uri = page.file.src_uri
        if (result := self.made.get(src_uri)) is None:
            result = self.made[src_uri] = PageResult(
                self.keys.get(src_uri, ""), None, {}, None, None, [], None
            )
        result.markdown, result.meta = page.markdown, page.meta
        result.title_from_render, result.toc = page._title_from_render, page.toc
        result.anchor_ids = page.present_anchor_ids
        if page.links_to_anchors is not None:
            result.anchor_links = {f.src_uri: a for f, a in page.links_to_anchors.items()}
        return result

    def last_rendered(self) -> str | None:
        rendered = [uri for uri in self.order if uri not in self.skipped]
        return rendered[-1] if rendered else None

    def index_skipped_before(self, src_uri: str | None) -> None:
        """Add the search entries of the skipped pages before `src_uri` (None: all left)."""
        end = self.order.index(src_uri) if src_uri in self.order else len(self.order)
        for uri in self.order[self._indexed : end]:
            if (kept := self.skipped.get(uri)) is not None and self.search is not None:
                self.search.extend(kept.search_entries)
        self._indexed = max(self._indexed, end + (src_uri is not None))
