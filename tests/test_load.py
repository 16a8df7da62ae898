"""Stage 1: files are read into plain values with positions, or refused clearly."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.load as loading

from generator.load import MAX_FILE_BYTES, load, load_file
from generator.schema import KINDS
from scratch import scratch_project

TOPIC = KINDS["topic"]


def codes(raw: bytes) -> list[tuple[str, int, int]]:
    _, problems = load_file(raw, "data/topics/x.yaml", TOPIC)
    return [(p.code, p.line, p.col) for p in problems]


def test_values_remember_their_positions():
    document, problems = load_file("id: x\nname: Chi bộ\nlist:\n  - a\n  - b\n".encode(), "data/topics/x.yaml", TOPIC)
    assert problems == []
    assert document.data == {"id": "x", "name": "Chi bộ", "list": ["a", "b"]}
    assert document.position(("list", 1)) == (5, 5)
    assert document.key_position(("name",)) == (2, 1)
    assert document.position(("name", "missing", 3)) == (2, 7)   # nearest enclosing value


def test_dates_stay_text_so_partial_dates_are_not_completed():
    document, _ = load_file(b"id: x\nissued: 2010-03-09\nyear: 2013\nmonth: 2013-05\n", "x.yaml", TOPIC)
    assert document.data["issued"] == "2010-03-09"
    assert document.data["year"] == "2013"      # every value keeps its text; the schema decides
    assert document.data["month"] == "2013-05"


@pytest.mark.parametrize("raw, expected", [
    (b"", [("file.empty", 1, 1)]),
    (b"# only a comment\n", [("file.empty", 1, 1)]),
    (b"\xef\xbb\xbfid: x\n", [("file.encoding", 1, 1)]),
    ("id: x\nname: Đăng\n".encode("cp1258"), [("file.encoding", 2, 1)]),   # a Windows code page
    (b"id: x\n\tname: y\n", [("yaml.tab", 2, 1)]),
    (b"id: x\nname: [a\n", [("yaml.syntax", 2, 7)]),
    (b"- id: x\n", [("yaml.not-mapping", 1, 1)]),
    (b"id: x\nname: a\nname: b\n", [("yaml.duplicate-key", 3, 1)]),
    (b"id: x\na: &a [1]\nb: *a\n", [("yaml.alias", 3, 1)]),
])
def test_bad_files_are_refused_with_a_place(raw, expected):
    assert codes(raw) == expected


def test_alias_bomb_is_refused_without_expanding():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    _, problems = load_file(("id: x\n" + "\n".join(levels) + "\n").encode(), "x.yaml", TOPIC)
    assert problems and {p.code for p in problems} == {"yaml.alias"}


def test_oversized_file_is_refused_before_parsing():
    assert codes(b"id: x\nname: " + b"a" * MAX_FILE_BYTES + b"\n") == [("file.too-large", 1, 1)]


def test_decomposed_vietnamese_is_normalised_with_a_warning():
    decomposed = "Chi bô\u0323".encode()        # "ộ" typed as o + circumflex + dot below
    document, problems = load_file(b"id: x\nname: " + decomposed + b"\n", "x.yaml", TOPIC)
    assert document.data["name"] == "Chi bộ"
    assert [(p.code, p.severity, p.line) for p in problems] == [("text.nfc", "cảnh báo", 2)]


def test_files_outside_kind_folders_are_reported(tmp_path):
    root = scratch_project(tmp_path, {"data/notes.yaml": "id: x\n", "data/topics/y.yml": "id: y\n"})
    documents, problems = load(root / "data")
    assert sorted((p.path, p.code) for p in problems) == [("data/notes.yaml", "file.location"),
                                                          ("data/topics/y.yml", "file.location")]
    assert documents and all(d.path.startswith("data/") for d in documents)


@pytest.mark.parametrize("raw, message", [
    ("id: x\nname: Kết luận: 205\n", "dấu hai chấm đặt sai chỗ"),
    ("id: x\nname: [a\n", "thiếu dấu đóng ngoặc vuông ]"),
    ('id: x\nname: "abc\n', "thiếu dấu ngoặc kép đóng"),
    ("id: x\nname b\nother: 1\n", "thiếu dấu hai chấm sau tên trường"),
])
def test_syntax_errors_are_explained_in_vietnamese(raw, message):
    _, [problem] = load_file(raw.encode(), "data/topics/x.yaml", TOPIC)
    assert problem.code == "yaml.syntax" and problem.message == message and problem.hint


# One input for each piece of the parsers' English that loading._SYNTAX explains.
SYNTAX_EXAMPLES = {
    "mapping values are not allowed": "id: x\nname: Kết luận: 205\n",
    "could not find expected ':'": "id: x\nname b\nother: 1\n",
    "expected ',' or ']'": "id: x\nname: [a\n",
    "expected ',' or '}'": "id: x\nname: {a: b\n",
    "end of stream": 'id: x\nname: "abc\n',
    "cannot start any token": "id: x\nname: @abc\n",
    "did not find expected key": "id: x\nmap:\n  a: 1\n b: 2\n",
    "expected <block end>": "id: x\nmap:\n  a: 1\n b: 2\n",
    "did not find expected '-' indicator": "id: x\nlist:\n  - a\n  b: c\n",
    "found another document": "id: x\n---\nid: y\n",
    "found undefined alias": "id: x\nname: *a\n",
    "alphabetic or numeric character": "id: x\nname: *Nhấn mạnh* là\n",
    "sequence entries are not allowed": "id: x\nname: - mục một\n",
    "found unknown escape character": 'id: x\nname: "12\\QĐ"\n',
    "comment or a line break": "id: x\nname: | abc\n",
    "expected comment or line break": "id: x\nname: | abc\n",
    "found duplicate anchor": "id: x\na: &x 1\nb: &x 2\n",
    "found unknown directive": "%FOO bar\n---\nid: x\n",
    "node content": "id: x\nname: [a, , b]\n",
}
# The parser PyYAML uses when it has libyaml, and the one it falls back to without it.
PARSERS = {"libyaml": loading._Loader,
           "python": type("PurePythonLoader", (yaml.SafeLoader,), {"resolve": loading._Loader.resolve})}


def test_every_explained_complaint_has_an_example():
    assert set(SYNTAX_EXAMPLES) == set(loading._SYNTAX)


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("complaint", SYNTAX_EXAMPLES)
def test_parsers_complaints_reach_editors_explained(complaint, parser, monkeypatch):
    """Whichever parser and release reads the file, its complaint is said in Vietnamese.

    Every release of PyYAML bundles its own libyaml, whose English may change (6.0.4's
    libyaml 0.2.6 added a nesting limit): a complaint no key matches falls back to the
    generic "lỗi cú pháp YAML", which tells an editor nothing.
    """
    monkeypatch.setattr(loading, "_Loader", PARSERS[parser])
    _, problems = load_file(SYNTAX_EXAMPLES[complaint].encode(), "data/topics/x.yaml", TOPIC)
    if parser == "python" and complaint == "found unknown directive":
        return          # the pure-Python parser lets an unknown directive pass (with a warning)
    assert [p.code for p in problems] == ["yaml.syntax"]
    assert problems[0].message in {message for message, _ in loading._SYNTAX.values()}


# Every way YAML opens a level: flow brackets, block sequences and explicit keys written compactly.
NESTINGS = {"flow": lambda n: "[" * n + "a" + "]" * n, "braces": lambda n: "{a: " * n + "b" + "}" * n,
            "dashes": lambda n: "- " * n + "a", "keys": lambda n: "? " * n + "a", "mixed": lambda n: "- ? " * n + "a"}


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("shape", NESTINGS)
@pytest.mark.parametrize("levels", [999, 1001, 30_000])
def test_deep_nesting_is_refused_never_a_crash(levels, shape, parser, monkeypatch):
    """Not a crash (libyaml 0.2.5 overflows its stack some 40,000 levels down, the pure-Python
    parser runs out of recursion), not libyaml 0.2.6's own error at 1,000 levels: yaml.depth on
    the value's line, whichever parser reads the file."""
    monkeypatch.setattr(loading, "_Loader", PARSERS[parser])
    raw = ("id: x\nname:\n  " + NESTINGS[shape](levels) + "\n").encode()
    found = codes(raw)
    assert [code for code, _, _ in found] == ["yaml.depth"] and found[0][1] in (1, 3), found


@given(st.lists(st.sampled_from(["[", "{a: ", "- ", "? ", "a", ", ", "]", "}", "\n  ", ": ", '"', "#"]),
                max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_is_a_record_or_a_place_to_fix(pieces):
    """Whatever an editor pastes, loading ends with values or problems that have a place."""
    document, problems = load_file(("id: x\nv: " + "".join(pieces) + "\n").encode(), "data/topics/x.yaml", TOPIC)
    assert document is not None or problems
    assert all(p.line >= 1 and p.col >= 1 and p.message for p in problems)


def test_empty_and_null_values_are_empty_quoted_ones_are_text():
    document, problems = load_file(b'id: x\na:\nb: null\nc: ~\nd: "null"\ne: no\n', "x.yaml", TOPIC)
    assert (document.data["a"], document.data["b"], document.data["c"]) == (None, None, None)
    assert (document.data["d"], document.data["e"]) == ("null", "no") and problems == []


def test_a_data_folder_that_is_a_link_is_refused(tmp_path):
    """Records from elsewhere on the machine, through `data` itself being a symbolic link."""
    from generator.load import load

    elsewhere = tmp_path / "elsewhere" / "topics"
    elsewhere.mkdir(parents=True)
    (elsewhere / "x.yaml").write_text("id: x\nname: X\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "data").symlink_to(tmp_path / "elsewhere")
    documents, problems = load(tmp_path / "project" / "data")
    assert documents == [] and [p.code for p in problems] == ["file.symlink"]
