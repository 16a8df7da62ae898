"""What `handbook serve` shows while the data has errors: the problems, in the page."""

from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem
from .render import plain


def error_page(problems: list[Problem], root: Path) -> str:
    """A Markdown page listing each error with its place, hint and the line it points at."""
    errors = [p for p in problems if p.is_error]
    parts = ["# Dữ liệu có lỗi\n",
             f"Có {len(errors)} lỗi, trang web chưa cập nhật được. Sửa theo gợi ý rồi lưu tệp: "
             "trang này tự tải lại.\n"]
    for problem in errors:
        parts.append(f"## `{problem.path}:{problem.line}:{problem.col}`\n")
        parts.append(f"**{plain(problem.message)}** ({plain(problem.code)})\n")
        if problem.hint:
            parts.append(f"Gợi ý: {plain(problem.hint)}\n")
        line = _quoted_line(root / problem.path, problem.line)
        if line is not None:
            fence = "~" * max(3, max(map(len, re.findall("~+", line)), default=0) + 1)
            parts.append(f"{fence}\n{problem.line:>5} | {line}\n{fence}\n")
    return "\n".join(parts)


def _quoted_line(path: Path, number: int) -> str | None:
    try:
        with open(path, "rb") as handle:
            lines = handle.read(1 << 20).decode("utf-8", errors="replace").splitlines()
        return lines[number - 1][:200]
    except (OSError, IndexError):
        return None
