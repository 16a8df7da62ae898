"""Work done by a forked copy of the process while the process goes on (a second core).

Two jobs pay for it: a build writes the search index while it renders the
pages' templates (10 s at 20k records), and `handbook validate` writes its
parse cache while it validates. The copy shares the parent's memory and
leaves with `os._exit`: it never returns into the caller's code.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import traceback
from typing import Callable


class AsideError(Exception):
    """The work failed; the message is its traceback."""


class Aside:
    """`work()` running in a forked copy; `join()` waits for it and raises AsideError if it failed.

    Where forking is unsafe (threads: a live server could be copied holding a lock), impossible,
    or useless (one core), the work is done here and now, and `join()` reports it the same way.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self.pid: int | None = None
        self.error: str | None = None
        if threading.active_count() > 1 or not hasattr(os, "fork") or _cores() < 2:
            self._run_here(work)
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            self._run_here(work)
            return
        if pid == 0:
            os.close(read)
            _child(work, write)
        os.close(write)
        self.pid, self.pipe = pid, read

    def _run_here(self, work: Callable[[], object]) -> None:
        try:
            work()
        except Exception:
            self.error = traceback.format_exc()

    def join(self) -> None:
        if self.pid is not None:
            with os.fdopen(self.pipe, "rb") as pipe:
                said = pipe.read().decode("utf-8", errors="replace")
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            code = os.waitstatus_to_exitcode(status)
            if code:
                self.error = said.strip() or f"exit status {code}"
        if self.error:
            raise AsideError(self.error)

    def cancel(self) -> None:
        """Stop the copy (the build it worked for failed) and forget it."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.close(self.pipe)
            os.waitpid(self.pid, 0)
            self.pid = None


def _child(work: Callable[[], object], write: int) -> None:
    code = 0
    try:
        gc.freeze()         # no collection walking (and so copying) the parent's objects
        work()
    except BaseException:   # Ctrl-C included: the copy must never unwind into the caller
        code = 1
        try:
            os.write(write, traceback.format_exc()[-8000:].encode())     # below a pipe's buffer
        except OSError:
            pass
    finally:
        os._exit(code)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
