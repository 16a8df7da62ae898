"""Abbreviation tooltips a keyboard can reach (WCAG 2.1.1, 1.4.13).

Markdown's `abbr` extension writes `<abbr title="…">`, and Material shows the
title as a tooltip on hover, or when the element has focus; but an `<abbr>`
never gets focus by itself. This extension makes the first occurrence of each
abbreviation on a page focusable (`tabindex="0"`): one Tab stop per term, not
one per occurrence. An abbreviation inside a link stays as it is, since a
focusable element inside a link is a nested control; the glossary page
("Chữ viết tắt") spells out every abbreviation as text.

Listed in mkdocs.yml after `abbr`; it runs on the tree after `abbr` has built it.
"""

from __future__ import annotations

from xml.etree import ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


def make_abbreviations_focusable(root: etree.Element) -> None:
    """`tabindex="0"` on the first `<abbr title>` of each text that is not inside a link."""
    seen: set[str] = set()

    def walk(element: etree.Element, in_link: bool) -> None:
        for child in element:
            if child.tag == "abbr" and child.get("title") and not in_link:
                text = "".join(child.itertext())
                if text not in seen:
                    seen.add(text)
                    child.set("tabindex", "0")
            walk(child, in_link or child.tag == "a")

    walk(root, False)


class _AbbrFocus(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        make_abbreviations_focusable(root)


class AbbrFocusExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After `abbr` (7) has wrapped the abbreviations, before `toc` (5) copies headings.
        md.treeprocessors.register(_AbbrFocus(md), "handbook_abbr_focus", 6)


def makeExtension(**kwargs) -> AbbrFocusExtension:
    return AbbrFocusExtension(**kwargs)
