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

The page text is read off each page's sanitised HTML (`entries`), section by
section as Material's search plugin divides a page, in the entries' format of
MkDocs' search_index.json; the plugin then no longer parses every page for an
index nobody reads. What the pages are (record, listing, guide) and each
record's keywords and subject come from the handbook. The engine-specific part
is the worker protocol only.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
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
# Page kinds: a record's own page, a page that lists records, a hand-written guide, a hub: a
# record page that mostly lists other records (its body weighs less; Kind.hub), and the editors'
# guide, which readers meet only when nothing else answers (a query about editing).
RECORD, LISTING, GUIDE, HUB, EDITORS = 0, 1, 2, 3, 4
EDITORS_AREA = "bien-tap/"
BADGES = {EDITORS: "Hướng dẫn biên tập"}        # the pages whose badge comes from their kind

_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"\S*\d\S*/\S+")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_SEGMENT = re.compile(r"[.,;:!?()\[\]{}\"“”‘’«»…|–—/\\]+|\s-\s")
# A figure written with its thousands dot ("1.000", "2.500.000") is the same number typed without
# it: both sides of search read it as one ("1000"); worker.js joins queries the same way.
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?![\d]|\.\d)")
# Grouped by plain spaces ("42 883") a figure is ambiguous ("khóa 12 100 đảng viên"): the text keeps
# its syllables and the page also holds the joined figure as a word (`_spaced_figures`); worker.js
# reads a query both ways.
_SPACED = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d]|[.,]\d)")
# A document number or a date ("202/2025/QH15", "38-HD/BTCTW", "12/6/2025") is one run: its slashes
# do not end a phrase, so its parts are adjacent pairs, as the query typing it makes them.
_REFERENCE = re.compile(r"[^\s/]*\d[^\s/]*(?:/[^\s/]+)+|(?:[^\s/]+/)+[^\s/]*\d[^\s/]*")


def _joined_numbers(text: str) -> str:
    text = _THOUSANDS.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    return _REFERENCE.sub(lambda m: m.group().replace("/", " "), text) if "/" in text else text


def _spaced_figures(text: str) -> list[str]:
    return [m.group().replace(" ", "") for m in _SPACED.finditer(text)] if " " in text else []


#: Tone marks, as VNI numbers them: the one mark whose place old and new spellings disagree on.
_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}


@lru_cache(maxsize=1 << 16)
def spelling(exact: str) -> str:
    """A syllable as typed with its diacritics, wherever the tone mark sits: "thủy" and "thuỷ",
    "hòa" and "hoà" are one spelling ("thuy3", "hoa2"); "kiểm", "kiệm" and "kiêm" are three."""
    decomposed = unicodedata.normalize("NFD", exact)
    tone = next((_TONES[c] for c in decomposed if c in _TONES), "")
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)) + tone


@dataclass
class PageInfo:
    """What the handbook knows about a page beyond its text."""

    kind: int = GUIDE
    subject: str = ""
    keys: list[str] = field(default_factory=list)
    teaser: str = ""        # what the record says it is about, shown under the result's title
    badge: str = ""         # what kind of page it is, and its number, date or province ("Văn bản · 38-HD/BTCTW")
    place: str = ""         # on a province's own page, its name


def tokens(text: str) -> list[tuple[str, str]]:
    """(exact, folded) syllables: "Đảng bộ TW4" → (đảng, dang), (bộ, bo), (tw, tw), (4, 4)."""
    return list(zip(*_syllables(text)))


def _syllables(text: str) -> tuple[list[str], list[str]]:
    """`tokens` as two lists, exact and folded: the index reads millions of them."""
    exact = _TOKEN.findall(unicodedata.normalize("NFC", _joined_numbers(text).lower()))
    return exact, list(map(_fold_syllable, exact))


#: A handbook has a few thousand distinct syllables and millions of them in its text.
_fold_syllable = lru_cache(maxsize=1 << 17)(fold)


def segments(text: str) -> list[list[tuple[str, str]]]:
    """Runs of syllables between punctuation: phrases never span a comma or a full stop."""
    return [found for part in _SEGMENT.split(_joined_numbers(text)) if (found := tokens(part))]


_MARK = "\x00"
_MARKED = re.compile(r"[^\W\d_]+|\d+|\x00")


def _marked_syllables(text: str) -> tuple[list[str], list[str]]:
    """The syllables of `segments(text)`, exact and folded, with _MARK where a segment ends.

    One regex pass over the whole text: tokenising each segment on its own cost
    most of the index's time (millions of short calls). The mark is a starter
    without compositions and no cased letter, so lowering and NFC treat the
    parts between marks exactly as `segments` treats them one by one.
    """
    text = _joined_numbers(text)
    if _MARK in text:           # the text's own NUL would end a segment: the long way
        exact, folded = [], []
        for run in segments(text):
            exact += [e for e, _ in run] + [_MARK]
            folded += [f for _, f in run] + [_MARK]
        return exact, folded
    exact = _MARKED.findall(unicodedata.normalize("NFC", _SEGMENT.sub(_MARK, text).lower()))
    return exact, list(map(_fold_syllable, exact))


def page_infos(handbook: Handbook, page_locations: dict[str, str]) -> dict[str, PageInfo]:
    """Kind, subject line and keywords of every generated page, by search location."""
    infos: dict[str, PageInfo] = {}
    glossary = handbook.glossary()
    for path, location in page_locations.items():
        if path.startswith(EDITORS_AREA):
            infos[location] = PageInfo(EDITORS)
        elif path.endswith("index.md"):
            infos[location] = PageInfo(LISTING, badge="Danh mục")
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
        own = getattr(record, kind.name_field) if kind.successor else ""     # a province's page: its name
        abbr = getattr(record, kind.abbr) if kind.abbr else None
        if abbr and abbr in glossary:
            words.append(glossary[abbr])
        about = " ".join(filter(None, (getattr(record, name) for name in kind.teaser)))
        infos[location] = PageInfo(HUB if kind.hub else RECORD, subject, words,
                                   _cut(_markdown_text(about), TEASER), _badge(handbook, entry), own)
    return infos


def _badge(handbook: Handbook, entry) -> str:
    """What a search result says it is, so a văn bản, a cách làm and a chủ đề do not look alike:
    the kind, then what tells records of the kind apart (a number, a date, a province)."""
    record, kind = entry.record, entry.kind
    parts = [kind.label[:1].upper() + kind.label[1:]]
    # A bare number ("205") says what it is: "số 205".
    parts += [f"số {value}" if str(value).isdigit() else str(value)
              for name in kind.badge if (value := getattr(record, name))]
    if kind.date and (date := getattr(record, kind.date)):
        parts.append(date.vietnamese())
    places = [then + (f" (nay thuộc {now})" if now else "") for then, now in _places(handbook, entry)]
    if places:
        parts.append(", ".join(places[:2]) + (" …" if len(places) > 2 else ""))
    return " · ".join(parts)


def _place_names(handbook: Handbook, entry) -> list[str]:
    """Where a record belongs, by the name then and the name now ("Long An", "Tây Ninh")."""
    return [name for pair in _places(handbook, entry) for name in pair if name]


def _places(handbook: Handbook, entry) -> list[tuple[str, str | None]]:
    """Each province a record names (by its places roles): its name, and its successor's if merged."""
    found = []
    for name in entry.kind.places:
        value = getattr(entry.record, name)
        for province_id in ([value] if isinstance(value, str) else value or []):
            province = handbook.entries[province_id]
            successor = getattr(province.record, province.kind.successor) if province.kind.successor else None
            found.append((getattr(province.record, province.kind.name_field),
                          getattr(handbook.entries[successor].record, province.kind.name_field) if successor else None))
    return found


# Reading a page's text. The HTML is nh3's output (sanitize.clean_content): tags balanced,
# attribute values double-quoted, and "<" in text always escaped, so a "<" starts a tag.
_ATTRS = r'(?:\s(?:[^>"]|"[^"]*")*)?'
_ANY_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
#: The tags Material's search keeps in an entry's text (which `_plain` makes a space of); it drops the others.
_KEPT_TAG = re.compile(rf"</?(?:p|code|pre|li|ol|ul|sub|sup){_ATTRS}>")
_HEADING = re.compile(rf"<h([1-6])({_ATTRS})>(.*?)</h\1>", re.S)
_HAS_ID = re.compile(r'\sid="')
_ATTR_NAME = re.compile(r'\s([^\s=>"]+)(?:="[^"]*")?')
_PERMALINK = re.compile(rf'<a class="headerlink"{_ATTRS}>.*?</a>', re.S)
_EXCLUDED = re.compile(rf'<([a-z][a-z0-9]*)(?:\s(?:[^>"]|"[^"]*")*)?\sdata-search-exclude(?:="[^"]*")?{_ATTRS}>')
_VOID = {"br", "col", "hr", "img", "wbr"}
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


def entries(content: str, location: str, title: str) -> list[dict]:
    """A page's search entries, one per section, as MkDocs' search_index.json lists them.

    Sections begin at headings that have an id; text before the first one is the page's
    own section, titled with the page title unless the page opens with its h1. A heading
    marked data-search-exclude leaves its whole section out, any other element itself;
    a section title's permalink ("¶") is not text. Title and text keep their entities, like the plugin's.
    Any other marked element goes first, with the headings it holds (a record page's diagram).
    """
    first = _HEADING.match(content)
    opens_with_title = bool(first and first.group(1) == "1" and _HAS_ID.search(first.group(2)))
    page = bool(content)
    content = _without_excluded(content, keep=_HEADINGS)
    headings = [m for m in _HEADING.finditer(content) if _HAS_ID.search(m.group(2))]
    found = []
    if page and not opens_with_title:
        found.append((title, content[:headings[0].start() if headings else len(content)]))
    for n, heading in enumerate(headings):
        if "data-search-exclude" in _ATTR_NAME.findall(heading.group(2)):
            continue
        end = headings[n + 1].start() if n + 1 < len(headings) else len(content)
        found.append((_section_title(heading.group(3), title), content[heading.end():end]))
    return [{"location": location, "title": name, "text": _entry_text(text)} for name, text in found]


def _section_title(markup: str, page_title: str) -> str:
    """A heading's text; the page's title only if the heading holds no text at all (not even a space)."""
    markup = _without_excluded(_PERMALINK.sub("", markup))
    return _entry_text(markup) if _ANY_TAG.sub("", markup) else page_title


def _entry_text(markup: str) -> str:
    markup = _without_excluded(markup)
    return _SPACES.sub(" ", _ANY_TAG.sub("", _KEPT_TAG.sub(" ", markup))).strip()


def _without_excluded(markup: str, keep: frozenset[str] = frozenset()) -> str:
    """The markup without the elements marked data-search-exclude (and what they hold), but those named in `keep`."""
    kept, at = [], 0
    while (start := _EXCLUDED.search(markup, at)) is not None:
        name = start.group(1)
        if name in keep:
            kept.append(markup[at:start.end()])
            at = start.end()
            continue
        kept.append(markup[at:start.start()])
        at = start.end() if name in _VOID else _element_end(markup, start.start(), name)
    return "".join(kept) + markup[at:]


def _element_end(markup: str, start: int, name: str) -> int:
    depth = 0
    for tag in _same_tags(name).finditer(markup, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return len(markup)


@lru_cache(maxsize=64)
def _same_tags(name: str) -> re.Pattern:
    return re.compile(rf"<(/?){name}(?=[\s>]){_ATTRS}>")


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


def _page(location: str, docs: list[dict]) -> _Page:
    """One page's entries (the page and each of its sections, see `entries`) merged into one."""
    page = None
    for doc in docs:
        title, text = _plain(doc.get("title", "")), _plain(doc.get("text", ""))
        if page is None:
            page = _Page(location, title, "", [])
        elif title:
            page.body.append(title)
        if text:
            page.body.append(text)
            if not page.teaser:
                page.teaser = _cut(text, TEASER)
    return page


def _by_page(docs: list[dict]) -> dict[str, list[dict]]:
    """Entries grouped by page, pages in the order they first appear."""
    grouped: dict[str, list[dict]] = {}
    for doc in docs:
        grouped.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
    return grouped


def build(docs: list[dict], infos: dict[str, PageInfo], glossary: dict[str, str]) -> dict[str, str]:
    """The index files, by path under the site: meta.js, postings shards, page chunks."""
    return Index().update(docs, infos, glossary)


@dataclass
class _Share:
    """One page's part of the index and what it was made from (its entries and what the handbook says)."""

    docs: list[dict]
    info: PageInfo | None
    page: _Page
    kind: int


class Index:
    """The index files, kept up to date page by page between rebuilds (`handbook serve`).

    A page's postings are its own: term → the fields it occurs in there. After
    an edit only the pages whose entries or handbook facts changed are read
    again, only the terms whose fields changed on them are encoded again, and
    only the shards holding such terms are serialised again; `changed` names
    the files to write and `removed` those to delete. Pages added, removed or
    moved shift every later page's number: then every posting is made again.
    The files are always those a clean build writes (`build` is a fresh
    Index); tests/test_search.py checks it on random edits.
    """

    def __init__(self) -> None:
        self.shares: dict[str, _Share] = {}
        self.glossary: dict[str, str] | None = None
        self.encoded: dict[str, str] = {}                   # term → its postings, encoded
        self.shard_terms: dict[str, set[str]] = {}          # shard key → its terms
        self.shards: dict[str, str] = {}                    # shard key → its file
        self.files: dict[str, str] = {}
        self.changed: set[str] = set()
        self.removed: set[str] = set()

    def update(self, docs: list[dict], infos: dict[str, PageInfo], glossary: dict[str, str]) -> dict[str, str]:
        """Every index file for these pages, by path under the site."""
        abbreviations = _abbreviations(glossary)
        grouped = _by_page(docs)
        order = list(grouped)
        renumbered = order != list(self.shares) or glossary != self.glossary
        shares: dict[str, _Share] = {}
        edited: dict[int, tuple[_Share | None, _Share]] = {}
        for number, location in enumerate(order):
            old = self.shares.get(location)
            info = infos.get(location)
            if not renumbered and old is not None and old.info == info and old.docs == grouped[location]:
                shares[location] = old
                continue
            shares[location] = _share(location, grouped[location], info, abbreviations)
            edited[number] = (old, shares[location])
        if renumbered:
            dirty = self._post_all(shares, abbreviations)
        else:
            dirty = self._post_edits(edited, abbreviations)
        self.shares, self.glossary = shares, dict(glossary)
        for key in sorted(dirty):
            terms = self.shard_terms.get(key)
            if terms:
                self.shards[key] = _script("HB_SHARD", key, {term: self.encoded[term] for term in sorted(terms)})
            else:
                self.shard_terms.pop(key, None)
                self.shards.pop(key, None)
        files = self._files(infos, abbreviations)
        self.changed = {name for name, text in files.items() if self.files.get(name) != text}
        self.removed = self.files.keys() - files.keys()
        self.files = files
        return dict(files)

    def _post_all(self, shares: dict[str, _Share], abbreviations) -> set[str]:
        """Every page's postings, encoded; every shard is then written again."""
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        for number, share in enumerate(shares.values()):
            for term, bits in _terms(share, abbreviations).items():
                postings[term][number] = bits
        self.encoded = {term: _encode(pages) for term, pages in postings.items()}
        self.shard_terms = {}
        for term in self.encoded:
            self.shard_terms.setdefault(shard_key(term), set()).add(term)
        return set(self.shard_terms) | set(self.shards)

    def _post_edits(self, edited: dict[int, tuple[_Share, _Share]], abbreviations) -> set[str]:
        """The postings of edited pages changed in place; the shards whose terms changed."""
        dirty: set[str] = set()
        for number, (old, new) in edited.items():
            before, after = _terms(old, abbreviations), _terms(new, abbreviations)
            for term in before.keys() | after.keys():
                bits = after.get(term)
                if before.get(term) == bits:
                    continue
                pages = _decode(self.encoded.get(term, ""))
                if bits is None:
                    del pages[number]
                else:
                    pages[number] = bits
                key = shard_key(term)
                dirty.add(key)
                if pages:
                    self.encoded[term] = _encode(pages)
                    self.shard_terms.setdefault(key, set()).add(term)
                else:
                    del self.encoded[term]
                    self.shard_terms[key].discard(term)
        return dirty

    def _files(self, infos: dict[str, PageInfo], abbreviations) -> dict[str, str]:
        shares = list(self.shares.values())
        files = {f"{INDEX_DIR}/t-{key}.js": self.shards[key] for key in sorted(self.shards)}
        for start in range(0, len(shares), CHUNK):
            chunk = [[s.page.location, s.page.title, s.page.teaser,
                      s.info.badge if s.info and s.info.badge else BADGES.get(s.kind // 40, "")]
                     for s in shares[start:start + CHUNK]]
            files[f"{INDEX_DIR}/d-{start // CHUNK}.js"] = _script("HB_DOCS", start // CHUNK, chunk)
        meta = {
            "pages": len(shares),
            "chunk": CHUNK,
            "kinds": [s.kind for s in shares],
            "shards": sorted(self.shards),
            # Abbreviations as written, lowercase ("tư", "tu"), with the folded syllables
            # of what they stand for: "TƯ" (Trung ương) and "TU" (Tỉnh ủy) fold alike.
            "abbr": {a.abbr.lower(): a.syllables for a in abbreviations},
            # Province names, folded, with their pages: words naming one say where, not what (worker.js).
            "places": {" ".join(f for _, f in tokens(s.info.place)): n for n, s in enumerate(shares) if s.info and s.info.place},
        }
        glossary_page = next((n for n, s in enumerate(shares) if s.info is not None
                              and s.page.location.startswith(f"{glossary_section()}/") and s.info.kind == LISTING), -1)
        meta["glossary"] = shares[glossary_page].page.location if glossary_page >= 0 else ""
        meta["glossaryPage"] = glossary_page
        meta["version"] = hashlib.sha256(json.dumps([meta, sorted(files)], sort_keys=True).encode()).hexdigest()[:12]
        files[f"{INDEX_DIR}/meta.js"] = _script("HB_META", meta)
        return files


@dataclass
class _Abbreviation:
    abbr: str
    folded: str
    expansion: str
    syllables: list[str]        # the expansion's, folded
    phrase: str                 # " ban to chuc " : the expansion as it stands in folded text


def _abbreviations(glossary: dict[str, str]) -> list[_Abbreviation]:
    found = []
    for abbr, expansion in glossary.items():
        syllables = [f for _, f in tokens(expansion)]
        found.append(_Abbreviation(abbr, fold(abbr), expansion, syllables, f" {' '.join(syllables)} "))
    return found


def _share(location: str, docs: list[dict], info: PageInfo | None, abbreviations) -> _Share:
    page = _page(location, docs)
    if info is not None and info.teaser:
        page.teaser = info.teaser
    if info is None:        # hand-written: the home page lists, the others guide ("" online, "index.html" offline)
        place = location.removesuffix("index.html").strip("/")
        kind = LISTING if not place else EDITORS if location.startswith(EDITORS_AREA) else GUIDE
    else:
        kind = info.kind
    return _Share(docs, info, page, kind * 40 + min(39, len(tokens(page.title))))


_LETTERS = re.compile(r"[^\W\d_]+")


def _spellings(text: str) -> set[str]:
    """The "=" terms of a text: its syllables spelt with diacritics ("=kiêm3" for "kiểm"), so a query
    typed with them prefers the pages spelling its words so. A word in capitals ("TƯ", "ĐA") is an
    abbreviation, not the spelling of an ordinary word ("tư", "đa"), and gives none."""
    return set(map(_spelling_term, _LETTERS.findall(unicodedata.normalize("NFC", text))))


@lru_cache(maxsize=1 << 17)
def _spelling_term(written: str) -> str:
    exact = written.lower()
    if exact == _fold_syllable(exact) or (len(written) > 1 and written.isupper()):
        return ""
    return "=" + spelling(exact)


def _terms(share: _Share, abbreviations: list[_Abbreviation]) -> dict[str, int]:
    """One page's postings: each term it holds, with the fields it holds it in."""
    page, info = share.page, share.info or PageInfo()
    keys = list(info.keys) + _abbreviation_words(page, abbreviations)
    # An abbreviation in a title stands for its expansion there too ("khối MTTQ").
    # Not inside a document number: "38-HD/BTCTW" names its issuer, not the subject.
    title_words = {f for _, f in tokens(_NUMBER.sub(" ", page.title))}
    titled = [a.expansion for a in abbreviations if a.folded in title_words]
    fields = ((TITLE, [page.title, *titled]), (SUBJECT, [info.subject]), (KEYS, keys), (BODY, page.body))
    terms: dict[str, int] = {}
    for bit, texts in reversed(fields):        # the body first: most of the terms, set at once
        found: set[str] = set()
        for text in texts:
            folded = _marked_syllables(text)[1]
            found.update(folded)
            found.update(map(" ".join, zip(folded, folded[1:])))     # each pair of adjacent syllables
            found.update(_spaced_figures(text))
            found.update(_spellings(text))
        found.discard("")
        found = {term for term in found if _MARK not in term}       # nothing spans a segment's end
        if not terms:
            terms = dict.fromkeys(found, bit)
            continue
        for term in found:
            terms[term] = terms.get(term, 0) | bit
    return terms


def shard_key(term: str) -> str:
    """The shard of a term: its first three characters, folded, as a safe file name."""
    head = term[1:].rstrip("12345") if term.startswith("=") else term     # a spelling's tone: its word's shard
    head = _fold_syllable(head.split(" ", 1)[0])[:3]
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in head) or "_"


def _abbreviation_words(page: _Page, abbreviations: list[_Abbreviation]) -> list[str]:
    """The other side of every abbreviation the page uses one side of."""
    folded = [f for text in (page.title, *page.body) for f in _syllables(text)[1]]
    words = set(folded)
    text = " " + " ".join(folded) + " "
    found = []
    for abbreviation in abbreviations:
        if abbreviation.folded in words:
            found.append(abbreviation.expansion)
        # the phrase's syllables are all words of the page before it can stand in its text
        if all(s in words for s in abbreviation.syllables) and abbreviation.phrase in text:
            found.append(abbreviation.abbr)
    return found


def _encode(pages: dict[int, int]) -> str:
    """Pages as base-36 gaps, each followed by its field bits as a letter A–P: "0B3I…"."""
    out, last = [], 0
    for page in sorted(pages):
        gap = page - last
        out.append((_GAPS[gap] if gap < len(_GAPS) else _base36(gap)) + _BITS[pages[page]])
        last = page
    return "".join(out)


_POSTING = re.compile(r"([0-9a-z]+)([A-P])")


def _decode(text: str) -> dict[int, int]:
    pages, last = {}, 0
    for gap, bits in _POSTING.findall(text):
        last += int(gap, 36)
        pages[last] = ord(bits) - 65
    return pages


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


_GAPS = [_base36(n) for n in range(36 ** 3)]        # every gap below 46,656 pages, written once
_BITS = [chr(65 + bits) for bits in range(16)]


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
