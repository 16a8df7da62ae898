"""Search at national scale: index size and time to first result (issue 11). A measurement, not a test.

    python -m tests.benchmarks.search_benchmark               # the real data, then 1k, 5k and 20k records
    python -m tests.benchmarks.search_benchmark --sizes 1000  # a quick run

For each size it writes the synthetic handbook of synthetic.py (the
real data's mix of kinds and its Vietnamese text), builds the whole-handbook
offline bundle, unzips it and opens index.html from file:// in Debian's
chromium, as a trainer would. It prints:

- the index's bytes (search/hb/ and search/search_index.js), per record, and
  its largest file: what one query can have to load at most;
- opening → first result: from navigation start, clicking the search box and
  pasting a query, to the first result on screen (a cold start: nothing loaded);
- keystroke → result: from the last keyup of a further query to its results
  (the median of several queries, words drawn from record titles);
- the page's JavaScript heap after the queries (bounded memory; Chrome rounds it).

The real data's bundle is also served over HTTP, where the search runs in a real
Web Worker as on the published site (`--online` does so for every size).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from generator.pipeline import run as pipeline

from .benchmark import DEFAULT_SIZES, handbook, parse_sizes, real_project
from .synthetic import PROJECT, measure, write_project

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Records the time of the last keyup in the search box and of the first result after it.
_PROBE = """() => {
  window.__probe = {keyup: 0, first: 0, value: ''};
  const box = document.querySelector('input.md-search__input');
  // Capture phase, before Material's own listener: from file:// the search runs on the page
  // and its results can be on screen before a later listener hears the same keyup.
  window.addEventListener('keyup', (event) => {
    if (event.target !== box || box.value === window.__probe.value) return;   // Material asks only on a change
    window.__probe = {keyup: performance.now(), first: 0, value: box.value};
  }, true);
  new MutationObserver(() => {
    if (!window.__probe.first && document.querySelector('.md-search-result__item'))
      window.__probe.first = performance.now();
  }).observe(document.querySelector('.md-search-result'), {childList: true, subtree: true});
}"""


def bundle(root: Path) -> Path:
    """Build and unzip the offline bundle; the path of its index.html."""
    out = root / "bundle.zip"
    handbook(root, "bundle", "-o", str(out)).check_returncode()
    with zipfile.ZipFile(out) as archive:
        archive.extractall(root / "bundle")
    return min((root / "bundle").rglob("index.html"), key=lambda p: len(p.parts))


def index_figures(site: Path) -> dict:
    files = [p for p in (site / "search" / "hb").glob("*.js")] + list((site / "search").glob("search_index.js"))
    sizes = [p.stat().st_size for p in files]
    return {"index_b": sum(sizes), "index_files": len(files), "largest_file_b": max(sizes, default=0)}


def queries(site: Path, count: int, seed: int = 11) -> list[str]:
    """Two or three words from the start of record titles, as a reader would type them."""
    titles = []
    for chunk in sorted((site / "search" / "hb").glob("d-*.js")):
        text = chunk.read_text(encoding="utf-8")
        titles += [doc[1] for doc in json.loads(text[text.index(",") + 1:text.rindex(")")])]
    rng = random.Random(seed)
    picked = rng.sample([t for t in titles if len(t.split()) >= 3], min(count, len(titles)))
    return [" ".join(t.split()[:rng.choice((2, 3))]) for t in picked]


def browse(url: str, typed: list[str]) -> dict:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(bypass_csp=True)     # the probe and the waits are evaluated as strings
        page.goto(url)
        box = page.locator("input.md-search__input")
        box.click()
        page.evaluate(_PROBE)
        latencies, cold = [], None
        for query in typed:
            box.fill("")
            box.press("End")
            page.wait_for_function("!document.querySelector('.md-search-result__item')")
            if cold is None:
                box.fill(query)             # pasted: the cold start without typing time
            else:
                box.press_sequentially(query)
            box.press("End")
            page.wait_for_function("window.__probe.first > 0", timeout=60_000, polling=5)
            probe = page.evaluate("window.__probe")
            if cold is None:
                cold = probe["first"]
            else:
                latencies.append(probe["first"] - probe["keyup"])
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
        browser.close()
    return {"open_to_first_ms": cold, "keystroke_ms": statistics.median(latencies) if latencies else None,
            "keystroke_max_ms": max(latencies, default=None), "heap_b": heap}


def run(root: Path, records: int, online: bool = False) -> dict:
    started = time.perf_counter()
    index = bundle(root)
    figures = {"records": records, "bundle_s": time.perf_counter() - started, **index_figures(index.parent)}
    typed = queries(index.parent, 8)
    figures.update(browse(index.as_uri(), typed))
    if online:      # the site built for a server: the search runs in a real Web Worker
        figures.update({f"online_{key}": value for key, value in served(root, typed).items()})
    return figures


def served(root: Path, typed: list[str]) -> dict:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    site = root / "site"
    handbook(root, "build", "-d", str(site)).check_returncode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        return browse(f"http://127.0.0.1:{server.server_address[1]}/", typed)
    finally:
        server.shutdown()


def report(rows: list[dict]) -> str:
    lines = ["| records | index | per record | largest file | files | opening → first result "
             "| keystroke → result (median / max) | JS heap |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['label']} | {r['index_b'] / 1e6:.1f} MB | {r['index_b'] / r['records'] / 1000:.2f} KB "
                     f"| {r['largest_file_b'] / 1000:.0f} KB | {r['index_files']} | {r['open_to_first_ms']:.0f} ms "
                     f"| {r['keystroke_ms']:.0f} / {r['keystroke_max_ms']:.0f} ms | {r['heap_b'] / 1e6:.0f} MB |")
        if "online_open_to_first_ms" in r:
            lines.append(f"| {r['label']}, served (Web Worker) | | | | | {r['online_open_to_first_ms']:.0f} ms "
                         f"| {r['online_keystroke_ms']:.0f} / {r['online_keystroke_max_ms']:.0f} ms "
                         f"| {r['online_heap_b'] / 1e6:.0f} MB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.search_benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), help="e.g. 1k,5k,20k (the default)")
    parser.add_argument("--no-real", action="store_true", help="skip the real data")
    parser.add_argument("--online", action="store_true", help="also serve each bundle over HTTP (real data: always)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="handbook-search-bench-") as work:
        work = Path(work)
        if not args.no_real:
            records = pipeline(PROJECT / "data", render_pages=False).records
            real = run(real_project(work / "real"), records, online=True)
            rows.append({"label": f"real data ({records})", **real})
            print(report(rows), file=sys.stderr)
        profile = measure(PROJECT / "data")
        for size in args.sizes:
            root = work / f"n{size}"
            write_project(root, size, profile)
            rows.append({"label": f"{size:,}", **run(root, size, args.online)})
            print(report(rows), file=sys.stderr)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
