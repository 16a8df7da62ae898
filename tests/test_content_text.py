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
