"""Hand-written pages are held to the rule record text is: no invisible or control characters
(they reached the page's title, its headings and the links to it on other pages)."""

import pytest

from generator.cli import main
from scratch import site_project


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\x1b", "\u2800", "\u2066"])
def test_a_page_with_an_invisible_character_is_refused_by_validate_and_build(tmp_path, capsys, hidden):
    root = site_project(tmp_path, {"content/thu.md": f"---\ntitle: Trang thử\n---\n# Tiêu{hidden} đề\n"})
    assert main(["-C", str(root), "validate", "--strict"]) == 1
    assert "content/thu.md:4:" in capsys.readouterr().err
    assert main(["-C", str(root), "build", "--strict"]) == 1


def test_windows_line_endings_and_a_bom_are_text(tmp_path):
    root = site_project(tmp_path, {"content/thu.md": "\ufeff# Tiêu đề\r\n\r\nMột đoạn.\r\n"})
    assert main(["-C", str(root), "validate", "--strict"]) == 0


@pytest.mark.parametrize("path", ["content/tai-ve/khoa-hoc-x.pdf", "content/search/hb/meta.js.md", "content/Tai-Ve/a.md"])
def test_nothing_hand_written_stands_in_a_folder_the_site_makes(tmp_path, capsys, path):
    """A pull request's PDF at /tai-ve/ would look like the trainers' official pack."""
    root = site_project(tmp_path, {path: "# x\n"})
    assert main(["-C", str(root), "validate", "--strict"]) == 1
    assert path in capsys.readouterr().err
    assert main(["-C", str(root), "build", "--strict"]) == 1        # the build refuses it alike


# --- What a name or a reference becomes (independent review of issue 26) -----------------------------

from pathlib import Path  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from generator.characters import not_text  # noqa: E402
from generator.confusables import _keyboard_look_alikes  # noqa: E402
from generator.content_policy import content_refusal  # noqa: E402

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789-"
LOOK_ALIKES = sorted(_keyboard_look_alikes())


def _refused(tmp_path: Path, name: str, text: str = "# Trang\n"):
    docs = tmp_path / "content"
    docs.mkdir(exist_ok=True)
    path = docs / name
    path.write_text(text, encoding="utf-8")
    try:
        return content_refusal(path, docs)
    finally:
        path.unlink()


@settings(max_examples=150, deadline=None)
@given(st.text(VIETNAMESE, min_size=1, max_size=20), st.sampled_from(LOOK_ALIKES), st.data())
def test_a_file_name_with_a_keyboard_look_alike_is_refused_and_vietnamese_names_are_not(tmp_path_factory, stem, odd, data):
    """"vаn-ban.md" (Cyrillic а) beside "van-ban.md": two addresses that look the same."""
    tmp_path = tmp_path_factory.mktemp("ten")
    assert _refused(tmp_path, f"{stem}.md") is None
    at = data.draw(st.integers(0, len(stem)))
    name = f"{stem[:at]}{odd}{stem[at:]}.md"
    if "/" in name or "\\" in name or name.startswith("."):
        return
    problem = _refused(tmp_path, name)
    assert problem is not None and problem.code == "content.refused"


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 0x10FFFF).filter(lambda code: bool(not_text(chr(code)))), st.booleans())
def test_a_reference_to_a_hidden_character_is_refused_where_it_is(tmp_path_factory, code, hexadecimal):
    """`&#x202E;` in a heading reached the page's <title> and the search index as the character itself."""
    tmp_path = tmp_path_factory.mktemp("tham-chieu")
    reference = f"&#x{code:X};" if hexadecimal else f"&#{code};"
    problem = _refused(tmp_path, "thu.md", f"# Tiêu đề\n\nĐoạn {reference} văn.\n")
    assert problem is not None and problem.line == 3 and problem.col == len("Đoạn ") + 1
    assert _refused(tmp_path, "thu.md", "# Tiêu đề\n\nA &amp; B &lt; C &nbsp; &#65; &#x1EA1;\n") is None
