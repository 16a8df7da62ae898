"""`handbook fmt`: one layout for every record file, that never changes a value.

The properties are checked on records written the ways editors and tools write
YAML (plain values as typed, PyYAML's styles, flow lists, comments, CRLF), with
the values that YAML 1.1 and 1.2 read differently (`010`, `no`, `3:20`, `1.000`).
"""

from __future__ import annotations

import io
import re

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator import fmt
from generator.cli import main
from generator.load import load_file
from generator.scaffold import new_record
from generator.schema import KINDS
from generator.validate import validate
from tests.scratch import PROJECT, scratch_project

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values YAML readers disagree about, or that look like YAML's own syntax.
TRICKY = ["010", "no", "No", "yes", "on", "off", "y", "n", "3:20", "1:20:30", "1.000", "1_000", "0x1F", "0o17",
          "1e3", ".5", "-5", "+5", ".inf", ".NaN", "~", "null", "Null", "true", "FALSE", "2020-05-01",
          "2020-05-01 10:00", "2020-05", "2020", "<<", "=", "-", "- a", "? a", ": a", "a: b", "a:", "a #b", "#a",
          "a#b", " a", "a ", "", "[a]", "{a: 1}", "*a", "&a", "!a", "|", ">", "'a'", '"a"', "%a", "@a", "`a",
          "a\nb", "a\n\nb", "a\n b", "a\n", "\na", "a \nb", "a\tb", "\x85", "a\u2028b", "\ufeffa", "\\", "Đảng",
          "Nghị quyết số 18-NQ/TW", "5-7", "145/156", "100%", "1 buổi (4 tiết)", "Kết luận: …"]
TEXT = st.one_of(st.sampled_from(TRICKY), st.text(max_size=30),
                 st.lists(st.sampled_from(TRICKY), min_size=1, max_size=3).map(" ".join))
VALUE = st.recursive(st.one_of(st.none(), TEXT),
                     lambda inner: st.one_of(st.lists(inner, max_size=3),
                                             st.dictionaries(st.sampled_from(["label", "value", "type", "target",
                                                                              "note", "questions", "x"]),
                                                             inner, max_size=3)),
                     max_leaves=8)


@st.composite
def records(draw):
    """A kind and a record of it: its own fields (any values), sometimes one it does not know."""
    kind = KINDS[draw(st.sampled_from(sorted(KINDS)))]
    names = draw(st.lists(st.sampled_from([*kind.model.model_fields, "extra"]), unique=True, max_size=6))
    data = {"id": draw(st.sampled_from(["x", "010", "a-b", "no"]))}
    for name in names:
        data[name] = draw(VALUE)
    return kind, data


def _plainly(value: object, indent: int = 0) -> str:
    """A value as an editor types it: plain where PyYAML would take it back as the same text."""
    if isinstance(value, str) and re.fullmatch(r"[\w.:/%-]+( [\w.:/%-]+)*", value) and \
            not value.startswith(("-", ":", "%")) and not value.endswith(":") and ": " not in value and \
            yaml.safe_load("k: " + value) is not None:
        return " " + value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "".join(f"\n{' ' * indent}-" + _plainly(v, indent + 2) for v in value)
    return " " + yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10 ** 6).strip()


@st.composite
def written(draw):
    """A record file as written by hand or by some tool, and the record's kind."""
    kind, data = draw(records())
    style = draw(st.sampled_from(["hand", "block", "flow", "quoted", "folded"]))
    if style == "hand":
        body = "".join(f"{key}:{_plainly(value, 2)}\n" for key, value in data.items())
    else:
        body = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()),
                              default_flow_style=style == "flow", indent=draw(st.sampled_from([2, 4])),
                              width=20 if style == "folded" else 80,
                              default_style='"' if style == "quoted" else None)
    header = draw(st.sampled_from(["", "# Ghi chú\n", "\n# Văn bản — X\n\n# nguồn: y\n"]))
    text = header + body
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return kind, text


def _loaded(text: str, kind) -> tuple[dict | None, list]:
    document, problems = load_file(text.encode("utf-8"), f"data/{kind.folder}/x.yaml", kind)
    return (document.data if document else None), problems


def _verdict(data: dict, kind) -> list[tuple[str, str]]:
    """What validation says of the record, without places (lines move) or the loader's notes on writing."""
    from generator.load import Document

    _, problems = validate([Document(f"data/{kind.folder}/x.yaml", kind, data)])
    return sorted((p.code, p.message) for p in problems)


@SETTINGS
@given(written())
@example((KINDS["practice"], "id: x\ntitle: 010\nplaces:\n  - no\n  - 3:20\nfigures:\n- label: a\n  value: 1.000\n"))
def test_formatting_keeps_every_value_and_is_idempotent(case):
    kind, text = case
    before, problems = _loaded(text, kind)
    assume(before is not None and not any(p.is_error for p in problems))
    result = fmt.format_text(text.encode("utf-8"), f"data/{kind.folder}/x.yaml", kind)
    assert result.text is not None, result.problems
    after, problems = _loaded(result.text, kind)
    assert after == before
    assert not any(p.code in ("text.number", "text.nfc") for p in problems)   # what the form would misread
    assert _verdict(after, kind) == _verdict(before, kind)
    again = fmt.format_text(result.text.encode("utf-8"), f"data/{kind.folder}/x.yaml", kind)
    assert again.text == result.text and not again.changed


@SETTINGS
@given(TEXT)
def test_every_reader_takes_written_text_back_as_it_was(text):
    """Plain, quoted or a literal block: YAML 1.1 (PyYAML) and YAML 1.2 (ruamel, as the form) read the text."""
    line = "\n".join(["k:" + fmt._scalar(text, 0)[0], *fmt._scalar(text, 0)[1:]])
    assert yaml.safe_load(line) == {"k": text}
    assert dict(YAML(typ="safe", pure=True).load(io.StringIO(line))) == {"k": text}
    if fmt.is_plain(text):
        assert line == "k: " + text


def test_the_layout_follows_the_schema():
    text = ("topics: [b]\nsources: [a]\nprovince: tinh-a\ntitle: 'Cách làm: thử'\nid: x\n"
            "figures:\n    - {value: 1.000, label: Số}\nplaces: [no, 3:20, '010']\n")
    result = fmt.format_text(text.encode(), "data/practices/x.yaml", KINDS["practice"])
    assert result.text == (
        "# Cách làm — Cách làm: thử\n"
        "id: x\n"
        'title: "Cách làm: thử"\n'
        "province: tinh-a\n"
        "places:\n"
        '- "no"\n'
        '- "3:20"\n'
        '- "010"\n'
        "figures:\n"
        "- label: Số\n"
        '  value: "1.000"\n'
        "sources:\n"
        "- a\n"
        "topics:\n"
        "- b\n")


def test_the_header_is_kept_and_notes_in_the_body_are_refused():
    kept = fmt.format_text(b"# Hand\n\n# written\nid: x\nname: y\n", "data/topics/x.yaml", KINDS["topic"])
    assert kept.text.startswith("# Hand\n# written\nid: x\n")
    note = fmt.format_text(b"# T\nid: x\nname: y  # why\n", "data/topics/x.yaml", KINDS["topic"])
    assert note.text is None and [(p.code, p.line, p.col) for p in note.problems] == [("file.comment", 3, 10)]
    inside = fmt.format_text(b'id: x\nname: "a #b"\n', "data/topics/x.yaml", KINDS["topic"])
    assert inside.text == '# Chủ đề — a #b\nid: x\nname: "a #b"\n'


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_new_record_once_filled_loses_only_the_scaffolds_help(kind):
    """`handbook new`, then the editor fills the required fields and uncomments one: no comment blocks it."""
    record_id, text = new_record(KINDS[kind], "Tên thử", "ten-thu")
    text = re.sub(r"^(\w+): \[\]", r"\1: [a]", text, flags=re.M)
    text = re.sub(r"^# (\w+):  #", r"\1: giá trị  #", text, count=1, flags=re.M)
    result = fmt.format_text(text.encode(), f"data/{KINDS[kind].folder}/ten-thu.yaml", KINDS[kind])
    assert result.text is not None, result.problems
    assert "#" not in result.text.split("\nid:")[1]
    assert result.text.startswith(f"# {KINDS[kind].label[0].upper()}")
    assert "tùy chọn" not in result.text


def test_files_the_loader_refuses_are_left_alone(tmp_path, capsys):
    project = scratch_project(tmp_path, {"data/topics/bad.yaml": "id: bad\nname: [unclosed\n",
                                         "data/topics/messy.yaml": "name: Messy\nid: messy\n"})
    assert main(["-C", str(project), "fmt"]) == 1
    said = capsys.readouterr().err
    assert "data/topics/bad.yaml:2" in said and "yaml.syntax" in said and "không định dạng được" in said
    assert (project / "data/topics/bad.yaml").read_text() == "id: bad\nname: [unclosed\n"
    assert (project / "data/topics/messy.yaml").read_text() == "# Chủ đề — Messy\nid: messy\nname: Messy\n"


def test_check_names_the_files_in_vietnamese_and_writes_nothing(tmp_path, capsys):
    project = scratch_project(tmp_path, {"data/topics/messy.yaml": "name: Messy\nid: messy\n"})
    assert main(["-C", str(project), "fmt", "--check", "--format", "github", "data/topics/messy.yaml"]) == 1
    out, err = capsys.readouterr()
    assert "::error file=data/topics/messy.yaml,line=1" in out
    assert "[file.layout]" in err and "chưa đúng bố cục chuẩn: data/topics/messy.yaml" in err
    assert (project / "data/topics/messy.yaml").read_text() == "name: Messy\nid: messy\n"
    assert main(["-C", str(project), "fmt"]) == 0
    assert main(["-C", str(project), "fmt", "--check"]) == 0
    assert "đều đúng bố cục chuẩn" in capsys.readouterr().err


def test_the_handbooks_data_is_in_the_layout(capsys):
    assert main(["-C", str(PROJECT), "fmt", "--check"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("opening, header", [
    ("---\n# Chủ đề — Y\n", ["# Chủ đề — Y"]),
    ("%YAML 1.2\n---\n# Chủ đề — Y\n", ["# Chủ đề — Y"]),
    ("--- # Chủ đề — Y\n# nguồn: z\n", ["# Chủ đề — Y", "# nguồn: z"]),
    ("# Chủ đề — Y\n---\n", ["# Chủ đề — Y"]),
    ("---\n", []),
])
def test_a_document_start_marker_before_the_header_is_taken(opening, header):
    """`---` (and a `%YAML` directive before it) open a YAML document; the layout drops them and keeps
    the comments around them as the header."""
    result = fmt.format_text((opening + "id: x\nname: Tên\n").encode(), "data/topics/x.yaml", KINDS["topic"])
    assert result.problems == ()
    assert result.text == "\n".join(header or ["# Chủ đề — Tên"]) + "\nid: x\nname: Tên\n"


def test_check_says_when_only_the_line_endings_differ(tmp_path, capsys):
    lines = ["# Chủ đề — Messy", "id: messy", "name: Messy"]
    project = scratch_project(tmp_path, {"data/topics/messy.yaml": "\r\n".join(lines) + "\r\n",
                                         "data/topics/mixed.yaml": "# Chủ đề — Mixed\nname: Mixed\r\nid: mixed\r\n"})
    assert main(["-C", str(project), "fmt", "--check"]) == 1
    said = capsys.readouterr().err
    assert "data/topics/messy.yaml:1:1" in said and "xuống dòng kiểu Windows (CRLF)" in said
    assert "data/topics/mixed.yaml:2:1" in said and "khác từ dòng 2; tệp cũng xuống dòng kiểu CRLF" in said
    problem = fmt.layout_problem("x.yaml", "a: b\n", "a: b\nc: d\n")     # a line added at the end
    assert problem.line == 1


def test_a_missing_file_is_said_in_vietnamese(tmp_path, capsys):
    project = scratch_project(tmp_path)
    assert main(["-C", str(project), "fmt", "data/topics/nope.yaml"]) == 1
    said = capsys.readouterr().err
    assert "data/topics/nope.yaml:1:1" in said and "không có tệp này" in said and "No such file" not in said
