"""What a record page needs from the site around it, beyond its own Markdown.

Record pages are left out of the navigation on purpose (see mkdocs.yml), so
nothing would tell the reader which part of the handbook they are in: the tab
of their kind's index is marked active while they render. Their facts table
(label | value) is kept out of the search text, where it made every result
preview begin with "Mục Nội dung", and so is the relation diagram, which
repeats the relation lists.
"""

from __future__ import annotations

import posixpath
import re

_FIRST_TABLE = re.compile(r"<table>")


def section_index(src_uri: str) -> str | None:
    """`van-ban/<id>.md` → `van-ban/index.md`; None for index and top-level pages."""
    folder, name = posixpath.split(src_uri)
    if not folder or name == "index.md":
        return None
    return f"{folder}/index.md"


def out_of_search(html: str) -> str:
    """Mark the facts table (the first table before any second-level heading) and the
    diagram (its heading and its box) as not for search."""
    head, sep, rest = html.partition("<h2")
    rest = rest.replace(' id="luoc-do">', ' id="luoc-do" data-search-exclude>', 1).replace(
        '<div class="admonition luoc-do">', '<div class="admonition luoc-do" data-search-exclude>', 1)
    return _FIRST_TABLE.sub("<table data-search-exclude>", head, count=1) + sep + rest
