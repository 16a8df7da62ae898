"""Vietnamese text helpers shared by sorting and, later, search."""

from __future__ import annotations

import unicodedata

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


def heading_slug(value: str, separator: str = "-") -> str:
    """Anchor ids for headings that keep Vietnamese words readable ("Đảng bộ" → "dang-bo").

    Python-Markdown's default drops "đ" and every letter with a diacritic
    it cannot decompose; mkdocs.yml points the toc extension here.
    """
    return slugify(value, separator=separator)
