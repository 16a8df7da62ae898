"""Vietnamese text helpers shared by sorting and, later, search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify


def fold(text: str) -> str:
    """Lowercase text without diacritics: "Đảng bộ" → "dang bo".

    Unicode decomposition strips the tone and vowel marks but keeps "đ",
    which Vietnamese readers type as "d".
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order a Vietnamese reader expects (Đ among D, not after Z)."""
    return fold(text), text


@lru_cache(maxsize=4096)     # the same headings recur on every record page
def heading_slug(value: str, separator: str = "-") -> str:
    """Anchor ids for headings that keep Vietnamese words readable ("Đảng bộ" → "dang-bo").

    Python-Markdown's default drops "đ" and every letter with a diacritic
    it cannot decompose; mkdocs.yml points the toc extension here.
    """
    # The backend named, not "auto": auto tries to import Unidecode on every call (a failed import
    # when it is absent: most of the cost), and would change the slugs wherever it is installed.
    return slugify(value, separator=separator, backend="text-unidecode")


_WORD = re.compile(r"\w+")


def used_abbreviations(text: str, abbreviations) -> list[str]:
    """The abbreviations that occur in `text` as whole words, in the given order.

    One pass collects the text's words; an abbreviation made of word
    characters only is used exactly when it is one of them. Searching for
    each abbreviation instead costs pages × abbreviations regex scans.
    """
    words = set(_WORD.findall(text))
    return [abbr for abbr in abbreviations
            if (abbr in words if _WORD.fullmatch(abbr) else re.search(rf"(?<!\w){re.escape(abbr)}(?!\w)", text))]
