"""Parsed record files kept between runs, so that only changed files are read again.

`handbook validate` and `handbook serve` read tens of thousands of YAML files
of which an editor changed one. A file's parsed Document (plain values,
positions, the loader's problems) is kept under `.cache/handbook/` keyed by
its path, size and status-change time (ctime: unlike the modification time,
no copying tool or `touch -d` can set it back), and by the code's own version; and so
is the outcome of the last validation, reused when no input changed at all.

The cache holds plain values only (marshal: text, numbers, lists, tuples,
dicts), and is read only if it carries a MAC made with a key kept outside
the project (`~/.cache/handbook/cache-key`, created on first use): a cache
file put in a pull request is ignored, never unmarshalled. What is read
back is still checked for shape. A file modified in the last couple of
seconds is not stored: its time stamp could stay the same through a second
quick save (the "racy" case known from git's index).
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import stat
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
NAME = "parsed.bin"
OUTCOME = "outcome.bin"
RACY_NS = 2_000_000_000
_MAC_BYTES = 32


def loader_version() -> str:
    """Changes whenever the code could read or judge a file differently."""
    digest = hashlib.sha256(sys.version.encode() + yaml.__version__.encode())
    here = Path(__file__).parent
    for source in [*sorted(here.glob("*.py")), *sorted((here / "assets" / "unicode").glob("*.txt"))]:     # and the tables they read
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _key() -> bytes | None:
    """This user's secret for the cache MAC, outside any project; None if it cannot be kept."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "handbook" / "cache-key"
    try:
        if path.is_file() and not path.is_symlink():
            key = path.read_bytes()
            if len(key) == 32:
                return key
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(key)
        return key
    except OSError:
        return None


class ParseCache:
    """path → (size, changed_ns, Document, problems); `get` and `put` as the loader reads files.

    The parsed files are read from disk on the first `get`, so that a run
    that recalls its outcome (nothing changed) never reads them.
    """

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self.version = loader_version()
        self._entries: dict[str, tuple[int, int, Document, list[Problem]]] | None = None if file else {}
        self.seen: set[str] = set()
        self.misses = 0
        self.stored = 0         # entries added or replaced since the last save
        self.key = _key() if file is not None else None

    @classmethod
    def of_project(cls, root: Path) -> ParseCache:
        return cls(root / FOLDER / NAME)

    @property
    def entries(self) -> dict[str, tuple[int, int, Document, list[Problem]]]:
        if self._entries is None:
            found = _read(self.file, self.version, self.key) if self.key else None
            self._entries = {}
            try:
                if isinstance(found, dict):
                    self._entries = {shown: _decode(shown, value) for shown, value in found.items()}
            except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                pass
        return self._entries

    def get(self, shown: str, size: int, changed_ns: int) -> tuple[Document, list[Problem]] | None:
        self.seen.add(shown)
        entry = self.entries.get(shown)
        if entry is not None and entry[0] == size and entry[1] == changed_ns:
            return entry[2], list(entry[3])
        self.misses += 1
        return None

    def put(self, shown: str, size: int, changed_ns: int, document: Document, problems: list[Problem]) -> None:
        if time.time_ns() - changed_ns < RACY_NS:       # may change again within the same time stamp
            self.entries.pop(shown, None)
            return
        self.entries[shown] = (size, changed_ns, document, problems)
        self.stored += 1

    def save(self, *, force: bool = False) -> None:
        """Write the cache if it changed enough to pay for the write (an entry left unsaved just misses)."""
        if self._worth_saving(force):
            self._write()

    def _worth_saving(self, force: bool = False) -> bool:
        if self._entries is None:
            return False
        for gone in self.entries.keys() - self.seen:
            del self.entries[gone]
        return self.file is not None and self.key is not None and (force or self.stored > len(self.entries) // 50)

    def _write(self) -> bool:
        body = {shown: _encode(*entry) for shown, entry in sorted(self.entries.items())}
        if _write(self.file, self.version, self.key, body):
            self.stored = 0
            return True
        return False

    # -- the outcome of a whole validation, reused while no input changes

    def recall(self, fingerprint: str | None) -> tuple[list[Problem], int] | None:
        """What validation found last time, if `fingerprint` (see `inputs`) is the same."""
        found = _read(self.file.with_name(OUTCOME), self.version, self.key) if fingerprint and self.key else None
        try:
            stored, problems, records = found
            if stored != fingerprint or not _int(records):
                return None
            return [_problem_in(p) for p in problems], records
        except (ValueError, TypeError):
            return None

    def remember(self, fingerprint: str | None, problems: list[Problem], records: int) -> None:
        if fingerprint and self.key and self.file:
            _write(self.file.with_name(OUTCOME), self.version, self.key,
                   (fingerprint, tuple(_problem_out(p) for p in problems), records))


def inputs(data_dir: Path, content_dir: Path) -> str | None:
    """A fingerprint of everything validation reads: every file under data/ (name, size, time,
    type), and every file under content/ (validation checks what the build may publish). None
    while a file was saved in the last moments."""
    digest = hashlib.sha256(loader_version().encode())
    now = time.time_ns()
    for folder, subfolders, names in os.walk(data_dir):
        subfolders.sort()
        digest.update(os.fsencode(folder) + b"\0")     # a name need not be UTF-8
        for name in sorted(names + subfolders):
            status = os.lstat(os.path.join(folder, name))
            if now - status.st_ctime_ns < RACY_NS and stat.S_ISREG(status.st_mode):
                return None
            digest.update(os.fsencode(name) + f"\0{status.st_size}\0{status.st_ctime_ns}\0{status.st_mode}\0".encode())
    for folder, subfolders, names in os.walk(content_dir):
        subfolders.sort()
        for name in sorted(names):     # validation reads content/ too (pages it may not publish)
            status = os.lstat(os.path.join(folder, name))
            digest.update(os.fsencode(os.path.join(folder, name))
                          + f"\0{status.st_size}\0{status.st_ctime_ns}\0{status.st_mode}\0".encode())
    return digest.hexdigest()


def _read(file: Path, version: str, key: bytes) -> Any:
    """The value stored in `file` if this user's handbook wrote it for this version; else None."""
    try:
        if file.is_symlink() or file.parent.is_symlink() or not file.is_file():
            return None
        blob = file.read_bytes()
        mac, body = blob[:_MAC_BYTES], blob[_MAC_BYTES:]
        if not hmac.compare_digest(mac, hmac.new(key, body, "sha256").digest()):
            return None         # not written by this user's handbook: never unmarshalled
        stored_version, value = marshal.loads(body)
        return value if stored_version == version else None
    except (OSError, ValueError, TypeError, EOFError, RecursionError):
        return None


def _write(file: Path, version: str, key: bytes, value: Any) -> bool:
    try:
        # A pull request may commit `.cache` or `.cache/handbook` as a link (to content/, data/…):
        # mkdir would follow it and the cache would be written there. Only real folders are used.
        for folder in (file.parent.parent, file.parent):
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                return False
            folder.mkdir(exist_ok=True)
        if file.parent.is_symlink() or file.is_symlink():
            return False
        gitignore = file.parent.parent / ".gitignore"
        if not os.path.lexists(gitignore):        # never committed by accident; never written through a link
            descriptor = os.open(gitignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write("*\n")
        body = marshal.dumps((version, value))
        handle, temporary = tempfile.mkstemp(prefix=".part-", dir=file.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(hmac.new(key, body, "sha256").digest() + body)
            os.replace(temporary, file)
        except BaseException:
            os.unlink(temporary)
            raise
        return True
    except OSError:
        return False        # a cache is an optimisation: a read-only project still works


# --- Plain values both ways -------------------------------------------------------------

def _encode(size: int, changed_ns: int, document: Document, problems: list[Problem]) -> tuple:
    return (size, changed_ns, document.kind.name, document.data, document.positions, document.key_positions,
            document.broken, document.refused, tuple(_problem_out(p) for p in problems))


def _problem_out(p: Problem) -> tuple:
    return p.path, p.line, p.col, p.code, p.message, p.hint, p.severity


def _problem_in(value: tuple) -> Problem:
    path, line, col, code, message, hint, severity = value
    if not (isinstance(path, str) and _int(line) and _int(col) and code in CODES and severity in (ERROR, WARNING)
            and isinstance(message, str) and isinstance(hint, str)):
        raise ValueError("problem")
    return Problem(path, line, col, code, message, hint, severity)


def _decode(shown: str, value: tuple) -> tuple[int, int, Document, list[Problem]]:
    size, changed_ns, kind, data, positions, key_positions, broken, refused, problems = value
    if not (_int(size) and _int(changed_ns) and kind in KINDS and isinstance(data, dict)
            and isinstance(positions, dict) and isinstance(key_positions, dict) and isinstance(broken, bool)
            and isinstance(refused, tuple)):
        raise ValueError(shown)
    found = [_problem_in(p) for p in problems]
    if any(p.path != shown for p in found):
        raise ValueError(shown)
    return size, changed_ns, Document(shown, KINDS[kind], data, positions, key_positions, broken, refused), found


def _int(value: Any) -> bool:
    return type(value) is int and value >= 0
