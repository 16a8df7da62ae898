"""Search finds what cadres type: every query set, online and in the offline bundle, in chromium.

Targets (issue 11): the project's own set (queries.yaml) recall@5 = 100 % and
recall@1 ≥ 90 %; the independent sets recall@5 ≥ 95 %, recall@1 ≥ 85 % and
MRR@10 ≥ 0.9. `python tests/search_suite.py` prints the same figures with every
miss. The run takes a minute or two: the default `pytest` run leaves it out
(pyproject.toml: addopts); `pytest -m search_quality` runs it, and CI runs it
after the default run (.ci/run).
"""

import tempfile
from pathlib import Path

import pytest

from generator.cli import main as handbook
from search_suite import ROOT, _offline_bundle, load_suite, mrr, recall, report, run_queries, serve, suites

pytestmark = [pytest.mark.browser, pytest.mark.search_quality]

# recall@5, recall@1, MRR@10 at least.
# field-tune and field-heldout (issue 28): off-topic queries answered "nothing found", abbreviations
# typed with dots or in lowercase, figures with or without the thousands dot, readers' queries.
# defects-tune and defects-heldout (issue 28, the defects left): numbers and dates in a page's body,
# document numbers no page has, ordinary words that are abbreviations, off-topic prefixes, exact
# diacritics before folded ones, figures grouped by spaces.
TARGETS = {"queries": (1.0, 0.9, 0.9), "tune": (0.95, 0.85, 0.9), "heldout": (0.95, 0.85, 0.9),
           "field-tune": (0.93, 0.85, 0.9), "field-heldout": (0.93, 0.85, 0.9),
           "defects-tune": (0.93, 0.85, 0.9), "defects-heldout": (0.93, 0.85, 0.9)}


@pytest.fixture(scope="module")
def built():
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        assert handbook(["-C", str(ROOT), "build", "-d", str(site)]) == 0
        server, url = serve(site)
        bundle = _offline_bundle(Path(tmp), handbook)
        assert bundle is not None
        try:
            yield {"online": url, "offline": bundle.as_uri()}
        finally:
            server.shutdown()


def test_query_sets_are_large_and_cover_every_category():
    cases = load_suite()
    assert len(cases) >= 40
    assert {c.category for c in cases} == {"co-dau", "khong-dau", "tron", "so-hieu", "viet-tat", "dia-danh"}
    independent = [c for name in ("tune", "heldout") if name in suites() for c in load_suite(suites()[name])]
    assert {"cau-hoi", "go-sai", "tien-to", "viet-tat", "dia-danh"} <= {c.category for c in independent}


@pytest.mark.parametrize("where", ["online", "offline"])
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_query_set(built, browser, name, where):
    if name not in suites():
        pytest.skip(f"tests/search/{name}.yaml is not there")
    outcomes = run_queries(browser.new_page(bypass_csp=True), built[where], load_suite(suites()[name]))
    text = report(f"{name}, {where}", outcomes)
    at5, at1, reciprocal = TARGETS[name]
    assert recall(outcomes, 5) >= at5, text
    assert recall(outcomes, 1) >= at1, text
    assert mrr(outcomes) >= reciprocal, text


def test_same_results_online_and_from_file(built, browser):
    cases = load_suite(suites()["tune"])[::4]
    online = [o.results[:10] for o in run_queries(browser.new_page(bypass_csp=True), built["online"], cases)]
    offline = [o.results[:10] for o in run_queries(browser.new_page(bypass_csp=True), built["offline"], cases)]
    assert online == offline


@pytest.mark.parametrize("where", ["online", "offline"])
def test_nothing_found_is_said_in_vietnamese_with_a_way_on(built, browser, where):
    page = browser.new_page(bypass_csp=True)
    page.goto(built[where])
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("nghxax")
    box.press("End")
    page.wait_for_selector(".md-search-result__item")
    item = page.locator(".md-search-result__item").first
    assert "Không tìm thấy trang nào khớp với “nghxax”" in item.inner_text()
    assert "Có thể gõ nhầm; thử:" in item.inner_text()       # a word no page holds: its nearest spellings
    assert "thuat-ngu/" in item.locator("a").first.get_attribute("href")
    # The way on is one item, yet the header must not count it as a page found.
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text="Không tìm thấy tài liệu liên quan").wait_for()
    assert "1 tài liệu" not in meta.inner_text()


def test_scripts_come_from_the_site_only(built, browser):
    """No inline script and no other host: the pages' Content-Security-Policy can forbid both."""
    page = browser.new_page(bypass_csp=True)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(built["offline"])
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("chi bộ")
    box.press("End")
    page.wait_for_selector(".md-search-result__item")
    assert all(url.startswith(("file://", "data:")) for url in requests), requests
    assert any("/search/hb/" in url for url in requests)
