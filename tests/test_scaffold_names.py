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


def test_a_long_name_makes_an_id_that_validate_takes(tmp_path):
    from generator.ids import MAX_ID_LENGTH
    root = scratch_project(tmp_path)
    path = write_new_record(root / "data", "topic", " ".join(["Nghị quyết về công tác xây dựng Đảng"] * 10))
    assert len(path.stem) <= MAX_ID_LENGTH and path.stem.startswith("nghi-quyet-ve-cong-tac")
    document, _ = load_file(path.read_bytes(), f"data/topics/{path.name}", KINDS["topic"])
    _, found = validate([document], root / "content")
    assert not [p for p in found if p.code.startswith("id.")]


def test_windows_device_names_and_long_ids_are_refused_before_writing_and_by_validate(tmp_path):
    import pytest
    root = scratch_project(tmp_path)
    for name, record_id in (("CON", None), ("Chi bộ", "lpt1"), ("Chi bộ", "a" * 81)):
        with pytest.raises(ValueError, match="thiết bị Windows|quá 80 ký tự"):
            write_new_record(root / "data", "topic", name, record_id)
    assert not list((root / "data" / "topics").glob("con*")) and not list((root / "data" / "topics").glob("a*"))
    for record_id in ("con", "a" * 81):
        text = f"id: {record_id}\nname: Chủ đề {record_id[:5]}\n".encode()
        document, _ = load_file(text, f"data/topics/{record_id}.yaml", KINDS["topic"])
        _, found = validate([document], root / "content")
        assert [p.code for p in found if p.code.startswith("id.")] == ["id.format"]


def test_a_name_typed_decomposed_is_written_composed(tmp_path):
    import unicodedata
    root = scratch_project(tmp_path)
    name = unicodedata.normalize("NFD", "Sinh hoạt Đảng")
    path = write_new_record(root / "data", "topic", name)
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text and "Sinh hoạt Đảng" in text
