"""What a character is, judged by its Unicode properties rather than by ranges of code points.

Two questions are asked of editors' text and of everything the tools print:

- Is it printable text? Not when its general category is a control (Cc), a format
  character (Cf: bidi controls such as U+202E, zero-width spaces and joiners, the BOM…),
  a surrogate (Cs), private use (Co) or unassigned (Cn, the non-characters too), a line or
  paragraph separator (Zl, Zp), nor when it is a default-ignorable code point (drawn as
  nothing: variation selectors, the combining grapheme joiner, Hangul fillers, tags…).
  The `regex` module reads these properties from the Unicode Character Database.
- Is a name the same as another? Names are compared after NFKC (full-width and
  mathematical letters fold to plain ones), case folding and collapsing spaces. A name's
  letters must be of the Latin script (Vietnamese is written in it) or Han (chữ Hán, chữ
  Nôm), or Common (mathematical and full-width forms, folded by NFKC): a Cyrillic "а" or a
  Greek "ο" in a name, which look exactly like Latin letters, is refused where it is
  written, so that two names that look alike are equal after folding.
  (This restriction is UTS #39's "single script" rule narrowed to the scripts a Vietnamese
  handbook uses; names are also compared by its confusable skeletons: confusables.py.)
- Does it show anything, and no more than a letter with its marks? A text of spaces, invisible
  characters and marks alone looks blank (`looks_blank`); a letter with more than two combining
  marks in NFD ("Zalgo") spills over the lines around it (`stacked_marks`).
"""

from __future__ import annotations

import re
import unicodedata

import regex

# Written so that ECMA-262 (unicode mode) reads it alike: the editors' JSON Schemas use it too.
# U+2800 BRAILLE PATTERN BLANK is a symbol to Unicode but draws as a space: text that looks blank.
NOT_TEXT_CLASS = r"\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800"
_NOT_TEXT = NOT_TEXT_CLASS
# Not printable anywhere (a line the tools print, a file name).
NOT_PRINTABLE = regex.compile(f"[{_NOT_TEXT}]")
# Not allowed in record text: the same, but for tab and newline (long texts have lines).
NOT_IN_TEXT = regex.compile(f"(?V1)[[{_NOT_TEXT}]--[\\t\\n]]")
# What a name shows (a letter or a digit), and the scripts its letters may be of (Common: the
# mathematical and full-width forms, which name_key folds).
VISIBLE_CLASS = r"\p{L}\p{N}"
NAME_LETTER_CLASS = r"\p{Script=Latin}\p{Script=Han}\p{Script=Common}\p{Script=Inherited}"
# Digits too: a Malayalam ൦ in "Nhóm ൦5" looks like the 0 of "Nhóm 05".
FOREIGN_LETTER = regex.compile(f"(?V1)[[\\p{{L}}\\p{{N}}]--[{NAME_LETTER_CLASS}]]")
VISIBLE = regex.compile(f"[{VISIBLE_CLASS}]")
# A text that starts with a combining mark (a tone or vowel mark with no letter before it) is
# drawn on whatever precedes it on the page: refused in record text (validate, `text.mark`).
LONE_MARK = regex.compile(r"(?:^|\n)\s*\p{M}")

# A shortcut, not the judgement: almost all record text is Vietnamese, and `re` runs over these
# characters ten times faster than `regex` looks up properties. Each of them is text by the rules
# above (a test checks every one: printable ASCII, Latin-1 and Latin Extended but for the soft
# hyphen, Vietnamese letters, combining diacritics but for the grapheme joiner, punctuation); a
# text of them alone needs no further look. The first other character sends it to the real test.
SURELY_TEXT = "\t\n\x20-\x7e\xa0-\xac\xae-\u024f\u0300-\u034e\u0350-\u036f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e"
_SURELY_TEXT = re.compile(f"[{SURELY_TEXT}]*")
# …the same without the combining marks: NFC Vietnamese text has none (its letters are precomposed),
# so a text of these alone has no stack of marks either.
_PLAIN = re.compile("[\t\n\x20-\x7e\xa0-\xac\xae-\u024f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e]*")
# …and letters and digits of the Latin script among them: a name of those shows something.
_SURELY_LATIN = re.compile("[A-Za-z0-9\xc0-\xd6\xd8-\xf6\xf8-\u024f\u1e00-\u1eff]")

# The names Unicode gives no name to (controls), in Vietnamese.
_UNNAMED = {"Cc": "ký tự điều khiển", "Cs": "nửa cặp thay thế (surrogate)", "Co": "ký tự dùng riêng",
            "Cn": "ký tự chưa được gán trong Unicode"}


def describe(char: str) -> str:
    """"U+202E RIGHT-TO-LEFT OVERRIDE": what editors can look up."""
    name = unicodedata.name(char, "") or _UNNAMED.get(unicodedata.category(char), "ký tự không tên")
    return f"U+{ord(char):04X} {name}"


def escaped(text: str) -> str:
    """`text` with every character that is not printable text written as an escape (\\n, \\x1b, \\u202e)."""
    if NOT_PRINTABLE.search(text) is None:
        return text
    return NOT_PRINTABLE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    if char in "\n\r\t":
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, case folded, spaces collapsed, and the tone mark at one
    place in each word: "Thanh Hoá" and "Thanh Hóa", "Thuỷ" and "Thủy" are one name spelt by the old
    and the new rule of where the tone goes (both are common in print)."""
    return tones_last(unicodedata.normalize("NFKC", name).casefold())


def tones_last(text: str) -> str:
    """`text` in NFC with each word's tone mark after its letters, spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", " ".join(_tone_last(word) for word in decomposed.split()))


# The five tone marks of Vietnamese (huyền, sắc, ngã, hỏi, nặng), in NFD. Vowel marks (circumflex,
# breve, horn) belong to their letter and stay.
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _tone_last(word: str) -> str:
    tones = "".join(c for c in word if c in _TONES)
    return word.translate({ord(c): None for c in _TONES}) + tones if tones else word


def path_key(path: str) -> str:
    """What two paths are compared by, as case-insensitive disks (Windows, macOS) and zips unpacked on
    them see them: NFC and case folded ("Van-Ban/Hà-Nội.md" and "van-ban/hà-nội.md" are one file)."""
    return unicodedata.normalize("NFC", path).casefold()


def not_text(text: str) -> tuple[int, str] | None:
    """The first character of record text that is not printable text, and its index."""
    start = _SURELY_TEXT.match(text).end()
    found = NOT_IN_TEXT.search(text, start) if start < len(text) else None
    return (found.start(), found.group()) if found else None


def name_refusal(name: str) -> tuple[int, str] | None:
    """Why a name cannot be told apart from another, if it cannot: (index or -1, Vietnamese reason).

    Invisible characters are refused in all text (`not_text`); a name must besides show at
    least one letter or digit (a name of spaces, marks or punctuation looks blank) and be
    written in the Latin script or Han.
    """
    if _SURELY_TEXT.fullmatch(name) and _SURELY_LATIN.search(name):
        return None
    if not VISIBLE.search(name):
        return -1, "tên không có chữ cái hay chữ số nào, trông như để trống"
    foreign = FOREIGN_LETTER.search(name)
    if foreign:
        index, char = foreign.start(), foreign.group()
        return index, (f"tên có chữ cái {describe(char)} không thuộc chữ Latinh (chữ Quốc ngữ): "
                           "trông giống một chữ cái quen thuộc nhưng là ký tự khác")
    return None


def plain(text: str) -> bool:
    """Whether a text is surely printable, without a single combining mark: the shortcut that spares
    almost every record the closer looks below."""
    return _PLAIN.fullmatch(text) is not None


# How many combining marks one letter may carry, counted in NFD: Vietnamese needs two at most
# (ế is e, U+0302 and U+0301; ự is u, U+031B and U+0323). More piles marks over the lines
# around it ("Zalgo" text).
MAX_MARKS = 2
_MARKED = regex.compile(r"\P{M}?\p{M}+")


def stacked_marks(text: str) -> tuple[int, int] | None:
    """The first letter carrying more than MAX_MARKS combining marks: (its index, how many)."""
    if plain(text):
        return None
    for found in _MARKED.finditer(text):
        marks = sum(1 for char in unicodedata.normalize("NFD", found.group()) if unicodedata.combining(char)
                    or unicodedata.category(char).startswith("M"))
        if marks > MAX_MARKS:
            return found.start(), marks
    return None


# What draws nothing: spaces of every kind, controls and format characters, marks with no letter
# under them (not the spacing ones, Mc, which take a place of their own), default-ignorable code points (Hangul fillers, variation selectors…), by their
# Unicode properties; and U+2800 BRAILLE PATTERN BLANK, a symbol to Unicode that is drawn as a space.
_BLANK = regex.compile(r"[\p{White_Space}\p{Z}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\u2800]*")


def looks_blank(text: str) -> bool:
    """Whether a text would show as nothing at all."""
    return _BLANK.fullmatch(text) is not None
