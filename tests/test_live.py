"""`handbook serve` in the field and the local servers' rule (issue 26, classes 7 and 8).

The preview keeps serving whatever happens to the files it shows: data/ replaced, an invalid
mkdocs.yml, a busy port. It and the form editor's local backend answer only pages opened on this
machine: a DNS-rebinding request (Host: evil.example) or a write from another site gets 403
and changes nothing."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import unavailable
from generator import cms
from generator.local_server import guard, refusal
from scratch import copy_project, site_project
from test_serve import PAGE, RECORD, free_port, wait_for

CLI = [sys.executable, "-m", "generator.cli"]


def request(url: str, *, method: str = "GET", headers: dict | None = None, body: bytes | None = None):
    """(status, text) of one request; a server that does not answer within 30 s fails the test."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method=method, headers=headers or {}),
                                    timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def served(tmp_path):
    root = copy_project(tmp_path / "project")
    port = free_port()
    process = subprocess.Popen([*CLI, "-C", str(root), "serve", "-a", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        yield root, f"http://127.0.0.1:{port}", port, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        log = process.communicate(timeout=30)[1].decode("utf-8", "replace")
        print(log[-5000:])


def _ready(base: str) -> None:
    wait_for(base + PAGE, lambda status, body: status == 200 and "Sinh hoạt chi bộ" in body, seconds=180)


def test_an_invalid_configuration_is_a_vietnamese_page_and_recovers(served):
    root, base, port, process = served
    _ready(base)
    config = root / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    for broken in (good + "\ntheme: [\n", good.replace("theme:", "theme_khong_co:\ntheme:", 1) + "\nplugins: 3\n"):
        config.write_text(broken, encoding="utf-8")
        page = wait_for(base + PAGE, lambda status, body: "mkdocs.yml có lỗi cấu hình" in body, seconds=180)
        assert "livereload" in page        # it reloads by itself on the next save
        status, other = request(base + "/van-ban/")     # every page answers, none waits
        assert status == 500 and "mkdocs.yml có lỗi cấu hình" in other
        config.write_text(good, encoding="utf-8")
        _ready(base)
    (root / RECORD).write_text((root / RECORD).read_text(encoding="utf-8").replace(
        "name: Sinh hoạt chi bộ", "name: Sinh hoạt chi bộ định kỳ", 1), encoding="utf-8")
    wait_for(base + PAGE, lambda status, body: "Sinh hoạt chi bộ định kỳ" in body, seconds=180)
    os.killpg(process.pid, signal.SIGTERM)
    assert "Traceback" not in process.communicate(timeout=30)[1].decode("utf-8", "replace")


def test_data_replaced_is_watched_again(served, tmp_path):
    """A folder moved away and back, then replaced as `git checkout` of another branch does it."""
    root, base, port, process = served
    _ready(base)
    data, away = root / "data", tmp_path / "away"
    data.rename(away)
    wait_for(base + PAGE, lambda status, body: "Không thấy thư mục data/" in body, seconds=180)
    away.rename(data)
    _ready(base)
    record = data / RECORD.removeprefix("data/")
    record.write_text(record.read_text(encoding="utf-8").replace("name: Sinh hoạt chi bộ", "name: Sinh hoạt chi bộ (1)", 1),
                      encoding="utf-8")
    wait_for(base + PAGE, lambda status, body: "Sinh hoạt chi bộ (1)" in body, seconds=180)
    branch = tmp_path / "branch"
    shutil.copytree(data, branch)
    (branch / RECORD.removeprefix("data/")).write_text(record.read_text(encoding="utf-8").replace(
        "name: Sinh hoạt chi bộ (1)", "name: Sinh hoạt chi bộ (2)", 1), encoding="utf-8")
    shutil.rmtree(data)
    branch.rename(data)
    wait_for(base + PAGE, lambda status, body: "Sinh hoạt chi bộ (2)" in body, seconds=180)
    record.write_text(record.read_text(encoding="utf-8").replace("name: Sinh hoạt chi bộ (2)", "name: Sinh hoạt chi bộ (3)", 1), encoding="utf-8")
    wait_for(base + PAGE, lambda status, body: "Sinh hoạt chi bộ (3)" in body, seconds=180)


def test_the_preview_answers_only_its_own_pages(served):
    root, base, port, process = served
    _ready(base)
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1"):
        status, body = request(base + PAGE, headers={"Host": host})
        assert status == 403 and "chính máy này" in body, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert request(base + PAGE, headers={"Host": host})[0] == 200
    assert request(base + PAGE, method="POST", body=b"{}", headers={"Origin": "http://evil.example"})[0] == 403


def test_the_form_editors_page_is_served_without_the_reload_script(served):
    """/admin/ forbids inline scripts (its own policy): the reload script would only log an error there."""
    root, base, port, process = served
    _ready(base)
    status, page = request(base + PAGE)
    assert status == 200 and "/livereload/" in page
    status, admin = request(base + "/admin/")
    assert status == 200 and "Biên tập" in admin and "/livereload/" not in admin


def test_a_busy_port_or_an_open_address_is_said_before_building(tmp_path):
    root = site_project(tmp_path / "project")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run([*CLI, "-C", str(root), "serve", "-a", f"127.0.0.1:{port}"], capture_output=True,
                             text=True, timeout=120)
    assert run.returncode == 1 and f"cổng {port} đang được một chương trình khác dùng" in run.stderr
    assert "Building" not in run.stderr and "Traceback" not in run.stderr and not list(tmp_path.glob("mkdocs_*"))
    run = subprocess.run([*CLI, "-C", str(root), "serve", "-a", "0.0.0.0:8000"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and "không phải địa chỉ nội bộ" in run.stderr


# --- The rule, on its own --------------------------------------------------------------------------

def test_a_rebinding_request_never_reaches_the_backend():
    calls = []

    def backend(environ, start_response):
        calls.append(environ)
        start_response("200 OK", [])
        return [b"{}"]
    app = guard(lambda e, s: pytest.fail("not the API"), 8081, same_port_only=False, forward=backend)

    def call(method, host, origin=None):
        environ = {"REQUEST_METHOD": method, "PATH_INFO": "/api/v1", "HTTP_HOST": host,
                   "wsgi.input": io.BytesIO(b"{}"), "CONTENT_LENGTH": "2"}
        if origin:
            environ["HTTP_ORIGIN"] = origin
        answer = []
        app(environ, lambda status, headers: answer.append(status))
        return answer[0]
    assert call("POST", "evil.example:8081", "http://evil.example:8081").startswith("403")
    assert call("POST", "evil.example:8081").startswith("403")
    assert call("POST", "127.0.0.1:8081", "http://evil.example").startswith("403")
    assert call("POST", "127.0.0.1:8081", "null").startswith("403")
    assert not calls
    assert call("POST", "127.0.0.1:8081", "http://127.0.0.1:8000").startswith("200")
    assert call("POST", "localhost:8081").startswith("200")
    assert len(calls) == 2


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST:8000"])
def test_loopback_names_with_the_port_are_local(host):
    assert refusal("GET", host, None, 8000) is None
    assert refusal("GET", host.replace("8000", "8001"), None, 8000) is not None
    assert refusal("GET", host.replace(":8000", ".evil.example:8000"), None, 8000) is not None


# --- decap-server behind the handbook ---------------------------------------------------------------

def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def _state(root: Path) -> tuple:
    return (git(root, "status", "--porcelain"), git(root, "branch", "--list"),
            (root / ".git" / "config").read_bytes(), git(root, "rev-parse", "HEAD"))


def test_the_form_editors_backend_refuses_a_rebinding_request_and_writes_nothing(tmp_path):
    if not cms.decap_server().is_file() or shutil.which("node") is None:
        unavailable("decap-server is not installed (python -m generator.cms --server)")
    root = site_project(tmp_path / "project")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "Sổ tay")
    port = free_port()
    process = subprocess.Popen([*CLI, "-C", str(root), "cms-local", "-a", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api/v1"
    info = json.dumps({"action": "info"}).encode()
    try:
        wait_for(api, lambda status, body: status == 404, seconds=120)       # a GET: only POST /api/v1 is the API
        before = _state(root)
        persist = json.dumps({"action": "persistEntry", "params": {
            "branch": "main", "entry": {"slug": "x", "path": ".git/config", "raw": "[core]\n\tfsmonitor = touch pwned\n"},
            "assets": [], "options": {"commitMessage": "x", "useWorkflow": False}}}).encode()
        json_type = {"Content-Type": "application/json"}
        for headers in ({"Host": f"evil.example:{port}"}, {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
                        {"Origin": "http://evil.example"}, {"Origin": "null"}):
            status, body = request(api, method="POST", body=persist, headers={**json_type, **headers})
            assert status == 403, (headers, body)
        assert _state(root) == before and not (root / "pwned").exists()
        status, body = request(api, method="POST", body=info, headers={**json_type, "Origin": f"http://127.0.0.1:{port - 1}"})
        assert status == 200 and json.loads(body)["type"] == "local_git"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


# What live.py and site_search.py take from the engine beyond its plugins' API, checked on the engine
# the lock installs: (name, what it must be) on the live server, then the plugin collection's events.
ENGINE_PRIVATE = """
import importlib, json, sys, tempfile, threading
if sys.argv[1] == "properdocs-only":
    sys.modules["mkdocs"] = None        # `import mkdocs` fails, as if it were not installed
from generator import engine
server = importlib.import_module(engine.NAME + ".livereload").LiveReloadServer(
    builder=lambda: None, host="127.0.0.1", port=0, root=tempfile.mkdtemp())
events = getattr(importlib.import_module(engine.NAME + ".plugins").PluginCollection(), "events", None)
page = server._inject_js_into_html(b"<html><body><p>x</p></body></html>", server._visible_epoch)
print(json.dumps({
    "engine": engine.NAME,
    "watched": isinstance(getattr(server, "_watched_paths", None), dict),
    "refs": isinstance(getattr(server, "_watch_refs", None), dict),
    "want_rebuild": getattr(server, "_want_rebuild", None) is False,
    "rebuild_cond": isinstance(getattr(server, "_rebuild_cond", None), type(threading.Condition())),
    "inject": isinstance(page, bytes) and b"<script" in page and page.endswith(b"</html>"),
    "events": isinstance(events, dict) and "page_context" in events,
}))
"""


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs-only"])
def test_the_engines_private_names_the_preview_uses_are_there(engine):
    """live.py (the preview kept serving, file notices instead of polling) and site_search.py (Material's
    search reads no page) reach past the engine's plugin API; on an engine the locks allow, each name
    is there and is what they take it for. A lock that moves to an engine without them fails here."""
    env = {**os.environ, "HANDBOOK_ENGINE": "mkdocs" if engine == "mkdocs" else "properdocs"}
    done = subprocess.run([sys.executable, "-c", ENGINE_PRIVATE, engine], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found.pop("engine") == ("mkdocs" if engine == "mkdocs" else "properdocs")
    assert [name for name, there in found.items() if not there] == []
