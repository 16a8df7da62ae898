"""The preview's error page is an output channel too: a file name is shown, never read as markup."""

import re
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.problems import Problem
from generator.serve_errors import error_page

NAMES = st.text(alphabet=st.sampled_from(list("`<>[]()*_#!:/\\ \"'=&;\nabcđ")), max_size=60)


@given(NAMES, NAMES)
@settings(max_examples=300, deadline=None)
def test_a_file_name_reaches_the_page_as_text(name, message):
    page = markdown.markdown(error_page([Problem(f"data/topics/{name}.yaml", 1, 1, "yaml.syntax", message, "h")],
                                        Path("/nonexistent")))
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    assert tags <= {"h1", "h2", "p", "code", "strong"}, page
