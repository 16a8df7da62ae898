"""How the handbook's cost grows with its size (issue 7): not a test, a measurement.

    python -m generator.benchmark                    # 1k, 5k and 20k records
    python -m generator.benchmark --quick            # 300 and 1,000 records, a minute or two
    python -m generator.benchmark --sizes 1000,5000 --serve --profile

For each size it writes a synthetic handbook into a temporary project (mkdocs.yml,
content/ and a generated data/), then runs each measured step in a child process
so that the step's peak memory is that process's `ru_maxrss`:

- pipeline: load, validate, link and render, timed apart (the same calls as
  `pipeline.run`); the rendered pages are then written into docs/;
- full build: `build.build_site`, i.e. MkDocs with our plugin, which runs the
  pipeline itself, exactly as `handbook build` or `mkdocs build` would;
- bare build: MkDocs on docs/ (the same pages as plain files) with the same
  theme, navigation and extensions but without our plugin. full ÷ bare is the
  generator's overhead.

The synthetic records follow the real data/: the mix of kinds, how often each
field is filled, how many references each list holds, text lengths, literal
values and date precision are measured from it on every run, and the text is
drawn from a word chain learnt from its Vietnamese (NFC, with diacritics).
Closed vocabularies do not grow with the handbook: there are the 63 provinces
of 2024 (29 of them merged into 34 current ones on 1 July 2025), at most
120 topics, 100 abbreviations and 50 courses (CAPS).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import typing
import unicodedata
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .dates import PartialDate
from .load import yaml12_number
from .schema import KINDS, ref_fields
from .text import fold

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1_000, 5_000, 20_000)
QUICK_SIZES = (300, 1_000)
CAPS = {"topic": 120, "glossary": 100, "course": 50}     # closed or curated sets do not grow with the data

TARGETS = {
    "lvl_20k_s": 3.0,              # load + validate + link of 20k records
    "render_20k_s": 20.0,          # render of 20k records
    "peak_20k_mb": 1536.0,         # the whole 20k build (issue 14: 1.5 GB)
    "overhead": 1.15,              # full build ÷ bare MkDocs build
    "html_growth": 1.10,           # median record page at the largest size ÷ at the smallest
    "search_index_mb": 10.0,       # above this Material's offline search is known to freeze
    "validate_cold_20k_s": 2.5,    # `handbook validate`, no cache (issue 14)
    "validate_warm_20k_s": 1.0,    # `handbook validate`, nothing changed since the last run
}
#: `handbook serve`, from saving a YAML file to the browser reloading the changed page (issue 14).
#: 1k has no target of its own: the 5k one holds a fortiori.
SERVE_TARGETS = {"real": 2.0, 1_000: 4.0, 5_000: 4.0, 20_000: 8.0}

# Vietnam's provinces before and after 1 July 2025: successor ← merged ones.
MERGERS = {
    "Tuyên Quang": ["Hà Giang"], "Lào Cai": ["Yên Bái"], "Thái Nguyên": ["Bắc Kạn"],
    "Phú Thọ": ["Vĩnh Phúc", "Hòa Bình"], "Bắc Ninh": ["Bắc Giang"], "Hưng Yên": ["Thái Bình"],
    "Hải Phòng": ["Hải Dương"], "Ninh Bình": ["Hà Nam", "Nam Định"], "Quảng Trị": ["Quảng Bình"],
    "Đà Nẵng": ["Quảng Nam"], "Quảng Ngãi": ["Kon Tum"], "Gia Lai": ["Bình Định"], "Khánh Hòa": ["Ninh Thuận"],
    "Lâm Đồng": ["Đắk Nông", "Bình Thuận"], "Đắk Lắk": ["Phú Yên"],
    "TP. Hồ Chí Minh": ["Bình Dương", "Bà Rịa – Vũng Tàu"], "Đồng Nai": ["Bình Phước"], "Tây Ninh": ["Long An"],
    "Cần Thơ": ["Sóc Trăng", "Hậu Giang"], "Vĩnh Long": ["Bến Tre", "Trà Vinh"], "Đồng Tháp": ["Tiền Giang"],
    "Cà Mau": ["Bạc Liêu"], "An Giang": ["Kiên Giang"],
    "Hà Nội": [], "Huế": [], "Lai Châu": [], "Điện Biên": [], "Sơn La": [], "Lạng Sơn": [], "Cao Bằng": [],
    "Quảng Ninh": [], "Thanh Hóa": [], "Nghệ An": [], "Hà Tĩnh": [],
}
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "TP. Hồ Chí Minh", "Cần Thơ"}
ROMAN = ["V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The real data, measured ------------------------------------------------------------

@dataclass
class FieldStats:
    filled: int = 0                                       # records where the field has a value
    lengths: list[int] = field(default_factory=list)      # text length, or list length
    items: list[int] = field(default_factory=list)        # text length of list items
    values: list[Any] = field(default_factory=list)       # literal values, date precisions…


@dataclass
class Profile:
    """What the real data looks like, field by field."""

    counts: Counter
    fields: dict[str, dict[str, FieldStats]]
    words: list[str]                          # every word of every text, in order, NFC
    glossary: list[tuple[str, str]]           # real abbreviations, kept in the synthetic glossary

    def stats(self, kind: str, name: str) -> FieldStats:
        return self.fields.get(kind, {}).get(name, FieldStats())

    def describe(self) -> str:
        total = sum(self.counts.values())
        mix = ", ".join(f"{k} {n}" for k, n in self.counts.most_common())
        refs = 0
        for kind, stats in self.fields.items():
            for ref in ref_fields(KINDS[kind].model):
                if ref.name in stats:
                    refs += sum(stats[ref.name].lengths) if ref.many else stats[ref.name].filled
            refs += sum(stats["relations"].lengths) if "relations" in stats else 0
        return f"{total} real records ({mix}); {refs / max(total, 1):.1f} references per record"


def measure(data_dir: Path) -> Profile:
    """Read the real data/ (through our own loader) and record its shape."""
    from .load import load

    documents, _ = load(data_dir)
    counts: Counter = Counter()
    fields: dict[str, dict[str, FieldStats]] = defaultdict(lambda: defaultdict(FieldStats))
    words: list[str] = []
    glossary: list[tuple[str, str]] = []
    for document in documents:
        if document.broken:
            continue
        kind, data = document.kind.name, document.data
        counts[kind] += 1
        if kind == "glossary" and isinstance(data.get("abbr"), str) and isinstance(data.get("expansion"), str):
            glossary.append((data["abbr"], data["expansion"]))
        for name, value in data.items():
            if value in (None, "", []):
                continue
            stats = fields[kind][name]
            stats.filled += 1
            if isinstance(value, list) and any(isinstance(v, dict) for v in value):   # relations, figures…
                stats.lengths.append(len(value))
                stats.values += [v for v in value if isinstance(v, dict)]
            elif isinstance(value, list):
                stats.lengths.append(len(value))
                stats.items += [len(str(v)) for v in value]
                if not _is_ref(kind, name):
                    words += " ".join(str(v) for v in value).split()
            elif isinstance(value, str):
                stats.lengths.append(len(value))
                stats.values.append(value if len(value) < 40 else None)
                if name not in ("id", "url", "seed", "number") and not _is_ref(kind, name) \
                        and not re.fullmatch(r"[\d-]+", value):        # dates are not words
                    words += value.split()
            else:
                stats.values.append(value)
    return Profile(counts, {k: dict(v) for k, v in fields.items()}, words, glossary)


def _is_ref(kind: str, name: str) -> bool:
    return name in {f.name for f in ref_fields(KINDS[kind].model)}


# --- Synthetic records --------------------------------------------------------------------

class Words:
    """Vietnamese text from a bigram chain over the real data's words."""

    def __init__(self, words: list[str], rng: random.Random, extra: list[str]) -> None:
        self.rng = rng
        self.next: dict[str, list[str]] = defaultdict(list)
        for a, b in itertools.pairwise(words):
            self.next[a].append(b)
        self.starts = [w for w in words if w[:1].isupper()] or words or ["Đảng"]
        self.words = words or ["Đảng", "bộ"]
        self.extra = extra             # synthetic abbreviations, sprinkled in so that tooltips appear

    def text(self, length: int, sentence: bool = True) -> str:
        out: list[str] = []
        size = 0
        word = self.rng.choice(self.starts)
        while size < length:
            if self.extra and self.rng.random() < 0.01:
                word = self.rng.choice(self.extra)
            out.append(word)
            size += len(word) + 1
            choices = self.next.get(word)
            word = self.rng.choice(choices) if choices else self.rng.choice(self.starts)
        text = " ".join(out).strip(" ,;:–-")
        text = text.replace("<", "").replace(">", "")
        if sentence and not text.endswith((".", "?", "!")):
            text = text.rstrip(".,;:") + "."
        elif not sentence:
            text = text.rstrip(".,;:")
        return unicodedata.normalize("NFC", text[0].upper() + text[1:]) if text else "Đảng bộ"


def _nested_model(annotation: Any) -> type | None:
    from pydantic import BaseModel

    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _slug(text: str, limit: int = 7) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    return "-".join(words[:limit]) or "ban-ghi"


def plan(size: int, profile: Profile) -> dict[str, int]:
    """How many records of each kind: the real mix, closed vocabularies capped."""
    real = {k: profile.counts.get(k, 0) for k in KINDS}
    total = sum(real.values()) or 1
    fixed = {}
    if real.get("province"):
        fixed["province"] = sum(1 + len(old) for old in MERGERS.values())
    for kind, cap in CAPS.items():
        if real.get(kind):
            fixed[kind] = max(1, min(cap, round(size * real[kind] / total)))
    rest = {k: n for k, n in real.items() if n and k not in fixed}
    left = max(size - sum(fixed.values()), len(rest))
    scale = left / (sum(rest.values()) or 1)
    counts = {k: int(n * scale) for k, n in rest.items()}
    for kind in sorted(rest, key=lambda k: -(rest[k] * scale % 1))[:left - sum(counts.values())]:
        counts[kind] += 1
    return {k: max(1, n) for k, n in {**counts, **fixed}.items()}


class Synthesizer:
    """Writes `size` valid records whose shape follows the profile."""

    def __init__(self, profile: Profile, size: int, seed: int = 7) -> None:
        self.p = profile
        self.rng = random.Random(seed)
        self.counts = plan(size, profile)
        self.ids: dict[str, list[str]] = {}
        self.records: dict[str, list[dict]] = {}
        self.abbrs: list[tuple[str, str]] = []
        self.words = Words(profile.words, self.rng, [])

    # -- helpers
    def _length(self, stats: FieldStats, default: int) -> int:
        return self.rng.choice(stats.lengths) if stats.lengths else default

    def _filled(self, kind: str, name: str, required: bool) -> bool:
        if required:
            return True
        real = self.p.counts.get(kind, 0)
        return bool(real) and self.rng.random() < self.p.stats(kind, name).filled / real

    def _targets(self, kind: str, count: int, exclude: str | None = None, before: int | None = None) -> list[str]:
        pool = self.ids.get(kind, [])
        if before is not None:
            pool = pool[:before]
        count = min(count, len(pool) - (exclude in pool))
        found: list[str] = []
        while len(found) < count:
            target = self.rng.choice(pool)
            if target != exclude and target not in found:
                found.append(target)
        return found

    def _date(self, stats: FieldStats) -> str:
        precision = self.rng.choice([len(str(v)) for v in stats.values] or [10])
        year, month, day = self.rng.randint(1992, 2025), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return str(PartialDate(year, month if precision >= 7 else None, day if precision >= 10 else None))

    def _unique_id(self, base: str, taken: set[str]) -> str:
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        return candidate

    # -- the records
    def generate(self) -> dict[str, list[dict]]:
        taken: set[str] = set()
        self._provinces(taken)
        self._glossary(taken)
        self.words.extra = [a for a, _ in self.abbrs[len(self.p.glossary):]]
        # Names and ids first, so that any record may point to any other.
        order = ["source", "topic", "organ", "directive", "model", "practice"]
        order += [k for k in self.counts if k not in order and k not in ("province", "glossary")]
        names: dict[str, list[str]] = {}
        for kind in order:
            if kind not in self.counts:
                continue
            display = "name" if "name" in KINDS[kind].model.model_fields else "title"
            stats = self.p.stats(kind, display if kind != "directive" else "title")
            names[kind] = [self.words.text(self._length(stats, 60), sentence=False) for _ in range(self.counts[kind])]
            self.ids[kind] = [self._unique_id(_slug(n), taken) for n in names[kind]]
        for kind in order:
            if kind in names:
                self.records[kind] = [self._record(kind, i, names[kind][i]) for i in range(self.counts[kind])]
        self._relations_in_time()
        return self.records

    def _relations_in_time(self) -> None:
        """A document cites, replaces… only one issued before it (validate.py checks the dates)."""
        directives = self.records.get("directive", [])
        issued = {r["id"]: PartialDate.parse(r["issued"]) for r in directives if r.get("issued")}
        for record in directives:
            mine = issued.get(record["id"])
            if mine and record.get("relations"):
                record["relations"] = [r for r in record["relations"]
                                       if not (r["target"] in issued and mine.before(issued[r["target"]]))]
                if not record["relations"]:
                    del record["relations"]

    def _provinces(self, taken: set[str]) -> None:
        if "province" not in self.counts:
            return
        current = {name: self._unique_id(_slug(name), taken) for name in MERGERS}
        records = []
        for name, old in MERGERS.items():
            records.append({"id": current[name], "name": name, "kind": "thành phố" if name in CITIES else "tỉnh"})
            for former in old:
                records.append({"id": self._unique_id(_slug(former), taken), "name": former, "kind": "tỉnh",
                                 "merged_into": current[name], "merged_on": "2025-07-01"})
        self.ids["province"] = [r["id"] for r in records]
        self.records["province"] = records

    def _glossary(self, taken: set[str]) -> None:
        if "glossary" not in self.counts:
            return
        seen = {a for a, _ in self.p.glossary}
        self.abbrs = list(self.p.glossary)[:self.counts["glossary"]]
        stats = self.p.stats("glossary", "expansion")
        while len(self.abbrs) < self.counts["glossary"]:
            expansion = self.words.text(self._length(stats, 20), sentence=False)
            letters = "".join(w[0] for w in expansion.split() if w[0].isalpha())
            abbr = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", letters.upper())
                                                        if not unicodedata.combining(c)))
            if len(abbr) >= 2 and abbr not in seen:
                seen.add(abbr)
                self.abbrs.append((abbr, expansion))
        self.records["glossary"] = [{"id": self._unique_id(_slug(a) or "viet-tat", taken), "abbr": a, "expansion": e}
                                    for a, e in self.abbrs]
        self.ids["glossary"] = [r["id"] for r in self.records["glossary"]]

    def _mimic(self, model, example: dict, kind: str, index: int, own: str) -> dict | None:
        refs = {f.name: f for f in ref_fields(model)}
        item: dict[str, Any] = {}
        for key, value in example.items():
            if key in refs:
                # References to the same kind point to older records only: no replacement cycles.
                before = index if refs[key].target == kind else None
                found = self._targets(refs[key].target, 1, exclude=own, before=before)
                if not found:
                    return None
                item[key] = found[0]
            elif isinstance(value, str) and " " in value.strip():
                item[key] = self.words.text(len(value), sentence=False)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                item[key] = [self.words.text(len(v)) for v in value]
            else:
                item[key] = value             # numbers, dates, relation types, page paths
        return item

    def _record(self, kind: str, index: int, name: str) -> dict:
        model = KINDS[kind].model
        refs = {f.name: f for f in ref_fields(model)}
        own = self.ids[kind][index]
        record: dict[str, Any] = {"id": own}
        last = ("sources", "topics")           # written last, as editors do
        names = [n for n in model.model_fields if n not in last] + [n for n in last if n in model.model_fields]
        for fname in names:
            info = model.model_fields[fname]
            if fname == "id":
                continue
            stats = self.p.stats(kind, fname)
            if fname in ("name", "title") and info.is_required() or (kind == "directive" and fname == "short_name"
                                                                       and self._filled(kind, fname, False)):
                record[fname] = name
                continue
            if not self._filled(kind, fname, info.is_required()):
                continue
            value = self._value(kind, index, fname, info, stats, refs.get(fname), own)
            if value not in (None, [], ""):
                record[fname] = value
        if kind == "directive" and not (record.get("number") or record.get("short_name") or record.get("title")):
            record["short_name"] = name
        if record.get("level") == "trung ương":      # a central document belongs to no province
            record.pop("province", None)
        if "other_provinces" in record:
            record["other_provinces"] = [p for p in record["other_provinces"] if p != record.get("province")]
        return record

    def _value(self, kind: str, index: int, name: str, info, stats: FieldStats, ref, own: str) -> Any:
        rng = self.rng
        if ref is not None:
            if ref.many:
                count = self._length(stats, 1) if stats.lengths else 1
                # A parent organ is declared before its children: no loops.
                return self._targets(ref.target, count, exclude=own)
            before = index if (ref.target == kind) else None
            found = self._targets(ref.target, 1, exclude=own, before=before)
            return found[0] if found else None
        annotation = info.annotation
        nested = _nested_model(annotation)
        if nested is not None:            # relations, figures, course items: like a real one, new targets and text
            real = [v for v in stats.values if isinstance(v, dict)]
            items = [self._mimic(nested, rng.choice(real), kind, index, own) for _ in range(self._length(stats, 1))]
            return [item for item in items if item]
        if "PartialDate" in repr(annotation):
            return self._date(stats)
        literal = [a for a in typing.get_args(annotation) if typing.get_origin(a) is typing.Literal]
        if typing.get_origin(annotation) is typing.Literal or literal:
            allowed = typing.get_args(annotation if not literal else literal[0])
            real = [v for v in stats.values if v in allowed]
            return rng.choice(real or list(allowed))
        if name == "number":
            code = rng.choice(["NQ/TW", "CT/TW", "QĐ/TW", "HD/BTCTW", "KL/TW", "KH/TU", "QĐi/TU", "HD/BTCTU"])
            return rng.choice([f"{rng.randint(1, 399)}-{code}", f"{rng.randint(1, 2999):02d}"])
        if name == "term":
            return rng.choice(ROMAN)
        if name == "url":
            return f"https://baochinhphu.example.vn/bai-viet/{self.ids[kind][index]}.htm"
        if name == "seed":
            return f"{index:03d}_{rng.getrandbits(64):016x}.txt"
        if name == "abbr":
            letters = "".join(w[0] for w in self.words.text(15, sentence=False).split() if w[0].isalpha())
            return fold(letters).upper() or None
        if typing.get_origin(annotation) is list:
            return [self.words.text(rng.choice(stats.items or [80])) for _ in range(self._length(stats, 1))]
        length = self._length(stats, 40)
        sentence = length > 80 and not info.is_required()
        return self.words.text(length, sentence=sentence)


def write_project(root: Path, size: int, profile: Profile, seed: int = 7) -> dict[str, int]:
    """A whole project in `root`: mkdocs.yml and content/ copied, data/ generated."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "content", root / "content")
    for theme in _config_paths(PROJECT / "mkdocs.yml", "theme", "custom_dir"):     # theme overrides
        shutil.copytree(PROJECT / theme, root / theme)
    for hook in _config_paths(PROJECT / "mkdocs.yml", "hooks"):      # hooks the search work may add
        (root / hook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / hook, root / hook)
    synth = Synthesizer(profile, size, seed)
    records = synth.generate()
    class dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
        """Quotes what a YAML 1.2 reader would take for a number ("08"), as editors are told to."""

    dumper.add_representer(str, lambda d, value: d.represent_scalar(
        "tag:yaml.org,2002:str", value, style='"' if yaml12_number(value) is not None else None))
    for kind, items in records.items():
        folder = root / "data" / KINDS[kind].folder
        folder.mkdir(parents=True, exist_ok=True)
        for record in items:
            name = record.get("name") or record.get("title") or record.get("short_name") or record.get("abbr")
            text = f"# {KINDS[kind].label.capitalize()} — {name}\n" + yaml.dump(
                record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)
            (folder / f"{record['id']}.yaml").write_text(text, encoding="utf-8")
    return {k: len(v) for k, v in records.items()}


def _config_paths(config_file: Path, key: str, subkey: str | None = None) -> list[str]:
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as f:
        raw = yaml_load(f) or {}
    value = raw.get(key) or []
    if subkey is not None:
        value = [value.get(subkey)] if isinstance(value, dict) else []
    return [p for p in value if isinstance(p, str)]


# --- Measured steps, each in its own process ---------------------------------------------

def _step(name: str, root: Path) -> dict:
    """Run one measured step in this (child) process and return its figures."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import logging
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    out: dict[str, Any] = {}
    if name == "pipeline":
        from .link import link
        from .load import load
        from .problems import has_errors
        from .render import render
        from .validate import validate

        started = time.perf_counter()
        documents, problems = load(root / "data")
        out["load_s"] = time.perf_counter() - started
        mark = time.perf_counter()
        entries, found = validate(documents)
        problems = sorted(problems + found)
        out["validate_s"] = time.perf_counter() - mark
        if has_errors(problems):
            raise SystemExit("synthetic data has errors:\n" + "\n".join(p.format() for p in problems[:20]))
        mark = time.perf_counter()
        handbook = link(entries)
        out["link_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pages = render(handbook)
        out["render_s"] = time.perf_counter() - mark
        out.update(records=len(entries), pages=len(pages), warnings=len(problems))
        docs = root / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        shutil.copytree(root / "content", docs)
        for path, text in pages.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(text, encoding="utf-8")
    elif name == "build":
        from .build import build_site

        started = time.perf_counter()
        build_site(root / "mkdocs.yml", root / "site")
        out["build_s"] = time.perf_counter() - started
    elif name == "bare":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.utils.yaml import yaml_load

        with open(root / "mkdocs.yml", "rb") as f:
            raw = yaml_load(f)
        plugins = [p for p in raw.get("plugins", []) if (next(iter(p)) if isinstance(p, dict) else p) != "handbook"]
        started = time.perf_counter()
        config = load_config(str(root / "mkdocs.yml"), docs_dir=str(root / "docs"),
                             site_dir=str(root / "site-bare"), plugins=plugins)
        build(config)
        out["bare_s"] = time.perf_counter() - started
    else:
        raise SystemExit(f"unknown step {name}")
    import resource
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_step(name: str, root: Path, profile_to: Path | None = None) -> dict:
    command = [sys.executable, "-m", "generator.benchmark", "--step", name, "--root", str(root)]
    if profile_to:
        command += ["--profile-to", str(profile_to)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT, check=False)
    if done.returncode:
        raise RuntimeError(f"step {name} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result[f"{name}_wall_s"] = time.perf_counter() - started
    return result


# --- What the built site weighs -----------------------------------------------------------

def site_figures(root: Path) -> dict:
    site = root / "site"
    sizes: dict[str, list[int]] = defaultdict(list)
    for kind in KINDS.values():
        if kind.name == "glossary":
            continue
        for page in (site / kind.section).glob("*/index.html"):
            sizes[kind.name].append(page.stat().st_size)
    every = [s for v in sizes.values() for s in v]
    index = site / "search" / "search_index.json"
    # The handbook's own index (search/hb/, generator/search.py) beside Material's settings file.
    search_files = [p.stat().st_size for p in (site / "search").rglob("*") if p.is_file()]
    search_bytes = sum(search_files)
    figures = {
        "record_pages": len(every),
        "html_median_b": statistics.median(every) if every else 0,
        "html_max_b": max(every, default=0),
        "html_median_by_kind_b": {k: statistics.median(v) for k, v in sizes.items() if v},
        "search_index_b": search_bytes,
        "search_largest_b": max(search_files, default=0),     # what one query may have to load at most
        "site_b": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }
    if index.exists() and json.loads(index.read_text(encoding="utf-8"))["docs"]:     # Material's own index
        figures["search"] = search_breakdown(index)
    return figures


def search_breakdown(index: Path) -> dict:
    """Where the search index's bytes go: pages vs sections, and text repeated on every page."""
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    total = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in docs)
    sections = [d for d in docs if "#" in d["location"]]
    repeated = Counter(d["text"] for d in docs if d["text"])
    boiler = sum(len(t.encode()) * (n - 1) for t, n in repeated.items() if n > 1)
    titles = Counter(d["title"] for d in sections)
    return {
        "entries": len(docs),
        "section_entries": len(sections),
        "section_share": sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in sections) / max(total, 1),
        "repeated_text_share": boiler / max(total, 1),
        "common_section_titles": titles.most_common(6),
    }


def bundle_figures(root: Path) -> dict | None:
    """The offline bundle's size, if `handbook bundle` exists yet."""
    probe = subprocess.run([sys.executable, "-m", "generator.cli", "bundle", "--help"],
                           capture_output=True, text=True, cwd=PROJECT, check=False)
    if probe.returncode != 0:
        return None
    out = root / "bundle.zip"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator.cli", "-C", str(root), "bundle", "-o", str(out)],
                          capture_output=True, text=True, cwd=PROJECT, check=False)
    if done.returncode or not out.exists():
        return {"error": done.stderr.strip().splitlines()[-1:] or ["no bundle written"]}
    return {"bundle_b": out.stat().st_size, "bundle_s": time.perf_counter() - started}


def print_figures(root: Path, whole: bool) -> dict:
    """Time, size and pages of `handbook print` for one course and, if `whole`, the whole handbook."""
    courses = sorted((root / "data" / "courses").glob("*.yaml"))
    runs = {"course": ["--course", str(courses[0])] if courses else None, "whole": [] if whole else None}
    figures: dict[str, Any] = {}
    for name, args in runs.items():
        if args is None:
            continue
        out = root / f"print-{name}.pdf"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "generator.cli", "-C", str(root), "print", *args, "-o", str(out)],
                              capture_output=True, text=True, cwd=PROJECT, check=False)
        took = time.perf_counter() - started
        pages = re.search(r"(\d+) trang A4", done.stderr)
        if done.returncode or not out.exists() or not pages:
            figures[name] = {"error": done.stderr.strip().splitlines()[-1:] or ["no PDF written"]}
        else:
            figures[name] = {"s": took, "b": out.stat().st_size, "pages": int(pages.group(1))}
    return figures


def _printed(r: dict, name: str) -> str:
    figures = r.get("print", {}).get(name)
    if figures is None:
        return "not run"
    if "error" in figures:
        return "failed"
    return f"{figures['s']:.1f} s, {_mb(figures['b'])}, {figures['pages']} p."


# --- Live reload: edit one YAML file, wait for the page to change -------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def serve_latency(root: Path, repeats: int = 3, start_timeout: float = 3600) -> dict:
    """Start `handbook serve`, change a practice's title `repeats` times; time each from the save
    to the moment the browser would reload (MkDocs' live-reload answer) with the change in the page."""
    practice = min((root / "data" / "practices").glob("*.yaml"))
    url_path = f"/{KINDS['practice'].section}/{practice.stem}/"
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    base = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    original = practice.read_text(encoding="utf-8")
    with open(root / "serve.log", "w") as logfile:
        server = subprocess.Popen([sys.executable, "-m", "generator.cli", "-C", str(root), "serve",
                                   "-a", f"127.0.0.1:{port}"], stdout=logfile, stderr=subprocess.STDOUT,
                                  cwd=PROJECT, env=env, start_new_session=True)
        try:
            started = time.perf_counter()
            while (page := _get(base + url_path)) is None:
                if server.poll() is not None or time.perf_counter() - started > start_timeout:
                    raise RuntimeError(f"serve did not start; see {root / 'serve.log'}")
                time.sleep(0.2)
            first = time.perf_counter() - started
            time.sleep(3.0)         # older than the parse cache's "just saved" window
            for attempt in range(repeats):
                page = _get(base + url_path) or ""
                epoch = re.search(r"livereload\((\d+), (\d+)\)", page)
                marker = f"Đo độ trễ {attempt} {os.getpid()}"
                practice.write_text(re.sub(r"(?m)^title: .*$", f"title: {marker}", original, count=1),
                                    encoding="utf-8")
                mark = time.perf_counter()
                known = epoch.group(1) if epoch else "0"
                while True:
                    answer = _get(f"{base}/livereload/{known}/{epoch.group(2) if epoch else 1}", timeout=120)
                    page = _get(base + url_path)
                    if page and marker in page:
                        break
                    known = answer.strip() if answer and answer.strip().isdigit() else known
                    if time.perf_counter() - mark > 1800:
                        raise RuntimeError("the edit never showed")
                latencies.append(time.perf_counter() - mark)
                time.sleep(3.0)         # let the watcher settle before the next edit
        finally:
            practice.write_text(original, encoding="utf-8")
            os.killpg(server.pid, 15)       # the server we started, and its children
            server.wait(timeout=30)
    return {"first_build_s": first, "latencies_s": latencies, "best_s": min(latencies),
            "median_s": statistics.median(latencies)}


def validate_times(root: Path, repeats: int = 2) -> dict:
    """`handbook validate` as an editor runs it: with no cache, then again with nothing changed."""
    def once() -> float:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "generator.cli", "-C", str(root), "validate"],
                              capture_output=True, text=True, cwd=PROJECT, check=False)
        if done.returncode:
            raise RuntimeError(f"validate failed:\n{done.stderr[-2000:]}")
        return time.perf_counter() - started

    cold, warm = [], []
    for _ in range(repeats):            # alternate, keep the fastest: the machine is shared
        shutil.rmtree(root / ".cache", ignore_errors=True)
        cold.append(once())
        time.sleep(2.1)
        warm.append(once())
    return {"validate_cold_s": min(cold), "validate_warm_s": min(warm), "validate_runs": [cold, warm]}


def real_project(dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(PROJECT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "data"):
        shutil.copytree(PROJECT / folder, dest / folder)
    for hook in _config_paths(PROJECT / "mkdocs.yml", "hooks"):
        (dest / hook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / hook, dest / hook)
    return dest


# --- The report ---------------------------------------------------------------------------

def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def verdict(value: float | None, target: float, unit: str = "", extrapolated: bool = False) -> str:
    if value is None:
        return "n/a"
    mark = "PASS" if value <= target else "MISS"
    note = ", extrapolated linearly" if extrapolated else ""
    return f"{mark}: {value:.2f}{unit} ({value / target:.2f}× the target{note})"


def report(results: list[dict], serve: dict | None) -> str:
    sizes = [r["size"] for r in results]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, fmt) -> None:
        rows.append((label, [fmt(r) for r in results]))

    row("records (pages)", lambda r: f"{r['records']} ({r['pages']})")
    row("load + validate + link", lambda r: f"{r['load_s'] + r['validate_s'] + r['link_s']:.2f} s")
    row("  load / validate / link", lambda r: f"{r['load_s']:.2f}/{r['validate_s']:.2f}/{r['link_s']:.2f}")
    row("render", lambda r: f"{r['render_s']:.2f} s")
    row("pipeline peak RSS", lambda r: f"{r['pipeline_peak_mb']:.0f} MB")
    row("full build (build_site)", lambda r: f"{r['build_s']:.1f} s")
    row("bare MkDocs build", lambda r: f"{r['bare_s']:.1f} s")
    row("full ÷ bare", lambda r: f"{r['build_s'] / r['bare_s']:.2f}×")
    row("full build peak RSS", lambda r: f"{r['build_peak_mb']:.0f} MB")
    row("bare build peak RSS", lambda r: f"{r['bare_peak_mb']:.0f} MB")
    row("record page HTML, median", lambda r: f"{r['html_median_b'] / 1000:.1f} KB")
    row("record page HTML, largest", lambda r: f"{r['html_max_b'] / 1000:.0f} KB")
    row("search index", lambda r: _mb(r["search_index_b"]))
    row("search index per record", lambda r: f"{r['search_index_b'] / r['records'] / 1000:.1f} KB")
    row("whole site", lambda r: _mb(r["site_b"]))
    row("offline bundle", lambda r: _mb(r["bundle"]["bundle_b"]) if r.get("bundle", {}).get("bundle_b")
        else "skipped (no `handbook bundle`)")
    row("course pack PDF", lambda r: _printed(r, "course"))
    row("whole handbook PDF", lambda r: _printed(r, "whole"))
    row("validate, no cache", lambda r: f"{r['validate_cold_s']:.2f} s")
    row("validate, nothing changed", lambda r: f"{r['validate_warm_s']:.2f} s")
    row("serve: edit → reloaded, best", lambda r: f"{r['serve']['best_s']:.2f} s" if r.get("serve") else "n/a")
    row("serve: runs", lambda r: "/".join(f"{x:.1f}" for x in r["serve"]["latencies_s"]) if r.get("serve")
        else "n/a")
    row("serve: first build", lambda r: f"{r['serve']['first_build_s']:.0f} s" if r.get("serve") else "n/a")
    width = max(len(label) for label, _ in rows)
    cols = [max(len(str(s)) + 8, *(len(v[i]) for _, v in rows)) for i, s in enumerate(sizes)]
    lines = [" " * width + " | " + " | ".join(f"{s:,} records".rjust(c) for s, c in zip(sizes, cols))]
    lines.append("-" * len(lines[0]))
    lines += [label.ljust(width) + " | " + " | ".join(v.rjust(c) for v, c in zip(values, cols))
              for label, values in rows]

    # Targets are stated at 20k records; a smaller largest run is extrapolated linearly.
    big = results[-1]
    scale = 20_000 / big["records"] if big["records"] else 1
    extra = abs(scale - 1) > 0.05
    first = results[0]
    overhead = max(r["build_s"] / r["bare_s"] for r in results)
    lvl = (big["load_s"] + big["validate_s"] + big["link_s"]) * scale
    lines += ["", "Targets (issues 7 and 14):",
              f"  load+validate+link of 20k ≤ 3 s: {verdict(lvl, TARGETS['lvl_20k_s'], ' s', extra)}",
              f"  render of 20k ≤ 20 s: {verdict(big['render_s'] * scale, TARGETS['render_20k_s'], ' s', extra)}",
              "  peak memory of the 20k build ≤ 1536 MB: "
              + (f"n/a (largest run {big['records']:,} records: {big['build_peak_mb']:.0f} MB)" if extra
                 else verdict(big["build_peak_mb"], TARGETS["peak_20k_mb"], " MB")),
              f"  full build ≤ 1.15× bare at {big['records']:,}: "
              f"{verdict(big['build_s'] / big['bare_s'], TARGETS['overhead'], '×')} (worst size {overhead:.2f}×)",
              (f"  record page HTML, median at {big['records']:,} ÷ at {first['records']:,} ≤ 1.1: "
               f"{verdict(big['html_median_b'] / first['html_median_b'], TARGETS['html_growth'], '×')}"
               if len(results) > 1 else "  record page HTML growth: n/a (one size)"),
              (f"  search: largest index file ≤ 10 MB (offline search froze above with one lunr file) at "
               f"{big['records']:,}: {verdict(big['search_largest_b'] / 1e6, TARGETS['search_index_mb'], ' MB')}; "
               f"whole index {_mb(big['search_index_b'])}, "
               f"{big['search_index_b'] / big['records'] / 1000:.1f} KB per record (sharded: a query loads its own)")]
    for r in results:
        if r["records"] == 20_000 or (extra and r is big):
            lines.append(f"  validate of {r['records']:,}, no cache ≤ 2.5 s: "
                         f"{verdict(r['validate_cold_s'] * scale, TARGETS['validate_cold_20k_s'], ' s', extra)}")
            lines.append(f"  validate of {r['records']:,}, nothing changed ≤ 1 s: "
                         f"{verdict(r['validate_warm_s'], TARGETS['validate_warm_20k_s'], ' s')}")
    serves = [("real data", (serve or {}).get("real"), SERVE_TARGETS["real"])]
    serves += [(f"{r['records']:,} records", r.get("serve"), SERVE_TARGETS.get(r["records"])) for r in results]
    for label, s, target in serves:
        if s and target:
            lines.append(f"  serve edit → reloaded, {label} ≤ {target:.0f} s: {verdict(s['best_s'], target, ' s')} "
                         f"(runs: {', '.join(f'{x:.1f}' for x in s['latencies_s'])} s; "
                         f"first build {s['first_build_s']:.0f} s)")
        elif s:
            lines.append(f"  serve edit → reloaded, {label}: {s['best_s']:.2f} s (no target at this size)")
    if not any(s for _, s, _ in serves):
        lines.append("  serve edit → reloaded: not measured (add --serve)")
    built = [r for r in results if r.get("bundle", {}).get("bundle_b")]
    lines.append("  offline bundle ready to search ≤ 2 s: not measured here (a browser test of the bundle's own)"
                 + (f"; `handbook bundle` took {built[-1]['bundle']['bundle_s']:.0f} s at {built[-1]['records']:,}"
                    if built else "; bundle skipped or unavailable"))
    lines.append("Peak memory is each step's process ru_maxrss (resident set, includes the interpreter).")
    return "\n".join(lines)


def _print_profile(path: Path, limit: int = 18) -> None:
    import pstats

    log(f"--- profile {path.name} (top {limit} by own time) ---")
    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated record counts (default 1000,5000,20000)")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}: a small run to try the script")
    parser.add_argument("--serve", action="store_true",
                        help="also time `handbook serve` from a YAML edit to the reloaded page, at every size "
                             "and on the real data")
    parser.add_argument("--no-bundle", action="store_true", help="skip `handbook bundle` (long at 20k)")
    parser.add_argument("--profile", action="store_true", help="run the pipeline and full build under cProfile")
    parser.add_argument("--work", type=Path, help="where to write the projects (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--print-whole-max", type=int, default=1000,
                        help="print the whole handbook to PDF only up to this many records (default 1000)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step:         # inside a child process
        if args.profile_to:
            import cProfile
            profiler = cProfile.Profile()
            result = profiler.runcall(_step, args.step, args.root)
            profiler.dump_stats(str(args.profile_to))
        else:
            result = _step(args.step, args.root)
        print(json.dumps(result))
        return 0

    sizes = list(QUICK_SIZES) if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    work = args.work or Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    profile = measure(PROJECT / "data")
    log(f"Profile of data/: {profile.describe()}")
    log(f"Working in {work} ({os.cpu_count()} CPUs)")
    results = []
    try:
        for size in sizes:
            root = work / f"n{size}"
            started = time.perf_counter()
            counts = write_project(root, size, profile, args.seed)
            log(f"[{size:,}] generated {sum(counts.values()):,} records in {time.perf_counter() - started:.1f} s: "
                + ", ".join(f"{k} {n}" for k, n in counts.items()))
            result: dict[str, Any] = {"size": size, "counts": counts}
            for step in ("pipeline", "build", "bare"):
                prof = work / f"{step}-{size}.prof" if args.profile and step != "bare" else None
                log(f"[{size:,}] {step}…")
                figures = run_step(step, root, prof)
                figures[f"{step}_peak_mb"] = figures.pop("peak_mb")
                result.update(figures)
                log(f"[{size:,}] {step}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                                      for k, v in figures.items()))
                if prof:
                    _print_profile(prof)
            result.update(site_figures(root))
            bundle = bundle_figures(root) if not args.no_bundle else None
            if bundle is not None:
                result["bundle"] = bundle
            log(f"[{size:,}] print…")
            result["print"] = print_figures(root, whole=size <= args.print_whole_max)
            log(f"[{size:,}] print: {result['print']}")
            log(f"[{size:,}] record page median {result['html_median_b'] / 1000:.1f} KB, "
                f"search index {_mb(result['search_index_b'])}, search {result.get('search')}")
            log(f"[{size:,}] validate…")
            result.update(validate_times(root))
            log(f"[{size:,}] validate: cold {result['validate_cold_s']:.2f} s, "
                f"nothing changed {result['validate_warm_s']:.2f} s")
            if not args.keep:
                for folder in ("site", "site-bare", "docs"):
                    shutil.rmtree(root / folder, ignore_errors=True)
            if args.serve:
                log(f"[{size:,}] serve…")
                try:
                    result["serve"] = serve_latency(root)
                    log(f"[{size:,}] serve: {result['serve']}")
                except (RuntimeError, OSError) as error:       # keep the figures measured so far
                    log(f"[{size:,}] serve failed: {error}")
            results.append(result)
        serve = None
        if args.serve:
            log("[serve] real data…")
            try:
                serve = {"real": serve_latency(real_project(work / "real"))}
                log(f"[serve] real: {serve['real']}")
            except (RuntimeError, OSError) as error:
                log(f"[serve] real failed: {error}")
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results, serve)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "serve": serve}, ensure_ascii=False, indent=1,
                                        default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
