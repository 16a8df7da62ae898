"""The real data: valid, cited, and every number traceable to its source article."""

from pathlib import Path

import pytest

from generator.pipeline import run

ROOT = Path(__file__).parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def handbook():
    result = run(ROOT / "data")
    assert result.problems == [], "\n".join(p.format() for p in result.problems)
    return result.handbook


def seed_texts(handbook, record) -> str:
    """The text of every seed article a record cites."""
    texts = []
    for source_id in getattr(record, "sources", []):
        seed = handbook.entries[source_id].record.seed
        if seed:
            texts.append((SEEDS / seed).read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_every_fact_record_cites_a_source(handbook):
    for entry in handbook.entries.values():
        if entry.kind.name in ("directive", "model", "practice"):
            assert entry.record.sources, entry.path


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_numbers_and_figures_occur_in_the_cited_articles(handbook):
    missing = []
    for entry in handbook.entries.values():
        record = entry.record
        text = seed_texts(handbook, record)
        if not text:
            continue
        wanted = [str(f.value) for f in getattr(record, "figures", [])]
        if entry.kind.name == "directive" and record.number:
            wanted.append(record.number)
        missing += [f"{entry.path}: {value!r}" for value in wanted if value not in text]
    assert missing == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_seed_files_named_by_sources_exist(handbook):
    for source in handbook.of_kind("source"):
        if source.record.seed:
            assert (SEEDS / source.record.seed).is_file(), source.path


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_full_dates_occur_in_the_cited_articles(handbook):
    """Articles write day-month-year: 2010-03-09 stands there as 9-3-2010, 9/3/2010 or 09/03/2010."""
    missing = []
    for entry in handbook.entries.values():
        record = entry.record
        dates = [getattr(record, name, None) for name in ("issued", "published", "start", "end")]
        dates += [f.as_of for f in getattr(record, "figures", [])]
        text = seed_texts(handbook, record)
        if not text:
            continue
        for date in dates:
            if date is None or date.day is None:
                continue
            forms = {f"{d}{sep}{m}{sep}{date.year}" for sep in "-/."
                     for d in (str(date.day), f"{date.day:02d}") for m in (str(date.month), f"{date.month:02d}")}
            if not any(form in text for form in forms):
                missing.append(f"{entry.path}: {date}")
    assert missing == []
