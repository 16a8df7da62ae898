"""A synthetic handbook of any size, shaped like the real data/ (for the benchmarks and their test).

The records follow the real data/: the mix of kinds, how often each field is
filled, how many references each list holds, text lengths, literal values and
date precision are measured from it on every run, and the text is drawn from a
word chain learnt from its Vietnamese (NFC, with diacritics). Closed
vocabularies do not grow with the handbook: there are the 63 provinces of 2024
(29 of them merged into 34 current ones on 1 July 2025), at most 120 topics,
100 abbreviations and 50 courses (CAPS).

Two shapes (SHAPES). "national", the default: the handbook a whole country would keep, mostly
practices and local documents, with references as concentrated as real ones are (a few central
directives cited by thousands of practices, topics by hundreds, each province listing its share),
drawn from a Zipf law over each kind's records. "spread": the real data's mix of kinds with every
reference drawn uniformly, which few pages depend on (the benchmark's data before issue 29).
`fan_out` says how concentrated the references of any set of records are.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
import typing
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.dates import PartialDate
from generator.load import load, yaml12_number
from generator.characters import name_key
from generator.schema import KINDS, ref_fields
from generator.text import fold

PROJECT = Path(__file__).resolve().parents[2]
CAPS = {"topic": 120, "glossary": 100, "course": 50}     # closed or curated sets do not grow with the data

# Each shape: the mix of the kinds that grow with the handbook (None: the real data's), and the
# Zipf exponent of references (0: uniform). With 1.0 the most cited of 5,000 directives gets
# about a tenth of all references to directives, the hundredth a thousandth.
SHAPES = {
    "national": ({"practice": 0.55, "directive": 0.25, "source": 0.08, "model": 0.06, "organ": 0.06}, 1.0),
    "spread": (None, 0.0),
}

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
    documents, _ = load(data_dir)
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


def plan(size: int, profile: Profile, mix: dict[str, float] | None = None) -> dict[str, int]:
    """How many records of each kind: closed vocabularies capped, the other kinds shared out by the
    shape's mix (else as in the real data)."""
    real = {k: profile.counts.get(k, 0) for k in KINDS}
    total = sum(real.values()) or 1
    fixed = {}
    if real.get("province"):
        fixed["province"] = sum(1 + len(old) for old in MERGERS.values())
    for kind, cap in CAPS.items():
        if real.get(kind):
            fixed[kind] = max(1, min(cap, round(size * real[kind] / total)))
    rest = {k: n for k, n in real.items() if n and k not in fixed}
    if mix is not None:
        rest = {k: share for k, share in mix.items() if k in rest}
    left = max(size - sum(fixed.values()), len(rest))
    scale = left / (sum(rest.values()) or 1)
    counts = {k: int(n * scale) for k, n in rest.items()}
    for kind in sorted(rest, key=lambda k: -(rest[k] * scale % 1))[:left - sum(counts.values())]:
        counts[kind] += 1
    return {k: max(1, n) for k, n in {**counts, **fixed}.items()}


class Synthesizer:
    """Writes `size` valid records whose shape follows the profile."""

    def __init__(self, profile: Profile, size: int, seed: int = 7, shape: str = "national") -> None:
        self.p = profile
        self.rng = random.Random(seed)
        mix, self.zipf = SHAPES[shape]
        self.counts = plan(size, profile, mix)
        self.weights: dict[str, list[float]] = {}      # cumulative Zipf weights of each kind's records
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
        weights = self._weights(kind)[:len(pool)] if self.zipf else None
        found: list[str] = []
        while len(found) < count:
            target = self.rng.choices(pool, cum_weights=weights)[0] if weights else self.rng.choice(pool)
            if target != exclude and target not in found:
                found.append(target)
        return found

    def _weights(self, kind: str) -> list[float]:
        """Zipf over the kind's records in a shuffled order (popularity has nothing to do with age,
        except that older records are the only ones a same-kind reference may point to)."""
        if kind not in self.weights:
            ranks = list(range(1, len(self.ids.get(kind, [])) + 1))
            random.Random(kind).shuffle(ranks)
            self.weights[kind] = list(itertools.accumulate(1 / rank ** self.zipf for rank in ranks))
        return self.weights[kind]

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
        self._distinct_names()
        return self.records

    def _distinct_names(self) -> None:
        """No two records of one kind shown under one name (the validator's `name.duplicate`): a
        repeated directive number is dropped (its title names it then), another repeat is counted."""
        for kind, items in self.records.items():
            declared = KINDS[kind]
            if kind == "glossary":      # its own rule, one meaning per abbreviation, holds already
                continue
            seen: set = set()
            for record in items:
                name, count = record.get(declared.name_field), 1
                while True:
                    model = declared.model.model_validate(record)
                    issuer = getattr(model, declared.issuer) if declared.issuer and model.names_issuer() else None
                    key = (name_key(model.display_name()), issuer)
                    if key not in seen:
                        break
                    if record.get("number"):
                        del record["number"]
                    else:
                        count += 1
                        record[declared.name_field] = f"{name} ({count})"
                seen.add(key)

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
                item[key] = list(dict.fromkeys(self.words.text(len(v)) for v in value))
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
        if typing.get_origin(annotation) is list:     # items are distinct, as validate.py requires
            return list(dict.fromkeys(self.words.text(rng.choice(stats.items or [80]))
                                      for _ in range(self._length(stats, 1))))
        length = self._length(stats, 40)
        sentence = length > 80 and not info.is_required()
        return self.words.text(length, sentence=sentence)


def project_files(dest: Path, *, data: bool = False) -> Path:
    """A fresh project in `dest`: mkdocs.yml, content/ and what mkdocs.yml names (theme overrides,
    hooks) copied from this one, and data/ too if `data`. MkDocs refuses to start without them."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copy2(PROJECT / "mkdocs.yml", dest / "mkdocs.yml")
    for path in ["content", *(["data"] if data else []), *_named_paths(PROJECT / "mkdocs.yml")]:
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (PROJECT / path).is_dir() else shutil.copy2)(PROJECT / path, dest / path)
    return dest


def write_project(root: Path, size: int, profile: Profile, seed: int = 7, shape: str = "national") -> dict[str, int]:
    """A whole project in `root`: mkdocs.yml and content/ copied, data/ generated."""
    project_files(root)
    records = Synthesizer(profile, size, seed, shape).generate()

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


def _named_paths(config_file: Path) -> list[str]:
    """The theme overrides and hooks that mkdocs.yml names, relative to the project."""
    from generator.engine import yaml_load

    with open(config_file, "rb") as f:
        raw = yaml_load(f) or {}
    theme = raw.get("theme")
    custom = [theme.get("custom_dir")] if isinstance(theme, dict) else []
    return [p for p in custom + list(raw.get("hooks") or []) if isinstance(p, str)]


def references(kind: str, record: dict) -> list[str]:
    """The ids a record names, in its own fields and in its lists of groups (relations, items…)."""
    found: list[str] = []

    def walk(model, data: dict) -> None:
        refs = {f.name for f in ref_fields(model)}
        for name, value in data.items():
            info = model.model_fields.get(name)
            if info is None:
                continue
            if name in refs:
                found.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
            elif (nested := _nested_model(info.annotation)) is not None and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        walk(nested, item)

    walk(KINDS[kind].model, record)
    return found


def fan_out(records: dict[str, list[dict]]) -> dict[str, tuple[int, str]]:
    """How concentrated references are: the most references one record makes ("listing"), and for
    each kind the most one of its records receives (what its page lists), with that record's id."""
    kinds = {r["id"]: kind for kind, items in records.items() for r in items if isinstance(r.get("id"), str)}
    incoming: Counter = Counter()
    most: dict[str, tuple[int, str]] = {"listing": (0, "")}
    for kind, items in records.items():
        for record in items:
            targets = set(references(kind, record)) & kinds.keys()
            incoming.update(targets)
            most["listing"] = max(most["listing"], (len(targets), f"{kind} {record.get('id')}"))
    for target, count in incoming.items():
        kind = kinds[target]
        most[kind] = max(most.get(kind, (0, "")), (count, target))
    return most


def describe_fan_out(most: dict[str, tuple[int, str]]) -> str:
    return ", ".join(f"{name} {count:,} ({which})" for name, (count, which) in most.items())


def real_records(data_dir: Path) -> dict[str, list[dict]]:
    """The real data/ as plain records by kind (for `fan_out`)."""
    documents, _ = load(data_dir)
    records: dict[str, list[dict]] = defaultdict(list)
    for document in documents:
        if not document.broken:
            records[document.kind.name].append(document.data)
    return dict(records)
