"""Text judged by what it is: Unicode properties decide which characters are refused, names are
compared as readers see them, and content paths as disks and browsers see them."""

from __future__ import annotations

import json
import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.load import load_file
from generator.pipeline import run
from generator.project import Project
from generator.schema import KIND_BY_FOLDER
from generator.validate import validate
from scratch import scratch_project, site_project

NOT_TEXT = regex.compile(r"[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]")
# Characters no record text may hold, drawn from the whole of Unicode by their properties.
HIDDEN = st.characters(codec="utf-8").filter(lambda c: c not in "\t\n" and NOT_TEXT.match(c) is not None)
WORDS = st.sampled_from(["Sinh hoạt", "chi bộ", "Đảng viên", "bốn tốt", "Hà Nội", "2024", "Nghị quyết"])
NAME = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


def problems_of(records: dict[str, str]) -> list:
    documents, found = [], []
    for path, text in records.items():
        folder = path.split("/")[1]
        document, problems = load_file(text.encode("utf-8"), path, KIND_BY_FOLDER[folder])
        found += problems
        if document is not None:
            documents.append(document)
    return found + validate(documents)[1]


def topic(record_id: str, name: str, description: str = "Giới thiệu.") -> str:
    return (f"id: {record_id}\nname: {json.dumps(name, ensure_ascii=False)}\n"
            f"description: {json.dumps(description, ensure_ascii=False)}\n")


@given(name=NAME, hidden=HIDDEN, at=st.integers(0, 40), field=st.sampled_from(["name", "description"]))
def test_a_character_that_is_not_text_is_refused_and_named(name, hidden, at, field):
    assume(not 0xD800 <= ord(hidden) <= 0xDFFF)
    at = at % (len(name) + 1)
    texts = {"name": name, "description": "Giới thiệu ngắn."}
    texts[field] = texts[field][:at] + hidden + texts[field][at:]
    found = problems_of({"data/topics/ban-ghi.yaml": topic("ban-ghi", texts["name"], texts["description"])})
    assert found and all(p.is_error for p in found)
    said = [p for p in found if p.code in ("text.control", "yaml.syntax")]
    assert said, found
    if said[0].code == "text.control":      # (YAML itself refuses some controls, with its own message)
        assert f"U+{ord(hidden):04X}" in said[0].message


@given(name=NAME, variant=st.lists(st.sampled_from(["upper", "space", "wide", "nbsp"]), min_size=1, max_size=3))
def test_two_records_named_alike_are_one_problem(name, variant):
    other = name
    for change in variant:
        other = {"upper": other.upper(), "space": other.replace(" ", "  "), "nbsp": other.replace(" ", "\u00a0"),
                 "wide": "".join(chr(ord(c) + 0xFEE0) if "a" <= c <= "z" else c for c in other)}[change]
    found = problems_of({"data/topics/mot.yaml": topic("mot", name), "data/topics/hai.yaml": topic("hai", other)})
    assert [(p.path, p.code) for p in found if p.is_error] == [("data/topics/mot.yaml", "name.duplicate")]


# Every letter (by the Unicode database Python and the validator share) of another script.
FOREIGN = [chr(c) for c in range(0x30000) if unicodedata.category(chr(c)).startswith("L") and not regex.match(
    r"[\p{Script=Latin}\p{Script=Han}\p{Script=Common}\p{Script=Inherited}\p{Default_Ignorable_Code_Point}]", chr(c))]


@given(name=NAME, letter=st.sampled_from(FOREIGN), at=st.integers(0, 40))
def test_a_letter_outside_the_latin_script_or_han_is_refused_in_names(name, letter, at):
    at = at % (len(name) + 1)
    found = problems_of({"data/topics/mot.yaml": topic("mot", name[:at] + letter + name[at:])})
    assert [p.code for p in found if p.is_error] == ["text.name"], found


@pytest.mark.parametrize("files, refused", [
    ({"content/hà-nội.md": "# A\n", unicodedata.normalize("NFD", "content/hà-nội.md"): "# B\n"}, 1),
    ({"content/Van-Ban/ghi-chu.md": "# Ghi chú\n"}, 1),           # beside the generated van-ban/
    ({"content/Bien-Tap.md": "# Biên tập\n"}, 1),                  # its URL is the guide's folder
    ({"content/Assets/logo.png": b"\x89PNG"}, 1),                  # the site's own folder
    ({"content/ghi\u202echu.md": "# x\n"}, 1),
], ids=["nfc-nfd", "folder-case", "page-url-case", "site-folder", "bidi-name"])
def test_content_paths_that_look_like_another_are_refused_by_validate_and_build(tmp_path, capsys, files, refused):
    root = site_project(tmp_path, files)
    problems = [p for p in run(Project.read(root), render_pages=False).problems if p.code == "content.refused"]
    assert len(problems) == refused, problems
    assert main(["-C", str(root), "validate"]) == 1
    assert main(["-C", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert "content.refused" in err and not (root / "site").exists()


def test_the_shortcut_holds_only_text_and_latin_letters():
    """characters.py skips the property look-up for its SURELY_TEXT characters: each must be text,
    and each letter among them Latin (or the shortcut would accept what the rules refuse)."""
    from generator.characters import _SURELY_LATIN, _SURELY_TEXT, NOT_IN_TEXT
    for code in range(0x2100):
        char = chr(code)
        if _SURELY_TEXT.fullmatch(char):
            assert NOT_IN_TEXT.match(char) is None, hex(code)
        if _SURELY_LATIN.fullmatch(char):
            assert regex.match(r"[\p{Script=Latin}\p{Nd}]", char) and regex.match(r"[\p{L}\p{N}]", char), hex(code)
