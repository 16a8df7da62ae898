"""Stage 3: resolve references both ways.

Every reference a record makes becomes an edge with a label for each end;
the reverse direction (backlinks) is computed here and never typed by hand.
Validation has already checked every id, so this stage cannot fail. Groups
and their members are sorted so that the same data gives the same pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .load import paused_gc
from .field_types import slot
from .schema import KINDS, RELATION_TYPES, Glossary, ref_fields, relations_field
from .text import sort_key
from .records import Entry



def _label_order() -> dict[str, int]:
    """Labels in the order the schema declares them: relations, then fields."""
    labels = [r.label for r in RELATION_TYPES.values()] + [r.backlabel for r in RELATION_TYPES.values()]
    for kind in KINDS.values():
        labels += [f.label for f in ref_fields(kind.model)]
    for kind in KINDS.values():
        labels += [f.backlabel for f in ref_fields(kind.model)]
        labels += [f.backlabel for _, refs in _nested_refs(kind.model) for f in refs]
    return {label: index for index, label in enumerate(dict.fromkeys(labels))}


@dataclass(frozen=True)
class Group:
    """Records listed under one label on a page, e.g. "Được cụ thể hóa"."""

    label: str
    field: str          # the field that made the link: a reference field or "relations"
    entries: tuple[Entry, ...]


@dataclass
class Handbook:
    """Valid records with their links resolved, ready to render."""

    entries: dict[str, Entry]
    outgoing: dict[str, list[Group]] = field(default_factory=dict)
    incoming: dict[str, list[Group]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.kind.name == kind), key=entry_order)

    def glossary(self) -> dict[str, str]:
        """Abbreviation → expansion, for tooltips and search."""
        return {e.record.abbr: e.record.expansion
                for e in sorted((e for e in self.entries.values() if isinstance(e.record, Glossary)), key=entry_order)}

    def citing(self, entry_id: str, kind: str) -> list[Entry]:
        """Records of `kind` that point at `entry_id`, whatever the label."""
        found = {e.id: e for g in self.incoming.get(entry_id, []) for e in g.entries if e.kind.name == kind}
        return sorted(found.values(), key=entry_order)


    def formers(self, entry_id: str) -> list[Entry]:
        """The former records now part of `entry_id` (its kind's `successor` role): old provinces
        merged into a current one. Not every same-kind link: a twinned province is no former one."""
        kind = self.entries[entry_id].kind
        return [e for e in self.citing(entry_id, kind.name)
                if kind.successor and getattr(e.record, kind.successor) == entry_id]


def nested_targets(record, nested: list[tuple[str, list]] | None = None) -> list[tuple[tuple[str, str], str]]:
    """(backlabel, field path) and target id of every reference inside the record's nested values."""
    found = []
    for name, inner in _nested_refs(type(record)) if nested is None else nested:
        value = getattr(record, name)
        for item in value if isinstance(value, list) else [value] if value else []:
            for ref in inner:
                target = getattr(item, ref.name)
                found += [((ref.backlabel, f"{name}.{ref.name}"), t) for t in (target if ref.many else [target] if target else [])]
    return found


def _nested_refs(model) -> list[tuple[str, list]]:
    """Fields holding nested values whose references make backlinks (those declaring a backlabel;
    a course item or a relation's target is shown its own way)."""
    found = []
    for name, info in model.model_fields.items():
        inner = slot(info, name).nested
        refs = [ref for ref in ref_fields(inner) if ref.backlabel] if inner else []
        if refs:
            found.append((name, refs))
    return found


def entry_order(entry: Entry) -> tuple:
    rank = _KIND_RANK.get(entry.kind.name)
    if rank is None:        # first call, or a kind registered since (tests declare kinds)
        _KIND_RANK.clear()
        _KIND_RANK.update({name: index for index, name in enumerate(KINDS)})
        rank = _KIND_RANK[entry.kind.name]
    return rank, _sort_key(entry.record.display_name()), entry.id


_KIND_RANK: dict[str, int] = {}     # kind name → its place in KINDS

# Every sort of every group and index asks again for the same names: fold each once.
_sort_key = lru_cache(maxsize=1 << 16)(sort_key)


@paused_gc()
def link(entries: dict[str, Entry]) -> Handbook:
    outgoing: dict[str, dict[tuple, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    incoming: dict[str, dict[tuple, list[Entry]]] = defaultdict(lambda: defaultdict(list))

    refs = {kind.model: ref_fields(kind.model) for kind in KINDS.values()}     # not once per record
    nested = {kind.model: _nested_refs(kind.model) for kind in KINDS.values()}
    relations_of = {kind.model: relations_field(kind.model) for kind in KINDS.values()}
    for entry in entries.values():
        record = entry.record
        relations = relations_of[type(record)]
        for relation in getattr(record, relations) if relations else ():
            kind, target = RELATION_TYPES[relation.type], entries[relation.target]
            outgoing[entry.id][(kind.label, relations)].append(target)
            if kind.symmetric:      # the same label on both pages
                outgoing[target.id][(kind.label, relations)].append(entry)
            else:
                incoming[target.id][(kind.backlabel, relations)].append(entry)
        for ref in refs[type(record)]:
            value = getattr(record, ref.name)
            for target_id in (value if ref.many else [value] if value else []):
                outgoing[entry.id][(ref.label, ref.name)].append(entries[target_id])
                if ref.symmetric:       # the same label on both pages
                    outgoing[target_id][(ref.label, ref.name)].append(entry)
                else:
                    incoming[target_id][(ref.backlabel, ref.name)].append(entry)
        for key, target_id in nested_targets(record, nested[type(record)]):    # the organ of each speaker
            incoming[target_id][key].append(entry)

    order = {i: entry_order(e) for i, e in entries.items()}     # once per record, not once per mention
    label_order = _label_order()        # read now: a kind may have been declared since import

    def groups(table: dict[tuple, list[Entry]], by_label: bool = False) -> list[Group]:
        """One group per (label, field); per label alone for backlinks, which the reader
        sees by label only ("Được trích dẫn trong", whichever field cites the source)."""
        merged: dict[tuple, list[Entry]] = {}
        field_of: dict[tuple, str] = {}       # a merged group names its first field
        for label, name in sorted(table, key=lambda key: (label_order[key[0]], key[1])):
            key = (label,) if by_label else (label, name)
            field_of.setdefault(key, name)
            merged.setdefault(key, []).extend(table[(label, name)])
        return [Group(key[0], field_of[key], tuple(sorted({e.id: e for e in members}.values(),
                                                          key=lambda e: order[e.id])))
                for key, members in merged.items()]

    return Handbook(entries=entries,
                    outgoing={i: groups(t) for i, t in sorted(outgoing.items())},
                    incoming={i: groups(t, by_label=True) for i, t in sorted(incoming.items())})
