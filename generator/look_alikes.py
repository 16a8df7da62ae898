"""Problems about look-alike characters (confusables.py): two records whose names differ only by
one, and a number, term or abbreviation written with one.

Numbers ("38-HD/BTCTW"), terms ("XI") and abbreviations ("BTCTW") are what readers type in the
search box and what other texts quote; a character that only imitates one of the keyboard's
("∕" U+2215 for "/", "‐" U+2010 for "-", "ı" for "i", "Ⅺ" for "XI") makes them match nothing, so
it is refused where it is written. Names may hold any letter of the Latin script or Han
(characters.name_refusal), and are compared by their skeletons instead.
"""

from __future__ import annotations

from .characters import describe
from .confusables import difference, keyboard_look_alike
from .problems import Problem

# Fields typed, searched and quoted as written, of any kind that has them.
TYPED_FIELDS = ("number", "term", "abbr")


def typed_look_alikes(document) -> list[Problem]:
    """A number, term or abbreviation holding a character that imitates one of the keyboard's."""
    problems = []
    for field in TYPED_FIELDS:
        value = document.data.get(field)
        found = keyboard_look_alike(value) if isinstance(value, str) and not value.isascii() else None
        if found:
            index, char, looks = found
            line, col = document.position((field,))
            problems.append(Problem(document.path, line, col, "text.look-alike",
                                    f"`{field}` có {describe(char)} (ký tự thứ {index + 1}) trông như “{looks}” "
                                    f"nhưng là ký tự khác: ai tìm “{_short(value.replace(char, looks))}” sẽ không "
                                    "thấy bản ghi này",
                                    f"xóa ký tự đó và gõ “{looks}” bằng bàn phím (thường do dán từ Word, PDF)"))
    return problems


def look_alike_name(entry, first, by_path: dict) -> Problem:
    """Two records of one kind whose names differ only by look-alike characters: told on the
    record that holds the look-alike (the later one if both, or neither, do)."""
    shown, other = entry.record.display_name(), first.record.display_name()
    holder, against, found = entry, first, difference(shown, other)
    if found is None:
        holder, against, found = first, entry, difference(other, shown)
    index, char, theirs = found
    kind = holder.kind
    fields = [f for f in dict.fromkeys((kind.name_field, *kind.name_fields))
              if char in str(getattr(holder.record, f, None) or "")] or [kind.name_field]
    line, col = by_path[holder.path].position((fields[0],))
    instead = f" ở chỗ tên kia có “{theirs}”" if theirs else ""
    return Problem(holder.path, line, col, "name.look-alike",
                   f"tên “{_short(holder.record.display_name())}” trông giống hệt tên của {against.path} "
                   f"(“{_short(against.record.display_name())}”): `{fields[0]}` có {describe(char)} "
                   f"(ký tự thứ {index + 1} của tên){instead}, hai chữ nhìn như nhau",
                   "gõ lại tên bằng bộ gõ tiếng Việt (không dán từ nguồn khác); nếu là hai bản ghi khác nhau, "
                   "đặt tên khác hẳn để bạn đọc phân biệt được")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"
