"""What a record page needs from the site around it, beyond its own Markdown.

Record pages are left out of the navigation on purpose (see mkdocs.yml), so
nothing would tell the reader which part of the handbook they are in: the tab
of their kind's index is marked active while they render. (What their search
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

