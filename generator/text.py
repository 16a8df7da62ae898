"""Vietnamese text helpers shared by sorting and, later, search."""

from __future__ import annotations

import unicodedata


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
