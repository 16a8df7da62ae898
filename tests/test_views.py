"""Record pages are views built in Python from the schema's declarations (generator/views.py).

No template and no view may read a record by a field's name without failing loudly once that
field is renamed: renaming practice `directives` once passed validate and render and silently
emptied 36 diagrams, because a template picked the diagram's groups by the strings
["relations", "directives", "legal_basis"].
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from field_renames import every_field
from scratch import copy_project

from generator import schema
from generator.link import link
from generator.load import load
from generator.render import render_pages
from generator.validate import validate
from generator.views import Reader, record_view

RENAMES = Path(__file__).parent / "field_renames.py"
DATA = Path(__file__).parent.parent / "data"


def test_every_renamed_field_keeps_the_pages_or_fails_loudly(tmp_path):
    """Each field of every kind and nested value, renamed in schema.py and in every record of a
    copy of the real handbook: the pages are byte-identical, or the generator refuses (an error
    at import, while rendering, or a validation problem). Never a page changed without a word."""
    project = copy_project(tmp_path / "handbook")
    done = subprocess.run([sys.executable, str(RENAMES), str(project)], capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = {line.split()[1]: line for line in done.stdout.splitlines()}
    assert sorted(outcomes) == sorted(f"{model}.{name}" for model, name in every_field()), done.stderr[-3000:]
    assert [line for line in outcomes.values() if not line.startswith(("same ", "loud "))] == []
    # Fields shown through the schema's declarations alone keep every page when renamed (and a harness
    # that failed every rename, a broken call say, would make all of them "loud").
    same = [field for field, line in outcomes.items() if line.startswith("same ")]
    assert {"Figure.label", "Figure.value", "Directive.relations"} <= set(same), (same, done.stderr[-2000:])
    # The renames that matter most fail loudly: the diagram's references are declared roles.
    for field in ("Practice.directives", "Model.legal_basis", "Directive.issued", "Practice.province"):
        assert outcomes[field].startswith("loud "), outcomes[field]
    # The data is as it was: each rename ran on it in turn.
    assert all((project / "data" / p.relative_to(DATA)).read_bytes() == p.read_bytes() for p in DATA.rglob("*.yaml"))


def _handbook():
    return link(validate(load(DATA)[0])[0])


def test_the_diagram_holds_what_the_schema_declares():
    """A directive's diagram: above it the groups of records citing it through a relation type or
    a reference a kind declares (`Kind.diagram`), below it its own relations; nothing else."""
    handbook = _handbook()
    relation_labels = {r.label for r in schema.RELATION_TYPES.values() if r.diagram}
    relation_backlabels = {r.backlabel for r in schema.RELATION_TYPES.values() if r.diagram}
    declared = {f.backlabel for kind in schema.KINDS.values() for f in schema.ref_fields(kind.model)
                if f.name in kind.diagram}
    seen_above = set()
    for entry in handbook.of_kind("directive"):
        view = record_view(Reader(handbook), entry)
        above = {g.label for g in view.diagram.above} if view.diagram else set()
        below = {g.label for g in view.diagram.below} if view.diagram else set()
        incoming = {g.label for g in handbook.incoming.get(entry.id, [])}
        outgoing = {g.label for g in handbook.outgoing.get(entry.id, [])
                    if g.field == schema.relations_field(entry.kind.model)}
        assert above == incoming & (relation_backlabels | declared)
        assert below == outgoing & relation_labels
        seen_above |= above
    assert declared <= seen_above        # the real data shows every declared group somewhere


def test_a_page_notes_every_record_it_links_to():
    """What a page's view read is what `handbook serve` renders the page again for (incremental.py):
    every record a page links to, in its facts, sections, diagram or lists, is among them."""
    handbook = _handbook()
    pages, reads = render_pages(handbook)
    ids = {f"../{e.kind.section}/{e.id}.md": e.id for e in handbook.entries.values() if e.kind.pages}
    checked = 0
    for path, page_reads in reads.items():
        for target in re.findall(r"\]\((\.\./[^)#]+\.md)\)", pages[path]):
            if target in ids:
                assert ids[target] in page_reads.records, (path, target)
                checked += 1
    assert checked > len(reads)
