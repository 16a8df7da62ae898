"""Files for trainers: the whole handbook offline, and each course's offline bundle, Kiwix file and printed pack.

A trainer should not need the command line to take a course into a classroom without internet.
`python -m generator.downloads DIR` builds them all into DIR (all or nothing, reproducibly: the
zips, ZIMs and PDFs are byte-identical for the same data) with a manifest, `tai-ve.json`, that
gives each file's size and each PDF's page count. A site build given that folder (the handbook
plugin's `downloads_dir`, from HANDBOOK_DOWNLOADS in mkdocs.yml) publishes and links them
(download_links.py). The ZIMs (for Kiwix, on phones) need libzim (`requirements/install.py
publish`); without it they are left out, and said so.

    python -m generator.downloads dist/tai-ve      # then: HANDBOOK_DOWNLOADS=dist/tai-ve handbook build
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .bundle import BundleError, bundle
from .download_links import MANIFEST, WHOLE, WHOLE_ZIM
from .outputs import OutputError, describe_size, replace_folder
from .pdf import PrintError, print_pack
from .pipeline import Result, run
from .project import Project
from .zim import ZimError


def build(project: Project, result: Result, out: Path, progress=lambda message: None) -> dict[str, dict]:
    """The whole handbook's zip and ZIM and every course's zip, ZIM and PDF into `out`, with the manifest."""
    courses = sorted(entry.id for entry in result.handbook.of_kind("course"))
    manifest: dict[str, dict] = {}
    zim = _zim_writer(progress)

    def fill(folder: Path) -> None:
        summary = bundle(project, result, folder / WHOLE, progress=progress)
        manifest[summary.path.name] = {"bytes": summary.size}
        if zim:
            summary = zim(project, result, folder / WHOLE_ZIM, progress=progress)
            manifest[summary.path.name] = {"bytes": summary.size}
        for course in courses:
            summary = bundle(project, result, folder / f"khoa-hoc-{course}.zip", course=course, progress=progress)
            manifest[summary.path.name] = {"bytes": summary.size}
            if zim:
                summary = zim(project, result, folder / f"khoa-hoc-{course}.zim", course=course, progress=progress)
                manifest[summary.path.name] = {"bytes": summary.size}
            printed = print_pack(project, result, folder / f"khoa-hoc-{course}.pdf", course=course, progress=progress)
            manifest[printed.path.name] = {"bytes": printed.size, "pages": printed.pages}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    replace_folder(project.root, out, "python -m generator.downloads", fill)
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


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Cách dùng: python -m generator.downloads THƯ-MỤC", file=sys.stderr)
        return 2
    project = Project.read(Path.cwd())
    started = time.perf_counter()
    result = run(project)
    if not result.ok:
        print("Dữ liệu có lỗi, chưa dựng được tệp tải về; chạy `handbook validate` để xem.", file=sys.stderr)
        return 1
    try:
        manifest = build(project, result, Path(argv[0]), progress=lambda message: print(message, file=sys.stderr))
    except (BundleError, OutputError, PrintError, ZimError) as error:
        print(f"Không dựng được tệp tải về, chưa ghi gì: {error}", file=sys.stderr)
        return 1
    total = sum(facts["bytes"] for facts in manifest.values())
    print(f"Xong sau {time.perf_counter() - started:.1f} giây: {len(manifest)} tệp, {describe_size(total)}, "
          f"trong {argv[0]}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
