"""The last boundary between what editors write and what readers' browsers run.

Record text is escaped where it enters Markdown (render.py). Whatever the
Markdown engine then makes of a page, its HTML passes through here: an
allow-list sanitiser (nh3, the Rust `ammonia`) keeps only the elements and
attributes a handbook page uses, only web, mail and same-site links, and only
same-site images, every address read as browsers read it (WHATWG URL). Then
every finished page carries a Content-Security-Policy that allows the theme's
own scripts (files of the site, and its two inline scripts by hash) and nothing
else: a payload that got past both would still neither run nor call another host.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import posixpath
import re
import stat
from pathlib import Path

import ada_url
import nh3

from .characters import NOT_PRINTABLE, describe, not_text, path_key
from .problems import Problem
from .schema import RESERVED_SECTIONS

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
# The handbook's own data attributes, and no others: the theme wires some of its own to every
# element that carries them (`data-clipboard-text` puts its value on the reader's clipboard on a
# click, `data-md-component` makes an element one of the theme's components).
DATA_ATTRIBUTES = {
    "*": {"data-search-exclude"},       # Material's search leaves the element out of the index
    # the directive index's facets, which assets/filters.js reads (index_views.directive_facets)
    "span": {"data-loai", "data-cap", "data-nam", "data-dia-phuong", "data-chu-de", "data-hieu-luc"},
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex", *DATA_ATTRIBUTES["*"]},
    "span": DATA_ATTRIBUTES["span"],
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_MARKUP = re.compile(r"[<>&\"]")


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "title":                 # Material's tooltips write titles with innerHTML
        return _MARKUP.sub(" ", value)
    if name == "id":                    # the theme's own elements are "__config", "__search"…
        return None if value.startswith("_") else value
    if name == "class":                 # …and its look is "md-…": content cannot borrow either
        kept = " ".join(c for c in value.split() if not c.startswith("md-"))
        return kept or None
    if name == "src" and not same_site(value):
        return None                     # pictures come from the site itself, never another host
    if name == "href" and not (same_site(value) or web_link(value)):
        return None
    return value


# Where a page could be read from: the site, and an offline bundle unzipped on a disk.
_BASES = (("https://handbook.invalid/muc/trang/", "https:", "handbook.invalid"),
          ("file:///so-tay/muc/trang/index.html", "file:", ""))
# A relative path that every step of the URL standard leaves on the same host: no scheme (no ":"),
# no backslash (a slash to browsers), nothing the parser strips or reads as a separator (C0
# controls, space, tab, newline), and no second slash at the start (another host).
_PLAIN_PATH = re.compile(r"(?![/\\]{2})[^\\:\x00-\x20\x7f]*")


def same_site(url: str) -> bool:
    """Whether `url` leads to the site itself as browsers read it (WHATWG URL, by ada), online
    and from an offline bundle: `/\\evil.example/a.png` and `\\\\evil.example\\b.png` lead elsewhere
    (from `file://`, to a network share that asks for the reader's login)."""
    if _PLAIN_PATH.fullmatch(url):
        return True
    for base, scheme, host in _BASES:
        try:
            parsed = ada_url.URL(url, base)
        except ValueError:
            return False
        if parsed.protocol != scheme or parsed.host != host:
            return False
    return True


def web_link(url: str) -> bool:
    """Whether `url` is a whole address of the web or a mail address, as browsers read it."""
    try:
        return ada_url.URL(url).protocol in ("http:", "https:", "mailto:")
    except ValueError:
        return False


_OPTIONS = dict(tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
                generic_attribute_prefixes={"aria-"}, filter_style_properties={"text-align"})


def clean_content(html: str) -> str:
    """A page's content HTML with nothing that can run or fetch from elsewhere."""
    return nh3.clean(html, attribute_filter=_attribute, **_OPTIONS)


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
_HEAD = re.compile(r"<head[^>]*>(\s*<meta charset=[^>]*>)?", re.I)
# The theme's own inline scripts, as they stand in Material's base template; the only part that
# changes from page to page is the relative address of the site's root. Any other inline script
# on a page (whatever put it there) gets no hash, so the browser refuses to run it.
_THEME_SCRIPTS = (
    re.compile(r'__md_scope=new URL\("(?:\.|\.\.(?:/\.\.)*|/[^"<>]*)",location\),__md_hash=e=>\[\.\.\.e\]\.reduce'
               r'\(\(\(e,_\)=>\(e<<5\)-e\+_\.charCodeAt\(0\)\),0\),__md_get=\(e,_=localStorage,t=__md_scope\)'
               r'=>JSON\.parse\(_\.getItem\(t\.pathname\+"\."\+e\)\),__md_set=\(e,_,t=localStorage,a=__md_scope\)'
               r'=>\{try\{t\.setItem\(a\.pathname\+"\."\+e,JSON\.stringify\(_\)\)\}catch\(e\)\{\}\}'),
    re.compile(r'var target=document\.getElementById\(location\.hash\.slice\(1\)\);target&&target\.name&&'
               r'\(target\.checked=target\.name\.startsWith\("__tabbed_"\)\)'),
)


# Debian 12's kiwix-serve puts jQuery 1.x on every page it serves (its toolbar), whose feature test
# sets the inline handlers onsubmit/onchange/onfocusin="t" on a detached element: a handler that
# names a variable and calls nothing. The ZIM's pages allow exactly that handler, no other.
KIWIX_HANDLERS = ("t",)


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(page: str, kiwix: bool = False) -> str:
    """The policy for one finished page: the theme's inline scripts by hash, files of the site
    (and, for Kiwix readers, jQuery's harmless test handler)."""
    hashes = sorted({_sha256(code) for code in _INLINE_SCRIPT.findall(page)
                     if any(script.fullmatch(code.strip()) for script in _THEME_SCRIPTS)})
    if kiwix:
        hashes += ["'unsafe-hashes'", *map(_sha256, KIWIX_HANDLERS)]
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *hashes]),
        "style-src 'self' 'unsafe-inline'",         # style attributes cannot run script
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


def safe_title(title: str | None) -> str | None:
    """A page title the theme can print anywhere.

    Material prints titles raw in the navigation and through `striptags`,
    which decodes entities, in <title>: so no form of "<" or ">" may remain.
    """
    if title is None:
        return None
    text = html.unescape(re.sub(r"<[^>]*>", "", str(title)))
    return html.escape(text.replace("<", "‹").replace(">", "›"), quote=False)


def with_csp(page: str, kiwix: bool = False) -> str:
    """The page with its policy at the top of <head> (after the charset), before any script."""
    match = _HEAD.search(page)
    if match is None:
        return page
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page, kiwix)}">'
    return page[:match.end()] + meta + page[match.end():]


def safe_meta(meta: dict) -> dict:
    """The front matter a page keeps: the keys the templates read, as text they can print raw.

    Material prints `title` and `description` without escaping, and other keys pick the
    page's template or hide its parts; a hand-written page gets no more than a record page.
    """
    kept = {}
    if meta.get("title") is not None:
        kept["title"] = safe_title(meta["title"])
    if meta.get("description") is not None:
        kept["description"] = html.escape(html.unescape(re.sub(r"<[^>]*>", "", str(meta["description"]))))
    if meta.get("filters") is True:
        kept["filters"] = True
    return kept


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
        hidden = not_text(decoded)
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
