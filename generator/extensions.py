"""Markdown extensions the build accepts: those known not to read files, by an allow-list.

An extension that includes files (pymdownx.snippets, markdown-include…) turns one line of a page
into the content of any file the build can read: `/etc/passwd`, `.git/config` with the CI's
token. Three lines of `mkdocs.yml` would be enough, and the gate reads pages as data. So the
build accepts the extensions listed in SAFE, which read nothing but the page, and the known
file-reading ones only with a base folder inside the project (never the project itself, nor
`.git`), their reading kept inside it. Any other extension is refused until a maintainer
adds it here, after reading what it does.
"""

from __future__ import annotations

from pathlib import Path

#: Python-Markdown's own extensions, Material's and PyMdown's that read only the page.
_MARKDOWN = {"abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
             "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
             "wikilinks"}
_PYMDOWNX = {"arithmatex", "betterem", "caret", "critic", "details", "emoji", "escapeall", "highlight",
             "inlinehilite", "keys", "magiclink", "mark", "progressbar", "saneheaders", "smartsymbols",
             "striphtml", "superfences", "tabbed", "tasklist", "tilde", "blocks.admonition", "blocks.caption",
             "blocks.definition", "blocks.details", "blocks.tab"}
SAFE = frozenset(_MARKDOWN | {f"markdown.extensions.{name}" for name in _MARKDOWN}
                 | {f"pymdownx.{name}" for name in _PYMDOWNX}
                 | {"pymdownx.extra", "generator.abbr_focus"})
#: Extensions that read files, and the options that name the folders they read from.
READS_FILES = {"pymdownx.snippets": "base_path", "pymdownx.b64": "base_path",
               "markdown_include.include": "base_path", "mdx_include": "base_path"}


def refusals(extensions: list, configs: dict, root: Path) -> list[str]:
    """Why each extension of `mkdocs.yml` may not run, in Vietnamese (none: all may)."""
    found = []
    for extension in extensions:
        if not isinstance(extension, str):      # an object a plugin added: only our own
            if not type(extension).__module__.startswith("generator."):
                found.append(f"phần mở rộng Markdown {type(extension).__name__} không có trong danh sách an toàn")
            continue
        if extension in SAFE:
            continue
        if extension in READS_FILES:
            found += _reader_refusals(extension, configs.get(extension) or {}, root)
            continue
        found.append(f"phần mở rộng Markdown {extension} không có trong danh sách an toàn (generator/extensions.py): "
                     "chưa biết nó có đọc tệp trên máy dựng trang hay không — người bảo trì xem xét rồi mới thêm "
                     "vào danh sách")
    return found


def _reader_refusals(extension: str, options: dict, root: Path) -> list[str]:
    option = READS_FILES[extension]
    folders = options.get(option)
    folders = [folders] if isinstance(folders, str) else list(folders or [])
    hint = (f"khai báo {option} là một thư mục con của dự án (ví dụ content/doan-chen), không phải "
            "thư mục dự án hay .git")
    if not folders:
        return [f"phần mở rộng Markdown {extension} đọc tệp trên máy dựng trang nhưng chưa khai báo {option}: {hint}"]
    found = []
    project = root.resolve()
    for folder in folders:
        path = (project / str(folder)).resolve()
        inside = path != project and path.is_relative_to(project) and ".git" not in path.relative_to(project).parts
        if not inside:
            found.append(f"phần mở rộng Markdown {extension} được đọc tệp trong {folder}, ngoài các thư mục "
                         f"con của dự án: {hint}")
    if extension == "pymdownx.snippets":
        if options.get("restrict_base_path") is False:
            found.append("pymdownx.snippets với restrict_base_path: false đọc được tệp ngoài base_path: bỏ dòng đó")
        if options.get("url_download"):
            found.append("pymdownx.snippets với url_download: true tải nội dung từ mạng vào trang: bỏ dòng đó")
    return found
