"""Stage 3: every reference shows on both pages, with its label, in a stable order."""

from generator.link import link
from generator.load import load
from generator.schema import RELATION_TYPES
from generator.validate import validate
from scratch import scratch_project


def linked(tmp_path, files=None):
    documents, _ = load(scratch_project(tmp_path, files) / "data")
    entries, problems = validate(documents)
    assert problems == []
    return link(entries)


def labels(groups):
    return {g.label: [e.id for e in g.entries] for g in groups}


def test_relation_shows_both_ways_with_its_labels(tmp_path):
    handbook = linked(tmp_path)
    relation = RELATION_TYPES["thuc-hien"]
    assert labels(handbook.outgoing["ke-hoach-64-kh-tu-2013"])[relation.label] == ["huong-dan-38-hd-btctw-2010"]
    assert labels(handbook.incoming["huong-dan-38-hd-btctw-2010"])[relation.backlabel] == ["ke-hoach-64-kh-tu-2013"]


def test_field_references_become_backlinks(tmp_path):
    incoming = labels(linked(tmp_path).incoming["huong-dan-38-hd-btctw-2010"])
    assert incoming["Cách làm thực hiện văn bản"] == ["tinh-a-chi-bo-bon-tot"]
    assert incoming["Là căn cứ của mô hình"] == ["chi-bo-bon-tot"]


def test_where_a_model_is_applied_comes_from_practices(tmp_path):
    handbook = linked(tmp_path)
    assert [e.id for e in handbook.citing("chi-bo-bon-tot", "practice")] == ["tinh-a-chi-bo-bon-tot"]


def test_symmetric_relation_has_one_label_on_both_sides(tmp_path):
    handbook = linked(tmp_path, {"data/directives/ke-hoach-64-kh-tu-2013.yaml": (
        "id: ke-hoach-64-kh-tu-2013\ndoc_type: kế hoạch\nrelations:\n"
        "  - {type: lien-quan, target: huong-dan-38-hd-btctw-2010}\nsources: [bai-mau]\n")})
    label = RELATION_TYPES["lien-quan"].label
    assert labels(handbook.outgoing["ke-hoach-64-kh-tu-2013"])[label] == ["huong-dan-38-hd-btctw-2010"]
    assert labels(handbook.outgoing["huong-dan-38-hd-btctw-2010"])[label] == ["ke-hoach-64-kh-tu-2013"]
    assert label not in labels(handbook.incoming.get("huong-dan-38-hd-btctw-2010", []))


def test_backlinks_are_sorted_the_vietnamese_way(tmp_path):
    practice = ("id: {id}\ntitle: {title}\nprovince: tinh-a\nmodels: [chi-bo-bon-tot]\nsources: [bai-mau]\n")
    handbook = linked(tmp_path, {
        "data/practices/p1.yaml": practice.format(id="p1", title="Đổi mới sinh hoạt"),
        "data/practices/p2.yaml": practice.format(id="p2", title="Xây dựng tổ đảng"),
        "data/practices/p3.yaml": practice.format(id="p3", title="Chi bộ ấp"),
    })
    names = [e.record.title for e in handbook.citing("chi-bo-bon-tot", "practice")]
    assert names == ["Chi bộ ấp", "Đổi mới sinh hoạt", "Thực hiện mô hình Chi bộ bốn tốt", "Xây dựng tổ đảng"]
