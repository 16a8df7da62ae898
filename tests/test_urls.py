"""URLs as browsers read them: whatever survives the sanitiser leads where it looks like it leads,
online and from an offline bundle (WHATWG URL parsing, by ada, the parser Node.js uses)."""

from __future__ import annotations

import html
import re

import ada_url
from hypothesis import example, given
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
