"""What a record page needs from the site around it, beyond its own Markdown.

Record pages are left out of the navigation on purpose (see mkdocs.yml), so
nothing would tell the reader which part of the handbook they are in: the tab
of their kind's index is marked active while they render. Their "Sửa trang
này" link, written from the page's Markdown file, is placed from its address.
(What their search
text leaves out, the facts table and the diagram, is marked where the page is
written: templates/_macros.md.j2, `unsearched`.)
"""

from __future__ import annotations

import posixpath


def section_index(src_uri: str) -> str | None:
    """`van-ban/<id>.md` → `van-ban/index.md`; None for index and top-level pages."""
    folder, name = posixpath.split(src_uri)
    if not folder or name == "index.md":
        return None
    return f"{folder}/index.md"



#: How a record page's Markdown links to the form editor: from its file, `<section>/<id>.md`.
EDIT_HREF = 'href="../admin/'


def placed_edit_link(html: str, url: str) -> str:
    """The record page's link to the form editor (templates/record.md.j2), relative to the page's own
    address `url` ("van-ban/<id>/", or "van-ban/<id>.html" without directory URLs), so that it
    works under a project's sub-path. Raw HTML in the Markdown: MkDocs neither resolves nor checks
    it (/admin/ is written after the pages, no file of the build)."""
    return html.replace(EDIT_HREF, f'href="{"../" * url.count("/")}admin/') if EDIT_HREF in html else html
