"""Stage 4: render linked records into Markdown pages (path → text).

The output is plain Markdown that any engine can build (MkDocs today,
Zensical or a fork tomorrow): relative `.md` links, a `title` in front
matter, and abbreviation definitions for tooltips. Templates hold the
presentation; this module only prepares values and keeps text safe.

Text from records is data: plain fields are escaped so that neither
Markdown nor HTML in them can take effect; fields the schema marks as
Markdown keep their formatting but lose raw HTML and unsafe link targets.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jinja2

from .link import Handbook, entry_order
from .problems import CODES
from .schema import KINDS, RELATION_TYPES, describe_fields, ref_fields
from .text import used_abbreviations
from .validate import Entry

TEMPLATES = Path(__file__).parent / "templates"

_INLINE_MARKUP = re.compile(r"([\\`*_\[\]|{}])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=\.))")
# The only link form that survives in Markdown fields: plain text in brackets and a web,
# mail or relative address. Every other bracket is escaped, so no other link can form.
_SAFE_LINK = re.compile(r"(!?)\[([^\[\]`\\]*)\]\(((?:https?://|mailto:)[^\s()<>\"'`\\]+|[^\s()<>\"'`\\:]+)\)",
                        re.IGNORECASE)


# Outgoing links listed under "Liên kết"; single references show in the facts table,
# topics and sources have their own place at the foot of the page.
_LISTED_FIELDS = {"relations"} | {f.name for kind in KINDS.values() for f in ref_fields(kind.model)
                                  if f.many and f.name not in ("sources", "topics")}


def plain(value: object) -> str:
    """Escape text so that it shows exactly as written, on one line."""
    text = " ".join(str(value).split())
    text = html.escape(text, quote=False)
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    return _LINE_START.sub(r"\1\\\2", text)


def markdown(value: object) -> str:
    """Keep an editor's Markdown but make raw HTML and unsafe links inert.

    HTML is escaped; links are whitelisted rather than unsafe ones searched
    for, since Markdown offers too many ways to hide a `javascript:` link.
    """
    text = html.escape(str(value).strip(), quote=False).replace("&gt;", ">")   # ">" is a Markdown quote
    parts, last = [], 0
    for match in _SAFE_LINK.finditer(text):
        parts.append(_escape_brackets(text[last:match.start()]))
        bang, label, url = match.groups()
        parts.append(f"{bang}[{label}]({url})")
        last = match.end()
    parts.append(_escape_brackets(text[last:]))
    return "".join(parts)


def _escape_brackets(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def page_path(entry: Entry) -> str:
    return f"{entry.kind.section}/{entry.id}.md"


def front_matter_title(value: str) -> str:
    """A title for front matter: engines print it raw inside <title>."""
    return json.dumps(html.escape(value, quote=False), ensure_ascii=False)


def abbreviation_definitions(text: str, glossary: dict[str, str]) -> str:
    """Definitions for the abbreviations used in `text`, for Markdown's `abbr`."""
    used = used_abbreviations(text, glossary)
    return "".join(f"\n*[{abbr}]: {' '.join(glossary[abbr].split())}" for abbr in used)


def _environment(handbook: Handbook) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             autoescape=False)
    env.filters.update(text=plain, md=markdown, title=front_matter_title,
                       practice_count=lambda entry_id: len(handbook.citing(entry_id, "practice")))

    def link(target: Entry | str | None) -> str:
        if target is None:
            return ""
        entry = handbook.entries[target] if isinstance(target, str) else target
        if entry.kind.name == "glossary":      # no page of its own: its row in the glossary
            return f"[{plain(entry.record.display_name())}](../{entry.kind.section}/index.md)"
        return f"[{plain(entry.record.display_name())}](../{page_path(entry)})"

    env.globals.update(link=link, hb=handbook, kinds=KINDS, relation_types=RELATION_TYPES)
    return env


def render(handbook: Handbook) -> dict[str, str]:
    """Every generated page of the handbook, by path relative to the docs folder."""
    env = _environment(handbook)
    glossary = handbook.glossary()
    pages: dict[str, str] = {}
    for entry in sorted(handbook.entries.values(), key=entry_order):
        if entry.kind.name == "glossary":
            continue
        outgoing = {g.field: g for g in handbook.outgoing.get(entry.id, [])}
        template = env.get_template(f"{entry.kind.name}.md.j2")
        pages[page_path(entry)] = template.render(
            entry=entry, r=entry.record, incoming=handbook.incoming.get(entry.id, []),
            related=[g for f, g in outgoing.items() if f in _LISTED_FIELDS],
            topics=outgoing["topics"].entries if "topics" in outgoing else (),
            sources=outgoing["sources"].entries if "sources" in outgoing else ())
    for kind in KINDS.values():
        template = env.get_template(f"index/{kind.name}.md.j2")
        pages[f"{kind.section}/index.md"] = template.render(kind=kind, entries=handbook.of_kind(kind.name))
    # The editors' reference, read off the schema and the problem catalog.
    pages["bien-tap/truong-du-lieu.md"] = env.get_template("editors/fields.md.j2").render(
        kinds_fields=[(kind, describe_fields(kind.model)) for kind in KINDS.values()])
    pages["bien-tap/ma-loi.md"] = env.get_template("editors/problems.md.j2").render(codes=CODES)
    return {path: text + abbreviation_definitions(text, glossary) for path, text in sorted(pages.items())}


def render_counts(handbook: Handbook) -> str:
    """What the handbook holds, by kind: shown on the home page."""
    return _environment(handbook).get_template("counts.md.j2").render(
        counts=[(kind, handbook.of_kind(kind.name)) for kind in KINDS.values()])


def render_index(handbook: Handbook, kind_name: str, entries: list[Entry]) -> str:
    """One kind's index page listing only `entries` (a course bundle's trimmed index)."""
    kind = KINDS[kind_name]
    glossary = handbook.glossary()
    text = _environment(handbook).get_template(f"index/{kind.name}.md.j2").render(kind=kind, entries=entries)
    return text + abbreviation_definitions(text, glossary)
