"""Where a hand-written file of content/ lands, on every disk the site and its offline copies reach.

MkDocs writes `gioi-thieu.md` to `gioi-thieu/index.html`, and so `gioi-thieu/index.md` too; it
reads `README.md` as its folder's index, as `index.md`: two pages, one address, one silently
lost. Windows (where an editor opens the unzipped offline bundle) cannot create a file or folder
named for a device (`aux`, `con`, `nul`, `com1`… with any extension), holding one of `<>:"|?*\\`,
or ending in a dot or a space (it drops them, and the name becomes another). Each is refused on
the file that stands aside, with the file and a Vietnamese message and hint, by `content_refusal`
(content_policy.py), which `validate` and the build both ask of every file. Spellings that differ only
in case or Unicode form are `spelling_clashes`' (content_policy.py).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from .problems import Problem

# Device names, with or without an extension (Windows' naming rules; the superscript digits too).
RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                            *(f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³")})
FORBIDDEN = '<>:"|?*\\'
_HINT = "đổi tên (chữ thường không dấu, số và gạch ngang là chắc chắn nhất)"


#: The longest path of a page inside the offline copy: Windows opens at most 260 characters in all
#: (MAX_PATH), and the folder a learner unzips into takes about a hundred of them.
MAX_OUTPUT_PATH = 150


def output_refusal(path: Path, docs: Path, shown: str) -> Problem | None:
    """Why a file of content/ cannot be written where the site puts it, on every disk, if it cannot."""
    relative = path.relative_to(docs).as_posix()
    found = windows_refusal(relative)
    if found:
        return Problem(shown, 1, 1, "content.path", found, _HINT)
    if len(output_path(relative)) > MAX_OUTPUT_PATH:
        return Problem(shown, 1, 1, "content.path",
                       f"đường dẫn trang trong bản ngoại tuyến dài {len(output_path(relative))} ký tự, quá "
                       f"{MAX_OUTPUT_PATH}: Windows không giải nén được tệp ở sâu như thế",
                       "đặt tên tệp, tên thư mục ngắn hơn")
    other = same_address(relative, lambda folder: _listing(docs / folder))
    if other:
        return Problem(shown, 1, 1, "content.path",
                       f"trang này và content/{other} ra cùng một địa chỉ /{address(relative)} (MkDocs coi "
                       "README.md là trang chính của thư mục, như index.md; x.md và x/index.md là một trang)",
                       "gộp hai trang làm một, hoặc đổi tên trang này")
    return None


def output_path(relative: str) -> str:
    """The file MkDocs writes for a file of content/ ("a/b.md" → "a/b/index.html")."""
    if not relative.endswith(".md"):
        return relative
    return address(relative) + "index.html"


def address(relative: str) -> str:
    """A page's address in the site ("a/b.md" → "a/b/", "a/README.md" → "a/")."""
    stem = relative[:-3]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def windows_refusal(relative: str) -> str | None:
    """Why Windows could not hold a file at `relative` or at its output path, in Vietnamese."""
    for name in dict.fromkeys([*relative.split("/"), *output_path(relative).split("/")]):
        bad = next((c for c in name if c in FORBIDDEN), None)
        if bad:
            return (f"tên “{name}” có ký tự “{bad}” (ở ký tự thứ {relative.find(bad) + 1} của đường dẫn) mà Windows "
                    f"không cho dùng trong tên tệp, thư mục ({' '.join(FORBIDDEN)})")
        if name.endswith((".", " ")):
            return (f"tên “{name}” kết thúc bằng dấu chấm hoặc dấu cách: Windows bỏ chúng đi, tệp thành tên khác "
                    "(hoặc không mở được)")
        device = name.split(".")[0].rstrip(" ").upper()
        if device in RESERVED_NAMES:
            return (f"tên “{name}” là tên thiết bị mà Windows dành riêng ({device}): trên Windows, và khi giải nén "
                    "bản offline ở đó, không tạo được tệp, thư mục này")
    return None


def same_address(relative: str, listing) -> str | None:
    """Another page of content/ at the same address as the page `relative`, which stands aside for it:
    README.md beside index.md, x.md beside x/index.md or x/README.md. `listing(folder)` gives the
    names in a folder of content/ ("" for content/ itself). (Names that differ in case or Unicode form
only are `spelling_clashes`'.)"""
    if not relative.endswith(".md"):
        return None
    folder, name = posixpath.split(relative)
    stem = name[:-3]
    if stem == "index":
        return None
    if stem == "README":
        wanted, where = ("index.md",), folder
    else:
        wanted, where = ("index.md", "README.md"), posixpath.join(folder, stem)
    names = set(listing(where))
    found = next((w for w in wanted if w in names), None)
    return posixpath.join(where, found) if found else None


def _listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []
