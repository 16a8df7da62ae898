"""The real data: valid, cited, and every number traceable to its source article."""

import os
import re
import unicodedata
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator.dates import PartialDate
from generator.linkcheck import broken_links
from generator.pipeline import run
from generator.project import Project
from generator.markup import link_text

ROOT = Path(__file__).parent.parent
# The articles beside the repository; HANDBOOK_SEEDS names them from a checkout elsewhere (a worktree).
SEEDS = Path(os.environ.get("HANDBOOK_SEEDS") or ROOT.parent / "shared" / "seeds")


@pytest.fixture(scope="module")
def handbook():
    result = run(Project.read(ROOT))
    assert result.problems == [], "\n".join(p.format() for p in result.problems)
    return result.handbook


def seed_texts(handbook, entry) -> str:
    """The text of every seed article a record cites (its kind's sources role, never a field name)."""
    texts = []
    for source_id in getattr(entry.record, entry.kind.sources) if entry.kind.sources else []:
        seed = handbook.entries[source_id].record.seed
        if seed:
            texts.append((SEEDS / seed).read_text(encoding="utf-8"))
    return "\n".join(texts)


def cites_a_source_without_text(handbook, entry) -> bool:
    """Whether the record cites a source we have no article of (a resolution, editorial knowledge):
    what it states may come from there, and cannot be checked against an article."""
    cited = getattr(entry.record, entry.kind.sources) if entry.kind.sources else []
    return any(not handbook.entries[s].record.seed for s in cited)


def dates_of(value) -> list[PartialDate]:
    """Every date a record states, found by its type wherever it stands (figures' dates too),
    so that renaming a field cannot leave a date unchecked."""
    if isinstance(value, PartialDate):
        return [value]
    if isinstance(value, BaseModel):
        return [d for name in type(value).model_fields for d in dates_of(getattr(value, name))]
    if isinstance(value, (list, tuple)):
        return [d for item in value for d in dates_of(item)]
    return []


def stated_numbers(entry) -> list[str]:
    """The figures and document number a record states, as written."""
    wanted = [str(f.value) for f in getattr(entry.record, "figures", [])]
    if entry.kind.name == "directive" and entry.record.number:
        wanted.append(entry.record.number)
    return wanted


# --- The real site --------------------------------------------------------------------------

def test_real_data_builds_strict_with_every_internal_link_resolving(real_project):
    site = real_project / "site"
    assert (site / "index.html").is_file() and (site / "search" / "hb" / "meta.js").is_file()
    assert sorted(p.name for p in real_project.iterdir() if p.name.startswith(".site-")) == []
    assert broken_links(site) == []


# --- Every fact cited ------------------------------------------------------------------------

# Kinds whose records state no fact of their own: a source is what others cite, a topic is a
# heading readers browse by. Every other kind must declare a sources role, and every record cite.
UNCITED_KINDS = {"source": "it is the citation", "topic": "a reader's heading, no fact"}


def test_every_record_cites_a_source(handbook):
    """The home page promises "Mỗi thông tin đều ghi nguồn": a record without a source breaks it,
    whatever its kind (a glossary entry's meaning and a province's merger are facts too)."""
    kinds = {entry.kind.name: entry.kind for entry in handbook.entries.values()}
    assert sorted(name for name, kind in kinds.items() if not kind.sources) == sorted(UNCITED_KINDS)
    uncited = [str(entry.path) for entry in handbook.entries.values()
               if entry.kind.sources and not getattr(entry.record, entry.kind.sources)]
    assert len(handbook.entries) > 200 and uncited == []


def test_every_former_province_cites_the_resolution_that_changed_it(handbook):
    """A merger or a conversion is a legal act: its page names the resolution, and a resolution
    no article states is marked as the editors' knowledge (a source without an article)."""
    formers = [entry for entry in handbook.of_kind("province") if entry.record.merged_into]
    missing = [str(e.path) for e in formers if not e.record.change_basis]
    unmarked = [str(e.path) for e in formers
                if e.record.change_basis and e.record.change_basis not in (seed_texts(handbook, e) if SEEDS.is_dir() else "")
                and not cites_a_source_without_text(handbook, e)]
    assert len(formers) >= 30 and missing == [] and unmarked == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_glossary_entries_stand_in_the_articles_they_cite(handbook):
    """An entry cites the article where its abbreviation stands; one that cites no editorial
    knowledge takes its meaning from there too, so the article spells out the words."""
    wrong, checked = [], 0
    for entry in handbook.of_kind("glossary"):
        record = entry.record
        texts = [_normalise((SEEDS / seed).read_text(encoding="utf-8")).casefold()
                 for seed in (handbook.entries[s].record.seed for s in record.sources) if seed]
        word = re.compile(rf"(?<!\w){re.escape(record.abbr.casefold())}(?!\w)")
        checked += len(texts)
        wrong += [f"{entry.path}: {record.abbr} không có trong bài viết được dẫn" for t in texts if not word.search(t)]
        if texts and not cites_a_source_without_text(handbook, entry) \
                and not any(_normalise(record.expansion).casefold() in t for t in texts):
            wrong.append(f"{entry.path}: bài viết không ghi \"{record.expansion}\"; dẫn thêm kien-thuc-bien-tap")
    assert checked and wrong == []


def test_every_document_label_names_one_body_with_cua(handbook):
    """A link to a document says whose it is once: "Kế hoạch … theo Kết luận 24 của Bộ Chính trị của
    Ban Thường vụ Tỉnh ủy …" read as the Politburo's plan, on every page that linked it."""
    of = re.compile(r"(?<!\w)của(?!\w)", re.IGNORECASE)
    labels = {entry.path: link_text(handbook, entry) for entry in handbook.of_kind("directive")}
    chained = [f"{path}: {label}" for path, label in labels.items() if len(of.findall(label)) > 1]
    unnamed = [f"{path}: {labels[path]}" for path, entry in ((e.path, e) for e in handbook.of_kind("directive"))
               if entry.record.issuer and entry.record.names_issuer()
               and handbook.entries[entry.record.issuer].record.name not in labels[path]]
    assert len(labels) > 30 and chained == [] and unnamed == []


# --- Traceable to the articles ------------------------------------------------------------------

@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_numbers_and_figures_occur_in_the_cited_articles(handbook):
    missing, checked = [], 0
    for entry in handbook.entries.values():
        record = entry.record
        text = seed_texts(handbook, entry)
        if not text:
            continue
        wanted = stated_numbers(entry)
        checked += len(wanted)
        missing += [f"{entry.path}: {value!r}" for value in wanted if value not in text]
    assert checked and missing == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_seed_files_named_by_sources_exist(handbook):
    seeds = {source.path: source.record.seed for source in handbook.of_kind("source") if source.record.seed}
    assert seeds and [path for path, seed in seeds.items() if not (SEEDS / seed).is_file()] == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_full_dates_occur_in_the_cited_articles(handbook):
    """Articles write day-month-year: 2010-03-09 stands there as 9-3-2010, 9/3/2010 or 09/03/2010."""
    missing, checked = [], 0
    for entry in handbook.entries.values():
        record = entry.record
        text = seed_texts(handbook, entry)
        if not text and entry.kind.name == "source" and record.seed:
            text = (SEEDS / record.seed).read_text(encoding="utf-8")     # an article's own date
        if not text or cites_a_source_without_text(handbook, entry):
            continue
        for date in dates_of(record):
            if date.day is None:
                continue
            checked += 1
            forms = {f"{d}{sep}{m}{sep}{date.year}" for sep in "-/."
                     for d in (str(date.day), f"{date.day:02d}") for m in (str(date.month), f"{date.month:02d}")}
            if not any(form in text for form in forms):
                missing.append(f"{entry.path}: {date}")
    assert checked and missing == []


def _province_names(handbook, province_id: str) -> set[str]:
    """A province's names as articles write them: its own, and the one it took on a change of status."""
    record = handbook.entries[province_id].record
    ids = {province_id} | ({record.merged_into} if record.renamed else set())
    ids |= {p.id for p in handbook.citing(province_id, "province") if p.record.renamed}
    return {_normalise(handbook.entries[i].record.name) for i in ids}


def _normalise(text: str) -> str:
    """Articles write "Bà Rịa - Vũng Tàu" where the data has an en dash."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("–", "-").replace("—", "-"))


def _about(handbook, source_id: str) -> dict[str, str]:
    """Province id by name, for every province that a record citing this source is about."""
    found = {}
    for entry in handbook.citing(source_id, "practice") + handbook.citing(source_id, "directive") \
            + handbook.citing(source_id, "organ"):
        for province in [entry.record.province, *getattr(entry.record, "other_provinces", [])]:
            if province:
                found.update(dict.fromkeys(_province_names(handbook, province), province))
    return found


def _occurrences(value: str, text: str) -> list[int]:
    """Where a figure stands as a whole number: 82 is not in 1982, 3.482 or 82,5."""
    return [m.start() for m in re.finditer(rf"(?<![\d.,/]){re.escape(value)}(?![\d]|[.,/]\d)", text)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repository")
def test_figures_belong_to_the_records_own_province(handbook):
    """A figure must stand where its article speaks of the record's own province.

    Articles report on several provinces one after another: a number belongs to
    the province named last before it. "82 biểu hiện" follows Long An in article
    001 and comes again before "Trà Vinh" in the next paragraph; it is Long An's.
    Only provinces that records citing the article are about count as names, so
    that "tại Hà Nội" (where a course was held) does not take Thừa Thiên Huế's figures.
    """
    wrong, checked = [], 0
    for entry in handbook.of_kind("practice"):
        record = entry.record
        own = {record.province, *record.other_provinces}
        own_names = set().union(*(_province_names(handbook, p) for p in own))
        for figure in record.figures:
            checked += 1
            places = []
            for source_id in record.sources:
                seed = handbook.entries[source_id].record.seed
                if not seed:
                    continue
                text = _normalise((SEEDS / seed).read_text(encoding="utf-8"))
                names = _about(handbook, source_id)
                pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                mentions = [(m.start(), m.group()) for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", text)]
                for at in _occurrences(str(figure.value), text):
                    before = [name for start, name in mentions if start < at]
                    places.append(before[-1] if before else None)
            if not own_names & set(places):
                wrong.append(f"{entry.path}: {figure.value!r} ({figure.label}) đứng sau tên "
                             f"{', '.join(sorted({p or 'không tỉnh nào' for p in places})) or 'không có'}")
    assert checked and wrong == []
