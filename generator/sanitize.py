"""The last boundary between what editors write and what readers' browsers run.

Record text is escaped where it enters Markdown (render.py). Whatever the
Markdown engine then makes of a page, its HTML passes through here: an
allow-list sanitiser (nh3, the Rust `ammonia`) keeps only the elements and
attributes a handbook page uses, only web, mail and same-site links, and only
same-site images. Then every finished page carries a Content-Security-Policy
that allows the theme's own scripts (files of the site, and its two inline
scripts by hash) and nothing else: a payload that got past both would still
neither run nor call another host.
"""

from __future__ import annotations

import base64
import hashlib
import re

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_MARKUP = re.compile(r"[<>&\"]")


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "title":                 # Material's tooltips write titles with innerHTML
        return _MARKUP.sub(" ", value)
    if name == "src" and (":" in value.split("/", 1)[0] or value.startswith("//")):
        return None                     # pictures come from the site itself, never another host
    return value


def clean_content(html: str) -> str:
    """A page's content HTML with nothing that can run or fetch from elsewhere."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, attribute_filter=_attribute,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
                     generic_attribute_prefixes={"data-", "aria-"},
                     filter_style_properties={"text-align"})


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
_HEAD = re.compile(r"<head[^>]*>(\s*<meta charset=[^>]*>)?", re.I)


def content_security_policy(page: str) -> str:
    """The policy for one finished page: its own inline scripts by hash, files of the site."""
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"
                     for code in _INLINE_SCRIPT.findall(page)})
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *hashes]),
        "style-src 'self' 'unsafe-inline'",         # style attributes cannot run script
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


def with_csp(page: str) -> str:
    """The page with its policy at the top of <head> (after the charset), before any script."""
    match = _HEAD.search(page)
    if match is None:
        return page
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page)}">'
    return page[:match.end()] + meta + page[match.end():]
