"""Record pages as a new reader meets them (issue 12): what a record is, how it stands, how it relates.

Rendered from the mini handbook and converted with the extensions mkdocs.yml enables;
record text is hostile where it can be, since it reaches HTML attributes and the diagram.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import markdown as python_markdown

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import run
from generator.project import Project
from generator.characters import LONE_MARK, name_refusal, not_text
from scratch import scratch_project

DIRECTIVE = "van-ban/huong-dan-38-hd-btctw-2010.md"
HOSTILE = '<script>alert("x")</script> [bấm](javascript:alert(1)) `code` & \'nháy\''


def to_html(text: str) -> str:
    body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    return python_markdown.markdown(body, extensions=["abbr", "tables", "admonition", "md_in_html"])


def front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n", 2)[1])


def directive(record_id: str, **fields) -> str:
    record = {"id": record_id, "doc_type": "hướng dẫn", "sources": ["bai-mau"], **fields}
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False)


def pages_with(tmp_path, files: dict[str, str] | None = None) -> dict[str, str]:
    result = run(Project.read(scratch_project(tmp_path, files)))
    assert result.ok, [p.format() for p in result.problems]
    return result.pages


class Elements(HTMLParser):
    """Start tags with their attributes, and the text, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def elements(fragment: str) -> Elements:
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def diagram(page_html: str) -> str:
    """The diagram's HTML, abbreviation tooltips taken off."""
    start = page_html.index('<div class="admonition luoc-do">')
    return re.sub(r"</?abbr[^>]*>", "", page_html[start:page_html.index("<h2", start)])


# --- What the page is ---------------------------------------------------------------------------

def test_record_pages_say_what_they_are_and_where_they_belong(tmp_path):
    pages = pages_with(tmp_path)
    for path, label, tail in [
        (DIRECTIVE, "Văn bản", " › Hướng dẫn số 38-HD/BTCTW"),
        ("cach-lam/tinh-a-chi-bo-bon-tot.md", "Cách làm", " › [Tỉnh A](../tinh-thanh/tinh-a.md)"),
        ("mo-hinh/chi-bo-bon-tot.md", "Mô hình", ""),
    ]:
        section = path.split("/")[0]
        crumb = f"<small data-search-exclude>[{label}](../{section}/index.md){tail}</small>\n\n# "
        assert crumb in pages[path], path


def test_every_record_page_has_its_own_description(tmp_path):
    pages = pages_with(tmp_path)
    records = {p: page for p, page in pages.items() if not p.endswith("index.md") and not p.startswith("bien-tap/")}
    descriptions = {p: front_matter(page)["description"] for p, page in records.items()}
    assert all(descriptions.values())
    assert len(set(descriptions.values())) == len(descriptions), descriptions
    assert descriptions[DIRECTIVE] == "Về xây dựng và hoàn thiện mô hình tổ chức"


def test_description_is_plain_escaped_text(tmp_path):
    pages = pages_with(tmp_path, {"data/directives/huong-dan-38-hd-btctw-2010.yaml": directive(
        "huong-dan-38-hd-btctw-2010", number="38-HD/BTCTW", summary=f"Tóm tắt **đậm** {HOSTILE}")})
    value = front_matter(pages[DIRECTIVE])["description"]
    # The theme prints it raw inside content="…": nothing may close the attribute or open a tag.
    assert not set('<>"\'') & set(value)
    assert html.unescape(value).startswith('Tóm tắt đậm <script>alert("x")</script> bấm')


# --- How it stands --------------------------------------------------------------------------------

def test_unknown_facts_are_left_out_known_ones_shown(tmp_path):
    page = pages_with(tmp_path)[DIRECTIVE]
    assert "| Số, ký hiệu | 38-HD/BTCTW |" in page and "| Ngày ban hành | 9/3/2010 |" in page
    assert "Hiệu lực" not in page and "không rõ" not in page
    stated = pages_with(tmp_path / "b", {"data/directives/huong-dan-38-hd-btctw-2010.yaml": directive(
        "huong-dan-38-hd-btctw-2010", number="38-HD/BTCTW", status="hết hiệu lực")})[DIRECTIVE]
    assert "| Hiệu lực | hết hiệu lực |" in stated
    assert "| Ngày ban hành |" not in stated          # no date stated, none shown


def test_replaced_and_amended_directives_carry_a_banner_naming_the_newer_one(tmp_path):
    pages = pages_with(tmp_path, {
        "data/directives/huong-dan-moi.yaml": directive("huong-dan-moi", number="01-HD/BTCTW", issued="2020-01-02",
                                                        relations=[{"type": "thay-the",
                                                                    "target": "huong-dan-38-hd-btctw-2010"}]),
        "data/directives/huong-dan-sua.yaml": directive("huong-dan-sua", number="02-HD/BTCTW", issued="2015",
                                                        relations=[{"type": "sua-doi-bo-sung",
                                                                    "target": "huong-dan-38-hd-btctw-2010"}]),
    })
    old = pages[DIRECTIVE]
    assert ('!!! warning "Văn bản đã bị thay thế"\n    Văn bản này đã bị thay thế bởi '
            "[Hướng dẫn số 01-HD/BTCTW ngày 2/1/2020](../van-ban/huong-dan-moi.md).") in old
    assert ('!!! info "Văn bản đã được sửa đổi, bổ sung"\n    Văn bản này đã được sửa đổi, bổ sung bởi '
            "[Hướng dẫn số 02-HD/BTCTW năm 2015](../van-ban/huong-dan-sua.md).") in old
    assert old.index("!!! warning") < old.index("| Loại văn bản |")         # at the top, before the facts
    # The newer documents say nothing of the kind about themselves.
    assert "!!! warning" not in pages["van-ban/huong-dan-moi.md"]
    assert "!!! info" not in pages["van-ban/huong-dan-sua.md"]


# --- How it relates -------------------------------------------------------------------------------

def test_diagram_puts_the_directive_between_what_points_at_it_and_what_it_points_at(tmp_path):
    pages = pages_with(tmp_path, {"data/directives/huong-dan-moi.yaml": directive(
        "huong-dan-moi", number="01-HD/BTCTW", relations=[{"type": "can-cu", "target": "huong-dan-38-hd-btctw-2010"}])})
    page = to_html(pages["van-ban/huong-dan-moi.md"])
    box = diagram(page)
    centre = box.index("<strong>Hướng dẫn số 01-HD/BTCTW</strong>")
    assert box.index("Căn cứ") > centre                                # what it is based on: below
    assert 'href="../van-ban/huong-dan-38-hd-btctw-2010.md"' in box[centre:]
    cited = diagram(to_html(pages[DIRECTIVE]))
    centre = cited.index("<strong>Hướng dẫn số 38-HD/BTCTW ngày 9/3/2010</strong>")
    for label in ("Được căn cứ", "Được thực hiện bởi", "Là căn cứ của mô hình", "Cách làm thực hiện văn bản"):
        assert cited.index(label) < centre, label                       # what points at it: above
    # The lists stay: the diagram is not the only way to read the relations.
    assert "**Được căn cứ:**" in pages[DIRECTIVE]


def test_diagram_labels_are_escaped(tmp_path):
    pages = pages_with(tmp_path, {"data/directives/huong-dan-doc-hai.yaml": directive(
        "huong-dan-doc-hai", short_name=HOSTILE, relations=[{"type": "lien-quan", "target": "huong-dan-38-hd-btctw-2010"}])})
    for path in (DIRECTIVE, "van-ban/huong-dan-doc-hai.md"):
        box = diagram(to_html(pages[path]))
        assert "<script" not in box and "&lt;script&gt;" in box, path
        assert "javascript:" not in [a.get("href", "") for tag, a in elements(box).tags if tag == "a"]
        assert [tag for tag, _ in elements(box).tags if tag not in ("div", "ul", "li", "a", "p", "strong", "abbr")] == []


# --- The province page ----------------------------------------------------------------------------

def test_province_lists_its_own_practices_first_then_its_former_provinces(tmp_path):
    pages = pages_with(tmp_path, {
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\nmerged_on: \"2025-07-01\"\n",
        "data/practices/tinh-c-giao-ban.yaml": "id: tinh-c-giao-ban\ntitle: Giao ban hằng tháng\n"
                                               "province: tinh-c\nsources: [bai-mau]\n",
    })
    page = pages["tinh-thanh/tinh-a.md"]
    own = page.index("## Cách làm của Tỉnh A\n\n- [Thực hiện mô hình Chi bộ bốn tốt]")
    former = page.index("### Tỉnh C (tỉnh cũ, sáp nhập 1/7/2025)")
    assert own < former
    assert "[Giao ban hằng tháng](../cach-lam/tinh-c-giao-ban.md) *(tỉnh cũ Tỉnh C)*" in page[former:]
    # Listed once, in the body, not again under "Được nhắc đến ở".
    assert page.count("../cach-lam/tinh-a-chi-bo-bon-tot.md") == 1
    assert "Cách làm của địa phương:" not in page and "Gồm các tỉnh cũ:" not in page


# --- The directive index --------------------------------------------------------------------------

def facets_of(index_html: str) -> dict[str, dict]:
    """The data attributes of each card, by the page its link opens."""
    found, last_href = {}, None
    for tag, attrs in elements(index_html).tags:
        if tag == "a" and attrs.get("href", "").startswith("../van-ban/"):
            last_href = attrs["href"]
        if tag == "span" and attrs.get("class") == "hb-facets":
            found[last_href] = {k.removeprefix("data-"): v for k, v in attrs.items() if k.startswith("data-")}
    return found


def test_index_cards_carry_what_the_filters_need(tmp_path):
    index = to_html(pages_with(tmp_path)["van-ban/index.md"])
    assert "<table" not in index                   # no table to scroll sideways on a phone
    facets = facets_of(index)
    assert facets["../van-ban/huong-dan-38-hd-btctw-2010.md"] == {
        "loai": "hướng dẫn", "cap": "trung ương", "nam": "2010", "dia-phuong": "", "chu-de": "Sinh hoạt chi bộ",
        "hieu-luc": ""}
    assert facets["../van-ban/ke-hoach-64-kh-tu-2013.md"]["dia-phuong"] == "Tỉnh A"
    assert index.index("<h2") < index.index("2013") < index.index("2010")     # newest year first


# Names the validator accepts: nothing that is not text (characters.py), no tone or vowel mark before
# the first letter, a letter or digit, and letters of the Latin script (or Han, or Common).
names = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), min_size=1, max_size=40).filter(
    lambda text: text.strip() and not LONE_MARK.match(text) and not not_text(text) and name_refusal(text) is None)


@settings(max_examples=25, deadline=None)
@given(topic=names, province=names)
def test_any_record_text_stays_inside_its_data_attribute(tmp_path_factory, topic, province):
    root = tmp_path_factory.mktemp("facets")
    pages = pages_with(root, {
        "data/topics/sinh-hoat-chi-bo.yaml": yaml.safe_dump({"id": "sinh-hoat-chi-bo", "name": topic}, allow_unicode=True),
        "data/provinces/tinh-a.yaml": yaml.safe_dump({"id": "tinh-a", "name": province}, allow_unicode=True),
    })
    index = to_html(pages["van-ban/index.md"])
    facets = facets_of(index)
    shown = lambda text: " ".join(unicodedata.normalize("NFC", text).split())     # the loader keeps NFC text
    assert facets["../van-ban/huong-dan-38-hd-btctw-2010.md"]["chu-de"] == shown(topic)
    assert facets["../van-ban/ke-hoach-64-kh-tu-2013.md"]["dia-phuong"] == shown(province)
    assert {tag for tag, _ in elements(index).tags} <= {"h1", "h2", "p", "ul", "li", "a", "span", "em", "abbr"}


# --- The command speaks Vietnamese too ------------------------------------------------------------

def test_command_help_and_usage_errors_are_in_vietnamese(capsys):
    import pytest

    from generator.cli import main

    for argv in (["--help"], ["build", "--help"], ["bundle", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("cách dùng: handbook") and "tùy chọn:" in out and "in hướng dẫn này rồi thoát" in out
        for english in ("usage:", "options:", "positional arguments:", "show this help"):
            assert english not in out, (argv, english)
    for argv, expected in ((["khong-co"], "tham số LỆNH: không có lựa chọn 'khong-co'"),
                           (["new"], "thiếu tham số: kind, name"),
                           (["build", "--sai"], "không hiểu tham số: --sai")):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("cách dùng: handbook") and f": lỗi: {expected}" in err, err
