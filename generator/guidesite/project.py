"""One build's reading and checking of a project, whichever renderer draws it.

The MkDocs plugin and `guidesite prepare` (for Zensical) both run this sequence; each keeps
only its renderer's part (MkDocs' files and events; prepare's file discovery and writing):

1. `Project(...)` loads the project-wide inputs once (bibliography, glossary, hazard log) and
   makes our Markdown extensions, given what only a whole build knows.
2. `read_pages` reads and checks every content page, then what needs them all (links
   between pages, unique wording), and decides what this build publishes.
3. `addable` checks that no file the build adds replaces a content file.
4. Per page, `page_markdown` before the extensions convert it and `converted` after.
5. `unused_references` and `fhir_resources`, once every page was converted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension

from guidesite import vocabularies
from guidesite.build_time import build_date
from guidesite.config import GuideSiteConfig, option_line
from guidesite.content import (
    bibliography,
    file_names,
    glossary,
    hazards,
    placeholders,
    schema,
    site_checks,
    sources,
)
from guidesite.content.problems import LineProblem, Problem, SourceMap, did_you_mean, line_at
from guidesite.content.schema import OrdinaryPage, PageMeta
from guidesite.extensions import (
    body_check,
    calculator_block,
    calculator_source,
    callouts,
    citations,
    reading,
    recommendations,
)
from guidesite.extensions.body_check import BodyCheckExtension, SiteLinks
from guidesite.extensions.calculator_block import CalculatorExtension
from guidesite.extensions.callouts import CalloutsExtension
from guidesite.extensions.citations import CitationsExtension
from guidesite.extensions.reading import ReadingExtension
from guidesite.extensions.recommendations import Recommendation, RecommendationsExtension
from guidesite.extensions.reporting import ProblemLog
from guidesite.fhir import plan_definitions, published, questionnaire
from guidesite.fhir.published import PublishedResource
from guidesite.site import assets, dashboard, icons, pages, prefill_reference
from guidesite.version import BuildInfo, content_version

# What reading one page found: its front matter (None: unreadable) and its mistakes.
Read = tuple[PageMeta | OrdinaryPage | None, list[Problem]]
# A link to a #fragment: where written (placed), as written, to which page, the fragment.
FragmentLink = tuple[Problem, str, str, str]


@dataclass(frozen=True)
class Converted:
    """What converting one page adds to the site's index and to the checks across pages; the
    preview keeps it for the pages a save does not convert again."""

    cited: list[str]
    recommendations: list[Recommendation]
    fragment_links: list[FragmentLink]
    ids: set[str] | None  # the page's headings and anchors (None: not noted)
    source_map: SourceMap | None  # where its lines are in its file (None: not converted)
    embedded: list[str] | None  # the calculators a calculator page embeds (None: not one)


class Project:
    """Everything a build reads from a project and every content mistake found in it."""

    def __init__(
        self,
        config_file: Path,
        docs_dir: Path,
        options: GuideSiteConfig,
        markdown_configs: Mapping[str, Any],
        template_dirs: Sequence[str],
        site_name: str,
    ) -> None:
        """`config_file`: the site's mkdocs.yml; `markdown_configs`: its Markdown extensions
        by name, with their options; `template_dirs`: the site's own templates (the theme's
        custom_dir), searched first; `site_name`: mkdocs.yml's `site_name`."""
        project_dir = self.project_dir = config_file.parent
        self._resolved_folders: dict[Path, Path] = {}  # `_resolved`'s, for this build
        self.site_name = site_name
        self.docs_dir = docs_dir
        self.options = options
        self.problems: list[Problem] = []
        self.node_modules = assets.find_node_modules(project_dir, options.node_modules)
        self.bib_path = citations.bibliography_file(
            markdown_configs.get(citations.__name__, {}), project_dir, docs_dir
        ).resolve()
        self.references, bib_problems = bibliography.load(
            self.bib_path, self.shown(self.bib_path), options.max_file_bytes
        )
        self.problems += bib_problems
        self.problems += glossary.check(markdown_configs, self.shown)
        self.icon = self._site_icon(config_file)
        self.hazard_log = docs_dir / options.hazard_log
        self.hazards, hazard_problems = hazards.load(self.hazard_log, self.shown(self.hazard_log))
        self.problems += hazard_problems
        self.generated = pages.generated_pages(
            approved_only=options.approved_only, has_hazard_log=bool(self.hazards)
        )
        self.index = pages.SiteIndex()  # what this build publishes, filled as pages are read
        self.texts: dict[str, str] = {}  # page id -> source, for the editorial dashboard
        self.left_out: dict[str, str] = {}  # src_uri -> status, in an approved-only build
        self._paths: dict[str, str] = {}  # page id -> its file as editors see it
        self._source_map = SourceMap("")  # of the page being converted
        self._source_maps: dict[str, SourceMap] = {}  # page id -> its map, once converted
        # Calculator page id -> the calculators it embeds, in the order pages are converted:
        # the first page embedding one is where its FHIR Questionnaire links from and takes
        # its version from.
        self._embedded: dict[str, list[str]] = {}
        self._fhir_links: dict[str, list[tuple[str, str]]] = {}  # page id -> (label, path)
        # Each page's links to a #fragment (src_uri -> links): checked once every page is
        # converted (`check_fragments`).
        self._fragments: dict[str, list[FragmentLink]] = {}
        # What reading a page found, by (page id, path, text): the preview hands the same
        # mapping to every build, so an unchanged page is not parsed again.
        self.read_memo: dict[tuple[str, str, str], Read] = {}

        # Our Markdown extensions, with mkdocs.yml's options for them and the collaborators
        # only a build has: the loaded bibliography, the site's pages, one log for problems.
        self.page_problems = ProblemLog()
        self.site_links = SiteLinks()

        def configured(name: str, **collaborators: Any) -> dict[str, Any]:
            options: dict[str, Any] = markdown_configs.get(name, {})
            return {**options, "problems": self.page_problems, **collaborators}

        self._citations = CitationsExtension(
            **configured(
                citations.__name__,
                bibliography=self.references,
                template_dirs=list(template_dirs),
                check_keys=bool(self.references) or not bib_problems,
            )
        )
        self.calculators = calculator_source.load(
            config_file, markdown_configs.get(calculator_block.__name__, {}), site_name
        )
        self.problems += self.calculators.problems
        self._calculators = CalculatorExtension(
            **configured(
                calculator_block.__name__,
                template_dirs=list(template_dirs),
                calculators=self.calculators.registry,
                site_name=site_name,
            )
        )
        self._recommendations = RecommendationsExtension(
            **configured(recommendations.__name__, template_dirs=list(template_dirs))
        )
        self.extensions: list[Extension] = [
            self._citations,
            CalloutsExtension(**configured(callouts.__name__)),
            self._calculators,
            ReadingExtension(**configured(reading.__name__)),
            self._recommendations,
            BodyCheckExtension(**configured(body_check.__name__, site=self.site_links)),
        ]

    def shown(self, path: Path) -> str:
        """A path as editors see it: relative to the project (the mkdocs.yml directory)."""
        try:
            return self._resolved(path).relative_to(self.project_dir).as_posix()
        except ValueError:
            return str(path)

    def _resolved(self, path: Path) -> Path:
        """`path.resolve()`, each folder resolved once a build: resolving every page's path
        part by part was a tenth of a preview save at 1 000 pages."""
        if not path.is_absolute() or path.is_symlink():
            return path.resolve()
        if (folder := self._resolved_folders.get(path.parent)) is None:
            folder = self._resolved_folders[path.parent] = path.parent.resolve()
        return folder / path.name

    def wired(self, listed: Iterable[str | Extension]) -> list[str | Extension]:
        """mkdocs.yml's Markdown extensions with ours as `extensions`: each where it is
        listed by name (which Zensical and plain Python-Markdown load with the same
        options), or after the others."""
        wired = list(listed)
        for extension in self.extensions:
            name = type(extension).__module__
            if name in wired:
                wired[wired.index(name)] = extension
            else:
                wired.append(extension)
        return wired

    def publishable(self, src_uris: Iterable[str]) -> list[str]:
        """Of the content files `src_uris`, those a build may publish; each other is a
        mistake (`file_names`, or a file in the FHIR resources' folder), reported at its
        line 1."""
        kept = []
        for src_uri in src_uris:
            message = file_names.problem(src_uri)
            if message is None and src_uri.startswith(f"{published.FHIR_DIR}/"):
                message = (
                    f"the folder {published.FHIR_DIR}/ is reserved for the FHIR resources the "
                    "build writes; move this file into another folder"
                )
            if message is None:
                kept.append(src_uri)
            else:
                self.problems.append(Problem(self.shown(self.docs_dir / src_uri), 1, message))
        self.site_links.files = set(kept)
        return kept

    def read_pages(self, files: Mapping[str, Path], url: Callable[[str], str]) -> None:
        """Read and check every content page (`files`: src_uri -> file), then the checks
        across pages; fill `index` with the pages this build publishes (at `url(src_uri)`,
        generated pages too) and `left_out` with those an approved-only build leaves out.

        Unreadable pages (not in `texts`) and pages whose front matter is broken (not in
        `index`) are reported but stay linkable: a link to one is no second mistake."""
        metas: dict[str, PageMeta] = {}
        ordinary: dict[str, OrdinaryPage] = {}
        # Keeps only what this build reads; emptied in place, as the preview holds it.
        memo = dict(self.read_memo)
        self.read_memo.clear()
        for src_uri, source in files.items():
            page_id = pages.page_id(src_uri)
            path = self._paths[page_id] = self.shown(source)
            text, problems = sources.read_source(source, path, self.options.max_file_bytes)
            if text is not None:
                self.texts[page_id] = text
                key = (page_id, path, text)
                meta, found = self.read_memo[key] = memo.get(key) or self._read(key)
                problems += found
                if isinstance(meta, OrdinaryPage):
                    ordinary[page_id] = meta
                elif meta is not None:
                    metas[page_id] = meta
            self.problems += problems
        self.problems += site_checks.check_links(
            metas, {pages.page_id(u) for u in files}, ordinary.keys()
        )
        self.problems += site_checks.check_unique_wording(metas)
        for src_uri in files:
            # Ordinary pages have no review status: every build publishes them.
            if (plain := ordinary.get(pages.page_id(src_uri))) is not None:
                self.index.ordinary[plain.page_id] = plain
                self.index.urls[plain.page_id] = url(src_uri)
                continue
            meta = metas.get(pages.page_id(src_uri))
            if meta is None:
                continue
            if self.options.approved_only and meta.status != vocabularies.APPROVED:
                self.left_out[src_uri] = meta.status
            else:
                self.index.pages[meta.page_id] = meta
                self.index.urls[meta.page_id] = url(src_uri)
        generated = {page.src_uri for page in self.generated}
        self.index.urls.update({pages.page_id(uri): url(uri) for uri in generated})
        self.site_links.published = (files.keys() - self.left_out.keys()) | generated
        self.site_links.left_out = self.left_out

    @staticmethod
    def _read(key: tuple[str, str, str]) -> Read:
        page_id, path, text = key
        meta, problems = schema.parse_front_matter(page_id, path, text)
        return meta, problems + placeholders.unfilled(path, text)

    def addable(self, existing: Collection[str], added: Iterable[str]) -> list[str]:
        """Of the files the build adds (generated pages, theme assets), those no content file
        of `existing` (src_uris) holds the name of; each clash is a mistake."""
        clashes = [src_uri for src_uri in added if src_uri in existing]
        self.problems += [
            Problem(self.shown(self.docs_dir / src_uri), 1, pages.RESERVED_NAME)
            for src_uri in clashes
        ]
        return [src_uri for src_uri in added if src_uri not in clashes]

    def page_markdown(self, src_uri: str) -> str:
        """A read page's Markdown as the extensions convert it: the front matter cut off
        (also when it is unreadable: a YAML comment looks like a heading), the bottom line
        first; `converted` then places the page's mistakes in its file."""
        page_id = pages.page_id(src_uri)
        text = self.texts[page_id]
        match = schema.FRONT_MATTER_RE.match(text)
        body = text[match.end() :].lstrip("\n") if match else text
        front_lines = line_at(text, len(text) - len(body)) - 1
        self.page_problems.clear()
        self.site_links.page = src_uri
        meta = self.index.pages.get(page_id)
        if meta is None:
            self._source_map = SourceMap(self._paths[page_id], front_lines)
            return body
        body, added = pages.with_bottom_line(body, meta.summary)
        self._source_map = SourceMap(
            self._paths[page_id], front_lines, added, meta.lines["summary"]
        )
        return body

    def converted(self, src_uri: str) -> str:
        """After the extensions converted `page_markdown(src_uri)`: its mistakes, what it
        cites and recommends noted; returns what a calculator's page ends with (else "")."""
        page_id = pages.page_id(src_uri)
        meta = self.index.pages.get(page_id)
        found = list(self._recommendations.recommendations)
        problems = list(self.page_problems.problems)
        problems += recommendations.check_graded_evidence(found, self.references)
        if meta is not None:
            problems += recommendations.check_changed_dates(found, meta.last_updated)
        self.problems += [self._source_map.place(p) for p in problems]
        self._source_maps[page_id] = self._source_map
        self._fragments[src_uri] = [
            (self._source_map.place(LineProblem(line, "")), written, page, fragment)
            for line, written, page, fragment in self.site_links.fragments
        ]
        self.index.cited[page_id] = list(self._citations.cited)
        self.index.recommendations[page_id] = found
        if meta is None or not pages.is_calculator(meta):
            return ""
        self._embedded[page_id] = list(self._calculators.embedded)
        # For editors, at the foot of the calculator's own page: what a prefill may say.
        return prefill_reference.render(
            self._calculators.env, self._calculators.registry, self._calculators.embedded
        )

    def check_fragments(self) -> None:
        """Once every page was converted: each link's `#fragment` is an id on its page (a
        heading, a reference, a recommendation); pages not converted are not judged."""
        links = [link for page_links in self._fragments.values() for link in page_links]
        for where, written, page, fragment in links:
            ids = self.site_links.ids.get(page)
            if ids is None or fragment in ids:
                continue
            on = "this page" if where.path == self._paths.get(pages.page_id(page)) else page
            self.problems.append(
                Problem(
                    where.path,
                    where.line,
                    f"links to {written!r}, but {on} has no heading or anchor "
                    f"{fragment!r}{did_you_mean(fragment, ids)}; link to a heading by its "
                    "words in lower case joined by hyphens",
                )
            )

    def converted_results(self, src_uri: str) -> Converted:
        """What `converted(src_uri)` added, for `restore_converted` in a later build."""
        page_id = pages.page_id(src_uri)
        return Converted(
            self.index.cited.get(page_id, []),
            self.index.recommendations.get(page_id, []),
            self._fragments.get(src_uri, []),
            self.site_links.ids.get(src_uri),
            self._source_maps.get(page_id),
            self._embedded.get(page_id),
        )

    def restore_converted(self, src_uri: str, converted: Converted) -> None:
        """Add what converting the unchanged page `src_uri` added last time, without
        converting it (the preview)."""
        page_id = pages.page_id(src_uri)
        self.index.cited[page_id] = converted.cited
        self.index.recommendations[page_id] = converted.recommendations
        self._fragments[src_uri] = converted.fragment_links
        if converted.ids is not None:
            self.site_links.ids[src_uri] = converted.ids
        if converted.source_map is not None:
            self._source_maps[page_id] = converted.source_map
        if converted.embedded is not None:
            self._embedded[page_id] = converted.embedded

    def put_in_conversion_order(self, src_uris: Iterable[str]) -> None:
        """After `restore_converted`: what each page added, in the order of `src_uris` (a
        full build's), as the generated pages and resources list it."""
        order = [pages.page_id(src_uri) for src_uri in src_uris]
        for by_page in (self.index.cited, self.index.recommendations, self._embedded):
            found: dict[str, Any] = dict(by_page)
            by_page.clear()
            by_page.update((page_id, found[page_id]) for page_id in order if page_id in found)

    def unused_references(self) -> list[str]:
        """A warning for each bibliography entry no page cites."""
        # An approved-only build converts some pages only, so "cited by no page" would be
        # untrue of entries that left-out pages cite; the full build reports those.
        if self.options.approved_only:
            return []
        cited = {key for keys in self.index.cited.values() for key in keys}
        return [
            f"{self.shown(self.bib_path)}:{r.line}: entry {r.key!r} is cited by no page; "
            "cite it or remove it"
            for r in bibliography.unused(self.references, cited)
        ]

    def fhir_resources(self, site_url: str | None) -> list[PublishedResource]:
        """Once every page was converted (and sound): every FHIR resource the site publishes,
        made from what the build read, to write with `published.write`. Each invalid one
        is a problem at its source line; `guide` links each page to its own.

        A maker of another kind of resource adds its list here."""
        resources = [
            *plan_definitions.for_site(
                self.index,
                self.references,
                publisher=self.site_name,
                site_url=site_url,
                file_line=self._file_line,
            ),
            *self._questionnaires(),
        ]
        self.problems += published.problems(resources)
        self._fhir_links = published.links(resources)
        return resources

    def _questionnaires(self) -> list[PublishedResource]:
        """A Questionnaire for each instrument embedded on a calculator page, linked from
        that page, versioned by its last update and active only once it is approved."""
        registry = self.calculators.registry
        made = []
        for name in registry.names():
            page_id = next((p for p, names in self._embedded.items() if name in names), None)
            spec = registry.spec(name)
            if page_id is None or spec["instrument"] is None:
                continue
            meta = self.index.pages[page_id]
            resource = questionnaire.questionnaire(
                spec,
                site=self.site_name,
                version=meta.last_updated.isoformat(),
                status=plan_definitions.STATUS.get(meta.status, plan_definitions.DRAFT),
            )
            made.append(PublishedResource(resource, page_id, source=self._paths[page_id]))
        return made

    def _file_line(self, page_id: str, line: int) -> int:
        """A converted page's `line` (as the extensions counted it) in the page's file."""
        return self._source_maps[page_id].place(LineProblem(line, "")).line

    def guide(
        self, meta: PageMeta | None, generated: pages.GeneratedPage | None = None
    ) -> dict[str, Any]:
        """Our templates' variable `guide`: for a guideline page (`meta`), a generated page
        (`generated`), or another (neither)."""
        guide = pages.guide_context(
            meta,
            self.index,
            self.references,
            self.hazards,
            approved_only=self.options.approved_only,
            related_limit=self.options.related_limit,
        )
        if generated is not None and generated.context is not None:
            guide.update(generated.context(self.index, self.texts, self.references))
        # (label, site path) of the page's FHIR resources: partials/guidesite/fhir.html
        guide["fhir"] = self._fhir_links.get(meta.page_id, []) if meta else []
        # The site's identity, from mkdocs.yml: never words of the generator's own.
        guide["site"] = {
            "name": self.site_name,
            "home_lead": self.options.home_lead,
            "disclaimer": self.options.disclaimer,
        }
        return guide

    def never_published(self, path: Path) -> bool:
        """Whether `path` is a source file the build reads but never publishes as itself:
        the bibliography (shown as reference lists) and the site's icon (copied under the
        generator's icon folder)."""
        return self._resolved(path) in {self.bib_path, self.icon}

    def _site_icon(self, config_file: Path) -> Path | None:
        """The site's own icon (the `icon` option), None when it has none or it is unusable."""
        if not self.options.icon:
            return None
        icon = (config_file.parent / self.options.icon).resolve()
        problem = icons.svg_icon_problem(icon, self.options.max_file_bytes)
        if problem is None:
            return icon
        line = option_line(config_file, "icon", self.options.icon)
        self.problems.append(Problem(self.shown(config_file), line, f"icon: {problem}"))
        return None

    def editorial_dashboard(self) -> dashboard.Dashboard:
        return pages.editorial_dashboard(self.index, self.texts, self.references)

    def build_info(self) -> BuildInfo:
        """The content version and build date every page's footer and version.json show."""
        return BuildInfo(content_version(self.docs_dir, self.options.version), build_date())
