"""What the plugin does differently for a build and for a live preview.

A build (`handbook build`, `mkdocs build`, the bundles) runs the pipeline once (or takes the
command line's result), stops at the first error, builds every page and writes the search index
aside; it keeps nothing. `handbook serve` lives across rebuilds and keeps what it did last:
parsed files (parse_cache.py), rendered pages and what each read (incremental.py), the Markdown
each generated page's HTML was built from, and the search index page by page. It asks MkDocs
for dirty builds, so a generated page whose Markdown did not change keeps its HTML, and only the
pages an edit changed go through Markdown and the theme again; while the data has errors, every
page shows them instead of the build failing (which would leave the browser waiting).
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from .engine import LOGGER, File, Files, PluginError
from . import recent
from .parse_cache import ParseCache
from .incremental import Rendered, render_all, rerender
from .link import link
from .load import load
from .pipeline import Result, run
from .problems import has_errors
from .project import Project
from .site_search import SiteIndex
from .validate import validate

log = logging.getLogger(f"{LOGGER}.plugins.handbook")


class Build:
    """One build: nothing outlives it."""

    #: Whether the pages are served live (MkDocs' live reload adds an inline script to each).
    live = False
    #: What is said of data errors before the messages.
    data_errors = "dữ liệu có lỗi, chưa dựng được trang"

    def __init__(self) -> None:
        self.search = SiteIndex()

    def run(self, project: Project, given: Result | None) -> Result:
        """The pipeline's result: the command line's if it ran it already.

        The handbook (hundreds of thousands of objects) lives as long as the build: no garbage
        collection need traverse it again on every page. Unfrozen when the build ends."""
        result = given if given is not None else run(project)
        if result.ok:
            gc.freeze()
        return result

    def refuse(self, message: str, problems) -> None:
        """Data errors, or files content/ may not publish: the build stops with the editors' messages."""
        raise PluginError(message + ":\n" + "\n".join(p.format() for p in problems))

    def page_file(self, config, path: str, text: str) -> File:
        return File.generated(config, path, content=text)

    def listed(self, files: Files, config, result: Result) -> None:
        """The build's files are known (before the pages are)."""

    def index(self, site: Path, files, handbook, locations, glossary) -> None:
        """Every page's HTML is known: the index is written aside while the templates render."""
        self.search.write_aside(site, files, handbook, locations, glossary)

    def write_index(self, site: Path, files, handbook, locations, glossary) -> None:
        if self.search.indexing is None:     # an engine without on_env
            self.index(site, files, handbook, locations, glossary)
        self.search.join()

    def built(self, result: Result, files: Files) -> None:
        gc.unfreeze()

    def failed(self) -> None:
        self.search.cancel()
        gc.unfreeze()


class Serve(Build):
    """`handbook serve` (and `mkdocs serve`): one session across every rebuild."""

    live = True
    data_errors = "dữ liệu có lỗi; mọi trang hiện thông báo lỗi cho tới khi sửa xong"

    def __init__(self) -> None:
        super().__init__()
        self.cache: ParseCache | None = None
        self.rendered: Rendered | None = None
        self.validated: dict = {}               # what each unchanged document gave validation
        self.built_from: dict[str, str] = {}    # generated page → the Markdown its HTML in site_dir shows
        self.outputs: dict[str, str] = {}       # page or file → its output, to remove it once gone
        self.fingerprint: tuple | None = None   # configuration and hand-written pages the HTML was built with
        self.file_objects: dict[str, File] = {}  # generated page → its File, reused while unchanged
        #: The pages of the last valid data, so that every page an editor has open shows the error.
        self.last_pages: tuple[str, ...] = ()

    def run(self, project: Project, given: Result | None) -> Result:
        """The pipeline again (pipeline.run), for what changed since the last save (never a result given
        by the command line, which ran before the preview started): unchanged files are
        not read again (parse_cache.py), unchanged pages not rendered again (incremental.py: the pages
        equal a full render's); what each document gave validation is kept (validate.py)."""
        if self.cache is None:
            self.cache = ParseCache.of_project(project.root)
        documents, problems = load(project.data, cache=self.cache, workers=1)     # the live server runs threads: no fork
        self.cache.save()
        entries, found = validate(documents, project.content, self.validated)
        problems = sorted(problems + found)
        if has_errors(problems):
            return Result(problems)     # what the last valid data rendered is kept for the next save
        handbook = link(entries)
        changes = recent.last_changes(project.data)     # a commit since the last save re-dates its pages
        done = (rerender(self.rendered, handbook, changes)[0] if self.rendered is not None
                else render_all(handbook, changes))
        self.rendered, self.last_pages = done, tuple(done.pages)
        return Result(problems, handbook, done.pages, changes=changes)

    def refuse(self, message: str, problems) -> None:
        """Said in the terminal; the pages say it too (error_page), until the next save."""
        log.error(message + ":\n" + "\n".join(p.format() for p in problems))

    def page_file(self, config, path: str, text: str) -> File:
        """The page's File, kept from the last rebuild (with its HTML) if its Markdown is the same."""
        known = self.file_objects.get(path)
        if known is not None and self.built_from.get(path) == text:
            known.kept, known.page = True, None
            return known
        file = self.file_objects[path] = _Generated.generated(config, path, content=text)
        return file

    def listed(self, files: Files, config, result: Result) -> None:
        """Hand-written pages are always built again (the home page counts the records); a change of
        configuration or of the set of hand-written pages builds everything again. While the data
        has errors, every page the editor may have open answers, with the error."""
        pages = [f for f in files if f.is_documentation_page()]
        for file in pages:
            file.is_modified = _modified
        with open(config.config_file_path, "rb") as handle:
            fingerprint = (handle.read(), tuple(f.src_uri for f in pages))
        if fingerprint != self.fingerprint:
            self.fingerprint, self.built_from, self.file_objects = fingerprint, {}, {}
        if not result.ok:
            for path in self.last_pages:
                if files.get_file_from_path(path) is None:
                    files.append(File.generated(config, path, content="# Dữ liệu có lỗi\n"))
            self.built_from = {}         # every page now shows the error

    def index(self, site: Path, files, handbook, locations, glossary) -> None:
        """The rebuilt pages' text is read now; the index is written page by page after the build."""
        self.search.read(files)

    def write_index(self, site: Path, files, handbook, locations, glossary) -> None:
        self.search.update(site, files, handbook, locations, glossary)

    def built(self, result: Result, files: Files) -> None:
        """Remember what each page's HTML shows; delete the output of pages and files that are gone
        (a removed record, a deleted page or picture of content/: a dirty build keeps the rest)."""
        if not result.ok:
            return
        outputs = {file.src_uri: file.abs_dest_path for file in files}
        written = set(outputs.values())
        for path, output in self.outputs.items():
            if path not in outputs and output not in written:
                Path(output).unlink(missing_ok=True)
                try:
                    Path(output).parent.rmdir()     # the page's folder, if nothing else is in it
                except OSError:
                    pass
        self.outputs = outputs
        self.built_from = dict(result.pages)
        self.file_objects = {path: file for path, file in self.file_objects.items() if path in outputs}
        # What is kept from rebuild to rebuild (tens of thousands of objects at national scale) need
        # not be traversed by every later garbage collection: that was a fifth of a rebuild at 20k.
        gc.freeze()

    def failed(self) -> None:
        """Pages written before the failure may show anything: build them all next time."""
        self.built_from, self.file_objects = {}, {}
        self.search.forget_written()


class _Generated(File):
    """A generated page under serve; `kept` when its HTML from the last rebuild is still right,
    which a dirty build then leaves alone."""

    kept = False

    def is_modified(self) -> bool:
        return not self.kept


def _modified() -> bool:
    return True
