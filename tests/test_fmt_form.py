"""The form writes `handbook fmt`'s layout byte for byte, and reads files as the loader does.

generator/cms/layout.js is fmt.py's writer in JavaScript (the form saves records in the
browser); both are run here, in node, on the same generated records. Needs node and
js-yaml in the cache (`python -m generator.cms`); skipped without them, unless
HANDBOOK_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import node_asker, unavailable
from generator import cms, fmt
from generator.load import load_file
from generator.schema import KINDS
from test_fmt import TRICKY

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LAYOUT_JS = cms.ASSETS / "layout.js"

# A node process that answers one JSON request per line: dump a record, or read a file.
SERVER = r"""
const layout = require(process.argv[1]);
const yaml = require(process.argv[2]);
const lines = require("readline").createInterface({input: process.stdin});
lines.on("line", (line) => {
  const ask = JSON.parse(line);
  let answer;
  try {
    answer = ask.dump ? layout.dump(ask.layout, ask.data, ask.header) : layout.read(ask.text, yaml, ask.help);
  } catch (error) { answer = {error: String(error)}; }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
"""


@pytest.fixture(scope="module")
def node():
    reader = cms.js_yaml_dir() / cms.JS_YAML_FILE
    if shutil.which("node") is None or not reader.is_file():
        unavailable("node or js-yaml (python -m generator.cms) is missing")
    yield from node_asker(SERVER, str(LAYOUT_JS), str(reader))


# What the form holds: text, lists and groups; field names as in the schema, or others (never digits
# alone: JavaScript objects put those first).
TEXT = st.one_of(st.sampled_from(TRICKY), st.text(max_size=20),
                 st.lists(st.sampled_from(TRICKY), min_size=1, max_size=3).map(" ".join))
KEY = st.one_of(st.sampled_from(["label", "value", "type", "target", "questions", "directive", "page", "title"]),
                st.text(max_size=6).filter(lambda k: not k.isdigit()))
VALUE = st.recursive(st.one_of(st.none(), TEXT),
                     lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEY, inner, max_size=3)),
                     max_leaves=8)


def nfc(value):
    """Text as the loader gives it and the form saves it (editor.js): NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


@st.composite
def records(draw):
    kind = KINDS[draw(st.sampled_from(sorted(KINDS)))]
    names = draw(st.lists(st.one_of(st.sampled_from(list(kind.model.model_fields)), KEY), unique=True, max_size=6))
    data = {name: draw(VALUE) for name in names}
    if draw(st.booleans()):
        data["id"] = draw(TEXT)
    header = draw(st.sampled_from([[], ["# Ghi chú"], ["# Văn bản — X", "# nguồn: y"]]))
    return kind, data, header


@SETTINGS
@given(records())
def test_the_form_writes_what_fmt_writes(node, record):
    kind, data, header = record
    assert node(dump=True, layout=fmt.layout_of(kind), data=data, header=header) == fmt.dump(kind, data, header)


@SETTINGS
@given(records())
def test_the_form_reads_a_formatted_file_as_the_loader_does(node, record):
    kind, data, header = record
    data = nfc(data)
    text = fmt.dump(kind, data, header)
    document, problems = load_file(text.encode("utf-8"), f"data/{kind.folder}/x.yaml", kind)
    if document is None or any(p.is_error for p in problems):
        return
    read = node(dump=False, text=text)
    written_header = read.pop("_header", [])
    assert read == document.data
    assert written_header == (header or [fmt.header_line(kind, data)])
    # and saving it unchanged through the form gives the same file back
    assert node(dump=True, layout=fmt.layout_of(kind), data=read, header=written_header) == text


def test_the_handbooks_files_come_back_unchanged_through_the_form(node):
    """Read by the form and written again without an edit, every record file of data/ is the same file."""
    for kind in KINDS.values():
        for path in sorted((cms.ASSETS.parents[1] / "data" / kind.folder).glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            read = node(dump=False, text=text)
            header = read.pop("_header", [])
            assert node(dump=True, layout=fmt.layout_of(kind), data=read, header=header) == text, path


OPENINGS = st.sampled_from(["", "---\n", "%YAML 1.2\n---\n", "--- # Từ máy\n", "# Đầu\n---\n"])
NOTES = st.sampled_from(["  # ghi chú", " #x", "# TODO", "#"])


@SETTINGS
@given(records(), OPENINGS, st.lists(st.tuples(st.integers(0, 40), st.booleans(), NOTES), max_size=3))
def test_the_form_finds_the_comments_fmt_refuses(node, record, opening, notes):
    """Whatever comments a hand-edited file has inside its record, the form finds the ones `handbook fmt`
    refuses (it warns before a save drops them), and keeps the header fmt keeps."""
    kind, data, header = record
    lines = (opening + fmt.dump(kind, nfc(data), header)).split("\n")
    for at, own_line, note in notes:
        at = min(at, len(lines) - 1)
        if own_line:
            lines.insert(at, note)
        elif lines[at]:
            lines[at] += "  " + note.lstrip()
    text = "\n".join(lines)
    result = fmt.format_text(text.encode("utf-8"), f"data/{kind.folder}/x.yaml", kind)
    if result.problems and any(p.code != "file.comment" for p in result.problems):
        return
    read = node(dump=False, text=text, help=sorted(fmt.scaffold_comments(kind)))
    refused = [p.line for p in result.problems]
    found = [int(note.split(":")[0].removeprefix("dòng ")) for note in read.get("_notes", [])]
    assert found[:1] == refused
    assert read.get("_header", []) == fmt.header_of(text)[1]
