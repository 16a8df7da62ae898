"""`handbook serve` while an editor works: a data error is a page, never a hanging request."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from scratch import copy_project

RECORD = "data/topics/sinh-hoat-chi-bo.yaml"
PAGE = "/chu-de/sinh-hoat-chi-bo/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    """One request. A rebuild holds requests until it ends, which on a busy machine takes a while:
    the ceiling is generous, and `wait_for` asks again after a timeout."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def wait_for(url: str, predicate, seconds: float = 300) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            status, body = get(url)
            if predicate(status, body):
                return body
        except OSError:         # not listening yet, reset, or timed out while it rebuilt
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed what was expected; last answer:\n{body[:2000]}")


@pytest.fixture
def server(tmp_path):
    root = copy_project(tmp_path / "project")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "-C", str(root), "serve",
                                "-a", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        yield root, f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_a_data_error_is_shown_in_the_browser_and_cleared_on_the_next_save(server):
    root, base = server
    record = root / RECORD
    good = record.read_text(encoding="utf-8")
    first = wait_for(base + PAGE, lambda status, body: status == 200 and "Sinh hoạt chi bộ" in body)
    assert "Dữ liệu có lỗi" not in first

    record.write_text(good.replace("name:", "name: [", 1), encoding="utf-8")
    broken = wait_for(base + PAGE, lambda status, body: "Dữ liệu có lỗi" in body)
    assert f"{RECORD}:3:7" in broken and "yaml.syntax" in broken
    assert "name: [" in broken                                 # the quoted line
    status, other = get(base + "/van-ban/")                     # every page says so, none hangs
    assert status == 200 and "Dữ liệu có lỗi" in other

    record.write_text(good, encoding="utf-8")
    wait_for(base + PAGE, lambda status, body: status == 200 and "Dữ liệu có lỗi" not in body
             and "Sinh hoạt chi bộ" in body)

    # A file content/ may not publish is an error page too, never a server that stops answering.
    (root / "content" / "ghi-chu.txt").write_text("x", encoding="utf-8")
    refused = wait_for(base + PAGE, lambda status, body: "content.refused" in body)
    assert "content/ghi-chu.txt" in refused
    assert get(base + "/ghi-chu.txt")[0] == 404
    (root / "content" / "ghi-chu.txt").unlink()
    wait_for(base + PAGE, lambda status, body: status == 200 and "Dữ liệu có lỗi" not in body)
    # …so is a hand-written page at a generated page's address; an editor's backup file is no content.
    (root / "content" / "chu-de").mkdir()
    (root / "content" / "chu-de" / "sinh-hoat-chi-bo.md").write_text("# Trùng\n", encoding="utf-8")
    (root / "content" / "index.md~").write_text("# Bản cũ\n", encoding="utf-8")
    clash = wait_for(base + PAGE, lambda status, body: "content.refused" in body)
    assert "content/chu-de/sinh-hoat-chi-bo.md" in clash and "index.md~" not in clash
    (root / "content" / "chu-de" / "sinh-hoat-chi-bo.md").unlink()
    wait_for(base + PAGE, lambda status, body: status == 200 and "Dữ liệu có lỗi" not in body)

    # A hand-written page deleted is gone from the preview too.
    (root / "content" / "thu-nghiem.md").write_text("# Thử nghiệm\n", encoding="utf-8")
    wait_for(base + "/thu-nghiem/", lambda status, body: status == 200 and "Thử nghiệm" in body)
    (root / "content" / "thu-nghiem.md").unlink()
    wait_for(base + "/thu-nghiem/", lambda status, body: status == 404)


# --- Partial rebuilds: what the editor sees equals a clean build ------------------------------

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">.*?</article>', re.DOTALL)
TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


def shown(html: str) -> str:
    """What a page shows: its title and its article (serve adds a reload script and a base URL)."""
    shown = "\n".join(TITLE.findall(html) + ARTICLE.findall(html))
    # The printout's footer names the site's address (serve's own) and the build date
    return re.sub(r'<p class="hb-print-info">.*?</p>', "", shown, flags=re.S)


def clean_build(root: Path, out: Path) -> Path:
    from generator.build import build_site
    from generator.pipeline import run
    from generator.project import Project

    result = run(Project.read(root))
    assert result.ok
    build_site(Project.read(root), out, result=result)
    return out


def assert_served_as_built(root: Path, base: str, out: Path) -> None:
    site = clean_build(root, out)
    # 404.html names the site's address, which serve sets to its own
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 200
    for page in pages:
        url = "/" + page.relative_to(site).as_posix().removesuffix("index.html")
        status, body = get(base + url)
        assert status == 200, url
        assert shown(body) == shown(page.read_text(encoding="utf-8")), url
    # The search index (search.py): every file the clean build wrote, served the same.
    for path in sorted((site / "search").rglob("*")):
        if path.is_file():
            url = "/" + path.relative_to(site).as_posix()
            status, body = get(base + url)
            assert status == 200 and body == path.read_text(encoding="utf-8"), url


def served_search_docs(base: str) -> str:
    """Every page's title and teaser in the served search index."""
    chunks = []
    for number in range(1000):
        status, body = get(f"{base}/search/hb/d-{number}.js")
        if status != 200:
            break
        chunks.append(body)
    return "\n".join(chunks)


def unreferenced_practices(root: Path) -> list[Path]:
    texts = {p: p.read_text(encoding="utf-8") for p in (root / "data").rglob("*.yaml")}
    practices = sorted(p for p in texts if p.parent.name == "practices")
    return [p for p in practices
            if not any(p.stem in text for other, text in texts.items() if other != p)
            and "directives:" in texts[p]]


def settle(base: str, page: str, marker: str) -> None:
    """Wait until the rebuild that shows `marker` on `page` has finished."""
    # The server answers only once a rebuild is complete (search index included).
    wait_for(base + page, lambda status, body: marker in body)


def test_served_pages_equal_a_clean_build_after_edits_renames_and_deletes(server, tmp_path):
    root, base = server
    edited, renamed, deleted = unreferenced_practices(root)[:3]
    wait_for(base + f"/cach-lam/{edited.stem}/", lambda status, body: status == 200)

    # An edit: a practice's title (shown on its directives', topics' and province's pages, in the
    # index, the province index and search) and an organ's name (in the link of each local directive
    # it issued, on every page linking such a directive).
    organ = next(p for p in sorted((root / "data/organs").glob("*.yaml"))
                 if any(f"issuer: {p.stem}" in d.read_text(encoding="utf-8")
                        and "level: trung ương" not in d.read_text(encoding="utf-8")
                        for d in (root / "data/directives").glob("*.yaml")))
    replace_line(edited, "title", "Cách làm đã sửa tên")
    replace_line(organ, "name", "Cơ quan đã đổi tên")
    settle(base, f"/cach-lam/{edited.stem}/", "Cách làm đã sửa tên")
    settle(base, f"/co-quan/{organ.stem}/", "Cơ quan đã đổi tên")
    assert_served_as_built(root, base, tmp_path / "after-edit")

    # A glossary entry: its tooltip on every page that uses the abbreviation, its words in search.
    replace_line(root / "data/glossary/bch.yaml", "expansion", "Ban Chấp hành đã sửa")
    settle(base, "/thuat-ngu/", "Ban Chấp hành đã sửa")
    assert_served_as_built(root, base, tmp_path / "after-glossary")

    # A rename: the file and its id; the old page disappears.
    new = renamed.with_name(f"{renamed.stem}-moi.yaml")
    text = renamed.read_text(encoding="utf-8").replace(f"id: {renamed.stem}", f"id: {new.stem}", 1)
    new.write_text(text.replace("\ntitle:", "\ntitle: Đổi tên", 1), encoding="utf-8")
    renamed.unlink()
    settle(base, f"/cach-lam/{new.stem}/", "Đổi tên")
    # The removal may come in a rebuild of its own; a page is deleted after the search index is written.
    wait_for(base + f"/cach-lam/{renamed.stem}/", lambda status, body: status == 404)
    assert_served_as_built(root, base, tmp_path / "after-rename")

    # A deletion: gone from every page, the index and search.
    title = re.search(r"(?m)^title: (.*)$", deleted.read_text(encoding="utf-8")).group(1)
    deleted.unlink()
    wait_for(base + f"/cach-lam/{deleted.stem}/", lambda status, body: status == 404)
    deadline = time.monotonic() + 300
    while f"/{deleted.stem}/" in served_search_docs(base):
        assert time.monotonic() < deadline, "the deleted page stayed in the search index"
        time.sleep(0.5)
    assert_served_as_built(root, base, tmp_path / "after-delete")
    assert title not in get(base + "/cach-lam/")[1]


def replace_line(path: Path, field: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf"(?m)^{field}: .*$", f"{field}: {value}", text, count=1), encoding="utf-8")


def test_the_preview_watches_changes_not_reads(tmp_path):
    """Reading a watched file (every rebuild does; so do `git diff` and `handbook validate`) is no change:
    with inotify's open/close events counted, one save made the preview rebuild forever."""
    from watchdog.events import FileSystemEventHandler

    from generator.live import changes_observer

    record = tmp_path / "a.yaml"
    record.write_text("id: a\n", encoding="utf-8")
    seen = []
    handler = FileSystemEventHandler()
    handler.on_any_event = lambda event: seen.append(type(event).__name__)
    observer = changes_observer()
    observer.schedule(handler, str(tmp_path), recursive=True)
    observer.start()
    try:
        time.sleep(0.3)
        record.read_text(encoding="utf-8")
        time.sleep(1)
        assert seen == []
        record.write_text("id: b\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        while not seen and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "FileModifiedEvent" in seen
    finally:
        observer.stop()
        observer.join()
