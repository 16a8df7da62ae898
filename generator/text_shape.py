"""Record text that shows other than it is written, as one problem each: a text that looks blank
(characters.looks_blank) and a letter under a pile of marks (characters.stacked_marks)."""

from __future__ import annotations

from .characters import MAX_MARKS, describe, looks_blank, stacked_marks
from .problems import Problem


def text_shape(document, loc: tuple, value: str) -> Problem:
    """The problem of a value that looks blank or stacks marks (the caller knows it does one)."""
    line, col = document.position(loc)
    if looks_blank(value):
        shown = ", ".join(dict.fromkeys(describe(char) for char in value if not char.isspace())) or "dấu cách"
        return Problem(document.path, line, col, "text.blank",
                       f"văn bản trông như để trống: chỉ có ký tự không hiện ra ({_few(shown)})",
                       "viết nội dung cho trường này, hoặc bỏ hẳn trường nếu nó không bắt buộc")
    index, marks = stacked_marks(value)
    return Problem(document.path, line, col, "text.marks",
                   f"chữ “{value[index]}” (ký tự thứ {index + 1}) mang {marks} dấu chồng lên nhau, nhiều hơn "
                   f"{MAX_MARKS} dấu tiếng Việt cần; dấu ghép đầu tiên sau chữ là "
                   f"{describe(_extra(value, index))}",
                   "xóa các dấu thừa và gõ lại chữ này bằng bộ gõ tiếng Việt (mỗi chữ một dấu thanh, "
                   "cùng lắm thêm dấu mũ, dấu móc hoặc dấu trăng)")


def _extra(value: str, index: int) -> str:
    """The first combining mark after the letter at `index` (what the editor deletes)."""
    return next((c for c in value[index + 1:] if not c.isalnum()), value[index])


def _few(text: str) -> str:
    return text if len(text) <= 120 else text[:119] + "…"
