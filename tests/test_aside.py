"""Work done by a forked copy while the build goes on (generator/aside.py)."""

import os
import threading
import time

import pytest

from generator.aside import Aside, AsideError

forking = pytest.mark.skipif(not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2,
                             reason="needs fork and two cores")


@forking
def test_the_work_runs_in_another_process_and_is_done_when_joined(tmp_path):
    out = tmp_path / "out.txt"

    def work():
        time.sleep(0.2)
        out.write_text(str(os.getpid()))

    job = Aside(work)
    assert not out.exists()         # the caller went on at once
    job.join()
    assert out.read_text() != str(os.getpid())


@forking
@pytest.mark.parametrize("failure", [ValueError("hỏng"), SystemExit(0), KeyboardInterrupt()])
def test_a_failure_is_raised_by_join_and_the_copy_never_returns_here(tmp_path, failure):
    """Whatever the work raises, even SystemExit(0), the copy leaves at once: the code after
    Aside() runs in this process only, and join() says the work failed, with its traceback."""
    marks = tmp_path / "marks"

    def work():
        raise failure

    job = Aside(work)
    with marks.open("a") as f:
        f.write(f"{os.getpid()}\n")
    with pytest.raises(AsideError, match=type(failure).__name__):
        job.join()
    assert marks.read_text().split() == [str(os.getpid())]


@forking
def test_cancel_stops_the_copy(tmp_path):
    out = tmp_path / "out.txt"

    def work():
        time.sleep(3)
        out.write_text("done")

    started = time.monotonic()
    job = Aside(work)
    job.cancel()
    assert time.monotonic() - started < 2
    time.sleep(0.1)
    assert not out.exists()
    job.join()      # nothing left to wait for, nothing to report


def test_with_threads_running_the_work_is_done_here(tmp_path):
    """A live server runs threads: a fork could copy a lock one of them holds."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pids = []
        job = Aside(lambda: pids.append(os.getpid()))
        assert pids == [os.getpid()]
        job.join()
        with pytest.raises(AsideError, match="ZeroDivisionError"):
            Aside(lambda: 1 / 0).join()
    finally:
        stop.set()
        thread.join()
