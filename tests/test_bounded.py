"""Bounded work through the gate (issue 26, class 5): what an editor, or a hostile pull request,
can put in data/ and content/ costs the gate and the commands work in proportion to its size,
and whatever `validate --strict` accepts the other commands accept too."""

from __future__ import annotations

import json
import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.pipeline import run
from generator.project import Project
from generator.problems import SAME_IN_RUN
from scratch import PROJECT, scratch_project, site_project


def _directive(number: int, targets: list[int]) -> str:
    relations = "".join(f"  - {{type: can-cu, target: vb-{t}}}\n" for t in targets)
    return (f"id: vb-{number}\ndoc_type: kế hoạch\nshort_name: Kế hoạch thử {number}\nrelations:\n{relations}"
            "sources: [bai-mau]\n")      # a name of its own: two records may not share one


def test_one_tangle_of_directives_is_one_problem_with_a_short_path(tmp_path, capsys):
    """2,000 directives each based on the next and on the first: one cycle problem (one per back edge
    carried the whole path, quadratic: 2,000 problems of up to 2,000 ids each)."""
    count = 2000
    files = {f"data/directives/vb-{n}.yaml": _directive(n, [(n + 1) % count, 0] if n else [1])
             for n in range(count)}
    root = scratch_project(tmp_path, files)
    problems = run(Project.read(root), render_pages=False).problems
    assert [p.code for p in problems] == ["relation.cycle"]
    assert len(problems[0].message) < 1000
    assert "nhóm 2000 bản ghi" in problems[0].message
    assert main(["-C", str(root), "validate"]) == 1
    assert len(capsys.readouterr().err) < 2000


def test_directives_that_all_name_each_other_are_one_problem(tmp_path):
    count = 120      # 14,280 relations: every pair both ways
    files = {f"data/directives/vb-{n}.yaml": _directive(n, [t for t in range(count) if t != n]) for n in range(count)}
    problems = run(Project.read(scratch_project(tmp_path, files)), render_pages=False).problems
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


# --- Hand-written pages: a size the build reads in seconds ------------------------------------------

def test_a_page_over_the_limits_is_refused_by_validate_and_build(tmp_path, capsys):
    from generator.content_policy import MAX_BLOCK_BYTES, MAX_PAGE_BYTES
    paragraph = "Sinh hoạt chi bộ. " * 40 + "\n\n"
    pages = {"content/dai.md": "# Dài\n\n" + paragraph * (MAX_PAGE_BYTES // len(paragraph.encode()) + 1),
             "content/khoi.md": "# Khối\n\n" + "[a](" * (MAX_BLOCK_BYTES // 4 + 1) + "\n",
             "content/vua.md": "# Vừa\n\n" + paragraph * 5 + "| a | b |\n" * 1000}
    root = site_project(tmp_path / "project", pages)
    assert main(["-C", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "content/dai.md:1:1: lỗi [content.too-large]" in err and "content/khoi.md:3:1: lỗi [content.too-large]" in err
    assert "content/vua.md" not in err        # long tables are read row by row
    assert main(["-C", str(root), "build", "-d", str(tmp_path / "site")]) == 1
    assert "content.too-large" in capsys.readouterr().err and not (tmp_path / "site").exists()


# The inputs known to make Python-Markdown slowest (measured on 20 KB of each: 0.2–6 s), each
# repeated over a page at the limits.
WORST_FRAGMENTS = ["[a](", "<a ", "<http://", "<a href='", "*a*", "1. ", "> - ", "*_"]


@pytest.mark.parametrize("fragment", WORST_FRAGMENTS)
def test_a_page_at_the_limits_builds_in_seconds(fragment):
    """The CPU time of Markdown and the sanitiser for a page at the limits of the worst known
    fragment; a generous ceiling (it takes 1–12 s), far below the minutes a 150 KB page took."""
    import markdown
    from generator.engine import load_config

    from generator.content_policy import MAX_BLOCK_BYTES, MAX_PAGE_BYTES, too_large
    from generator.sanitize import clean_content
    block = fragment * ((MAX_BLOCK_BYTES - 1) // len(fragment))
    page = "\n\n".join([block] * (MAX_PAGE_BYTES // (len(block) + 2)))
    assert too_large("content/x.md", page.encode()) is None
    config = load_config(str(PROJECT / "mkdocs.yml"))
    started = time.process_time()
    html = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(page)
    clean_content(html)
    assert time.process_time() - started < 60


# --- Courses: what the gate accepts, bundle and print accept -----------------------------------------

RECORDS = [("directive", "huong-dan-38-hd-btctw-2010"), ("directive", "ke-hoach-64-kh-tu-2013"),
           ("practice", "tinh-a-chi-bo-bon-tot"), ("model", "chi-bo-bon-tot"), ("province", "tinh-a"),
           ("organ", "ban-to-chuc-trung-uong"), ("source", "bai-mau"), ("topic", "sinh-hoat-chi-bo"),
           ("topic", "khong-co"), ("glossary", "btctw")]
PAGES = ["index.md", "README.md", "bien-tap/index.md", "bien-tap/bieu-mau.md", "bien-tap/README.md", "khong-co.md",
         "bien-tap/hinh/index.md"]
ITEM = st.one_of(st.sampled_from(RECORDS).map(lambda r: {r[0]: r[1]}),
                 st.sampled_from(PAGES).map(lambda p: {"page": p, "title": "Trang đọc thêm"}))


def _course(items: list[dict]) -> str:
    return yaml.safe_dump({"id": "khoa-thu", "title": "Khóa thử", "objectives": ["Biết các văn bản."],
                           "items": items, "sources": ["bai-mau"]}, allow_unicode=True, sort_keys=False)


@settings(max_examples=25, deadline=None)
@given(items=st.lists(ITEM, min_size=1, max_size=5))
def test_a_course_the_gate_accepts_can_be_bundled_and_printed(tmp_path_factory, items):
    """`validate --strict` accepting a course means `bundle --course` and `print --course` plan it
    without refusing (a course listing the home page passed the gate, then bundle refused it)."""
    from generator import bundle, navigation, pdf
    from generator.pipeline import run
    from generator.project import Project

    root = site_project(tmp_path_factory.mktemp("course"), {"data/courses/khoa-thu.yaml": _course(items)})
    result = run(Project.read(root))
    if result.problems:     # refused by the gate (under --strict, warnings too)
        return
    from generator.engine import yaml_load
    site = yaml_load((root / "mkdocs.yml").read_bytes())      # MkDocs' own loader: !ENV, !!python/name
    bundle.plan_course(result, root / "content", "khoa-thu", navigation.expand(site.get("nav")) or [])
    pdf.plan_course(result, root / "content", "khoa-thu", site, 0)


def test_a_course_listing_the_home_page_or_too_many_readings_is_refused(tmp_path):
    from generator.schema import MAX_COURSE_ITEMS
    many = [{"directive": "huong-dan-38-hd-btctw-2010", "questions": [f"Câu {n}?"]} for n in range(MAX_COURSE_ITEMS + 1)]
    root = site_project(tmp_path, {"data/courses/khoa-thu.yaml": _course([{"page": "index.md", "title": "Trang chủ"}]),
                                   "data/courses/khoa-dai.yaml": _course(many).replace("khoa-thu", "khoa-dai")})
    found = {(p.path, p.code): p.message for p in run(Project.read(root), render_pages=False).problems}
    assert "trang chủ" in found["data/courses/khoa-thu.yaml", "course.page"]
    assert f"quá giới hạn {MAX_COURSE_ITEMS} mục" in found["data/courses/khoa-dai.yaml", "field.value"]
