"""The `guidesite` MkDocs plugin: wiring only; each feature lives in its own module.

`project.Project` reads and checks the content (as `guidesite prepare` does for
other renderers); this module hands it MkDocs' files and pages in MkDocs' event order:
read (on_config, on_files), convert (on_page_markdown, on_page_content), report (on_env,
once, as one error; the FHIR resources are made and validated there too), render and inject
(on_page_context), add the FHIR files and the engine (on_post_build).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from guidesite import rendering, vocabularies
from guidesite.config import GuideSiteConfig
from guidesite.content.problems import ContentError, Problem
from guidesite.engine import bundle
from guidesite.extensions import calculator_block, calculator_source, citations, reading
from guidesite.fhir import published
from guidesite.preview.differential import Differential
from guidesite.project import Project
from guidesite.release.releases import write_version_file
from guidesite.rendering import TEMPLATES_DIR
from guidesite.site import assets, calculator_links, csp, dashboard, jsonld, offline, pages

log = logging.getLogger("mkdocs.plugins.guidesite.plugin")


def bibliography_path(config: MkDocsConfig) -> Path:
    """The .bib file: as the citations extension's options in mkdocs.yml name it (relative
    to the project), else `references.bib` in the docs directory."""
    return citations.bibliography_file(
        config.mdx_configs.get(citations.__name__, {}),
        Path(config.config_file_path or ".").resolve().parent,
        Path(config.docs_dir),
    )


# mkdocs leaves BasePlugin.__init_subclass__ unannotated.
class GuideSitePlugin(BasePlugin[GuideSiteConfig]):  # type: ignore[no-untyped-call]
    """Validates content, adds citations, call-outs and calculators, generates pages."""

    # Set by `guidesite serve` only: what the previous preview build left, so that this one
    # reads and renders only what a save changed (preview/differential.py).
    differential: Differential | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        bundle.register_mime_types()  # before `serve` answers its first request

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        # A save in the site's calculators builds again too (their forms, results, engine).
        options = config.mdx_configs.get(calculator_block.__name__, {})
        if folder := calculator_source.package_dir(options.get(calculator_source.OPTION)):
            server.watch(str(folder))
        return server

    # Before Material's offline plugin (priority 0), which adds iframe-worker from unpkg
    # unless a polyfill named iframe-worker is listed already.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.auto_nav = not config.nav
        # Pages with a calculator form, by `page.url`; `serve` rebuilds start afresh.
        self.calculator_urls: set[str] = set()
        # Material would load its web fonts from Google's servers: an intranet page must ask
        # no outside host (and the site's own policy would block it).
        config.theme["font"] = False
        # A site's custom_dir still wins over our templates, which win over Material's.
        custom_dirs = [config.theme.custom_dir] if config.theme.custom_dir else []
        config.theme.dirs.insert(len(custom_dirs), str(TEMPLATES_DIR))
        self.project = Project(
            Path(config.config_file_path or "mkdocs.yml").resolve(),
            Path(config.docs_dir),
            self.config,
            config.mdx_configs,
            custom_dirs,
            config.site_name,
        )
        if self.differential is not None:
            self.project.read_memo = self.differential.read_memo
            self.differential.theme_listing.install(config.theme)
        wired = self.project.wired(config.markdown_extensions)
        # mkdocs types this list as extension names; Markdown() takes instances as well.
        config.markdown_extensions = wired  # type: ignore[assignment]

        config.extra["polyfills"] = [*assets.POLYFILLS, *config.extra.get("polyfills", [])]
        calculators = self.project.calculators.engine is not None
        # First, as Material's own stylesheets come first: a site's `extra_css` then wins.
        config.extra_css.insert(0, assets.STYLESHEET)
        config.extra_javascript.extend(assets.needed(assets.SCRIPTS, calculators))
        if self.config.offline:
            config.extra_javascript.extend(assets.OFFLINE_SCRIPTS)
        for path in assets.needed(assets.MODULE_SCRIPTS, calculators):
            module = ExtraScriptValue(path)
            module.type = "module"
            config.extra_javascript.append(module)
        return config

    @property
    def problems(self) -> list[Problem]:
        """Every content mistake of the build so far (`guidesite status` counts them)."""
        return self.project.problems

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        project = self.project
        # What editors saved under content/ (not the theme's files), less exclude_docs.
        excluded = (InclusionLevel.EXCLUDED, InclusionLevel.DRAFT)
        content = [
            f
            for f in files
            if f.abs_src_path
            and Path(f.abs_src_path).is_relative_to(config.docs_dir)
            and f.inclusion not in excluded
        ]
        publishable = set(project.publishable(f.src_uri for f in content))
        for file in content:
            if file.src_uri not in publishable:
                files.remove(file)  # never copied to the site, nor precached
        every_file = {f.src_uri for f in files}
        documentation = list(files.documentation_pages())
        generated = [self._generated_file(config, page) for page in project.generated]
        urls = {f.src_uri: f.url for f in [*documentation, *generated]}
        project.read_pages(
            {f.src_uri: Path(f.abs_src_path or f.src_uri) for f in documentation},
            urls.__getitem__,
        )
        for file in documentation:
            page_id = pages.page_id(file.src_uri)
            if page_id not in project.texts:
                files.remove(file)  # unreadable: MkDocs would stop with a traceback reading it
            elif file.src_uri in project.left_out:
                files.remove(file)  # so gone from nav, lists, search and sitemap alike
            elif page_id not in project.index.pages:
                # Ordinary pages are linked from the footer, not the menu; a broken front
                # matter is reported. Either way MkDocs would add "not included in the nav".
                file.inclusion = InclusionLevel.NOT_IN_NAV
        if (log_file := files.get_file_from_path(self.config.hazard_log)) is not None:
            files.remove(log_file)  # shown as the Clinical safety page, not as raw YAML
        read_only = [
            file
            for file in files
            if file.abs_src_path and project.never_published(Path(file.abs_src_path))
        ]
        for file in read_only:
            files.remove(file)  # the bibliography and the icon, never published raw

        calculators = project.calculators.engine is not None
        published = assets.asset_files(
            config, project.node_modules, calculators, self.config.offline
        )
        added = [*generated, *published]
        addable = set(project.addable(every_file, [f.src_uri for f in added]))
        for file in added:
            if file.src_uri in addable:
                files.append(file)
        if self.auto_nav:
            config.nav = pages.nav(project.index.pages, project.generated)
        # The content version and date for every page's footer (`on_env`).
        self.build_info = project.build_info()
        if self.differential is not None:
            self.differential.plan(config, project, files, self.build_info)
        return files

    @staticmethod
    def _generated_file(config: MkDocsConfig, page: pages.GeneratedPage) -> File:
        file = File.generated(config, page.src_uri, content=page.source())
        if not page.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        return file

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or page.file.generated_by:
            return None
        # The theme's own templates show the title unescaped (window title, header, menu):
        # it goes to them escaped, so it is always text.
        if isinstance(title := page.meta.get("title"), str):
            page.meta["title"] = markupsafe.escape(title)
        if self.differential is not None:
            self.differential.converting(page)
        # Made from the page's source, as for other renderers: MkDocs' `markdown` is the
        # same source with its front matter cut off when MkDocs could read it.
        return self.project.page_markdown(page.file.src_uri)

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or page.file.generated_by:
            return None
        html += self.project.converted(page.file.src_uri)
        if self.differential is not None:
            self.differential.converted(page, self.project)
        return html

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        if not self.config.enabled:
            return None
        if self.differential is not None:
            self.differential.restore(
                self.project, {f.src_uri: f.page for f in files if f.page is not None}
            )
        # From every page's content, the preview's kept pages included (restored above).
        self.calculator_urls = {
            file.page.url
            for file in files
            if file.page is not None
            and file.page.content is not None
            and calculator_links.has_calculator(file.page.content)
        }
        if self.differential is not None:
            self.differential.mark_calculator_links(self.calculator_urls)
        self.project.check_fragments()
        if not self.problems:
            # Made from the converted pages and checked against FHIR's models: an invalid
            # resource fails the build at the line it came from.
            self.fhir_resources = self.project.fhir_resources(config.site_url)
        if self.problems:
            raise ContentError(self.problems)
        for warning in self.project.unused_references():
            log.warning("%s", warning)
        vocabularies.expose_to(env)
        # Our templates (pages.GENERATED's, main.html, the partials) escape every value, as
        # `guidesite prepare`'s renderer does; set before any of them is compiled.
        env.autoescape = rendering.autoescape
        if env.cache is not None:
            env.cache.clear()
        if self.differential is not None:
            env.bytecode_cache = self.differential.compiled_templates
        # A global, not page context: the 404 page has no page context but needs the policy.
        env.globals["guidesite_csp"] = csp.read_meta_policy()
        # Head links to the web app manifest, and the update notice (main.html).
        env.globals["guidesite_offline"] = (
            {
                "manifest": offline.WEB_APP_MANIFEST,
                "icon": offline.head_icon(self.project.icon),
                "theme_color": offline.THEME_COLOR,
            }
            if self.config.offline
            else None
        )
        # For the footer of every page (partials/copyright.html), the 404 page included.
        env.globals["guidesite_build"] = self.build_info
        # The footer links the Clinical safety page when the site has one.
        index = self.project.index
        env.globals["guidesite_safety_page"] = index.urls.get(pages.page_id(pages.SAFETY))
        env.globals["guidesite_footer_pages"] = index.footer_links()
        self.env = env
        return env

    # Before the search plugin (priority 0) indexes the page, so generated bodies are found.
    @event_priority(50)
    def _on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        if self.differential is not None:
            self.differential.rendering(page)
        project = self.project
        meta = project.index.pages.get(pages.page_id(page.file.src_uri))
        generated = next((g for g in project.generated if g.src_uri == page.file.src_uri), None)
        # Our templates' one extra variable (MkDocs' TypedDict does not list theme additions).
        context["guide"] = {  # type: ignore[typeddict-unknown-key]
            **project.guide(meta, generated),
            "jsonld": jsonld.page_data(page, meta, project.index, project.references),
        }
        if generated is not None:
            page.content = self.env.get_template(generated.template).render(context)
        elif page.content is not None:
            page.content = reading.for_search_index(page.content)
        return context

    # After the search plugin (0) indexed the page: its folds as the reader gets them.
    @event_priority(-50)
    def _on_page_context_after_search(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if self.config.enabled and page.content is not None:
            page.content = reading.as_shown(page.content)
        return None

    on_page_context = CombinedEvent(_on_page_context, _on_page_context_after_search)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        if self.differential is not None:
            self.differential.rendered(page)
        # Every page's content was known before any page was built (on_env).
        return calculator_links.mark_in_article(output, page.url, self.calculator_urls)

    def on_build_error(self, *, error: Exception) -> None:
        if self.differential is not None:
            self.differential.failed()

    # After the other plugins (search writes its index here), as the service worker lists
    # every file the site publishes.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        site_dir = Path(config.site_dir)
        node_modules = self.project.node_modules
        # The calculator engine: Pyodide's files, the calculators wheel, its memory snapshot.
        differential = self.differential
        engine_is_current = differential is not None and differential.engine_is_current()
        if (calculators := self.project.calculators.engine) is not None and not engine_is_current:
            bundle.build_engine_assets(
                site_dir, node_modules, node_modules.parent / ".cache", calculators
            )
        fhir_written = published.write(
            site_dir,
            self.fhir_resources,
            config.site_url,
            differential.fhir_written if differential is not None else None,
        )
        # Which release a server runs: `guidesite releases` and the dashboard read it.
        write_version_file(site_dir, self.build_info)
        if self.config.offline:
            offline.write_web_app_manifest(
                site_dir,
                config.site_name,
                config.site_description or config.site_name,
                self.project.icon,
            )
            offline.write_service_worker(site_dir, node_modules, node_modules.parent / ".cache")
        else:
            offline.write_retiring_service_worker(site_dir)
        if differential is not None:
            differential.fhir_written = fhir_written
            differential.finish()

    def editorial_dashboard(self) -> dashboard.Dashboard:
        return self.project.editorial_dashboard()
