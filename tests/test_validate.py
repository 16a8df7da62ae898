"""Stage 2: every mistake an editor can make is reported at its place, with a fix.

Each case in cases/validate/ writes a few files over the mini handbook and
lists the problems expected, as `path:line:col code`; `editor_rejects` lists
the files the editors' JSON Schema rejects too (see test_json_schema.py).
"""

from pathlib import Path

import pytest
import yaml

from generator.pipeline import run
from generator.project import Project
from generator.problems import CODES
from scratch import scratch_project

CASES = sorted((Path(__file__).parent / "cases" / "validate").glob("*.yaml"))


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_case(case_file, tmp_path):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    root = scratch_project(tmp_path, case["files"])
    result = run(Project.read(root))
    found = [f"{p.path}:{p.line}:{p.col} {p.code}" for p in result.problems]
    assert found == case["expect"], "\n".join(p.format() for p in result.problems)
    for problem in result.problems:
        assert problem.message and problem.hint, problem
    if "hint" in case:
        assert any(case["hint"] in p.hint for p in result.problems), [p.hint for p in result.problems]
    if any(p.is_error for p in result.problems):
        assert result.pages == {}, "nothing may be rendered from data with errors"
    else:
        assert result.pages


def test_mini_handbook_is_valid(tmp_path):
    result = run(Project.read(scratch_project(tmp_path)))
    assert result.problems == []


def test_every_problem_is_reported_in_one_run(tmp_path):
    root = scratch_project(tmp_path, {
        "data/topics/a.yaml": "id: a\nname: [x\n",
        "data/topics/b.yaml": "id: b\n",
        "data/practices/tinh-a-chi-bo-bon-tot.yaml":
            "id: tinh-a-chi-bo-bon-tot\ntitle: T\nprovince: tinh-x\nsources: [bai-mau]\n",
    })
    codes = sorted(p.code for p in run(Project.read(root)).problems)
    assert codes == ["field.missing", "ref.unknown", "yaml.syntax"]


def test_messages_are_vietnamese_and_codes_documented(tmp_path):
    root = scratch_project(tmp_path, {"data/topics/b.yaml": "id: b\nten: x\n"})
    problems = run(Project.read(root)).problems
    assert {p.code for p in problems} <= set(CODES)
    assert any("không có trong" in p.message for p in problems)


def test_a_file_that_cannot_be_read_does_not_cascade(tmp_path):
    root = scratch_project(tmp_path, {"data/topics/sinh-hoat-chi-bo.yaml": "id: sinh-hoat-chi-bo\nname: [\n"})
    assert [p.code for p in run(Project.read(root)).problems] == ["yaml.syntax"]


def test_every_problem_code_has_a_case():
    """A check no case exercises can be switched off unnoticed (found by mutating the validator)."""
    cases = "\n".join(c.read_text(encoding="utf-8") for c in CASES)
    others = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    assert [code for code in CODES if f" {code}\n" not in cases and f'"{code}"' not in others
                    and f"[{code}]" not in others] == []
