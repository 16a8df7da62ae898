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
    if target.is_dir() and any(target.iterdir()):
        foreign = not_written_by_us(target)
        if foreign:
            raise OutputError(f"thư mục {target} đã có nội dung không do lệnh này tạo ra ({foreign}), nên không bị "
                              f"ghi đè; chọn thư mục khác cho {option}, hoặc tự xóa thư mục đó nếu chắc chắn không cần")
    return target


def not_written_by_us(folder: Path) -> str | None:
    """The first thing in an output folder that the run which wrote it did not write (None if all
    is ours): its marker lists every path it wrote. A marker of an earlier version, without the
    list, vouches for the whole folder."""
    try:
        lines = (folder / MARKER).read_text(encoding="utf-8", errors="surrogateescape").split("\n")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return next((p.name for p in folder.iterdir()), None)
    if lines[0] != MARKER_TEXT or lines[1:2] != [MANIFEST]:
        return None
    written = set(lines[2:])
    return next((path for path in _paths(folder) if path != MARKER and path not in written), None)


def _paths(folder: Path):
    """Every file and folder under `folder`, relative, without following links."""
    stack = [(str(folder), "")]
    while stack:
        top, prefix = stack.pop()
        with os.scandir(top) as entries:
            for entry in entries:
                yield prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))


def check_zip(root: Path, target: Path) -> Path:
    """The resolved bundle path, if the command may write it."""
    return check_file(root, target, ".zip", is_our_zip, "handbook bundle")


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
    if target.exists() and not target.is_file():     # a named pipe, a device: reading it to judge could hang
        raise OutputError(f"{target} không phải một tệp thông thường, nên không bị ghi đè; chọn tên khác cho -o")
    remove_partials(target)
    if target.exists() and not ours(target):
        raise OutputError(f"đã có tệp {target} không do `{command}` tạo ra, nên không bị ghi đè; "
                          "chọn tên khác cho -o")
    return target


def move_into_place(partial: Path, out: Path, ours, command: str) -> None:
    """Rename a finished one-file output over `out`, checking again that it may (check_file held at
    the start; the work took minutes): a file that appeared there meanwhile is never replaced."""
    if os.path.lexists(out):
        if out.is_symlink() or not out.is_file() or not ours(out):
            raise OutputError(f"trong lúc chạy lệnh, {out} đã được thay bằng một tệp không do `{command}` tạo ra, "
                              "nên không bị ghi đè; chọn tên khác cho -o")
        os.replace(partial, out)
        return
    try:
        os.link(partial, out)       # fails if a file appeared at `out` since the check
    except FileExistsError:
        raise OutputError(f"trong lúc chạy lệnh, một tệp {out} đã được tạo ra, nên không bị ghi đè; "
                          "chọn tên khác cho -o") from None
    os.unlink(partial)


def partial_path(out: Path) -> Path:
    """Where a one-file output is written before it is whole: beside `out`, named after this process."""
    return out.with_name(f".{out.name}.{os.getpid()}.part")


def remove_partials(out: Path) -> None:
    """What killed runs left beside `out` (partial_path and the working files named after it, such
    as libzim's `.part_fulltext.idx.tmp` folders): only those of a process that no longer runs."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(\d+)\.part(?:$|[._])")
    if not out.parent.is_dir():
        return
    for sibling in out.parent.iterdir():
        match = pattern.match(sibling.name)
        if not match or sibling.is_symlink() or _running(int(match.group(1))):
            continue
        if sibling.is_dir():
            shutil.rmtree(sibling, ignore_errors=True)
        else:
            sibling.unlink(missing_ok=True)


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

    `target` must be one this program may replace (check_folder), before the work and again at
    the swap: a build takes minutes, and whatever was put in an empty target meanwhile is not
    ours. So the old folder is moved aside and checked there, and only then deleted; if it holds
    anything else it is put back. On any failure `target` is left as it was and the staging
    folder is removed.
    """
    target = check_folder(root, target, option)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-{os.getpid()}-", dir=target.parent))
    old = None
    try:
        fill(staging)
        mark(staging)
        if not target.is_dir() or target.is_symlink():     # a folder is checked below, once moved aside
            check_folder(root, target, option)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-{os.getpid()}-", dir=target.parent))
            target.replace(old)     # onto an empty folder: fails rather than merges if anything is in the way
            if not _replaceable(old):       # written into between the check and the move
                old.rename(target)
                old = None
                check_folder(root, target, option)      # says what is there
        staging.rename(target)      # fails if a folder appeared at `target` since the move
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not target.exists():
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    target.chmod(0o755)     # mkdtemp made it private
    return target


def _replaceable(folder: Path) -> bool:
    return not folder.is_symlink() and folder.is_dir() and not_written_by_us(folder) is None


def write_file(path: Path, content: str | bytes, *, new: bool = False) -> Path:
    """Write `path` whole or not at all: into a temporary file beside it, then renamed over it.

    A full disk or a killed command leaves the old file as it was (and no temporary file).
    Never through a link, never over anything but a regular file; with `new`, never over
    anything at all.
    """
    regular_or_new(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644 if new or not path.exists() else path.stat().st_mode & 0o777)
        if new:
            os.link(temporary, path)      # fails if the name exists, as open(…, "x") would
            os.unlink(temporary)
        else:
            os.replace(temporary, path)
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise
    return path


MARKER_TEXT = "Thư mục này do lệnh handbook tạo ra và sẽ bị thay thế ở lần chạy sau."
MANIFEST = "Những gì lệnh đã ghi (lần sau chỉ thay thế khi thư mục không có gì khác):"


def mark(folder: Path) -> None:
    """The marker of an output folder, with the list of every path written (see not_written_by_us)."""
    listed = "\n".join(sorted(_paths(folder)))
    (folder / MARKER).write_text(f"{MARKER_TEXT}\n{MANIFEST}\n{listed}", encoding="utf-8", errors="surrogateescape")


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


def is_our_zip(path: Path) -> bool:
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


def describe_size(size: int) -> str:
    """A written file's size as the commands report it: 1234567 → "1,2 MB", the way Vietnamese writes decimals."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
