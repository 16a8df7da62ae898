"""The files for trainers in the site: those a downloads folder vouches for, and the links to them.

`python -m generator.downloads DIR` (downloads.py) builds the files; a site build given that
folder (the handbook plugin's `downloads_dir`) publishes them under `/tai-ve/` and links them
here: each course page its zip, ZIM and PDF, the home page the whole handbook's zip and ZIM,
with their sizes. Without the folder, or for a file it lacks, there is no link at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .outputs import describe_size
from .schema import KINDS

#: Where the files are published in the site.
FOLDER = "tai-ve"
MANIFEST = "tai-ve.json"
#: Where a hand-written page (the home page) links the whole handbook's offline copy.
MARKER = "<!-- handbook:downloads -->"
#: The whole handbook's offline copy (bundle.WHOLE_NAME), and the same pages for Kiwix.
WHOLE = "so-tay-offline.zip"
WHOLE_ZIM = "so-tay-offline.zim"
#: Said under a Kiwix link: how a phone opens the file.
KIWIX_HOW = ("Tệp .zim mở bằng ứng dụng Kiwix (miễn phí, Android, iOS và máy tính): tải tệp về máy, "
             "mở Kiwix, chọn mở tệp rồi chọn tệp vừa tải; đọc và tìm kiếm không cần mạng.")


@dataclass(frozen=True)
class Download:
    name: str              # file name, e.g. khoa-hoc-<id>.zip
    path: Path
    size: int
    pages: int | None = None   # a PDF's

    def label(self) -> str:
        if self.name.endswith(".pdf"):
            return f"Tải bản in (.pdf, {self.pages} trang)"
        if self.name.endswith(".zim"):
            return f"Đọc trên điện thoại bằng Kiwix (.zim, {describe_size(self.size)})"
        return f"Tải gói ngoại tuyến (.zip, {describe_size(self.size)})"


# The only files a downloads folder publishes: the whole handbook's zip and ZIM, each course's zip, ZIM and PDF.
_NAMES = re.compile(r"so-tay-offline\.(?:zip|zim)|khoa-hoc-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:zip|zim|pdf)")


def available(folder: Path | None) -> dict[str, Download]:
    """The files of a downloads folder its manifest vouches for (present, of the stated size)."""
    if folder is None or not (folder / MANIFEST).is_file():
        return {}
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for name, facts in sorted(manifest.items()) if isinstance(manifest, dict) else ():
        path = folder / name
        if (not isinstance(name, str) or not _NAMES.fullmatch(name) or not isinstance(facts, dict)
                or not path.is_file() or path.is_symlink() or path.stat().st_size != facts.get("bytes")):
            continue
        pages = facts.get("pages")
        if name.endswith(".pdf") and not (type(pages) is int and pages > 0):     # not True, not 1.5
            continue
        found[name] = Download(name, path, path.stat().st_size, pages)
    return found


def course_links(course: str, files: dict[str, Download], up: str = "../") -> str:
    """The Markdown under a course page's title: its zip, ZIM and PDF, those that exist ("" if none),
    and how to open the ZIM when there is one."""
    names = [f"khoa-hoc-{course}.{ext}" for ext in ("zip", "zim", "pdf")]
    links = [f"[{files[name].label()}]({up}{FOLDER}/{name})" for name in names if name in files]
    if not links:
        return ""
    how = f"\n{KIWIX_HOW}\n" if names[1] in files else ""
    return f"**Tài liệu cho lớp học:** {' · '.join(links)}\n{how}"


def with_course_links(markdown: str, page: str, files: dict[str, Download]) -> str:
    """A generated page; a course's with its zip and PDF linked under its title, when they were built."""
    folder, _, name = page.rpartition("/")
    if not files or folder != KINDS["course"].section:
        return markdown
    links = course_links(name.removesuffix(".md"), files, "../" * page.count("/"))
    title = re.search(r"^# .*\n", markdown, re.MULTILINE)
    return markdown[:title.end()] + "\n" + links + markdown[title.end():] if links and title else markdown


def whole_link(files: dict[str, Download], page: str) -> str:
    """The home page's links to the whole handbook offline: the zip, the ZIM ("" without either)."""
    up = "../" * page.count("/")
    lines = []
    if (download := files.get(WHOLE)) is not None:
        lines.append(f"Không có mạng ở nơi học? [{download.label().replace('Tải gói', 'Tải cả sổ tay thành gói')}]"
                     f"({up}{FOLDER}/{download.name}): giải nén rồi mở `index.html`, đọc và tìm kiếm không cần mạng.\n")
    if (download := files.get(WHOLE_ZIM)) is not None:
        lines.append(f"[{download.label().replace('Đọc trên', 'Đọc cả sổ tay trên')}]"
                     f"({up}{FOLDER}/{download.name}). {KIWIX_HOW}\n")
    return "\n".join(lines)
