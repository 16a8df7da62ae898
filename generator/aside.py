"""The one way the handbook runs work in parallel: a forked copy of the process (`Aside`),
as many at once as one switch says (`jobs`).

`HANDBOOK_JOBS=N` sets how many processes may work at once; unset, 2 where this process may
run on two cores or more, else 1 (measured at 20k records on 2 cores: see the README's
Performance section; 4 cores were not measured). With 1, nothing forks and every job is
done in place, in the same order, with the same result. Where it forks (what the benchmark
showed to pay at 20k records; the render and the parse cache's save no longer fork):

- `load`: the files to parse are split into `jobs()` shares, all but the first parsed by copies;
- a build's search index, written by a copy while MkDocs renders the pages' templates (plugin).

`handbook serve` never forks (its live server runs threads, and a fork copies a lock one of them
may hold): it asks `load` for one job, and writes its search index in place.

A copy shares the parent's memory and leaves with `os._exit`: it never returns into the
caller's code, and it never outlives the run it works for (`stop_all`, and on Linux the
kernel stops it when the parent dies).
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import pickle
import signal
import traceback
from typing import Callable

_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def jobs() -> int:
    """How many processes may work at once: `HANDBOOK_JOBS`, else 2 with two cores or more."""
    said = os.environ.get("HANDBOOK_JOBS", "").strip()
    if not said:
        return min(2, _cores()) if hasattr(os, "fork") else 1
    if not said.isascii() or not said.isdigit() or int(said) < 1:
        raise SystemExit(f"HANDBOOK_JOBS={said!r} không hợp lệ: cần một số nguyên dương "
                         "(1: chạy trên một lõi, không tách tiến trình).")
    return int(said) if hasattr(os, "fork") else 1


class AsideError(Exception):
    """The work failed: the message says how (its last line), `details` its traceback."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class Aside:
    """`work()` running in a forked copy; `join()` waits for it and returns what it returned
    (pickled back), or raises if it failed: the same OSError (so its message and hint are the
    usual ones), else AsideError.

    With one job (`jobs`), or where the system cannot fork now, the work is done here and now,
    and `join()` reports it the same way.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self.pid: int | None = None
        self.failure: dict | None = None
        self.result: object = None
        if jobs() < 2:
            self._run_here(work)
            return
        read, write = os.pipe()
        parent = os.getpid()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)     # no Ctrl-C between fork and try
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(read)
            os.close(write)
            self._run_here(work)
            return
        if pid == 0:
            os.close(read)
            _child(work, write, parent, blocked)
        os.close(write)
        self.pid, self.pipe = pid, read
        _live.add(self)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def _run_here(self, work: Callable[[], object]) -> None:
        try:
            self.result = work()
        except Exception as error:
            self.failure = _failure(error)

    def join(self) -> object:
        if self.pid is not None:
            with os.fdopen(self.pipe, "rb") as pipe:
                said = pipe.read()      # the copy's answer, while it writes it
            _, status = os.waitpid(self.pid, 0)
            _live.discard(self)
            self.pid = None
            code = os.waitstatus_to_exitcode(status)
            if code < 0:
                self.failure = {"error": f"tiến trình phụ bị dừng (tín hiệu {-code}; có thể do hết bộ nhớ)"}
            elif code:
                self.failure = _said_failure(said) or {"error": f"tiến trình phụ thoát với mã {code}"}
            else:
                self.result = pickle.loads(said)
        if self.failure:
            failure = self.failure
            if failure.get("errno") is not None:
                raise OSError(failure["errno"], failure["strerror"], failure["filename"])
            raise AsideError(failure["error"], failure.get("details", ""))
        return self.result

    def cancel(self) -> None:
        """Stop the copy (the run it worked for failed) and forget it."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.close(self.pipe)
            os.waitpid(self.pid, 0)
            _live.discard(self)
            self.pid = None


_live: set[Aside] = set()


@atexit.register
def stop_all() -> None:
    """Stop every copy still at work: the run it works for was interrupted (Ctrl-C reaches no
    plugin event), and it must not write into a folder after its parent cleaned up."""
    for job in list(_live):
        job.cancel()


def _child(work: Callable[[], object], write: int, parent: int, mask: set) -> None:
    code = 0
    try:
        for number in _SIGNALS:         # Ctrl-C, kill: stop at once, unwinding nothing
            signal.signal(number, signal.SIG_DFL)
        _die_with(parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.freeze()         # no collection walking (and so copying) the parent's objects
        answer = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb", closefd=False) as pipe:     # the parent reads it when it joins
            pipe.write(answer)
    except BaseException as error:      # the copy must never unwind into the caller
        code = 1
        try:
            os.write(write, json.dumps(_failure(error)).encode())     # ASCII: a file name may not be UTF-8
        except (OSError, ValueError):
            pass
    finally:
        os._exit(code)


def _said_failure(said: bytes) -> dict | None:
    try:
        return json.loads(said)
    except ValueError:      # cut short (the answer was being written when it failed)
        return None


def _failure(error: BaseException) -> dict:
    details = "".join(traceback.format_exception(error))[-8000:]
    said = {"error": "".join(traceback.format_exception_only(error)).strip()[:2000], "details": details}
    if isinstance(error, OSError) and error.errno is not None:
        said.update(errno=error.errno, strerror=error.strerror, filename=error.filename)
    return said


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this copy when its parent dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:          # the parent died before that was set
        os._exit(1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
