"""MkDocs integration: a thin shell over the pipeline.

On every build (and every live-reload rebuild) it runs the pipeline, stops
the build with the editors' messages if the data has errors, and adds the
rendered pages as virtual files, so generated pages never land in content/.
Every page's HTML passes the sanitiser and gets a Content-Security-Policy
(sanitize.py); content/ publishes only what its policy allows
(content_policy.py); the search index is the handbook's own (site_search.py);
the form editor is written at /admin/ (cms.py). What a build and a live
preview do differently (the preview keeps its work across rebuilds and shows
data errors in the pages) is sessions.py's.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path

from . import cms, download_links, extensions, home, live, navigation, record_pages, site_search
from .aside import AsideError
from .content_policy import editor_leftover, refused_files, set_aside
from .engine import LOGGER, BasePlugin, File, Files, PluginError, base, event_priority
from .engine import config_options as c
from .pipeline import Result
from .project import Project
from .render import abbreviation_definitions, render_counts
from .sanitize import clean_content, safe_meta, safe_title, with_csp
from .serve_errors import error_page
from .sessions import Build, Serve

log = logging.getLogger(f"{LOGGER}.plugins.handbook")

#: Where a hand-written page (the home page) shows what the handbook holds.
COUNTS_MARKER = "<!-- handbook:counts -->"


class HandbookConfig(base.Config):
    data_dir = c.Type(str, default="data")
    # The form editor at /admin/ (cms.py): GitHub repository (default: repo_url), branch, OAuth proxy,
    # and the local backend's API address for local editing (also HANDBOOK_CMS_LOCAL).
    cms_repo = c.Optional(c.Type(str))
    cms_branch = c.Type(str, default="main")
    cms_auth_url = c.Optional(c.Type(str))
    cms_local = c.Optional(c.Type(str))
    # Files for trainers built by `python -m generator.downloads DIR` (downloads.py): published and linked.
    downloads_dir = c.Optional(c.Type(str))
    # Pages for Kiwix readers (zim.py): their policy also allows what Kiwix's toolbar needs.
    kiwix = c.Type(bool, default=False)


class HandbookPlugin(BasePlugin[HandbookConfig]):
    #: Set by the command line when it has already run the pipeline.
    result: Result | None = None
    #: `serve`'s session, which lives across rebuilds (a plugin that defines on_startup does too).
    serving: Serve | None = None
    #: This build's: `serving`, or a Build of its own (on_config).
    session: Build | None = None
    #: The files for trainers this build publishes and links (download_links.py), by name.
    downloads: dict = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = Serve() if command == "serve" else None

    def on_config(self, config):
        self.session = self.serving or Build()     # a build keeps nothing from one build to the next
        self.project = project = Project.of_config(config, self.config.data_dir)
        _use_handbook_theme(config)
        refused = extensions.refusals(config.markdown_extensions, config.mdx_configs, project.root)
        if refused:
            raise PluginError("mkdocs.yml có phần mở rộng Markdown không được phép:\n" + "\n".join(refused))
        if "md_in_html" not in config.markdown_extensions:     # the record pages mark what search leaves out
            config.markdown_extensions.append("md_in_html")
        config.nav = navigation.expand(config.nav)     # the kinds' sections, read off the schema
        self.docs_from_root = project.content.resolve().relative_to(project.root.resolve()).as_posix()
        self.result = self.session.run(project, self.result)
        for problem in self.result.problems:
            if not problem.is_error:
                log.warning(problem.format())
        self.offline = any(name.split("/")[-1] == "offline" for name in config.plugins)
        if not self.result.ok:      # a build stops here; serve goes on, every page showing the errors
            self.session.refuse(self.session.data_errors, [p for p in self.result.problems if p.is_error])
            self.glossary, self.worker = {}, None
            return config
        folder = self.config.downloads_dir
        self.downloads = {} if self.offline or not folder else download_links.available(project.root / folder)
        self.glossary = self.result.handbook.glossary()
        self.worker = site_search.worker()
        if self.worker is not None:
            site_search.material_search_reads_no_pages(config.plugins)
        return config

    def on_files(self, files: Files, config) -> Files:
        for file in [f for f in files if editor_leftover(posixpath.basename(f.src_uri))]:
            files.remove(file)      # an editor's backup or swap file beside a page: not content
        aside = set_aside(files, config)      # README.md beside index.md, which MkDocs leaves out
        for file in aside:
            files.append(file)
        refused = aside | refused_files(list(files), files.documentation_pages(), Path(config.docs_dir), list(self.result.pages),
                                config.use_directory_urls, self.docs_from_root)
        if refused:     # a build stops here; serve never publishes them, and every page says why until they go
            self.session.refuse("content/ có tệp không được phép", refused.values())
            for file in refused:
                files.remove(file)
            self.result = Result(sorted(self.result.problems + list(refused.values())))
        for download in self.downloads.values():
            files.append(File.generated(config, f"{download_links.FOLDER}/{download.name}",
                                        abs_src_path=str(download.path)))
        self.files = files
        self.session.listed(files, config, self.result)
        self.locations = {}
        if not self.result.ok:
            return files
        edit_paths = self.result.edit_paths()
        for path, text in self.result.pages.items():
            file = self.session.page_file(config, path, text)
            if path in edit_paths and file.edit_uri is None:     # the edit button opens the YAML record
                file.edit_uri = posixpath.relpath(edit_paths[path], self.docs_from_root)
            files.append(file)
            self.locations[path] = file.url
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        page.meta = safe_meta(page.meta)
        if not self.result.ok:
            return error_page(self.result.problems, self.project.root)
        if page.file.generated_by:     # rendered pages carry their abbreviations already
            return download_links.with_course_links(markdown, page.file.src_uri, self.downloads)
        # the home page's ways in, "Mới cập nhật" and offline copy (home.py)
        markdown = home.fill(markdown, self.result.handbook, self.result.pages, self.result.changes, self.downloads,
                             page.file.src_uri)
        if COUNTS_MARKER in markdown:
            markdown = markdown.replace(COUNTS_MARKER, render_counts(self.result.handbook))
        return markdown + abbreviation_definitions(markdown, self.glossary)

    @event_priority(-100)    # after every other plugin changed the content
    def on_page_content(self, html: str, page, config, files) -> str:
        page.title = safe_title(page.title)
        if page.file.generated_by:
            html = record_pages.placed_edit_link(html, page.url)
        return clean_content(html)

    def on_page_context(self, context, page, config, nav):
        """A record page lights up its section's tab (and side navigation) while it renders."""
        index = record_pages.section_index(page.file.src_uri)
        self.lit = next((p for p in nav.pages if index and p.file.src_uri == index and page not in nav.pages), None)
        if self.lit is not None:
            self.lit.active = True
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, page, config) -> str:
        if getattr(self, "lit", None) is not None:
            self.lit.active = False
            self.lit = None
        return self._finish(output)

    @event_priority(-100)
    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return self._finish(output_content) if template_name.endswith(".html") else output_content

    def _finish(self, page: str) -> str:
        """Every finished page (404 included): our search worker instead of Material's, then the policy."""
        if self.worker is not None:
            page = site_search.with_own_worker(page, self.worker)
        # serve adds its own inline live-reload script to every answer, after this point
        return page if self.session.live else with_csp(page, self.config.kiwix)

    def on_env(self, env, config, files):
        """Every page's HTML is known now: the search index reads the pages' text (site_search.py)."""
        if self.worker is not None and self.result.ok:
            self.session.index(Path(config.site_dir), self.files, self.result.handbook, self.locations, self.glossary)
        return env

    @event_priority(-50)     # after the search plugin writes its index, before the offline plugin reads it
    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        if self.result.ok and not self.offline:     # the form editor: beside the handbook, not in offline bundles
            backend = cms.site_backend(self.config, config.repo_url, self.session.live)
            note = cms.write_admin(site, backend, config.site_name, cms.picker_names(self.result))
            if note and backend.configured:
                log.warning(note)
        if self.worker is not None and self.result.ok:
            try:
                self.session.write_index(site, self.files, self.result.handbook, self.locations, self.glossary)
            except AsideError as error:
                log.debug(error.details)
                raise PluginError(f"không viết được chỉ mục tìm kiếm: {error}") from None
            site_search.finish(site, self.worker)
        self.session.built(self.result, self.files)

    def on_build_error(self, *, error: Exception) -> None:
        if self.session is not None:
            self.session.failed()

    def on_serve(self, server, config, builder):
        live.keep_serving(server, self.project.data)
        return server


THEME_DIR = Path(__file__).parent / "theme"


def _use_handbook_theme(config) -> None:
    """Material with the handbook's overrides, from the installed package.

    A project of its own (a province's handbook beside the installed generator) has no
    `generator/theme` folder to name as `custom_dir`; a project's own `custom_dir`, if it has
    one, still comes first, so it can override ours.
    """
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    own = [name for name in ("main.html", "404.html") if config.theme.custom_dir
           and (Path(config.theme.custom_dir) / name).is_file() and (THEME_DIR / name).is_file()]
    if own:
        log.warning(f"custom_dir của dự án có {', '.join(own)}: tệp này thay hẳn tệp cùng tên của sổ tay (thẻ Open "
                    "Graph, chân trang khi in, bộ lọc văn bản, trang 404); nếu không cố ý, đổi tên hoặc xóa nó")
