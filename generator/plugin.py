"""MkDocs integration: a thin shell over the pipeline.

On every build (and every live-reload rebuild) it runs the pipeline, stops
the build with the editors' messages if the data has errors, and adds the
rendered pages as virtual files, so generated pages never land in content/.
Every page's HTML passes the sanitiser and gets a Content-Security-Policy
(sanitize.py). Under `serve`, data errors become the page the editor sees
instead of a failed rebuild (which would leave the browser waiting).
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import cms, search
from .pipeline import Result, run
from .render import abbreviation_definitions, render_counts
from .sanitize import clean_content, with_csp
from .serve_errors import error_page

log = logging.getLogger("mkdocs.plugins.handbook")

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


class HandbookPlugin(BasePlugin[HandbookConfig]):
    #: Set by the command line when it has already run the pipeline.
    result: Result | None = None
    #: "build", "gh-deploy" or "serve"; a plugin that defines on_startup lives across serve's rebuilds.
    command: str = "build"
    #: The pages of the last valid data, so that every page an editor has open shows the error.
    last_pages: tuple[str, ...] = ()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        self.data_dir = root / self.config.data_dir
        self.root = root
        self.docs_from_root = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
        if self.result is None or self.command == "serve":     # serve: read the data again on every save
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
            return config
        self.last_pages = tuple(self.result.pages)
        self.glossary = self.result.handbook.glossary()
        return config

    def on_files(self, files: Files, config) -> Files:
        if not self.result.ok:      # serve only: keep every URL answering, with the error
            for path in self.last_pages:
                if files.get_file_from_path(path) is None:
                    files.append(File.generated(config, path, content="# Dữ liệu có lỗi\n"))
            self.locations = {}
            return files
        edit_paths = self.result.edit_paths()
        for path, text in self.result.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{self.docs_from_root}/{path} trùng đường dẫn với một trang sinh tự động; "
                                  "đổi tên hoặc chuyển trang viết tay sang thư mục khác")
            file = File.generated(config, path, content=text)
            if path in edit_paths:     # the edit button opens the YAML record
                file.edit_uri = posixpath.relpath(edit_paths[path], self.docs_from_root)
            files.append(file)
        self.locations = {path: files.get_file_from_path(path).url for path in self.result.pages}
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if not self.result.ok:
            return error_page(self.result.problems, self.root)
        if page.file.generated_by:     # rendered pages carry their abbreviations already
            return markdown
        if COUNTS_MARKER in markdown:
            markdown = markdown.replace(COUNTS_MARKER, render_counts(self.result.handbook))
        return markdown + abbreviation_definitions(markdown, self.glossary)

    @event_priority(-100)    # after every other plugin changed the content
    def on_page_content(self, html: str, page, config, files) -> str:
        return clean_content(html)

    @event_priority(-100)
    def on_post_page(self, output: str, page, config) -> str:
        return self._secure(output)

    @event_priority(-100)
    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return self._secure(output_content) if template_name.endswith(".html") else output_content

    def _secure(self, page: str) -> str:
        # serve adds its own inline live-reload script to every answer, after this point
        return page if self.command == "serve" else with_csp(page)

    @event_priority(-50)     # after the search plugin writes its index, before the offline plugin reads it
    def on_post_build(self, config) -> None:
        self._write_admin(config)
        path = Path(config.site_dir) / "search" / "search_index.json"
        if not path.is_file() or not self.result.ok:
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        search.enrich(index, search.keywords(self.result.handbook, self.locations), self.glossary)
        # UTF-8 rather than \uXXXX escapes: Vietnamese text takes about half the bytes.
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def _write_admin(self, config) -> None:
        """The form editor, a static page beside the handbook (not in offline bundles)."""
        if any(name.split("/")[-1] == "offline" for name in config.plugins) or not self.result.ok:
            return
        backend = cms.Backend(repo=self.config.cms_repo or cms.github_repo(config.repo_url),
                              branch=self.config.cms_branch, auth_url=self.config.cms_auth_url,
                              local_url=os.environ.get("HANDBOOK_CMS_LOCAL") or self.config.cms_local
                              or (cms.LOCAL_URL if self.command == "serve" else None))
        note = cms.write_admin(Path(config.site_dir), backend, config.site_name)
        if note and backend.configured:
            log.warning(note)

    def on_serve(self, server, config, builder):
        server.watch(str(self.data_dir))
        return server
