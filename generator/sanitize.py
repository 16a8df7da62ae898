"""The last boundary between what editors write and what readers' browsers run.

Record text is escaped where it enters Markdown (render.py). Whatever the
Markdown engine then makes of a page, its HTML passes through here: an
allow-list sanitiser (nh3, the Rust `ammonia`) keeps only the elements and
attributes a handbook page uses, only web, mail and same-site links, and only
same-site images, every address read as browsers read it (WHATWG URL). Then
every finished page carries a Content-Security-Policy that allows the theme's
own scripts (files of the site, and its two inline scripts by hash) and nothing
else: a payload that got past both would still neither run nor call another host.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

import ada_url
import nh3


TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
# The handbook's own data attributes, and no others: the theme wires some of its own to every
# element that carries them (`data-clipboard-text` puts its value on the reader's clipboard on a
# click, `data-md-component` makes an element one of the theme's components).
DATA_ATTRIBUTES = {
    "*": {"data-search-exclude"},       # Material's search leaves the element out of the index
    # the directive index's facets, which assets/filters.js reads (index_views.directive_facets)
    "span": {"data-loai", "data-cap", "data-nam", "data-dia-phuong", "data-chu-de", "data-hieu-luc"},
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex", *DATA_ATTRIBUTES["*"]},
    "span": DATA_ATTRIBUTES["span"],
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
    if name == "id":                    # the theme's own elements are "__config", "__search"…
        return None if value.startswith("_") else value
    if name == "class":                 # …and its look is "md-…": content cannot borrow either
        kept = " ".join(c for c in value.split() if not c.startswith("md-"))
        return kept or None
    if name == "src" and not same_site(value):
        return None                     # pictures come from the site itself, never another host
    if name == "href" and not (same_site(value) or web_link(value)):
        return None
    return value


# Where a page could be read from: the site, and an offline bundle unzipped on a disk.
_BASES = (("https://handbook.invalid/muc/trang/", "https:", "handbook.invalid"),
          ("file:///so-tay/muc/trang/index.html", "file:", ""))
# A relative path that every step of the URL standard leaves on the same host: no scheme (no ":"),
# no backslash (a slash to browsers), nothing the parser strips or reads as a separator (C0
# controls, space, tab, newline), and no second slash at the start (another host).
_PLAIN_PATH = re.compile(r"(?![/\\]{2})[^\\:\x00-\x20\x7f]*")


def same_site(url: str) -> bool:
    """Whether `url` leads to the site itself as browsers read it (WHATWG URL, by ada), online
    and from an offline bundle: `/\\evil.example/a.png` and `\\\\evil.example\\b.png` lead elsewhere
    (from `file://`, to a network share that asks for the reader's login)."""
    if _PLAIN_PATH.fullmatch(url):
        return True
    for base, scheme, host in _BASES:
        try:
            parsed = ada_url.URL(url, base)
        except ValueError:
            return False
        if parsed.protocol != scheme or parsed.host != host:
            return False
    return True


def web_link(url: str) -> bool:
    """Whether `url` is a whole address of the web or a mail address, as browsers read it."""
    try:
        return ada_url.URL(url).protocol in ("http:", "https:", "mailto:")
    except ValueError:
        return False


_OPTIONS = dict(tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
                generic_attribute_prefixes={"aria-"}, filter_style_properties={"text-align"})


def clean_content(html: str) -> str:
    """A page's content HTML with nothing that can run or fetch from elsewhere."""
    return nh3.clean(html, attribute_filter=_attribute, **_OPTIONS)


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
_HEAD = re.compile(r"<head[^>]*>(\s*<meta charset=[^>]*>)?", re.I)
# The theme's own inline scripts, as they stand in Material's base template; the only part that
# changes from page to page is the relative address of the site's root. Any other inline script
# on a page (whatever put it there) gets no hash, so the browser refuses to run it.
_THEME_SCRIPTS = (
    re.compile(r'__md_scope=new URL\("(?:\.|\.\.(?:/\.\.)*|/[^"<>]*)",location\),__md_hash=e=>\[\.\.\.e\]\.reduce'
               r'\(\(\(e,_\)=>\(e<<5\)-e\+_\.charCodeAt\(0\)\),0\),__md_get=\(e,_=localStorage,t=__md_scope\)'
               r'=>JSON\.parse\(_\.getItem\(t\.pathname\+"\."\+e\)\),__md_set=\(e,_,t=localStorage,a=__md_scope\)'
               r'=>\{try\{t\.setItem\(a\.pathname\+"\."\+e,JSON\.stringify\(_\)\)\}catch\(e\)\{\}\}'),
    re.compile(r'var target=document\.getElementById\(location\.hash\.slice\(1\)\);target&&target\.name&&'
               r'\(target\.checked=target\.name\.startsWith\("__tabbed_"\)\)'),
)


# Debian 12's kiwix-serve puts jQuery 1.x on every page it serves (its toolbar), whose feature test
# sets the inline handlers onsubmit/onchange/onfocusin="t" on a detached element: a handler that
# names a variable and calls nothing. The ZIM's pages allow exactly that handler, no other.
KIWIX_HANDLERS = ("t",)


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(page: str, kiwix: bool = False) -> str:
    """The policy for one finished page: the theme's inline scripts by hash, files of the site
    (and, for Kiwix readers, jQuery's harmless test handler)."""
    hashes = sorted({_sha256(code) for code in _INLINE_SCRIPT.findall(page)
                     if any(script.fullmatch(code.strip()) for script in _THEME_SCRIPTS)})
    if kiwix:
        hashes += ["'unsafe-hashes'", *map(_sha256, KIWIX_HANDLERS)]
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


def safe_title(title: str | None) -> str | None:
    """A page title the theme can print anywhere.

    Material prints titles raw in the navigation and through `striptags`,
    which decodes entities, in <title>: so no form of "<" or ">" may remain.
    """
    if title is None:
        return None
    text = html.unescape(re.sub(r"<[^>]*>", "", str(title)))
    return html.escape(text.replace("<", "‹").replace(">", "›"), quote=False)


def with_csp(page: str, kiwix: bool = False) -> str:
    """The page with its policy at the top of <head> (after the charset), before any script."""
    match = _HEAD.search(page)
    if match is None:
        return page
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page, kiwix)}">'
    return page[:match.end()] + meta + page[match.end():]


def safe_meta(meta: dict) -> dict:
    """The front matter a page keeps: the keys the templates read, as text they can print raw.

    Material prints `title` and `description` without escaping, and other keys pick the
    page's template or hide its parts; a hand-written page gets no more than a record page.
    """
    kept = {}
    if meta.get("title") is not None:
        kept["title"] = safe_title(meta["title"])
    if meta.get("description") is not None:
        kept["description"] = html.escape(html.unescape(re.sub(r"<[^>]*>", "", str(meta["description"]))))
    if meta.get("filters") is True:
        kept["filters"] = True
    return kept
