"""Stage 1: read YAML files into plain values that remember where they came from.

PyYAML's composer gives nodes with line and column; we turn them into plain
dicts, lists and scalars ourselves so that we can refuse what PyYAML would
silently accept (a key written twice, aliases that expand into a bomb) and
keep every position for the messages of later stages.
"""

from __future__ import annotations

import gc
import marshal
import os
import re
import stat
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from .aside import Aside, AsideError, jobs
from .problems import ERROR, WARNING, Problem
from .schema import KIND_BY_FOLDER, KINDS, Kind

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 16          # records nest three levels deep at most (course → items → questions)
_YAML = "tag:yaml.org,2002:"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's loader, resolving only what the builder asks of a plain scalar: is it empty (null)?

    Every other implicit type (int, bool, timestamp…) would be kept as text anyway
    (_Builder.scalar), and trying each type's pattern on each of 20k files' values
    took a tenth of the loading time.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _YAML + "null" if implicit[0] and value in _NULLS else _YAML + "str"
        return _YAML + ("seq" if kind is yaml.SequenceNode else "map")

# Tags YAML gives plain values by itself. Any other tag was written by hand (`!custom`,
# `!!python/name:…`, `!!set`) and is refused: records hold text, lists and groups only.
_IMPLICIT_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "merge", "value")}

Position = tuple[int, int]

# PyYAML's commonest complaints, said the way an editor can act on them. Each key is a piece of
# libyaml's (or the pure-Python parser's) English; tests/test_load.py holds an input for each, so
# a release that rewords one fails a test instead of showing editors the generic message.
_SYNTAX_HINT = "kiểm tra dấu hai chấm, thụt lề và dấu ngoặc kép ở dòng này hoặc dòng ngay trước"
_SYNTAX = {
    "mapping values are not allowed": (
        "dấu hai chấm đặt sai chỗ",
        'giá trị có dấu hai chấm thì đặt cả giá trị trong ngoặc kép, ví dụ title: "Kết luận: …"; '
        "nếu đây là một trường mới thì viết thẳng cột với các trường khác"),
    "could not find expected ':'": ("thiếu dấu hai chấm sau tên trường", "viết dạng \"tên_trường: giá trị\""),
    "expected ',' or ']'": ("thiếu dấu đóng ngoặc vuông ]", "đóng danh sách bằng ], ví dụ sources: [bai-mau]"),
    "expected ',' or '}'": ("thiếu dấu đóng ngoặc nhọn }", "đóng nhóm bằng }"),
    "end of stream": ("thiếu dấu ngoặc kép đóng", "mỗi chuỗi mở bằng \" phải được đóng bằng \" trên cùng dòng"),
    "cannot start any token": (
        "giá trị bắt đầu bằng ký tự đặc biệt (như @, ` hoặc %)", "đặt cả giá trị trong ngoặc kép"),
    "did not find expected key": ("thụt lề không khớp với các dòng trên", _SYNTAX_HINT),
    "expected <block end>": ("thụt lề không khớp với các dòng trên", _SYNTAX_HINT),   # the pure-Python parser
    "did not find expected '-' indicator": ("thụt lề của danh sách không khớp", "các mục cùng danh sách thẳng cột nhau"),
    "found another document": ("tệp chứa nhiều hơn một bản ghi (có dòng ---)",
                               "mỗi tệp chỉ chứa một bản ghi: xóa dòng --- và tách phần sau ra tệp khác"),
    "found undefined alias": ("dùng bí danh YAML (*tên) chưa được khai báo", "viết thẳng giá trị, không dùng *"),
    # "*Nhấn mạnh*" or "&" opening a value: YAML reads an alias or an anchor there.
    "alphabetic or numeric character": (
        "giá trị bắt đầu bằng * hoặc & (YAML hiểu là bí danh, nhãn)",
        'đặt cả giá trị trong ngoặc kép, ví dụ description: "*Nhấn mạnh* là …"'),
    "sequence entries are not allowed": (
        "dấu gạch đầu dòng (-) đứng ngay sau dấu hai chấm",
        "viết danh sách ở các dòng dưới, mỗi mục một dòng \"- …\" thụt lề; hoặc đặt cả giá trị trong ngoặc kép"),
    "found unknown escape character": (
        "dấu \\ trong chuỗi đặt trong ngoặc kép",
        "viết \\\\ thay cho \\, hoặc dùng ngoặc đơn ' … ' (ví dụ '12\\QĐ'); số hiệu văn bản dùng dấu /"),
    "comment or a line break": (
        "sau dấu | hoặc > phải xuống dòng",
        "viết nội dung ở các dòng dưới, thụt lề; hoặc đặt cả giá trị trong ngoặc kép"),
    "expected comment or line break": (
        "sau dấu | hoặc > phải xuống dòng",
        "viết nội dung ở các dòng dưới, thụt lề; hoặc đặt cả giá trị trong ngoặc kép"),
    "found duplicate anchor": ("dùng nhãn YAML (&tên)", "xóa &tên: bản ghi viết thẳng giá trị ở mỗi nơi"),
    "found unknown directive": ("dòng bắt đầu bằng % (chỉ thị YAML)", "đặt cả giá trị trong ngoặc kép, hoặc xóa dòng đó"),
    "node content": ("thiếu giá trị sau dấu mở ngoặc hoặc dấu phẩy", "đóng ngoặc ] hoặc } và xóa dấu phẩy thừa"),
}
# Where PyYAML's complaint is about something opened earlier (a quote never closed), the
# place to fix is where it was opened, not the end of the file.
_OPENED_AT = ("while scanning a quoted scalar", "while parsing a flow", "while scanning a simple key")


@dataclass
class Document:
    """One record file: its plain data and the position of every value in it."""

    path: str                       # as shown to editors, e.g. data/practices/x.yaml
    kind: Kind
    data: dict[str, Any]
    positions: dict[tuple, Position] = field(default_factory=dict)       # of each value
    key_positions: dict[tuple, Position] = field(default_factory=dict)   # of each field name
    broken: bool = False    # could not be read; kept so that references to it are not reported too
    refused: tuple[tuple, ...] = ()     # values the loader refused (and reported): not reported again

    def position(self, loc: tuple) -> Position:
        """The position of the value at `loc`, or of its nearest enclosing value."""
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))

    def key_position(self, loc: tuple) -> Position:
        """The position of the field name at `loc` (where "name:" is written)."""
        return self.key_positions.get(loc) or self.position(loc)


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector for the length of a stage.

    The stages build hundreds of thousands of small objects without cycles
    (nodes, dicts, positions, records), all kept until the stage ends. The
    collector would traverse all of them again and again for nothing: at 20k
    records that was a third of load + validate + link (see README,
    Performance). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@paused_gc()
def load(data_dir: Path, root: Path | None = None, cache=None,
         on_parsed: Callable[[Document], object] | None = None,
         workers: int | None = None) -> tuple[list[Document], list[Problem]]:
    """Read every record file under `data_dir`, in a stable order.

    With a `cache` (parse_cache.ParseCache), files whose size and modification
    time it knows are not read again; when many files must be parsed, `workers`
    processes parse them (`aside.jobs()` if None; see _parse_all), and `on_parsed`
    hears each document once parsed (the pipeline starts validating then, while
    the other processes still parse theirs).
    """
    root = root or data_dir.parent
    prefix = data_dir.relative_to(root).as_posix() if data_dir != root else ""
    if data_dir.is_symlink():       # the whole folder read from elsewhere on the machine
        return [], [Problem(prefix or str(data_dir), 1, 1, "file.symlink",
                            f"thư mục {prefix or data_dir}/ là liên kết tượng trưng (symlink); dữ liệu không đọc "
                            "tệp qua liên kết", f"đặt chính thư mục {prefix or 'data'}/ vào kho, không qua liên kết")]
    if not data_dir.is_dir():
        return [], [Problem(prefix or str(data_dir), 1, 1, "data.missing",
                            f"không thấy thư mục dữ liệu {prefix or data_dir}/",
                            "chạy lệnh trong thư mục dự án (nơi có mkdocs.yml và data/), hoặc chỉ ra nó bằng -C")]
    # os.walk and plain strings: pathlib costs more than parsing at tens of thousands of files.
    # Symbolic links are never followed: a record must be a file of the repository itself.
    found = []
    top = os.path.join(data_dir, "")
    for folder, subfolders, names in os.walk(data_dir):
        inside = folder[len(top):].split(os.sep) if folder != str(data_dir) else []
        for name in names + [s for s in subfolders if os.path.islink(os.path.join(folder, s))]:
            found.append([*inside, name])
    slots: list[tuple[list[Document], list[Problem]] | None] = []     # in file order
    to_parse: list[tuple[int, str, str, str, int, int]] = []
    for parts in sorted(found):         # the order of Path objects: part by part
        path = os.path.join(data_dir, *parts)
        shown = "/".join([prefix, *parts] if prefix not in ("", ".") else parts)
        kind = KIND_BY_FOLDER.get(parts[0]) if len(parts) == 2 else None
        name = parts[-1]
        if name.endswith(".md"):
            continue
        if any(part.startswith(".") for part in parts):   # nothing in data/ is invisible to editors
            slots.append(([], [Problem(shown, 1, 1, "file.hidden", "tệp ẩn (tên bắt đầu bằng dấu chấm) trong data/",
                                       "xóa tệp, hoặc đổi tên nếu đó là một bản ghi")]))
            continue
        status = _lstat(path)
        refusal = None if isinstance(status, os.stat_result) else status
        if refusal:
            # a kind's whole folder refused: its ids are unknown (references to it are not checked)
            whole = [Document(shown, KIND_BY_FOLDER[parts[0]], {}, broken=True)] \
                if len(parts) == 1 and parts[0] in KIND_BY_FOLDER else []
            slots.append((whole, [Problem(shown, 1, 1, *refusal)]))
            continue
        if kind is None or not name.endswith(".yaml"):
            folders = ", ".join(f"data/{k}/" for k in KIND_BY_FOLDER)
            slots.append(([], [Problem(shown, 1, 1, "file.location", "tệp này không thuộc loại bản ghi nào nên bị bỏ qua",
                                       f"mỗi bản ghi là một tệp .yaml nằm ngay trong một trong các thư mục {folders}",
                                       WARNING)]))
            continue
        known = cache.get(shown, status.st_size, status.st_ctime_ns) if cache is not None else None
        if known is not None:
            slots.append(([known[0]], known[1]))
            continue
        to_parse.append((len(slots), path, shown, kind.name, status.st_size, status.st_ctime_ns))
        slots.append(None)
    for (slot, _, shown, _, size, changed_ns), (document, problems) in zip(to_parse, _parse_all(to_parse, on_parsed, workers)):
        if cache is not None and document is not None and not any(p.code == "file.unreadable" for p in problems):
            cache.put(shown, size, changed_ns, document, problems)
        slots[slot] = ([document] if document is not None else [], problems)
    documents = [d for slot in slots for d in slot[0]]
    problems = [p for slot in slots for p in slot[1]]
    return documents, problems


#: Below this many files to parse, a forked copy costs more than the share it parses.
PARALLEL_FROM = 2000


def _parse_all(items: list[tuple], on_parsed=None, workers: int | None = None) -> list[tuple[Document | None, list[Problem]]]:
    """Parse the files in `items`, in order: with many of them and several `workers`, split into
    one share each, every share but the first parsed by a forked copy (aside.py) while this
    process parses the first."""
    workers = (workers or jobs()) if len(items) >= PARALLEL_FROM else 1
    size = max(1, -(-len(items) // workers))
    copies = [Aside(lambda share=items[start:start + size]: _parse_chunk(share))
              for start in range(size, len(items), size)]
    parsed = []
    try:
        for document, problems in map(_parse_one, items[:size]):
            parsed.append((document, problems))
            if on_parsed is not None and not document.broken:
                on_parsed(document)
        for number, copy in enumerate(copies, 1):
            try:
                blob = copy.join()
            except (AsideError, OSError):       # the copy failed (killed, say): its share is parsed here
                blob = _parse_chunk(items[number * size:(number + 1) * size])
            # our own copies' plain values: marshal is the cheapest way back
            for path, kind, data, positions, key_positions, broken, refused, problems in marshal.loads(blob):
                document = Document(path, KINDS[kind], data, positions, key_positions, broken, refused)
                parsed.append((document, [Problem(*p) for p in problems]))
                if on_parsed is not None and not broken:
                    on_parsed(document)
    finally:
        for copy in copies:
            copy.cancel()
    return parsed


def _parse_chunk(items: list[tuple]) -> bytes:
    with paused_gc():
        return marshal.dumps([(d.path, d.kind.name, d.data, d.positions, d.key_positions, d.broken, d.refused,
                               [(p.path, p.line, p.col, p.code, p.message, p.hint, p.severity) for p in found])
                              for d, found in map(_parse_one, items)])


def _parse_one(item: tuple) -> tuple[Document | None, list[Problem]]:
    """One file: its document (a broken stand-in when unusable) and the loader's problems."""
    _, path, shown, kind_name, _, _ = item
    kind = KINDS[kind_name]
    stem = shown.rpartition("/")[2][:-5]
    try:
        raw = _read(Path(path))
    except OSError as error:
        return (Document(shown, kind, {"id": stem}, broken=True),
                [Problem(shown, 1, 1, "file.unreadable", f"không đọc được tệp ({error.strerror or error})",
                         "kiểm tra quyền đọc của tệp (chmod a+r) rồi chạy lại")])
    document, problems = load_file(raw, shown, kind)
    return document or Document(shown, kind, {"id": stem}, broken=True), problems


def _lstat(path: str) -> os.stat_result | tuple[str, str, str]:
    """The file's status, or why it cannot be a record file (a link, a device, a pipe…)."""
    try:
        status = os.lstat(path)
    except OSError as error:
        return "file.unreadable", f"không đọc được tệp ({error.strerror or error})", "kiểm tra quyền của tệp"
    if stat.S_ISLNK(status.st_mode):
        return ("file.symlink", "đây là liên kết tượng trưng (symlink); dữ liệu không đọc tệp qua liên kết",
                "thay liên kết bằng chính tệp (sao chép nội dung vào đây), hoặc xóa nó")
    if not stat.S_ISREG(status.st_mode):
        return ("file.special", "đây không phải một tệp thông thường (thư mục, thiết bị hoặc ống dẫn)",
                "xóa nó khỏi data/; mỗi bản ghi là một tệp .yaml")
    return status


def _read(path: Path) -> bytes:
    """At most one byte more than a record may hold: a huge file is refused unread."""
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


# Line breaks as YAML 1.2 and the editors' editors count them; YAML 1.1 (PyYAML) also breaks at these.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")


def load_file(raw: bytes, shown: str, kind: Kind) -> tuple[Document | None, list[Problem]]:
    """Parse one file's bytes; return the document, or None if nothing usable was in it."""
    def fail(code: str, message: str, hint: str, line: int = 1, col: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(shown, line, col, code, message, hint)]

    if len(raw) > MAX_FILE_BYTES:
        return fail("file.too-large", f"tệp nặng hơn giới hạn {MAX_FILE_BYTES // 1024} KiB cho một bản ghi", "mỗi tệp chỉ chứa một bản ghi; tách nội dung dài thành nhiều bản ghi")
    if raw.startswith(b"\xef\xbb\xbf"):
        return fail("file.encoding", "tệp có BOM (ký tự ẩn ở đầu tệp)",
                    "lưu lại tệp dạng \"UTF-8\" (không chọn \"UTF-8 with BOM\")")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        return fail("file.encoding", "tệp không được lưu bằng mã UTF-8",
                    "mở tệp trong trình soạn thảo và lưu lại với mã hóa UTF-8", line)
    odd_break = _ODD_BREAK.search(text)
    if odd_break:     # PyYAML breaks the line there, the editors' editors (YAML 1.2) do not
        before = text[:odd_break.start()]
        line = len(LINE_BREAK.findall(before)) + 1
        return fail("text.control", f"văn bản chứa ký tự ngắt dòng lạ (mã U+{ord(odd_break.group()):04X}), "
                    "thường do dán từ PDF, Word", "gõ lại đoạn này, hoặc dán dưới dạng chữ thuần (không định dạng)",
                    line, odd_break.start() - max(before.rfind("\n"), before.rfind("\r")))
    for number, line in enumerate(text.splitlines() if "\t" in text else (), 1):   # most files have no tab
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return fail("yaml.tab", "dòng này thụt lề bằng ký tự tab", "thay tab bằng dấu cách (2 dấu cách mỗi cấp)",
                        number, indent.index("\t") + 1)
    depth_hint = "bản ghi chỉ gồm trường, danh sách và nhóm trường ít tầng; bỏ bớt dấu ngoặc [ ] { }, dấu - và ?"
    try:
        too_deep = _too_deep(text)
        if too_deep:
            return fail("yaml.depth", f"dữ liệu lồng nhau quá {MAX_DEPTH} tầng", depth_hint, *too_deep)
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:       # the pure-Python parser, on nesting `_may_nest_deeper` let through
        return fail("yaml.depth", f"dữ liệu lồng nhau quá {MAX_DEPTH} tầng", depth_hint)
    except yaml.MarkedYAMLError as error:
        opened = error.context_mark if any(c in str(error.context) for c in _OPENED_AT) else None
        mark = opened or error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = f"{error.problem or error} {error.context or ''}"
        message, hint = next(((m, h) for key, (m, h) in _SYNTAX.items() if key in problem),
                             ("lỗi cú pháp YAML", _SYNTAX_HINT))
        if opened and "end of stream" in problem:
            message, hint = _SYNTAX["end of stream"]
        return fail("yaml.syntax", message, hint, line, col)
    except yaml.YAMLError:      # not tied to a place (e.g. a control character)
        return fail("yaml.syntax", "tệp chứa ký tự không được phép trong YAML",
                    "xóa ký tự điều khiển (thường do sao chép từ Word hoặc PDF) rồi lưu lại")
    if node is None:
        return fail("file.empty", "tệp rỗng", "xóa tệp, hoặc viết bản ghi theo mẫu của `handbook new`")
    if not isinstance(node, yaml.MappingNode):
        return fail("yaml.not-mapping", "tệp phải chứa một bản ghi dạng \"trường: giá trị\"",
                    "bắt đầu tệp bằng dòng \"id: ...\"", node.start_mark.line + 1, node.start_mark.column + 1)
    builder = _Builder(shown)
    data = builder.value(node, ())
    return (Document(shown, kind, data, builder.positions, builder.key_positions, refused=tuple(builder.refused)),
            builder.problems)


def _too_deep(text: str) -> Position | None:
    """Where nesting goes deeper than any record needs, checked on the event stream.

    libyaml builds nodes recursively and crashes the interpreter (or, from 0.2.6, stops
    with its own error) on a file nested some thousands of levels deep; the pure-Python
    parser runs out of recursion sooner. Events come one at a time. The check runs only on
    files that could nest that deep (`_may_nest_deeper`); shallower excess nesting is left to
    the builder, which reports it at the 17th level.
    """
    if not _may_nest_deeper(text, SAFE_DEPTH):
        return None
    try:
        return _first_too_deep(yaml.parse(text, Loader=_Loader))
    except yaml.YAMLError as error:
        # Some libyaml releases (0.2.6, in PyYAML 6.0.4) stop deep nesting with their own
        # error while scanning ahead, before we see the event that crosses our limit. The
        # pure-Python parser has no such limit and yields the same events, one at a time.
        if "nesting depth" not in str(error):
            raise
        return _first_too_deep(yaml.parse(text, Loader=yaml.SafeLoader))


# Nesting every parser composes without running out of stack (the pure-Python one recurses
# a few frames a level, under Python's limit of 1,000).
SAFE_DEPTH = 100


def _may_nest_deeper(text: str, depth: int) -> bool:
    """Whether the text could nest more than `depth` levels: a flow level needs a bracket, a
    block level a column of its own at the start of a line (a sequence may share its parent's:
    hence two levels a column), counting indentation and the indicators that open levels on the
    same line ("- - ? a")."""
    room = (depth - 2 - text.count("[") - text.count("{")) // 2
    return room <= 0 or _opening(room).search(text) is not None


@lru_cache(maxsize=8)
def _opening(columns: int) -> re.Pattern:
    """A line opening `columns` wide or more: spaces and block indicators ("- ", "? ", ": ")."""
    return re.compile(rf"^(?:[ ]|[-?:](?=[ ]|$)){{{columns},}}", re.M)


def _first_too_deep(events) -> Position | None:
    depth = 0
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1, event.start_mark.column + 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


class _Builder:
    """Turns a node tree into plain values, recording positions and problems."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.positions: dict[tuple, Position] = {}
        self.key_positions: dict[tuple, Position] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.reported: set[str] = set()     # one problem per kind of mistake and file, not one per use
        self.refused: list[tuple] = []

    def problem(self, node: yaml.Node, code: str, message: str, hint: str, severity: str = ERROR) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.shown, mark.line + 1, mark.column + 1, code, message, hint, severity))

    def once(self, node: yaml.Node, code: str, message: str, hint: str) -> None:
        if code not in self.reported:
            self.reported.add(code)
            self.problem(node, code, message, hint)

    def value(self, node: yaml.Node, loc: tuple) -> Any:
        self.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:     # an alias: the same node again, marked where its anchor was
            self.refused.append(loc)
            if "yaml.alias" not in self.reported:
                self.reported.add("yaml.alias")
                line, col = self.key_positions.get(loc, self.positions[loc])
                self.problems.append(Problem(self.shown, line, col, "yaml.alias",
                                             "không dùng bí danh YAML (*tên) để lặp lại nội dung",
                                             "viết thẳng giá trị ra ở mỗi nơi cần dùng"))
            return None
        self.seen.add(id(node))
        if len(loc) + 1 > MAX_DEPTH:      # the record itself is the first level
            self.refused.append(loc[:1])    # the whole field: what is left of it would only mislead
            self.once(node, "yaml.depth", f"dữ liệu lồng nhau quá {MAX_DEPTH} tầng",
                      "bản ghi chỉ gồm trường, danh sách và nhóm trường ít tầng")
            return None
        if isinstance(node, yaml.MappingNode):
            if node.tag != _YAML + "map":
                return self.bad_tag(node, loc)
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _YAML + "seq":
                return self.bad_tag(node, loc)
            return [self.value(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def bad_tag(self, node: yaml.Node, loc: tuple) -> None:
        self.refused.append(loc)
        tag = node.tag.replace(_YAML, "!!")
        self.problem(node, "yaml.tag", f"thẻ YAML `{tag[:40]}` không được dùng trong dữ liệu",
                     "xóa thẻ (phần bắt đầu bằng !); nếu giá trị là chữ có dấu !, đặt cả giá trị trong ngoặc kép")

    def mapping(self, node: yaml.MappingNode, loc: tuple) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key == "<<":
                self.problem(key_node, "yaml.not-mapping", "tên trường phải là một từ như `title`",
                             "viết dạng \"tên_trường: giá trị\"")
                continue
            if key in result:
                first = self.key_positions[loc + (key,)][0]
                self.problem(key_node, "yaml.duplicate-key", f"trường `{key}` được khai báo lần thứ hai "
                             f"(lần đầu ở dòng {first})", "gộp hai lần khai báo thành một, xóa lần thừa")
                continue
            self.key_positions[loc + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.value(value_node, loc + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode, loc: tuple = ()) -> Any:
        """A value exactly as written: text, or None for an empty value.

        YAML 1.1 would retype unquoted values (`010` → 8, `no` → False,
        `3:20` → 200, `1.000` → 1.0); a record keeps the editor's text and the
        schema decides what it means.
        """
        if node.tag not in _IMPLICIT_TAGS:
            return self.bad_tag(node, loc)
        if node.tag == _YAML + "null" and not node.style:     # plain (libyaml says "", PyYAML None)
            return None
        text = node.value
        if not node.style and (written := yaml12_number(text)) is not None:     # plain: None or ""
            self.problem(node, "text.number", f"`{text}` không có ngoặc kép: trình biên tập bằng biểu mẫu "
                         f"đọc thành số {written} và sẽ ghi lại như vậy khi lưu bản ghi",
                         f'đặt trong ngoặc kép: "{text}"', WARNING)
        if unicodedata.is_normalized("NFC", text):     # the common case, without building a copy
            return text
        normal = unicodedata.normalize("NFC", text)
        if normal != text:
            self.problem(node, "text.nfc", "chữ tiếng Việt ở dạng tổ hợp (dấu tách rời chữ cái), đã tự chuẩn hóa",
                         "đặt bộ gõ ở bảng mã Unicode dựng sẵn rồi gõ lại đoạn này", WARNING)
        return normal


# Plain scalars that a YAML 1.2 parser (Decap CMS, most editors' tools) reads as a number
# written differently: `1.000` → 1, `010` → 10, `1e3` → 1000, `.5` → 0.5. The loader keeps the
# text, but the form editor would save the number; quoting keeps both readings equal.
_YAML12_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+")


def yaml12_number(text: str) -> str | None:
    """How a YAML 1.2 reader writes back the plain scalar `text`, when that differs from it."""
    if not _YAML12_NUMBER.fullmatch(text):
        return None
    if text.startswith(("0o", "0x")):
        written = str(int(text, 0)) if len(text) < 16 else "rất lớn"
    elif re.fullmatch(r"[-+]?[0-9]{1,15}", text):      # integers JavaScript holds exactly
        written = str(int(text))
    else:
        written = repr(float(text)).removesuffix(".0")
    return written if written != text else None
