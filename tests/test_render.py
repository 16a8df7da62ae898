"""Stage 4: pages in Markdown; golden files for a few records, and text stays text.

Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change,
then read their diff before committing.
"""

import html as html_lib
import os
import re
from pathlib import Path

import markdown as python_markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.pipeline import run
from generator.project import Project
from generator.schema import KINDS
from generator.markup import abbreviation_definitions, markdown, plain, with_issuer
from scratch import scratch_project

GOLDEN = Path(__file__).parent / "golden"
# One record page of every kind the mini handbook has, and every kind's index page.
GOLDEN_PAGES = ["van-ban/huong-dan-38-hd-btctw-2010.md", "cach-lam/tinh-a-chi-bo-bon-tot.md",
                "mo-hinh/chi-bo-bon-tot.md", "tinh-thanh/tinh-a.md", "co-quan/ban-to-chuc-trung-uong.md",
                "nguon/bai-mau.md", "chu-de/sinh-hoat-chi-bo.md", "thuat-ngu/index.md",
                *[f"{kind.section}/index.md" for kind in KINDS.values() if kind.name != "glossary"]]


@pytest.fixture(scope="module")
def mini_pages(tmp_path_factory) -> dict[str, str]:
    """The mini handbook's pages, rendered once; tests must not modify them."""
    return run(Project.read(scratch_project(tmp_path_factory.mktemp("mini")))).pages


def to_html(text: str) -> str:
    return python_markdown.markdown(text, extensions=["abbr", "tables", "admonition"])


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden_page(page, mini_pages):
    pages = mini_pages
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8")
        pytest.skip("golden page rewritten: read its diff before committing")
    assert golden.is_file(), f"a new page kind: write tests/golden/{page} with UPDATE_GOLDEN=1 and read it"
    assert pages[page] == golden.read_text(encoding="utf-8")


def test_every_record_and_index_has_a_page(mini_pages):
    pages = mini_pages
    assert "tinh-thanh/tinh-a.md" in pages and "thuat-ngu/index.md" in pages
    assert not any(path.startswith("thuat-ngu/btctw") for path in pages)   # abbreviations live on one page


def test_organ_index_says_each_abbreviation_once():
    """"Ban Tổ chức Trung ương (BTCTW)", never "(BTCTW) (BTCTW)": the name shown carries it already."""
    result = run(Project.read(Path(__file__).resolve().parents[1]))       # the handbook's own organs
    organs = [e for e in result.handbook.of_kind("organ") if e.record.abbr]
    assert organs
    index = result.pages["co-quan/index.md"]
    for organ in organs:
        line = next(line for line in index.splitlines() if f"(../co-quan/{organ.id}.md)" in line)
        assert line.count(f"({organ.record.abbr})") == 1, line


def test_abbreviations_used_on_a_page_get_tooltips(mini_pages):
    page = mini_pages["van-ban/huong-dan-38-hd-btctw-2010.md"]
    assert '<abbr title="Ban Tổ chức Trung ương">BTCTW</abbr>' in to_html(page)


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "</title><script>x()</script>", '<img src=x onerror="alert(1)">',
    "[bấm](javascript:alert(1))", "**đậm** và `mã` | cột", "# không phải tiêu đề", "1. không phải danh sách",
])
def test_plain_text_shows_exactly_as_written(text):
    html = to_html(plain(text))
    assert "<script" not in html and "<img" not in html and "<a " not in html and "<h1" not in html
    assert "<strong>" not in html and "<ol>" not in html
    # what a reader sees is the text, every character of it, in one paragraph
    assert re.fullmatch(r"<p>[^<]*</p>", html), html
    assert html_lib.unescape(html.removeprefix("<p>").removesuffix("</p>")) == text


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[bấm](javascript:alert(1))",
    "[bấm](JavaScript:alert(1))", "[x]: javascript:alert(1)\n\n[bấm][x]", "![ảnh](data:image/svg+xml,<svg>)",
    "[[bấm]](javascript:alert(1))", "[bấm\\]](javascript:alert(1))", "[bấm`]`](javascript:alert(1))",
    "[bấm](https://x.vn/a\"onmouseover=\"alert(1))", "[bấm]( javascript:alert(1))",
])
def test_markdown_fields_lose_html_and_script_links(text):
    html = to_html(markdown(text))
    assert "<script" not in html and "<img" not in html and "<a " not in html


def test_markdown_fields_keep_formatting_and_safe_links():
    html = to_html(markdown("**Chi bộ** bốn tốt, xem [bài](https://example.org/a) và > trích dẫn"))
    assert "<strong>Chi bộ</strong>" in html and 'href="https://example.org/a"' in html


def test_field_reference_lists_every_field_of_every_kind(mini_pages):
    from generator.problems import CODES
    from generator.schema import KINDS
    pages = mini_pages
    reference = pages["bien-tap/truong-du-lieu.md"]
    for kind in KINDS.values():
        section = reference.split(f"(`data/{kind.folder}/`)")[1].split("\n## ")[0]
        for name in kind.model.model_fields:
            assert f"| `{name}` |" in section, (kind.name, name)
    assert all(f"`{code}`" in pages["bien-tap/ma-loi.md"] for code in CODES)


def test_current_province_lists_practices_of_its_former_provinces(tmp_path):
    root = scratch_project(tmp_path, {
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\nmerged_on: \"2025-07-01\"\n",
        "data/practices/tinh-c-giao-ban.yaml": "id: tinh-c-giao-ban\ntitle: Giao ban hằng tháng\n"
                                               "province: tinh-c\nsources: [bai-mau]\n",
    })
    pages = run(Project.read(root)).pages
    current = pages["tinh-thanh/tinh-a.md"]
    assert "### Tỉnh C (tỉnh cũ, sáp nhập 1/7/2025)" in current
    assert "[Giao ban hằng tháng](../cach-lam/tinh-c-giao-ban.md)" in current
    assert "nay thuộc [Tỉnh A](../tinh-thanh/tinh-a.md)" in pages["tinh-thanh/tinh-c.md"]
    index = pages["tinh-thanh/index.md"]
    assert "gồm cả Tỉnh C — 2 cách làm" in index


def test_a_change_of_status_is_not_shown_as_a_merger(tmp_path):
    root = scratch_project(tmp_path, {
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\nmerged_on: \"2025-01-01\"\n"
                                      "change: chuyển đổi\nchange_basis: Nghị quyết số 1\n",
    })
    pages = run(Project.read(root)).pages
    old, current = pages["tinh-thanh/tinh-c.md"], pages["tinh-thanh/tinh-a.md"]
    assert "tỉnh Tỉnh C trở thành [Tỉnh A](../tinh-thanh/tinh-a.md)" in old
    assert "| Nay là | [Tỉnh A]" in old and "| Căn cứ | Nghị quyết số 1 |" in old
    assert "sáp nhập 1/1/2025" not in current and "### Tỉnh C (tỉnh, trước 1/1/2025)" in current


def test_pages_naming_a_renamed_province_say_what_it_is_now(tmp_path):
    """A change of status is no merger: wherever the old name shows, it reads "nay là", not "nay thuộc"."""
    root = scratch_project(tmp_path, {
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\nmerged_on: \"2025-01-01\"\n"
                                      "change: chuyển đổi\n",
        "data/provinces/tinh-d.yaml": "id: tinh-d\nname: Tỉnh D\nmerged_into: tinh-a\nmerged_on: \"2025-07-01\"\n",
        "data/practices/tinh-c-giao-ban.yaml": "id: tinh-c-giao-ban\ntitle: Giao ban hằng tháng\n"
                                               "province: tinh-c\nsources: [bai-mau]\n",
        "data/practices/tinh-d-giao-ban.yaml": "id: tinh-d-giao-ban\ntitle: Giao ban hằng quý\n"
                                               "province: tinh-d\nsources: [bai-mau]\n",
        "data/directives/ke-hoach-1-tinh-c.yaml": "id: ke-hoach-1-tinh-c\nnumber: 1-KH/TU\ndoc_type: kế hoạch\n"
                                                  "province: tinh-c\nlevel: tỉnh\nsources: [bai-mau]\n",
    })
    pages = run(Project.read(root)).pages
    now_is, now_part_of = "nay là [Tỉnh A](../tinh-thanh/tinh-a.md)", "nay thuộc [Tỉnh A](../tinh-thanh/tinh-a.md)"
    assert now_is in pages["cach-lam/tinh-c-giao-ban.md"] and now_part_of not in pages["cach-lam/tinh-c-giao-ban.md"]
    assert now_part_of in pages["cach-lam/tinh-d-giao-ban.md"]
    index = pages["tinh-thanh/index.md"]
    assert "→ " + now_is in index and "[Tỉnh D](../tinh-thanh/tinh-d.md) → " + now_part_of in index
    assert "[Tỉnh A](../tinh-thanh/tinh-a.md) — trước là tỉnh Tỉnh C — gồm cả Tỉnh D — 3 cách làm" in index
    assert "Tỉnh C (nay là Tỉnh A)" in pages["van-ban/index.md"]
    assert "nay thuộc Tỉnh A" not in pages["van-ban/index.md"]


def test_a_record_citing_editorial_knowledge_says_so_by_its_sources(tmp_path):
    """Facts no article states must not pass for quotations."""
    note = "Một số thông tin theo kiến thức biên tập, không trích từ bài viết."
    root = scratch_project(tmp_path, {
        "data/sources/kien-thuc-bien-tap.yaml": "id: kien-thuc-bien-tap\ntitle: Kiến thức biên tập\n",
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\nmerged_on: \"2025-01-01\"\n"
                                      "change: chuyển đổi\nsources: [bai-mau, kien-thuc-bien-tap]\n",
    })
    pages = run(Project.read(root)).pages
    page = pages["tinh-thanh/tinh-c.md"]
    assert note in page and page.index(note) > page.index("## Nguồn")
    assert note not in pages["cach-lam/tinh-a-chi-bo-bon-tot.md"]


def test_the_glossary_marks_meanings_from_editorial_knowledge(tmp_path):
    """A reader tells an abbreviation the articles spell out from one the editors explain."""
    root = scratch_project(tmp_path, {
        "data/sources/kien-thuc-bien-tap.yaml": "id: kien-thuc-bien-tap\ntitle: Kiến thức biên tập\n",
        "data/glossary/bct.yaml": "id: bct\nabbr: BCT\nexpansion: Bộ Chính trị\nsources: [kien-thuc-bien-tap]\n",
        "data/glossary/tw.yaml": "id: tw\nabbr: TW\nexpansion: Trung ương\nsources: [bai-mau, kien-thuc-bien-tap]\n",
    })
    rows = {line.split(" | ")[0].lstrip("| "): line for line in run(Project.read(root)).pages["thuat-ngu/index.md"].splitlines()
            if line.startswith("| ") and " | " in line}
    editorial, article = "[*kiến thức biên tập*](../nguon/kien-thuc-bien-tap.md)", "(../nguon/bai-mau.md)"
    assert rows["BCT"].endswith(f"| {editorial} |") and article not in rows["BCT"]
    assert f"| {editorial}; có trong bài [Bài viết mẫu" in rows["TW"] and article in rows["TW"]
    assert "kiến thức biên tập" not in rows["BTCTW"] and article in rows["BTCTW"]


def test_a_link_to_a_local_document_says_whose_it_is(tmp_path):
    """Provincial committees number their documents each on their own: "Kế hoạch số 64" needs its issuer."""
    root = scratch_project(tmp_path, {
        "data/organs/btv-tinh-a.yaml": "id: btv-tinh-a\nname: Ban Thường vụ Tỉnh ủy A\nlevel: tỉnh\n",
        "data/directives/ke-hoach-64-kh-tu-2013.yaml":
            "id: ke-hoach-64-kh-tu-2013\nnumber: 64-KH/TU\ndoc_type: kế hoạch\nissuer: btv-tinh-a\n"
            "province: tinh-a\nlevel: tỉnh\nrelations: [{type: thuc-hien, target: huong-dan-38-hd-btctw-2010}]\n"
            "sources: [bai-mau]\n",
    })
    pages = run(Project.read(root)).pages
    central, local = pages["van-ban/huong-dan-38-hd-btctw-2010.md"], pages["van-ban/ke-hoach-64-kh-tu-2013.md"]
    assert "[Kế hoạch số 64-KH/TU của Ban Thường vụ Tỉnh ủy A](../van-ban/ke-hoach-64-kh-tu-2013.md)" in central
    assert "[Hướng dẫn số 38-HD/BTCTW ngày 9/3/2010](../van-ban/huong-dan-38-hd-btctw-2010.md)" in local


def test_a_title_naming_another_body_gets_its_issuer_once_in_brackets(tmp_path):
    """"Kế hoạch … theo Kết luận 24 của Bộ Chính trị của Ban Thường vụ …" read as the Politburo's plan."""
    root = scratch_project(tmp_path, {
        "data/organs/btv-tinh-a.yaml": "id: btv-tinh-a\nname: Ban Thường vụ Tỉnh ủy A\nlevel: tỉnh\n",
        "data/directives/ke-hoach-luan-chuyen.yaml":
            "id: ke-hoach-luan-chuyen\ndoc_type: kế hoạch\nshort_name: Kế hoạch luân chuyển cán bộ theo Kết luận 24 "
            "của Bộ Chính trị\nissuer: btv-tinh-a\nprovince: tinh-a\nlevel: tỉnh\n"
            "relations: [{type: thuc-hien, target: huong-dan-38-hd-btctw-2010}]\nsources: [bai-mau]\n",
        "data/directives/huong-dan-nhan-su.yaml":
            "id: huong-dan-nhan-su\ndoc_type: hướng dẫn\nshort_name: Hướng dẫn quy trình nhân sự của Ban Thường vụ "
            "Tỉnh ủy A\nissuer: btv-tinh-a\nprovince: tinh-a\nlevel: tỉnh\n"
            "relations: [{type: thuc-hien, target: huong-dan-38-hd-btctw-2010}]\nsources: [bai-mau]\n",
    })
    central = run(Project.read(root)).pages["van-ban/huong-dan-38-hd-btctw-2010.md"]
    assert ("[Kế hoạch luân chuyển cán bộ theo Kết luận 24 của Bộ Chính trị (Ban Thường vụ Tỉnh ủy A)]"
            "(../van-ban/ke-hoach-luan-chuyen.md)") in central
    assert "[Hướng dẫn quy trình nhân sự của Ban Thường vụ Tỉnh ủy A](../van-ban/huong-dan-nhan-su.md)" in central


_OF = re.compile(r"(?<!\w)của(?!\w)", re.IGNORECASE)
_WORDS = st.lists(st.sampled_from(["Kế hoạch", "số 64", "của", "Của", "theo", "Kết luận 24", "Bộ Chính trị",
                                   "Tỉnh ủy A", "Tỉnh ủy An Giang", "Ban Thường vụ", "của cải", "nhà", "(khóa X)"]),
                  max_size=8)


def _names(name: str, issuer: str) -> bool:
    """Whether `name` holds `issuer` as whole words."""
    return re.search(rf"(?<!\w){re.escape(issuer)}(?!\w)", name) is not None


@settings(max_examples=300, deadline=None)
@given(name=_WORDS.map(" ".join), issuer=_WORDS.filter(bool).map(" ".join))
@example(name="Kế hoạch theo Kết luận 24 của Bộ Chính trị", issuer="Ban Thường vụ Tỉnh ủy A")
def test_a_label_says_its_issuer_once_and_never_chains_two(name, issuer):
    label = with_issuer(name, issuer)
    assert label.startswith(name) and _names(label, issuer)
    assert (label == name) == _names(name, issuer)
    # The label adds one "của" of its own, and only to a name that has none.
    assert len(_OF.findall(label)) <= max(1, len(_OF.findall(name))) + len(_OF.findall(issuer))


def test_an_issuer_inside_a_longer_name_is_still_said():
    """"Tỉnh ủy A" in "Tỉnh ủy An Giang" is another body: the label must still name its own."""
    assert with_issuer("Kế hoạch phối hợp với Tỉnh ủy An Giang", "Tỉnh ủy A") == \
        "Kế hoạch phối hợp với Tỉnh ủy An Giang của Tỉnh ủy A"
    assert with_issuer("Kế hoạch của Tỉnh ủy A", "Tỉnh ủy A") == "Kế hoạch của Tỉnh ủy A"
    assert with_issuer("Kế hoạch (Tỉnh ủy A)", "Tỉnh ủy A") == "Kế hoạch (Tỉnh ủy A)"


def test_a_source_page_shows_its_publication_not_the_seed_file(tmp_path):
    root = scratch_project(tmp_path, {
        "data/sources/bai-mau.yaml": "id: bai-mau\ntitle: Bài mẫu\npublisher: Báo Tỉnh A\npublished: \"2023-09-21\"\n"
                                     "seed: 002_abc.txt\n",
        "data/sources/bai-khac.yaml": "id: bai-khac\ntitle: Bài khác\nseed: 003_def.txt\n",
    })
    pages = run(Project.read(root)).pages
    page, bare = pages["nguon/bai-mau.md"], pages["nguon/bai-khac.md"]
    assert "| Đăng trên | Báo Tỉnh A, 21/9/2023 |" in page
    assert "[Bài mẫu (Báo Tỉnh A, 21/9/2023)](../nguon/bai-mau.md)" in pages["mo-hinh/chi-bo-bon-tot.md"]
    for text in (page, bare):
        assert ".txt" not in text and "không rõ" not in text
    assert "Bài viết không ghi tên báo, tạp chí" in bare


def test_glossary_tooltips_cannot_carry_markup(tmp_path):
    # Material writes a tooltip's title with innerHTML: even escaped markup would run there.
    root = scratch_project(tmp_path, {"data/glossary/btctw.yaml":
                                      'id: btctw\nabbr: BTCTW\nexpansion: \'Ban &lt;img src=x onerror=y()&gt;\'\n'})
    result = run(Project.read(root))
    assert [p.code for p in result.problems] == ["field.value"] and not result.pages
    # and should an expansion with markup characters reach the renderer, none of them survives
    html = to_html("BTCTW ban hành." + abbreviation_definitions("BTCTW", {"BTCTW": 'Ban "Tổ&lt;img>', "<a": "x"}))
    assert 'title="Ban Tổ lt;img"' in html and "<a" not in html.replace("<abbr", "")


def test_a_directive_shows_every_relation_type_it_declares(tmp_path):
    root = scratch_project(tmp_path, {"data/directives/ke-hoach-64-kh-tu-2013.yaml": (
        "id: ke-hoach-64-kh-tu-2013\ndoc_type: kế hoạch\nsources: [bai-mau]\nrelations:\n"
        "  - {type: can-cu, target: huong-dan-38-hd-btctw-2010}\n"
        "  - {type: thuc-hien, target: huong-dan-38-hd-btctw-2010}\n")})
    page = run(Project.read(root)).pages["van-ban/ke-hoach-64-kh-tu-2013.md"]
    links = page.split("## Liên kết", 1)[1]
    assert "**Căn cứ:**" in links and "**Thực hiện:**" in links
