"""Bounded work through the gate (issue 26, class 5): what an editor, or a hostile pull request,
can put in data/ and content/ costs the gate and the commands work in proportion to its size,
and whatever `validate --strict` accepts the other commands accept too."""

from __future__ import annotations

import json

from generator.cli import main
from generator.pipeline import run
from generator.problems import SAME_IN_RUN
from scratch import scratch_project


def _directive(number: int, targets: list[int]) -> str:
    relations = "".join(f"  - {{type: can-cu, target: vb-{t}}}\n" for t in targets)
    return f"id: vb-{number}\ndoc_type: kế hoạch\nrelations:\n{relations}sources: [bai-mau]\n"


def test_one_tangle_of_directives_is_one_problem_with_a_short_path(tmp_path, capsys):
    """2,000 directives each based on the next and on the first: one cycle problem (one per back edge
    carried the whole path, quadratic: 2,000 problems of up to 2,000 ids each)."""
    count = 2000
    files = {f"data/directives/vb-{n}.yaml": _directive(n, [(n + 1) % count, 0] if n else [1])
             for n in range(count)}
    root = scratch_project(tmp_path, files)
    problems = run(root / "data", render_pages=False).problems
    assert [p.code for p in problems] == ["relation.cycle"]
    assert len(problems[0].message) < 1000
    assert "nhóm 2000 bản ghi" in problems[0].message
    assert main(["-C", str(root), "validate"]) == 1
    assert len(capsys.readouterr().err) < 2000


def test_directives_that_all_name_each_other_are_one_problem(tmp_path):
    count = 120      # 14,280 relations: every pair both ways
    files = {f"data/directives/vb-{n}.yaml": _directive(n, [t for t in range(count) if t != n]) for n in range(count)}
    problems = run(scratch_project(tmp_path, files) / "data", render_pages=False).problems
    assert [p.code for p in problems] == ["relation.cycle"]
    assert problems[0].message.count("→") == 2      # a shortest cycle: vb-0 → vb-1 → vb-0


def test_many_small_cycles_make_a_short_report(tmp_path, capsys):
    """800 pairs of directives based on each other: 800 problems, of which a report prints a few and
    counts the rest ("và N lỗi tương tự"); the JSON report keeps them all."""
    pairs = 800
    files = {}
    for n in range(pairs):
        files[f"data/directives/vb-{2 * n}.yaml"] = _directive(2 * n, [2 * n + 1])
        files[f"data/directives/vb-{2 * n + 1}.yaml"] = _directive(2 * n + 1, [2 * n])
    root = scratch_project(tmp_path, files)
    assert main(["-C", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert err.count("[relation.cycle] chuỗi") == SAME_IN_RUN
    assert f"và {pairs - SAME_IN_RUN} lỗi tương tự [relation.cycle]" in err
    assert main(["-C", str(root), "validate", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == SAME_IN_RUN + 1 and "lỗi tương tự" in out[-1]
    assert main(["-C", str(root), "validate", "--format", "json"]) == 1
    assert len(json.loads(capsys.readouterr().out)) == pairs
