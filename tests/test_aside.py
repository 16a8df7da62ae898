"""Work done by a forked copy while the build goes on (generator/aside.py).

The forking cases run in a fresh interpreter with HANDBOOK_JOBS=2: this one may run threads
left by other tests (a browser driver), and a fork copies only the thread that forks.
"""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator.aside import Aside, AsideError, jobs

forking = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
TWO_JOBS = {**os.environ, "HANDBOOK_JOBS": "2"}


def fresh(code: str) -> list[str]:
    """Run `code` (with `Aside`, `AsideError`, `os` and `time` imported) in a new interpreter; its output lines."""
    done = subprocess.run([sys.executable, "-c", "import os, time\nfrom generator.aside import Aside, AsideError\n"
                           + textwrap.dedent(code)], capture_output=True, text=True, timeout=60, env=TWO_JOBS)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@forking
def test_the_work_runs_in_another_process_and_is_done_when_joined(tmp_path):
    out, go = tmp_path / "out.txt", tmp_path / "go"
    said = fresh(f"""
        def work():
            while not os.path.exists({str(go)!r}):     # until the caller has looked
                time.sleep(0.01)
            open({str(out)!r}, "w").write(str(os.getpid()))
        job = Aside(work)
        print(os.path.exists({str(out)!r}))      # the caller went on at once
        open({str(go)!r}, "w").close()
        job.join()
        print(open({str(out)!r}).read() != str(os.getpid()))
    """)
    assert said == ["False", "True"]


@forking
@pytest.mark.parametrize("failure", ["ValueError('hỏng')", "SystemExit(0)", "KeyboardInterrupt()"])
def test_a_failure_is_raised_by_join_and_the_copy_never_returns_here(failure):
    """Whatever the work raises, even SystemExit(0), the copy leaves at once: the code after
    Aside() runs in the parent only, and join() says the work failed, with its traceback."""
    said = fresh(f"""
        def work():
            raise {failure}
        job = Aside(work)
        print("after", os.getpid())
        try:
            job.join()
        except AsideError as error:
            print("failed", "{failure.split('(')[0]}" in str(error))
    """)
    assert said[0] == "after" and said[2:] == ["failed", "True"]


@forking
def test_cancel_stops_the_copy(tmp_path):
    out = tmp_path / "out.txt"
    said = fresh(f"""
        def work():
            time.sleep(120)
            open({str(out)!r}, "w").write("done")
        started = time.monotonic()
        job = Aside(work)
        job.cancel()
        print(time.monotonic() - started < 60)     # it did not wait for the work
        job.join()      # nothing left to wait for, nothing to report
    """)
    assert said == ["True"] and not out.exists()


def test_with_one_job_the_work_is_done_here_and_reported_the_same_way(monkeypatch):
    """HANDBOOK_JOBS=1: nothing forks (the work runs before Aside returns, in this process)."""
    monkeypatch.setenv("HANDBOOK_JOBS", "1")
    pids = []
    job = Aside(lambda: pids.append(os.getpid()) or "kết quả")
    assert pids == [os.getpid()] and job.pid is None
    assert job.join() == "kết quả"
    with pytest.raises(AsideError, match="ZeroDivisionError"):
        Aside(lambda: 1 / 0).join()


@pytest.mark.parametrize("said, expected", [("", None), ("1", 1), ("3", 3), (" 2 ", 2)])
def test_the_switch_sets_how_many_processes_work(monkeypatch, said, expected):
    """Unset, two processes where two cores may run this one (the measured default), else one."""
    monkeypatch.setenv("HANDBOOK_JOBS", said)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert jobs() == (expected or min(2, cores) if hasattr(os, "fork") else 1)


@pytest.mark.parametrize("said", ["0", "-1", "hai", "1.5", "٣"])
def test_a_switch_that_is_not_a_count_is_refused_in_vietnamese(monkeypatch, said):
    monkeypatch.setenv("HANDBOOK_JOBS", said)
    with pytest.raises(SystemExit, match="HANDBOOK_JOBS=.* không hợp lệ: cần một số nguyên dương"):
        jobs()


@forking
def test_an_os_error_in_the_copy_is_the_same_os_error_here():
    """So that the usual Vietnamese message and hint (disk full…) are shown, not a traceback."""
    said = fresh("""
        def work():
            raise OSError(28, "No space left on device", "t-d\\udcffn.js")    # a file name not in UTF-8
        try:
            Aside(work).join()
        except OSError as error:
            print(error.errno, error.filename == "t-d\\udcffn.js")
    """)
    assert said == ["28", "True"]


@forking
def test_a_copy_killed_by_the_system_is_a_failure():
    said = fresh("""
        job = Aside(lambda: time.sleep(30))
        os.kill(job.pid, 9)
        try:
            job.join()
        except AsideError as error:
            print("tín hiệu 9" in str(error))
    """)
    assert said == ["True"]


@forking
@pytest.mark.parametrize("ending", ["raise KeyboardInterrupt", "os.kill(os.getpid(), 9)"])
def test_the_copy_never_outlives_its_parent(tmp_path, ending):
    """Ctrl-C sent to the build alone (an IDE's stop button) or a killed build: the copy stops too,
    and never writes into a folder its parent already cleaned up."""
    out, pid = tmp_path / "out.txt", tmp_path / "pid"
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, time
        from generator.aside import Aside
        def work():
            open({str(pid)!r} + ".part", "w").write(str(os.getpid()))
            os.rename({str(pid)!r} + ".part", {str(pid)!r})
            time.sleep(1)
            open({str(out)!r}, "w").write("written")
        Aside(work)
        while not os.path.exists({str(pid)!r}):
            time.sleep(0.01)
        {ending}
    """)], capture_output=True, text=True, timeout=60, env=TWO_JOBS)
    assert done.returncode != 0
    copy = int(pid.read_text())
    deadline = time.monotonic() + 120       # gone, whether stopped at once or after its work
    while running(copy) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(copy) and not out.exists()


def running(pid: int) -> bool:
    """Alive: a zombie waiting for whoever adopted it to reap it has ended."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_live_preview_never_forks(tmp_path, monkeypatch):
    """`handbook serve` runs threads (its live server): a fork would copy only the thread that
    forks, and a lock another one holds. Its runs parse and render in place whatever the switch."""
    import generator.aside as aside
    import generator.load as load
    from generator.project import Project
    from generator.sessions import Serve
    from scratch import scratch_project

    def fork():
        raise AssertionError("the live preview forked")
    monkeypatch.setattr(aside.os, "fork", fork)
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    monkeypatch.setenv("HANDBOOK_JOBS", "4")
    root = scratch_project(tmp_path)
    session = Serve()
    result = session.run(Project.read(root), None)
    assert result.ok and session.rendered is not None and result.pages
