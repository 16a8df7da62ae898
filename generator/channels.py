"""The three ways the tools speak, and the one formatter each that every message goes through.

Record keys, file names and messages are the authors' text, and a pull request's author
is not always a friend. Printed raw, a newline in a key starts a new line that GitHub's
runner reads as a workflow command (`::warning …`, on stdout or stderr alike); ESC and BEL
drive the terminal (colours, the window title, cursor moves that hide lines); U+202E
prints the rest of a line reversed. So:

- terminal: every line is text with each character that is not printable text written
  as an escape (`\\n`, `\\x1b`, `\\u202e`, see characters.py), and a line GitHub would read
  as a command (`::` after leading spaces, or `##[` anywhere: the runner's old syntax) is
  defused. `guarded()` puts this formatter in front of stdout and stderr for the whole
  command, so that MkDocs' log lines and our own prints alike pass through it.
- github: annotations are made here and only here, written past the guard; their values
  are escaped as the runner unescapes them, after the terminal's escaping.
- json: one document; every character that is not printable text as `\\uXXXX`.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Iterator

from .characters import NOT_IN_TEXT, escaped


def terminal(text: str) -> str:
    """`text` as one line a terminal and GitHub's runner show as it is."""
    return defused(escaped(text))


def defused(line: str) -> str:
    """A line that GitHub's runner cannot take for a workflow command (it trims leading white space)."""
    rest = line.lstrip()
    if rest.startswith("::"):
        line = line[:len(line) - len(rest)] + "\\x3a" + rest[1:]
    return line.replace("##[", "##\\x5b")


def annotation(level: str, path: str, line: int, col: int, title: str, message: str) -> str:
    """A GitHub Actions annotation (`::error file=…,line=…::message`), shown on the diff's line."""
    def value(text: str) -> str:        # what the runner unescapes in a value
        return terminal(text).replace("%", "%25")

    def prop(text: str) -> str:         # …and in a property, where "," and ":" separate
        return value(text).replace(",", "%2C").replace(":", "%3A")

    return f"::{level} file={prop(path)},line={line},col={col},title={prop(title)}::{value(message)}"


def as_json(value: object) -> str:
    """A JSON document with every character that is not printable text as an escape."""
    text = json.dumps(value, ensure_ascii=False, indent=2)     # its own line breaks are raw
    return NOT_IN_TEXT.sub(_json_escape, text).replace("##[", "##\\u005b")     # only inside strings


def _json_escape(match) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xd800 + (code >> 10):04x}\\u{0xdc00 + (code & 0x3ff):04x}"


class _Guard:
    """A stream that writes each complete line through `terminal`; the rest passes to the stream."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self.stream.write(terminal(line) + "\n")
        return len(text)

    def command(self, line: str) -> None:
        """A line made by `annotation`, written as it is."""
        self.finish()
        self.stream.write(line + "\n")

    def finish(self) -> None:
        if self.pending:
            self.stream.write(terminal(self.pending) + "\n")
            self.pending = ""
        self.stream.flush()

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str):       # encoding, isatty, fileno…: the stream's
        return getattr(self.stream, name)


@contextmanager
def guarded() -> Iterator[None]:
    """stdout and stderr through the terminal formatter while a command runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Guard(sys.stdout), _Guard(sys.stderr)
    try:
        yield
    finally:
        guards = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = saved
        for guard in guards:
            if isinstance(guard, _Guard):
                guard.finish()


def command(line: str) -> None:
    """Print an annotation on stdout, past the guard."""
    if isinstance(sys.stdout, _Guard):
        sys.stdout.command(line)
    else:
        print(line)
