"""The site's navigation sections, read off the record kinds.

mkdocs.yml lists the hand-written pages and marks with `handbook:kinds` where
the kinds' index pages go; each kind says its tab's label, whether it is a
top-level tab or sits in a group ("Tra cứu"), and its place (schema.Kind).
A new kind thus gets its tab without anyone editing mkdocs.yml.
"""

from __future__ import annotations

from .schema import nav_kinds

PLACEHOLDER = "handbook:kinds"


def kinds_nav() -> list:
    """Top-level tabs, then one group per group name, as MkDocs' `nav` writes them."""
    items: list = []
    for group, kinds in nav_kinds():
        entries = [{kind.nav_label: f"{kind.section}/index.md"} for kind in kinds]
        items += entries if group is None else [{group: entries}]
    return items


def expand(nav: list | None) -> list | None:
    """`nav` with the placeholder replaced by the kinds' sections (anywhere in it)."""
    if nav is None:
        return None
    out: list = []
    for item in nav:
        if item == PLACEHOLDER:
            out += kinds_nav()
        elif isinstance(item, dict):
            out.append({title: expand(value) if isinstance(value, list) else value for title, value in item.items()})
        else:
            out.append(item)
    return out
