"""Accessibility: WCAG 2.1 AA on one page of every kind, and the keyboard.

Readers include cadres with poor eyesight, on cheap phones in sunlight, and
screen-reader users. axe-core (tests/axe.py) checks one page of every kind of
the real site at a phone's and a desktop's width (conftest.py: real_url, built
once per run); the keyboard tests do what a reader without a mouse does: open the
search, reach each control and each abbreviation's tooltip, scroll a wide table,
on the mini handbook's site as in test_browser.py.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axe import WIDTHS, require_axe, violations
from test_browser import DIRECTIVE_URL, base_url, open_tab  # noqa: F401  (fixture)

browser_test = pytest.mark.browser


#: Whether the focused element is shown: on screen, not faded out nor covered.
ON_SCREEN = """() => {
    const e = document.activeElement, r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0 || r.bottom <= 0
        || r.left >= innerWidth || r.top >= innerHeight) return false;
    for (let a = e; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.visibility !== 'visible' || Number(style.opacity) === 0) return false;
    }
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    return !!hit && (e.contains(hit) || hit.contains(e));
}"""


class NavLinks(HTMLParser):
    """The pages a built page's navigation links to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "md-nav__link" in (attrs.get("class") or "").split() and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def pages_of_every_kind(site: Path) -> list[str]:
    """Home, 404, every page of the navigation (section indexes, editors' guide), every
    hand-written page, and for each section of the built site its largest page: the record
    of that kind with the most in it (relations, diagrams, tables). Read from the built site,
    so that kinds and pages added later are covered."""
    urls = {"/", "/404.html"}
    content = site.parent / "content"
    for page in content.rglob("*.md"):
        path = page.relative_to(content).with_suffix("").as_posix().removesuffix("index").removesuffix("/")
        urls.add(f"/{path}/" if path else "/")
    # the navigation as each hand-written page shows it: the editors' guide lists its pages only there
    for url in sorted(urls - {"/404.html"}):
        nav = NavLinks()
        nav.feed((site / url.strip("/") / "index.html").read_text(encoding="utf-8"))
        urls |= {urljoin(url, href) for href in nav.hrefs if not href.startswith("#")}
    for section in (d for d in site.iterdir() if (d / "index.html").is_file()):
        urls.add(f"/{section.name}/")
        records = [d for d in section.iterdir() if (d / "index.html").is_file()]
        if records:
            largest = max(records, key=lambda d: ((d / "index.html").stat().st_size, d.name))
            urls.add(f"/{section.name}/{largest.name}/")
    return sorted(urls)


@pytest.fixture
def width_tab(browser, base_url):
    """A tab at a width ("desktop", "phone"), with the pages' Content-Security-Policy as readers
    get it, so that what the keyboard tests use (keyboard.js, Material) runs as it would for them."""
    tabs = []

    def open_at(width: str, url: str = base_url, **options):
        tabs.append(open_tab(browser, url, **WIDTHS[width], **options))
        return tabs[-1]
    yield open_at
    for tab in tabs:
        tab.page.context.close()


@pytest.fixture
def axe_tab(width_tab, base_url):
    """A tab at a width whose pages accept the injected axe script: the policy is bypassed for
    these checks only (see tests/axe.py)."""
    require_axe()
    return lambda width, url=base_url: width_tab(width, url, bypass_csp=True)


# --- axe-core --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(real_project) -> Path:
    return real_project / "site"


def test_pages_of_every_kind_are_found(site):
    pages = pages_of_every_kind(site)
    sections = [d.name for d in site.iterdir() if (d / "index.html").is_file()]
    assert {"/", "/404.html", "/bien-tap/", "/bien-tap/ma-loi/", "/thuat-ngu/"} <= set(pages)
    for section in sections:
        assert f"/{section}/" in pages
    # One record of each kind: a page one level below each section that has records.
    assert len([p for p in pages if p.count("/") == 3]) >= 8, pages


@browser_test
@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_meets_wcag_21_aa(axe_tab, site, real_url, width):
    tab = axe_tab(width, real_url)
    found = []
    for path in pages_of_every_kind(site):
        response = tab.page.goto(tab.base_url + path)
        assert response is not None and (response.ok or path == "/404.html"), path
        assert tab.page.evaluate("document.documentElement.lang") == "vi", path
        found += violations(tab.page, path)
    assert found == [], "\n".join(found)


@browser_test
def test_axe_reports_what_fails(axe_tab):
    """The check can fail: a pale link inside a paragraph breaks two AA rules."""
    tab = axe_tab("desktop")
    tab.go(DIRECTIVE_URL)
    tab.page.evaluate("""() => {
        const p = document.createElement('p');
        p.append('Chữ thường ', Object.assign(document.createElement('a'), {href: '#', textContent: 'liên kết'}),
                 ' rồi chữ thường.');
        p.style.color = '#777';
        p.lastElementChild.style.cssText = 'color: #999; text-decoration: none';
        document.querySelector('article').append(p);
    }""")
    rules = {line.split(": ", 1)[1].split(" ", 1)[0] for line in violations(tab.page, DIRECTIVE_URL)}
    assert {"color-contrast", "link-in-text-block"} <= rules


@browser_test
@pytest.mark.parametrize("width", WIDTHS)
def test_search_results_meet_wcag_21_aa(axe_tab, width):
    tab = axe_tab(width)
    tab.go(DIRECTIVE_URL)
    tab.page.keyboard.press("/")
    type_query(tab.page, "sinh hoat chi bo")
    tab.page.locator(".md-search-result__item").first.wait_for()
    # Results fade in: measured mid-transition, their grey is lighter than it ends up.
    tab.page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=60_000)
    found = violations(tab.page, "search results")
    assert found == [], "\n".join(found)


@browser_test
def test_phone_navigation_drawer_meets_wcag_21_aa(axe_tab):
    """The drawer, open on a section panel as focus puts it (keyboard.js)."""
    tab = axe_tab("phone")
    tab.go(DIRECTIVE_URL)
    tab.page.locator(".md-sidebar--primary .md-nav[data-md-level='1'] a.md-nav__link").first.focus()
    tab.page.wait_for_function(ON_SCREEN, timeout=60_000)
    found = violations(tab.page, "drawer")
    assert found == [], "\n".join(found)


# --- Keyboard --------------------------------------------------------------------------------

def type_query(page, query: str) -> None:
    """Type into the focused search box, then one key: Material searches on keyup, and a
    search per letter re-renders the results under the arrow keys."""
    page.keyboard.insert_text(query)
    page.keyboard.press("End")


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), cls: e.className || '', title: e.getAttribute('title'),
                href: e.getAttribute('href'), mark: e.dataset.a11yMark || null}; }""")


@browser_test
@pytest.mark.parametrize("width", WIDTHS)
def test_search_by_keyboard_alone(width_tab, width):
    """"/" opens the search from anywhere; type, arrow down to a result, Enter opens it."""
    from playwright.sync_api import expect

    tab = width_tab(width)
    tab.go(DIRECTIVE_URL)
    tab.page.keyboard.press("/")
    assert "md-search__input" in focused(tab.page)["cls"]
    type_query(tab.page, "sinh hoat chi bo")
    expect(tab.page.locator(".md-search-result__item").first).to_be_visible()
    tab.page.keyboard.press("ArrowDown")
    result = focused(tab.page)
    assert "md-search-result__link" in result["cls"], result
    tab.page.keyboard.press("Enter")
    expect(tab.page).to_have_url(result["href"])


@browser_test
def test_search_box_is_in_the_tab_order(width_tab):
    tab = width_tab("desktop")
    tab.go(DIRECTIVE_URL)
    for _ in range(5):
        tab.page.keyboard.press("Tab")
        if "md-search__input" in focused(tab.page)["cls"]:
            break
    else:
        raise AssertionError("five Tabs from the top of the page did not reach the search box")
    type_query(tab.page, "38-HD/BTCTW")
    tab.page.locator(".md-search-result__item").first.wait_for()


@browser_test
@pytest.mark.parametrize("width", WIDTHS)
def test_abbreviation_tooltip_by_keyboard(width_tab, width):
    """Tab reaches an abbreviation, and Material shows its expansion as it takes focus."""
    from playwright.sync_api import expect

    tab = width_tab(width)
    tab.go(DIRECTIVE_URL)
    # Material moves the title into its tooltip when the element takes focus: keep it first.
    tab.page.evaluate("document.querySelectorAll('abbr[title]').forEach(a => { a.dataset.expansion = a.title; })")
    for _ in range(80):
        tab.page.keyboard.press("Tab")
        if (element := focused(tab.page))["tag"] == "abbr":
            break
    else:
        raise AssertionError(f"80 Tabs on {DIRECTIVE_URL} did not reach an abbreviation")
    expansion = tab.page.evaluate("document.activeElement.dataset.expansion")
    assert expansion
    tooltip = tab.page.locator(".md-tooltip2--active")
    expect(tooltip).to_contain_text(expansion)
    # Screen readers hear the expansion too: the focused abbreviation is described by the tooltip.
    assert tab.page.evaluate("document.activeElement.getAttribute('aria-describedby')") == tooltip.get_attribute("id")


@browser_test
@pytest.mark.parametrize("path", ["/", "/van-ban/", DIRECTIVE_URL, "/thuat-ngu/"])
def test_tab_reaches_every_control_of_the_page(width_tab, path):
    """Every link, field, button and focusable abbreviation shown in the article is reached by
    Tab, in a finite number of presses (no keyboard trap)."""
    tab = width_tab("desktop")
    tab.go(path)
    controls = tab.page.evaluate("""() => {
        const shown = e => e.checkVisibility() && e.getClientRects().length > 0;
        const all = [...document.querySelectorAll('article :is(a[href], button, input, select, textarea, summary, '
                                                  + '[tabindex]:not([tabindex="-1"]))')].filter(shown);
        all.forEach((e, i) => { e.dataset.a11yMark = String(i); });
        return all.length; }""")
    assert controls > 0
    reached = set()
    for _ in range(controls + 80):     # the header, tabs and sidebars come first
        tab.page.keyboard.press("Tab")
        if (mark := focused(tab.page)["mark"]) is not None:
            reached.add(int(mark))
        if len(reached) == controls:
            break
    missed = tab.page.evaluate("""marks => [...document.querySelectorAll('[data-a11y-mark]')]
        .filter(e => !marks.includes(Number(e.dataset.a11yMark))).map(e => e.outerHTML.slice(0, 120))""",
                               sorted(reached))
    assert missed == []


@browser_test
@pytest.mark.parametrize("width", WIDTHS)
def test_focus_is_always_on_screen(width_tab, width):
    """Each Tab stop through a whole page is shown where the reader can see it: on phones the
    navigation drawer and its section panels open while focus is in them (keyboard.js)."""
    from playwright.sync_api import TimeoutError

    tab = width_tab(width)
    tab.go(DIRECTIVE_URL)
    hidden, stops = [], 0
    while stops < 150:
        tab.page.keyboard.press("Tab")
        element = focused(tab.page)
        if element["tag"] == "body":      # back at the start: the whole page is done
            break
        stops += 1
        try:        # Material's drawer and panels slide in over 0.25 s
            tab.page.wait_for_function(ON_SCREEN, timeout=30_000)
        except TimeoutError:
            hidden.append(tab.page.evaluate("document.activeElement.outerHTML.slice(0, 150)"))
    assert stops > 20
    assert hidden == []
    assert tab.errors == []


@browser_test
def test_wide_table_scrolls_by_keyboard(width_tab):
    """A table wider than the phone scrolls in a box that takes focus; arrows scroll it.
    On a desktop, where the table fits, the box is no Tab stop."""
    tab = width_tab("phone")
    tab.go("/bien-tap/truong-du-lieu/")
    wrap = tab.page.locator(".md-typeset__scrollwrap").first
    # Widen the first table past the screen, as a long unbreakable value would.
    wrap.locator("td code").first.evaluate("code => { code.textContent = 'x'.repeat(120); }")
    tab.page.evaluate("window.dispatchEvent(new Event('resize'))")
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("aria-label")
    wrap.focus()
    tab.page.keyboard.press("ArrowRight")
    tab.page.wait_for_function("e => e.scrollLeft > 0", arg=wrap.element_handle())

    tab.page.set_viewport_size({"width": 1366, "height": 768})
    tab.page.locator("td code").first.evaluate("code => { code.textContent = 'id'; }")
    tab.page.evaluate("window.dispatchEvent(new Event('resize'))")
    assert tab.page.locator(".md-typeset__scrollwrap[tabindex]").count() == 0
    assert tab.errors == []


# --- Focusable abbreviations (no browser) ---------------------------------------------------------

def html(text: str) -> str:
    return markdown.markdown(text, extensions=["abbr", "generator.abbr_focus"])


def test_first_abbreviation_of_each_kind_takes_focus():
    page = html("BTCTW và HĐND, rồi BTCTW lần nữa.\n\n*[BTCTW]: Ban Tổ chức Trung ương\n*[HĐND]: Hội đồng nhân dân")
    assert page.count('<abbr tabindex="0" title="Ban Tổ chức Trung ương">BTCTW</abbr>') == 1
    assert page.count('<abbr title="Ban Tổ chức Trung ương">BTCTW</abbr>') == 1
    assert page.count('<abbr tabindex="0" title="Hội đồng nhân dân">HĐND</abbr>') == 1


def test_abbreviation_inside_a_link_is_not_a_second_control():
    page = html("[Hướng dẫn BTCTW](x.md) rồi BTCTW.\n\n*[BTCTW]: Ban Tổ chức Trung ương")
    assert '<a href="x.md">Hướng dẫn <abbr title="Ban Tổ chức Trung ương">BTCTW</abbr></a>' in page
    assert 'rồi <abbr tabindex="0" title="Ban Tổ chức Trung ương">BTCTW</abbr>' in page


ABBREVIATIONS = {"BTCTW": "Ban Tổ chức Trung ương", "HĐND": "Hội đồng nhân dân", "QĐ": "Quyết định"}
PIECES = [*ABBREVIATIONS, "chữ", "Đảng bộ", "[BTCTW](a.md)", "[văn bản HĐND](b.md)", "**QĐ**", "\n\n"]


@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_each_abbreviation_outside_links_takes_focus_once(pieces):
    """Whatever an editor writes: each abbreviation used outside a link has exactly one Tab stop,
    the first, and no abbreviation inside a link has one."""
    text = " ".join(pieces) + "\n\n" + "\n".join(f"*[{a}]: {e}" for a, e in ABBREVIATIONS.items())
    tree = ElementTree.fromstring(f"<div>{html(text)}</div>")
    outside = [a for a in tree.iter("abbr") if a not in {x for link in tree.iter("a") for x in link.iter("abbr")}]
    for abbr in ABBREVIATIONS:
        used = [a for a in outside if a.text == abbr]
        stops = [a for a in used if a.get("tabindex") == "0"]
        assert stops == used[:1]
    assert not [a for link in tree.iter("a") for a in link.iter("abbr") if a.get("tabindex")]
