"""Shared fixtures: one real browser for every browser test, and each site built once per run.

Debian's chromium, driven by Playwright for Python; never `playwright install`.
Without chromium the browser tests are skipped, unless HANDBOOK_REQUIRE_BROWSER=1
(set in CI), where a missing browser is a failure.

The sites are built once per test run and shared by every test that only reads them:
`mini_site`, the mini handbook (tests/fixtures/mini/ and tests/fixtures/site/) as a whole
project, for the end-to-end tests; `real_site`, the project's own data, for the tests of
the real data and the accessibility of its pages. Tests must not modify them.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.cli import main
from scratch import copy_project, site_project

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def unavailable(reason: str) -> None:
    if os.environ.get("HANDBOOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HANDBOOK_REQUIRE_BROWSER=1 but {reason}; install Debian's chromium package "
                    "(apt-get install chromium) and the test extra (pip install -e '.[test]')", pytrace=False)
    pytest.skip(reason)


def node_asker(server: str, *args: str):
    """A node process running `server` (reads one JSON request a line, answers one a line), kept for
    a module's many property-test examples; yields the function that asks it. For the form editor's
    own scripts, checked against the Python they must agree with."""
    import json
    import subprocess

    process = subprocess.Popen(["node", "-e", server, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, encoding="utf-8")

    def ask(**request):
        process.stdin.write(json.dumps(request, ensure_ascii=True) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())
    try:
        yield ask
    finally:
        process.stdin.close()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    from playwright.sync_api import expect

    # Playwright's assertions wait 5 s by default, whatever a page's own timeout: a ceiling a busy
    # machine misses. They wait on a condition, so a generous ceiling costs nothing when it holds.
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- Sites built once --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def mini_project(tmp_path_factory) -> Path:
    """The mini handbook as a project, built with --strict into its site/."""
    root = site_project(tmp_path_factory.mktemp("mini-project"))
    assert main(["-C", str(root), "build", "--strict"]) == 0
    return root


@pytest.fixture(scope="session")
def real_project(tmp_path_factory) -> Path:
    """A copy of the project's own data, built with --strict into its site/."""
    root = copy_project(tmp_path_factory.mktemp("real-project"))
    assert main(["-C", str(root), "build", "--strict"]) == 0
    return root


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):   # keep test output clean
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1; its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def mini_url(mini_project) -> Iterator[str]:
    with serving(mini_project / "site") as url:
        yield url


@pytest.fixture(scope="session")
def real_url(real_project) -> Iterator[str]:
    with serving(real_project / "site") as url:
        yield url
