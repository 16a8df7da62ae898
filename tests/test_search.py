"""Search enrichment: folded fields and keywords added to Material's index."""

from pathlib import Path

import yaml

from generator import search
from generator.pipeline import run
from scratch import scratch_project

ROOT = Path(__file__).parent.parent


def test_fields_filled_here_are_declared_in_mkdocs_yml():
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    [options] = [p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p]
    assert set(options["fields"]) == set(search.FIELDS)


def test_number_forms_cover_how_people_type_numbers():
    assert search.number_forms("38-HD/BTCTW") == ["38hdbtctw", "38hd", "hd38"]
    assert search.number_forms("98-QĐ/TW") == ["98qdtw", "98qd", "qd98"]
    assert search.number_forms("1019") == ["1019"]


def test_enrich_adds_folded_fields_only_where_they_differ():
    index = {"docs": [{"location": "a/", "title": "Chi bộ bốn tốt", "text": "<p>Đảng viên &amp; quần chúng</p>"},
                      {"location": "b/", "title": "BTCTW", "text": "plain ascii"}]}
    search.enrich(index, {}, {})
    first, second = index["docs"]
    assert first["ftitle"] == "chi bo bon tot" and first["ftext"] == "dang vien & quan chung"
    assert "ftitle" not in second and "ftext" not in second


def test_abbreviations_answer_both_ways():
    glossary = {"BTCTW": "Ban Tổ chức Trung ương"}
    index = {"docs": [{"location": "a/", "title": "Hướng dẫn 38-HD/BTCTW", "text": ""},
                      {"location": "b/", "title": "Ban Tổ chức Trung ương", "text": ""},
                      {"location": "b/#x", "title": "Ban Tổ chức Trung ương", "text": ""}]}
    search.enrich(index, {}, glossary)
    a, b, section = index["docs"]
    assert "ban to chuc trung uong" in a["keys"] and "ban tổ chức trung ương" in a["keys"]
    assert "btctw" in b["keys"]
    assert "keys" not in section          # the page-level entry is enough


def test_former_province_records_answer_to_the_current_name(tmp_path):
    root = scratch_project(tmp_path, {
        "data/provinces/tinh-c.yaml": "id: tinh-c\nname: Tỉnh C\nmerged_into: tinh-a\n",
        "data/practices/p.yaml": "id: p\ntitle: Giao ban\nprovince: tinh-c\nsources: [bai-mau]\n",
    })
    handbook = run(root / "data").handbook
    words = search.keywords(handbook, {"cach-lam/p.md": "cach-lam/p/", "tinh-thanh/tinh-a.md": "tinh-thanh/tinh-a/",
                                       "van-ban/ke-hoach-64-kh-tu-2013.md": "van-ban/k/"})
    assert words["cach-lam/p/"] == ["Tỉnh C", "Tỉnh A"]     # the name then, and now
    assert words["tinh-thanh/tinh-a/"] == ["Tỉnh C"]
    assert words["van-ban/k/"] == ["64khtu", "64kh", "kh64", "Tỉnh A"]
