"""The benchmark's synthetic handbook is valid data shaped like the real one (not a timed test)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from generator.benchmark import PROJECT, measure, plan, write_project
from generator.pipeline import run


def test_synthetic_records_follow_the_real_mix_and_validate(tmp_path: Path):
    profile = measure(PROJECT / "data")
    counts = plan(300, profile)
    assert sum(counts.values()) == 300
    assert set(counts) == {kind for kind, n in profile.counts.items() if n}

    written = write_project(tmp_path / "project", 300, profile)
    assert written == counts
    result = run(tmp_path / "project" / "data")
    assert result.ok, [p.format() for p in result.problems if p.is_error][:5]
    assert not result.problems            # not even a warning
    assert len(result.handbook.entries) == 300

    first = next((tmp_path / "project" / "data").rglob("*.yaml")).read_text(encoding="utf-8")
    pages = "".join(result.pages.values())
    assert unicodedata.is_normalized("NFC", pages)
    assert any(c in pages for c in "ạảấầẩẫậắằẳẵặđêếềểễệơớờởỡợưứừửữự"), "Vietnamese text has its diacritics"
    assert first.startswith("# ")         # files look like the editors' ones
    for copied in ("mkdocs.yml", "content/index.md"):
        assert (tmp_path / "project" / copied).is_file()
