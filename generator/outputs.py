"""Where commands may write: only what they created themselves.

`build -d`, `render -o` and `bundle -o` replace their target. A typo there
must never cost an editor their records or their notes, so each target is
checked before anything is written: a folder must be new, empty, or marked
as one of our outputs (a marker file written with every output folder); a
bundle must be a new file or a zip this program wrote (a comment in the
zip). Nothing inside the project's own sources is ever a target.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

MARKER = ".handbook-output"
ZIP_COMMENT = b"so-tay-xay-dung-dang: handbook bundle"
# Folders of the project that hold what people write; no output goes in or over them.
PROTECTED = ("data", "content", "generator", "tests", ".git", ".github", ".ci", ".vscode")


class OutputError(Exception):
    """A target the command refuses to write; the message is for the editor."""


def check_folder(root: Path, target: Path, option: str) -> Path:
    """The resolved output folder, if the command may replace it."""
    if target.is_symlink():
        raise OutputError(f"{target} là liên kết tượng trưng (symlink); {option} cần một thư mục thật")
    target, root = target.resolve(), root.resolve()
    _outside_sources(root, target, option)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target} không phải một thư mục; {option} cần một thư mục kết quả")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise OutputError(f"thư mục {target} đã có nội dung không do lệnh này tạo ra, nên không bị ghi đè; "
                          f"chọn thư mục khác cho {option}, hoặc tự xóa thư mục đó nếu chắc chắn không cần")
    return target


def check_zip(root: Path, target: Path) -> Path:
    """The resolved bundle path, if the command may write it."""
    return check_file(root, target, ".zip", _is_our_zip, "handbook bundle")


def check_file(root: Path, target: Path, suffix: str, ours, command: str) -> Path:
    """The resolved path of a one-file output, if the command may write it: a new file, or one
    that `ours(path)` recognises as written by this command."""
    if target.is_symlink():
        raise OutputError(f"{target} là liên kết tượng trưng (symlink); không ghi qua liên kết")
    target, root = target.resolve(), root.resolve()
    _outside_sources(root, target, "-o")
    if target.suffix.lower() != suffix:
        raise OutputError(f"tệp kết quả phải có đuôi {suffix} (đang là {target.name})")
    if target.is_dir():
        raise OutputError(f"{target} là một thư mục; hãy cho tên tệp {suffix}")
    if target.exists() and not ours(target):
        raise OutputError(f"đã có tệp {target} không do `{command}` tạo ra, nên không bị ghi đè; "
                          "chọn tên khác cho -o")
    return target


def regular_or_new(path: Path) -> Path:
    """`path`, if writing it replaces nothing but a regular file there (never through a link)."""
    for part in (path, path.parent):
        if part.is_symlink():
            raise OutputError(f"{part} là liên kết tượng trưng (symlink); không ghi qua liên kết")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path} không phải một tệp thông thường")
    return path


def replace_folder(root: Path, target: Path, option: str, fill) -> Path:
    """Fill a fresh folder beside `target` with `fill(folder)`, then swap it in: all or nothing.

    `target` must be one this program may replace (check_folder); on any failure it is left as
    it was and the staging folder is removed.
    """
    target = check_folder(root, target, option)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-{os.getpid()}-", dir=target.parent))
    try:
        fill(staging)
        mark(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-{os.getpid()}-", dir=target.parent))
    if target.exists():
        target.replace(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    target.chmod(0o755)     # mkdtemp made it private
    return target


def mark(folder: Path) -> None:
    (folder / MARKER).write_text("Thư mục này do lệnh handbook tạo ra và sẽ bị thay thế ở lần chạy sau.\n",
                                 encoding="utf-8")


def remove_leftovers(target: Path) -> None:
    """Staging folders of runs that were killed: named after a process that no longer runs."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}-(?:new|old)-(\d+)-")
    if not target.parent.is_dir():
        return
    for sibling in target.parent.iterdir():
        match = pattern.match(sibling.name)
        if match and sibling.is_dir() and not sibling.is_symlink() and not _running(int(match.group(1))):
            shutil.rmtree(sibling, ignore_errors=True)


def _outside_sources(root: Path, target: Path, option: str) -> None:
    if target == root or root.is_relative_to(target) or (target / "mkdocs.yml").exists():
        raise OutputError(f"{option} {target} chứa cả dự án; kết quả sẽ xóa mất dữ liệu. Chọn một thư mục "
                          "riêng, ví dụ site/")
    # The sources of this project, and of any other handbook project on the way (a marker file
    # planted in another checkout's data/ must not make that folder a target); case-blind, for
    # the disks that are.
    for folder in (target, *target.parents):
        project = folder.parent
        if folder.name.casefold() in PROTECTED and (project == root or (project / "mkdocs.yml").is_file()):
            raise OutputError(f"{option} {target} nằm trong {folder.name}/ của dự án, nơi chứa bản gốc; "
                              "chọn một thư mục riêng, ví dụ site/")


def _is_our_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.comment == ZIP_COMMENT
    except (OSError, zipfile.BadZipFile):
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
