"""What content/ may publish: the site's policy for hand-written pages and files.

Hand-written pages and pictures are published as they are, beside the generated pages, so
each file is judged before anything is built: its name (UTF-8, printable, no link, not in a
folder the site fills itself), its kind (pages and pictures only), its text (UTF-8, printable,
of bounded size), and its place (not at a generated page's address, not spelled like another
file or folder of the site but for case or Unicode form). `handbook validate` asks
`content_refusals` (it walks the folder, as no MkDocs runs); the build asks `refused_files` of the
files MkDocs lists. Both say it with the same problems.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import stat
import unicodedata
from pathlib import Path

from .characters import NOT_PRINTABLE, describe, not_text, path_key
from .confusables import keyboard_look_alike
from .output_paths import output_refusal
from .problems import Problem
from .schema import RESERVED_SECTIONS

# What a hand-written page may bring along: pictures and documents, never a page or a script
# of its own (an .html file would be published as it is, without the sanitiser or the policy).
CONTENT_SUFFIXES = {".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf"}


def refusal(file, docs_dir: Path) -> Problem | None:
    """Why a file of content/ (as MkDocs lists it) may not be published, if it may not."""
    if not is_content(file, docs_dir):
        return None
    return content_refusal(Path(os.path.abspath(file.abs_src_path)), Path(os.path.abspath(docs_dir)))


def is_content(file, docs_dir: Path) -> bool:
    """Whether MkDocs publishes `file` from content/: not generated, not the theme's, not excluded
    (hidden files: .DS_Store, .gitkeep)."""
    if file.generated_by or file.abs_src_path is None or file.inclusion.is_excluded():
        return False
    return Path(os.path.abspath(file.abs_src_path)).is_relative_to(Path(os.path.abspath(docs_dir)))


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page at `path` ("van-ban/x.md" → "van-ban/x/"; README.md is an index)."""
    stem = path.removesuffix(".md")
    if posixpath.basename(stem) in ("index", "README"):
        stem = posixpath.dirname(stem) + "/index" if posixpath.dirname(stem) else "index"
    if not directory_urls:
        return stem + ".html"
    return stem.removesuffix("index") if posixpath.basename(stem) == "index" else stem + "/"


def collision(shown: str, generated: str) -> Problem:
    return Problem(shown, 1, 1, "content.refused", f"trang viết tay trùng địa chỉ với trang sinh tự động {generated}",
                   "đổi tên hoặc chuyển trang viết tay sang thư mục khác")


def spelling_clashes(written: list[str], generated) -> dict[str, str]:
    """Hand-written files (paths under content/) that a case-insensitive disk or an NFC/NFD pair of
    names would take for another file or folder of the site: {path: the other's spelling}.

    Windows and macOS disks (and the offline zip unpacked on them) hold `Van-Ban/` and `van-ban/`
    as one folder, and `hà-nội.md` in NFC and NFD look like one name with two URLs; so every
    folder, file and page address is compared after NFC and case folding (characters.path_key).
    `generated` are the site's own paths, which keep their spelling. Thousands of generated pages
    and a few hand-written ones: a generated path is looked at only past a folder that the
    hand-written ones share (by key)."""
    mine = [(path, _parts(path)) for path in sorted(written)]
    wanted = {path_key(part) for _, parts in mine for part in parts}
    spelled: dict[str, str] = {}
    for path in generated:
        top = path.split("/", 1)[0]
        if path_key(top) in wanted:
            for part in _parts(path):
                spelled.setdefault(path_key(part), part)
    clashes = {}
    for path, parts in mine:
        for part in parts:
            first = spelled.setdefault(path_key(part), part)
            if first != part:
                clashes[path] = first
                break
    return clashes


def _parts(path: str) -> list[str]:
    """A path's folders, itself, and for a page its address as a folder ("a/b.md" → a, a/b.md, a/b)."""
    pieces = path.split("/")
    found = ["/".join(pieces[:i]) for i in range(1, len(pieces) + 1)]
    url = page_url(path).rstrip("/") if path.endswith(".md") else ""
    return found + [url] if url else found


def clash(shown: str, other: str) -> Problem:
    return Problem(shown, 1, 1, "content.refused", f"tên trùng với `{other}` khi không phân biệt chữ hoa, chữ thường "
                   "hoặc cách dựng chữ có dấu (ổ đĩa Windows, macOS coi là một)",
                   "đổi tên tệp hoặc thư mục cho khác hẳn (chữ thường không dấu, số và gạch ngang là chắc chắn nhất)")


def content_refusals(docs_dir: Path, generated: set[str] = frozenset()) -> list[Problem]:
    """What the build would refuse under content/, for `handbook validate`, which runs no MkDocs
    (hidden files and editors' leftovers are not content, as for MkDocs); `generated` are the
    pages the records will have, which no hand-written page may stand in for."""
    docs = Path(os.path.abspath(docs_dir))
    taken = {page_url(path): path for path in generated}
    found, published = [], []
    for folder, subfolders, names in os.walk(docs):
        linked = [d for d in subfolders if not d.startswith(".") and os.path.islink(os.path.join(folder, d))]
        found += [content_refusal(Path(folder) / d, docs) for d in sorted(linked)]     # MkDocs would go in
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in linked)
        for name in sorted(names):
            problem = None if name.startswith(".") or editor_leftover(name) else content_refusal(Path(folder) / name, docs)
            relative = (Path(folder) / name).relative_to(docs).as_posix()
            if problem is None and name.endswith(".md") and page_url(relative) in taken:
                problem = collision(f"content/{relative}", taken[page_url(relative)])
            if problem:
                found.append(problem)
            elif not name.startswith(".") and not editor_leftover(name):
                published.append(relative)
    clashes = spelling_clashes(published, [*generated, *SITE_FOLDERS])
    return found + [clash(f"content/{path}", other) for path, other in clashes.items()]


def refused_files(files, pages, docs_dir: Path, generated, directory_urls: bool, shown_root: str) -> dict:
    """The build's view: of the files MkDocs lists (`pages`: its documentation pages), those content/
    may not publish, each with its problem. `generated` are the pages the records have; `shown_root`
    is content/'s path from the project, as the problems show it."""
    refused = {file: problem for file in files if (problem := refusal(file, docs_dir))}
    kept = [file for file in files if file not in refused]
    written = {file.url: file for file in pages
               if file not in refused and not file.generated_by and not file.inclusion.is_excluded()}
    for path in generated:      # a hand-written page at a generated page's address
        file = written.get(page_url(path, directory_urls))
        if file is not None:
            refused[file] = collision(f"{shown_root}/{file.src_uri}", path)
    content = {f.src_uri: f for f in kept if is_content(f, docs_dir) and f not in refused}
    others = [f.src_uri for f in kept if f.src_uri not in content]
    for path, other in spelling_clashes(list(content), [*generated, *others, *SITE_FOLDERS]).items():
        refused[content[path]] = clash(f"{shown_root}/{path}", other)
    return refused


# Folders of the site that no record or page makes.
SITE_FOLDERS = tuple(RESERVED_SECTIONS)
# …of which the site fills these alone (content/bien-tap/ is the editors' guide, content/hinh-anh/
# the pictures the form editor uploads).
SITE_MADE = ("admin", "assets", "search", "tai-ve")


def content_refusal(path: Path, docs: Path) -> Problem | None:
    shown = f"content/{path.relative_to(docs).as_posix()}"
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:      # a name from another system's encoding (a zip unpacked elsewhere)
        shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return Problem(shown, 1, 1, "content.refused", "tên tệp không viết bằng mã UTF-8",
                       "đặt lại tên tệp (chữ thường không dấu, số và gạch ngang là chắc chắn nhất)")
    hidden = NOT_PRINTABLE.search(shown)
    if hidden:      # part of the page's address: an address that shows other than it is
        return Problem(shown, 1, 1, "content.refused", f"tên tệp có ký tự không in được hoặc vô hình "
                       f"{describe(hidden.group())} ở ký tự thứ {hidden.start() + 1}",
                       "đặt lại tên tệp (chữ thường không dấu, số và gạch ngang là chắc chắn nhất)")
    if path.resolve() != docs.resolve() / path.relative_to(docs):      # a link, or inside a linked folder
        return Problem(shown, 1, 1, "content.refused", "liên kết tượng trưng (symlink), hoặc nằm trong thư mục "
                       "là liên kết, bị từ chối", "thay liên kết bằng chính tệp, thư mục; hoặc xóa nó")
    relative = path.relative_to(docs).parts
    odd = next((found for part in relative if (found := _look_alike_letter(part))), None)
    if odd:     # "vаn-ban/" with a Cyrillic а beside the real "van-ban/": two addresses that look one
        return Problem(shown, 1, 1, "content.refused", f"tên tệp có chữ {describe(odd)} trông giống một chữ "
                       "trên bàn phím mà không phải", "gõ lại tên tệp bằng bàn phím (chữ thường không dấu, số và "
                       "gạch ngang là chắc chắn nhất)")
    if len(relative) > 1 and path_key(relative[0]) in SITE_MADE:
        # A file there would stand at an official-looking address (/tai-ve/…), or be replaced unseen.
        return Problem(shown, 1, 1, "content.refused", f"nằm trong thư mục {relative[0]}/ mà trang web tự tạo",
                       "đặt tệp vào một thư mục khác của content/")
    if path.suffix.lower() == ".md" and path.suffix != ".md":
        return Problem(shown, 1, 1, "content.refused", f"đuôi {path.suffix} không được đọc như một trang",
                       "đổi đuôi tệp thành .md (chữ thường)")
    if path.suffix.lower() not in CONTENT_SUFFIXES:
        allowed = ", ".join(sorted(CONTENT_SUFFIXES))
        return Problem(shown, 1, 1, "content.refused", f"loại tệp {path.suffix or '(không đuôi)'} không được đăng",
                       f"content/ chỉ nhận {allowed}; mã (CSS, JavaScript) thuộc generator/theme/")
    if (refused := output_refusal(path, docs, shown)) is not None:      # where it lands, on every disk
        return refused
    if not stat.S_ISREG(os.lstat(path).st_mode):        # a pipe would hang the build reading it
        return Problem(shown, 1, 1, "content.refused", "không phải tệp thông thường (thư mục, ống dẫn, thiết bị)",
                       "xóa nó, hoặc thay bằng một tệp")
    if path.suffix.lower() == ".md":
        try:
            text = path.read_bytes()
        except OSError:
            return Problem(shown, 1, 1, "content.refused", "không đọc được trang (thiếu quyền đọc)",
                           "cho phép đọc tệp (chmod a+r), hoặc xóa nó")
        try:
            decoded = text.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        except UnicodeDecodeError as error:
            line = text[:error.start].count(b"\n") + 1
            return Problem(shown, line, 1, "content.refused", "trang không được lưu bằng mã UTF-8",
                           "mở trang trong trình soạn thảo và lưu lại với mã hóa UTF-8")
        hidden = not_text(decoded) or _hidden_reference(decoded)
        if hidden:      # as in record text: it would reach the page's title, headings, links on other pages
            index, char = hidden
            line = decoded.count("\n", 0, index) + 1
            return Problem(shown, line, index - decoded.rfind("\n", 0, index), "content.refused",
                           f"trang có ký tự không in được hoặc vô hình {describe(char)}",
                           "xóa ký tự đó (thường do dán từ Word, PDF hay trang web) rồi lưu lại")
        return too_large(shown, text)
    return None


# Python-Markdown reads some inputs in time quadratic in their length: "[a](" repeated in one block
# of text (8 KB: 1 s), "<a " repeated anywhere in the page (its raw HTML pass: 16 KB 3 s, 32 KB 12 s,
# 150 KB minutes). A page is at most MAX_PAGE_BYTES, and each block it reads as one (lines without
# a blank line between them; a table row alone) at most MAX_BLOCK_BYTES, so that the worst page
# costs seconds (tests/test_bounded.py measures it). The editors' guide's longest page is 7 KB.
MAX_PAGE_BYTES = 32 * 1024
MAX_BLOCK_BYTES = 8 * 1024


def too_large(shown: str, text: bytes) -> Problem | None:
    """The page's size problem, if it is too large or holds too long a block."""
    if len(text) > MAX_PAGE_BYTES:
        return Problem(shown, 1, 1, "content.too-large", f"trang dài {len(text) // 1024} KB, quá giới hạn "
                       f"{MAX_PAGE_BYTES // 1024} KB của một trang viết tay", "chia thành nhiều trang nhỏ hơn")
    start, size = 1, 0
    for number, line in enumerate(text.split(b"\n"), 1):
        if not line.strip():
            start, size = number + 1, 0
        elif line.lstrip().startswith(b"|"):    # a table reads each row (each cell) by itself
            start, size = number, len(line)
        else:
            size += len(line) + 1
        if size > MAX_BLOCK_BYTES:
            return Problem(shown, start, 1, "content.too-large", f"đoạn văn bắt đầu ở dòng {start} dài quá "
                           f"{MAX_BLOCK_BYTES // 1024} KB mà không có dòng trống nào",
                           "thêm dòng trống giữa các đoạn; chia đoạn quá dài thành nhiều đoạn")
    return None


# What editors leave beside the file they edit (emacs, gedit, nano backups; vim's probe and swap
# files): never published, never an error.
_LEFTOVER = re.compile(r"(~|\.sw[a-p])$|^#.*#$|^4913$")


def editor_leftover(name: str) -> bool:
    return bool(_LEFTOVER.search(name))


def set_aside(files, config) -> dict:
    """The build's side of `same_address` for README.md beside index.md: MkDocs leaves such a README.md
    out of its files (with a warning), so the plugin would never ask about it. {File: Problem}."""
    from .engine import File

    docs = Path(os.path.abspath(config.docs_dir))
    listed = {file.src_uri for file in files}
    found = {}
    for uri in sorted(listed):
        readme = posixpath.join(posixpath.dirname(uri), "README.md")
        if posixpath.basename(uri) == "index.md" and readme not in listed and (docs / readme).is_file():
            file = File(readme, config.docs_dir, config.site_dir, config.use_directory_urls)
            problem = content_refusal(docs / readme, docs)
            if problem is not None:
                found[file] = problem
    return found


# A character reference, as Markdown passes it to the page (&#x202E; is U+202E there).
_REFERENCE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


def _hidden_reference(text: str) -> tuple[int, str] | None:
    """A character reference to what is not text (&#x202E;, &#8203;, &#x1b;): judged as the
    character it becomes, at the reference's place."""
    for match in _REFERENCE.finditer(text):
        reference = match.group()[1:-1]
        if reference.startswith("#"):       # as written, as a browser reads it (html.unescape drops controls)
            code = int(reference[2:], 16) if reference[1:2] in "xX" else int(reference[1:])
            character = chr(code) if code <= 0x10FFFF else "\ufffd"
        else:
            character = html.unescape(match.group())
        found = not_text(character)
        if found:
            return match.start(), found[1]
    return None


def _look_alike_letter(name: str) -> str | None:
    """The first character of a file or folder name that looks like a keyboard character without being
    one (Cyrillic а, dotless ı, full-width ｔ: what NFKC or UTS #39 would take for it). Vietnamese
    letters are letters with marks, and stay."""
    found = keyboard_look_alike(name)
    if found:
        return found[1]
    return next((c for c in name if unicodedata.normalize("NFKC", c) != unicodedata.normalize("NFC", c)), None)
