"""ZIM files: the handbook, or one course, for Kiwix on phones.

Learners read on phones with poor or no connection, and a phone cannot open a
folder of HTML from a zip. Kiwix (Android, iOS, desktop, `kiwix-serve`) reads
whole sites from one ZIM file. This module writes the offline bundle's own
pages (bundle.offline_site) into one with libzim:

- the metadata Kiwix shows in its library (title, description, language,
  creator, publisher, date of the data, a 48×48 icon drawn here, tags, name,
  flavour for a course) and the main page;
- the handbook's own search as in the bundle, plus the search_index.json stub
  the bundle leaves out (a reader served over HTTP asks for it);
- for Kiwix's own full-text index, each page's text folded as Kiwix 9 folds
  a query (tone marks gone, "đ" kept), with "đ" folded to "d" too (which
  readers type), and as written (libzim 8 readers fold nothing), with the
  other side of every abbreviation it uses; for its title
  suggestions, each title with a "đ" also under its folded spelling
  (a redirect to the page).

Same data, same bytes: one writer thread (Xapian numbers documents in the
order it receives them) and, after libzim has written the file, the random
identifiers it draws (the archive's UUID in the header, the UUIDs of the two
Xapian databases inside) replaced by ones derived from the content, and the
MD5 checksum at the end recomputed.
"""

from __future__ import annotations

import errno
import hashlib
import html
import os
import re
import shutil
import struct
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from math import cos, pi, sin
from pathlib import Path

from . import search
from .build import data_epoch
from .bundle import BundleError, notices, offline_site, plan_for
from .courses import CourseError, course_id, course_records
from .outputs import OutputError, check_file, move_into_place, partial_path
from .pipeline import Result
from .project import Project
from .text import fold, used_abbreviations

SCRAPER = "so-tay-xay-dung-dang handbook zim"     # openZIM's "Scraper"; what lets a later run replace the file
LANGUAGE = "vie"
PROJECT = "so-tay-xay-dung-dang"
ICON = 48
TITLE_MAX, DESCRIPTION_MAX, LONG_MAX = 30, 80, 4000     # openZIM's limits, which zimcheck checks
# Files the zip leaves out that a reader served over HTTP needs: Material's page script
# fetches the settings of search from here before it starts the handbook's worker.
SERVED_ONLY = ("search/search_index.json",)
MIMETYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
    ".txt": "text/plain", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon",
    ".pdf": "application/pdf", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
}
COMPRESSED = {".html", ".css", ".js", ".json", ".txt", ".svg"}
# The page's own title, as the theme writes it for Open Graph (<title> adds the site's name).
_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)">')
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_D = str.maketrans("đĐ", "dD")
FOLDED_TITLES = "_khong-dau/"      # redirects for titles with "đ", under their folded spelling


class ZimError(Exception):
    """A reason, in Vietnamese, why no ZIM was written."""


@dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    pages: int
    entries: int


@dataclass(frozen=True)
class Page:
    """One entry of the archive: a file of the built site (read when libzim asks), or the licences."""

    path: str
    mimetype: str
    source: Path | bytes
    title: str = ""
    index_text: str = ""        # for Kiwix's full-text index; HTML pages only

    def content(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else self.source.read_bytes()


def write_zim(project: Project, result: Result, out: Path | None = None, *, course: str | None = None,
              strict: bool = False, progress: Callable[[str], None] = lambda message: None) -> Summary:
    """Build the offline pages and write them as a ZIM at `out`; nothing is written if anything fails."""
    try:
        from libzim.writer import Creator  # noqa: F401  (an optional extra: say so before building)
    except ImportError:
        raise ZimError("chưa cài libzim: chạy `python3 requirements/install.py zim`") from None
    project = project.resolved()
    try:
        plan = plan_for(project, result, course)
    except (BundleError, CourseError) as error:
        raise ZimError(str(error)) from None
    out = checked_output(project.root, out or project.root / f"{plan.name}.zim")
    metadata = describe(project, result, course)
    glossary = result.handbook.glossary()
    with offline_site(project, result, plan, strict=strict, kiwix=True, progress=progress) as (site, files):
        files = sorted({*files, *(path for path in SERVED_ONLY if (site / path).is_file())})
        pages = [_page(site, path, glossary) for path in files]
        pages.append(Page("giay-phep.txt", "text/plain", notices().encode("utf-8"), "Giấy phép"))
        progress(f"Đang ghi {len(pages)} mục vào tệp ZIM …")
        write(pages, metadata, out)
    count = sum(p.mimetype == "text/html" for p in pages)
    return Summary(out, out.stat().st_size, count, len(pages))


def checked_output(root: Path, out: Path) -> Path:
    """The resolved output path, if a ZIM may be written there (see outputs.py)."""
    try:
        return check_file(root, out, ".zim", is_ours, "handbook zim")
    except OutputError as error:
        raise ZimError(str(error)) from None


def is_ours(path: Path) -> bool:
    """A ZIM this command wrote (its Scraper metadata says so)."""
    from libzim.reader import Archive
    try:
        return bytes(Archive(path).get_metadata("Scraper")).decode("utf-8", "replace") == SCRAPER
    except Exception:       # not a ZIM, a damaged one, or one without that metadata: not ours
        return False


# --- What Kiwix shows ------------------------------------------------------------------------

def describe(project: Project, result: Result, course: str | None) -> dict[str, str]:
    """The archive's metadata (openZIM's names), within the lengths zimcheck accepts."""
    site = project.settings
    name = str(site.get("site_name") or "Sổ tay")
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or data_epoch(project.root, project.data))
    metadata = {
        "Language": LANGUAGE,
        "Creator": str(site.get("site_author") or name),
        "Publisher": str(site.get("site_author") or name),
        "Date": datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d"),
        "Scraper": SCRAPER,
        "Source": str(site.get("site_url") or ""),
    }
    if course is None:
        about = str(site.get("site_description") or name)
        metadata |= {"Name": f"{PROJECT}_vi_all", "Title": _cut(name, TITLE_MAX),
                     "Description": _cut(about, DESCRIPTION_MAX), "Tags": "xay-dung-dang;so-tay;_category:other;_ftindex:yes"}
        if len(about) > DESCRIPTION_MAX:
            metadata["LongDescription"] = _cut(about, LONG_MAX)
    else:
        entry, _ = course_records(result.handbook, course_id(course))
        record = entry.record
        long = " ".join([f"Khóa học “{record.title}” của {name}.",
                         *([f"Đối tượng: {record.audience}."] if getattr(record, "audience", None) else [])])
        metadata |= {"Name": f"{PROJECT}_vi_khoa-hoc", "Flavour": entry.id,
                     "Title": _cut(record.title, TITLE_MAX), "Description": _cut(f"Khóa học: {record.title}", DESCRIPTION_MAX),
                     "LongDescription": _cut(long, LONG_MAX), "Tags": "xay-dung-dang;khoa-hoc;_category:other;_ftindex:yes"}
    return {key: value for key, value in metadata.items() if value}


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words with "…" if it must be."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:–- ") + "…"


def icon(size: int = ICON) -> bytes:
    """The Illustration: a gold star on the handbook's red, drawn here (same bytes every time)."""
    red, gold = (0xB7, 0x1C, 0x1C), (0xFF, 0xE0, 0x82)
    centre, outer, inner = (size - 1) / 2, size * 0.42, size * 0.42 * 0.382
    star = [(centre + (outer if k % 2 == 0 else inner) * sin(k * pi / 5),
             centre - (outer if k % 2 == 0 else inner) * cos(k * pi / 5)) for k in range(10)]
    rows = []
    for y in range(size):
        row = bytearray([0])        # PNG filter: none
        for x in range(size):
            row += bytes(gold if _inside(x, y, star) else red)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def _inside(x: float, y: float, polygon: list[tuple[float, float]]) -> bool:
    """Even-odd rule: does a ray from (x, y) cross the polygon's edges an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


# --- The entries -----------------------------------------------------------------------------

def _page(site: Path, path: str, glossary: dict[str, str]) -> Page:
    suffix = Path(path).suffix.lower()
    mimetype = MIMETYPES.get(suffix, "application/octet-stream")
    if suffix != ".html":
        return Page(path, mimetype, site / path)
    markup = (site / path).read_text(encoding="utf-8")
    found = _TITLE.search(markup)
    title = html.unescape(found.group(1)).strip() if found else path
    article = _ARTICLE.search(markup)
    return Page(path, mimetype, site / path, title, index_text(title, article.group(1) if article else "", glossary))


def index_text(title: str, article: str, glossary: dict[str, str]) -> str:
    """What Kiwix's full-text index reads for a page: its text and the expansions of the
    abbreviations it uses (and the abbreviations of the expansions), three times: as Kiwix 9
    folds a query ("Đảng viên" → "đang vien"), with "đ" as "d" too ("dang vien"), and as written
    in lower case ("đảng viên").

    libzim folds the text of the pages it reads itself, not the text given to it, so it is
    given here already folded. Readers on libzim 8 (Debian 12's kiwix-serve, older phone apps)
    do not fold the query either: "đảng viên" typed with its marks finds the text as written.
    """
    text = " ".join(html.unescape(f"{e['title']} {e['text']}") for e in search.entries(article, "", title))
    folded = _syllables(text)
    extra = [glossary[abbr] for abbr in used_abbreviations(text, glossary)]
    extra += [abbr for abbr, expansion in glossary.items() if _phrase(expansion) in folded]
    text = " ".join([text, *dict.fromkeys(extra)])
    return f"{kiwix_fold(text)}\n{fold(text)}\n{unicodedata.normalize('NFC', text).lower()}"


def plain_title(title: str) -> str:
    """A title as a reader types it without Vietnamese input: "Đảng viên" → "Dang vien"."""
    decomposed = unicodedata.normalize("NFD", title.translate(_D))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def kiwix_fold(text: str) -> str:
    """Text as libzim folds a query: lower case, without tone or vowel marks, "đ" kept."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _syllables(text: str) -> str:
    """" dang vien ": folded syllables between spaces, so that `in` finds whole words only."""
    return " " + " ".join(f for _, f in search.tokens(text)) + " "


@lru_cache(maxsize=4096)        # the same expansions, on every page
def _phrase(expansion: str) -> str:
    return _syllables(expansion)


# --- Writing ---------------------------------------------------------------------------------

def write(pages: list[Page], metadata: dict[str, str], out: Path) -> None:
    """Write the archive beside `out` and move it into place only once it is whole."""
    from libzim.writer import Creator, Hint, IndexData, Item, StringProvider

    class Index(IndexData):
        def __init__(self, page: Page) -> None:
            super().__init__()
            self.page = page

        def has_indexdata(self) -> bool:
            return True

        def get_title(self) -> str:
            return kiwix_fold(self.page.title)

        def get_content(self) -> str:
            return self.page.index_text

        def get_keywords(self) -> str:
            return ""

        def get_wordcount(self) -> int:
            return len(self.page.index_text.split())

        def get_geoposition(self):
            return None

    class Entry(Item):
        def __init__(self, page: Page) -> None:
            super().__init__()
            self.page = page

        def get_path(self) -> str:
            return self.page.path

        def get_title(self) -> str:
            return self.page.title

        def get_mimetype(self) -> str:
            return self.page.mimetype

        def get_contentprovider(self):
            return StringProvider(self.page.content())

        def get_hints(self):
            html_page = self.page.mimetype == "text/html"
            return {Hint.FRONT_ARTICLE: html_page, Hint.COMPRESS: Path(self.page.path).suffix in COMPRESSED}

        def get_indexdata(self):
            return Index(self.page) if self.page.index_text else None

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(out)
    try:
        with _quiet(), Creator(str(partial)).config_indexing(True, LANGUAGE).config_nbworkers(1).config_verbose(False) as creator:
            creator.set_mainpath("index.html")
            creator.add_illustration(ICON, icon())
            for key, value in sorted(metadata.items()):
                creator.add_metadata(key, value)
            titles = set()
            for page in pages:
                creator.add_item(Entry(page))
                titles.add(page.title)
            for page in pages:      # title suggestions: "dang vien" finds "Đảng viên"
                folded = plain_title(page.title)
                if page.mimetype == "text/html" and "đ" in page.title.lower() and folded not in titles:
                    titles.add(folded)
                    creator.add_redirection(FOLDED_TITLES + page.path, folded, page.path, {Hint.FRONT_ARTICLE: True})
        make_reproducible(partial)
        move_into_place(partial, out, is_ours, "handbook zim")
    except RuntimeError as error:       # libzim's: its message carries the system's reason
        raise _os_error(str(error), partial) from None
    except OutputError as error:
        raise ZimError(str(error)) from None
    finally:       # the partial file and libzim's working files named after it
        for leftover in [p for p in partial.parent.iterdir() if p.name.startswith(partial.name)]:
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)


# The system's reasons libzim passes on as text ("Asynchronous error: … No space left on device").
_REASONS = {os.strerror(code): code for code in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS,
                                                  errno.EFBIG, errno.EIO, errno.EPERM)}


def _os_error(message: str, path: Path) -> Exception:
    """libzim's error as the OSError it stands for (said in Vietnamese by the CLI), else a ZimError."""
    code = next((code for reason, code in _REASONS.items() if reason in message), None)
    if code is not None:
        return OSError(code, os.strerror(code), str(path.parent))
    return ZimError(f"libzim không ghi được tệp ({' '.join(message.split())[:300]})")


@contextmanager
def _quiet() -> Iterator[None]:
    """libzim prints its progress on the process's standard output whatever its verbosity, and
    that Xapian has no stemmer for Vietnamese on its error output; its errors are exceptions."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            os.dup2(null.fileno(), 2)
        yield
    finally:
        for fd, copy in zip((1, 2), saved):
            os.dup2(copy, fd)
            os.close(copy)


_XAPIAN = b"\x0f\rXapian Glass"    # a Glass database's version file: magic, 2 bytes of version, its UUID


def make_reproducible(path: Path) -> None:
    """Replace the random UUIDs libzim and Xapian draw by ones derived from the content, then
    write the checksum again (the MD5 of everything before it, in the last 16 bytes)."""
    data = bytearray(path.read_bytes())
    spots = [8] + [m.start() + len(_XAPIAN) + 2 for m in re.finditer(re.escape(_XAPIAN), data)]
    for spot in spots:
        data[spot:spot + 16] = bytes(16)
    digest = hashlib.sha256(bytes(data[:-16])).digest()
    for n, spot in enumerate(spots):
        data[spot:spot + 16] = hashlib.sha256(digest + bytes([n])).digest()[:16]
    data[-16:] = hashlib.md5(bytes(data[:-16])).digest()
    path.write_bytes(bytes(data))
