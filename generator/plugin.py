"""MkDocs integration: a thin shell over the pipeline.

On every build (and every live-reload rebuild) it runs the pipeline, stops
the build with the editors' messages if the data has errors, and adds the
rendered pages as virtual files, so generated pages never land in content/.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import search
from .pipeline import Result, run
from .render import abbreviation_definitions, render_counts

log = logging.getLogger("mkdocs.plugins.handbook")

#: Where a hand-written page (the home page) shows what the handbook holds.
COUNTS_MARKER = "<!-- handbook:counts -->"
#: Material's search worker, as each page's settings name it.
_MATERIAL_WORKER = re.compile(r"(assets/javascripts/workers/)search\.[0-9a-f]+\.min\.js")


def own_search() -> bool:
    """Our search worker, unless HANDBOOK_SEARCH=material (to measure Material's own)."""
    return os.environ.get("HANDBOOK_SEARCH", "handbook") != "material"


class HandbookConfig(base.Config):
    data_dir = c.Type(str, default="data")


class HandbookPlugin(BasePlugin[HandbookConfig]):
    #: Set by the command line when it has already run the pipeline.
    result: Result | None = None

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        self.data_dir = root / self.config.data_dir
        self.docs_from_root = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
        if self.result is None:
            self.result = run(self.data_dir)
        for problem in self.result.problems:
            if not problem.is_error:
                log.warning(problem.format())
        if not self.result.ok:
            errors = [p.format() for p in self.result.problems if p.is_error]
            raise PluginError("dữ liệu có lỗi, chưa dựng được trang:\n" + "\n".join(errors))
        handbook = self.result.handbook
        self.glossary = handbook.glossary()
        self.worker = search.worker_source() if own_search() else None
        return config

    def on_files(self, files: Files, config) -> Files:
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
        if page.file.generated_by:     # rendered pages carry their abbreviations already
            return markdown
        if COUNTS_MARKER in markdown:
            markdown = markdown.replace(COUNTS_MARKER, render_counts(self.result.handbook))
        return markdown + abbreviation_definitions(markdown, self.glossary)

    def on_post_page(self, output: str, page, config) -> str:
        """Every page starts our search worker instead of Material's."""
        if self.worker is None:
            return output
        return _MATERIAL_WORKER.sub(lambda m: m.group(1) + search.worker_name(self.worker), output, count=1)

    @event_priority(-50)     # after the search plugin writes its index, before the offline plugin reads it
    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        path = site / "search" / "search_index.json"
        if self.worker is None or not path.is_file():
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        infos = search.page_infos(self.result.handbook, self.locations)
        for name, text in search.build(index["docs"], infos, self.glossary).items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text, encoding="utf-8")
        worker = site / search.WORKER_DIR / search.worker_name(self.worker)
        worker.parent.mkdir(parents=True, exist_ok=True)
        worker.write_text(self.worker, encoding="utf-8")
        # Material's page script still loads this file and hands it to the worker: settings only.
        path.write_text(json.dumps(search.stub_index(index), ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")

    def on_serve(self, server, config, builder):
        server.watch(str(self.data_dir))
        return server
