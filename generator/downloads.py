"""Files for trainers: the whole handbook offline, and each course's offline bundle, Kiwix file and printed pack.

A trainer should not need the command line to take a course into a classroom without internet.
`python -m generator.downloads DIR` builds them all into DIR (all or nothing, reproducibly: the
zips, ZIMs and PDFs are byte-identical for the same data) with a manifest, `tai-ve.json`, that
gives each file's size and each PDF's page count. A site build given that folder (the handbook
plugin's `downloads_dir`, from HANDBOOK_DOWNLOADS in mkdocs.yml) publishes the files under
`/tai-ve/` and links them: each course page its zip, ZIM and PDF, the home page the whole
handbook's zip and ZIM, with their sizes. Without the folder, or for a file it lacks, there is no
link at all. The ZIMs (for Kiwix, on phones) need libzim (`requirements/install.py publish`);
without it they are left out, and said so.

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
#: The whole handbook's offline copy (bundle.WHOLE_NAME; bundle.py imports the plugin, which imports this),
#: and the same pages for Kiwix.
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
        from .bundle import describe_size

        if self.name.endswith(".pdf"):
            return f"Tải bản in (.pdf, {self.pages} trang)"
        if self.name.endswith(".zim"):
            return f"Đọc trên điện thoại bằng Kiwix (.zim, {describe_size(self.size)})"
        return f"Tải gói ngoại tuyến (.zip, {describe_size(self.size)})"


def build(root: Path, result: Result, out: Path, progress=lambda message: None) -> dict[str, dict]:
    """The whole handbook's zip and ZIM and every course's zip, ZIM and PDF into `out`, with the manifest."""
    from .bundle import bundle
    from .pdf import print_pack      # WeasyPrint: only when printing

    courses = sorted(entry.id for entry in result.handbook.of_kind("course"))
    manifest: dict[str, dict] = {}
    zim = _zim_writer(progress)

    def fill(folder: Path) -> None:
        summary = bundle(root, result, folder / WHOLE, progress=progress)
        manifest[summary.path.name] = {"bytes": summary.size}
        if zim:
            summary = zim(root, result, folder / WHOLE_ZIM, progress=progress)
            manifest[summary.path.name] = {"bytes": summary.size}
        for course in courses:
            summary = bundle(root, result, folder / f"khoa-hoc-{course}.zip", course=course, progress=progress)
            manifest[summary.path.name] = {"bytes": summary.size}
            if zim:
                summary = zim(root, result, folder / f"khoa-hoc-{course}.zim", course=course, progress=progress)
                manifest[summary.path.name] = {"bytes": summary.size}
            printed = print_pack(root, result, folder / f"khoa-hoc-{course}.pdf", course=course, progress=progress)
            manifest[printed.path.name] = {"bytes": printed.size, "pages": printed.pages}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    replace_folder(root, out, "python -m generator.downloads", fill)
    return manifest


def _zim_writer(progress):
    """`zim.write_zim`, or None (said) where libzim is not installed: the zips and PDFs are still worth having."""
    try:
        import libzim  # noqa: F401
    except ImportError:
        progress("Chưa cài libzim nên không có tệp .zim (Kiwix); cài bằng `python3 requirements/install.py publish`.")
        return None
    from .zim import write_zim
    return write_zim


# The only files a downloads folder publishes: the whole handbook's zip and ZIM, each course's zip, ZIM and PDF.
_NAMES = re.compile(rf"so-tay-offline\.(?:zip|zim)|khoa-hoc-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:zip|zim|pdf)")


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
