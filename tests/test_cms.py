"""The form editor's configuration and its /admin/ page (no browser: see test_cms_browser.py)."""

from __future__ import annotations

import re
import typing
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError
from ruamel.yaml import YAML

from generator import cms
from generator.cli import main
from generator.dates import PartialDate
from generator.load import load_file
from generator.cms_config import CONFIG_FILE, cms_config, config_text
from generator.editor_schema import json_schema
from generator.schema import KINDS, RELATION_TYPES, describe_fields, ref_fields
from scratch import scratch_project, site_project



def fields_of(kind: str) -> dict[str, dict]:
    [collection] = [c for c in cms_config()["collections"] if c["name"] == KINDS[kind].folder]
    return {field["name"]: field for field in collection["fields"]}


def test_committed_cms_config_matches_the_schema():
    assert CONFIG_FILE.read_text(encoding="utf-8") == config_text(), "run `handbook schemas` and commit the result"


def test_one_collection_per_kind_with_files_named_after_ids():
    collections = cms_config()["collections"]
    assert [c["name"] for c in collections] == [k.folder for k in KINDS.values()]
    for collection, kind in zip(collections, KINDS.values()):
        assert collection["folder"] == f"data/{kind.folder}" and collection["extension"] == "yaml"
        assert collection["slug"] == "{{fields.id}}"
        assert collection["label"] == kind.title
        assert collection["identifier_field"] in [f["name"] for f in collection["fields"]]
    assert cms_config()["publish_mode"] == "editorial_workflow" and cms_config()["locale"] == "vi"


@pytest.mark.parametrize("kind", list(KINDS))
def test_fields_follow_the_schema_in_the_order_of_hand_written_files(kind):
    fields = fields_of(kind)
    schema = json_schema(KINDS[kind])
    assert list(fields) == [doc.name for doc in describe_fields(KINDS[kind].model)]
    for doc in describe_fields(KINDS[kind].model):
        field = fields[doc.name]
        assert field["hint"] == doc.description and field["label"]
        # Required: the schema requires it, or a list that needs at least one item (sources of a record).
        assert field["required"] == (doc.name in schema.get("required", ())
                                     or schema["properties"][doc.name].get("minItems", 0) >= 1), doc.name


def test_enumerations_are_selects_of_the_schema_values():
    for kind in KINDS.values():
        for name, info in kind.model.model_fields.items():
            literal = next((a for a in [info.annotation, *typing.get_args(info.annotation)]
                            if typing.get_origin(a) is typing.Literal), None)
            if literal is not None:
                field = fields_of(kind.name)[name]
                assert field["widget"] == "select" and field["options"] == list(typing.get_args(literal))
    relation = fields_of("directive")["relations"]["fields"][0]
    assert [o["value"] for o in relation["options"]] == list(RELATION_TYPES)


def test_references_search_the_target_kind_by_name():
    for kind in KINDS.values():
        for ref in ref_fields(kind.model):
            field = fields_of(kind.name)[ref.name]
            assert field["widget"] == "relation" and field["value_field"] == "id"
            assert field["collection"] == KINDS[ref.target].folder
            assert field.get("multiple", False) == ref.many
            # by the name the form gives each record it reads (cms/names.js), with and without diacritics
            assert field["search_fields"] == ["_search"] and field["display_fields"][0] == "_name"


def test_nested_values_dates_and_ids():
    figure = {f["name"]: f for f in fields_of("practice")["figures"]["fields"]}
    assert list(figure) == ["label", "value", "unit", "as_of"]
    date = re.compile(figure["as_of"]["pattern"][0])
    assert date.match("2020") and date.match("2020-05") and date.match("2020-05-09") and not date.match("5/2020")
    item = {f["name"]: f for f in fields_of("course")["items"]["fields"]}
    assert item["practice"]["widget"] == "relation" and item["questions"]["widget"] == "list"
    target = {f["name"]: f for f in fields_of("directive")["relations"]["fields"]}["target"]
    assert target["collection"] == "directives" and target["required"]
    ident = re.compile(fields_of("practice")["id"]["pattern"][0])
    assert ident.match("tinh-a-to-dang") and not ident.match("Tỉnh A")
    # Lists of sentences hold one sentence per item: no comma splitting.
    assert fields_of("practice")["results"]["field"]["widget"] == "string"


# --- /admin/ in the built site -----------------------------------------------------------

@pytest.fixture
def fake_decap(tmp_path, monkeypatch) -> Path:
    """A stand-in for the npm package in the cache (the real one is only needed by a browser)."""
    cache = tmp_path / "cache"
    dist = cache / f"decap-cms-{cms.DECAP_VERSION}"
    dist.mkdir(parents=True)
    (dist / "decap-cms.js").write_text("/* cms */", encoding="utf-8")
    (dist / "12.decap-cms.js").write_text("/* chunk */", encoding="utf-8")
    (dist / "decap-cms.js.LICENSE.txt").write_text("MIT", encoding="utf-8")
    reader = cache / f"js-yaml-{cms.JS_YAML_VERSION}"
    reader.mkdir()
    (reader / cms.JS_YAML_FILE).write_text("/* js-yaml */", encoding="utf-8")
    (reader / "js-yaml.LICENSE.txt").write_text("MIT", encoding="utf-8")
    monkeypatch.setenv("HANDBOOK_CACHE", str(cache))
    monkeypatch.delenv("HANDBOOK_CMS_LOCAL", raising=False)
    return dist


def mini_site(tmp_path: Path, extra_config: str = "") -> Path:
    root = site_project(tmp_path / "project")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(extra_config)
    assert main(["-C", str(root), "build", "--strict"]) == 0
    return root / "site"


def policy(page: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)


def test_admin_with_github_talks_to_github_only(tmp_path, fake_decap):
    site = mini_site(tmp_path, "repo_url: https://github.com/so-tay/kho\n")
    admin = site / "admin"
    assert {"decap-cms.js", "12.decap-cms.js", "editor.js", "config.yml"} <= {p.name for p in admin.iterdir()}
    page = (admin / "index.html").read_text(encoding="utf-8")
    csp = policy(page)
    assert "connect-src 'self' https://api.github.com;" in csp and "localhost" not in csp
    assert "script-src 'self' 'unsafe-eval';" in csp and "default-src 'none'" in csp
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script on the editor page"
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "so-tay/kho" and "local_backend" not in config
    assert config["collections"] == cms_config()["collections"]
    # The handbook's pages keep their own policy: nothing of the editor's.
    home = policy((site / "index.html").read_text(encoding="utf-8"))
    assert "api.github.com" not in home and "unsafe-eval" not in home


def test_admin_in_local_mode_talks_to_the_local_backend_only(tmp_path, fake_decap, monkeypatch):
    monkeypatch.setenv("HANDBOOK_CMS_LOCAL", "http://127.0.0.1:8081/api/v1")
    site = mini_site(tmp_path)
    csp = policy((site / "admin" / "index.html").read_text(encoding="utf-8"))
    assert "connect-src 'self' http://127.0.0.1:8081;" in csp and "github" not in csp
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}


def test_admin_without_a_repository_explains_how_to_turn_it_on(tmp_path, fake_decap):
    site = mini_site(tmp_path)
    page = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert "chưa được bật" in page and "<script" not in page
    assert not (site / "admin" / "decap-cms.js").exists()


def test_offline_bundles_carry_no_editor(tmp_path, fake_decap, monkeypatch):
    monkeypatch.setenv("HANDBOOK_CMS_LOCAL", "http://127.0.0.1:8081/api/v1")
    site = mini_site(tmp_path)
    assert (site / "admin" / "decap-cms.js").is_file()
    out = tmp_path / "so-tay.zip"
    assert main(["-C", str(tmp_path / "project"), "bundle", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
    assert any(name.endswith("/index.html") for name in names)
    assert not [name for name in names if "/admin/" in name]


def patterned_fields(fields: list[dict]):
    for field in fields:
        if "pattern" in field:
            yield field
        yield from patterned_fields(field.get("fields", []))


DATE_FORM_PATTERNS = {f["pattern"][0] for c in cms_config()["collections"] for f in patterned_fields(c["fields"])
                      if f["name"] in ("issued", "start", "end", "as_of", "merged_on", "published")}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
                 st.dates().map(lambda d: d.isoformat()), st.dates().map(lambda d: d.isoformat()[:7])))
def test_the_date_fields_never_refuse_a_date_the_validator_accepts(text):
    """The form's check (a JavaScript RegExp.test, which is re.search) lets through every date the
    handbook accepts; what it lets through and the validator refuses is reported with a message."""
    assert len(DATE_FORM_PATTERNS) == 1
    [pattern] = DATE_FORM_PATTERNS
    try:
        PartialDate.parse(text)
        accepted = True
    except PydanticCustomError as error:
        accepted = False
        assert error.message()          # a Vietnamese message for the pull request
    if accepted:
        assert re.search(pattern, text)


# --- Values the form would rewrite ---------------------------------------------------------

def number_warnings(text: str) -> list:
    _, problems = load_file(f"id: x\nv: {text}\n".encode(), "data/topics/x.yaml", KINDS["topic"])
    return [p for p in problems if p.code == "text.number"]


def test_a_number_the_form_would_rewrite_is_reported_where_it_stands(tmp_path):
    root = scratch_project(tmp_path, {"data/practices/tinh-a-chi-bo-bon-tot.yaml": (
        "id: tinh-a-chi-bo-bon-tot\ntitle: Thực hiện mô hình Chi bộ bốn tốt\nprovince: tinh-a\n"
        "figures:\n  - label: Số đảng viên\n    value: 1.000\nsources: [bai-mau]\n")})
    assert main(["-C", str(root), "validate"]) == 0
    assert main(["-C", str(root), "validate", "--strict"]) == 1
    [problem] = number_warnings("1.000")
    assert problem.line == 2 and '"1.000"' in problem.hint
    assert number_warnings('"1.000"') == [] and number_warnings("5-7") == [] and number_warnings("3") == []
    for text, written in (("010", "10"), ("1e3", "1000"), (".5", "0.5"), ("0x1F", "31"), ("0o17", "15"),
                          ("+3", "3"), ("1.50", "1.5")):
        [problem] = number_warnings(text)
        assert f"số {written} " in problem.message
    assert number_warnings("3:20") == [] and number_warnings("2010-03-09") == []


YAML12 = YAML(typ="safe", pure=True)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.from_regex(r"\A[-+]?[0-9]{0,6}(\.[0-9]{0,4})?\Z"),
                 st.text(alphabet="0123456789.+-/%:, ", min_size=1, max_size=8)))
def test_the_warning_fires_exactly_when_a_yaml_1_2_reader_writes_the_number_differently(text):
    """Decap reads records with a YAML 1.2 parser: a plain `1.000` becomes 1 when an editor saves.
    ruamel.yaml (YAML 1.2) is the reference here; it departs from the spec's core schema in exponents,
    hence decimals only (exponents, hex and octal are checked by example above)."""
    try:
        value = YAML12.load(f"v: {text}\n")["v"]
    except Exception:       # not a plain scalar at all (the loader reports YAML errors on its own)
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
            float("inf"), float("-inf")) or (isinstance(value, int) and abs(value) >= 10**15):
        changed = None if isinstance(value, str) else "skip"
    else:
        written = str(value) if isinstance(value, int) else repr(value).removesuffix(".0")
        changed = written != text.strip()     # YAML drops the spaces around a plain value
    if changed == "skip":
        return
    assert bool(number_warnings(text)) == bool(changed), (text, value)


def test_a_configured_editor_without_its_package_fails_a_strict_build(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.delenv("HANDBOOK_CMS_LOCAL", raising=False)
    root = site_project(tmp_path / "project")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("repo_url: https://github.com/so-tay/kho\n")
    assert main(["-C", str(root), "build", "--strict"]) == 1
    assert main(["-C", str(root), "build"]) == 0
    page = (root / "site" / "admin" / "index.html").read_text(encoding="utf-8")
    assert "python -m generator.cms" in page and "<script" not in page
