"""Editors' tools: output formats, generated JSON Schemas, `handbook new`, link check."""

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.editor_schema import SCHEMA_DIR, json_schema_files, pre_commit_config, vscode_settings
from generator.linkcheck import broken_links
from generator.pipeline import run
from generator.project import Project
from generator.problems import Problem
from generator.schema import KINDS
from scratch import scratch_project

ROOT = Path(__file__).parent.parent
TYPO = {"data/models/chi-bo-bon-tot.yaml": "id: chi-bo-bon-tot\nname: Chi bộ bốn tốt\nlegal_basis: [huong-dan-38]\n"
                                          "sources: [bai-mau]\n"}


def test_committed_json_schemas_match_the_schema():
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMA_DIR.glob("*.schema.json")}
    assert committed == json_schema_files(), "run `handbook schemas` and commit the result"
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == vscode_settings(), "run `handbook schemas` and commit the result"
    pre_commit = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert pre_commit == pre_commit_config(), "run `handbook schemas` and commit the result"


def test_json_schema_offers_the_allowed_values():
    directive = json.loads(json_schema_files()["directive.schema.json"])
    assert "hướng dẫn" in json.dumps(directive["properties"]["doc_type"], ensure_ascii=False)
    assert directive["additionalProperties"] is False
    assert "doc_type" in directive["required"]


def test_github_format_annotates_the_line(tmp_path, capsys):
    root = scratch_project(tmp_path, TYPO)
    assert main(["-C", str(root), "validate", "--format", "github"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["::error file=data/models/chi-bo-bon-tot.yaml,line=3,col=15,title=[ref.unknown]::"
                   "không có văn bản nào mang mã `huong-dan-38` — có phải ý bạn là `huong-dan-38-hd-btctw-2010`?"]


def test_json_format_is_machine_readable(tmp_path, capsys):
    root = scratch_project(tmp_path, TYPO)
    assert main(["-C", str(root), "validate", "--format", "json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)
    assert problem["code"] == "ref.unknown" and problem["line"] == 3 and problem["severity"] == "error"


def test_human_format_quotes_the_line_with_a_caret(tmp_path, capsys):
    root = scratch_project(tmp_path, TYPO)
    assert main(["-C", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "    3 | legal_basis: [huong-dan-38]\n      |               ^" in err


def test_strict_makes_warnings_fatal(tmp_path):
    root = scratch_project(tmp_path, {"data/topics/sinh-hoat-chi-bo.yaml":
                                      "id: sinh-hoat-chi-bo\nname: Sinh hoạt <b>chi bộ</b>\n"})
    assert main(["-C", str(root), "validate"]) == 0
    assert main(["-C", str(root), "validate", "--strict"]) == 1


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_record_is_valid_once_required_fields_are_filled(kind, tmp_path):
    root = scratch_project(tmp_path)
    assert main(["-C", str(root), "new", kind, "Đảng bộ cơ sở bốn tốt"]) == 0
    path = root / "data" / KINDS[kind].folder / "dang-bo-co-so-bon-tot.yaml"
    text = path.read_text(encoding="utf-8")
    assert "id: dang-bo-co-so-bon-tot" in text
    problems = run(Project.read(root)).problems
    assert all(p.path.endswith("dang-bo-co-so-bon-tot.yaml") for p in problems)
    fills = {"sources: []": "sources: [bai-mau]", "province:": "province: tinh-a", "doc_type:": "doc_type: đề án",
             "expansion:": "expansion: x", "abbr:": "abbr: X", "objectives: []": "objectives: [Nắm được mô hình]",
             "items: []": "items: [{model: chi-bo-bon-tot}]"}
    lines = [next((new for old, new in fills.items() if line.startswith(old)), line) for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(Project.read(root)).problems == []
    assert main(["-C", str(root), "new", kind, "Đảng bộ cơ sở bốn tốt"]) == 1     # never overwrites


def test_every_optional_field_is_explained_in_the_new_file():
    from generator.scaffold import new_record
    _, text = new_record(KINDS["practice"], "Cơ sở hỏi, cán bộ tổ chức trả lời")
    for name in KINDS["practice"].model.model_fields:
        assert f"\n{name}:" in text or f"\n# {name}:" in text, name


def test_link_checker_finds_a_broken_link(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="b/">hỏng</a><img src="x.png">')
    (tmp_path / "a" / "index.html").write_text('<a href="../">lên</a><a href="https://example.org/">ngoài</a>')
    assert broken_links(tmp_path) == [("index.html", "b/"), ("index.html", "x.png")]


def test_one_mistake_repeated_does_not_bury_the_others(tmp_path, capsys):
    """A pasted block of unknown keys is counted after a few lines, and the other mistakes still show."""
    keys = "".join(f"khoa_la_{n}: x\n" for n in range(40))
    root = scratch_project(tmp_path, {**TYPO, "data/topics/sinh-hoat-chi-bo.yaml":
                                      "id: sinh-hoat-chi-bo\nname: Sinh hoạt chi bộ\n" + keys})
    assert main(["-C", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert err.count("[field.unknown]") == 11      # ten printed, then one line counting the rest
    assert "… và 30 lỗi tương tự [field.unknown] trong tệp này" in err
    assert "[ref.unknown]" in err
    assert main(["-C", str(root), "validate", "--format", "json"]) == 1
    assert sum(p["code"] == "field.unknown" for p in json.loads(capsys.readouterr().out)) == 40
    assert main(["-C", str(root), "validate", "--format", "github"]) == 1
    annotations = capsys.readouterr().out.splitlines()
    assert len(annotations) == 12 and "tương tự [field.unknown] trong tệp này" in annotations[-1]     # 10, the count, the ref


def test_validate_names_what_the_build_would_refuse_in_content(tmp_path, capsys):
    """A pull request's gate that runs only `handbook validate` catches a file the build refuses,
    and sees it go again (its recalled outcome follows content/)."""
    root = scratch_project(tmp_path)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "ghi-chu.txt").write_text("x", encoding="utf-8")
    (root / "content" / "index.md~").write_text("# Bản cũ\n", encoding="utf-8")     # an editor's backup: no content
    assert main(["-C", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "content/ghi-chu.txt:1:1: lỗi [content.refused]" in err and "index.md~" not in err
    (root / "content" / "ghi-chu.txt").unlink()
    assert main(["-C", str(root), "validate"]) == 0


def test_github_annotation_keeps_a_file_name_to_its_place():
    """A file name is the pull request author's text: it cannot move the annotation or start another."""
    problem = Problem("content/a,line=99,col=3::x\n::error::b.js", 1, 1, "content.refused", "m", "h")
    line = problem.github()
    # (the newline shows as an escape, as on every channel: channels.py)
    assert line.startswith("::error file=content/a%2Cline=99%2Ccol=3%3A%3Ax\\n%3A%3Aerror%3A%3Ab.js,line=1,col=1,")
    assert "\n" not in line
