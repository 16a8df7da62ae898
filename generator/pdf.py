"""Printed packs: one course, or the whole handbook, as one PDF for trainers.

In a provincial political school the handout is printed. A pack is a cover,
a table of contents with page numbers, the course's objectives, each reading
in the course's order with its questions for discussion, the sources cited
and the abbreviations used.

The readings are the pipeline's Markdown pages (render.py), turned into HTML
by the `markdown` package with the site's extensions, so record text stays
text exactly as on the site. A course's pages are rendered with the course's
view of the handbook (courses.restricted): lists of related records hold only
the pack's own. A link to a page in the pack becomes a link to its heading,
followed by its page number (CSS target-counter); a link to any other page
becomes plain text with no note: on paper, a name without "(tr. n)" is plainly
not in the pack.

WeasyPrint lays the HTML out on A4 with Noto Serif and Noto Sans (Debian's
fonts-noto-core, found through fontconfig) embedded. It may read only those
fonts and the images of content/: nothing is fetched from the network.
Same data, same bytes: the dates come from the data's last commit (or
SOURCE_DATE_EPOCH) and the PDF identifier from the document itself.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
import re
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree as etree

import jinja2
import markdown as markdown_lib
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .build import data_epoch
from .courses import NOT_IN_COURSE, CourseError, course_id, course_records, further_reading, restricted, unlink
from .link import Handbook
from .outputs import OutputError, check_file, move_into_place
from .pipeline import Result
from .project import Project
from .render import PRINT, TEMPLATES, page_path, render
from .schema import KINDS, glossary_section
from .text import heading_slug, used_abbreviations
from .records import Entry

WHOLE_NAME = "so-tay"
FONT_PACKAGE = "fonts-noto-core"
# (CSS family, weight, style) → the fontconfig pattern of the face that is embedded.
FONT_FACES = {
    ("Noto Serif", "normal", "normal"): "Noto Serif:style=Regular",
    ("Noto Serif", "bold", "normal"): "Noto Serif:style=Bold",
    ("Noto Serif", "normal", "italic"): "Noto Serif:style=Italic",
    ("Noto Serif", "bold", "italic"): "Noto Serif:style=Bold Italic",
    ("Noto Sans", "normal", "normal"): "Noto Sans:style=Regular",
    ("Noto Sans", "bold", "normal"): "Noto Sans:style=Bold",
}
# The site's Markdown extensions (mkdocs.yml), less the permalinks a page on paper cannot use and
# md_in_html (pages rendered for print mark nothing for search).
EXTENSIONS = ["abbr", "admonition", "tables", "toc"]
EXTENSION_CONFIGS = {"toc": {"slugify": heading_slug}}

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_WEB = ("http", "https", "mailto")


class PrintError(Exception):
    """A reason, in Vietnamese, why no PDF was written."""


@dataclass(frozen=True)
class Chapter:
    """One page of the handbook in the pack, under its own heading."""

    anchor: str
    title: str                    # plain text: the template escapes it
    label: str                    # what it is: "Văn bản", "Trang hướng dẫn"…
    body: str                     # HTML made from the page's Markdown
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    anchor: str
    title: str
    chapters: list[Chapter]
    numbered: bool = False        # readings are "Bài 1", "Bài 2"…


@dataclass
class Pack:
    title: str
    handbook: str                 # the handbook's name (site_name)
    date: str                     # of the data's last commit, dd/mm/yyyy
    iso_date: str
    parts: list[Part]
    abbreviations: list[tuple[str, str]]
    audience: str | None = None
    duration: str | None = None
    objectives: tuple[str, ...] = ()
    further: tuple[tuple[str, str], ...] = ()     # "Đọc thêm": (name, kind) of records outside the course


@dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    pages: int


# --- Where the PDF may go ------------------------------------------------------------------------

# Written into every pack's keywords: what lets a later run replace the file, and no other PDF.
PDF_MARKER = "so-tay-xay-dung-dang-handbook-print"


def _is_our_pdf(path: Path) -> bool:
    """The marker comment `print_pack` leaves at the end of the file."""
    with open(path, "rb") as handle:
        head = handle.read(5)
        handle.seek(max(0, path.stat().st_size - 200))
        return head == b"%PDF-" and PDF_MARKER.encode() in handle.read()


def checked_output(out: Path, root: Path) -> Path:
    """The resolved output path, if a PDF may be written there (see outputs.py)."""
    try:
        return check_file(root, out, ".pdf", _is_our_pdf, "handbook print")
    except OutputError as error:
        raise PrintError(str(error)) from None


# --- What goes in --------------------------------------------------------------------------------

@dataclass
class _Links:
    """How links are rewritten while one page is converted."""

    anchors: dict[str, str]       # docs path in the pack → anchor of its heading
    known: set[str]               # every page of the handbook, in the pack or not
    note: str                     # after a link to a page left out ("" for none)
    content_dir: Path
    page: str = ""                # the page being converted
    anchor: str = ""              # its anchor: prefixes the ids of its headings


def plan_course(result: Result, content_dir: Path, course: str, site: dict, epoch: int) -> Pack:
    try:
        entry, records = course_records(result.handbook, course_id(course))
    except CourseError as error:
        raise PrintError(str(error)) from None
    record = entry.record
    handbook = result.handbook      # a course's pages exist: validation checks them (course.page)

    readings = [(item, None if item.page else handbook.entries[item.target]) for item in record.items]
    read = {e.id for _, e in readings if e}
    cited = [s for _, e in readings if e for s in _sources_of(handbook, e)]
    sources = list({s.id: s for s in [*records, *cited] if s.id not in read}.values())
    pages = render(restricted(handbook, read | {s.id for s in sources}), PRINT)

    sheets = [_Sheet(f"bai-{number}", item.page, item.title, "Trang hướng dẫn",
                     _written_page(content_dir / item.page), tuple(item.questions)) if item.page else
              _Sheet.of(e, pages, f"bai-{number}", tuple(item.questions))
              for number, (item, e) in enumerate(readings, 1)]
    cited_sheets = [_Sheet.of(s, pages, f"nguon-{s.id}") for s in sources]
    anchors = {page_path(entry): "muc-tieu"}
    for sheet in reversed(sheets + cited_sheets):          # a record read twice: links lead to its first reading
        anchors[sheet.path] = sheet.anchor
    links = _Links(anchors, _known_pages(result, content_dir), NOT_IN_COURSE, content_dir)
    texts = [record.title, *record.objectives, *(q for item in record.items for q in item.questions)]
    abbreviations = _abbreviations(handbook, texts + [s.markdown for s in sheets + cited_sheets], links)

    parts = [Part("bai-doc", "Bài đọc", [s.chapter(links) for s in sheets], numbered=True)]
    if cited_sheets:
        parts.append(Part("nguon", "Nguồn tư liệu", [s.chapter(links) for s in cited_sheets]))
    further = further_reading(handbook, [e for _, e in readings if e], read | {s.id for s in sources})
    return Pack(record.title, site["site_name"], *_dates(epoch), parts, abbreviations,
                record.audience, record.duration, tuple(record.objectives),
                tuple((e.record.display_name(), e.kind.label) for e in further))


def plan_whole(result: Result, content_dir: Path, site: dict, epoch: int) -> Pack:
    handbook = result.handbook
    kinds = [kind for kind in KINDS.values() if kind.pages and handbook.of_kind(kind.name)]
    pages = render(handbook, PRINT)
    sheets = {kind.name: [_Sheet.of(e, pages, _anchor(e)) for e in handbook.of_kind(kind.name)]
              for kind in kinds}
    links = _Links({s.path: s.anchor for group in sheets.values() for s in group},
                   _known_pages(result, content_dir), "", content_dir)
    abbreviations = _abbreviations(handbook, [s.markdown for group in sheets.values() for s in group], links)
    parts = [Part(kind.section, kind.title, [s.chapter(links) for s in sheets[kind.name]]) for kind in kinds]
    return Pack(site["site_name"], site["site_name"], *_dates(epoch), parts, abbreviations)


@dataclass(frozen=True)
class _Sheet:
    """A page on its way into the pack: its Markdown, before links are known."""

    anchor: str
    path: str                     # docs path it was rendered for, or its content/ path
    title: str
    label: str
    markdown: str
    questions: tuple[str, ...] = ()

    @classmethod
    def of(cls, entry: Entry, pages: dict[str, str], anchor: str, questions: tuple[str, ...] = ()) -> _Sheet:
        path = page_path(entry)
        return cls(anchor, path, entry.record.display_name(), entry.kind.label.capitalize(), pages[path], questions)

    def chapter(self, links: _Links) -> Chapter:
        return Chapter(self.anchor, self.title, self.label, _page_html(self.markdown, self.path, self.anchor, links),
                       self.questions)


def _anchor(entry: Entry) -> str:
    return f"{entry.kind.section}-{entry.id}"


def _sources_of(handbook: Handbook, entry: Entry) -> list[Entry]:
    return [s for g in handbook.outgoing.get(entry.id, []) if g.field == entry.kind.sources for s in g.entries]


def _known_pages(result: Result, content_dir: Path) -> set[str]:
    return set(result.pages) | {p.relative_to(content_dir).as_posix() for p in content_dir.rglob("*.md")}


def _written_page(path: Path) -> str:
    """A hand-written page of content/, without its front matter."""
    return _FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)


def _abbreviations(handbook: Handbook, texts: list[str], links: _Links) -> list[tuple[str, str]]:
    """The glossary entries the pack uses; links to the glossary page lead to their list."""
    glossary = handbook.glossary()
    used = used_abbreviations("\n".join(texts), glossary)
    if used:
        links.anchors[f"{glossary_section()}/index.md"] = "viet-tat"
    return sorted(((abbr, " ".join(glossary[abbr].split())) for abbr in used), key=lambda pair: pair[0].casefold())


def _dates(epoch: int) -> tuple[str, str]:
    day = time.gmtime(epoch)
    return time.strftime("%d/%m/%Y", day), time.strftime("%Y-%m-%dT%H:%M:%SZ", day)


# --- Markdown → HTML -----------------------------------------------------------------------------

def _page_html(text: str, path: str, anchor: str, links: _Links) -> str:
    links.page, links.anchor = path, anchor
    converter = markdown_lib.Markdown(extensions=[*EXTENSIONS, _PackExtension(links)],
                                      extension_configs=EXTENSION_CONFIGS, output_format="html")
    return converter.convert(_FRONT_MATTER.sub("", text, count=1))


class _PackExtension(Extension):
    def __init__(self, links: _Links) -> None:
        super().__init__()
        self.links = links

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_PackTreeprocessor(md, self.links), "handbook_pack_links", 1)   # after toc


class _PackTreeprocessor(Treeprocessor):
    """Headings and links of one page, fitted into the pack."""

    def __init__(self, md, links: _Links) -> None:
        super().__init__(md)
        self.links = links

    def run(self, root: etree.Element) -> None:
        links = self.links
        title = next(iter(root.iter("h1")), None)
        if title is not None and title in list(root):     # the pack prints its own heading
            root.remove(title)
        for element in root.iter():
            if element.get("id"):
                element.set("id", f"{links.anchor}-{element.get('id')}")
        for element in list(root.iter("a")):
            self._link(element)
        for element in list(root.iter("img")):
            self._image(element)

    def _link(self, element: etree.Element) -> None:
        links = self.links
        parts = urlsplit(element.get("href") or "")
        if parts.scheme or parts.netloc:
            if parts.scheme.lower() in _WEB:
                element.set("class", "web")
            else:
                unlink(element, "")
            return
        if not parts.path:
            if parts.fragment:
                element.set("href", f"#{links.anchor}-{parts.fragment}")
            return
        target = posixpath.normpath(posixpath.join(posixpath.dirname(links.page), unquote(parts.path)))
        anchor = links.anchors.get(target)
        if anchor is None:
            unlink(element, links.note if target in links.known else "")
            return
        element.set("href", f"#{anchor}-{parts.fragment}" if parts.fragment else f"#{anchor}")
        element.set("class", "trong-tap")

    def _image(self, element: etree.Element) -> None:
        """Images of content/ are printed; any other (a web address) becomes its description."""
        links = self.links
        parts = urlsplit(element.get("src") or "")
        if not (parts.scheme or parts.netloc or parts.path.startswith("/")):
            path = (links.content_dir / posixpath.dirname(links.page) / unquote(parts.path)).resolve()
            if path.is_file() and path.is_relative_to(links.content_dir.resolve()):
                element.set("src", path.as_uri())
                return
        element.tag = "span"
        alt = element.get("alt") or ""
        element.attrib.clear()
        element.set("class", "anh-ngoai")
        element.text = f"[Ảnh: {alt}]" if alt else "[Ảnh]"


# --- Fonts ---------------------------------------------------------------------------------------

@functools.cache
def find_fonts() -> dict[tuple[str, str, str], Path]:
    """The font files to embed, from fontconfig; a Vietnamese message naming the package if missing."""
    found, missing = {}, []
    for face, pattern in FONT_FACES.items():
        files = []
        if shutil.which("fc-list"):
            out = subprocess.run(["fc-list", pattern, "file"], capture_output=True, text=True, timeout=30)
            files = sorted(line.strip().rstrip(":") for line in out.stdout.splitlines() if line.strip())
        if files:
            found[face] = Path(files[0])
        else:
            missing.append(pattern)
    if missing:
        raise PrintError(f"thiếu phông chữ {', '.join(missing)} (đủ dấu tiếng Việt) để in; cài gói "
                         f"{FONT_PACKAGE} của Debian/Ubuntu: apt-get install {FONT_PACKAGE}")
    return found


# --- Layout --------------------------------------------------------------------------------------

def pack_html(pack: Pack, fonts: dict[tuple[str, str, str], Path]) -> str:
    """The whole pack as one HTML document, in NFC."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "print"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    css = (TEMPLATES / "print" / "pack.css").read_text(encoding="utf-8")
    faces = [(family, weight, style, path.as_uri()) for (family, weight, style), path in sorted(fonts.items())]
    text = env.get_template("pack.html.j2").render(pack=pack, css=css, faces=faces, pdf_marker=PDF_MARKER)
    return unicodedata.normalize("NFC", text)


def _local_fetcher(allowed: list[Path]):
    """WeasyPrint's fetcher, limited to the font files and the images of content/."""
    from weasyprint import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not any(path == a or path.is_relative_to(a) for a in allowed):
                raise ValueError(f"không tải {url}: bản in chỉ dùng phông chữ và ảnh có sẵn trên máy")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file",))


def write_pdf(html: str, out: Path, allowed: list[Path]) -> int:
    """Lay out `html` and write it at `out` only once it is whole; the number of pages."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise PrintError("chưa cài WeasyPrint để in; cài bằng: python3 requirements/install.py print "
                         f"(cần thư viện Pango của hệ thống) — {error}") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)    # its warnings are in English, for us
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=allowed[-1].as_uri() + "/",
                               url_fetcher=_local_fetcher(allowed)).render()
    # A comment after the end: readers ignore it, and it lets a later run replace this file.
    data = document.write_pdf(pdf_identifier=True) + b"%" + PDF_MARKER.encode() + b"\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        partial.write_bytes(data)
        move_into_place(partial, out, _is_our_pdf, "handbook print")
    except OutputError as error:
        partial.unlink(missing_ok=True)
        raise PrintError(str(error)) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return len(document.pages)


# --- The command ---------------------------------------------------------------------------------

def print_pack(project: Project, result: Result, out: Path | None = None, *, course: str | None = None,
               progress: Callable[[str], None] = lambda message: None) -> Summary:
    """Write the PDF of a course (or of the whole handbook) to `out`; nothing if anything fails."""
    project = project.resolved()
    site = {"site_name": "Sổ tay", **project.settings}
    content_dir = project.content
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or data_epoch(project.root, project.data))
    name = WHOLE_NAME if course is None else f"khoa-hoc-{course_id(course)}"
    out = checked_output(out or project.root / f"{name}.pdf", project.root)
    fonts = find_fonts()
    if course is None:
        pack = plan_whole(result, content_dir, site, epoch)
    else:
        pack = plan_course(result, content_dir, course, site, epoch)
    progress(f"Đang dàn trang bản in “{pack.title}” ({sum(len(p.chapters) for p in pack.parts)} mục) …")
    html = pack_html(pack, fonts)
    allowed = sorted({p.resolve() for p in fonts.values()}) + [content_dir]
    pages = write_pdf(html, out, allowed)
    return Summary(out, out.stat().st_size, pages)
