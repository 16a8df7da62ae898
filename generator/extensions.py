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
#: Extensions that read files and keep their reading inside the folders one option names; and the
#: options each may be given (an allow-list: `url_download`, b64's `root_path` and the like are not).
#: markdown-include and mdx_include read any path they are given: not here, so refused.
READS_FILES = {"pymdownx.snippets": "base_path", "pymdownx.b64": "base_path"}
OPTIONS = {"pymdownx.snippets": {"base_path", "check_paths", "encoding", "auto_append", "dedent_subsections",
                                 "restrict_base_path"},
           "pymdownx.b64": {"base_path"}}


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
    from markdown.util import parseBoolValue

    option = READS_FILES[extension]
    found = [f"phần mở rộng Markdown {extension} không nhận tùy chọn {name} (chỉ nhận "
             f"{', '.join(sorted(OPTIONS[extension]))}): bỏ dòng đó" for name in sorted(set(options) - OPTIONS[extension])]
    folders = options.get(option)
    folders = [folders] if isinstance(folders, str) else list(folders or []) if isinstance(folders, list) else [folders]
    hint = (f"khai báo {option} là một thư mục con của dự án (ví dụ content/doan-chen), không phải "
            "thư mục dự án hay .git")
    if not folders:
        return found + [f"phần mở rộng Markdown {extension} đọc tệp trên máy dựng trang nhưng chưa khai báo "
                        f"{option}: {hint}"]
    project = root.resolve()
    for folder in folders:
        if not isinstance(folder, str):     # `!relative` and other computed folders: not checkable here
            found.append(f"phần mở rộng Markdown {extension}: {option} phải là đường dẫn viết thẳng: {hint}")
            continue
        path = (project / folder).resolve()
        inside = path != project and path.is_relative_to(project) and ".git" not in path.relative_to(project).parts
        if not inside:
            found.append(f"phần mở rộng Markdown {extension} được đọc tệp trong {folder}, ngoài các thư mục "
                         f"con của dự án: {hint}")
    # Read as Markdown reads it (0, "off", null… all turn the restriction off): only a true value keeps it.
    if "restrict_base_path" in options and parseBoolValue(options["restrict_base_path"], False, None) is not True:
        found.append("pymdownx.snippets với restrict_base_path khác true đọc được tệp ngoài base_path: bỏ dòng đó")
    return found
