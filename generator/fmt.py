"""`handbook fmt`: one layout for every record file, written by hand or by the form.

A record's diff should show what its editor changed, never how their tool happened
to write YAML. So every record file has one canonical layout, read off the schema:

- the comment header (the comment lines before the first field) kept as written,
  or `# Cách làm — <tên>` when there is none; no comment below it (a note about a
  field goes in the header), except the help `handbook new` writes, which is dropped;
- fields in the schema's order (the order of `handbook new` and of the form:
  `sources`, `topics` last), nested values (relations, figures, reading items) too;
  fields the schema does not know follow, as they were;
- one value per line, never folded; text with line breaks as a literal block (`|-`);
- text plain unless a reader could take it for something else: quoted ("…") when
  YAML 1.1 (PyYAML) or YAML 1.2 (the form, most editors' tools) would read a number,
  a date, a yes/no or nothing (`"010"`, `"3:20"`, `"no"`), or when it starts or
  contains what YAML reads as syntax;
- block lists at the indentation of their field (`- item`), `[]` for an empty one.

The form writes the same layout (generator/cms/layout.js, compared with this module
by a test), so saving a record through the form changes only the lines the editor
changed. Formatting never changes a value: the file loads to the same values before
and after (a property test), and a file the loader refuses is left alone.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel

from .load import _lstat, _read, load_file
from .problems import ERROR, Problem
from .field_types import slot
from .schema import KIND_BY_FOLDER, Kind, describe_fields

# Characters written as they are; any other is escaped inside double quotes. PyYAML's reader
# accepts these (and the editors' tools show them), minus the line and paragraph separators and
# the byte order mark, which some readers take as line breaks or drop.
_SAFE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_UNSAFE = re.compile(f"[^{_SAFE}]")
# Plain text may not start with what YAML reads as syntax, nor hold `: ` or ` #`.
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
# What YAML 1.1 (PyYAML) or 1.2 (js-yaml and the form) read as something other than text, taken
# broadly: quoting a value that needed none costs nothing, a missed one retypes the value.
_TYPED = re.compile(
    r"[-+]?(\.?[0-9][0-9_:.]*([eE][-+]?[0-9]+)?|0[xXoObB][0-9a-fA-F_]+|\.(inf|Inf|INF))"
    r"|\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \t].*)?"
    r"|~|null|Null|NULL|y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE"
    r"|on|On|ON|off|Off|OFF|<<|=")


def is_plain(text: str) -> bool:
    """Whether `text` can be written unquoted and read back as the same text by every YAML reader."""
    return (text != "" and text[0] not in _INDICATORS and text[0] != " " and text[-1] not in " :"
            and ": " not in text and " #" not in text and "\n" not in text
            and not _UNSAFE.search(text) and not _TYPED.fullmatch(text))


def _is_block(text: str) -> bool:
    """Text with line breaks that a literal block (`|-`) gives back exactly."""
    return ("\n" in text and text[0] not in " \n" and text[-1] not in " \n"
            and not _UNSAFE.search(text.replace("\n", "")) and " \n" not in text)


def quoted(text: str) -> str:
    """Double quotes, with escapes for what cannot be written as it is."""
    def escape(match: re.Match) -> str:
        char = match.group()
        named = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
        if char in named:
            return named[char]
        code = ord(char)
        return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return '"' + re.sub(f'[\\\\"]|[^{_SAFE}]', escape, text) + '"'


def _scalar(text: str, indent: int) -> list[str]:
    """The value as written after `key:` or `-` (first item), then any lines it continues on."""
    if is_plain(text):
        return [" " + text]
    if _is_block(text):
        pad = " " * (indent + 2)
        return [" |-", *[(pad + line) if line else "" for line in text.split("\n")]]
    return [" " + quoted(text)]


def _key(name: str) -> str:
    return name if is_plain(name) else quoted(name)


@functools.cache
def field_order(model: type[BaseModel]) -> list[str]:
    """The layout's order of a model's fields: a record kind's as in `handbook new` and the form."""
    if any(kind.model is model for kind in KIND_BY_FOLDER.values()):
        return [doc.name for doc in describe_fields(model)]
    return list(model.model_fields)


def _nested_model(model: type[BaseModel] | None, name: str) -> type[BaseModel] | None:
    """The model of the values inside a field (a Relation in `relations`), if it has one."""
    info = model.model_fields.get(name) if model else None
    return slot(info, name).nested if info else None


def _mapping(mapping: dict, model: type[BaseModel] | None, indent: int) -> list[str]:
    known = field_order(model) if model else []
    keys = [k for k in known if k in mapping] + [k for k in mapping if k not in known]
    lines = []
    for key in keys:
        lines += _entry(" " * indent + _key(key) + ":", mapping[key], _nested_model(model, key), indent)
    return lines


def _entry(head: str, value: object, model: type[BaseModel] | None, indent: int) -> list[str]:
    """`head` (a `key:` or a `-`) followed by its value."""
    if value is None:       # `key:`; `- ~` in a list, where readers disagree on `- -` followed by `-`
        return [head + " ~"] if head.lstrip() == "-" else [head]
    if isinstance(value, str):
        first, *rest = _scalar(value, indent)
        return [head + first, *rest]
    if isinstance(value, list):
        if not value:
            return [head + " []"]
        if head.lstrip() == "-":          # a list in a list: its first item on the dash's line
            inner = [line for item in value for line in _entry(" " * (indent + 2) + "-", item, model, indent + 2)]
            return [head + inner[0][indent + 1:], *inner[1:]]
        return [head, *[line for item in value for line in _entry(" " * indent + "-", item, model, indent)]]
    if isinstance(value, dict):
        if not value:
            return [head + " {}"]
        inner = _mapping(value, model, indent + 2)
        if head.lstrip() == "-":          # `- key: value`, the next keys under the first
            return [head + inner[0][indent + 1:], *inner[1:]]
        return [head, *inner]
    raise TypeError(f"the loader gives text, lists and mappings only, not {type(value).__name__}")


def _one_line(value: object) -> str:
    return " ".join(_UNSAFE.sub(" ", value).split()) if isinstance(value, str) else ""


def header_line(kind: Kind, data: dict) -> str:
    """The comment that opens a record written without one: its kind and its name."""
    name = _one_line(data.get(kind.name_field)) or _one_line(data.get("id"))
    label = kind.label[:1].upper() + kind.label[1:]
    return f"# {label} — {name}" if name else f"# {label}"


def layout_of(kind: Kind) -> dict:
    """What the form's writer (cms/layout.js) needs to know of a kind to write this layout."""
    def fields(model: type[BaseModel]) -> dict:
        nested = {name: fields(inner) for name in model.model_fields
                  if (inner := _nested_model(model, name)) is not None}
        return {"order": field_order(model), "nested": nested}
    return {"label": kind.label, "name": kind.name_field, **fields(kind.model)}


def dump(kind: Kind, data: dict, header: list[str] = ()) -> str:
    """A record's values in the canonical layout, under `header` (comment lines) or the kind's own."""
    lines = list(header) or [header_line(kind, data)]
    return "\n".join(lines + _mapping(data, kind.model, 0)) + "\n"


# --- Reading what a file holds besides its values: comments ---------------------------------------

_SCAFFOLD_HINT = "# Các trường bắt đầu bằng # là tùy chọn"


def _comments(text: str, after: int = 0) -> list[tuple[int, int, str]]:
    """Every comment in `text` below line `after` (line, column, text from `#`), found between the YAML tokens."""
    if "#" not in text.split("\n", after)[-1]:      # most bodies have none: no need to scan them
        return []
    # a block scalar's text starts below its `|` line, which may end with a comment
    scalars = [(text.find("\n", t.start_mark.index) if t.style in ("|", ">") else t.start_mark.index, t.end_mark.index)
               for t in yaml.scan(text, Loader=yaml.SafeLoader) if isinstance(t, yaml.ScalarToken)]
    found, at = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        start = -1
        while (start := line.find("#", start + 1)) != -1:
            index = at + start
            if number > after and (start == 0 or line[start - 1] in " \t") and \
                    not any(a <= index < b for a, b in scalars):
                found.append((number, start + 1, line[start:].rstrip()))
                break
        at += len(line) + 1
    return found


@functools.cache
def scaffold_comments(kind: Kind) -> frozenset[str]:
    """The help `handbook new` writes in a new file's body (commented-out fields, each field's type)."""
    from .scaffold import new_record

    text = new_record(kind, "x", "x")[1]
    written = [comment for _, _, comment in _comments(text, after=3)]
    # an optional field once uncommented keeps its help after the value: "name: …  # chữ: …"
    return frozenset(written + ["#" + c.split("  #", 1)[1] for c in written if "  #" in c])


# What may open a YAML file before its record: a directive (`%YAML 1.2`) and the document start
# marker (`---`, maybe followed by a comment). Values never depend on them: the layout drops them and
# keeps the comments around them in the header.
_DIRECTIVE = re.compile(r"%\S.*")
_DOCUMENT_START = re.compile(r"---(?:[ \t]+(#.*))?")


def header_of(text: str) -> tuple[int, list[str]]:
    """The index of the record's first line, and the comment lines before it (the header).

    layout.js's `headerOf` reads a file the same way (tests/test_fmt_form.py compares them)."""
    lines = text.split("\n")
    header, started = [], False
    for index, line in enumerate(lines):
        line = line.strip(" \t")       # YAML's spaces only
        marker = _DOCUMENT_START.fullmatch(line) if not started else None
        if marker:
            started = True
            line = marker.group(1) or ""
        elif not started and _DIRECTIVE.fullmatch(line):
            continue
        elif line and not line.startswith("#"):
            return index, header
        if line and not line.startswith(_SCAFFOLD_HINT):
            header.append(line)
    return len(lines), header


@dataclass(frozen=True)
class Formatted:
    path: str
    text: str | None                # the canonical text, None when the file cannot be formatted
    changed: bool = False
    problems: tuple[Problem, ...] = ()


def format_text(raw: bytes, shown: str, kind: Kind) -> Formatted:
    """The canonical text of one record file, or why it cannot be given without losing something."""
    document, problems = load_file(raw, shown, kind)
    errors = tuple(p for p in problems if p.severity == ERROR)
    if document is None or errors:
        return Formatted(shown, None, problems=errors)
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    first, header = header_of(text)
    scaffold = scaffold_comments(kind)
    notes = [(line, col, comment) for line, col, comment in _comments(text, after=first) if comment not in scaffold]
    if notes:
        line, col, _ = notes[0]
        return Formatted(shown, None, problems=(Problem(
            shown, line, col, "file.comment", "chú thích nằm giữa bản ghi: biểu mẫu không giữ được nó, "
            "và bố cục chuẩn chỉ giữ chú thích ở đầu tệp",
            "chuyển chú thích lên phần chú thích đầu tệp (trước dòng `id:`), ví dụ "
            "\"# issuer: theo nguồn kien-thuc-bien-tap\", rồi chạy lại"),))
    canonical = dump(kind, document.data, header)
    return Formatted(shown, canonical, changed=canonical.encode("utf-8") != raw)


def record_files(root: Path, paths: list[Path]) -> tuple[list[tuple[Path, Kind]], list[Problem]]:
    """The record files named by `paths` (files, or folders searched for them), each with its kind."""
    found, problems = [], []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for file in sorted(path.rglob("*.yaml")):
                kind = KIND_BY_FOLDER.get(file.parent.name)
                if kind is not None and file.parent.parent.name == "data":
                    found.append((file, kind))
            continue
        kind = KIND_BY_FOLDER.get(path.parent.name)
        if kind is None or path.suffix != ".yaml":
            problems.append(Problem(_shown(root, path), 1, 1, "file.location",
                                    "không phải tệp bản ghi (data/<loại>/<mã>.yaml) nên không định dạng",
                                    "chỉ ra tệp .yaml trong data/, hoặc thư mục data/"))
            continue
        found.append((path, kind))
    return found, problems


def _shown(root: Path, path: Path) -> str:
    """The path as messages show it: from the project folder."""
    shown = os.path.relpath(os.path.abspath(path), _absolute(root))
    return path.as_posix() if shown.startswith("..") else Path(shown).as_posix()


@functools.cache
def _absolute(root: Path) -> str:
    return os.path.abspath(root)


def format_file(root: Path, path: Path, kind: Kind) -> Formatted:
    """Read, check and format one file (nothing written)."""
    shown = _shown(root, path)
    if not os.path.lexists(path):
        return Formatted(shown, None, problems=(Problem(
            shown, 1, 1, "file.unreadable", "không có tệp này",
            "kiểm tra lại tên tệp và thư mục (đường dẫn tính từ thư mục dự án, hoặc chỉ ra dự án bằng -C)"),))
    status = _lstat(str(path))
    if not isinstance(status, os.stat_result):
        return Formatted(shown, None, problems=(Problem(shown, 1, 1, *status),))
    return format_text(_read(path), shown, kind)


def first_difference(old: str, new: str) -> int:
    """The line number (1-based) of the first line the formatter changes."""
    for number, (a, b) in enumerate(zip(old.split("\n"), new.split("\n")), 1):
        if a != b:
            return number
    return min(old.count("\n"), new.count("\n")) + 1


def layout_problem(path: str, old: str, new: str) -> Problem:
    """What `fmt --check` says of a file not in the layout: the first line that differs, or, when only
    the line endings do (Windows' CRLF, old Macs' CR), that, at the first such line."""
    plain = old.replace("\r\n", "\n").replace("\r", "\n")
    hint = f"chạy `handbook fmt {path}` rồi commit lại; chỉ cách viết đổi, nội dung giữ nguyên"
    if plain == new and plain != old:
        line = old[:re.search("\r", old).start()].count("\n") + 1
        return Problem(path, line, 1, "file.layout", "tệp xuống dòng kiểu Windows (CRLF) hoặc Mac cũ (CR), bố cục "
                       f"chuẩn xuống dòng bằng LF (khác từ dòng {line})",
                       hint + "; hoặc đặt trình soạn thảo lưu tệp với kiểu xuống dòng LF")
    line = min(first_difference(plain, new), max(1, new.count("\n")), max(1, plain.count("\n")))
    endings = "; tệp cũng xuống dòng kiểu CRLF/CR thay vì LF" if plain != old else ""
    return Problem(path, line, 1, "file.layout", f"tệp chưa viết theo bố cục chuẩn (khác từ dòng {line}{endings})",
                   hint)


def diff(path: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), path, path + " (fmt)"))


def write(path: Path, text: str) -> None:
    """Replace the file in one step (a new file renamed over it), keeping its permissions."""
    mode = path.stat().st_mode & 0o777
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".fmt-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
