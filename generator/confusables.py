"""Look-alike characters, as Unicode's UTS #39 defines them: two strings are confusable when
their skeletons are equal.

The skeleton of a text is its NFD with every character replaced by the prototype
`confusables.txt` gives it ("ı" → "i", "ɑ" → "a", "∕" → "/", "‐" → "-", "Ð" → "D̵"), then NFD
again. The table is Unicode's own file, vendored in `assets/unicode/` (licence in
`assets/licenses/unicode.txt`): no maintained pure-Python library computes skeletons (PyICU
needs ICU compiled on every editor's machine, Windows included).

Vietnamese letters are never confused with one another: in NFD they are a base letter and
combining marks (ơ = o + U+031B horn, ế = e + U+0302 + U+0301), and the file maps none of the
marks Vietnamese uses; "đ" and "Đ" have "d̵" and "D̵" as skeletons, as the Icelandic "Ð" has.
A test checks every pair of Vietnamese letters. Two keyboard characters are not look-alikes after
case folding (capital I and l): both are typed as seen, and "Iu" and "lu" are two words.

Two uses: record names are compared by skeleton (`keys`), so two records whose names differ only
by a look-alike letter are one name; and in numbers and terms, which readers type to search and
which records quote, a character that only imitates one of the keyboard's (`keyboard_look_alike`)
is refused where it is written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .characters import name_key, tones_last

TABLE = Path(__file__).parent / "assets" / "unicode" / "confusables.txt"


@cache
def _prototypes() -> dict[int, str]:
    """confusables.txt as a str.translate table: code point → its prototype."""
    table = {}
    with open(TABLE, encoding="utf-8") as handle:
        for line in handle:
            source, _, rest = line.partition("#")[0].partition(";")
            target = rest.partition(";")[0].split()
            if source.strip() and target:
                table[int(source, 16)] = "".join(chr(int(code, 16)) for code in target)
    return table


def skeleton(text: str) -> str:
    """UTS #39's skeleton: NFD, each character replaced by its prototype, NFD again."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).translate(_prototypes()))


def keys(name: str) -> tuple[str, str]:
    """What two names are compared by: equal in either means readers cannot tell them apart.

    First NFKC (full-width and mathematical letters) and case folding, then the skeleton ("HỘI" is
    "hội", though the file maps capital I to l); second the skeleton of what is not on the keyboard,
    then NFKC, case folding and the skeleton (the capital Icelandic "Ð" looks like "Đ", though their
    small letters "ð" and "đ" differ; "ẚ" looks like "ả", though NFKC makes it "aʾ"). Spaces of every
    kind collapsed, in NFC. Each character is mapped once per run, and only the few that are not
    their own key are looked at (a name is mostly letters that are)."""
    folded = name_key(name)
    shortcut = _shortcut()
    found = shortcut.mapped.findall(folded)
    first = folded
    for char in set(found) if len(found) > 1 else found:
        first = first.replace(char, (_mapped.get(char) or _learn(char))[0])
    if found and not unicodedata.is_normalized("NFC", first):     # (spaces come only from Arabic ligatures)
        first = unicodedata.normalize("NFC", first)
    if not shortcut.cased.search(name):
        return first, first
    second = name
    for char in set(second):
        second = second.replace(char, (_mapped.get(char) or _learn(char))[1])
    return first, tones_last(second)


_mapped: dict[str, tuple[str, str]] = {}        # character → its part of either key, as met
# Where a name's characters come from, almost always (a test checks the shortcut against the table).
_USUAL = "\\x20-\\x7e\\xa0-\\u024f\\u0300-\\u036f\\u1e00-\\u1eff\\u2010-\\u205e"


class _Shortcut(NamedTuple):
    mapped: re.Pattern      # a case-folded character that may not be its own key
    cased: re.Pattern       # a character whose two keys differ, or that may


@cache
def _shortcut() -> _Shortcut:
    """Which usual characters are their own key, after case folding (not the keyboard's look-alikes
    "m" of "rn", "0" of "O", "1" of "l", nor "đ" of "d̵"); and which have two keys ("Ð", "ẚ"):
    anything else is looked at."""
    usual = re.compile(f"[{_USUAL}]")
    chars = [chr(code) for code in range(0x2060) if usual.match(chr(code))]
    own = [c for c in chars if c.casefold() == c and _learn(c)[0] == c]
    cased = [c for c in chars if _learn(c)[0] != _learn(c)[1]]
    return _Shortcut(re.compile(f"[^{_spans(own)}]"), re.compile(f"[^{_USUAL}]|[{_spans(cased)}]"))


def _spans(chars: list[str]) -> str:
    """A regular expression class body for `chars`, in order, as ranges."""
    codes = [ord(c) for c in chars]
    spans, start = [], codes[0]
    for before, code in zip(codes, codes[1:] + [-1]):
        if code != before + 1:
            spans.append(f"\\u{start:04x}" if start == before else f"\\u{start:04x}-\\u{before:04x}")
            start = code
    return "".join(spans)


def _learn(char: str) -> tuple[str, str]:
    mapped = _mapped[char] = (
        unicodedata.normalize("NFC", skeleton(unicodedata.normalize("NFKC", char).casefold())),
        unicodedata.normalize("NFC", skeleton(unicodedata.normalize("NFKC", _foreign_skeleton(char)).casefold())))
    return mapped


def _foreign_skeleton(text: str) -> str:
    """The skeleton of the characters that are not ASCII, the others kept (capital I stays I)."""
    nfd = unicodedata.normalize("NFD", text)
    return nfd if nfd.isascii() else "".join(c if c.isascii() else skeleton(c) for c in nfd)


# The marks Vietnamese letters carry (NFD): grave, acute, circumflex, tilde, breve, hook above, horn, dot below.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323")


def is_usual(char: str) -> bool:
    """Whether a character is one the keyboard or a Vietnamese keyboard layout types (not the look-alike
    of a pair)."""
    if char.isascii() or char in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", char)
    return base.isascii() and base.isalpha() and bool(marks) and _VIETNAMESE_MARKS.issuperset(marks)


def difference(name: str, other: str) -> tuple[int, str, str] | None:
    """Where two confusable names part, as (index in `name`, its character, the other's character)
    at the first character where they differ (after NFC and case folding), if `name` holds the
    look-alike there (or neither does); None if the look-alike is the other's."""
    mine, theirs = unicodedata.normalize("NFC", name), unicodedata.normalize("NFC", other)
    index = 0
    while index < min(len(mine), len(theirs)) and mine[index].casefold() == theirs[index].casefold():
        index += 1
    char = mine[index] if index < len(mine) else ""
    their = theirs[index] if index < len(theirs) else ""
    if char and (not is_usual(char) or not their or is_usual(their)):
        return index, char, their
    return None


def keyboard_look_alike(text: str) -> tuple[int, str, str] | None:
    """The first character that is not on the keyboard but is a look-alike of characters that are
    ("∕" for "/", "‐" for "-", "ı" for "i", "Ⅺ" for "XI"): its prototype in the table is printable
    ASCII. As (index, character, what it looks like)."""
    if text.isascii():
        return None
    table = _keyboard_look_alikes()
    return next(((index, char, table[char]) for index, char in enumerate(text) if char in table), None)


@cache
def _keyboard_look_alikes() -> dict[str, str]:
    """Look-alikes of printable ASCII, by the table alone (the editors' schemas say the same): not the
    characters with a canonical decomposition (letters made of a keyboard letter and marks, whose
    look is their marks': "ơ" is o and a horn, never "o'"; the Kelvin sign, which NFC makes a K),
    nor the spaces of other widths (a space is a space), nor marks (which NFC may join to a letter)."""
    found = {}
    for code, looks in _prototypes().items():
        char, parts = chr(code), unicodedata.decomposition(chr(code)).split()
        if code > 0x7F and looks.isascii() and looks.isprintable() and not char.isspace() and \
                not unicodedata.combining(char) and not (parts and not parts[0].startswith("<")):
            found[char] = looks
    # And what NFKC makes a keyboard character, which the table leaves out (the full-width digits
    # and slash: "９３-CT／TW"); searched as written, they would never match "93-CT/TW".
    for code in range(0x80, 0x20000):
        char = chr(code)
        if char not in found and unicodedata.decomposition(char).startswith("<") and not char.isspace():
            looks = unicodedata.normalize("NFKC", char)
            if looks.isascii() and looks.isprintable() and not looks.isspace():
                found[char] = looks
    return dict(sorted(found.items()))


def keyboard_look_alike_class() -> str:
    """The characters `keyboard_look_alike` finds, as a regular expression class body for the editors'
    JSON Schemas (ECMA-262 in unicode mode: astral code points as \\u{…})."""
    codes = sorted(map(ord, _keyboard_look_alikes()))
    spans, start = [], codes[0]
    for before, code in zip(codes, codes[1:] + [-1]):
        if code != before + 1:
            spans.append(_ecma(start) if start == before else f"{_ecma(start)}-{_ecma(before)}")
            start = code
    return "".join(spans)


def _ecma(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\u{{{code:x}}}"
