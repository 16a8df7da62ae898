"""Printed packs: `handbook print` lays a course, or the whole handbook, out as one PDF.

The PDF is read back with poppler's tools, as a trainer's printer would see it:
`pdftotext` for the words and their pages, `pdftohtml -xml` for the links,
`pdffonts` for the embedded fonts. The mini handbook's course (tests/fixtures/site/) is printed
once per module.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from generator.engine import yaml_load
from scratch import PROJECT, scratch_project, site_project

from generator import pdf, views
from generator.courses import NOT_IN_COURSE
from generator.cli import main
from generator.link import link
from generator.pipeline import run
from generator.project import Project
from generator.schema import KINDS

COURSE = "khoa-mau"       # tests/fixtures/site/data/courses/
COURSE_FILE = f"data/courses/{COURSE}.yaml"
DIRECTIVE = "huong-dan-38-hd-btctw-2010"



def _missing() -> str | None:
    """What this machine lacks to print and read PDFs back, if anything."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return f"WeasyPrint cannot be imported ({error}); pip install -e '.[test]' and Debian's Pango"
    if not shutil.which("pdftotext"):
        return "poppler-utils is not installed (apt-get install poppler-utils)"
    try:
        pdf.find_fonts()
    except pdf.PrintError as error:
        return str(error)
    return None


@pytest.fixture(autouse=True, scope="module")
def _printing_tools():
    """Skip without the tools, except in CI (HANDBOOK_REQUIRE_PRINT=1), where that is a failure."""
    missing = _missing()
    if missing and os.environ.get("HANDBOOK_REQUIRE_PRINT") == "1":
        pytest.fail(f"HANDBOOK_REQUIRE_PRINT=1 but {missing}", pytrace=False)
    if missing:
        pytest.skip(missing)


# --- Helpers -----------------------------------------------------------------------------------

def print_pdf(root: Path, *args: str) -> tuple[int, str]:
    """Run `handbook print` in-process; (exit code, what it printed)."""
    printed = io.StringIO()
    with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
        code = main(["-C", str(root), "print", *args])
    return code, printed.getvalue()


def words(text: str) -> str:
    return " ".join(text.split())


def pages(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed (pdftotext separates pages by form feeds)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [words(page) for page in text.split("\f")[:-1]]


def layout_lines(path: Path, page: int) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def internal_links(path: Path) -> list[tuple[int, str, int]]:
    """(page, text, target page) of every link inside the PDF, in reading order."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(path)],
                         capture_output=True, text=True, check=True).stdout
    found = []
    for page in ElementTree.fromstring(xml.encode()).iter("page"):
        for text in page.iter("text"):
            for link in text.iter("a"):
                match = re.search(r"#(\d+)$", link.get("href", ""))
                if match:
                    found.append((int(page.get("number")), "".join(link.itertext()), int(match.group(1))))
    return found


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def record(root: Path, folder: str, record_id: str) -> dict:
    return yaml.safe_load((root / "data" / folder / f"{record_id}.yaml").read_text(encoding="utf-8"))


def item_title(root: Path, item: dict) -> str:
    """The heading a reading-list item gets, read from the data rather than from the pipeline."""
    if "page" in item:
        return item["title"]
    [(kind, record_id)] = [(k, v) for k, v in item.items() if k in KINDS]
    entry = run(Project.read(root), render_pages=False).handbook.entries[record_id]
    return entry.record.display_name()


def start_page(texts: list[str], marker: str) -> int:
    """The 1-based page whose text holds `marker` first."""
    return next(number for number, text in enumerate(texts, 1) if marker in text)


@dataclass
class Printed:
    root: Path
    path: Path
    output: str
    texts: list[str]


@pytest.fixture(scope="module")
def course_pack(tmp_path_factory) -> Printed:
    """The mini handbook as a project, its course printed once with --strict."""
    root = site_project(tmp_path_factory.mktemp("print"))
    code, output = print_pdf(root, "--strict", "--course", COURSE_FILE)
    assert code == 0, output
    path = root / f"khoa-hoc-{COURSE}.pdf"
    return Printed(root, path, output, pages(path))


# --- The course pack -------------------------------------------------------------------------------

def test_prints_progress_size_and_page_count(course_pack):
    count = page_count(course_pack.path)
    assert len(course_pack.texts) == count
    course = record(course_pack.root, "courses", COURSE)
    assert f"Đang dàn trang bản in “{course['title']}”" in course_pack.output
    assert re.search(rf"Xong sau [\d.]+ giây: .*khoa-hoc-{COURSE}\.pdf — \d+ KB, {count} trang A4\.",
                     course_pack.output), course_pack.output
    assert count > len(course["items"]) + 3          # cover, contents, objectives, a page per reading


def test_cover_names_the_course_the_handbook_and_the_date(course_pack):
    course = record(course_pack.root, "courses", COURSE)
    site = yaml_load((course_pack.root / "mkdocs.yml").read_bytes())
    cover = course_pack.texts[0]
    for value in (course["title"], course["audience"], course["duration"]):
        assert words(value) in cover
    assert site["site_name"].upper() in cover          # printed as a small-caps line
    # A copy outside git (a project downloaded as a zip): the newest file time in data/; see the git test.
    newest = max(p.stat().st_mtime for p in (course_pack.root / "data").rglob("*") if p.is_file())
    assert f"Dữ liệu đến ngày {datetime.fromtimestamp(int(newest), timezone.utc):%d/%m/%Y}" in cover


def test_readings_follow_the_course_with_their_questions(course_pack):
    root, texts = course_pack.root, course_pack.texts
    course = record(root, "courses", COURSE)
    text = " ".join(texts)
    starts = []
    for number, item in enumerate(course["items"], 1):
        title = item_title(root, item)
        page = start_page(texts, f"BÀI {number} · ")
        assert words(title) in texts[page - 1], (number, title)
        assert words(title)[:20] in layout_lines(course_pack.path, page)[0], number     # the running header
        starts.append(page)
        following = text.split(f"BÀI {number} · ", 1)[1].split(f"BÀI {number + 1} · ", 1)[0]
        positions = [following.find(words(question)) for question in item.get("questions", [])]
        assert -1 not in positions and positions == sorted(positions), (number, item)
        assert "Câu hỏi thảo luận" in following if item.get("questions") else True
    assert starts == sorted(starts) and len(set(starts)) == len(starts)     # one reading per page at least
    objectives = texts[start_page(texts, "Sau khóa học, học viên:") - 1]
    assert all(words(objective)[:60] in " ".join(texts) for objective in course["objectives"])
    assert start_page(texts, "Sau khóa học, học viên:") < starts[0] and "Mục tiêu khóa học" in objectives


def test_contents_give_the_pages_and_link_to_them(course_pack):
    root, path, texts = course_pack.root, course_pack.path, course_pack.texts
    course = record(root, "courses", COURSE)
    contents = [(text, target) for page, text, target in internal_links(path) if page == 2]
    by_entry: dict[str, int] = {}
    for text, target in contents:
        by_entry.setdefault(text.strip(". "), target)
    for number, item in enumerate(course["items"], 1):
        title = item_title(root, item)
        [target] = {t for text, t in by_entry.items() if text.startswith(f"Bài {number}. ")}
        assert target == start_page(texts, f"BÀI {number} · "), (number, title)
    for heading in ("Mục tiêu khóa học", "Bài đọc", "Đọc thêm", "Nguồn tư liệu", "Chữ viết tắt"):
        assert heading in by_entry and heading in texts[by_entry[heading] - 1]
    # The numbers printed at the end of the contents lines are those targets.
    printed = [int(m.group(1)) for line in layout_lines(path, 2) if (m := re.search(r"\.\s*(\d+)$", line))]
    assert len(printed) == 5 + len(course["items"]) + len(course["sources"])      # one per line of the contents
    assert printed == sorted(printed) and set(printed) == {target for _, target in contents}


def test_links_inside_the_pack_give_a_page_and_others_become_text(course_pack):
    root, path, texts = course_pack.root, course_pack.path, course_pack.texts
    course = record(root, "courses", COURSE)
    text = " ".join(texts)
    checked = 0
    readings = [(words(item_title(root, item)), start_page(texts, f"BÀI {number} · "))
                for number, item in enumerate(course["items"], 1)]
    for title, page in sorted(readings, key=lambda reading: -len(reading[0])):    # a title inside a longer one
        for match in re.finditer(re.escape(title) + r" \(tr\. (\d+)\)", text):
            assert int(match.group(1)) == page, title
            checked += 1
        text = text.replace(title, "…")
    assert checked >= 3
    text = " ".join(texts)
    body_links = [(p, t, target) for p, t, target in internal_links(path) if p > 2]
    assert body_links and all(1 <= target <= len(texts) for _, _, target in body_links)
    # The issuing organ is not in this course: named as plain text, no note; no web breadcrumb on paper.
    assert "Ban Tổ chức Trung ương (BTCTW)" in text and NOT_IN_COURSE not in text
    assert "Văn bản › " not in text
    assert "Dữ liệu của trang này" not in text               # the editors' footer is for the site


def test_the_diagram_prints_as_boxes_around_the_record(tmp_path):
    """The Lược đồ keeps its shape on paper: the groups pointing at a record side by side above it,
    each group's label heading its box (not a bullet), the record's name alone on its row in the
    middle, the groups it points at below it."""
    root = site_project(tmp_path)
    path = tmp_path / "so-tay.pdf"
    code, output = print_pdf(root, "-o", str(path))
    assert code == 0, output
    handbook = link(run(Project.read(root), render_pages=False).handbook.entries)
    shapes = {e.id: views.diagram(views.Reader(handbook), e) for e in handbook.entries.values()}
    shapes = {i: shape for i, shape in shapes.items() if shape}
    assert any(s.above and s.below for s in shapes.values()) and any(not s.below for s in shapes.values())
    drawn_pages = [n for n in range(1, page_count(path) + 1) if "Lược đồ" in layout_lines(path, n)]
    seen = set()
    for page in drawn_pages:
        lines = layout_lines(path, page)
        while "Lược đồ" in lines:
            lines = lines[lines.index("Lược đồ") + 1:]
            centre, shape = next((n, s) for n, line in enumerate(lines) for s in shapes.values()
                                 if line == words(s.name))
            seen.add(shape.name)
            above, below = " ".join(lines[:centre]), " ".join(lines[centre + 1:])
            for group in shape.above:
                assert group.label in above and not lines[0].startswith("•"), (shape.name, group.label)
                assert all(_text(link_) in above for link_, _ in group.items)
            rows = [line for line in lines[centre + 1:centre + 1 + 2 * len(shape.below)]]
            for group in shape.below:
                assert group.label in " ".join(rows) and not rows[0].startswith("•"), (shape.name, group.label)
                assert all(_text(link_) in below for link_, _ in group.items)
            lines = lines[centre + 1:]
    assert seen == {shape.name for shape in shapes.values()}


def _text(markdown_link: str) -> str:
    """A diagram item as printed: a link's text, without its target."""
    return words(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_link))


def test_further_reading_names_the_records_the_readings_lead_to(course_pack):
    """After the readings, "Đọc thêm": records outside the course that its readings link to, the most
    linked first, each named once as text with its kind, at most ten; none of the course's own."""
    root, path, texts = course_pack.root, course_pack.path, course_pack.texts
    course = record(root, "courses", COURSE)
    handbook = link(run(Project.read(root), render_pages=False).handbook.entries)
    readings = [v for item in course["items"] for k, v in item.items() if k in KINDS]
    inside = set(readings) | set(course.get("sources", []))
    counts: dict[str, int] = {}
    for reading in readings:
        for group in handbook.outgoing.get(reading, []):
            for entry in group.entries:
                if entry.id not in inside:
                    counts[entry.id] = counts.get(entry.id, 0) + 1
    text = " ".join(texts)
    last = f"BÀI {len(course['items'])} · "
    section = text.split(last, 1)[1].split("Đọc thêm", 1)[1].split("Nguồn tư liệu", 1)[0]
    listed = re.findall(r"• (.+?) \(([^()]+)\)(?= •|\s*Trang|\s*$)", section)
    assert 0 < len(listed) <= 10 and len(listed) == min(10, len(counts))
    by_name = {handbook.entries[i].record.display_name(): i for i in counts}
    ids = [by_name[name] for name, _ in listed]
    assert len(set(ids)) == len(ids)
    assert all(kind == handbook.entries[i].kind.label for i, (_, kind) in zip(ids, listed))
    assert [counts[i] for i in ids] == sorted((counts[i] for i in ids), reverse=True)
    further = start_page(texts, "Đọc thêm Những mục")
    assert start_page(texts, last) <= further
    assert not [a for a in internal_links(path) if a[0] == further]          # named as text, not linked


def test_sources_and_abbreviations_follow_the_readings(course_pack):
    root, text = course_pack.root, " ".join(course_pack.texts)
    course = record(root, "courses", COURSE)
    last_reading = text.find(f"BÀI {len(course['items'])} · ")
    sources_at = text.find(" NGUỒN ", last_reading)
    abbreviations_at = text.find("Chữ viết tắt", sources_at)
    assert -1 < last_reading < sources_at < abbreviations_at
    for source_id in course["sources"]:
        title = words(record(root, "sources", source_id)["title"])
        assert sources_at < text.find(title, sources_at) < abbreviations_at, title
    glossary = run(Project.read(root), render_pages=False).handbook.glossary()
    abbreviations = text[abbreviations_at:]
    for abbr in ("BTCTW",):
        assert f"{abbr} {words(glossary[abbr])}" in abbreviations
    body = set(re.findall(r"\w+", text[:abbreviations_at]))
    listed = {abbr for abbr, expansion in glossary.items() if f"{abbr} {words(expansion)}" in abbreviations}
    assert listed <= body and listed < set(glossary)         # only the ones the pack uses


def test_vietnamese_text_is_whole_and_the_fonts_are_embedded(course_pack):
    text = " ".join(course_pack.texts)
    assert unicodedata.is_normalized("NFC", text)
    course = record(course_pack.root, "courses", COURSE)
    for question in (q for item in course["items"] for q in item.get("questions", [])):
        assert words(unicodedata.normalize("NFC", question)) in text
    fonts = subprocess.run(["pdffonts", str(course_pack.path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    names = {row[0].split("+", 1)[1] for row in rows}
    assert {"Noto-Serif", "Noto-Serif-Bold", "Noto-Sans-Bold"} <= names, names
    assert all(name.startswith("Noto-") for name in names), names      # no glyph fell back to another font
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts     # embedded, subset, Unicode


def test_pages_are_a4_with_running_header_and_numbers(course_pack):
    info = subprocess.run(["pdfinfo", str(course_pack.path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    course = record(course_pack.root, "courses", COURSE)
    total = len(course_pack.texts)
    assert f"Trang 1 / {total}" not in course_pack.texts[0]           # the cover carries none
    for number, page in enumerate(course_pack.texts[1:], 2):
        assert page.startswith(words(course["title"])[:40]), number
        assert f"Trang {number} / {total}" in page, number


def test_same_data_gives_the_same_bytes(course_pack, tmp_path):
    other = site_project(tmp_path / "another-place")
    code, output = print_pdf(other, "--course", COURSE, "-o", str(tmp_path / "again.pdf"))
    assert code == 0, output
    assert (tmp_path / "again.pdf").read_bytes() == course_pack.path.read_bytes()


# --- Refusals ------------------------------------------------------------------------------------

def test_invalid_data_prints_the_problems_and_writes_nothing(tmp_path):
    root = site_project(tmp_path / "project")
    path = root / "data/courses" / f"{COURSE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("directive: huong-dan-38-hd-btctw-2010",
                                                             "directive: huong-dan-38-hd-btctw-sai"), encoding="utf-8")
    out = tmp_path / "khoa.pdf"
    out.write_bytes(b"old")
    code, output = print_pdf(root, "--course", COURSE_FILE, "-o", str(out))
    assert code == 1
    assert f"{COURSE_FILE}:" in output and "[ref.unknown]" in output and "huong-dan-38-hd-btctw-sai" in output
    assert out.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["khoa.pdf", "project"]


@pytest.mark.parametrize("target, message", [
    ("data/khoa.pdf", "nằm trong data/ của dự án"),
    ("content/in/khoa.pdf", "nằm trong content/ của dự án"),
    ("khoa.zip", "phải có đuôi .pdf"),
    ("thu-muc.pdf", "là một thư mục"),
    ("bao-cao.pdf", "không do `handbook print` tạo ra"),        # somebody else's PDF is never replaced
])
def test_output_never_lands_on_the_sources(tmp_path, target, message):
    root = scratch_project(tmp_path, {"mkdocs.yml": (PROJECT / "mkdocs.yml").read_text(encoding="utf-8"),
                                      "content/index.md": "# Trang chủ\n"})
    (root / "thu-muc.pdf").mkdir()
    (root / "bao-cao.pdf").write_bytes(b"%PDF-1.7 someone else's report")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    code, output = print_pdf(root, "-o", str(root / target))
    assert code == 1 and "Không in được, chưa ghi tệp nào" in output and message in output, output
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_unknown_course_is_refused_in_vietnamese(tmp_path):
    root = site_project(tmp_path / "project")
    code, output = print_pdf(root, "--course", "data/courses/khong-co.yaml")
    assert code == 1 and "không có khóa học nào mang mã `khong-co`" in output and COURSE in output
    assert not list(root.glob("*.pdf"))


def test_missing_font_is_named_with_its_package(tmp_path, monkeypatch):
    root = site_project(tmp_path / "project")
    monkeypatch.setattr(pdf, "FONT_FACES", {("Noto Serif", "normal", "normal"): "Noto Serif Khong Co:style=Regular"})
    pdf.find_fonts.cache_clear()
    try:
        code, output = print_pdf(root, "--course", COURSE)
    finally:
        pdf.find_fonts.cache_clear()
    assert code == 1 and "thiếu phông chữ Noto Serif Khong Co" in output and "apt-get install fonts-noto-core" in output
    assert not list(root.glob("*.pdf")) and not list(root.glob(".*.part"))


# --- Other data ------------------------------------------------------------------------------------

HOSTILE = 'Khóa </title><script>window.__pwned=1</script> "thử"'
WRITTEN_PAGE = """---
title: Hướng dẫn học viên
---

# Hướng dẫn học viên

Đọc [Hướng dẫn 38](../van-ban/huong-dan-38-hd-btctw-2010.md) trước, rồi xem [các chủ đề](../chu-de/index.md)
và [trang web của Đảng](https://dangcongsan.vn/); các [chữ viết tắt](../thuat-ngu/index.md) ở cuối tập.

![Sơ đồ tổ chức](https://example.invalid/so-do.png)
"""


def test_course_text_stays_text_and_written_pages_are_printed(tmp_path):
    root = site_project(tmp_path / "project")
    (root / "content/hoc-vien").mkdir()
    (root / "content/hoc-vien/huong-dan.md").write_text(WRITTEN_PAGE, encoding="utf-8")
    (root / "data/courses/thu.yaml").write_text(yaml.safe_dump({
        "id": "thu", "title": HOSTILE, "audience": "<b>cán bộ</b>", "duration": "[1 buổi](javascript:x)",
        "objectives": ["Biết <img src=x onerror=alert(1)> *đậm*"],
        "items": [{"page": "hoc-vien/huong-dan.md", "title": "Hướng dẫn học viên", "questions": ["Đọc gì trước?"]},
                  {"directive": DIRECTIVE, "questions": ["Hỏi <script>x()</script> [a](javascript:y)?"]}],
    }, allow_unicode=True), encoding="utf-8")
    code, output = print_pdf(root, "--course", "thu", "-o", str(tmp_path / "thu.pdf"))
    assert code == 0, output
    texts = pages(tmp_path / "thu.pdf")
    text = " ".join(texts)
    cover = "".join(texts[0].split())           # lines may break after a slash
    assert "".join(HOSTILE.split()) in cover and "<b>cánbộ</b>" in cover and "[1buổi](javascript:x)" in cover
    assert "Biết <img src=x onerror=alert(1)> *đậm*" in text and "Hỏi <script>x()</script> [a](javascript:y)?" in text
    guide = texts[start_page(texts, "BÀI 1 · TRANG HƯỚNG DẪN") - 1]
    directive = start_page(texts, "BÀI 2 · VĂN BẢN")
    assert f"Hướng dẫn 38 (tr. {directive})" in guide and "các chủ đề" in guide and NOT_IN_COURSE not in guide
    assert "trangwebcủaĐảng<https://dangcongsan.vn/>" in "".join(guide.split())    # lines may break after a slash
    assert f"chữ viết tắt (tr. {len(texts)})" in guide and "Chữ viết tắt" in texts[-1]     # the glossary: the last page
    assert "[Ảnh: Sơ đồ tổ chức]" in guide and "Đọc gì trước?" in guide       # fetched from no host
    assert "title: Hướng dẫn học viên" not in guide


def test_whole_handbook_dated_by_the_last_commit_of_the_data(tmp_path):
    root = scratch_project(tmp_path / "project", {"mkdocs.yml": (PROJECT / "mkdocs.yml").read_text(encoding="utf-8"),
                                                  "content/index.md": "# Trang chủ\n"})
    environment = {**os.environ, "GIT_AUTHOR_DATE": "2024-05-06T10:00:00Z",
                   "GIT_COMMITTER_DATE": "2024-05-06T10:00:00Z"}
    git = ["git", "-C", str(root), "-c", "user.name=Biên tập", "-c", "user.email=bt@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "data"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "dữ liệu"], check=True, env=environment)
    subprocess.run([*git, "add", "mkdocs.yml"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "cấu hình"], check=True)          # later, not data: ignored
    code, output = print_pdf(root)
    assert code == 0, output
    path = root / "so-tay.pdf"
    texts = pages(path)
    assert "Bản in toàn bộ sổ tay" in texts[0] and "Dữ liệu đến ngày 06/05/2024" in texts[0]
    info = subprocess.run(["pdfinfo", "-isodates", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"CreationDate:\s+2024-05-06T10:00:00", info), info
    handbook = run(Project.read(root)).handbook
    text = " ".join(texts)
    for kind in KINDS.values():
        entries = handbook.of_kind(kind.name)
        if kind.name == "glossary" or not entries:
            continue
        positions = [text.find(words(e.record.display_name()), text.find(f" {kind.title} ", 200))
                     for e in entries]
        assert -1 not in positions, kind.name
    assert NOT_IN_COURSE not in text and "Mục tiêu khóa học" not in text


# --- Editor text in the pack's HTML ----------------------------------------------------------------

class _Shape(HTMLParser):
    """The tags of a document and its text, as WeasyPrint's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        self.tags.append(f"/{tag}")

    def handle_data(self, data):
        self.text.append(data)


def _shape(html: str) -> _Shape:
    parser = _Shape()
    parser.feed(html)
    parser.close()
    return parser


def _pack(title: str, audience: str, objective: str, question: str) -> pdf.Pack:
    chapter = pdf.Chapter("bai-1", title, "Văn bản", "<p>Nội dung</p>", (question,))
    return pdf.Pack(title, "Sổ tay", "01/01/2024", "2024-01-01T00:00:00Z",
                    [pdf.Part("bai-doc", "Bài đọc", [chapter], numbered=True)], [("TW", audience)],
                    audience, "1 buổi", (objective,))


FONTS = {face: Path(f"/khong-co/{index}.ttf") for index, face in enumerate(pdf.FONT_FACES)}
editor_text = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'`*_[](){}#/\\ạệ"),
                      min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(title=editor_text, audience=editor_text, objective=editor_text, question=editor_text)
def test_editor_text_never_becomes_markup(title, audience, objective, question):
    """Whatever a course's fields hold, the pack's HTML has the template's tags and shows the text, in NFC."""
    plain = _shape(pdf.pack_html(_pack("Tên", "Đối tượng", "Mục tiêu", "Câu hỏi"), FONTS))
    shown = _shape(pdf.pack_html(_pack(title, audience, objective, question), FONTS))
    assert shown.tags == plain.tags
    text = "".join(shown.text)
    for value in (title, audience, objective, question):
        assert unicodedata.normalize("NFC", value) in text


def test_a_second_print_replaces_the_first_and_readings_start_with_their_text(tmp_path):
    root = site_project(tmp_path / "project")
    out = tmp_path / "khoa.pdf"
    assert print_pdf(root, "--course", COURSE, "-o", str(out))[0] == 0
    assert print_pdf(root, "--course", COURSE, "-o", str(out))[0] == 0      # its own file: replaced
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert 'title: "' not in text and "description:" not in text           # no front matter printed
