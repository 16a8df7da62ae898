"""Rendering again only what an edit can change gives the same pages as rendering everything.

`handbook serve` relies on it: an editor's preview must never show a stale
backlink, index entry or province page. Random edits of the real data (names
changed, references moved, records added, deleted and renamed) are applied
one after another; after each, the incremental result must equal a full render.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.incremental import render_all, rerender
from generator.link import link
from generator.load import load
from generator.problems import has_errors
from generator.render import render
from generator.schema import KINDS, ref_fields
from generator.validate import validate

PROJECT = Path(__file__).resolve().parent.parent


@cache
def real_documents():
    documents, problems = load(PROJECT / "data")
    assert not has_errors(problems)
    return tuple(documents)


@cache
def real_rendered():
    """The full render of the real data, once: every example starts from it."""
    return render_all(handbook_of(real_documents()))


def handbook_of(documents):
    entries, problems = validate(list(documents), PROJECT / "content")
    return None if has_errors(problems) else link(entries)


def apply(documents: list, edit: tuple) -> list:
    """One editor's change to the list of documents (ignored when it does not apply)."""
    op, pick, other = edit
    documents = list(documents)
    index = pick % len(documents)
    document = documents[index]
    data = copy.deepcopy(document.data)
    if op == "retitle":
        name = "name" if "name" in data else "title" if "title" in data else "expansion" if "expansion" in data \
            else None
        if name:
            data[name] = f"Tên mới {other}"
    elif op == "delete":
        del documents[index]
        return documents
    elif op in ("rename", "copy"):
        new_id = f"{data['id']}-moi-{other}"
        data["id"] = new_id
        moved = replace(document, path=document.path.rsplit("/", 1)[0] + f"/{new_id}.yaml", data=data)
        if op == "rename":
            documents[index] = moved
        else:
            documents.append(moved)
        return documents
    elif op == "relink":
        refs = [f for f in ref_fields(document.kind.model) if f.name in data]
        if refs:
            field = refs[other % len(refs)]
            pool = sorted(d.data["id"] for d in documents if d.kind.name == field.target)
            target = pool[other % len(pool)]
            data[field.name] = [target] if field.many else target
    documents[index] = replace(document, data=data)
    return documents


edits = st.lists(st.tuples(st.sampled_from(["retitle", "delete", "rename", "copy", "relink"]),
                           st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_incremental_render_equals_a_full_render(changes):
    documents = list(real_documents())
    previous = real_rendered()
    for edit in changes:
        candidate = apply(documents, edit)
        handbook = handbook_of(candidate)
        if handbook is None:        # an edit that breaks the data: serve shows the error instead
            continue
        documents = candidate
        previous, _ = rerender(previous, handbook)
        assert previous.pages == render(handbook)


def test_an_edit_of_one_practice_renders_few_pages():
    documents = list(real_documents())
    previous = real_rendered()
    index = next(i for i, d in enumerate(documents) if d.kind.name == "practice")
    changed = apply(documents, ("retitle", index, 1))
    done, rendered = rerender(previous, handbook_of(changed))
    indexes = {f"{k.section}/index.md" for k in KINDS.values()}
    assert f"cach-lam/{documents[index].data['id']}.md" in rendered
    assert len(rendered - indexes) < len(previous.pages) / 4


def test_validation_with_a_memo_finds_what_a_fresh_one_finds():
    documents = list(real_documents())
    memo: dict = {}
    validate(documents, PROJECT / "content", memo)
    broken = apply(documents, ("relink", 3, 7))
    broken[5] = replace(broken[5], data={**broken[5].data, "id": "Sai Mã"})
    for case in (documents, broken, apply(documents, ("delete", 11, 0)), documents):
        assert validate(list(case), PROJECT / "content", memo) == validate(list(case), PROJECT / "content")
