"""The search index written at build time (generator/search.py), read back as the worker reads it."""

import json
import os
import re
import string
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import search
from generator.pipeline import run
from generator.project import Project
from scratch import scratch_project


def read_index(files: dict[str, str]) -> tuple[dict, dict[str, dict[int, int]], list[list[str]]]:
    """meta, postings by term (page → field bits) and pages, decoded like worker.js does."""
    def arguments(text: str) -> list:
        return json.loads("[" + text[text.index("(") + 1:text.rindex(")")] + "]")
    meta = arguments(files[f"{search.INDEX_DIR}/meta.js"])[0]
    postings: dict[str, dict[int, int]] = {}
    pages: list[list[str]] = []
    for name in sorted(files, key=lambda n: (len(n), n)):
        if "/t-" in name:
            key, terms = arguments(files[name])
            for term, encoded in terms.items():
                assert search.shard_key(term) == key
                page, decoded = 0, {}
                for gap, bits in re.findall(r"([0-9a-z]+)([A-P])", encoded):
                    page += int(gap, 36)
                    decoded[page] = ord(bits) - 65
                postings[term] = decoded
        elif "/d-" in name:
            pages += arguments(files[name])[1]
    return meta, postings, pages


def doc(location: str, title: str, text: str = "") -> dict:
    return {"location": location, "title": title, "text": text}


def test_syllables_are_folded_and_numbers_cut_from_letters():
    assert [f for _, f in search.tokens("Đảng bộ TW4, 38-HD/BTCTW")] == ["dang", "bo", "tw", "4", "38", "hd", "btctw"]
    assert search.tokens("Bí thư")[0] == ("bí", "bi")


def test_postings_say_where_a_word_is_and_phrases_stay_within_punctuation():
    files = search.build([doc("a/", "Chi bộ bốn tốt", "<p>Đảng viên &amp; quần chúng. Bốn tốt</p>"),
                          doc("a/#muc", "Mục", "chi bộ"),
                          doc("b/", "Đảng viên", "")],
                         {"a/": search.PageInfo(search.RECORD)}, {})
    meta, postings, pages = read_index(files)
    assert meta["pages"] == 2 and [p[0] for p in pages] == ["a/", "b/"]     # sections merge into their page
    assert postings["chi"] == {0: search.TITLE | search.BODY}
    assert postings["chi bo"] == {0: search.TITLE | search.BODY}
    assert postings["dang vien"] == {0: search.BODY, 1: search.TITLE}
    assert "chung bon" not in postings            # a full stop ends a phrase
    assert postings["=bô5"] == {0: search.TITLE | search.BODY}     # spelt with diacritics, in every field
    assert postings["=quân2"] == {0: search.BODY}
    assert pages[0][2].startswith("Đảng viên & quần chúng")


def test_a_directive_is_found_by_its_subject_line(tmp_path):
    root = scratch_project(tmp_path, {
        "data/directives/d.yaml": "id: d\ndoc_type: hướng dẫn\nnumber: 12-HD/TU\n"
                                  "title: Về sinh hoạt chi bộ theo chuyên đề\nsources: [bai-mau]\n",
    })
    result = run(Project.read(root))
    infos = search.page_infos(result.handbook, {"van-ban/d.md": "van-ban/d/"})
    assert infos["van-ban/d/"].subject == "Về sinh hoạt chi bộ theo chuyên đề"
    files = search.build([doc("van-ban/d/", "Hướng dẫn 12-HD/TU", "")], infos, {})
    _, postings, _ = read_index(files)
    assert postings["chuyen de"][0] & search.SUBJECT


def test_each_result_says_what_it_is_and_which_one(tmp_path):
    """A văn bản, a cách làm and a chủ đề do not look alike in the results: kind, then number and
    date, or province (the former one with the one it is part of now)."""
    root = scratch_project(tmp_path, {
        "data/directives/d.yaml": "id: d\ndoc_type: hướng dẫn\nnumber: 12-HD/TU\nissued: 2019-03-09\n"
                                  "title: Về sinh hoạt chi bộ\nsources: [bai-mau]\n",
    })
    result = run(Project.read(root))
    directive = search.page_infos(result.handbook, {"van-ban/d.md": "van-ban/d/"})["van-ban/d/"]
    assert directive.badge == "Văn bản · 12-HD/TU · 9/3/2019"
    practices = [e for e in result.handbook.entries.values() if e.kind.name == "practice" and e.record.province]
    assert practices
    for practice in practices:
        path = f"cach-lam/{practice.id}.md"
        badge = search.page_infos(result.handbook, {path: path})[path].badge
        province = result.handbook.entries[practice.record.province].record
        assert badge.startswith("Cách làm · ") and province.name in badge
        if province.merged_into:
            assert result.handbook.entries[province.merged_into].record.name in badge
    files = search.build([doc("van-ban/d/", "Hướng dẫn 12-HD/TU", "")],
                         {"van-ban/d/": directive}, {})
    assert read_index(files)[2][0][3] == directive.badge       # the chunk the worker shows it from


@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from([".", "\u00a0", "\u202f"]))
def test_a_figure_is_one_number_with_or_without_its_thousands_separator(number, separator):
    """"42.883 đảng viên" is found by "42883" (worker.js joins typed figures the same way)."""
    grouped = f"{number:,}".replace(",", separator)
    assert [f for _, f in search.tokens(f"có {grouped} đảng viên")] == ["co", str(number), "dang", "vien"]
    assert [f for _, f in search.tokens(f"ngày 9.3.2010, {number}")][-1] == str(number)


@given(st.integers(min_value=1000, max_value=10**9))
def test_a_figure_grouped_by_spaces_is_also_one_number(number):
    """"42 883" may be one figure or two numbers ("khóa 12 100 đảng viên"): the page keeps its
    syllables, in their phrases, and also holds the joined figure (worker.js reads queries both ways)."""
    grouped = f"{number:,}".replace(",", " ")
    files = search.build([doc("a/", "A", f"<p>Có {grouped} đảng viên</p>")], {"a/": search.PageInfo(search.RECORD)}, {})
    postings = read_index(files)[1]
    assert postings[str(number)] == {0: search.BODY}
    parts = grouped.split(" ")
    assert postings[f"{parts[-1]} dang"] == {0: search.BODY}


def test_a_year_beside_a_number_is_not_one_figure():
    assert search._spaced_figures("năm 2019 100 người, ngày 1.000") == []


def test_a_document_number_or_a_date_is_one_phrase():
    """Its slashes do not end a phrase, so "202/2025/QH15" and "12/6/2025", typed as they stand in
    a page's body, find it; a slash between words still ends one."""
    files = search.build([doc("a/", "A", "<p>Nghị quyết số 202/2025/QH15 ngày 12/6/2025. Đảng/chính quyền</p>")],
                         {"a/": search.PageInfo(search.RECORD)}, {})
    postings = read_index(files)[1]
    for pair in ("202 2025", "2025 qh", "qh 15", "12 6", "6 2025"):
        assert postings[pair] == {0: search.BODY}
    assert "dang chinh" not in postings


@pytest.mark.parametrize("one, other", [("thủy", "thuỷ"), ("hòa", "hoà"), ("khỏe", "khoẻ"), ("Ủy", "Uỷ")])
def test_a_spelling_is_the_same_wherever_its_tone_mark_sits(one, other):
    assert search.spelling(one.lower()) == search.spelling(other.lower())


def test_spellings_tell_words_apart_that_fold_alike_but_not_abbreviations():
    spelt = search._spellings("kiểm điểm, tiết kiệm, kiêm nhiệm; NQ TƯ 4, ĐA")
    assert {"=kiêm3", "=kiêm5", "=kiêm"} <= spelt
    assert "=tư" not in spelt and "=đa" not in spelt          # capitals: abbreviations, not the words "tư", "đa"
    assert "=tư" in search._spellings("tư tưởng")


def test_abbreviations_answer_both_ways():
    glossary = {"BTCTW": "Ban Tổ chức Trung ương", "TƯ": "Trung ương", "TU": "Tỉnh ủy"}
    files = search.build([doc("a/", "Hướng dẫn 38-HD/BTCTW"), doc("b/", "Ban Tổ chức Trung ương"),
                          doc("c/", "Khối MTTQ")], {}, glossary)
    meta, postings, _ = read_index(files)
    assert postings["ban to"][0] == search.KEYS      # a uses the abbreviation: its expansion is a keyword
    assert postings["btctw"][1] == search.KEYS            # b spells it out: the abbreviation is one
    assert meta["abbr"]["tư"] == ["trung", "uong"] and meta["abbr"]["tu"] == ["tinh", "uy"]


def test_an_organ_is_found_by_its_abbreviations_meaning(tmp_path):
    """"UBND tỉnh A" is found by "ủy ban nhân dân" when the glossary explains UBND (its own abbr)."""
    root = scratch_project(tmp_path, {
        "data/glossary/ubnd.yaml": "id: ubnd\nabbr: UBND\nexpansion: Ủy ban nhân dân\nsources: [bai-mau]\n",
        "data/organs/ubnd-tinh-a.yaml": "id: ubnd-tinh-a\nname: UBND tỉnh A\nabbr: UBND\nprovince: tinh-a\n",
    })
    infos = search.page_infos(run(Project.read(root)).handbook, {"co-quan/ubnd-tinh-a.md": "co-quan/ubnd-tinh-a/"})
    assert "Ủy ban nhân dân" in infos["co-quan/ubnd-tinh-a/"].keys


def test_listing_and_record_pages_are_told_apart(tmp_path):
    root = scratch_project(tmp_path, {
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\n",
        "data/practices/p.yaml": "id: p\ntitle: Giao ban\nprovince: tinh-c\nsources: [bai-mau]\n",
    })
    handbook = run(Project.read(root)).handbook
    infos = search.page_infos(handbook, {"cach-lam/p.md": "cach-lam/p/", "tinh-thanh/tinh-a.md": "tinh-thanh/tinh-a/",
                                         "cach-lam/index.md": "cach-lam/"})
    assert infos["cach-lam/p/"].kind == search.RECORD
    assert infos["cach-lam/p/"].keys == ["Tỉnh C", "Tỉnh A"]     # the province then, and now
    assert infos["tinh-thanh/tinh-a/"].kind == search.HUB and infos["tinh-thanh/tinh-a/"].keys == ["Tỉnh C"]
    assert infos["cach-lam/"].kind == search.LISTING


SAME_PAGES = """
import json, sys
from generator import search
docs = [{"location": f"{n}/", "title": title, "text": "Đảng viên chi bộ ấp, khóm; Ban Thường vụ"}
        for n, title in enumerate(["Chi bộ bốn tốt", "Đảng bộ", "Sinh hoạt chuyên đề", "Tỉnh ủy Đồng Tháp"])]
json.dump(search.build(docs, {}, {"BTV": "Ban Thường vụ", "TU": "Tỉnh ủy"}), sys.stdout, sort_keys=True)
"""


def test_the_same_pages_give_the_same_files():
    """Byte-identical index files from one run to the next: each run orders sets and dicts
    of strings by another hash seed, so two builds in one process could not tell."""
    outputs = {subprocess.run([sys.executable, "-c", SAME_PAGES], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and json.loads(outputs.pop())


editor_text = st.text(alphabet=st.sampled_from(string.ascii_letters + string.digits + " -/.,;:()“”\"'<>&"
                                               + "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợ"
                                               + "úùủũụứừửữựýỳỷỹỵĐÂÊÔƠƯ\u0301\u0323"), max_size=60)


@settings(max_examples=60, deadline=None)
@given(title=editor_text, body=editor_text)
def test_whatever_an_editor_writes_every_word_of_a_title_is_found(title, body):
    files = search.build([doc("a/", title, body)], {}, {})
    meta, postings, pages = read_index(files)
    assert all(re.fullmatch(r"search/hb/[a-z]-?[0-9a-z_]*\.js|search/hb/meta\.js", name) for name in files)
    assert pages[0][1] == search._plain(title)          # shown as text: the worker escapes it
    for exact, folded in search.tokens(search._plain(title)):
        assert postings[folded][0] & search.TITLE
        assert folded == "".join(c for c in folded if not 0x300 <= ord(c) < 0x370)


# --- The index kept between rebuilds (`handbook serve`) ----------------------------------------

words = st.sampled_from(["chi bộ", "Đảng viên", "bốn tốt", "BTV", "Ban Thường vụ", "sinh hoạt", "TW4", "38-HD",
                         "quần chúng", "thôn", "xã", ".", ","])
page_text = st.lists(words, max_size=6).map(" ".join)
page_state = st.tuples(page_text, page_text, st.lists(words, max_size=2))       # title, body, keywords
edits = st.lists(st.tuples(st.sampled_from(["edit", "add", "remove", "rename", "keys", "glossary"]),
                           st.integers(0, 7), page_state), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(start=st.lists(page_state, min_size=1, max_size=6), steps=edits)
def test_the_index_kept_between_rebuilds_equals_a_clean_one(start, steps):
    """Whatever pages an editor changes, adds, removes or renames, the files written (changed ones
    written, removed ones deleted) are those a clean build writes: no word stays on a page it left."""
    pages = {f"p{n}/": state for n, state in enumerate(start)}
    glossary = {"BTV": "Ban Thường vụ"}
    index, on_disk = search.Index(), {}

    def check() -> None:
        docs = [doc(location, title, body) for location, (title, body, _) in pages.items()]
        infos = {location: search.PageInfo(search.RECORD, keys=list(keys))
                 for location, (_, _, keys) in pages.items() if keys}
        files = index.update(docs, infos, glossary)
        for name in index.removed:
            del on_disk[name]
        on_disk.update({name: files[name] for name in index.changed})
        assert files == search.build(docs, infos, glossary) == on_disk

    check()
    for action, number, state in steps:
        locations = list(pages)
        location = locations[number % len(locations)]
        if action == "edit":
            pages[location] = state
        elif action == "add":
            pages[f"n{number}-{len(pages)}/"] = state
        elif action == "remove" and len(pages) > 1:
            del pages[location]
        elif action == "rename":
            pages = {(f"{key}moi/" if key == location else key): value for key, value in pages.items()}
        elif action == "keys":
            pages[location] = (*pages[location][:2], state[2])
        elif action == "glossary":
            glossary = {"BTV": state[0] or "Ban Thường vụ"}
        check()


SEGMENT_TEXT = list(" -–/.,;:…()[]“”\"\\|\t\n\x00_0129aAđĐσςΣΑ\u0301\u0323\u0338=<Ⅻİﬁ;") + ["ă", "ơ", "Ư", "ệ"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(SEGMENT_TEXT), max_size=40))
def test_one_pass_tokenising_cuts_the_same_segments(text):
    """The index tokenises a whole text in one pass, marking where segments end: the same
    syllables, in the same runs, as tokenising each segment on its own."""
    exact, folded = search._marked_syllables(text)
    runs: list = [[]]
    for e, f in zip(exact, folded):
        if e == search._MARK:
            runs.append([])
        else:
            runs[-1].append((e, f))
    assert [run for run in runs if run] == search.segments(text)


# --- A page's text, read off its HTML as Material's search plugin reads it -------------------

inline = st.sampled_from(["Đảng viên", "chi bộ", "A & B", "x < y > z", "**bốn tốt**", "*mới*", "`38-HD/BTCTW`",
                          "[Tỉnh ủy](../x.md)", "TU", '<small data-search-exclude>ẩn đi</small>', "“Nghị quyết”",
                          "2<sup>3</sup>", "a<br>b", "¶"])
sentence = st.lists(inline, min_size=1, max_size=5).map(" ".join)
block = st.one_of(
    st.builds(lambda level, text: "#" * level + " Mục " + text, st.integers(1, 4), sentence),
    sentence,
    st.lists(sentence, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(sentence, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    st.builds(lambda a, b: f"| {a} | cột |\n|---|---|\n| {b} | 1 |", sentence, sentence),
    st.builds(lambda t, b: f'!!! note "{t}"\n    {b}', sentence, sentence),
    sentence.map(lambda s: "```\n" + s + "\n  thụt\n```"),
    st.just("## Lược đồ {#luoc-do}"),
    # What a record page leaves out of search (its facts table), as the page marks it.
    st.builds(lambda a, b: f'<div data-search-exclude="" markdown>\n\n{a}\n\n| {b} | cột |\n|---|---|\n\n</div>',
              sentence, sentence),
)


def _material_entries(content: str, location: str, title: str) -> list[dict]:
    """What Material's own search plugin makes of the same HTML."""
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(lang=["vi"], separator=" ", pipeline=[], fields={})
    index.add_entry_from_context(SimpleNamespace(meta={}, content=content, toc=[], url=location, title=title))
    return index.entries


@settings(max_examples=200, deadline=None)
@given(blocks=st.lists(block, max_size=8), title=sentence)
def test_a_pages_text_is_read_as_materials_search_reads_it(blocks, title):
    """The index reads each page's sanitised HTML itself (instead of Material's search index):
    the page's title, text and teaser come out as Material's own parser gives them. Not generated:
    a heading inside an admonition (Material ends its section where the box ends; the index reads
    on to the next heading), a heading without a slug (Material takes any later h1 for its title),
    and a heading inside an element marked data-search-exclude (Material starts a section there,
    titled with the page's title; the index leaves it out with its element, see the next test)."""
    import markdown

    from generator.sanitize import clean_content

    converter = markdown.Markdown(extensions=["abbr", "admonition", "md_in_html", "tables", "toc", "attr_list"],
                                  extension_configs={"toc": {"permalink": True}})
    content = clean_content(converter.convert("\n\n".join(blocks)))
    ours = search._page("a/", search.entries(content, "a/", title))
    theirs = search._page("a/", _material_entries(content, "a/", title))
    assert ours == theirs


def test_a_marked_element_leaves_out_the_headings_it_holds():
    """A record page's diagram: its heading and its box in one marked div (templates/_macros.md.j2).
    Nothing of it reaches the index, and the sections around it read as without it."""
    around = ('<h1 id="t">Trang</h1>\n<p>Mở đầu.</p>\n<h2 id="truoc">Trước</h2>\n<p>Đoạn trước.</p>\n{}'
              '<h2 id="sau">Sau</h2>\n<p>Đoạn sau.</p>')
    diagram = ('<div data-search-exclude="">\n<h2 id="luoc-do">Lược đồ</h2>\n<div class="admonition luoc-do">\n'
               '<ul><li>Được căn cứ<ul><li><a href="x/">khongtimthay</a></li></ul></li></ul>\n</div>\n</div>\n')
    assert search.entries(around.format(diagram), "a/", "Trang") == search.entries(around.format(""), "a/", "Trang")


def test_only_the_attribute_itself_leaves_a_section_out_of_search():
    """A heading about the attribute (its id then contains the words) is searched like any other."""
    content = ('<h1 id="t">Trang</h1>\n<p>Mở đầu.</p>\n'
               '<h2 id="cach-dung-data-search-exclude">Cách dùng data-search-exclude</h2>\n<p>quytacdacbiet</p>\n'
               '<h2 id="an" data-search-exclude="">Ẩn</h2>\n<p>khongtimthay</p>\n'
               '<h2 id="sau">Sau</h2>\n<p>Cuối <small data-search-exclude="">ẩn <small>lồng</small> vẫn ẩn</small> hết.</p>')
    page = search._page("a/", search.entries(content, "a/", "Trang"))
    text = " ".join(page.body)
    assert "quytacdacbiet" in text and "Cách dùng data-search-exclude" in page.body
    assert "khongtimthay" not in text and "Ẩn" not in page.body
    assert "Cuối hết." in page.body and "lồng" not in text and "vẫn ẩn" not in text
