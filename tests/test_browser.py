"""A real browser (Debian's chromium through Playwright) on the built site.

The mini handbook as a project, built once per run and served over HTTP on
127.0.0.1 (conftest.py: mini_url), so that an edit of data/ cannot fail these
tests. Never run `playwright install`: the tests use /usr/bin/chromium. Without
it they are skipped, unless HANDBOOK_REQUIRE_BROWSER=1 (set in CI), where a
missing browser is a failure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import yaml

from scratch import MINI

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000      # a ceiling for conditions, never a wait: a busy machine is slow, not wrong

DIRECTIVE = "huong-dan-38-hd-btctw-2010"
DIRECTIVE_URL = f"/van-ban/{DIRECTIVE}/"
DIRECTIVE_TITLE = "Hướng dẫn số 38-HD/BTCTW"

# Material's default theme font comes from Google Fonts; see test_requests_stay_local.


def applying_practice() -> dict:
    """The mini handbook's practice whose `directives:` include the 38-HD/BTCTW directive."""
    record = yaml.safe_load((MINI / "data" / "practices" / "tinh-a-chi-bo-bon-tot.yaml").read_text(encoding="utf-8"))
    assert DIRECTIVE in record["directives"]
    return record


# --- Fixtures -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def base_url(mini_url) -> str:
    return mini_url


@dataclass
class Tab:
    page: object
    base_url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    def h1(self) -> str:
        """The page heading's text, without Material's ¶ permalink."""
        return self.page.locator("article h1").evaluate(
            "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
            " return c.textContent.replace(/\\s+/g, ' ').trim(); }")

    def external(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname != "127.0.0.1"]


def open_tab(browser, base_url: str, **context_options) -> Tab:
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, base_url)
    page.on("request", lambda request: tab.requests.append(request.url))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.on("console", lambda message: tab.errors.append(message.text)
            if "Content Security Policy" in message.text else None)    # the theme itself must never trip it

    # Recorded above; never let a test reach the network (CI may have it, this must not).
    def local_only(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()
    context.route("**/*", local_only)
    return tab


@pytest.fixture
def tab(browser, base_url):
    tab = open_tab(browser, base_url)
    yield tab
    tab.page.context.close()


# --- Tests ------------------------------------------------------------------------------

def test_home_page(tab):
    from playwright.sync_api import expect

    tab.go("/")
    assert "Sổ tay" in tab.page.title()
    assert "Sổ tay" in tab.h1()
    expect(tab.page.locator(".md-tabs__link", has_text="Văn bản")).to_be_visible()
    assert tab.errors == []


def test_directive_to_practice_and_back(tab):
    from playwright.sync_api import expect

    practice = applying_practice()
    directive_link = f'article a[href$="van-ban/{DIRECTIVE}/"]'

    tab.go("/van-ban/")
    tab.page.locator("article a", has_text="38-HD/BTCTW").first.click()
    expect(tab.page).to_have_url(tab.base_url + DIRECTIVE_URL)
    assert DIRECTIVE_TITLE in tab.h1()

    # The backlink is computed from the practice's `directives:`; it is never typed.
    tab.page.locator("article a", has_text=practice["title"]).first.click()
    expect(tab.page).to_have_url(f"{tab.base_url}/cach-lam/{practice['id']}/")
    assert tab.h1() == practice["title"]

    tab.page.locator(directive_link).first.click()
    expect(tab.page).to_have_url(tab.base_url + DIRECTIVE_URL)
    assert DIRECTIVE_TITLE in tab.h1()
    assert tab.errors == []


def test_search_finds_directive_by_number(tab):
    from playwright.sync_api import expect

    tab.go("/")
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("38-HD/BTCTW")
    box.press("End")     # Material reads the query on keyup
    # Results follow the typing: wait for the whole query's answer, not the first syllable's.
    first = tab.page.locator(".md-search-result__item a").first
    expect(first).to_have_attribute("href", re.compile(re.escape(DIRECTIVE_URL) + r"\?h=38\+HD\+BTCTW$"))
    assert tab.errors == []


def search_for(tab, query: str):
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")     # Material reads the query on keyup
    return tab.page.locator(".md-search-result__meta")


def test_search_results_say_what_they_are_and_how_many(browser, real_url):
    """A reader scanning results sees each page's kind and number; a count that is only the cap says
    "hơn 30"; an off-topic question is told that nothing matches, not shown the nearest syllables."""
    from playwright.sync_api import expect

    tab = open_tab(browser, real_url)
    try:
        tab.go("/")
        search_for(tab, "38-HD/BTCTW")
        first = tab.page.locator(".md-search-result__item").first
        expect(first.locator(".hb-result-kind")).to_have_text(re.compile(r"^Văn bản · 38-HD/BTCTW"))
        expect(search_for(tab, "đảng viên")).to_have_text("Hơn 30 tài liệu liên quan")
        expect(search_for(tab, "giá vàng hôm nay")).to_have_text("Không tìm thấy tài liệu liên quan")
        expect(tab.page.locator(".md-search-result__item")).to_have_count(1)
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_abbreviation_has_tooltip(tab):
    from playwright.sync_api import expect

    tab.go(DIRECTIVE_URL)
    abbr = tab.page.locator('article abbr[title="Ban Tổ chức Trung ương"]', has_text="BTCTW").first
    expect(abbr).to_have_text("BTCTW")
    abbr.hover()     # Material's content.tooltips shows its own tooltip
    expect(tab.page.locator(".md-tooltip2--active")).to_contain_text("Ban Tổ chức Trung ương")


def test_record_page_fits_a_phone(browser, base_url, tmp_path):
    """No sideways scrolling on a 390×844 phone; the screenshot is kept for a human to look at."""
    tab = open_tab(browser, base_url, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                   is_mobile=True, has_touch=True)
    try:
        for path in (DIRECTIVE_URL, f"/cach-lam/{applying_practice()['id']}/"):
            tab.go(path)
            width = tab.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px phone"
            tab.page.screenshot(path=str(tmp_path / (path.strip("/").replace("/", "_") + ".png")), full_page=True)
        assert tab.errors == []
    finally:
        tab.page.context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_record_title_is_the_strongest_text_with_no_gap_under_it(browser, base_url, width):
    """The title in the body text's colour (not Material's pale grey) and bold; what follows it
    starts close below it on a phone, not a screen's tenth further down."""
    tab = open_tab(browser, base_url, viewport={"width": width, "height": 844}, device_scale_factor=2,
                   is_mobile=True, has_touch=True)
    try:
        tab.go(DIRECTIVE_URL)
        found = tab.page.evaluate("""() => {
            const h1 = document.querySelector('article h1'), next = h1.nextElementSibling;
            const texts = [...document.querySelectorAll('article p, article li, article td')]
                .map(e => getComputedStyle(e).color);
            return {color: getComputedStyle(h1).color, weight: +getComputedStyle(h1).fontWeight,
                    body: getComputedStyle(document.querySelector('article')).color, texts,
                    gap: next.getBoundingClientRect().top - h1.getBoundingClientRect().bottom,
                    size: parseFloat(getComputedStyle(h1).fontSize)}; }""")
        alpha = lambda color: float(color.rstrip(")").split(",")[3]) if color.startswith("rgba") else 1.0
        assert found["color"] == found["body"], found
        assert all(alpha(found["color"]) >= alpha(c) for c in found["texts"]), found   # no text darker than it
        assert found["weight"] >= 600, found
        assert found["gap"] <= 1.0 * found["size"], found
    finally:
        tab.page.context.close()


def test_requests_stay_local(tab):
    """Every request the pages make goes to the local server."""
    practice = applying_practice()
    for path in ("/", "/van-ban/", DIRECTIVE_URL, f"/cach-lam/{practice['id']}/"):
        tab.go(path)
        tab.page.wait_for_load_state("load")
    box = tab.page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("sinh hoạt chi bộ")
    box.press("End")
    tab.page.locator(".md-search-result__item").first.wait_for()

    assert any(url.endswith("/search/search_index.json") for url in tab.requests)
    assert tab.external() == []


def test_policy_stops_a_payload_that_got_through(tab):
    """Defence in depth: were markup ever to reach a page, its handler would not run."""
    tab.go(DIRECTIVE_URL)
    assert tab.page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    ran = tab.page.evaluate("""() => new Promise(done => {
        window.__ran = false;
        document.querySelector("article").insertAdjacentHTML("beforeend",
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.__ran = true">' +
            '<a id="js" href="javascript:window.__ran = true">x</a>');
        document.getElementById("js").click();
        setTimeout(() => done(window.__ran), 300);
    })""")
    assert ran is False
    assert any("Content Security Policy" in e for e in tab.errors)


# --- Reader pages (issue 12) -------------------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SIDEWAYS = """() => [document.documentElement, ...document.querySelectorAll('article *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 &&
               (e === document.documentElement || ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)))
  .map(e => e.tagName + '.' + e.className)"""


def test_directive_index_fits_a_phone_and_filters_by_keyboard(browser, base_url):
    from playwright.sync_api import expect

    tab = open_tab(browser, base_url, **PHONE)
    try:
        tab.go("/van-ban/")
        assert tab.page.evaluate(SIDEWAYS) == [], "something scrolls sideways on a 390px phone"
        cards = tab.page.locator("article li:has(span.hb-facets)")
        total = cards.count()
        count = tab.page.locator("form.hb-filters output")
        expect(count).to_have_text(f"Đang hiện {total}/{total} văn bản")
        # The facts a card shows (issuer, level, place) are on screen, not cut off.
        first = tab.page.locator("article span.hb-facets").first
        box = first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390

        # From the top of the page, the keyboard alone reaches the first filter and chooses a type.
        kind = tab.page.get_by_label("Loại văn bản")
        for _ in range(80):
            tab.page.keyboard.press("Tab")
            if kind.evaluate("e => e === document.activeElement"):
                break
        else:
            raise AssertionError("the filters cannot be reached with Tab")
        tab.page.keyboard.press("ArrowDown")
        chosen = kind.input_value()
        assert chosen, "ArrowDown on the focused filter chose nothing"
        shown = [c for c in cards.all() if c.is_visible()]
        assert 0 < len(shown) < total
        assert {c.locator("span.hb-facets").get_attribute("data-loai") for c in shown} == {chosen}
        expect(count).to_have_text(f"Đang hiện {len(shown)}/{total} văn bản")
        # Year headings left without a document are hidden too.
        for heading in tab.page.locator("article h2").all():
            if heading.is_visible():
                assert heading.locator("xpath=following-sibling::ul[1]/li[not(@hidden)]").count() > 0

        # Tab on to "Bỏ lọc" and press it: everything is back.
        reset = tab.page.get_by_role("button", name="Bỏ lọc")
        for _ in range(10):
            tab.page.keyboard.press("Tab")
            if reset.evaluate("e => e === document.activeElement"):
                break
        tab.page.keyboard.press("Enter")
        expect(count).to_have_text(f"Đang hiện {total}/{total} văn bản")
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_directive_index_lists_everything_without_script(browser, base_url):
    tab = open_tab(browser, base_url, java_script_enabled=False, **PHONE)
    try:
        tab.go("/van-ban/")
        cards = tab.page.locator("article li:has(span.hb-facets)")
        assert cards.count() > 0 and all(c.is_visible() for c in cards.all())
        assert tab.page.locator("form.hb-filters").count() == 0
    finally:
        tab.page.context.close()


def test_directive_filters_are_kept_in_the_address(browser, base_url):
    """A filtered list can be bookmarked or sent: the address carries the choices, and opens with them."""
    from urllib.parse import parse_qs, quote, urlsplit

    from playwright.sync_api import expect

    tab = open_tab(browser, base_url, viewport={"width": 1280, "height": 900})
    try:
        tab.go("/van-ban/")
        cards = tab.page.locator("article li:has(span.hb-facets)")
        total = cards.count()
        kinds = sorted({c.get_attribute("data-loai") for c in tab.page.locator("article span.hb-facets").all()})
        chosen = kinds[-1]
        tab.page.get_by_label("Loại văn bản").select_option(chosen)
        assert parse_qs(urlsplit(tab.page.url).query) == {"loai": [chosen]}

        tab.go("/van-ban/?loai=" + quote(unicodedata.normalize("NFD", chosen)) + "&nam=khong-co-nam-nay")
        # an address typed with combining marks reads as the same choice; an unknown value is ignored
        expect(tab.page.get_by_label("Loại văn bản")).to_have_value(chosen)
        expect(tab.page.get_by_label("Năm ban hành")).to_have_value("")
        shown = [c for c in cards.all() if c.is_visible()]
        assert 0 < len(shown) < total
        assert {c.locator("span.hb-facets").get_attribute("data-loai") for c in shown} == {chosen}

        tab.page.get_by_role("button", name="Bỏ lọc").click()
        expect(tab.page.locator("form.hb-filters output")).to_have_text(f"Đang hiện {total}/{total} văn bản")
        assert "loai=" not in tab.page.url
        assert tab.errors == []
    finally:
        tab.page.context.close()


def test_record_page_says_where_it_belongs(browser, base_url):
    from playwright.sync_api import expect

    tab = open_tab(browser, base_url, viewport={"width": 1280, "height": 900})
    try:
        tab.go(DIRECTIVE_URL)
        expect(tab.page.locator(".md-tabs__item--active")).to_have_text("Văn bản")
        crumb = tab.page.locator("article > p:has(+ h1)")
        expect(crumb).to_have_text("Văn bản › Hướng dẫn số 38-HD/BTCTW")
        crumb.locator("a").click()
        expect(tab.page).to_have_url(tab.base_url + "/van-ban/")
        tab.go("/tinh-thanh/tinh-a/")
        expect(tab.page.locator(".md-tabs__item--active")).to_have_text("Tỉnh, thành")
        assert tab.errors == []
    finally:
        tab.page.context.close()
