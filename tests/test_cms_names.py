"""The form names records and makes ids as the handbook does (generator/cms/names.js, run in node).

Skipped without node, unless HANDBOOK_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from conftest import node_asker, unavailable
from slugify import slugify

from generator import cms
from generator.ids import MAX_ID_LENGTH, id_refusal
from generator.scaffold import id_from_name
from generator.pipeline import run
from generator.project import Project
from scratch import PROJECT

NAMES_JS = cms.ASSETS / "names.js"
SERVER = r"""
const names = require(process.argv[1]);
require("readline").createInterface({input: process.stdin}).on("line", (line) => {
  const ask = JSON.parse(line);
  const answer = ask.slug !== undefined ? names.slug(ask.slug) : ask.refusal !== undefined ? names.refusal(ask.refusal)
    : names.label(ask.folder, ask.layout, ask.data, ask.names);
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
def test_vietnamese_names_make_the_ids_they_always_made(name):
    """The rule of ids.py is python-slugify's (the rule the handbook's ids were made by) for Vietnamese."""
    assert id_from_name(name) == slugify(name, entities=False, decimal=False, hexadecimal=False)


# Any text: every character Python's Unicode assigns (node's is as new or newer), in any script.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cn")), max_size=40)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(alphabet=VIETNAMESE, max_size=40), ANY_TEXT,
                 st.lists(st.text(alphabet=VIETNAMESE, min_size=1, max_size=12), max_size=25).map(" ".join)))
@example("中国")
@example("Straße")
@example("½ ① Ⅻ")
@example("Ｆｕｌｌ ｗｉｄｔｈ 1,000 ‘Chi bộ’ l'Đảng")
@example(" ".join(["Nghị quyết"] * 30))
def test_the_form_and_handbook_new_make_the_same_id_from_any_name(node, name):
    made = id_from_name(name)
    assert node(slug=name) == made
    assert len(made) <= MAX_ID_LENGTH and not made.startswith("-") and not made.endswith("-")
    assert node(refusal=made) == id_refusal(made)


@pytest.mark.parametrize("record_id", ["con", "lpt9", "a" * MAX_ID_LENGTH, "a" * (MAX_ID_LENGTH + 1), "chi-bo"])
def test_the_form_refuses_the_ids_validate_refuses(node, record_id):
    assert node(refusal=record_id) == id_refusal(record_id)


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
