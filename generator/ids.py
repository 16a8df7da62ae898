"""Record ids: the one rule that makes an id from a name, and the limits every id keeps.

`handbook new` and the form (generator/cms/names.js, which follows this rule step for step; a
property test compares the two over any text) make the same id from the same name. The rule is
plain on purpose, so that two languages can follow it exactly: compatibility forms unfolded (NFKD:
"½" is 1⁄2, "Ⅻ" is XII), marks dropped (Vietnamese letters lose their diacritics, đ is d), ASCII
letters lowercased, and every run of anything else but digits and ASCII letters a hyphen. A name
in another script ("中国") makes no id: the editor types one.

Every id, made or typed, is at most MAX_ID_LENGTH characters (a made one is cut at a word) and is
not a name Windows keeps for a device (`con.yaml` cannot be checked out there).
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID_LENGTH = 80
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                          *(f"lpt{n}" for n in range(1, 10))})
_DIGIT_COMMA = re.compile(r"(\d),(?=\d)")        # 1,000 is 1000
_OTHER = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """The text without its marks and compatibility forms: "Đảng ½" → "Dang 1⁄2"."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.category(c).startswith("M"))
    return text.replace("đ", "d").replace("Đ", "D")


def id_from_name(name: str) -> str:
    """The id a record gets from its name ("" when the name has no digit nor Latin letter)."""
    # a typed ' separates words (chi-bo's → chi-bo-s), a curly one is part of the word
    text = fold(name.replace("'", "-").replace("\u2018", "").replace("\u2019", ""))
    text = _DIGIT_COMMA.sub(r"\1", text.translate(_LOWER))
    return shorten(_OTHER.sub("-", text).strip("-"))


_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def shorten(made: str) -> str:
    """At most MAX_ID_LENGTH characters, cut after a whole word when there is one to cut after."""
    if len(made) <= MAX_ID_LENGTH:
        return made
    cut = made[:MAX_ID_LENGTH + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_ID_LENGTH]).strip("-")


def id_refusal(record_id: str) -> str | None:
    """Why an id that has the id's form still cannot be one, in Vietnamese (None when it can)."""
    if len(record_id) > MAX_ID_LENGTH:
        return f"mã dài {len(record_id)} ký tự, quá {MAX_ID_LENGTH} ký tự"
    if record_id in DEVICE_NAMES:
        return f"mã `{record_id}` là tên thiết bị Windows dành riêng (tệp {record_id}.yaml không mở được trên Windows)"
    return None
