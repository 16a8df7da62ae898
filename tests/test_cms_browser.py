"""The form editor end to end, without GitHub: Decap CMS in chromium, its local backend
(decap-server, git mode) on a working copy, the editorial workflow's branch, then the
validator and the build on what the form wrote.

Needs the npm packages in the cache (`python -m generator.cms --server`, run by .ci/run)
and node; without them the test is skipped, unless HANDBOOK_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import unavailable
from generator import cms
from generator.cli import main
from scratch import site_project

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
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
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Sổ tay")
    port = free_port()
    monkeypatch.setenv("HANDBOOK_CMS_LOCAL", f"http://127.0.0.1:{port}/api/v1")
    assert main(["-C", str(root), "build", "--strict", "-d", str(tmp_path / "site")]) == 0
    server = subprocess.Popen(["node", str(cms.decap_server())], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env={**os.environ, "PORT": str(port),
                                                             "BIND_HOST": "127.0.0.1", "MODE": "git",
                                                             "GIT_REPO_DIRECTORY": str(root)})
    web = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
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
