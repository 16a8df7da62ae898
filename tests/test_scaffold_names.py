"""`handbook new` refuses the names validate would refuse, before writing anything."""

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import load_file
from generator.scaffold import write_new_record
from generator.schema import KINDS
from generator.validate import validate
from scratch import scratch_project


@given(st.lists(st.sampled_from(list("Chi bộ ab\n\r\x1b\x07\u202e\u200b\u2800:#'\"-") + ["Đảng"]),
                min_size=1, max_size=20).map("".join))
@settings(max_examples=150, deadline=None)
def test_a_new_record_is_refused_or_carries_its_name_as_written(tmp_path_factory, name):
    root = scratch_project(tmp_path_factory.mktemp("new"))
    try:
        path = write_new_record(root / "data", "topic", name)
    except ValueError as error:
        assert "\n" not in str(error)              # one line, the name shown escaped
        return
    document, problems = load_file(path.read_bytes(), "data/topics/x.yaml", KINDS["topic"])
    assert document is not None and not problems
    assert document.data["name"] == name.strip()
    _, found = validate([document], root / "content")
    assert not [p for p in found if p.code.startswith("text.")]
