"""The home page as a cadre meets it (issue 28): a search box in the page, the ways in, what changed
recently (from git), and the navigation around it: "Tỉnh, thành" by name, the editors' guide out of
the readers' tabs but reachable from the footer.

The dates come from the records' git history (recent.py); the browser tests run on the mini
handbook built as a whole project (conftest.py: mini_url), at phone and desktop widths.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import home, recent
from generator.pipeline import run
from generator.project import Project
from generator.index_views import directive_facets
from generator.text import heading_slug
from scratch import scratch_project
from test_browser import DIRECTIVE_URL, open_tab

WIDTHS = {320: {"width": 320, "height": 640}, 390: {"width": 390, "height": 844}, 1366: {"width": 1366, "height": 900}}
PHONE = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
HOME = Path(__file__).resolve().parents[1] / "content" / "index.md"


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Biên tập", "GIT_AUTHOR_EMAIL": "bt@example.invalid",
           "GIT_COMMITTER_NAME": "Biên tập", "GIT_COMMITTER_EMAIL": "bt@example.invalid"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def commit(root: Path, when: str, *paths: str) -> None:
    git(root, "add", "--", *paths)
    git(root, "commit", "-q", "-m", f"sửa {when}", when=when)


@pytest.fixture
def history(tmp_path) -> Path:
    """The mini handbook in a repository: everything committed on 1/3/2024, then the practice on
    5/6/2025 (in UTC+7: 4/6 in UTC), then a directive on 2/1/2025 (committed later, dated earlier)."""
    root = scratch_project(tmp_path)
    git(root, "init", "-q")
    commit(root, "2024-03-01T09:00:00+07:00", ".")
    practice = next((root / "data" / "practices").glob("*.yaml"))
    practice.write_text(practice.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit(root, "2025-06-05T06:30:00+07:00", str(practice.relative_to(root)))
    directive = root / "data" / "directives" / "huong-dan-38-hd-btctw-2010.yaml"
    directive.write_text(directive.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit(root, "2025-01-02T10:00:00+07:00", str(directive.relative_to(root)))
    return root


# --- When each record last changed (recent.py) ---------------------------------------------------

def test_each_record_file_has_its_last_commit_date(history):
    changes = recent.last_changes(history / "data")
    practice = next((history / "data" / "practices").glob("*.yaml")).relative_to(history).as_posix()
    directive = "data/directives/huong-dan-38-hd-btctw-2010.yaml"
    # the committer's own day (5/6 in Vietnam, though 4/6 in UTC), whatever this machine's zone
    assert changes[practice].label() == "Cập nhật lần cuối 05/06/2025"
    assert changes[directive].day == date(2025, 1, 2)
    untouched = "data/models/" + next((history / "data" / "models").glob("*.yaml")).name
    assert changes[untouched].day == date(2024, 3, 1)
    assert set(changes) == {p.relative_to(history).as_posix() for p in (history / "data").rglob("*.yaml")}
    # the order of changes is the commits' times, not the order git lists them in
    assert changes[directive] < changes[practice]


def test_dates_follow_the_history_not_the_files_or_the_clock(history):
    before = recent.last_changes(history / "data")
    for path in (history / "data").rglob("*.yaml"):
        os.utime(path, (0, 0))                              # a fresh checkout or unzip
    (history / "data" / "models" / "nhap.yaml").write_text("id: nhap\n", encoding="utf-8")   # not committed
    assert recent.last_changes(history / "data") == before


def test_without_git_nothing_is_dated(tmp_path):
    root = scratch_project(tmp_path)          # a project downloaded as a zip: no repository
    assert recent.last_changes(root / "data") == {}


def _dated_pages(root: Path) -> dict[str, str]:
    """Each record page's "Cập nhật lần cuối" line ("" for none), by page path."""
    pages = run(Project.read(root)).pages
    return {path: next(iter(re.findall(r"^<small class=\"hb-page-foot\" data-search-exclude>(Cập nhật lần cuối [0-9/]+) · ", text,
                                       re.MULTILINE)), "") for path, text in pages.items()}


def test_each_record_page_says_when_its_file_last_changed(history):
    dated = _dated_pages(history)
    practice = next((history / "data" / "practices").glob("*.yaml")).stem
    assert dated[f"cach-lam/{practice}.md"] == "Cập nhật lần cuối 05/06/2025"
    assert dated["van-ban/huong-dan-38-hd-btctw-2010.md"] == "Cập nhật lần cuối 02/01/2025"
    model = next((history / "data" / "models").glob("*.yaml")).stem
    assert dated[f"mo-hinh/{model}.md"] == "Cập nhật lần cuối 01/03/2024"
    assert dated["van-ban/index.md"] == ""          # an index page is no record's
    # the same history gives the same pages, byte for byte
    assert run(Project.read(history)).pages == run(Project.read(history)).pages


def test_without_git_record_pages_carry_no_date(tmp_path):
    root = scratch_project(tmp_path)
    assert not any(_dated_pages(root).values())


def test_a_commit_re_dates_its_page_in_the_live_preview(history):
    """`handbook serve` renders again only what changed: a commit changes no record, yet its page's date."""
    from generator.incremental import render_all, rerender
    result = run(Project.read(history))
    before = render_all(result.handbook, recent.last_changes(history / "data"))
    model = next((history / "data" / "models").glob("*.yaml"))
    model.write_text(model.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit(history, "2026-02-03T08:00:00+07:00", str(model.relative_to(history)))
    changes = recent.last_changes(history / "data")
    after, rendered = rerender(before, result.handbook, changes)
    assert {path for path in rendered if not path.endswith("/index.md")} == {f"mo-hinh/{model.stem}.md"}
    assert "Cập nhật lần cuối 03/02/2026" in after.pages[f"mo-hinh/{model.stem}.md"]
    assert after.pages == render_all(result.handbook, changes).pages


_NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).map(
    lambda s: "data/" + s.strip("\n") + ".yaml")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4_000_000_000), st.dates(date(1990, 1, 1), date(2100, 1, 1)),
                          st.lists(_NAMES, min_size=1, max_size=5, unique=True)), max_size=8))
def test_the_log_gives_each_file_its_latest_commit(commits):
    """Whatever names editors give their files and however git orders the commits, each file gets the
    commit with the greatest time (the first listed among equals)."""
    log = "".join(f"\x01{stamp} {day.isoformat()}T12:00:00+07:00\x00\n" + "".join(f"{n}\x00" for n in names)
                  for stamp, day, names in commits)
    expected: dict[str, recent.Change] = {}
    for stamp, day, names in commits:
        for name in names:
            if name not in expected or stamp > expected[name].timestamp:
                expected[name] = recent.Change(stamp, day)
    assert recent.parse_log(log) == expected


# --- The home page's generated parts (home.py) ---------------------------------------------------

def test_recently_changed_lists_the_newest_commits_first(history):
    result = run(Project.read(history))
    text = home.recently_changed(result.handbook, recent.last_changes(history / "data"))
    assert text.startswith('<h2 id="moi-cap-nhat" data-search-exclude>Mới cập nhật</h2>')
    items = re.findall(r"^- \[(.+?)\]\((.+?)\)  \n  <small>(.+?)</small>$", text, re.MULTILINE)
    assert items[0][2] == "Cách làm · cập nhật 05/06/2025"
    assert items[1][1] == "van-ban/huong-dan-38-hd-btctw-2010.md"
    assert items[1][2] == "Văn bản · cập nhật 02/01/2025"
    assert all(small.endswith("01/03/2024") for _, _, small in items[2:])
    assert len(items) == min(home.RECENT_COUNT, sum(1 for e in result.handbook.entries.values()
                                                    if e.kind.pages and not e.kind.hub))
    # the same history gives the same page
    assert home.recently_changed(result.handbook, recent.last_changes(history / "data")) == text


def test_without_history_the_newest_documents_by_their_dates(tmp_path):
    result = run(Project.read(scratch_project(tmp_path)))
    text = home.recently_changed(result.handbook, {})
    assert text.startswith('<h2 id="van-ban-moi" data-search-exclude>Văn bản mới ban hành</h2>')
    assert "ngày 9/3/2010" in text and "ban hành 9/3/2010" not in text      # the date once
    issued = sorted((e.record.issued.year, e.record.issued.month or 0, e.record.issued.day or 0)
                    for e in result.handbook.of_kind("directive") if e.record.issued)
    assert len(re.findall(r"^- \[", text, re.MULTILINE)) == min(home.RECENT_COUNT, len(issued))


def test_ways_in_lead_into_the_indexes_and_their_filters(tmp_path):
    result = run(Project.read(scratch_project(tmp_path)))
    text = home.ways_in(result.handbook, result.pages)
    facets = [directive_facets(result.handbook, e) for e in result.handbook.of_kind("directive")]
    kinds = [unquote(v) for v in re.findall(r"\]\(van-ban/index\.md\?loai=([^)]+)\)", text)]
    assert sorted(kinds) == sorted({f["loai"] for f in facets})
    years = [unquote(v) for v in re.findall(r"\]\(van-ban/index\.md\?nam=([^)]+)\)", text)]
    assert set(years) == {f["nam"] or home.NOT_STATED for f in facets}
    anchors = re.findall(r"\]\(cach-lam/index\.md#([^)]+)\)", text)
    headings = re.findall(r"^## (.+)$", result.pages["cach-lam/index.md"], re.MULTILINE)
    assert anchors == [heading_slug(h) for h in headings] and anchors
    for practice in result.handbook.of_kind("practice"):
        assert f"(cach-lam/{practice.id}.md)" not in text      # by province, through the index
    for kind in ("model", "course"):
        for entry in result.handbook.of_kind(kind):
            assert f"({entry.kind.section}/{entry.id}.md)" in text
    assert "(tinh-thanh/index.md)" in text
    # every heading is left out of the search: lists of names would make the home page answer any query
    headings = re.findall(r"<h[23][^>]*>", text)
    assert headings and all("data-search-exclude" in h for h in headings)


def test_the_home_page_says_nothing_about_files_or_folders():
    text = HOME.read_text(encoding="utf-8")
    assert not re.search(r"data/|\.yaml|thư mục|tệp", text)
    for marker in (home.SEARCH, home.WAYS_IN, home.RECENT):
        assert marker in text


# --- The home page in the browser -----------------------------------------------------------------

@pytest.fixture
def home_tab(browser, mini_url, width):
    """The home page in a tab at `width` (a phone's below 800 px), closed afterwards."""
    tab = open_tab(browser, mini_url, viewport=WIDTHS[width], **(PHONE if width < 800 else {}))
    tab.go("/")
    yield tab
    tab.page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_home_page_search_box_finds_a_directive_by_number(home_tab, width):
    from playwright.sync_api import expect

    box = home_tab.page.get_by_label("Tìm văn bản, mô hình, cách làm")
    expect(box).to_be_visible()
    box.click()
    box.press_sequentially("38-HD/BTCTW")
    # The whole query's answer, not an earlier keystroke's: its terms are in ?h=.
    first = home_tab.page.locator(".md-search-result__item a").first
    expect(first).to_have_attribute("href", re.compile(re.escape(DIRECTIVE_URL) + r"\?h=38\+HD\+BTCTW$"))
    expect(first).to_be_visible()
    assert home_tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [390])
def test_home_page_search_box_works_by_enter_too(home_tab, mini_url, width):
    """Text pasted into the box and Enter: the same answer, in place."""
    from playwright.sync_api import expect

    box = home_tab.page.locator("#hb-home-q")
    box.focus()      # the keyboard reaches the box without opening the search
    expect(home_tab.page.locator("#__search")).not_to_be_checked()
    box.fill("38-HD/BTCTW")
    expect(home_tab.page.locator("input.md-search__input")).to_have_value("38-HD/BTCTW")
    home_tab.page.keyboard.press("Enter")
    first = home_tab.page.locator(".md-search-result__item a").first
    expect(first).to_have_attribute("href", re.compile(re.escape(DIRECTIVE_URL) + r"\?h=38\+HD\+BTCTW$"))
    assert home_tab.page.url.rstrip("/") == mini_url     # no reload
    assert home_tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_home_page_fits_and_names_the_site_whole(home_tab, width, tmp_path):
    page = home_tab.page
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll[0] <= scroll[1], f"sideways scrolling at {width} px: {scroll}"
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    sizes = name.evaluate("e => [e.scrollWidth, e.clientWidth, e.scrollHeight, e.clientHeight]")
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], f"site name cut at {width} px: {sizes}"
    box = name.bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert box["y"] >= header["y"] and box["y"] + box["height"] <= header["y"] + header["height"]
    assert name.inner_text().replace("\n", " ") == "Sổ tay công tác xây dựng Đảng"
    page.screenshot(path=str(tmp_path / f"home-{width}.png"), full_page=True)
    assert home_tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_ways_in_lead_to_pages_with_something_on_them(home_tab, width):
    """Each way in, tapped: a filtered Văn bản list that shows documents, a province's practices, a page."""
    from playwright.sync_api import expect

    links = home_tab.page.locator("#tra-cuu-nhanh ~ ul a").evaluate_all("links => links.map(a => a.href)")
    assert len(links) >= 5
    for href in links:
        home_tab.page.goto(href)
        parts = urlsplit(href)
        if parts.query:
            count = home_tab.page.locator(".hb-filters output")
            expect(count).to_have_text(re.compile(r"^Đang hiện [1-9]\d*/\d+ văn bản$"))
        elif parts.fragment:
            expect(home_tab.page.locator(f"[id='{parts.fragment}'] + ul li").first).to_be_visible()
        else:
            expect(home_tab.page.locator("article h1")).to_be_visible()
    assert home_tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366])
def test_navigation_names_provinces_and_keeps_the_editors_guide_to_the_footer(home_tab, mini_url, width):
    from playwright.sync_api import expect

    tabs = home_tab.page.locator(".md-tabs__link")
    expect(tabs.filter(has_text="Tỉnh, thành")).to_have_attribute("href", re.compile(r"tinh-thanh/$"))
    expect(tabs.filter(has_text="Biên tập")).to_have_count(0)
    expect(home_tab.page.locator(".md-nav--primary .md-nav__link", has_text="Biên tập")).to_have_count(0)
    home_tab.page.locator(".md-footer a", has_text="Dành cho người biên tập").click()
    expect(home_tab.page).to_have_url(mini_url + "/bien-tap/")
    # on its own pages the guide is an area of its own: its tab, its pages beside
    expect(home_tab.page.locator(".md-tabs__item--active")).to_have_text("Biên tập")
    expect(home_tab.page.locator(".md-sidebar--primary a", has_text="Mã lỗi")).to_be_visible()
    assert home_tab.errors == []
