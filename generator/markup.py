"""Record text made safe as Markdown, and where a link to a record leads.

Text from records is data: plain fields are escaped so that neither
Markdown nor HTML in them can take effect; fields the schema marks as
Markdown keep their formatting but lose raw HTML and unsafe link targets.
Views (views.py) and the page layout (render.py) both write through here.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .link import Handbook
from .schema import MARKDOWN_BLOCKS, Kind, markdown_block
from .text import used_abbreviations
from .records import Entry

TEMPLATES = Path(__file__).parent / "templates"

_INLINE_MARKUP = re.compile(r"([\\`*_\[\]|{}])")
# What would start a block at the head of a line. Escaped with what Markdown reads as the
# character itself: a backslash where Markdown allows one, an entity for "=" (no stray "\").
_LINE_START = re.compile(r"^(\s*)(?:([#>+-])|(=)|(\d+)\.)")
# The only link form that survives in Markdown fields: plain text in brackets and a web,
# mail or same-site address. Every other bracket is escaped, so no other link can form.
_SAFE_LINK = re.compile(r"(!?)\[([^\[\]`\\]*)\]\(((?:https?://|mailto:)[^\s()<>\"'`\\]+|(?!//)[^\s()<>\"'`\\:]+)\)",
                        re.IGNORECASE)
# A code span as Python-Markdown reads one (backticks not escaped, closed by as many), on one line.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)[^\n]+?(?<!`)\1(?!`)")
# Characters that mean markup somewhere: never part of a tooltip, whose title Material
# writes with innerHTML.
_NOT_IN_TOOLTIP = re.compile(r"[<>&\"*\[\]\\`{}|]")


def plain(value: object) -> str:
    """Escape text so that it shows exactly as written, on one line."""
    text = " ".join(str(value).split())
    text = html.escape(text, quote=False)
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    indent, sign, equals, number = match.groups()
    return indent + (f"\\{sign}" if sign else "&#61;" if equals else f"{number}\\.")


def markdown(value: object) -> str:
    """Keep an editor's Markdown but make raw HTML and unsafe links inert.

    HTML is escaped; links are whitelisted rather than unsafe ones searched
    for, since Markdown offers too many ways to hide a `javascript:` link.
    Images only from the site itself: a picture from another host would
    let that host see every reader (and break offline bundles).
    """
    # Code spans are kept as written: Markdown escapes their content itself (escaping it here
    # too would show "&lt;"). Only spans on one line, so that none can hide a block of HTML.
    text = field_markdown(value)
    # The page's own structures (validate refuses them, text.structure): the sign shown as text.
    return MARKDOWN_BLOCKS.sub(_as_text, text) if markdown_block(text) else text


def field_markdown(value: object) -> str:
    """`markdown` but for the page's own structures, which validate refuses."""
    text, parts, last = str(value).strip(), [], 0
    for match in _CODE_SPAN.finditer(text):
        parts += [_markdown_text(text[last:match.start()]), match.group()]
        last = match.end()
    return "".join(parts + [_markdown_text(text[last:])])


def _as_text(match: re.Match) -> str:
    """The block's first sign after any list markers as an entity: text, no longer a block."""
    found, at = match.group(), match.start("block") - match.start()
    return f"{found[:at]}&#{ord(found[at])};{found[at + 1:]}"


def _markdown_text(value: str) -> str:
    text = html.escape(value, quote=False).replace("&gt;", ">")   # ">" is a Markdown quote
    parts, last = [], 0
    for match in _SAFE_LINK.finditer(text):
        bang, label, url = match.groups()
        if bang and ":" in url:
            continue        # left as text, escaped below
        parts.append(_escape_brackets(text[last:match.start()]))
        parts.append(f"{bang}[{label}]({url})")
        last = match.end()
    parts.append(_escape_brackets(text[last:]))
    return "".join(parts)


def _escape_brackets(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def page_path(entry: Entry) -> str:
    return f"{entry.kind.section}/{entry.id}.md"


def anchor(entry: Entry) -> str:
    """The id of a page-less record's heading on its kind's index page.

    Prefixed: the record's id is often its name's heading slug, which the
    heading itself takes.
    """
    return f"ban-ghi-{entry.id}"


def link_path(entry: Entry) -> str:
    """Where a link to the record leads: its page; else its kind's index, at the record's
    heading when the index is the generic one (the glossary's table has no headings)."""
    if entry.kind.pages:
        return page_path(entry)
    index = f"{entry.kind.section}/index.md"
    return index if _own_index(entry.kind.name) else f"{index}#{anchor(entry)}"


@lru_cache(maxsize=None)
def _own_index(kind_name: str) -> bool:
    return (TEMPLATES / "index" / f"{kind_name}.md.j2").is_file()


def front_matter_title(value: str) -> str:
    """A title for front matter: engines print it raw inside <title>.

    Front matter is YAML: a character YAML refuses (a control character, a
    lone surrogate) would make the engine show the whole block as page text,
    Markdown and all. Only printable characters get there.
    """
    return json.dumps(html.escape(printable(value), quote=False), ensure_ascii=False)


def printable(value: str) -> str:
    """`value` without control, surrogate, private-use or unassigned characters."""
    return "".join(c for c in value if c in " \n\t" or unicodedata.category(c)[0] not in "CZ"
                   or unicodedata.category(c) == "Zs")


def front_matter_description(value: str) -> str:
    """A description for front matter: the theme prints it raw inside content="…"."""
    return json.dumps(html.escape(value, quote=True), ensure_ascii=False)


# One pass, every character that HTML or Markdown could read as markup made an entity: Markdown
# reads brackets, backticks and backslashes before it sets raw HTML aside.
_ATTRIBUTE_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_[](){}!#|"})


def attribute(value: object) -> str:
    """Record text inside an HTML attribute value that a template writes."""
    return " ".join(str(value).split()).translate(_ATTRIBUTE_ENTITIES)



_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"\*+|`+|^#+\s*|^>\s*", re.MULTILINE)      # emphasis, code, headings, quotes


def summary_text(entry: Entry, limit: int = 200) -> str:
    """What the page is about, in plain text: for search engines and link previews."""
    record = entry.record
    fields = [getattr(record, name) for name in entry.kind.summary]
    fields = [value if isinstance(value, str) or value is None else "; ".join(value) for value in fields]
    text = next((value for value in fields if isinstance(value, str) and value and value != record.display_name()), "")
    text = " ".join(_MD_MARKS.sub("", _MD_LINK.sub(r"\1", text)).split())
    if not text:
        text = f"{kind_label(entry.kind)}: {record.display_name()}"
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return text


def kind_label(kind) -> str:
    """"văn bản" → "Văn bản": the label a record page shows above its title."""
    return kind.label[:1].upper() + kind.label[1:]


def abbreviation_definitions(text: str, glossary: dict[str, str]) -> str:
    """Definitions for the abbreviations used in `text`, for Markdown's `abbr`.

    The schema already refuses markup in abbreviations; this is the tooltip's
    own boundary, so that nothing else can put markup there either.
    """
    safe = _tooltips(tuple(glossary.items()))
    used = used_abbreviations(text, safe)
    return "".join(f"\n*[{abbr}]: {safe[abbr]}" for abbr in used if safe[abbr])


@lru_cache(maxsize=4)      # one glossary for every page of a build: not 100 tooltips per page again
def _tooltips(glossary: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {abbr: tooltip_text(expansion) for abbr, expansion in glossary
            if abbr.strip() and not _NOT_IN_TOOLTIP.search(abbr) and not any(c.isspace() for c in abbr)}


def tooltip_text(value: str) -> str:
    """Text for a title attribute that Material will write with innerHTML."""
    return " ".join(_NOT_IN_TOOLTIP.sub(" ", value).split())


def link_text(handbook: Handbook, entry: Entry) -> str:
    """A record's name in a link; a local document's with its issuer.

    "Nghị quyết số 03 (khóa X)" alone does not say whose: every provincial
    committee numbers its own documents.
    """
    name = entry.record.display_name()
    record = entry.record
    issuer_id = getattr(record, entry.kind.issuer) if entry.kind.issuer else None
    if issuer_id and record.names_issuer():
        name = with_issuer(name, getattr(handbook.entries[issuer_id].record, handbook.entries[issuer_id].kind.name_field))
    return name


# "của" as a word: the phrase that names whose a document is.
_OF = re.compile(r"(?<!\w)của(?!\w)", re.IGNORECASE)


def with_issuer(name: str, issuer: str) -> str:
    """`name` saying once who issued it.

    A name that already names its issuer, as whole words ("Tỉnh ủy A" is not named by "Tỉnh ủy
    An Giang"), stays as it is. One that already holds a "của …" (the body behind another
    document it follows: "Kế hoạch luân chuyển cán bộ theo Kết luận 24 của Bộ Chính trị") takes
    the issuer in brackets: a second "của …" would chain two bodies and read as the first one's
    document.
    """
    if re.search(rf"(?<!\w){re.escape(issuer)}(?!\w)", name):
        return name
    return f"{name} ({issuer})" if _OF.search(name) else f"{name} của {issuer}"


def field_label(record_or_kind, name: str) -> str:
    """A field's Vietnamese label, as the schema declares it: templates never type one."""
    model = record_or_kind.model if isinstance(record_or_kind, Kind) else type(record_or_kind)
    return model.model_fields[name].title
