"""The form names records and makes ids as the handbook does (generator/cms/names.js, run in node).

Skipped without node, unless HANDBOOK_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from conftest import node_asker, unavailable
from generator import cms
from generator.scaffold import id_from_name
from generator.pipeline import run
from generator.project import Project
from scratch import PROJECT

NAMES_JS = cms.ASSETS / "names.js"
SERVER = r"""
const names = require(process.argv[1]);
require("readline").createInterface({input: process.stdin}).on("line", (line) => {
  const ask = JSON.parse(line);
  const answer = ask.slug !== undefined ? names.slug(ask.slug) : names.label(ask.folder, ask.layout, ask.data, ask.names);
  process.stdout.write(JSON.stringify(answer) + "\n");
});
"""
# What names are made of: Vietnamese letters in both cases, digits, the punctuation titles use.
VIETNAMESE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
              "ĐĂÂÊÔƠƯÁÀẢÃẠẮẰẤẦÉÈẾỀÍÌÓÒỐỒỚỜÚÙỨỪÝỲ0123456789 ,.:;-–()/\"“”'‘’&%")


@pytest.fixture(scope="module")
def node():
    if shutil.which("node") is None:
        unavailable("node is missing")
    yield from node_asker(SERVER, str(NAMES_JS))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=VIETNAMESE, max_size=40))
@example("&gt;")          # found once: python-slugify decoded HTML entities, the form did not
@example("&#65;&#x42;")
def test_a_new_records_id_is_the_one_handbook_new_makes(node, name):
    assert node(slug=name) == id_from_name(name)


def test_pickers_name_directives_and_practices_as_the_site_does(node):
    """Every directive of the handbook by its site name (kind, number, date) and its issuer; a practice
    by its title and province."""
    result = run(Project.read(PROJECT), render_pages=False)
    names = cms.picker_names(result)
    layouts = {kind.folder: {"name": kind.name_field, "pick": list(kind.name_fields)}
               for kind in {e.kind for e in result.handbook.entries.values()}}
    for entry in result.handbook.entries.values():
        if entry.kind.folder not in ("directives", "practices"):
            continue
        data = entry.record.model_dump(mode="json", exclude_none=True)
        label = node(folder=entry.kind.folder, layout=layouts[entry.kind.folder], data=data, names=names)
        assert label.startswith(entry.record.display_name()), (label, entry.record.display_name())
        if entry.kind.folder == "practices":
            assert label.endswith("— " + names["provinces"][entry.record.province])
        elif entry.record.issuer:
            assert names["organs"][entry.record.issuer] in label
