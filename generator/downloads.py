"""Files for trainers: the whole handbook offline, and each course's offline bundle and printed pack.

A trainer should not need the command line to take a course into a classroom without internet.
`python -m generator.downloads DIR` builds them all into DIR (all or nothing, reproducibly: the
zips and PDFs are byte-identical for the same data) with a manifest, `tai-ve.json`, that gives
each file's size and each PDF's page count. A site build given that folder (the handbook
plugin's `downloads_dir`, from HANDBOOK_DOWNLOADS in mkdocs.yml) publishes the files under
`/tai-ve/` and links them: each course page its zip and PDF, the home page the whole handbook's
zip, with their sizes. Without the folder, or for a file it lacks, there is no link at all.

    python -m generator.downloads dist/tai-ve      # then: HANDBOOK_DOWNLOADS=dist/tai-ve handbook build
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .outputs import replace_folder
from .pipeline import Result
from .schema import KINDS

#: Where the files are published in the site.
FOLDER = "tai-ve"
MANIFEST = "tai-ve.json"
#: Where a hand-written page (the home page) links the whole handbook's offline copy.
MARKER = "<!-- handbook:downloads -->"
#: The whole handbook's offline copy (bundle.WHOLE_NAME; bundle.py imports the plugin, which imports this).
WHOLE = "so-tay-offline.zip"


@dataclass(frozen=True)
class Download:
    name: str              # file name, e.g. khoa-hoc-<id>.zip
    path: Path
    size: int
    pages: int | None = None   # a PDF's

    def label(self) -> str:
        from .bundle import describe_size

        if self.name.endswith(".pdf"):
            return f"Tải bản in (.pdf, {self.pages} trang)"
        return f"Tải gói ngoại tuyến (.zip, {describe_size(self.size)})"


def build(root: Path, result: Result, out: Path, progress=lambda message: None) -> dict[str, dict]:
    """The whole handbook's zip and every course's zip and PDF into `out`, with the manifest."""
    from .bundle import bundle
    from .pdf import print_pack      # WeasyPrint: only when printing

    courses = sorted(entry.id for entry in result.handbook.of_kind("course"))
    manifest: dict[str, dict] = {}

    def fill(folder: Path) -> None:
        summary = bundle(root, result, folder / WHOLE, progress=progress)
        manifest[summary.path.name] = {"bytes": summary.size}
        for course in courses:
            summary = bundle(root, result, folder / f"khoa-hoc-{course}.zip", course=course, progress=progress)
            manifest[summary.path.name] = {"bytes": summary.size}
            printed = print_pack(root, result, folder / f"khoa-hoc-{course}.pdf", course=course, progress=progress)
            manifest[printed.path.name] = {"bytes": printed.size, "pages": printed.pages}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    replace_folder(root, out, "python -m generator.downloads", fill)
    return manifest


# The only files a downloads folder publishes: the whole handbook's zip, each course's zip and PDF.
_NAMES = re.compile(rf"{re.escape(WHOLE)}|khoa-hoc-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:zip|pdf)")


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
    """The Markdown line under a course page's title: its zip and PDF, those that exist ("" if none)."""
    links = [f"[{files[name].label()}]({up}{FOLDER}/{name})"
             for name in (f"khoa-hoc-{course}.zip", f"khoa-hoc-{course}.pdf") if name in files]
    return f"**Tài liệu cho lớp học:** {' · '.join(links)}\n" if links else ""


def with_course_links(markdown: str, page: str, files: dict[str, Download]) -> str:
    """A generated page; a course's with its zip and PDF linked under its title, when they were built."""
    folder, _, name = page.rpartition("/")
    if not files or folder != KINDS["course"].section:
        return markdown
    links = course_links(name.removesuffix(".md"), files, "../" * page.count("/"))
    title = re.search(r"^# .*\n", markdown, re.MULTILINE)
    return markdown[:title.end()] + "\n" + links + markdown[title.end():] if links and title else markdown


def whole_link(files: dict[str, Download], page: str) -> str:
    """The home page's link to the whole handbook offline ("" without the file)."""
    download = files.get(WHOLE)
    if download is None:
        return ""
    up = "../" * page.count("/")
    return (f"Không có mạng ở nơi học? [{download.label().replace('Tải gói', 'Tải cả sổ tay thành gói')}]"
            f"({up}{FOLDER}/{download.name}): giải nén rồi mở `index.html`, đọc và tìm kiếm không cần mạng.\n")


def main(argv: list[str]) -> int:
    from .bundle import BundleError, describe_size
    from .outputs import OutputError
    from .pdf import PrintError
    from .pipeline import run

    if len(argv) != 1:
        print("Cách dùng: python -m generator.downloads THƯ-MỤC", file=sys.stderr)
        return 2
    root = Path.cwd()
    started = time.perf_counter()
    result = run(root / "data")
    if not result.ok:
        print("Dữ liệu có lỗi, chưa dựng được tệp tải về; chạy `handbook validate` để xem.", file=sys.stderr)
        return 1
    try:
        manifest = build(root, result, Path(argv[0]), progress=lambda message: print(message, file=sys.stderr))
    except (BundleError, OutputError, PrintError) as error:
        print(f"Không dựng được tệp tải về, chưa ghi gì: {error}", file=sys.stderr)
        return 1
    total = sum(facts["bytes"] for facts in manifest.values())
    print(f"Xong sau {time.perf_counter() - started:.1f} giây: {len(manifest)} tệp, {describe_size(total)}, "
          f"trong {argv[0]}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
