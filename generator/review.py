"""Who must review a pull request: trust follows the path.

The gate (validate --strict, build --strict) makes records and pages safe to publish: it reads
them as data. It cannot make code or configuration safe: `mkdocs.yml`, `generator/`, the
workflow, the tests and the dependencies run with the build's rights, and the workflow that
checks a pull request is the pull request's own copy. So a change is "data only" when every
file it adds, edits or removes is an ordinary file under `data/` or `content/`; anything else,
and any symbolic link or submodule anywhere, needs a maintainer (CODEOWNERS enforces it; this
says it on the pull request, in Vietnamese, as a job summary and an annotation).

    python -m generator.review [BASE [HEAD]]      # default: HEAD^1 HEAD, a pull request's merge commit
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

#: The folders whose files the gate reads as data (records; hand-written pages and their pictures).
DATA_FOLDERS = ("data/", "content/")
#: git's modes of ordinary files (a symbolic link is 120000, a submodule 160000, nothing 000000).
ORDINARY = {"100644", "100755", "000000"}


@dataclass(frozen=True)
class Change:
    path: str
    old_mode: str = "100644"
    new_mode: str = "100644"


@dataclass(frozen=True)
class Verdict:
    data_only: bool
    others: tuple[str, ...]      # the paths that need a maintainer, sorted

    def title(self) -> str:
        return "Chỉ dữ liệu" if self.data_only else "Cần người bảo trì duyệt"

    def summary(self) -> str:
        """The job summary, in Markdown (paths in code spans: shown, never read as markup)."""
        if self.data_only:
            return ("### Chỉ dữ liệu\n\nThay đổi này chỉ sửa bản ghi (`data/`) và trang viết tay (`content/`). "
                    "Nếu các bước kiểm tra đều đạt, biên tập viên có quyền duyệt là đủ.\n")
        shown = self.others[:50]
        lines = "".join(f"- {_code(path)}\n" for path in shown)
        more = f"- … và {len(self.others) - len(shown)} tệp khác\n" if len(self.others) > len(shown) else ""
        return ("### Cần người bảo trì duyệt\n\nThay đổi này sửa cả mã hoặc cấu hình, không chỉ dữ liệu. "
                "Các bước kiểm tra không bảo đảm được mã và cấu hình: người bảo trì (CODEOWNERS) phải đọc "
                f"và duyệt trước khi gộp.\n\nCác tệp ngoài `data/` và `content/` (hoặc là liên kết):\n\n{lines}{more}")

    def annotation(self) -> str:
        """One GitHub Actions workflow command: a notice for data, a warning for the rest."""
        if self.data_only:
            return "::notice title=Chỉ dữ liệu::Chỉ sửa data/ và content/; biên tập viên duyệt là đủ."
        return (f"::warning title=Cần người bảo trì duyệt::Sửa cả mã hoặc cấu hình ({len(self.others)} tệp ngoài "
                "data/ và content/); người bảo trì phải duyệt.")


def classify(changes: list[Change]) -> Verdict:
    """Data only when every change is an ordinary file under DATA_FOLDERS (allow-list by path)."""
    others = sorted({c.path for c in changes if not _is_data(c)})
    return Verdict(not others, tuple(others))


def _is_data(change: Change) -> bool:
    path = change.path
    parts = path.split("/")
    # A hidden file (`.gitattributes`, `.meta.yml`) tells git or a tool how to read the others: code.
    return (path.startswith(DATA_FOLDERS) and "" not in parts and not any(part.startswith(".") for part in parts)
            and change.old_mode in ORDINARY and change.new_mode in ORDINARY)


def _code(path: str) -> str:
    """A path as inline code, whatever backticks or line breaks it holds."""
    # A name git gave as bytes that are not UTF-8 is shown escaped (\xff), never written as such.
    text = path.encode("utf-8", "backslashreplace").decode("utf-8").replace("\n", " ").replace("\r", " ")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def changes(base: str, head: str) -> list[Change]:
    """Every path added, edited or removed between two commits, renames as both of their paths."""
    out = subprocess.run(["git", "diff", "--raw", "-z", "--no-renames", "--no-abbrev", base, head],
                         capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    fields = out.split("\0")
    found = []
    for meta, path in zip(fields[0::2], fields[1::2]):
        old_mode, new_mode = meta.lstrip(":").split()[:2]
        found.append(Change(path, old_mode, new_mode))
    return found


def main(argv: list[str]) -> int:
    base, head = (argv + ["HEAD^1", "HEAD"][len(argv):])[:2]
    verdict = classify(changes(base, head))
    print(verdict.annotation())
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(verdict.summary())
    else:
        print(verdict.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
