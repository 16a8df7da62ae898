"""The form editor end to end, without GitHub: Decap CMS in chromium, its local backend
(decap-server, git mode) on a working copy, the editorial workflow's branch, then the
validator and the build on what the form wrote.

Needs the npm packages in the cache (`python -m generator.cms --server`, run by .ci/run)
and node; without them the test is skipped, unless HANDBOOK_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import functools
import re
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from slugify import slugify

from conftest import unavailable
from generator import cms, fmt
from generator.cli import main
from generator.schema import KINDS
from scratch import site_project

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
NEW_ID = "tinh-a-to-dang-noi-lam-viec"
NEW_TITLE = "Tổ đảng ở nơi làm việc mới"
EXPECTED = f"""# Cách làm — {NEW_TITLE}
id: {NEW_ID}
title: {NEW_TITLE}
province: tinh-a
start: 2020-05
directives:
- huong-dan-38-hd-btctw-2010
sources:
- bai-mau
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Biên tập", "-c", "user.email=bien-tap@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def guess_type(self, path):      # the CMS reads its configuration as YAML
        return "text/yaml" if str(path).endswith(".yml") else super().guess_type(path)


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """A working copy under git, its site built in local mode, decap-server and a web server on it."""
    if not cms.decap_server().is_file() or not (cms.decap_dir() / "decap-cms.js").is_file():
        unavailable("the CMS packages are not installed (python -m generator.cms --server)")
    if shutil.which("node") is None or shutil.which("git") is None:
        unavailable("node or git is missing")
    root = site_project(tmp_path / "project")
    assert main(["-C", str(root), "fmt"]) == 0      # as the handbook's data/ is kept (the workflow checks it)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Sổ tay")
    port = free_port()
    monkeypatch.setenv("HANDBOOK_CMS_LOCAL", f"http://127.0.0.1:{port}/api/v1")
    assert main(["-C", str(root), "build", "--strict", "-d", str(tmp_path / "site")]) == 0
    # decap-server behind the handbook, as the editors' guide says to run it (local_server.py)
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "-C", str(root), "cms-local",
                               "-a", f"127.0.0.1:{port}"], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    web = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "decap-server did not start"
                time.sleep(0.2)
        yield root, f"http://127.0.0.1:{web.server_address[1]}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        web.shutdown()
        web.server_close()


def committed(root: Path, branch: str, path: str) -> bool:
    """Whether the local backend has committed `path` on `branch` (it makes the branch first)."""
    return subprocess.run(["git", "cat-file", "-e", f"{branch}:{path}"], cwd=root,
                          capture_output=True).returncode == 0


def pick(page, field: str, query: str, option: str) -> None:
    """Type into a relation widget and choose the record it found by name."""
    box = page.locator(f"[id^={field}-field-]")
    box.click()
    box.press_sequentially(query)
    page.locator("[role=option]", has_text=option).first.click()


def test_a_practice_created_through_the_form_validates_and_builds(browser, editor, tmp_path):
    root, base = editor
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    hosts, problems = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(base + "/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    # The collections, one per kind, under their Vietnamese names.
    for kind in ("Văn bản", "Cách làm của địa phương", "Tỉnh, thành", "Khóa học"):
        page.get_by_role("link", name=kind, exact=True).first.wait_for()

    page.get_by_role("link", name="Cách làm của địa phương", exact=True).first.click()
    page.get_by_text("Thêm cách làm", exact=True).click()
    page.locator("[id^=id-field-]").fill(NEW_ID)
    page.locator("[id^=title-field-]").fill(NEW_TITLE)
    pick(page, "province", "Tỉnh", "Tỉnh A")
    pick(page, "directives", "38", "38-HD/BTCTW")
    pick(page, "sources", "sinh hoạt", "Bài viết mẫu")
    page.locator("[id^=start-field-]").fill("2020-05")
    page.get_by_role("button", name="Thêm số liệu").wait_for()     # Decap's own Vietnamese lacks it
    page.locator("[id^=period-field-]").fill("3 năm")
    page.locator("[id^=period-field-]").fill("")      # touched then cleared: must not be written as ""

    # The preview shows the facts table with the related records by name.
    preview = page.frame_locator("iframe").first
    facts = preview.locator("table.hb-facts")
    facts.get_by_text("Tỉnh A (tinh-a)").wait_for()
    assert "38-HD/BTCTW" in facts.inner_text()
    assert preview.locator("h1").inner_text() == NEW_TITLE

    page.get_by_role("button", name="Lưu").first.click()
    branch = f"cms/practices/{NEW_ID}"
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not committed(root, branch, f"data/practices/{NEW_ID}.yaml"):
        assert time.monotonic() < deadline, "the editorial workflow committed no file on its branch"
        time.sleep(0.3)
    page.get_by_text("Bản nháp").first.wait_for()     # the editor shows the saved draft
    page.close()

    assert hosts == {"127.0.0.1"}, f"the editor asked other hosts: {hosts}"
    assert problems == []

    # What the form wrote, checked out as the pull request's CI would (the local backend keeps
    # switching branches in the working copy): what an editor would write by hand, accepted by
    # the validator, built into a page that links the province and the directive.
    review = tmp_path / "review"
    git(tmp_path, "clone", "-q", "--branch", branch, str(root), str(review))
    written = (review / "data" / "practices" / f"{NEW_ID}.yaml").read_text(encoding="utf-8")
    assert written == EXPECTED
    assert main(["-C", str(review), "validate", "--strict"]) == 0
    assert main(["-C", str(review), "build", "--strict"]) == 0
    built = (review / "site" / "cach-lam" / NEW_ID / "index.html").read_text(encoding="utf-8")
    assert NEW_TITLE in built and 'href="../../tinh-thanh/tinh-a/' in built
    assert 'href="../../van-ban/huong-dan-38-hd-btctw-2010/' in built


WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
PRACTICE = "data/practices/tinh-a-chi-bo-bon-tot.yaml"


def wait_for_commit(root: Path, branch: str, path: str) -> None:
    """Until the branch holds `path` as it differs from main's (for a record main has already)."""
    before = git(root, "show", f"main:{path}") if committed(root, "main", path) else None
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not committed(root, branch, path) or git(root, "show", f"{branch}:{path}") == before:
        assert time.monotonic() < deadline, f"the editorial workflow committed no {path} on {branch}"
        time.sleep(0.3)


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and \
        box["x"] >= 0 and box["x"] + box["width"] <= size["width"]


def preview_header_colour(page) -> str:
    """The facts table's header colour in the preview, read as soon as the table is there (the frame
    may be replaced while it is read: read it again then)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        try:
            cell = page.frame_locator("iframe").first.locator("table.hb-facts th").first
            return cell.evaluate("th => getComputedStyle(th).backgroundColor")
        except PlaywrightError as error:
            if "detached" not in str(error) or time.monotonic() > deadline:
                raise


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_who_knows_no_yaml(browser, editor, tmp_path, width):
    """As an editor would: pickers that name documents, an id made from the name, a refused save said
    beside the button, and a form save that changes only the line the editor changed."""
    root, base = editor
    page = browser.new_page(viewport=WIDTHS[width])
    page.set_default_timeout(TIMEOUT_MS)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error) + repr(error.stack) + page.url))
    page.goto(base + "/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Cách làm của địa phương", exact=True).first.click()
    # The list names each practice with its province.
    page.get_by_text("Thực hiện mô hình Chi bộ bốn tốt — Tỉnh A").first.wait_for()
    page.get_by_text("Thêm cách làm", exact=True).click()

    # The id follows the name as `handbook new` would make it, and is shown.
    title = "Tổ đảng ở nơi làm việc: thí điểm 2020"
    page.locator("[id^=title-field-]").fill(title)
    ident = page.locator("[id^=id-field-]")
    page.wait_for_function("([sel, want]) => document.querySelector(sel).value === want",
                           arg=["[id^=id-field-]", slugify(title)])
    page.get_by_text("Mã tự tạo từ tên").wait_for()

    # The directive picker names documents in full, and finds them without diacritics.
    box = page.locator("[id^=directives-field-]")
    box.click()
    box.press_sequentially("huong dan")
    option = page.locator("[role=option]").first
    option.wait_for()
    assert "Hướng dẫn số 38-HD/BTCTW ngày 9/3/2010 của Ban Tổ chức Trung ương" in option.inner_text()
    option.click()
    pick(page, "province", "tinh a", "Tỉnh A")
    pick(page, "sources", "bai viet", "Bài viết mẫu")

    # A wrong date far below, Save pressed at the top: the refusal is said beside the button, in
    # Vietnamese, and the field at fault is brought into view with the cursor in it.
    start, end = page.locator("[id^=start-field-]"), page.locator("[id^=end-field-]")
    start.fill("2020-13")
    end.fill("2021-02-29")
    ident.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    save = page.get_by_role("button", name="Lưu").first
    save.click()
    notice = page.locator(".hb-refused[role=alert]")
    notice.wait_for()
    assert "Chưa lưu được: 2 trường cần sửa" in notice.inner_text() and "Bắt đầu" in notice.inner_text()
    assert in_view(page, notice) and in_view(page, save)
    assert notice.bounding_box()["y"] - (save.bounding_box()["y"] + save.bounding_box()["height"]) < 40
    page.wait_for_function("document.activeElement && document.activeElement.id.startsWith('start-field-')")
    assert in_view(page, start)

    # An id the kind already has is refused in the form, not in the pull request.
    ident.fill("tinh-a-chi-bo-bon-tot")
    start.fill("")
    start.fill("2020-05")
    assert start.input_value() == "2020-05"
    page.get_by_text("Mã này đã có").wait_for()
    save.click()
    notice.wait_for()
    assert "Đã có cách làm mang mã “tinh-a-chi-bo-bon-tot”" in notice.inner_text()
    ident.fill("")          # back to the id made from the name
    page.wait_for_function("([sel, want]) => document.querySelector(sel).value === want",
                           arg=["[id^=id-field-]", slugify(title)])
    save.click()            # a day February 2021 does not have, in the validator's words
    page.get_by_text("ngày “2021-02-29” không tồn tại (tháng 2 năm 2021 không có ngày 29)").first.wait_for()
    assert "không tồn tại" in notice.inner_text()
    end.fill("")
    end.fill("2021-02-28")
    save.click()
    new_id = slugify(title)
    wait_for_commit(root, f"cms/practices/{new_id}", f"data/practices/{new_id}.yaml")
    notice.wait_for(state="detached")
    if width == "1366":     # the preview keeps its style as it is drawn again after the save
        assert preview_header_colour(page) == "rgb(247, 243, 238)"
    # The toolbar in words that fit: "Trạng thái: Bản nháp", not "Trạng:", nothing cut or off screen.
    status = page.get_by_role("button", name="Trạng thái: Bản nháp")
    status.wait_for()
    for button in page.locator("button").all():
        if button.is_visible() and button.inner_text().strip():
            assert button.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), f"cut: {button.inner_text()}"
    assert in_view(page, status) and in_view(page, save), "the toolbar runs off the screen"
    written = git(root, "show", f"cms/practices/{new_id}:data/practices/{new_id}.yaml")
    assert written.startswith(f"# Cách làm — {title}\nid: {new_id}\ntitle: \"{title}\"\n")
    canonical = fmt.format_text(written.encode("utf-8"), f"data/practices/{new_id}.yaml", KINDS["practice"])
    assert canonical.text == written, "the form wrote another layout than `handbook fmt`"

    # The review board dates the draft the Vietnamese way (7/12/2026), with no English month.
    page.goto(base + "/admin/#/workflow")
    card = page.locator("a", has_text=title).first
    card.wait_for()
    board = page.locator("body").inner_text()
    assert re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", board), board
    assert not re.search(r"January|February|March|April|May|June|July|August|September|October|November|"
                         r"December", board)

    # A hand-written record saved through the form: only the line the editor changed differs.
    page.goto(base + "/admin/#/collections/practices")
    page.get_by_text("Thực hiện mô hình Chi bộ bốn tốt — Tỉnh A").first.click()
    field = page.locator("[id^=title-field-]")
    page.wait_for_function("([sel, want]) => (document.querySelector(sel) || {}).value === want",
                           arg=["[id^=title-field-]", "Thực hiện mô hình Chi bộ bốn tốt"])
    assert page.locator("[id^=id-field-]").get_attribute("readonly") is not None     # fixed once it exists
    field.fill("Thực hiện mô hình “Chi bộ bốn tốt”")
    assert page.locator("[id^=id-field-]").input_value() == "tinh-a-chi-bo-bon-tot"
    page.get_by_role("button", name="Lưu").first.click()
    wait_for_commit(root, "cms/practices/tinh-a-chi-bo-bon-tot", PRACTICE)
    diff = git(root, "diff", "-U0", "main", "cms/practices/tinh-a-chi-bo-bon-tot", "--", PRACTICE)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-title: Thực hiện mô hình Chi bộ bốn tốt", "+title: Thực hiện mô hình “Chi bộ bốn tốt”"]
    assert problems == []
    page.close()
