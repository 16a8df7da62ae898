"""Vietnamese search: find what cadres type, with or without diacritics.

Material's search (lunr) matches words exactly as written, so "sap nhap"
never finds "sáp nhập". Rather than replace the engine, we add fields to the
search index it already builds: the same title and text folded to plain
ASCII (ftitle, ftext), and a few keywords per page (keys) that readers type
but the page may not say: document numbers in their spoken forms, the other
side of an abbreviation, and the current name of a former province. A query
is matched against every field, so exact matches with diacritics still score
on the original fields while accent-free ones score on the folded ones.

The fields are declared in mkdocs.yml (search plugin, `fields`); this module
fills them in after the search plugin wrote search/search_index.json and
before the offline plugin turns it into search_index.js.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .link import Handbook
from .render import page_path
from .text import fold, used_abbreviations

FIELDS = ("ftitle", "ftext", "keys")
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def keywords(handbook: Handbook, page_locations: dict[str, str]) -> dict[str, list[str]]:
    """Extra words for every record page, by search location ("van-ban/x/")."""
    found: dict[str, list[str]] = {}
    for entry in handbook.entries.values():
        location = page_locations.get(page_path(entry))
        if location is None:
            continue
        record, words = entry.record, []
        number = getattr(record, "number", None)
        if number:
            words += number_forms(number)
        words += _place_names(handbook, record)
        if entry.kind.name == "province":
            words += [old.record.name for old in handbook.citing(entry.id, "province")]
        found[location] = words
    return found


def number_forms(number: str) -> list[str]:
    """How people type a document number: "38-HD/BTCTW" → 38hd, hd38, 38hdbtctw…"""
    parts = [p for p in re.split(r"[\s\-/.]+", fold(number)) if p]
    forms = ["".join(parts)]
    if len(parts) >= 2 and parts[0].isdigit():
        forms += [parts[0] + parts[1], parts[1] + parts[0]]
    return forms


def _place_names(handbook: Handbook, record) -> list[str]:
    """Where a record belongs, by the name then and the name now ("Long An", "Tây Ninh")."""
    names = []
    for field in ("province", "other_provinces"):
        value = getattr(record, field, None)
        for province_id in ([value] if isinstance(value, str) else value or []):
            province = handbook.entries[province_id].record
            names.append(province.name)
            if province.merged_into:
                names.append(handbook.entries[province.merged_into].record.name)
    return names


def enrich(index: dict, extra: dict[str, list[str]], glossary: dict[str, str]) -> dict:
    """Add folded fields and keywords to Material's search index, in place."""
    pairs = [(abbr, expansion, fold(expansion)) for abbr, expansion in glossary.items()]
    for doc in index["docs"]:
        title, text = _plain(doc.get("title", "")), _plain(doc.get("text", ""))
        folded_title, folded_text = fold(title), fold(text)
        # An abbreviation in a title is expanded there too, in both spellings, so
        # that "Mặt trận Tổ quốc" weighs on a title that says "MTTQ" as a title word.
        expanded = _abbreviation_words(title, folded_title, pairs, expansions_only=True)
        ftitle = " ".join(_unique([folded_title, *(w.lower() for w in expanded), *(fold(w) for w in expanded)]))
        if ftitle != title.lower():
            doc["ftitle"] = ftitle
        if folded_text != text.lower():        # nothing to add for text without diacritics
            doc["ftext"] = folded_text
        words = list(extra.get(doc["location"], []))
        if "#" not in doc["location"]:         # page-level entries only
            words += _abbreviation_words(f"{title} {text}", f"{folded_title} {folded_text}", pairs)
        if doc["location"] in extra:           # record pages, not listings
            doc.setdefault("boost", title_boost(title))
        if words:
            doc["keys"] = " ".join(_unique([w.lower() for w in words] + [fold(w) for w in words]))
    return index


def title_boost(title: str) -> float:
    """Favour pages whose title is little more than the query.

    Material's lunr index ignores field length (b = 0), so a long title that
    repeats the query's words outranks the short page named exactly that:
    "Hướng dẫn thực hiện mô hình “Chi bộ bốn tốt”, “Đảng bộ cơ sở bốn tốt”"
    came before "Chi bộ bốn tốt". A page boost that shrinks with the title's
    length restores the order a reader expects. Its shape was tuned on the
    query suite (tests/search/queries.yaml): a steeper one lets short-titled
    hub pages (a province, a topic) push specific practices down.
    """
    return round(min(1.5, max(0.5, (6 / max(1, len(title.split()))) ** 0.3)), 2)


def _abbreviation_words(text: str, folded: str, pairs: list[tuple[str, str, str]],
                        expansions_only: bool = False) -> list[str]:
    """The other side of every abbreviation pair that `text` uses one side of."""
    used = set(used_abbreviations(text, [abbr for abbr, _, _ in pairs]))
    words = []
    for abbr, expansion, folded_expansion in pairs:
        if abbr in used:
            words.append(expansion)
        if not expansions_only and folded_expansion in folded:
            words.append(abbr)
    return words


def _plain(markup: str) -> str:
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(w for w in words if w))
