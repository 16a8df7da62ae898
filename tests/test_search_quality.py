"""Search finds what cadres type: the query suite, online and in the offline bundle.

Targets (issue "Vietnamese search"): recall@5 = 100% and recall@1 ≥ 90%.
`python tests/search_suite.py` prints the same figures with every miss.
"""

import tempfile
from pathlib import Path

import pytest

from generator.cli import main as handbook
from search_suite import ROOT, _offline_bundle, load_suite, recall, report, run_queries, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built():
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        assert handbook(["-C", str(ROOT), "build", "-d", str(site)]) == 0
        yield Path(tmp), site


def check(outcomes):
    text = report("kết quả", outcomes)
    assert recall(outcomes, 5) == 1.0, text
    assert recall(outcomes, 1) >= 0.9, text


def test_suite_is_large_and_covers_every_category():
    cases = load_suite()
    assert len(cases) >= 40
    assert {c.category for c in cases} == {"co-dau", "khong-dau", "tron", "so-hieu", "viet-tat", "dia-danh"}


def test_online(built, browser):
    _, site = built
    server, url = serve(site)
    try:
        check(run_queries(browser.new_page(), url, load_suite()))
    finally:
        server.shutdown()


def test_offline_bundle(built, browser):
    tmp, _ = built
    index = _offline_bundle(tmp, handbook)
    assert index is not None
    check(run_queries(browser.new_page(), index.as_uri(), load_suite()))
