"""A new record kind is one declaration in the schema (issue #15).

The fixture declares `event` (hội nghị, sự kiện) the way a maintainer would:
a model and a Kind, registered, with no template, no mkdocs.yml edit and no
other file touched. The handbook must then give its records pages, the kind
an index and a navigation tab, the directives they name backlinks, and the
editors a JSON Schema and a field reference.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import markdown as markdown_lib
import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator import cms_config, editor_schema, navigation
from generator.cli import main
from generator.dates import PartialDate
from generator.pipeline import run
from generator.project import Project
from generator.schema import (KINDS, LOOKUP_GROUP, Figure, Kind, Record, describe_fields, markdown, ref, register,
                              sibling, unregister)
from scratch import PROJECT, scratch_project


class Event(Record):
    """Hội nghị, sự kiện."""

    name: str = Field(title="Tên", description="Tên hội nghị, sự kiện, đúng như nguồn ghi.")
    date: PartialDate | None = Field(None, title="Ngày tổ chức", description="Ngày tổ chức, nếu nguồn nêu.")
    province: str | None = ref("province", "Địa phương", "Sự kiện tại địa phương",
                               description="Mã tỉnh, thành nơi tổ chức.")
    directives: list[str] = ref("directive", "Văn bản được quán triệt", "Được quán triệt tại", many=True,
                                description="Mã các văn bản được quán triệt, triển khai tại sự kiện.")
    summary: str | None = markdown("Nội dung", "Nội dung chính của sự kiện theo nguồn.")
    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True, required=True,
                             description="Mã các bài viết nêu sự kiện.")


def event_kind(**roles) -> Kind:
    declared = {"nav_group": LOOKUP_GROUP, "sources": "sources", "date": "date", "places": ("province",)}
    model = roles.pop("model", Event)
    return Kind("event", "events", "su-kien", "sự kiện", "Hội nghị, sự kiện", model, **(declared | roles))


EVENTS = {
    "data/events/hoi-nghi-quan-triet-2010.yaml":
        "id: hoi-nghi-quan-triet-2010\nname: Hội nghị quán triệt Hướng dẫn 38\ndate: \"2010-04-02\"\n"
        "province: tinh-a\ndirectives: [huong-dan-38-hd-btctw-2010]\n"
        "summary: Quán triệt **mô hình tổ chức** mới.\nsources: [bai-mau]\n",
    "data/events/hoi-nghi-so-ket-2013.yaml":
        "id: hoi-nghi-so-ket-2013\nname: Hội nghị sơ kết mô hình\ndirectives: [huong-dan-38-hd-btctw-2010]\n"
        "sources: [bai-mau]\n",
}


@pytest.fixture(autouse=True)
def without_a_declared_event(monkeypatch):
    """The day a maintainer declares a real `event` kind, these tests still declare their own."""
    from generator.schema import KIND_BY_FOLDER

    declared = KINDS.get("event")
    if declared is not None:
        monkeypatch.delitem(KINDS, "event")
        monkeypatch.delitem(KIND_BY_FOLDER, declared.folder)


@pytest.fixture
def event():
    register(event_kind())
    try:
        yield KINDS["event"]
    finally:
        unregister("event")


def test_a_role_naming_a_missing_field_fails_at_declaration():
    """A renamed field cannot leave a role checking nothing; a field without a label shows none."""
    with pytest.raises(ValueError, match="held_on"):
        event_kind(name_field="title", subject=("held_on",))
    with pytest.raises(ValueError, match="issued"):
        event_kind(date="issued")

    class Unlabelled(Event):
        venue: str | None = Field(None, description="Nơi tổ chức.")

    with pytest.raises(ValueError, match="venue"):
        event_kind(model=Unlabelled)
    assert "event" not in KINDS


def test_a_rule_reading_a_renamed_field_fails_loudly():
    """A rule tying two fields (an end after its start) cannot go on reading nothing after a rename."""
    class Renamed(Event):
        held_until: PartialDate | None = Field(None, title="Đến ngày", description="Ngày kết thúc.")

        @field_validator("held_until")
        @classmethod
        def _after_start(cls, value, info):
            start = sibling(cls, info, "start")     # the field is called `date` here
            return value if not start or not value.before(start) else None

    with pytest.raises(KeyError, match="start"):
        Renamed.model_validate({"id": "hoi-nghi", "name": "Hội nghị", "sources": ["bai-mau"],
                                "held_until": "2020"})


def test_a_kind_cannot_be_declared_twice(event):
    with pytest.raises(ValueError):
        register(event_kind())


@pytest.mark.parametrize("section", ["van-ban", "thuat-ngu", "admin", "search", "assets", "bien-tap"])
def test_a_kind_cannot_take_a_folder_of_the_site(section):
    """Another kind's section (its index would be replaced) or a folder the build writes itself."""
    with pytest.raises(ValueError, match=f"section '{section}'"):
        register(Kind("event", "events", section, "sự kiện", "Hội nghị, sự kiện", Event))
    assert "event" not in KINDS


def test_a_reference_without_backlabel_fails_at_declaration():
    """The page it points at would head the list of referring records with an empty label."""
    class Unnamed(Event):
        organ: str | None = ref("organ", "Cơ quan chủ trì", "", description="Mã cơ quan chủ trì.")

    with pytest.raises(ValueError, match="organ"):
        event_kind(model=Unnamed)


def test_new_kind_gets_pages_index_backlinks_and_field_docs(event, tmp_path):
    result = run(Project.read(scratch_project(tmp_path, EVENTS)))
    assert result.ok, [p.format() for p in result.problems]
    pages = result.pages

    page = pages["su-kien/hoi-nghi-quan-triet-2010.md"]
    assert "# Hội nghị quán triệt Hướng dẫn 38" in page
    assert "| Ngày tổ chức | 2/4/2010 |" in page
    assert "| Địa phương | [Tỉnh A](../tinh-thanh/tinh-a.md) |" in page
    assert "## Nội dung\n\nQuán triệt **mô hình tổ chức** mới." in page
    assert "**Văn bản được quán triệt:**" in page and "(../van-ban/huong-dan-38-hd-btctw-2010.md)" in page
    assert "## Nguồn" in page and "(../nguon/bai-mau.md)" in page
    assert "Ngày tổ chức" not in pages["su-kien/hoi-nghi-so-ket-2013.md"]     # no date, no row

    index = pages["su-kien/index.md"]
    assert "# Hội nghị, sự kiện" in index
    assert "(../su-kien/hoi-nghi-quan-triet-2010.md)" in index and "(../su-kien/hoi-nghi-so-ket-2013.md)" in index

    directive = pages["van-ban/huong-dan-38-hd-btctw-2010.md"]
    backlinks = directive.split("**Được quán triệt tại:**", 1)[1].split("\n\n**", 1)[0]
    assert "../su-kien/hoi-nghi-quan-triet-2010.md" in backlinks and "../su-kien/hoi-nghi-so-ket-2013.md" in backlinks
    assert "Sự kiện tại địa phương" in pages["tinh-thanh/tinh-a.md"]

    fields = pages["bien-tap/truong-du-lieu.md"]
    assert "Hội nghị, sự kiện" in fields and "Mã các văn bản được quán triệt, triển khai tại sự kiện." in fields


def test_new_kind_gets_json_schema_and_form(event):
    schema = editor_schema.json_schema(event)
    properties = schema["properties"]
    assert schema["title"] == "Hội nghị, sự kiện (data/events/)"
    assert properties["date"]["title"] == "Ngày tổ chức"
    assert properties["directives"]["x-ref"] == "directive" and "sources" in schema["required"]
    form = cms_config.collection(event)
    assert form["folder"] == "data/events" and form["identifier_field"] == "name"
    assert [f["label"] for f in form["fields"]][:3] == ["Mã định danh", "Tên", "Ngày tổ chức"]
    assert editor_schema.vscode_settings()["yaml.schemas"]["generator/schemas/event.schema.json"] == "data/events/*.yaml"
    hooks = yaml.safe_load(editor_schema.pre_commit_config())["repos"][0]["hooks"]
    assert any(h["files"] == r"^data/events/.*\.yaml$" and "generator/schemas/event.schema.json" in h["args"]
               for h in hooks)


def test_new_kind_gets_its_tab_in_the_built_site(event, tmp_path):
    """Built with the project's own mkdocs.yml, unedited: the kind's tab comes from the schema."""
    root = scratch_project(tmp_path, EVENTS)
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content").mkdir()
    (root / "content" / "index.md").write_text("# Sổ tay\n", encoding="utf-8")
    assert {"Hội nghị, sự kiện": "su-kien/index.md"} in dict(
        next(i for i in navigation.kinds_nav() if isinstance(i, dict) and LOOKUP_GROUP in i))[LOOKUP_GROUP]

    assert main(["-C", str(root), "build"]) == 0
    site = root / "site"
    assert (site / "su-kien" / "hoi-nghi-quan-triet-2010" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    tab = home.split(LOOKUP_GROUP, 1)[1]
    assert 'href="su-kien/"' in tab and "Hội nghị, sự kiện" in tab


def test_every_kind_has_one_tab_in_the_projects_navigation():
    """mkdocs.yml names no kind: each kind's index comes in once, top-level tabs before the groups."""
    from generator.engine import yaml_load
    nav = navigation.expand(yaml_load((PROJECT / "mkdocs.yml").read_bytes())["nav"])
    text = repr(nav)
    for kind in KINDS.values():
        assert text.count(f"'{kind.section}/index.md'") == 1, kind.name
        assert f"'{kind.section}/index.md'" not in (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    tabs = [next(iter(item)) for item in nav if isinstance(item, dict)]
    grouped = [kind.nav_label for kind in KINDS.values() if kind.nav_group]
    top = [kind.nav_label for kind in sorted(KINDS.values(), key=lambda k: k.nav_order) if not kind.nav_group]
    assert tabs[1:1 + len(top)] == top and LOOKUP_GROUP in tabs and not set(grouped) & set(tabs)


class Meeting(Event):
    """An event with fields of every shape a record may hold."""

    online: bool = Field(False, title="Trực tuyến", description="Họp trực tuyến.")
    delegates: int | None = Field(None, title="Số đại biểu", description="Số đại biểu dự.")
    figures: list[Figure] = Field(default_factory=list, title="Số liệu", description="Số liệu mà nguồn nêu.")
    sessions: list[PartialDate] = Field(default_factory=list, title="Các phiên họp", description="Ngày các phiên họp.")


MEETING = EVENTS | {
    "data/events/hoi-nghi-so-ket-2013.yaml": EVENTS["data/events/hoi-nghi-so-ket-2013.yaml"]
    + "online: true\ndelegates: 0\nfigures:\n  - {label: Chi bộ đạt chuẩn, value: 0}\n"
      "  - {label: Đảng viên mới, value: 12, unit: người}\nsessions: [\"2013-05-02\", \"2013-06\"]\n",
    "data/glossary/btctw.yaml": "id: btctw\nabbr: BTCTW\nexpansion: Ban Tổ chức Trung ương\nsources: [bai-mau]\n",
}


def meeting_pages(tmp_path, **roles) -> dict[str, str]:
    register(event_kind(model=Meeting, **roles))
    try:
        result = run(Project.read(scratch_project(tmp_path, MEETING)))
    finally:
        unregister("event")
    assert result.ok, [p.format() for p in result.problems]
    return result.pages


def test_generic_page_shows_every_field_type(tmp_path):
    page = meeting_pages(tmp_path)["su-kien/hoi-nghi-so-ket-2013.md"]
    assert "| Trực tuyến | Có |" in page and "| Số đại biểu | 0 |" in page
    assert ("## Số liệu\n\n| Chỉ tiêu | Giá trị | Đơn vị |\n|---|---|---|\n"
            "| Chi bộ đạt chuẩn | 0 |  |\n| Đảng viên mới | 12 | người |\n") in page      # unused "Thời điểm": no column
    assert "## Các phiên họp\n\n- 2/5/2013\n- tháng 6/2013\n" in page        # dates in a list read as dates
    other = meeting_pages(tmp_path / "2")["su-kien/hoi-nghi-quan-triet-2010.md"]
    assert "| Trực tuyến | Không |" in other and "Số đại biểu" not in other and "Số liệu" not in other


def test_a_wrong_yes_no_or_number_says_what_to_write(tmp_path):
    register(event_kind(model=Meeting))
    try:
        root = scratch_project(tmp_path, EVENTS | {"data/events/hoi-nghi-so-ket-2013.yaml":
                                                   EVENTS["data/events/hoi-nghi-so-ket-2013.yaml"]
                                                   + "online: có\ndelegates: khoảng 50\n"})
        problems = run(Project.read(root)).problems
    finally:
        unregister("event")
    said = {p.message: p.hint for p in problems}
    assert said == {'`online` phải là có hoặc không, không phải "có"': "ghi `true` (có) hoặc `false` (không)",
                    '`delegates` phải là một số nguyên, không phải "khoảng 50"':
                        "chỉ ghi chữ số, không dấu chấm hay dấu phẩy ngăn hàng nghìn: `1000`"}


def test_kind_without_pages_shows_each_record_in_full_on_its_index(tmp_path):
    pages = meeting_pages(tmp_path, pages=False)
    assert not any(path.startswith("su-kien/") and path != "su-kien/index.md" for path in pages)
    index = pages["su-kien/index.md"]
    record = index.split('## <span id="ban-ghi-hoi-nghi-so-ket-2013"></span>Hội nghị sơ kết mô hình\n', 1)[1]
    assert "| Số đại biểu | 0 |" in record and "### Số liệu" in record and "| Đảng viên mới | 12 | người |" in record
    assert "### Nguồn" in record and "(../nguon/bai-mau.md)" in record
    assert "### Nội dung\n\nQuán triệt **mô hình tổ chức** mới." in index
    assert "(../van-ban/huong-dan-38-hd-btctw-2010.md)" in record
    html = markdown_lib.markdown(index, extensions=["tables", "toc"])
    assert 'id="ban-ghi-hoi-nghi-so-ket-2013"' in html and 'id="ban-ghi-hoi-nghi-quan-triet-2010"' in html

    # Links lead to the record's heading; the glossary keeps its table (no headings) and its plain link.
    directive = pages["van-ban/huong-dan-38-hd-btctw-2010.md"]
    assert "(../su-kien/index.md#ban-ghi-hoi-nghi-so-ket-2013)" in directive
    source = pages["nguon/bai-mau.md"]
    assert "(../su-kien/index.md#ban-ghi-hoi-nghi-quan-triet-2010)" in source and "(../thuat-ngu/index.md)" in source


def test_field_types_get_their_widgets_and_descriptions():
    register(event_kind(model=Meeting))
    try:
        fields = {f["name"]: f for f in cms_config.collection(KINDS["event"])["fields"]}
        docs = {d.name: d.type for d in describe_fields(Meeting)}
    finally:
        unregister("event")
    assert fields["online"]["widget"] == "boolean" and docs["online"] == "có/không"
    assert fields["delegates"] | {"widget": "number", "value_type": "int"} == fields["delegates"]
    assert docs["delegates"] == "số"
    assert [f["label"] for f in fields["figures"]["fields"]] == ["Chỉ tiêu", "Giá trị", "Đơn vị", "Thời điểm"]


class Referenced(Event):
    """An event whose sources field has another name: its backlinks read the same."""

    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True,
                             description="Mã các bài viết nêu sự kiện.")
    references: list[str] = ref("source", "Tài liệu", "Được trích dẫn trong", many=True, required=True,
                                description="Mã các tài liệu nêu sự kiện.")


def test_backlinks_are_grouped_by_the_label_the_reader_sees(tmp_path):
    register(event_kind(model=Referenced, sources="references"))
    try:
        files = {path: text.replace("sources:", "references:") for path, text in EVENTS.items()}
        result = run(Project.read(scratch_project(tmp_path, files)))
    finally:
        unregister("event")
    assert result.ok, [p.format() for p in result.problems]
    source = result.pages["nguon/bai-mau.md"]
    assert source.count("**Được trích dẫn trong:**") == 1
    group = source.split("**Được trích dẫn trong:**", 1)[1].split("\n\n**", 1)[0]
    assert "(../van-ban/huong-dan-38-hd-btctw-2010.md)" in group and "(../su-kien/hoi-nghi-so-ket-2013.md)" in group


class Linked(Event):
    """Events that name other events: a symmetric "related" list and a directed "follows"."""

    related: list[str] = ref("event", "Sự kiện liên quan", "Sự kiện liên quan", many=True, symmetric=True,
                             description="Mã các sự kiện liên quan.")
    follows: str | None = ref("event", "Tiếp nối", "Được tiếp nối bởi", description="Mã sự kiện trước đó.")
    partner: str | None = ref("event", "Tổ chức cùng", "Tổ chức cùng", symmetric=True,
                              description="Mã sự kiện tổ chức cùng lúc.")


def linked_events(tmp_path, first: str, second: str):
    register(event_kind(model=Linked))
    try:
        files = {"data/events/hoi-nghi-quan-triet-2010.yaml": EVENTS["data/events/hoi-nghi-quan-triet-2010.yaml"] + first,
                 "data/events/hoi-nghi-so-ket-2013.yaml": EVENTS["data/events/hoi-nghi-so-ket-2013.yaml"] + second}
        return run(Project.read(scratch_project(tmp_path, files)))
    finally:
        unregister("event")


def test_a_symmetric_reference_may_be_written_both_ways(tmp_path):
    result = linked_events(tmp_path, "related: [hoi-nghi-so-ket-2013]\n", "related: [hoi-nghi-quan-triet-2010]\n")
    assert result.ok, [p.format() for p in result.problems]
    page = result.pages["su-kien/hoi-nghi-so-ket-2013.md"]
    assert page.count("**Sự kiện liên quan:**") == 1 and "(../su-kien/hoi-nghi-quan-triet-2010.md)" in page
    one_way = linked_events(tmp_path / "2", "related: [hoi-nghi-so-ket-2013]\n", "")
    assert "**Sự kiện liên quan:**" in one_way.pages["su-kien/hoi-nghi-so-ket-2013.md"]     # shown on both pages


def test_a_single_symmetric_reference_shows_on_both_pages(tmp_path):
    result = linked_events(tmp_path, "partner: hoi-nghi-so-ket-2013\n", "")
    assert result.ok, [p.format() for p in result.problems]
    for page, other in (("hoi-nghi-quan-triet-2010", "hoi-nghi-so-ket-2013"), ("hoi-nghi-so-ket-2013", "hoi-nghi-quan-triet-2010")):
        text = result.pages[f"su-kien/{page}.md"]
        assert text.count("Tổ chức cùng") == 1 and f"(../su-kien/{other}.md)" in text, text


class Speaker(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(title="Người phát biểu", description="Họ tên.")
    organ: str | None = ref("organ", "Cơ quan", "Có người phát biểu tại", description="Mã cơ quan của người phát biểu.")


class WithSpeakers(Event):
    speakers: list[Speaker] = Field(default_factory=list, title="Phát biểu", description="Những người phát biểu.")


def test_a_reference_inside_nested_values_makes_a_backlink_kept_up_to_date(tmp_path):
    from generator.incremental import render_all, rerender

    register(event_kind(model=WithSpeakers))
    try:
        root = scratch_project(tmp_path, EVENTS)
        before = run(Project.read(root))
        event = root / "data/events/hoi-nghi-so-ket-2013.yaml"
        event.write_text(event.read_text(encoding="utf-8") + "speakers:\n  - {name: Ông A, organ: ban-to-chuc-trung-uong}\n",
                         encoding="utf-8")
        after = run(Project.read(root))
        kept, _ = rerender(render_all(before.handbook), after.handbook)
    finally:
        unregister("event")
    organ = after.pages["co-quan/ban-to-chuc-trung-uong.md"]
    assert "Có người phát biểu tại" in organ and "(../su-kien/hoi-nghi-so-ket-2013.md)" in organ
    assert kept.pages == after.pages         # the preview's incremental render saw it too


def test_a_directed_reference_to_the_same_kind_may_not_close_a_cycle(tmp_path):
    result = linked_events(tmp_path, "follows: hoi-nghi-so-ket-2013\n", "follows: hoi-nghi-quan-triet-2010\n")
    assert [p.code for p in result.problems] == ["relation.cycle"]


def test_the_glossary_page_is_found_by_its_kind_not_its_folder(monkeypatch, tmp_path):
    """Search's "chữ viết tắt" answer and the printed pack's glossary link follow the kind's section."""
    from generator import pdf, search
    monkeypatch.setitem(KINDS, "glossary", dataclasses.replace(KINDS["glossary"], section="chu-viet-tat"))
    pages = [{"location": "thuat-ngu/", "title": "Thuật ngữ", "text": ""},
             {"location": "chu-viet-tat/", "title": "Chữ viết tắt", "text": ""}]
    infos = {page["location"]: search.PageInfo(search.LISTING) for page in pages}
    meta = json.loads(search.build(pages, infos, {})[f"{search.INDEX_DIR}/meta.js"].split("(", 1)[1].rsplit(")", 1)[0])
    assert meta["glossary"] == "chu-viet-tat/" and meta["glossaryPage"] == 1

    handbook = run(Project.read(scratch_project(tmp_path))).handbook
    links = pdf._Links({}, set(), "", tmp_path)
    assert pdf._abbreviations(handbook, ["Theo BTCTW"], links) == [("BTCTW", "Ban Tổ chức Trung ương")]
    assert links.anchors == {"chu-viet-tat/index.md": "viet-tat"}


def test_a_province_linking_another_is_no_former_province(monkeypatch, tmp_path):
    """Only the `successor` role makes a former province: a twinned province keeps its own page."""
    province = KINDS["province"]

    class TwinnedProvince(province.model):
        twin: str | None = ref("province", "Kết nghĩa với", "Được kết nghĩa bởi", description="Tỉnh kết nghĩa.")

    monkeypatch.setitem(KINDS, "province", dataclasses.replace(province, model=TwinnedProvince))
    root = scratch_project(tmp_path, {
        "data/provinces/tinh-b.yaml": "id: tinh-b\nname: Tỉnh B\ntwin: tinh-a\n",
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\n",
    })
    result = run(Project.read(root))
    assert result.ok, [p.format() for p in result.problems]
    assert [e.id for e in result.handbook.formers("tinh-a")] == ["tinh-c"]
    page, index = result.pages["tinh-thanh/tinh-a.md"], result.pages["tinh-thanh/index.md"]
    assert "Tỉnh C" in page and "Tỉnh B (tỉnh cũ" not in page and "Được kết nghĩa bởi" in page
    assert "gồm cả Tỉnh C" in index and "Tỉnh B" not in index.split("gồm cả", 1)[1].split("\n", 1)[0]


# editor.js run by node as the admin page loads it, with Decap reduced to what the script calls.
_LOAD_EDITOR = """
const registered = [];
global.window = {h() {}, createClass: (spec) => spec, addEventListener() {},
                 HandbookLayout: {format: () => ({})}, HandbookNames: {},
                 CMS: {registerPreviewTemplate(name) { registered.push(name); }, registerPreviewStyle() {},
                       registerEventListener() {}, getLocale() { return null; }, registerLocale() {},
                       registerCustomFormat() {}, registerWidget() {}, init() {}}};
global.document = {addEventListener() {},
                   currentScript: {getAttribute: (name) => name === "data-collections" ? process.argv[2] : null}};
require(process.argv[1]);
console.log(JSON.stringify(registered));
"""


def test_new_kind_gets_the_form_editors_preview(event, tmp_path, monkeypatch):
    from generator import cms
    if shutil.which("node") is None:
        pytest.skip("node is missing")
    dist = tmp_path / "cache" / f"decap-cms-{cms.DECAP_VERSION}"
    dist.mkdir(parents=True)
    for name in ("decap-cms.js", "decap-cms.js.LICENSE.txt"):
        (dist / name).write_text("", encoding="utf-8")
    reader = tmp_path / "cache" / f"js-yaml-{cms.JS_YAML_VERSION}"
    reader.mkdir()
    for name in (cms.JS_YAML_FILE, "js-yaml.LICENSE.txt"):
        (reader / name).write_text("", encoding="utf-8")
    monkeypatch.setenv("HANDBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("HANDBOOK_CMS_LOCAL", raising=False)
    monkeypatch.setattr(cms, "CONFIG_FILE", cms_config.write_cms_config(tmp_path / "config.yml"))
    assert cms.write_admin(tmp_path / "site", cms.Backend(repo="so-tay/kho"), "Sổ tay") == ""

    admin = tmp_path / "site" / "admin"
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script on the editor page"
    tag = re.search(r'<script src="editor.js" data-collections="([^"]*)"', page)
    found = subprocess.run(["node", "-e", _LOAD_EDITOR, str(admin / "editor.js"), html.unescape(tag.group(1))], capture_output=True, text=True, check=True)
    assert json.loads(found.stdout) == [c["name"] for c in cms_config.cms_config()["collections"]]
    assert "events" in json.loads(found.stdout)
