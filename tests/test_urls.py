"""URLs as browsers read them: whatever survives the sanitiser leads where it looks like it leads,
online and from an offline bundle (WHATWG URL parsing, by ada, the parser Node.js uses)."""

from __future__ import annotations

import html
import re

import ada_url
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.sanitize import _BASES, _PLAIN_PATH, clean_content, same_site

URLISH = st.lists(st.one_of(st.sampled_from(["/", "\\", ".", "..", ":", "//", "\\\\", "evil.example", "a.png", "#x",
                                             "?q", "%2F", "%5C", "http", "https", "file", "javascript", "mailto",
                                             "\t", "\n", " ", "\x00", "\x1f", "@", "x"]),
                            st.characters(codec="utf-8")), max_size=12).map("".join)


def destinations(url: str) -> list[tuple[str, str] | None]:
    out = []
    for base, _, _ in _BASES:
        try:
            parsed = ada_url.URL(url, base)
            out.append((parsed.protocol, parsed.host))
        except ValueError:
            out.append(None)
    return out


@given(url=URLISH)
@example(url="/\\evil.example/a.png")
@example(url="\\\\evil.example\\b.png")
@example(url="/\t/evil.example/a.png")
def test_the_plain_path_shortcut_never_leaves_the_site(url):
    if _PLAIN_PATH.fullmatch(url):
        assert destinations(url) == [(scheme, host) for _, scheme, host in _BASES]


@given(url=URLISH, tag=st.sampled_from(["img", "a"]))
@example(url="/\\evil.example/a.png", tag="img")
@example(url="\\\\evil.example\\b.png", tag="img")
@example(url="/\\evil.example/", tag="a")
def test_what_survives_leads_to_the_site_or_is_a_web_link(url, tag):
    attribute = "src" if tag == "img" else "href"
    cleaned = clean_content(f'<{tag} {attribute}="{html.escape(url)}">x</{tag}>')
    kept = re.search(rf'{attribute}="([^"]*)"', cleaned)
    if kept is None:
        return
    value = html.unescape(kept.group(1))
    if tag == "img":
        assert same_site(value) and destinations(value) == [(s, h) for _, s, h in _BASES], value
    else:
        online, offline = destinations(value)
        site = destinations(value) == [(s, h) for _, s, h in _BASES]
        # Either the site itself, or one web or mail address wherever the page is read from
        # (never `file://another-machine/` from the bundle).
        assert site or (online == offline and online[0] in ("http:", "https:", "mailto:")), value


@pytest.fixture(scope="module")
def blank_page(browser):
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())      # nothing leaves the machine
    yield page
    page.close()


@pytest.mark.browser
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=URLISH)
@example(url="/\\evil.example/a.png")
@example(url="\\\\evil.example\\b.png")
@example(url="java\tscript:alert(1)")
@example(url="// /")
def test_the_parser_reads_addresses_as_chromium_does(blank_page, url):
    """Where an address leads (scheme and host) by ada is where chromium's `new URL` sends it, or
    chromium refuses it (it is stricter on a few file: addresses, `//#x`): never another place.
    An address ada refuses is dropped by the sanitiser, whatever chromium makes of it (`// /`)."""
    chromium = blank_page.evaluate("""([url, bases]) => bases.map(base => {
        try { const u = new URL(url, base); return [u.protocol, u.host]; } catch (e) { return null; }
    })""", [url, [base for base, _, _ in _BASES]])
    ours = [list(d) if d else None for d in destinations(url)]
    for by_ada, by_chromium in zip(ours, chromium):
        assert by_ada is None or by_chromium in (by_ada, None), url
