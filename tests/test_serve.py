"""`handbook serve` while an editor works: a data error is a page, never a hanging request."""

from __future__ import annotations

import os
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
    """One request; a server that does not answer within 15 s fails the test."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def wait_for(url: str, predicate, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            status, body = get(url)
            if predicate(status, body):
                return body
        except (urllib.error.URLError, ConnectionError):
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
