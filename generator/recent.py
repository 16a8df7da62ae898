"""When each record last changed, from the repository's history: "Mới cập nhật", "Cập nhật lần cuối".

A reader wants to know what is new and how fresh a page is. The only honest answer is the
history of the record's file: its last commit. File times are not (a checkout or an unzipped
download sets them all to the same moment), nor is the build's date. One `git log` pass over the
data folder gives every file's last commit at once, so the cost does not grow with the number of
pages that show a date.

Reproducible: the same history gives the same dates (the committer's date, in the committer's own
time zone, as `git log` shows it), whatever the machine's clock, time zone or file times. Edits not
yet committed do not count. Without git, or outside a repository (the project downloaded as a zip),
nothing is known: `last_changes` is empty, record pages show no date, and the home page lists the
newest documents by their own dates instead (home.py).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

#: How long the one `git log` may take before the dates are given up (seconds).
TIMEOUT = 60


@dataclass(frozen=True, order=True)
class Change:
    """A file's last commit: its time (to order changes) and the day it shows."""

    timestamp: int
    day: date

    def label(self) -> str:
        """"Cập nhật lần cuối 07/12/2026", as a record page says it."""
        return f"Cập nhật lần cuối {self.day:%d/%m/%Y}"


def last_changes(data_dir: Path) -> dict[str, Change]:
    """Each file under `data_dir` that git knows → its last commit, keyed by its path relative to
    the project (the folder holding `data_dir`), as `validate.Entry.path` names it. Empty without git."""
    root = data_dir.parent
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "-c", "core.quotepath=off", "log", "-z", "--no-renames", "--relative",
             "--name-only", "--format=%x01%ct %cI", "--", data_dir.name],
            capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    return parse_log(out.stdout.decode("utf-8", errors="surrogateescape"))


def parse_log(text: str) -> dict[str, Change]:
    """`git log -z --name-only --format=%x01%ct %cI` → each path's latest change (the greatest
    commit time; among equal times, the first listed, i.e. git's newest)."""
    found: dict[str, Change] = {}
    for commit in text.split("\x01")[1:]:
        header, _, names = commit.partition("\x00")
        stamp, _, iso = header.strip().partition(" ")
        try:
            change = Change(int(stamp), date.fromisoformat(iso[:10]))
        except ValueError:
            continue
        for name in names.split("\x00"):
            name = name.strip("\n")
            if name and (name not in found or change.timestamp > found[name].timestamp):
                found[name] = change
    return found


def record_changes(entries, changes: dict[str, Change]) -> dict[str, Change]:
    """Record id → its file's last change, for the records git knows (`entries`: validate.Entry values)."""
    return {entry.id: changes[entry.path] for entry in entries if entry.path in changes}
