"""Shared fixtures: one real browser for every browser test.

Debian's chromium, driven by Playwright for Python; never `playwright install`.
Without chromium the browser tests are skipped, unless HANDBOOK_REQUIRE_BROWSER=1
(set in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def unavailable(reason: str) -> None:
    if os.environ.get("HANDBOOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HANDBOOK_REQUIRE_BROWSER=1 but {reason}; install Debian's chromium package "
                    "(apt-get install chromium) and the test extra (pip install -e '.[test]')", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
