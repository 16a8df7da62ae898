"""The home page's generated parts: the ways in, what changed recently, the offline copy.

A cadre opens the handbook on a phone with a question: a document by its number, what a province
did, a model to copy. The home page (content/index.md) answers with a search box (the theme puts
it under the introduction), then these parts, each at its marker:

- `<!-- handbook:search -->`: the spot where theme/partials/content.html puts the search box;

- `<!-- handbook:ways-in -->`: văn bản by kind and by year (links into the Văn bản index's
  filters, `?loai=`, `?nam=`, the values index_views.directive_facets gives the cards), cách làm by
  province (the headings of the Cách làm index, read off its rendered page, so the links follow
  however that page groups), the models and courses by name, the provinces and the other indexes;
- `<!-- handbook:recent -->`: "Mới cập nhật", the records whose files changed last in git
  (recent.py), or without git the newest documents by their own dates;
- `<!-- handbook:downloads -->`: the whole handbook offline (download_links.whole_link) under its
  heading, when the files were built.

Their headings are marked `data-search-exclude`: lists of names would make the home page answer
searches for any province or title, ahead of the pages themselves. Everything comes from the data
and its history, so the same data and the same history give the same page.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from . import download_links, recent
from .link import Handbook
from .index_views import directive_facets
from .markup import link_path, link_text, plain
from .schema import KINDS
from .text import heading_slug, sort_key

SEARCH = "<!-- handbook:search -->"
WAYS_IN = "<!-- handbook:ways-in -->"
RECENT = "<!-- handbook:recent -->"
MARKERS = (SEARCH, WAYS_IN, RECENT, download_links.MARKER)
#: Where the theme puts the search box (theme/partials/content.html; a form is not content).
SEARCH_SPOT = '<div class="hb-search-spot"></div>\n'

#: How many records "Mới cập nhật" lists.
RECENT_COUNT = 8
#: A value of the Văn bản filters meaning "not stated" (assets/filters.js, NONE).
NOT_STATED = "-"


def fill(markdown: str, handbook: Handbook, pages: dict[str, str], changes: dict[str, recent.Change], files: dict,
         page: str) -> str:
    """`markdown` (a hand-written page) with the home page's markers replaced; any other page as it is.
    `changes`: each data file's last commit, read once per build (pipeline.Result.changes)."""
    if not any(marker in markdown for marker in MARKERS):
        return markdown
    up = "../" * page.count("/")
    markdown = markdown.replace(SEARCH, SEARCH_SPOT)
    if WAYS_IN in markdown:
        markdown = markdown.replace(WAYS_IN, ways_in(handbook, pages, up))
    if RECENT in markdown:
        markdown = markdown.replace(RECENT, recently_changed(handbook, changes, up))
    if download_links.MARKER in markdown:
        offline = download_links.whole_link(files, page)
        markdown = markdown.replace(download_links.MARKER, heading("doc-khong-can-mang", "Đọc không cần mạng") + offline
                                    if offline else "")
    return markdown


def heading(anchor: str, title: str, level: int = 2, css: str = "") -> str:
    """A heading the search leaves out (Markdown cannot mark one), with its own anchor."""
    attributes = f' class="{css}"' if css else ""
    return f'<h{level} id="{anchor}"{attributes} data-search-exclude>{html.escape(title)}</h{level}>\n\n'


def chips(anchor: str, title: str, links: list[tuple[str, str]]) -> str:
    """A heading over short links, which handbook.css lays out as rows of buttons (`hb-chips`)."""
    return heading(anchor, title, 3, "hb-chips") + "".join(f"- [{label}]({target})\n" for label, target in links) + "\n"


def ways_in(handbook: Handbook, pages: dict[str, str], up: str = "") -> str:
    """The main ways in, as lists of links into the index pages and their filters."""
    directive, practice, province = KINDS["directive"], KINDS["practice"], KINDS["province"]
    facets = [directive_facets(handbook, entry) for entry in handbook.of_kind(directive.name)]
    index = f"{up}{directive.section}/index.md"
    out = [heading("tra-cuu-nhanh", "Tra cứu nhanh")]
    if facets:
        kinds = _counted(f["loai"] for f in facets)
        by_kind = sorted(kinds.items(), key=lambda kv: (-kv[1], sort_key(kv[0])))
        out.append(chips("van-ban-theo-loai", "Văn bản theo loại",
                         [(f"{plain(value.capitalize())} ({n})", f"{index}?loai={quote(value)}") for value, n in by_kind]))
        years = _counted(f["nam"] or NOT_STATED for f in facets)
        dated = sorted((year for year in years if year != NOT_STATED), key=int, reverse=True)
        undated = [(f"Chưa rõ năm ({years[NOT_STATED]})", f"{index}?nam={NOT_STATED}")] if NOT_STATED in years else []
        out.append(chips("van-ban-theo-nam", "Văn bản theo năm ban hành",
                         [(f"{year} ({years[year]})", f"{index}?nam={year}") for year in dated] + undated))
    groups = _headings(pages.get(f"{practice.section}/index.md", ""))
    if groups:
        out.append(chips("cach-lam-theo-tinh", "Cách làm theo tỉnh, thành",
                         [(f"{plain(name)} ({n})", f"{up}{practice.section}/index.md#{heading_slug(name)}")
                          for name, n in groups]))
    for kind in (KINDS["model"], KINDS["course"]):
        entries = sorted(handbook.of_kind(kind.name), key=lambda e: sort_key(e.record.display_name()))
        if entries:
            out += [heading(kind.section, kind.nav_label, 3),
                    "".join(f"- [{plain(link_text(handbook, e))}]({up}{link_path(e)})\n" for e in entries) + "\n"]
    provinces = handbook.of_kind(province.name)
    if provinces:
        former = sum(1 for e in provinces if getattr(e.record, province.successor))
        out += [heading(province.section, province.title, 3),
                f"[{len(provinces) - former} tỉnh, thành hiện nay]({up}{province.section}/index.md)"
                + (f" và {former} tỉnh cũ" if former else "")
                + ": mỗi nơi với văn bản, cách làm của mình và của các tỉnh cũ nay thuộc về đó.\n\n"]
    others = [KINDS[name] for name in ("topic", "organ", "glossary", "source") if handbook.of_kind(name)]
    if others:
        out.append("Tra cứu thêm theo " + ", ".join(
            f"[{kind.title.lower()}]({up}{kind.section}/index.md)" for kind in others) + ".\n")
    return "".join(out)


def recently_changed(handbook: Handbook, changes: dict[str, recent.Change], up: str = "") -> str:
    """"Mới cập nhật": the records of the handbook's substance (kinds with pages that are not hubs)
    whose files changed last, newest first; without history, the newest documents by their dates."""
    entries = [e for e in handbook.entries.values() if e.kind.pages and not e.kind.hub]
    dated = recent.record_changes(entries, changes)
    if dated:
        latest = sorted((e for e in entries if e.id in dated), key=lambda e: (
            -dated[e.id].timestamp, e.kind.nav_order, sort_key(e.record.display_name())))[:RECENT_COUNT]
        lines = [f"- [{plain(link_text(handbook, e))}]({up}{link_path(e)})  \n"
                 f"  <small>{e.kind.nav_label} · cập nhật {dated[e.id].day:%d/%m/%Y}</small>\n" for e in latest]
        return heading("moi-cap-nhat", "Mới cập nhật") + "".join(lines) + "\n"
    directive = KINDS["directive"]
    issued = [e for e in handbook.of_kind(directive.name) if getattr(e.record, directive.date)]
    def newest(entry):
        day = getattr(entry.record, directive.date)
        return -day.year, -(day.month or 0), -(day.day or 0), sort_key(entry.record.display_name())

    latest = sorted(issued, key=newest)[:RECENT_COUNT]
    if not latest:
        return ""
    lines = []
    for entry in latest:
        name, issued = link_text(handbook, entry), getattr(entry.record, directive.date).vietnamese()
        when = "" if issued in name else f"  \n  <small>ban hành {issued}</small>"      # not twice
        lines.append(f"- [{plain(name)}]({up}{link_path(entry)}){when}\n")
    return heading("van-ban-moi", "Văn bản mới ban hành") + "".join(lines) + "\n"


def _counted(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
_ITEM = re.compile(r"^- ", re.MULTILINE)
_ESCAPE = re.compile(r"\\(.)")


def _headings(markdown: str) -> list[tuple[str, int]]:
    """An index page's second-level headings as text, each with the number of list items under it."""
    found = list(_HEADING.finditer(markdown))
    return [(html.unescape(_ESCAPE.sub(r"\1", match.group(1).strip())),
             len(_ITEM.findall(markdown, match.end(), found[n + 1].start() if n + 1 < len(found) else len(markdown))))
            for n, match in enumerate(found)]
