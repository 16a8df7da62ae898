"""The benchmarks' own behaviour, cheaply (not timed tests): their synthetic handbook is valid data
shaped like the real one, the pipeline tells them how long each stage took, and they stop the
servers they start."""

from __future__ import annotations

import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from benchmarks.benchmark import stop, tree_pss_mb, verdict
import pytest

from benchmarks.synthetic import PROJECT, SHAPES, Synthesizer, fan_out, measure, plan, real_records, write_project
from generator.pipeline import run
from generator.project import Project


@pytest.mark.parametrize("shape", SHAPES)
def test_synthetic_records_follow_the_real_mix_and_validate(tmp_path: Path, shape):
    profile = measure(PROJECT / "data")
    counts = plan(300, profile, SHAPES[shape][0])
    assert sum(counts.values()) == 300
    assert set(counts) == {kind for kind, n in profile.counts.items() if n}

    written = write_project(tmp_path / "project", 300, profile, shape=shape)
    assert written == counts
    stages: list[tuple[str, float]] = []
    started = time.perf_counter()
    result = run(Project.read(tmp_path / "project"), on_stage=lambda name, seconds: stages.append((name, seconds)))
    took = time.perf_counter() - started
    assert result.ok, [p.format() for p in result.problems if p.is_error][:5]
    assert not result.problems            # not even a warning
    assert len(result.handbook.entries) == 300
    # The benchmark's figures come from the pipeline itself, one per stage, in order.
    assert [name for name, _ in stages] == ["load", "validate", "link", "render"]
    assert all(seconds >= 0 for _, seconds in stages) and sum(s for _, s in stages) <= took

    first = next((tmp_path / "project" / "data").rglob("*.yaml")).read_text(encoding="utf-8")
    pages = "".join(result.pages.values())
    assert unicodedata.is_normalized("NFC", pages)
    assert any(c in pages for c in "ạảấầẩẫậắằẳẵặđêếềểễệơớờởỡợưứừửữự"), "Vietnamese text has its diacritics"
    assert first.startswith("# ")         # files look like the editors' ones
    # Everything mkdocs.yml names is there (the theme overrides come with the installed package).
    for copied in ("mkdocs.yml", "content/index.md"):
        assert (tmp_path / "project" / copied).exists()


def test_the_national_shape_concentrates_references_as_a_country_would():
    """Central documents cited by thousands, topics by hundreds: the pages that list them are the
    ones that grow, and uniform references hide them."""
    profile = measure(PROJECT / "data")
    national = fan_out(Synthesizer(profile, 3000, shape="national").generate())
    spread = fan_out(Synthesizer(profile, 3000, shape="spread").generate())
    for kind in ("directive", "topic"):
        assert national[kind][0] > 3 * spread[kind][0], (kind, national[kind], spread[kind])
    real = fan_out(real_records(PROJECT / "data"))
    assert national["listing"][0] <= 2 * real["listing"][0]     # what one record names stays as in real data


def test_stopping_a_server_that_has_already_exited_is_not_an_error():
    ended = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    while ended.poll() is None:           # reaped: its process group no longer exists
        time.sleep(0.01)
    stop(ended)                           # raised "No such process" and hid why the server had stopped
    assert ended.returncode == 0


def test_stopping_a_running_server_ends_it_and_its_children():
    server = subprocess.Popen(["sh", "-c", "sleep 60 & echo $!; wait"], stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    child = int(server.stdout.readline())
    stop(server)
    assert server.returncode == -15
    assert _ends(child), "the server's child is ended with it"


def _ends(pid: int, within: float = 10) -> bool:
    """Whether the process is gone (or a zombie left to init) before `within` seconds."""
    status = Path(f"/proc/{pid}/status")
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if "\nState:\tZ" in status.read_text():
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_a_figure_passes_at_its_target_and_misses_above_it():
    assert verdict(2.0, 2.0, " s").startswith("PASS: 2.00 s")
    assert verdict(2.01, 2.0, " s").startswith("MISS")
    assert "extrapolated" in verdict(1.0, 2.0, " s", extrapolated=True)
    assert verdict(None, 2.0) == "n/a"


def test_memory_of_a_build_counts_its_forked_copy_and_shared_pages_once():
    """A build forks a copy of itself (generator/aside.py): its memory is both processes' together."""
    code = ("import os, sys, time\nshared = b'x' * (60 << 20)\n"
            "if os.fork() == 0:\n    own = b'y' * (40 << 20)\n    print('ready', flush=True)\n    time.sleep(30)\n"
            "    os._exit(0)\ntime.sleep(30)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert parent.stdout.readline().strip() == "ready"
        together = tree_pss_mb(parent.pid)
        alone = tree_pss_mb(int(Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()[0]))
    finally:
        stop(parent)
    assert 100 <= together < 100 + 60       # 60 MB shared once, 40 MB the copy's own, two interpreters
    assert alone < 40 + 60                  # the copy alone holds half of what it shares


def test_lighthouse_sees_one_page_of_each_kind_served_gzipped(mini_project):
    """What the Lighthouse benchmark measures: every kind's index and one of its records, the home
    and 404 pages, each sent gzipped as a real server sends them (a phone on 4G pays for bytes)."""
    import functools
    import gzip
    import http.server
    import threading
    import urllib.request

    from benchmarks.lighthouse import GzipHandler, pages_of_each_kind

    site = mini_project / "site"
    pages = pages_of_each_kind(site)
    sections = {p.parent.name for p in site.glob("*/index.html")} - {"assets", "search", "admin", "bien-tap"}
    assert {path.split("/")[0] for path in pages.values() if "/" in path} == sections
    assert "" in pages.values() and "404.html" in pages.values()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path in pages.values():
            request = urllib.request.Request(f"http://127.0.0.1:{server.server_address[1]}/{path}",
                                             headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.headers["Content-Encoding"] == "gzip"
                assert b"</html>" in gzip.decompress(response.read())
    finally:
        server.shutdown()
