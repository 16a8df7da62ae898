"""Parsed record files kept between runs, so that only changed files are read again.

`handbook validate` and `handbook serve` read tens of thousands of YAML files
of which an editor changed one. A file's parsed Document (plain values,
positions, the loader's problems) is kept under `.cache/handbook/` keyed by
its path, size and modification time, and by the loader's own version.

The cache is plain JSON, read back value by value and checked for shape: a
cache file is something an editor could put in a pull request, so nothing in
it is ever executed or trusted beyond "this parse may be reused". A corrupt,
foreign or symlinked cache is ignored. A file modified in the last couple of
seconds is not stored: its time stamp could stay the same through a second
quick save (the "racy" case known from git's index).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from .load import Document
from .problems import CODES, ERROR, WARNING, Problem
from .schema import KINDS

FOLDER = Path(".cache") / "handbook"
NAME = "parsed.json"
RACY_NS = 2_000_000_000


def loader_version() -> str:
    """Changes whenever the loader could parse a file differently."""
    source = (Path(__file__).with_name("load.py")).read_bytes()
    return hashlib.sha256(source + sys.version.encode() + yaml.__version__.encode()).hexdigest()[:16]


class ParseCache:
    """path → (size, mtime_ns, Document, problems); `get` and `put` as the loader reads files."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self.version = loader_version()
        self.entries: dict[str, tuple[int, int, Document, list[Problem]]] = {}
        self.seen: set[str] = set()
        self.misses = 0
        self.stored = 0         # entries added or replaced since the last save
        if file is not None:
            self.entries = _read(file, self.version)

    @classmethod
    def of_project(cls, root: Path) -> ParseCache:
        return cls(root / FOLDER / NAME)

    def get(self, shown: str, size: int, mtime_ns: int) -> tuple[Document, list[Problem]] | None:
        self.seen.add(shown)
        entry = self.entries.get(shown)
        if entry is not None and entry[0] == size and entry[1] == mtime_ns:
            return entry[2], list(entry[3])
        self.misses += 1
        return None

    def put(self, shown: str, size: int, mtime_ns: int, document: Document, problems: list[Problem]) -> None:
        if time.time_ns() - mtime_ns < RACY_NS:       # may change again within the same time stamp
            self.entries.pop(shown, None)
            return
        self.entries[shown] = (size, mtime_ns, document, problems)
        self.stored += 1

    def save(self, *, force: bool = False) -> None:
        """Write the cache if it changed enough to pay for the write (an entry left unsaved just misses)."""
        for gone in self.entries.keys() - self.seen:
            del self.entries[gone]
        if self.file is None or not (force or self.stored > len(self.entries) // 50):
            return
        try:
            _write(self.file, self.version, self.entries)
            self.stored = 0
        except OSError:
            pass        # a cache is an optimisation: a read-only project still works


def _read(file: Path, version: str) -> dict:
    try:
        if file.is_symlink() or file.parent.is_symlink() or not file.is_file():
            return {}
        raw = json.loads(file.read_bytes())
        if not isinstance(raw, dict) or raw.get("version") != version or not isinstance(raw.get("files"), dict):
            return {}
        entries = {}
        for shown, value in raw["files"].items():
            entries[shown] = _decode(shown, value)
        return entries
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return {}


def _write(file: Path, version: str, entries: dict) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    if file.parent.is_symlink() or file.is_symlink():
        return
    gitignore = file.parent.parent / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")     # never committed by accident
    payload = {"version": version,
               "files": {shown: _encode(*entry) for shown, entry in sorted(entries.items())}}
    handle, temporary = tempfile.mkstemp(prefix=".parsed-", dir=file.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, file)
    except BaseException:
        os.unlink(temporary)
        raise


# --- Plain values both ways -------------------------------------------------------------

def _encode(size: int, mtime_ns: int, document: Document, problems: list[Problem]) -> list:
    return [size, mtime_ns, document.kind.name, document.data,
            [[list(loc), *pos] for loc, pos in document.positions.items()],
            [[list(loc), *pos] for loc, pos in document.key_positions.items()],
            document.broken, [list(loc) for loc in document.refused],
            [[p.line, p.col, p.code, p.message, p.hint, p.severity] for p in problems]]


def _decode(shown: str, value: list) -> tuple[int, int, Document, list[Problem]]:
    size, mtime_ns, kind, data, positions, key_positions, broken, refused, problems = value
    if not (_int(size) and _int(mtime_ns) and kind in KINDS and isinstance(data, dict)
            and _plain(data) and isinstance(broken, bool)):
        raise ValueError(shown)
    document = Document(shown, KINDS[kind], data, _positions(positions), _positions(key_positions),
                        broken=broken, refused=tuple(_loc(loc) for loc in refused))
    found = []
    for line, col, code, message, hint, severity in problems:
        if not (_int(line) and _int(col) and code in CODES and severity in (ERROR, WARNING)
                and isinstance(message, str) and isinstance(hint, str)):
            raise ValueError(shown)
        found.append(Problem(shown, line, col, code, message, hint, severity))
    return size, mtime_ns, document, found


def _positions(items: list) -> dict[tuple, tuple[int, int]]:
    found = {}
    for loc, line, col in items:
        if not (_int(line) and _int(col)):
            raise ValueError("position")
        found[_loc(loc)] = (line, col)
    return found


def _loc(loc: list) -> tuple:
    if not isinstance(loc, list) or not all(isinstance(p, str) or _int(p) for p in loc):
        raise ValueError("location")
    return tuple(loc)


def _int(value: Any) -> bool:
    return type(value) is int and value >= 0


def _plain(value: Any, depth: int = 0) -> bool:
    """Only what the loader itself produces: text, None, lists and string-keyed groups, not too deep."""
    if value is None or isinstance(value, str):
        return True
    if depth > 20:
        return False
    if isinstance(value, list):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False
