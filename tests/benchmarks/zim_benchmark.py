"""ZIM files for Kiwix at scale: size, build time and time to first search result. A measurement, not a test.

    python -m tests.benchmarks.zim_benchmark                 # the real data, then 20k synthetic records
    python -m tests.benchmarks.zim_benchmark --sizes 1000    # a quick run

For the real data and each size (the synthetic handbook of synthetic.py) it runs
`handbook zim` for the whole handbook and for one course (wall time and size, the
offline zip's size beside it), then serves the whole ZIM with Debian's `kiwix-serve`
and measures:

- Kiwix's full-text search: the first query's answer after the server is up (cold),
  then the median of the others, queries drawn from page titles without diacritics;
- Kiwix's title suggestions, the same way;
- the handbook's own search box in headless chromium through kiwix-serve: opening →
  first result, keystroke → results (search_benchmark.browse).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

from .benchmark import handbook, parse_sizes, real_project
from .search_benchmark import browse
from .synthetic import PROJECT, measure, write_project


def _timed(root: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = handbook(root, *args)
    done.check_returncode()
    return time.perf_counter() - started, done.stderr


def written(root: Path) -> dict:
    courses = sorted((root / "data" / "courses").glob("*.yaml"))
    figures = {}
    figures["zim_s"], _ = _timed(root, "zim", "-o", str(root / "whole.zim"))
    figures["zim_b"] = (root / "whole.zim").stat().st_size
    figures["course_s"], _ = _timed(root, "zim", "--course", str(courses[0]), "-o", str(root / "course.zim"))
    figures["course_b"] = (root / "course.zim").stat().st_size
    figures["zip_s"], _ = _timed(root, "bundle", "-o", str(root / "whole.zip"))
    figures["zip_b"] = (root / "whole.zip").stat().st_size
    return figures


def titles(zim: Path, count: int, seed: int = 11) -> list[str]:
    """Two or three words from the start of page titles, typed without diacritics."""
    from libzim.reader import Archive

    from generator.zim import plain_title

    archive = Archive(zim)
    found = []
    for n in range(archive.all_entry_count):
        entry = archive._get_entry_by_id(n)
        if not entry.is_redirect and entry.path.endswith(".html") and len(entry.title.split()) >= 3:
            found.append(entry.title)
    rng = random.Random(seed)
    picked = rng.sample(found, min(count, len(found)))
    return [plain_title(" ".join(t.split()[:rng.choice((2, 3))])).lower() for t in picked]


def _get(url: str) -> float:
    started = time.perf_counter()
    with urlopen(url, timeout=600) as answer:
        answer.read()
    return (time.perf_counter() - started) * 1000


def served(zim: Path, typed: list[str]) -> dict:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["kiwix-serve", "--address", "127.0.0.1", "--port", str(port), str(zim)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        while True:
            try:
                urlopen(f"{base}/catalog/v2/entries", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("kiwix-serve stopped") from None
                time.sleep(0.05)
        figures = {"serve_ready_ms": (time.perf_counter() - started) * 1000}
        book = zim.stem
        search = [_get(f"{base}/search?content={book}&pattern={quote(q)}") for q in typed]
        suggest = [_get(f"{base}/suggest?content={book}&term={quote(q)}") for q in typed]
        figures |= {"search_first_ms": search[0], "search_median_ms": statistics.median(search[1:]),
                    "suggest_first_ms": suggest[0], "suggest_median_ms": statistics.median(suggest[1:])}
        own = browse(f"{base}/{book}/index.html", typed)
        figures |= {"own_open_to_first_ms": own["open_to_first_ms"], "own_keystroke_ms": own["keystroke_ms"]}
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(rows: list[dict]) -> str:
    lines = ["| records | ZIM (whole) | `handbook zim` | zip | course ZIM | Kiwix full-text: first / median "
             "| Kiwix suggestions: first / median | own search via kiwix-serve: opening → first result / keystroke |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['label']} | {r['zim_b'] / 1e6:.2f} MB | {r['zim_s']:.1f} s | {r['zip_b'] / 1e6:.2f} MB "
                     f"| {r['course_b'] / 1e6:.2f} MB, {r['course_s']:.1f} s "
                     f"| {r['search_first_ms']:.0f} / {r['search_median_ms']:.0f} ms "
                     f"| {r['suggest_first_ms']:.0f} / {r['suggest_median_ms']:.0f} ms "
                     f"| {r['own_open_to_first_ms']:.0f} / {r['own_keystroke_ms']:.0f} ms |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.zim_benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[20_000])
    parser.add_argument("--no-real", action="store_true", help="skip the real data")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="zim-benchmark-") as work:
        work = Path(work)
        projects = [] if args.no_real else [("real data", real_project(work / "real"))]
        profile = measure(PROJECT / "data")
        for size in args.sizes:
            root = work / f"synthetic-{size}"
            write_project(root, size, profile)
            projects.append((f"{size:,}", root))
        for label, root in projects:
            figures = {"label": label, **written(root)}
            print(f"[{label}] written: {figures}", file=sys.stderr, flush=True)
            figures |= served(root / "whole.zim", titles(root / "whole.zim", 8))
            print(f"[{label}] served: {figures}", file=sys.stderr, flush=True)
            rows.append(figures)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
