"""A record as every stage after validation holds it: its kind, its values and its file.

Declared with the schema, below the stages: validate makes entries, link, render,
search, bundle and print read them, and none of them imports a stage for the type.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Kind, Record


@dataclass(frozen=True)
class Entry:
    """A valid record together with where it was written."""

    kind: Kind
    record: Record
    path: str

    @property
    def id(self) -> str:
        return self.record.id
