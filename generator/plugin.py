"""The `guidesite` MkDocs plugin: wiring only; each feature lives in its own module.

Collect (on_files, on_page_content), check and report (on_env, once, as one error),
render and inject (on_page_context).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from markdown import Extension
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator import vocabularies
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
from generator.content.bibliography import Reference
from generator.content.problems import ContentError, Problem, SourceMap, line_at
from generator.content.schema import PageMeta
from generator.engine import bundle
from generator.extensions import body_check, calculator_block, callouts, citations, recommendations
from generator.extensions.body_check import BodyCheckExtension, SiteLinks
from generator.extensions.calculator_block import CalculatorExtension
from generator.extensions.callouts import CalloutsExtension
from generator.extensions.citations import CitationsExtension
from generator.extensions.recommendations import RecommendationsExtension
from generator.extensions.reporting import ProblemLog
from generator.release.releases import write_version_file
from generator.rendering import TEMPLATES_DIR
from generator.site import assets, csp, dashboard, jsonld, offline, pages, prefill_reference
from generator.version import BuildInfo, content_version

log = logging.getLogger("mkdocs.plugins.guidesite.plugin")


def bibliography_path(config: MkDocsConfig) -> Path:
    """The .bib file: as the citations extension's options in mkdocs.yml name it (relative
    to the project), else `references.bib` in the docs directory."""
    return citations.bibliography_file(
        config.mdx_configs.get(citations.__name__, {}),
        Path(config.config_file_path or ".").resolve().parent,
        Path(config.docs_dir),
    )


def wire_extensions(config: MkDocsConfig, wired: list[Extension]) -> None:
    """Put each wired instance where mkdocs.yml lists its extension by name (which Zensical
    and plain Python-Markdown load with the same options), or after the others."""
    listed: list[str | Extension] = list(config.markdown_extensions)
    for extension in wired:
        name = type(extension).__module__
        if name in listed:
            listed[listed.index(name)] = extension
        else:
            listed.append(extension)
    # mkdocs types this list as extension names; Markdown() takes instances as well.
    config.markdown_extensions = listed  # type: ignore[assignment]


# mkdocs leaves BasePlugin.__init_subclass__ unannotated.
class GuideSitePlugin(BasePlugin[GuideSiteConfig]):  # type: ignore[no-untyped-call]
    """Validates content, adds citations, call-outs and calculators, generates pages."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        bundle.register_mime_types()  # before `serve` answers its first request

    # Before Material's offline plugin (priority 0), which adds iframe-worker from unpkg
    # unless a polyfill named iframe-worker is listed already.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.problems: list[Problem] = []
        self.index = pages.SiteIndex()
        self.texts: dict[str, str] = {}  # page id -> source, for the editorial dashboard
        self.project_dir = Path(config.config_file_path or ".").resolve().parent
        self.auto_nav = not config.nav
        self.node_modules = assets.find_node_modules(self.project_dir, self.config.node_modules)

        bib_path = bibliography_path(config)
        self.references: dict[str, Reference]
        self.references, bib_problems = bibliography.load(
            bib_path, self._shown(bib_path), self.config.max_file_bytes
        )
        self.problems += bib_problems
        self.problems += glossary.check(config.mdx_configs, self._shown)
        hazard_path = Path(config.docs_dir) / self.config.hazard_log
        self.hazards, hazard_problems = hazards.load(hazard_path, self._shown(hazard_path))
        self.problems += hazard_problems
        self.generated = pages.generated_pages(
            approved_only=self.config.approved_only, has_hazard_log=bool(self.hazards)
        )

        # A site's custom_dir still wins over our templates, which win over Material's.
        custom_dirs = [config.theme.custom_dir] if config.theme.custom_dir else []
        config.theme.dirs.insert(len(custom_dirs), str(TEMPLATES_DIR))
        # The Markdown extensions, with mkdocs.yml's options for them and the plugin's
        # collaborators: the loaded bibliography, the site's pages, one log for problems.
        self.page_problems = ProblemLog()
        self.site_links = SiteLinks()

        def configured(name: str, **collaborators: Any) -> dict[str, Any]:
            options: dict[str, Any] = config.mdx_configs.get(name, {})
            return {**options, "problems": self.page_problems, **collaborators}

        self.citations = CitationsExtension(
            **configured(
                citations.__name__,
                bibliography=self.references,
                template_dirs=custom_dirs,
                check_keys=bool(self.references) or not bib_problems,
            )
        )
        self.calculator_blocks = CalculatorExtension(
            **configured(calculator_block.__name__, template_dirs=custom_dirs)
        )
        self.recommendations = RecommendationsExtension(
            **configured(recommendations.__name__, template_dirs=custom_dirs)
        )
        wire_extensions(
            config,
            [
                self.citations,
                CalloutsExtension(**configured(callouts.__name__)),
                self.calculator_blocks,
                self.recommendations,
                BodyCheckExtension(**configured(body_check.__name__, site=self.site_links)),
            ],
        )

        config.extra["polyfills"] = [*assets.POLYFILLS, *config.extra.get("polyfills", [])]
        config.extra_css.extend(assets.STYLESHEETS)
        config.extra_javascript.extend(assets.SCRIPTS)
        if self.config.offline:
            config.extra_css.extend(assets.OFFLINE_STYLESHEETS)
            config.extra_javascript.extend(assets.OFFLINE_SCRIPTS)
        for path in assets.MODULE_SCRIPTS:
            module = ExtraScriptValue(path)
            module.type = "module"
            config.extra_javascript.append(module)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        # Unreadable pages leave `files` but stay linkable: a link to one is no second mistake.
        every_page = {f.src_uri for f in files.documentation_pages()}
        metas = self._read_pages(files)
        self.problems += site_checks.check_unique_wording(metas)
        left_out: dict[str, str] = {}
        for meta in metas.values():
            file = files.get_file_from_path(f"{meta.page_id}.md")
            assert file is not None  # metas were read from these files
            if self.config.approved_only and meta.status != vocabularies.APPROVED:
                # Gone from the build, so from nav, lists, search and sitemap alike.
                left_out[file.src_uri] = meta.status
                files.remove(file)
            else:
                self.index.pages[meta.page_id] = meta
                self.index.urls[meta.page_id] = file.url
        if (log_file := files.get_file_from_path(self.config.hazard_log)) is not None:
            files.remove(log_file)  # shown as the Clinical safety page, not as raw YAML
        self.site_links.published = (every_page - left_out.keys()) | {
            g.src_uri for g in self.generated
        }
        self.site_links.left_out = left_out

        generated = [self._generated_file(config, page) for page in self.generated]
        for file in [*generated, *assets.asset_files(config, self.node_modules)]:
            if files.get_file_from_path(file.src_uri) is not None:
                self.problems.append(
                    Problem(
                        f"{Path(config.docs_dir).name}/{file.src_uri}",
                        1,
                        pages.RESERVED_NAME,
                    )
                )
                continue
            files.append(file)
        self.index.urls.update({pages.page_id(f.src_uri): f.url for f in generated})
        if self.auto_nav:
            config.nav = pages.nav(self.index.pages, self.generated)
        return files

    @staticmethod
    def _generated_file(config: MkDocsConfig, page: pages.GeneratedPage) -> File:
        file = File.generated(config, page.src_uri, content=page.source())
        if not page.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        return file

    def _read_pages(self, files: Files) -> dict[str, PageMeta]:
        """Every page's checked front matter; unreadable files leave the build, reported."""
        metas: dict[str, PageMeta] = {}
        page_ids, addresses = set(), []
        for file in list(files.documentation_pages()):
            page_id = pages.page_id(file.src_uri)
            page_ids.add(page_id)
            source = Path(file.abs_src_path or file.src_uri)
            path = self._shown(source)
            addresses.append((path, file.url))
            text, problems = sources.read_source(source, path, self.config.max_file_bytes)
            if text is None:
                files.remove(file)  # MkDocs would stop with a traceback reading it
            else:
                self.texts[page_id] = text
                meta, problems = schema.parse_front_matter(page_id, path, text)
                problems += placeholders.unfilled(path, text)
                if meta is not None:
                    metas[page_id] = meta
                else:
                    # Reported already; MkDocs would add "not included in the nav" about it.
                    file.inclusion = InclusionLevel.NOT_IN_NAV
            self.problems += problems
        self.problems += site_checks.check_links(metas, page_ids)
        self.problems += site_checks.check_unique_addresses(addresses)
        return metas

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        self.page_problems.clear()  # generated pages are converted too, and not checked
        if page.file.generated_by:
            return None
        source = page.file.content_string
        # MkDocs cut the front matter off; the Markdown is the tail of the file.
        front_lines = (
            line_at(source, len(source) - len(markdown)) - 1 if source.endswith(markdown) else 0
        )
        meta = self.index.pages.get(pages.page_id(page.file.src_uri))
        path = self._shown(Path(page.file.abs_src_path or page.file.src_uri))
        self.site_links.page = page.file.src_uri
        if meta is None:
            # Front matter MkDocs could not read stays in the Markdown; its lines (a YAML
            # comment looks like a heading) must not become second, unrelated mistakes.
            unread = schema.FRONT_MATTER_RE.match(markdown)
            if unread is not None:
                markdown = markdown[unread.end() :]
                front_lines += unread.group(0).count("\n")
            self.source_map = SourceMap(path, front_lines)
            return markdown
        markdown, added = pages.with_bottom_line(markdown, meta.summary)
        self.source_map = SourceMap(path, front_lines, added, meta.lines["summary"])
        return markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or page.file.generated_by:
            return None
        page_id = pages.page_id(page.file.src_uri)
        found = self.recommendations.recommendations
        meta = self.index.pages.get(page_id)
        problems = list(self.page_problems.problems)
        if meta is not None:
            problems += recommendations.check_changed_dates(found, meta.last_updated)
        self.problems += [self.source_map.place(p) for p in problems]
        self.index.cited[page_id] = list(self.citations.cited)
        self.index.recommendations[page_id] = found
        if meta is not None and pages.is_calculator(meta):
            # For editors, at the foot of the calculator's own page: what a prefill may say.
            blocks = self.calculator_blocks
            html += prefill_reference.render(blocks.env, blocks.embedded)
        return html

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        if not self.config.enabled:
            return None
        if self.problems:
            raise ContentError(self.problems)
        cited = {key for keys in self.index.cited.values() for key in keys}
        bib_path = self._shown(bibliography_path(config))
        # An approved-only build renders some pages only, so "cited by no page" would be
        # untrue of entries that left-out pages cite; the full build reports those.
        unused = [] if self.config.approved_only else bibliography.unused(self.references, cited)
        for reference in unused:
            log.warning(
                "%s:%d: entry %r is cited by no page; cite it or remove it",
                bib_path,
                reference.line,
                reference.key,
            )
        vocabularies.expose_to(env)
        # A global, not page context: the 404 page has no page context but needs the policy.
        env.globals["guidesite_csp"] = csp.read_meta_policy()
        # Head links to the web app manifest, and the update notice (main.html).
        env.globals["guidesite_offline"] = (
            {
                "manifest": offline.WEB_APP_MANIFEST,
                "icon": f"{offline.ICONS_DIR}/icon-{offline.ICON_SIZES[0]}.png",
                "theme_color": offline.THEME_COLOR,
            }
            if self.config.offline
            else None
        )
        # For the footer of every page (partials/copyright.html), the 404 page included.
        self.build_info = BuildInfo(
            content_version(Path(config.docs_dir), self.config.version), build_date()
        )
        env.globals["guidesite_build"] = self.build_info
        # The footer links the Clinical safety page when the site has one.
        env.globals["guidesite_safety_page"] = self.index.urls.get(pages.page_id(pages.SAFETY))
        self.env = env
        return env

    # Before the search plugin (priority 0) indexes the page, so generated bodies are found.
    @event_priority(50)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        page_id = pages.page_id(page.file.src_uri)
        meta = self.index.pages.get(page_id)
        # Our templates' one extra variable (MkDocs' TypedDict does not list theme additions).
        context["guide"] = {  # type: ignore[typeddict-unknown-key]
            **pages.guide_context(
                meta,
                self.index,
                self.references,
                self.hazards,
                approved_only=self.config.approved_only,
                related_limit=self.config.related_limit,
            ),
            "jsonld": jsonld.page_data(page, meta, self.index, self.references),
        }
        generated = next((g for g in self.generated if g.src_uri == page.file.src_uri), None)
        if generated is not None:
            if generated.context is not None:
                extra = generated.context(self.index, self.texts, self.references)
                context["guide"].update(extra)  # type: ignore[typeddict-item]
            page.content = self.env.get_template(generated.template).render(context)
        return context

    # After the other plugins (search writes its index here), as the service worker lists
    # every file the site publishes.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        site_dir = Path(config.site_dir)
        # The calculator engine: Pyodide's files, the calculators wheel, its memory snapshot.
        bundle.build_engine_assets(site_dir, self.node_modules, self.node_modules.parent / ".cache")
        # Which release a server runs: `guidesite releases` and the dashboard read it.
        write_version_file(site_dir, self.build_info)
        if self.config.offline:
            offline.write_web_app_manifest(
                site_dir, config.site_name, config.site_description or config.site_name
            )
            offline.write_service_worker(
                site_dir, self.node_modules, self.node_modules.parent / ".cache"
            )
        else:
            offline.write_retiring_service_worker(site_dir)

    def editorial_dashboard(self) -> dashboard.Dashboard:
        return pages.editorial_dashboard(self.index, self.texts, self.references)

    def _shown(self, path: Path) -> str:
        """A path as editors see it: relative to the project (the mkdocs.yml directory)."""
        try:
            return path.resolve().relative_to(self.project_dir).as_posix()
        except ValueError:
            return str(path)
