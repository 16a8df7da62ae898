"""Vietnamese search: our own index, written at build time, read by our own worker.

Material's search box stays; what answers it is assets/search/worker.js, which
speaks Material's worker messages (SETUP → READY, QUERY → RESULT) and reads the
index this module writes. Why not lunr: it made every word a prefix ("thi"
found "Thừa Thiên"), knew no phrases, counted a directive's subject line as
body text and cost 3.2 KB per record in one file that offline search parses
whole. Here:

- Words are syllables folded to plain ASCII ("Đảng" → "dang"); numbers are cut
  from letters ("TW4" → "tw 4"), so "38hd", "38-HD" and "hd 38" meet.
- Each syllable and each pair of adjacent syllables (a Vietnamese word is
  usually two: "bí thư") has a posting list: the pages it occurs on and in
  which fields (title, subject line, keywords, body). Title and subject
  syllables are also kept with their diacritics, so exact spelling can win
  over a folded match.
- Postings are split into shards by the first three letters of the term, so
  a query loads only the shards of its own words; page titles and teasers are
  split into chunks of 100 pages, loaded only for the results shown.
- Every file is a script (`HB_SHARD(...)`), because from file:// a browser
  refuses fetch() but still runs <script> and importScripts().

The page text comes from the search plugin's search/search_index.json (MkDocs'
own format, which Material and ProperDocs write alike); what the pages are —
record, listing, guide — and each record's keywords and subject come from the
handbook. The engine-specific part is the worker protocol only.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .link import Handbook
from .render import page_path
from .schema import glossary_section
from .text import fold

ASSETS = Path(__file__).parent / "assets" / "search"
INDEX_DIR = "search/hb"                      # in the site
WORKER_DIR = "assets/javascripts/workers"     # beside Material's worker, so relative paths agree
CHUNK = 100                                   # pages per title/teaser chunk
TEASER = 180                                  # characters of text shown under a result's title

# Field bits, as the worker reads them (assets/search/worker.js, FIELD_WEIGHTS).
TITLE, SUBJECT, KEYS, BODY = 1, 2, 4, 8
# Page kinds: a record's own page, a page that lists records, a hand-written guide, and
# a hub: a record page that mostly lists other records (its body weighs less; Kind.hub).
RECORD, LISTING, GUIDE, HUB = 0, 1, 2, 3

_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\S*\d\S*/\S+")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_SEGMENT = re.compile(r"[.,;:!?()\[\]{}\"“”‘’«»…|–—/\\]+|\s-\s")


@dataclass
class PageInfo:
    """What the handbook knows about a page beyond its text."""

    kind: int = GUIDE
    subject: str = ""
    keys: list[str] = field(default_factory=list)
    teaser: str = ""        # what the record says it is about, shown under the result's title


def tokens(text: str) -> list[tuple[str, str]]:
    """(exact, folded) syllables: "Đảng bộ TW4" → (đảng, dang), (bộ, bo), (tw, tw), (4, 4)."""
    text = unicodedata.normalize("NFC", text.lower())
    return [(t, fold(t)) for t in _TOKEN.findall(text)]


def segments(text: str) -> list[list[tuple[str, str]]]:
    """Runs of syllables between punctuation: phrases never span a comma or a full stop."""
    return [found for part in _SEGMENT.split(text) if (found := tokens(part))]


def page_infos(handbook: Handbook, page_locations: dict[str, str]) -> dict[str, PageInfo]:
    """Kind, subject line and keywords of every generated page, by search location."""
    infos: dict[str, PageInfo] = {}
    glossary = handbook.glossary()
    for path, location in page_locations.items():
        if path.endswith("index.md") or path.startswith("bien-tap/"):
            infos[location] = PageInfo(LISTING if path.endswith("index.md") else GUIDE)
    for entry in handbook.entries.values():
        location = page_locations.get(page_path(entry))
        if location is None:
            continue
        record, kind = entry.record, entry.kind
        subject = " ".join(filter(None, (getattr(record, name) for name in kind.subject)))
        words = _place_names(handbook, entry)
        if kind.successor:      # a province is found by the names of the former provinces now part of it
            words += [getattr(old.record, kind.name_field) for old in handbook.citing(entry.id, kind.name)
                      if getattr(old.record, kind.successor) == entry.id]
        abbr = getattr(record, kind.abbr) if kind.abbr else None
        if abbr and abbr in glossary:
            words.append(glossary[abbr])
        about = " ".join(filter(None, (getattr(record, name) for name in kind.teaser)))
        infos[location] = PageInfo(HUB if kind.hub else RECORD, subject, words,
                                   _cut(_markdown_text(about), TEASER))
    return infos


def _place_names(handbook: Handbook, entry) -> list[str]:
    """Where a record belongs, by the name then and the name now ("Long An", "Tây Ninh")."""
    names = []
    for name in entry.kind.places:
        value = getattr(entry.record, name)
        for province_id in ([value] if isinstance(value, str) else value or []):
            province = handbook.entries[province_id]
            names.append(getattr(province.record, province.kind.name_field))
            successor = getattr(province.record, province.kind.successor) if province.kind.successor else None
            if successor:
                names.append(getattr(handbook.entries[successor].record, province.kind.name_field))
    return names


@dataclass
class _Page:
    location: str
    title: str
    teaser: str
    body: list[str]


def _markdown_text(text: str) -> str:
    """Markdown as a reader sees it, roughly: "[Đảng bộ](x.md) **mới**" → "Đảng bộ mới"."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return _SPACES.sub(" ", re.sub(r"[*_`#>|]+", " ", text)).strip()


def _pages(docs: list[dict]) -> list[_Page]:
    """Material's entries (a page and each of its sections) merged into one per page."""
    pages: dict[str, _Page] = {}
    for doc in docs:
        location = doc["location"].split("#", 1)[0]
        title, text = _plain(doc.get("title", "")), _plain(doc.get("text", ""))
        page = pages.get(location)
        if page is None:
            page = pages[location] = _Page(location, title, "", [])
        elif title:
            page.body.append(title)
        if text:
            page.body.append(text)
            if not page.teaser:
                page.teaser = _cut(text.removeprefix("Mục Nội dung "), TEASER)   # not a table's header
    return list(pages.values())


def build(docs: list[dict], infos: dict[str, PageInfo], glossary: dict[str, str]) -> dict[str, str]:
    """The index files, by path under the site: meta.js, postings shards, page chunks."""
    pages = _pages(docs)
    for page in pages:
        if page.location in infos and infos[page.location].teaser:
            page.teaser = infos[page.location].teaser
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    kinds = []
    abbreviations = [(abbr, fold(abbr), expansion) for abbr, expansion in glossary.items()]
    for number, page in enumerate(pages):
        # Hand-written pages: the home page lists, the others guide ("" online, "index.html" offline).
        home = not page.location.removesuffix("index.html").strip("/")
        info = infos.get(page.location, PageInfo(LISTING if home else GUIDE))
        keys = list(info.keys) + _abbreviation_words(page, abbreviations)
        # An abbreviation in a title stands for its expansion there too ("khối MTTQ").
        # Not inside a document number: "38-HD/BTCTW" names its issuer, not the subject.
        title_words = {f for _, f in tokens(_NUMBER.sub(" ", page.title))}
        titled = [expansion for _, folded, expansion in abbreviations if folded in title_words]
        fields = ((TITLE, [page.title, *titled]), (SUBJECT, [info.subject]), (KEYS, keys), (BODY, page.body))
        for bit, texts in fields:
            for text in texts:
                for run in segments(text):
                    previous = None
                    for exact, folded in run:
                        _post(postings, folded, number, bit)
                        if previous is not None:
                            _post(postings, f"{previous} {folded}", number, bit)
                        if bit in (TITLE, SUBJECT) and exact != folded:
                            _post(postings, "=" + exact, number, bit)
                        previous = folded
        kinds.append(info.kind * 40 + min(39, len(tokens(page.title))))

    shards: dict[str, dict[str, str]] = defaultdict(dict)
    for term in sorted(postings):
        shards[shard_key(term)][term] = _encode(postings[term])
    files = {f"{INDEX_DIR}/t-{key}.js": _script("HB_SHARD", key, terms) for key, terms in shards.items()}
    for start in range(0, len(pages), CHUNK):
        chunk = [[p.location, p.title, p.teaser] for p in pages[start:start + CHUNK]]
        files[f"{INDEX_DIR}/d-{start // CHUNK}.js"] = _script("HB_DOCS", start // CHUNK, chunk)
    meta = {
        "pages": len(pages),
        "chunk": CHUNK,
        "kinds": kinds,
        "shards": sorted(shards),
        # Abbreviations as written, lowercase ("tư", "tu"), with the folded syllables
        # of what they stand for: "TƯ" (Trung ương) and "TU" (Tỉnh ủy) fold alike.
        "abbr": {abbr.lower(): [f for _, f in tokens(expansion)] for abbr, _, expansion in abbreviations},
    }
    glossary_page = next((n for n, p in enumerate(pages) if infos.get(p.location) is not None
                          and p.location.startswith(f"{glossary_section()}/") and infos[p.location].kind == LISTING), -1)
    meta["glossary"] = pages[glossary_page].location if glossary_page >= 0 else ""
    meta["glossaryPage"] = glossary_page
    meta["version"] = hashlib.sha256(json.dumps([meta, sorted(files)], sort_keys=True).encode()).hexdigest()[:12]
    files[f"{INDEX_DIR}/meta.js"] = _script("HB_META", meta)
    return files


def shard_key(term: str) -> str:
    """The shard of a term: its first three characters, folded, as a safe file name."""
    head = term.removeprefix("=")
    head = fold(head.split(" ", 1)[0])[:3]
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in head) or "_"


def _abbreviation_words(page: _Page, abbreviations: list[tuple[str, str, str]]) -> list[str]:
    """The other side of every abbreviation the page uses one side of."""
    words = {folded for text in (page.title, *page.body) for _, folded in tokens(text)}
    text = " " + " ".join(f for text in (page.title, *page.body) for _, f in tokens(text)) + " "
    found = []
    for abbr, folded_abbr, expansion in abbreviations:
        if folded_abbr in words:
            found.append(expansion)
        if f" {' '.join(f for _, f in tokens(expansion))} " in text:
            found.append(abbr)
    return found


def _post(postings: dict[str, dict[int, int]], term: str, page: int, bit: int) -> None:
    postings[term][page] = postings[term].get(page, 0) | bit


def _encode(pages: dict[int, int]) -> str:
    """Pages as base-36 gaps, each followed by its field bits as a letter A–P: "0B3I…"."""
    out, last = [], 0
    for page in sorted(pages):
        out.append(_base36(page - last) + chr(65 + pages[page]))
        last = page
    return "".join(out)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _script(function: str, *arguments) -> str:
    return f"{function}({','.join(json.dumps(a, ensure_ascii=False, separators=(',', ':')) for a in arguments)});\n"


def _plain(markup: str) -> str:
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def stub_index(index: dict) -> dict:
    """What Material's page script still loads and hands to the worker: settings, no pages."""
    return {"config": index.get("config", {}), "docs": []}


def worker_source() -> str:
    return (ASSETS / "worker.js").read_text(encoding="utf-8")


def worker_name(source: str) -> str:
    """A name that changes with the worker, so no browser keeps an old copy."""
    return f"handbook-search.{hashlib.sha256(source.encode()).hexdigest()[:8]}.js"
