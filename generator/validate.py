"""Stage 2: turn plain documents into typed records, collecting every problem.

Schema problems come from pydantic and are translated into Vietnamese with
the position the loader recorded. Cross-reference problems are checked once
every id is known, so that the order of files never matters.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import typing
from dataclasses import replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from . import confusables
from .characters import LONE_MARK, describe, looks_blank, name_key, name_refusal, not_text, plain, stacked_marks
from .field_types import nested_models, slot, value_hints
from .look_alikes import look_alike_name, typed_look_alikes
from .text_shape import text_shape
from .load import LINE_BREAK, MAX_FILE_BYTES, Document, paused_gc
from .problems import WARNING, Problem
from .ids import id_refusal
from .records import Entry
from .schema import (ID_PATTERN, KINDS, RELATION_TYPES, RESERVED_IDS, Course, Glossary, Kind, Record,
                     markdown_block, markdown_fields, ref_fields, relations_field)

# Markup in text (shown as text by the renderer: a warning). What is not text at all (controls,
# format characters, a lone combining mark) is judged by characters.py.
UNSAFE_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z!?]|\b(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


@paused_gc()
def validate(documents: list[Document], content_dir: Path | None = None,
             memo: dict | None = None) -> tuple[dict[str, Entry], list[Problem]]:
    """Check every document; return the valid records by id and all problems.

    One mistake gives one problem, on the file that has it: a record that
    cannot be read, has a bad id or sits in the wrong folder is still known
    by its file name (and real kind), so references to it are not reported too.

    `memo` (kept by `handbook serve` between rebuilds) holds what each document
    alone gave last time; a document the loader reused (the same object) is
    not checked against its schema again. Checks across records always run.
    """
    if memo is not None:
        memo_in, memo_out = dict(memo), memo
        memo_out.clear()
    else:
        memo_in, memo_out = {}, None
    problems: list[Problem] = []
    entries: dict[str, Entry] = {}
    declared: dict[str, Document] = {}      # every id written, valid record or not
    checked: list[Document] = []
    # A kind whose whole folder could not be read: references to it are not checked (its ids are unknown).
    opaque = {d.kind.name for d in documents if d.broken and "id" not in d.data}
    for document in documents:
        stem = _stem(document)
        if document.broken:
            if "id" in document.data:
                declared.setdefault(stem, document)
            continue
        record_id = document.data.get("id")
        valid_id = isinstance(record_id, str) and re.match(ID_PATTERN, record_id)
        if valid_id:
            problems += _check_id(document, record_id, declared)
        known = memo_in.get(document.path)
        if known is None or known[0] is not document:
            known = (document, *_check_alone(document))
        if memo_out is not None:
            memo_out[document.path] = known
        _, record, text_warnings, found, document = known
        problems += found
        if record is not None:
            if record.id not in declared:
                entries[record.id] = Entry(document.kind, record, document.path)
        problems += text_warnings
        checked.append(document)
        if valid_id:
            declared.setdefault(record_id, document)
        declared.setdefault(stem, document)
    for document in checked:
        problems += _check_refs(document, declared, opaque) + _check_duplicates(document)
    by_path = {d.path: d for d in checked}
    problems += _check_cycles(entries, by_path)
    problems += _check_provinces(entries, by_path)
    problems += _check_relation_dates(entries, by_path)
    problems += _check_glossary(entries, by_path)
    problems += _check_same_names(entries, by_path)
    if content_dir is not None:
        problems += _check_course_pages(entries, by_path, content_dir)
        problems = place_characters(problems, content_dir.parent)
    return dict(sorted(entries.items())), sorted(problems)


def check_early(memo: dict) -> Callable[[Document], None]:
    """A hook for the loader: what each document gives by itself, worked out while the loader's
    workers still parse the others; `validate(…, memo)` then takes it from there."""
    def check(document: Document) -> None:
        memo[document.path] = (document, *_check_alone(document))
    return check


def _check_alone(document: Document) -> tuple[Record | None, list[Problem], list[Problem], Document]:
    """What a document gives by itself: its record (or None), text warnings, schema problems,
    and the document as checked (with its real kind if it sits in another kind's folder)."""
    text_warnings = _check_text(document)
    try:
        record = document.kind.model.model_validate(document.data)
    except ValidationError as error:
        misfiled = _misfiled(document, error)
        if misfiled:
            return None, text_warnings, [misfiled[1]], replace(document, kind=misfiled[0])
        found = _schema_problems(document, error)
        places = {(p.line, p.col) for p in found}
        text_warnings = [w for w in text_warnings if (w.line, w.col) not in places]    # one per value
        return None, text_warnings, found, document
    return record, text_warnings, [], document


def _stem(document: Document) -> str:
    name = document.path.rpartition("/")[2]
    return name[:-5] if name.endswith(".yaml") else PurePosixPath(name).stem     # pathlib is slow per file


def _misfiled(document: Document, error: ValidationError) -> tuple[Kind, Problem] | None:
    """The kind a record that fails its folder's schema really is, if it fits another exactly.

    Only when its own schema fails on its shape (a required field missing, a field it does not
    have): a new model with no source yet (`sources: []`) fits a province's schema too, but
    its mistake is the empty list, not the folder.
    """
    if any(e["type"] not in ("missing", "extra_forbidden") for e in error.errors()):
        return None
    for kind in KINDS.values():
        if kind is document.kind:
            continue
        try:
            kind.model.model_validate(document.data)
        except ValidationError:
            continue
        line, col = document.position(("id",))
        return kind, Problem(document.path, line, col, "file.wrong-folder",
                             f"bản ghi này là một {kind.label} nhưng nằm trong data/{document.kind.folder}/",
                             f"chuyển tệp sang data/{kind.folder}/")
    return None


# --- Identity -----------------------------------------------------------------

def _check_id(document: Document, record_id: str, declared: dict[str, Document]) -> list[Problem]:
    line, col = document.position(("id",))
    stem = _stem(document)
    problems = []
    if record_id in declared and declared[record_id] is not document:
        first = declared[record_id]
        problems.append(Problem(document.path, line, col, "id.duplicate",
                                f"mã `{record_id}` đã được dùng ở {first.path}:{first.position(('id',))[0]}",
                                "đặt một mã khác, và đổi tên tệp theo mã mới"))
    elif record_id in RESERVED_IDS:
        problems.append(Problem(document.path, line, col, "id.format",
                                f"mã `{record_id}` dành cho trang mục lục của mỗi phần",
                                "đặt một mã khác, và đổi tên tệp theo mã mới"))
    elif id_refusal(record_id):
        problems.append(Problem(document.path, line, col, "id.format", id_refusal(record_id),
                                "đặt một mã ngắn hơn hoặc khác, và đổi tên tệp theo mã mới"))
    elif record_id != stem:
        problems.append(Problem(document.path, line, col, "id.filename",
                                f"mã `{record_id}` khác tên tệp `{stem}.yaml`",
                                f"đổi tên tệp thành `{record_id}.yaml` hoặc sửa mã thành `{stem}`"))
    return problems


# --- Schema -------------------------------------------------------------------

_TYPE_NAMES = {
    "string_type": "một chuỗi văn bản",
    "list_type": 'một danh sách (mỗi mục một dòng bắt đầu bằng "- ")',
    "model_type": 'một nhóm trường dạng "trường: giá trị"',
    "dict_type": 'một nhóm trường dạng "trường: giá trị"',
    "int_type": "một số nguyên",
    "float_type": "một số",
    "bool_type": "đúng hoặc sai (true/false)",
}
# Text that does not read as the number or yes/no a field holds: what to write instead (field_types.py).
_VALUE_HINTS = value_hints()


def _schema_problems(document: Document, error: ValidationError) -> list[Problem]:
    problems = []
    seen: set[tuple] = set()
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if isinstance(part, int) or _is_field_of(document, item["loc"], part))
        if loc in seen or any(loc[:len(r)] == r for r in document.refused):
            continue         # a union reports one error per member: keep the first; the loader reported refusals
        seen.add(loc)
        problems.append(_schema_problem(document, item, loc))
    return problems


def _is_field_of(document: Document, full_loc: tuple, part: str) -> bool:
    """Whether a loc part names a field (and not a union member like `str`)."""
    index = full_loc.index(part)
    model = _model_at(document.kind.model, tuple(p for p in full_loc[:index]))
    # Under a field that holds no group (model None), a part is a union member ("str", "int"):
    # one message for the value, not one per type it could have had.
    return model is not None and (part in model.model_fields or index == len(full_loc) - 1)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The nested model that holds the field at the end of `loc`."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        inner = slot(info, part).nested
        if inner is None:
            return None
        model = inner
    return model


def _schema_problem(document: Document, item: dict, loc: tuple) -> Problem:
    kind, kind_type = document.kind, item["type"]
    names = [p for p in loc if isinstance(p, str)]
    name = names[-1] if names else "id"
    named = max((i for i, p in enumerate(loc) if isinstance(p, str)), default=0)     # items[0] is a field of the course
    parent = _model_at(kind.model, loc[:named]) or kind.model
    info = parent.model_fields.get(name)
    about = info.description if info and info.description else ""
    value = item.get("input")

    def problem(code: str, message: str, hint: str, at: tuple = loc, key: bool = False) -> Problem:
        line, col = document.key_position(at) if key else document.position(at)
        return Problem(document.path, line, col, code, message, hint)

    if kind_type == "missing":
        return problem("field.missing", f"{kind.label} thiếu trường bắt buộc `{name}`",
                       f"thêm dòng `{name}: …` ({about})", loc[:-1])
    if kind_type == "string_too_short":
        return problem("field.missing", f"`{name}` đang để trống", f"điền nội dung, hoặc xóa cả dòng nếu trường "
                       f"không bắt buộc ({about})")
    if kind_type == "too_long":
        limit = item["ctx"]["max_length"]
        return problem("field.value", f"`{name}` có {item['ctx']['actual_length']} mục, quá giới hạn {limit} mục",
                       f"chia thành nhiều {kind.label} nhỏ hơn, mỗi {kind.label} tối đa {limit} mục ({about})")
    if kind_type == "too_short":
        return problem("field.missing", f"trường `{name}` cần ít nhất một mục",
                       f"ví dụ: `{name}: [mục thứ nhất]`, mỗi mục cách nhau dấu phẩy ({about})")
    if kind_type == "extra_forbidden":
        close = difflib.get_close_matches(name, list(parent.model_fields), n=1, cutoff=0.5)
        hint = f"có phải ý bạn là `{close[0]}`?" if close else \
            "các trường được phép: " + ", ".join(f"`{f}`" for f in parent.model_fields)
        return problem("field.unknown", f"trường `{name}` không có trong {kind.label}", hint, key=True)
    if kind_type == "literal_error":
        allowed = item["ctx"]["expected"]
        close = difflib.get_close_matches(str(value), [a.strip("'") for a in allowed.split("'") if a.strip(" ,or")],
                                          n=1, cutoff=0.6)
        hint = f"có phải ý bạn là \"{close[0]}\"? " if close else ""
        return problem("field.value", f"giá trị \"{value}\" không hợp lệ cho `{name}`",
                       hint + "chọn một trong: " + allowed.replace("' or '", "', '"))
    if kind_type == "date_order":
        return problem("date.order", item["msg"], "kiểm tra lại hai ngày theo nguồn; có thể đã đảo `start` và `end`")
    if kind_type.startswith("date_"):
        return problem("date.invalid", item["msg"], f"ví dụ: `{name}: \"2010-03-09\"`, "
                       f"`{name}: \"2010-03\"` hoặc `{name}: \"2010\"` nếu nguồn chỉ nêu năm")
    if kind_type == "string_pattern_mismatch" and name == "id":
        return problem("id.format", f"mã \"{_short(value)}\" không hợp lệ",
                       "chỉ dùng chữ thường không dấu, số và dấu gạch ngang, có ít nhất một chữ cái, ví dụ `huong-dan-38-hd-btctw-2010`; "
                       "đặt tên tệp giống mã")
    if kind_type == "string_pattern_mismatch":
        return problem("field.value", f"giá trị \"{_short(value)}\" không đúng dạng của `{name}`", about)
    if kind_type in _VALUE_HINTS:
        wanted, hint = _VALUE_HINTS[kind_type]
        return problem("field.value", f"`{name}` phải là {wanted}, không phải \"{_short(value)}\"", hint)
    if kind_type in _TYPE_NAMES:
        return problem("field.type", f"`{name}` phải là {_TYPE_NAMES[kind_type]}, không phải {_describe(value)}",
                       about)
    if kind_type not in _PYDANTIC_ERRORS:
        return problem("field.value", item["msg"], about)
    return problem("field.value", f"giá trị của `{name}` không hợp lệ", about)


# Errors the schema raises itself have a message in Vietnamese; pydantic's own (in English) do not.
_PYDANTIC_ERRORS = set(typing.get_args(ErrorType))


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một nhóm trường"
    if value is None:
        return "một giá trị để trống"
    if isinstance(value, bool):
        return f"giá trị đúng/sai ({str(value).lower()}; hãy đặt chữ trong dấu ngoặc kép)"
    return f"\"{_short(value)}\""


# --- Text safety -------------------------------------------------------------

def _check_text(document: Document) -> list[Problem]:
    """Refuse what is not text and names that cannot be told apart, refuse the page's own structures
    in Markdown fields; warn about markup in any text (the renderer shows it as text)."""
    # One search over all the texts first: almost every record has no markup, and walking with
    # locations is only needed to place a problem. Texts are joined by a newline, which text may
    # hold (so no match of a refused character can come from the joining); every markup match has
    # a "<" or a ":", which `in` finds much faster.
    joined = "\n".join(_texts(document.data))
    control = not plain(joined) and (not_text(joined) or LONE_MARK.search(joined) or stacked_marks(joined))
    if not control and (("<" not in joined and ":" not in joined) or not UNSAFE_TEXT.search(joined)):
        return _check_names(document) + _check_blocks(document)
    problems = []

    def walk(value: Any, loc: tuple) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, loc + (key,))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, loc + (index,))
        elif isinstance(value, str) and ((looks_blank(value) and value.strip()) or stacked_marks(value)):
            problems.append(text_shape(document, loc, value))
        elif isinstance(value, str) and not_text(value):
            index, found = not_text(value)
            line, col = document.position(loc)
            problems.append(Problem(document.path, line, col, "text.control",
                                    f"văn bản chứa ký tự không in được hoặc vô hình {describe(found)} "
                                    f"(ký tự thứ {index + 1} của giá trị)",
                                    "xóa ký tự này (con trỏ đi qua nó mà không thấy gì), hoặc gõ lại đoạn này; "
                                    "khi dán từ PDF, Word, hãy dán dưới dạng chữ thuần (không định dạng)"))
        elif isinstance(value, str) and LONE_MARK.match(value):
            line, col = document.position(loc)
            problems.append(Problem(document.path, line, col, "text.mark",
                                    "văn bản bắt đầu bằng một dấu (dấu thanh, dấu mũ…) không gắn với chữ cái nào",
                                    "gõ lại chữ cái mang dấu này, hoặc xóa dấu thừa ở đầu"))
        elif isinstance(value, str) and UNSAFE_TEXT.search(value):
            line, col = document.position(loc)
            problems.append(Problem(document.path, line, col, "text.html",
                                    "văn bản chứa thẻ HTML hoặc liên kết javascript:/data:; "
                                    "trang web sẽ hiển thị nó như chữ thường",
                                    "bỏ thẻ HTML; dùng Markdown (**đậm**, [chữ](https://…)) ở các trường cho phép",
                                    WARNING))

    walk(document.data, ())
    placed = {(p.line, p.col) for p in problems}
    return problems + [p for p in _check_names(document) + _check_blocks(document) if (p.line, p.col) not in placed]


_BLOCK_NAMES = (("#", "một tiêu đề (#)"), ("!", "một khung ghi chú (!!!)"), ("|", "một bảng"),
                ("=", "một tiêu đề (dòng gạch dưới)"))


def _check_blocks(document: Document) -> list[Problem]:
    """Markdown fields hold text, lists and quotes, never the page's own structures (schema.MARKDOWN_BLOCKS)."""
    problems = []
    for field in _markdown_fields(document.kind.model):
        value = document.data.get(field)
        found = markdown_block(value) if isinstance(value, str) else None
        if found:
            line, col = document.position((field,))
            block = found.group().strip()
            what = next((name for sign, name in _BLOCK_NAMES if sign in block), "một đường kẻ hoặc tiêu đề (---)")
            problems.append(Problem(document.path, line, col, "text.structure",
                                    f"`{field}` có {what} ở dòng thứ {value.count(chr(10), 0, found.start()) + 1} "
                                    f"của nội dung: “{_short(found.group().strip())}”; tiêu đề, khung ghi chú, bảng là "
                                    "phần trang tự tạo",
                                    "viết thành câu thường; muốn nhấn mạnh, dùng **chữ đậm**; dòng bắt đầu bằng - là "
                                    "một mục danh sách"))
    return problems


@cache
def _markdown_fields(model: type[BaseModel]) -> list[str]:
    return markdown_fields(model)


def _check_names(document: Document) -> list[Problem]:
    """A record's name shows something and is written in the Latin script (or Han): see characters.py."""
    problems = []
    for field in document.kind.name_fields:
        value = document.data.get(field)
        refused = name_refusal(value) if isinstance(value, str) and value.strip() else None
        if refused:
            line, col = document.position((field,))
            index, reason = refused
            where = f" (ký tự thứ {index + 1})" if index >= 0 else ""
            problems.append(Problem(document.path, line, col, "text.name", f"`{field}`: {reason}{where}",
                                    "gõ lại tên bằng bộ gõ tiếng Việt (chữ Quốc ngữ), không dán từ nguồn khác"))
    return problems + typed_look_alikes(document)


def place_characters(problems: list[Problem], root: Path) -> list[Problem]:
    """Problems about one character, at that character's column when the file shows it as written.

    Only for the few problems found (the check itself runs on values, which know where they start,
    not how they were quoted): the value's line is read again and the character looked for."""
    placed = []
    for problem in problems:
        match = re.search(r"U\+([0-9A-F]{4,6})", problem.message) if problem.code in (
            "text.control", "text.name", "text.look-alike", "name.look-alike", "text.marks") else None
        line = _raw_line(root / problem.path, problem.line) if match else None
        found = line.find(chr(int(match.group(1), 16)), problem.col - 1) if line is not None else -1
        if found >= 0:
            problem = replace(problem, col=found + 1, message=problem.message.replace("ký tự thứ", "cột "
                              f"{found + 1}, ký tự thứ", 1) if "ký tự thứ" in problem.message else problem.message)
        placed.append(problem)
    return placed


def _raw_line(path: Path, number: int) -> str | None:
    """A line of a regular record file (never through a link, never a pipe)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return LINE_BREAK.split(handle.read(MAX_FILE_BYTES).decode("utf-8", errors="replace"))[number - 1]
    except (OSError, IndexError):
        return None


def _texts(data: Any) -> list[str]:
    texts, stack = [], [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return texts


# --- References ---------------------------------------------------------------

def _references(document: Document) -> list[tuple[tuple, str, str]]:
    """(loc, target id, expected kind) for every reference a document makes.

    Read from the plain data, so that a record with a schema error still has
    its references checked in the same run.
    """
    return _references_in(document.kind.model, document.data, ())


def _references_in(model: type[BaseModel], data: Any, at: tuple) -> list[tuple[tuple, str, str]]:
    """The references of `data` read as `model`, and of the nested groups in it
    (a directive's `relations`, a course's `items`)."""
    if not isinstance(data, dict):
        return []
    found = []
    refs, groups = _shape(model)
    for field in refs:
        value = data.get(field.name)
        seen = set()     # a blank or repeated target already has its problem (field.missing, field.duplicate)
        for index, target in (enumerate(value) if isinstance(value, list) else [(None, value)]):
            if isinstance(target, str) and target.strip() and target.strip() not in seen:
                seen.add(target.strip())
                loc = (field.name,) if index is None else (field.name, index)
                found.append((at + loc, target.strip(), field.target))
    for name, nested in groups:
        value = data.get(name)
        if isinstance(value, list):
            for index, item in enumerate(value):
                found += _references_in(nested, item, at + (name, index))
    return found


@cache
def _shape(model: type[BaseModel]) -> tuple[list, list[tuple[str, type[BaseModel]]]]:
    """A model's reference fields and nested groups, read once per model rather than once per record."""
    return ref_fields(model), nested_models(model)


def _check_refs(document: Document, declared: dict[str, Document], opaque: set[str] = frozenset()) -> list[Problem]:
    problems = []
    own_id = document.data.get("id")
    for loc, target, expected in _references(document):
        line, col = document.position(loc)
        want = KINDS[expected]
        if target == own_id and want is document.kind:
            problems.append(Problem(document.path, line, col, "relation.self",
                                    f"{want.label} này không thể tham chiếu tới chính nó",
                                    "sửa thành mã của một bản ghi khác, hoặc xóa dòng này"))
        elif target not in declared and expected in opaque:
            continue
        elif target not in declared:
            candidates = [i for i, d in declared.items() if d.kind is want and re.match(ID_PATTERN, i)]
            close = difflib.get_close_matches(target, candidates, n=3, cutoff=0.5)
            hint = ("có phải ý bạn là " + " hoặc ".join(f"`{c}`" for c in close) + "?") if close else \
                f"tạo bản ghi trong data/{want.folder}/{target}.yaml, hoặc sửa lại mã"
            problems.append(Problem(document.path, line, col, "ref.unknown",
                                    f"không có {want.label} nào mang mã `{target}`", hint))
        elif declared[target].kind is not want:
            actual = declared[target].kind
            problems.append(Problem(document.path, line, col, "ref.kind",
                                    f"`{target}` là {actual.label}, nhưng ở đây cần một {want.label}",
                                    f"dùng mã của một {want.label} (trong data/{want.folder}/)"))
    return problems


def _check_duplicates(document: Document) -> list[Problem]:
    """A list of ids or of sentences names each once: the repeat is reported where it is written."""
    return _duplicates_in(document, document.kind.model, document.data, ())


def _duplicates_in(document: Document, model: type[BaseModel], data: Any, at: tuple) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    problems = []
    for name in _string_lists(model):
        value = data.get(name)
        first: dict[str, int] = {}
        for index, item in enumerate(value if isinstance(value, list) else ()):
            text = item.strip() if isinstance(item, str) else ""
            if text and text in first:
                line, col = document.position(at + (name, index))
                earlier = document.position(at + (name, first[text]))[0]
                problems.append(Problem(document.path, line, col, "field.duplicate",
                                        f"“{_short(text)}” đã có trong `{name}` (dòng {earlier})",
                                        "xóa mục lặp lại; mỗi mục chỉ ghi một lần"))
            first.setdefault(text, index)
    for name, nested in _shape(model)[1]:
        value = data.get(name)
        for index, item in enumerate(value if isinstance(value, list) else ()):
            problems += _duplicates_in(document, nested, item, at + (name, index))
    return problems


@cache
def _string_lists(model: type[BaseModel]) -> list[str]:
    """The fields holding a list whose items are named once (ids, sentences: field_types.py)."""
    return [name for name, info in model.model_fields.items()
            if (typed := slot(info, name)).many and typed.type.unique_items]


# --- Graphs ---------------------------------------------------------------------

def _edges(entry: Entry) -> list[tuple[str, str, tuple]]:
    """(graph label, target, loc) for every link that must not lead back to `entry`:
    an acyclic reference to a record of its own kind (organ → parent, province →
    merged_into; not a symmetric "related") and every directed relation type (căn cứ, thay thế…)."""
    record, found = entry.record, []
    for field in ref_fields(type(record)):
        if field.target == entry.kind.name and field.acyclic:
            value = getattr(record, field.name)
            for index, target in (enumerate(value) if field.many else [(None, value)] if value else []):
                found.append((field.label, target, (field.name,) if index is None else (field.name, index)))
    relations = relations_field(type(record))
    for index, relation in enumerate(getattr(record, relations) if relations else ()):
        if RELATION_TYPES[relation.type].acyclic:     # one graph: A căn cứ B and B thay thế A is a cycle too
            found.append(("Quan hệ văn bản", relation.target, (relations, index, "target")))
    return found


def _check_cycles(entries: dict[str, Entry], by_path: dict[str, Document]) -> list[Problem]:
    """No chain of one kind of link closes on itself: one problem per tangle of records that reach
    each other (a strongly connected component), showing one shortest cycle of it, where it closes.

    One per back edge would be quadratic: 800 directives that all name each other gave 319,600
    problems, each carrying the whole path (2.3 GB)."""
    graphs: dict[str, dict[str, list[tuple[str, tuple]]]] = {}
    for entry_id, entry in entries.items():
        for graph, target, loc in _edges(entry):
            if target in entries and target != entry_id:
                graphs.setdefault(graph, {}).setdefault(entry_id, []).append((target, loc))
    problems = []
    for graph_name, graph in sorted(graphs.items()):
        for component in _tangles(graph):
            cycle, loc = _shortest_cycle(graph, component)
            entry = entries[cycle[-2]]
            line, col = by_path[entry.path].position(loc)
            shown = cycle if len(cycle) <= CYCLE_SHOWN else \
                cycle[:CYCLE_SHOWN - 3] + [f"… ({len(cycle) - CYCLE_SHOWN} bản ghi nữa)"] + cycle[-2:]
            more = f" (vòng này nằm trong một nhóm {len(component)} bản ghi dẫn vòng tới nhau)" \
                if len(component) > len(cycle) - 1 else ""
            problems.append(Problem(entry.path, line, col, "relation.cycle",
                                    f"chuỗi “{graph_name.lower()}” khép thành vòng: " + " → ".join(shown) + more,
                                    "quan hệ này chỉ có một chiều; bỏ liên kết sai trong vòng"))
    return problems


# The longest cycle written out in a problem; a longer one is shortened in the middle.
CYCLE_SHOWN = 12


def _tangles(graph: dict[str, list[tuple[str, tuple]]]) -> list[set[str]]:
    """The strongly connected components of more than one record (Tarjan's, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(graph.get(start, ())))]
        while work:
            node, targets = work[-1]
            step = next(targets, None)
            if step is not None:
                target = step[0]
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph.get(target, ()))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return sorted(found, key=min)


def _shortest_cycle(graph: dict[str, list[tuple[str, tuple]]], component: set[str]) -> tuple[list[str], tuple]:
    """A shortest cycle through the component's first record (by id), found breadth first, and
    where its last link is written."""
    start = min(component)
    came: dict[str, tuple[str, tuple]] = {}
    queue, head = [start], 0
    while head < len(queue):
        node = queue[head]
        head += 1
        for target, loc in graph.get(node, ()):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(came[path[-1]][0])
                return [*reversed(path), start], loc
            if target in component and target not in came:
                came[target] = (node, loc)
                queue.append(target)
    raise AssertionError("a strongly connected component has a cycle through each member")


def _check_provinces(entries: dict[str, Entry], by_path: dict[str, Document]) -> list[Problem]:
    """A former province points at the province it belongs to today, not at another former one."""
    problems = []
    for entry in entries.values():
        field = entry.kind.successor
        successor = getattr(entry.record, field) if field else None
        after = entries.get(successor) if successor else None
        later = getattr(after.record, field) if after is not None else None
        if not later or later == entry.id:
            continue        # a loop is reported as a cycle
        line, col = by_path[entry.path].position((field,))
        problems.append(Problem(entry.path, line, col, "province.chain",
                                f"`{successor}` cũng đã sáp nhập vào `{later}`",
                                f"ghi thẳng tỉnh, thành hiện nay: `{field}: {later}`"))
    return problems


def _check_course_pages(entries: dict[str, Entry], by_path: dict[str, Document], content: Path) -> list[Problem]:
    """A course's hand-written pages exist in content/, and can be one of its readings: not the home
    page, whose place in a course's offline copy and printed pack is the course's own page."""
    from .content_policy import page_url

    problems = []
    for entry in entries.values():
        for index, item in enumerate(getattr(entry.record, "items") if entry.kind.model is Course else ()):
            if not item.page:
                continue
            line, col = by_path[entry.path].position(("items", index, "page"))
            if page_url(item.page) == page_url("index.md"):
                problems.append(Problem(entry.path, line, col, "course.page",
                                        f"`{item.page}` là trang chủ của sổ tay, không phải một bài đọc",
                                        "trang mở đầu của khóa học là chính trang khóa học; bỏ mục này, hoặc "
                                        "chọn một trang khác trong content/"))
            elif not (content / item.page).is_file():
                problems.append(Problem(entry.path, line, col, "course.page",
                                        f"không có trang `{item.page}` trong content/",
                                        "ghi đường dẫn tính từ content/, ví dụ `bien-tap/index.md`"))
    return problems


def _check_relation_dates(entries: dict[str, Entry], by_path: dict[str, Document]) -> list[Problem]:
    """A directive is based on, guides, implements, replaces or amends only what came before it."""
    problems = []
    for entry in entries.values():
        relations, date = relations_field(entry.kind.model), entry.kind.date
        issued = getattr(entry.record, date) if date else None
        for index, relation in enumerate(getattr(entry.record, relations) if relations else ()):
            target = entries.get(relation.target)
            earlier = getattr(target.record, target.kind.date) if target and target.kind.date else None
            if issued and earlier and RELATION_TYPES[relation.type].acyclic and issued.before(earlier):
                line, col = by_path[entry.path].position((relations, index, "type"))
                label = RELATION_TYPES[relation.type].label.lower()
                problems.append(Problem(entry.path, line, col, "relation.date",
                                        f"văn bản ban hành {issued.vietnamese()} không thể “{label}” "
                                        f"văn bản ban hành sau nó ({earlier.vietnamese()})",
                                        "kiểm tra lại ngày ban hành hoặc chiều của quan hệ (khai báo ở văn bản mới hơn)"))
    return problems


def _check_glossary(entries: dict[str, Entry], by_path: dict[str, Document]) -> list[Problem]:
    """One meaning per abbreviation: a second one would silently replace the first on every page."""
    problems, seen = [], {}
    # By id, so that the record added later ("btctw-2" beside "btctw") is the one told.
    for entry in sorted(entries.values(), key=lambda e: e.id):
        if entry.kind.model is not Glossary:
            continue
        first = seen.setdefault(name_key(entry.record.abbr), entry)
        if first is not entry:
            line, col = by_path[entry.path].position(("abbr",))
            problems.append(Problem(entry.path, line, col, "glossary.duplicate",
                                    f"chữ viết tắt `{entry.record.abbr}` đã được giải nghĩa ở {first.path}",
                                    "gộp hai nghĩa vào một bản ghi, hoặc sửa bản ghi đã có"))
    return problems


def _check_same_names(entries: dict[str, Entry], by_path: dict[str, Document]) -> list[Problem]:
    """Two records of one kind never show the same name: readers could not tell which is which.

    Compared as readers see them (characters.name_key: case, spaces, full-width letters; and
    confusables.keys: look-alike letters, UTS #39 skeletons) and as pages show them (a directive
    with its number and date, a practice with its province). The glossary has its own check (one
    meaning per abbreviation)."""
    problems, seen = [], {}
    for entry in sorted(entries.values(), key=lambda e: e.id):
        kind = entry.kind
        if kind.model is Glossary:
            continue
        issuer = getattr(entry.record, kind.issuer) if kind.issuer and entry.record.names_issuer() else None
        shown = entry.record.display_name()
        found = [(kind.name, key, issuer) for key in dict.fromkeys(confusables.keys(shown))]
        first = next((seen[key] for key in found if key in seen), None)
        for key in found:
            seen.setdefault(key, entry)
        if first is None:
            continue
        if name_key(shown) != name_key(first.record.display_name()):
            problems.append(look_alike_name(entry, first, by_path))
            continue
        line, col = by_path[entry.path].position((kind.name_field,))
        problems.append(Problem(entry.path, line, col, "name.duplicate",
                                f"{kind.label} này trùng tên với {first.path} "
                                f"(“{_short(first.record.display_name())}”)",
                                "đặt tên khác để bạn đọc phân biệt được; nếu là một bản ghi, gộp hai tệp"))
    return problems
