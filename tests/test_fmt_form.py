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
    answer = ask.dump ? layout.dump(ask.layout, ask.data, ask.header) : layout.read(ask.text, yaml);
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
