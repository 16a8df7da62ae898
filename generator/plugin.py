"""MkDocs integration: a thin shell over the pipeline.

On every build (and every live-reload rebuild) it runs the pipeline, stops
the build with the editors' messages if the data has errors, and adds the
rendered pages as virtual files, so generated pages never land in content/.
Every page's HTML passes the sanitiser and gets a Content-Security-Policy
(sanitize.py). Under `serve`, data errors become the page the editor sees
instead of a failed rebuild (which would leave the browser waiting).

Under `serve` the plugin lives across rebuilds and keeps what it did last:
parsed files (parse_cache.py), rendered pages and what each read
(incremental.py), the Markdown each generated page's HTML was built from, and
the search index page by page. `handbook serve` asks MkDocs for dirty builds,
so a generated page whose Markdown did not change keeps its HTML, and only
the pages an edit changed go through Markdown and the theme again.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import posixpath
import re
from pathlib import Path

from . import cms, downloads, extensions, home, live, navigation, record_pages, search
from .aside import Aside, AsideError
from .engine import LOGGER, BasePlugin, File, Files, PluginError, base, event_priority
from .engine import config_options as c
from .incremental import Rendered
from .parse_cache import ParseCache
from .pipeline import Result, run, run_again
from .render import abbreviation_definitions, render_counts
from .problems import Problem
from .sanitize import (SITE_FOLDERS, clash, clean_content, collision, editor_leftover, is_content, page_url, refusal,
                       safe_meta, safe_title, spelling_clashes, with_csp)
from .serve_errors import error_page

log = logging.getLogger(f"{LOGGER}.plugins.handbook")

#: Where a hand-written page (the home page) shows what the handbook holds.
COUNTS_MARKER = "<!-- handbook:counts -->"
#: Material's search worker, as each page's settings name it.
_MATERIAL_WORKER = re.compile(r"(assets/javascripts/workers/)search\.[0-9a-f]+\.min\.js")


def own_search() -> bool:
    """Our search worker, unless HANDBOOK_SEARCH=material (to measure Material's own)."""
    return os.environ.get("HANDBOOK_SEARCH", "handbook") != "material"


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
    #: "build", "gh-deploy" or "serve"; a plugin that defines on_startup lives across serve's rebuilds.
    command: str = "build"
    #: The pages of the last valid data, so that every page an editor has open shows the error.
    last_pages: tuple[str, ...] = ()
    #: A build's search index, being written by a forked copy (on_env to on_post_build).
    indexing: Aside | None = None
    #: The files for trainers this build publishes and links (downloads.py), by name.
    downloads: dict = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.cache: ParseCache | None = None
        self.rendered: Rendered | None = None
        self.validated: dict = {}               # what each unchanged document gave validation
        self.built: dict[str, str] = {}         # generated page → the Markdown its HTML in site_dir shows
        self.outputs: dict[str, str] = {}       # page or file → its output, to remove it once gone
        self.fingerprint: tuple | None = None   # configuration and hand-written pages the HTML was built with
        self.search_entries: dict[str, list[dict]] = {}     # page URL → its search entries (search.entries)
        self.search_index = search.Index()      # the own index, written again shard by shard
        self.file_objects: dict[str, File] = {}  # generated page → its File, reused while unchanged

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        _use_handbook_theme(config)
        refused = extensions.refusals(config.markdown_extensions, config.mdx_configs, root)
        if refused:
            raise PluginError("mkdocs.yml có phần mở rộng Markdown không được phép:\n" + "\n".join(refused))
        config.nav = navigation.expand(config.nav)     # the kinds' sections, read off the schema
        self.data_dir = root / self.config.data_dir
        self.root = root
        self.docs_from_root = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
        if self.command == "serve":     # read again what changed on every save
            if self.cache is None:
                self.cache = ParseCache.of_project(root)
            self.result, self.rendered = run_again(self.data_dir, self.rendered, self.cache, self.validated)
        else:
            self.search_entries = {}
            self.indexing = None
            if self.result is None:
                self.result = run(self.data_dir)
        for problem in self.result.problems:
            if not problem.is_error:
                log.warning(problem.format())
        if not self.result.ok:
            errors = [p.format() for p in self.result.problems if p.is_error]
            if self.command != "serve":
                raise PluginError("dữ liệu có lỗi, chưa dựng được trang:\n" + "\n".join(errors))
            log.error("dữ liệu có lỗi; mọi trang hiện thông báo lỗi cho tới khi sửa xong:\n" + "\n".join(errors))
            self.glossary = {}
            self.worker = None
            return config
        offline = any(name.split("/")[-1] == "offline" for name in config.plugins)
        folder = self.config.downloads_dir
        self.downloads = {} if offline or not folder else downloads.available(root / folder)
        self.last_pages = tuple(self.result.pages)
        self.glossary = self.result.handbook.glossary()
        self.worker = search.worker_source() if own_search() else None
        if self.worker is not None:
            _material_search_reads_no_pages(config)
        if self.command != "serve":
            # The handbook (hundreds of thousands of objects) lives as long as the build: no garbage
            # collection need traverse it again on every page. Unfrozen when the build ends.
            gc.freeze()
        return config

    def on_files(self, files: Files, config) -> Files:
        for file in [f for f in files if editor_leftover(posixpath.basename(f.src_uri))]:
            files.remove(file)      # an editor's backup or swap file beside a page: not content
        refused = {file: problem for file in files if (problem := refusal(file, Path(config.docs_dir)))}
        refused.update(self._collisions([f for f in files.documentation_pages() if f not in refused], config,
                                        Files([f for f in files if f not in refused])))
        if refused and self.command != "serve":
            raise PluginError("content/ có tệp không được phép:\n" + "\n".join(p.format() for p in refused.values()))
        if refused:     # serve: never published, and every page says why until the file goes
            for file in refused:
                files.remove(file)
            self.result = Result(sorted(self.result.problems + list(refused.values())))
            log.error("content/ có tệp không được phép:\n" + "\n".join(p.format() for p in refused.values()))
        for download in self.downloads.values():
            files.append(File.generated(config, f"{downloads.FOLDER}/{download.name}", abs_src_path=str(download.path)))
        self.files = files
        if self.command == "serve":
            self._keep_or_forget(files, config)
        if not self.result.ok:      # serve only: keep every URL answering, with the error
            for path in self.last_pages:
                if files.get_file_from_path(path) is None:
                    files.append(File.generated(config, path, content="# Dữ liệu có lỗi\n"))
            self.built = {}         # every page now shows the error
            self.locations = {}
            return files
        edit_paths = self.result.edit_paths()
        self.locations = {}
        for path, text in self.result.pages.items():
            if self.command == "serve":
                file = self._serve_file(config, path, text)
            else:
                file = File.generated(config, path, content=text)
            if path in edit_paths and file.edit_uri is None:     # the edit button opens the YAML record
                file.edit_uri = posixpath.relpath(edit_paths[path], self.docs_from_root)
            files.append(file)
            self.locations[path] = file.url
        return files

    def _collisions(self, pages: list[File], config, files: Files) -> dict[File, Problem]:
        """Hand-written pages at the address of a generated one (same path, or same URL), and files
        of content/ spelled like another file or folder of the site but for case or Unicode form."""
        written = {file.url: file for file in pages if not file.generated_by and not file.inclusion.is_excluded()}
        found = {}
        for path in self.result.pages:
            file = written.get(page_url(path, config.use_directory_urls))
            if file is not None:
                found[file] = collision(f"{self.docs_from_root}/{file.src_uri}", path)
        docs = Path(config.docs_dir)
        content = {f.src_uri: f for f in files if is_content(f, docs) and f not in found}
        others = [f.src_uri for f in files if f.src_uri not in content]
        for path, other in spelling_clashes(list(content), [*self.result.pages, *others, *SITE_FOLDERS]).items():
            found[content[path]] = clash(f"{self.docs_from_root}/{path}", other)
        return found

    def _serve_file(self, config, path: str, text: str) -> File:
        """Serve: the page's File, kept from the last rebuild (with its HTML) if its Markdown is the same."""
        known = self.file_objects.get(path)
        if known is not None and self.built.get(path) == text:
            known.kept, known.page = True, None
            return known
        file = self.file_objects[path] = _Generated.generated(config, path, content=text)
        return file

    def _keep_or_forget(self, files: Files, config) -> None:
        """Serve: hand-written pages are always built again (the home page counts the records);
        a change of configuration or of the set of hand-written pages builds everything again."""
        pages = [f for f in files if f.is_documentation_page()]
        for file in pages:
            file.is_modified = _modified
        with open(config.config_file_path, "rb") as handle:
            fingerprint = (handle.read(), tuple(f.src_uri for f in pages))
        if fingerprint != self.fingerprint:
            self.fingerprint, self.built, self.file_objects = fingerprint, {}, {}

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        page.meta = safe_meta(page.meta)
        if not self.result.ok:
            return error_page(self.result.problems, self.root)
        if page.file.generated_by:     # rendered pages carry their abbreviations already
            return downloads.with_course_links(markdown, page.file.src_uri, self.downloads)
        # the home page's ways in, "Mới cập nhật" and offline copy (home.py)
        markdown = home.fill(markdown, self.result.handbook, self.result.pages, self.data_dir, self.downloads, page.file.src_uri)
        if COUNTS_MARKER in markdown:
            markdown = markdown.replace(COUNTS_MARKER, render_counts(self.result.handbook))
        return markdown + abbreviation_definitions(markdown, self.glossary)

    @event_priority(-100)    # after every other plugin changed the content
    def on_page_content(self, html: str, page, config, files) -> str:
        if page.file.generated_by and record_pages.section_index(page.file.src_uri):
            html = record_pages.out_of_search(html)
        page.title = safe_title(page.title)
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
            page = _MATERIAL_WORKER.sub(lambda m: m.group(1) + search.worker_name(self.worker), page, count=1)
        # serve adds its own inline live-reload script to every answer, after this point
        return page if self.command == "serve" else with_csp(page, self.config.kiwix)

    def on_env(self, env, config, files):
        """Every page's HTML is known now. A build reads the pages' search text and writes its index
        aside, in a forked copy of itself, while the pages' templates render here: 12 s at 20k
        records, hidden on a second core. Serve reads the rebuilt pages' text (its index is
        written page by page, see _update_search_index)."""
        if self.worker is None or not self.result.ok:
            return env
        if self.command == "serve":
            self._read_search_text()
        else:
            site = Path(config.site_dir)

            def work() -> None:
                self._read_search_text()
                _write_files(site, search.build(*self._search_input(), self.glossary))
            self.indexing = Aside(work)
        return env

    def _read_search_text(self) -> None:
        """The search entries of every page built this time (search.entries, on its sanitised HTML);
        a page a dirty rebuild kept has no content and keeps its entries."""
        for file in self.files:
            page = file.page if file.is_documentation_page() else None
            if page is not None and page.content is not None:
                location = _location(file)
                self.search_entries[location] = search.entries(page.content, location, page.title)

    @event_priority(-50)     # after the search plugin writes its index, before the offline plugin reads it
    def on_post_build(self, config) -> None:
        self._write_admin(config)
        self._write_search_index(config)
        if self.command == "serve":
            self._forget_removed_pages(config)
        else:
            gc.unfreeze()

    def _search_input(self) -> tuple[list[dict], dict[str, search.PageInfo]]:
        """Every page's search entries in the pages' order (under serve a page kept from the last
        rebuild keeps its entries), and what the handbook says of each page."""
        pages = [_location(f) for f in self.files if f.is_documentation_page()]
        self.search_entries = {page: self.search_entries[page] for page in pages if page in self.search_entries}
        docs = [entry for entries in self.search_entries.values() for entry in entries]
        return docs, search.page_infos(self.result.handbook, self.locations)

    def _write_search_index(self, config) -> None:
        """The handbook's own search index (search.py) and worker, and Material's index emptied."""
        site = Path(config.site_dir)
        if self.worker is None or not self.result.ok:
            return
        if self.command == "serve":
            self._update_search_index(site)
        else:
            if self.indexing is None:     # an engine without on_env
                self.on_env(None, config, self.files)
            try:
                self.indexing.join()
            except AsideError as error:
                log.debug(error.details)
                raise PluginError(f"không viết được chỉ mục tìm kiếm: {error}") from None
        _write_files(site, {f"{search.WORKER_DIR}/{search.worker_name(self.worker)}": self.worker})
        # Material's page script still loads this file and hands it to the worker: settings only.
        path = site / "search" / "search_index.json"
        if path.is_file():
            index = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(search.stub_index(index), ensure_ascii=False, separators=(",", ":")),
                            encoding="utf-8")

    def _update_search_index(self, site: Path) -> None:
        """Serve: the index kept page by page; only the files that changed are written again."""
        own = self.search_index
        files = own.update(*self._search_input(), self.glossary)
        stale = set(own.removed)
        if own.changed == set(files):   # a fresh index: it never saw the files on disk
            stale |= {p.relative_to(site).as_posix() for p in (site / search.INDEX_DIR).glob("*.js")} - set(files)
        for name in sorted(stale):
            (site / name).unlink(missing_ok=True)
        _write_files(site, {name: text for name, text in files.items()
                            if name in own.changed or not (site / name).is_file()})

    def _write_admin(self, config) -> None:
        """The form editor, a static page beside the handbook (not in offline bundles)."""
        if any(name.split("/")[-1] == "offline" for name in config.plugins) or not self.result.ok:
            return
        backend = cms.Backend(repo=self.config.cms_repo or cms.github_repo(config.repo_url),
                              branch=self.config.cms_branch, auth_url=self.config.cms_auth_url,
                              local_url=os.environ.get("HANDBOOK_CMS_LOCAL") or self.config.cms_local
                              or (cms.LOCAL_URL if self.command == "serve" else None))
        note = cms.write_admin(Path(config.site_dir), backend, config.site_name, cms.picker_names(self.result))
        if note and backend.configured:
            log.warning(note)

    def on_build_error(self, *, error: Exception) -> None:
        if self.command == "serve":     # pages written before the failure may show anything: build all next time
            self.built, self.file_objects = {}, {}
            self.search_index = search.Index()
        else:
            if self.indexing is not None:
                self.indexing.cancel()
            gc.unfreeze()

    def _forget_removed_pages(self, config) -> None:
        """Serve: remember what each page's HTML shows; delete the output of pages and files that are
        gone (a removed record, a deleted page or picture of content/: a dirty build keeps the rest)."""
        if not self.result.ok:
            return
        outputs = {file.src_uri: file.abs_dest_path for file in self.files}
        written = set(outputs.values())
        for path, output in self.outputs.items():
            if path not in outputs and output not in written:
                Path(output).unlink(missing_ok=True)
                try:
                    Path(output).parent.rmdir()     # the page's folder, if nothing else is in it
                except OSError:
                    pass
        self.outputs = outputs
        self.built = dict(self.result.pages)
        self.file_objects = {path: file for path, file in self.file_objects.items() if path in outputs}
        # What is kept from rebuild to rebuild (tens of thousands of objects at national scale) need
        # not be traversed by every later garbage collection: that was a fifth of a rebuild at 20k.
        gc.freeze()

    def on_serve(self, server, config, builder):
        server.watch(str(self.data_dir))
        _notified_not_polled(server)
        live.keep_serving(server, self.data_dir)
        return server


class _Generated(File):
    """A generated page under serve; `kept` when its HTML from the last rebuild is still right,
    which a dirty build then leaves alone."""

    kept = False

    def is_modified(self) -> bool:
        return not self.kept


def _modified() -> bool:
    return True


def _write_files(site: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")


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


def _material_search_reads_no_pages(config) -> None:
    """Our index reads each page's text itself (search.entries): the search plugin need not parse
    every page again for an index it would write only for us to empty. Its settings, its search box
    and its (now empty) search_index.json stay. A tenth of a build at 20k records."""
    plugin = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "search"), None)
    events = getattr(config.plugins, "events", None)
    if plugin is not None and isinstance(events, dict) and "page_context" in events:
        events["page_context"] = [m for m in events["page_context"] if getattr(m, "__self__", None) is not plugin]


def _location(file: File) -> str:
    """A page's URL as the search index writes it (Page.url: the home page is "")."""
    return "" if file.url in (".", "./") else file.url


def _notified_not_polled(server) -> None:
    """Let the system tell the live server about saved files instead of polling them.

    MkDocs' watcher lists and stats every watched file twice a second, in the
    server's own process: at 20k records that scan held the interpreter for
    a good part of each rebuild. Where the system has file notifications
    (inotify), the watched paths move to watchdog's native observer. It runs
    before the server starts its observer; MkDocs keeps the paths in
    `_watched_paths`, and `watch` schedules them again on the new observer.
    """
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return
    watched = getattr(server, "_watched_paths", None)
    refs = getattr(server, "_watch_refs", None)
    if Observer is PollingObserver or not isinstance(watched, dict) or not isinstance(refs, dict) \
            or server.observer.is_alive():
        return
    paths = list(watched)
    server.observer = changes_observer()
    watched.clear()
    refs.clear()
    for path in paths:
        server.watch(path)


def changes_observer():
    """A native file observer that reports changes only.

    inotify also reports a file opened or closed unwritten; MkDocs rebuilds on any
    event, and each rebuild reads the watched files: a read would start a rebuild
    that starts the next, forever.
    """
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
               events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]

    class ChangesOnly(Observer):
        def schedule(self, handler, path, *, recursive=False, event_filter=None, **options):
            return super().schedule(handler, path, recursive=recursive, event_filter=event_filter or changes,
                                    **options)

    return ChangesOnly()
