"""What `handbook serve` shows while the data has errors: the problems, in the page."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .load import LINE_BREAK, MAX_FILE_BYTES
from .problems import Problem
from .render import plain


def error_page(problems: list[Problem], root: Path) -> str:
    """A Markdown page listing each error with its place, hint and the line it points at."""
    errors = [p for p in problems if p.is_error]
    parts = ["# Dữ liệu có lỗi\n",
             f"Có {len(errors)} lỗi, trang web chưa cập nhật được. Sửa theo gợi ý rồi lưu tệp: "
             "trang này tự tải lại.\n"]
    for problem in errors:
        parts.append(f"## {_code(f'{problem.path}:{problem.line}:{problem.col}')}\n")
        parts.append(f"**{plain(problem.message)}** ({plain(problem.code)})\n")
        if problem.hint:
            parts.append(f"Gợi ý: {plain(problem.hint)}\n")
        line = quoted_line(root / problem.path, problem.line)
        if line is not None:
            line = line[:200]
            fence = "~" * max(3, max(map(len, re.findall("~+", line)), default=0) + 1)
            parts.append(f"{fence}\n{problem.line:>5} | {line}\n{fence}\n")
    return "\n".join(parts)


def _code(text: str) -> str:
    """Text as an inline code span, whatever backticks it holds (a file name is the author's text)."""
    text = " ".join(text.split())
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def quoted_line(path: Path, number: int) -> str | None:
    """The line a problem points at, read only from a regular file of record size.

    Never through a link or from a pipe or device: a link in data/ would
    otherwise print any file of the machine into a CI log.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            lines = LINE_BREAK.split(handle.read(MAX_FILE_BYTES).decode("utf-8", errors="replace"))
        return lines[number - 1]
    except (OSError, IndexError):
        return None
