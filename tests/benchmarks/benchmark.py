"""How the handbook's cost grows with its size (issues 7 and 14): not a test, a measurement.

    python -m tests.benchmarks.benchmark                  # 1k, 5k and 20k records
    python -m tests.benchmarks.benchmark --quick          # 300 and 1,000 records, a minute or two
    python -m tests.benchmarks.benchmark --sizes 1k,5k --serve --profile

Run it from the project's root. For each size it writes a synthetic handbook
(synthetic.py) into a temporary project, then runs each measured step in a
child process so that the step's peak memory is that process's `ru_maxrss`:

- pipeline: `pipeline.run` itself, its stages (load, validate, link, render)
  timed through its `on_stage` hook; the rendered pages are then written into docs/;
- full build: `build.build_site`, i.e. MkDocs with our plugin, which runs the
  pipeline itself, exactly as `handbook build` or `mkdocs build` would;
- bare build: MkDocs on docs/ (the same pages as plain files) with the same
  theme, navigation and extensions but without our plugin. full ÷ bare is the
  generator's overhead.

Then the built site's weight, `handbook bundle`, `handbook print`, `handbook
validate` cold and warm, and with --serve `handbook serve` from a YAML edit to
the reloaded page, at every size and on a copy of the real data.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from generator.schema import KINDS

from .synthetic import PROJECT, SHAPES, describe_fan_out, fan_out, measure, project_files, real_records, write_project

DEFAULT_SIZES = (1_000, 5_000, 20_000)
QUICK_SIZES = (300, 1_000)

TARGETS = {
    "lvl_20k_s": 3.0,              # load + validate + link of 20k records
    "render_20k_s": 20.0,          # render of 20k records
    "peak_20k_mb": 1536.0,         # the whole 20k build (issue 14: 1.5 GB)
    "overhead": 1.15,              # full build ÷ bare MkDocs build
    "html_growth": 1.10,           # median record page at the largest size ÷ at the smallest
    "search_index_mb": 10.0,       # above this Material's offline search is known to freeze
    "validate_cold_20k_s": 2.5,    # `handbook validate`, no cache (issue 14)
    "validate_warm_20k_s": 1.0,    # `handbook validate`, nothing changed since the last run
}
#: `handbook serve`, from saving a YAML file to the browser reloading the changed page (issue 14).
#: 1k has no target of its own: the 5k one holds a fortiori.
SERVE_TARGETS = {"real": 2.0, 1_000: 4.0, 5_000: 4.0, 20_000: 8.0}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    """Record counts from the command line: "1k,5k,20k" or "1000,5_000,20000"."""
    return [int(float(n[:-1]) * 1000) if n.endswith("k") else int(n)
            for n in text.lower().replace("_", "").split(",") if n]


def handbook(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`handbook -C root ARGS…` in a child process, as an editor would run it."""
    return subprocess.run([sys.executable, "-m", "generator.cli", "-C", str(root), *args],
                          capture_output=True, text=True, cwd=PROJECT, check=False)


def real_project(dest: Path) -> Path:
    """A copy of this project with its real data/, for the figures on real data."""
    return project_files(dest, data=True)


# --- Measured steps, each in its own process ---------------------------------------------

def _step(name: str, root: Path) -> dict:
    """Run one measured step in this (child) process and return its figures."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import logging
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    out: dict[str, Any] = {}
    if name == "pipeline":
        from generator.pipeline import run
        from generator.project import Project

        def heard(stage: str, seconds: float) -> None:      # load_s, validate_s, link_s, render_s
            out[f"{stage}_s"] = seconds

        result = run(Project.read(root), on_stage=heard)
        if not result.ok:
            raise SystemExit("synthetic data has errors:\n" + "\n".join(p.format() for p in result.problems[:20]))
        out.update(records=result.records, pages=len(result.pages), warnings=len(result.problems))
        docs = root / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        shutil.copytree(root / "content", docs)
        for path, text in result.pages.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(text, encoding="utf-8")
    elif name == "build":
        from generator.build import build_site

        started = time.perf_counter()
        build_site(root / "mkdocs.yml", root / "site")
        out["build_s"] = time.perf_counter() - started
    elif name == "bare":
        from generator.engine import build, load_config, yaml_load

        with open(root / "mkdocs.yml", "rb") as f:
            raw = yaml_load(f)
        plugins = [p for p in raw.get("plugins", []) if (next(iter(p)) if isinstance(p, dict) else p) != "handbook"]
        started = time.perf_counter()
        config = load_config(str(root / "mkdocs.yml"), docs_dir=str(root / "docs"),
                             site_dir=str(root / "site-bare"), plugins=plugins)
        # The same navigation as ours: without the plugin, its kinds' tabs would be missing from
        # every page, and the theme's navigation is a large part of rendering a page.
        from generator.navigation import expand
        config.nav = expand(config.nav)
        build(config)
        out["bare_s"] = time.perf_counter() - started
    else:
        raise SystemExit(f"unknown step {name}")
    import resource
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_step(name: str, root: Path, profile_to: Path | None = None) -> dict:
    command = [sys.executable, "-m", "tests.benchmarks.benchmark", "--step", name, "--root", str(root)]
    if profile_to:
        command += ["--profile-to", str(profile_to)]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=PROJECT)
        pss = 0.0
        while child.poll() is None:     # the build forks a copy of itself (generator/aside.py): count both
            pss = max(pss, tree_pss_mb(child.pid))
            time.sleep(0.5)
        out.seek(0), err.seek(0)
        if child.returncode:
            raise RuntimeError(f"step {name} failed:\n{err.read()[-4000:]}")
        result = json.loads(out.read().strip().splitlines()[-1])
    result[f"{name}_wall_s"] = time.perf_counter() - started
    result["pss_mb"] = pss
    return result


def tree_pss_mb(pid: int) -> float:
    """What a process and all its descendants hold in memory together: the sum of their
    proportional set sizes, so pages a forked copy shares with its parent count once (Linux)."""
    pids, total = [pid], 0
    for p in pids:
        try:
            pids += map(int, Path(f"/proc/{p}/task/{p}/children").read_text().split())
            found = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{p}/smaps_rollup").read_text(), re.M)
        except (OSError, ValueError):
            continue
        total += int(found.group(1)) if found else 0
    return total / 1024


# --- What the built site weighs -----------------------------------------------------------

def site_figures(root: Path) -> dict:
    site = root / "site"
    sizes: dict[str, list[int]] = defaultdict(list)
    for kind in KINDS.values():
        if kind.name == "glossary":
            continue
        for page in (site / kind.section).glob("*/index.html"):
            sizes[kind.name].append(page.stat().st_size)
    every = [s for v in sizes.values() for s in v]
    index = site / "search" / "search_index.json"
    # The handbook's own index (search/hb/, generator/search.py) beside Material's settings file.
    search_files = [p.stat().st_size for p in (site / "search").rglob("*") if p.is_file()]
    search_bytes = sum(search_files)
    figures = {
        "record_pages": len(every),
        "html_median_b": statistics.median(every) if every else 0,
        "html_max_b": max(every, default=0),
        "html_median_by_kind_b": {k: statistics.median(v) for k, v in sizes.items() if v},
        "search_index_b": search_bytes,
        "search_largest_b": max(search_files, default=0),     # what one query may have to load at most
        "site_b": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }
    if index.exists() and json.loads(index.read_text(encoding="utf-8"))["docs"]:     # Material's own index
        figures["search"] = search_breakdown(index)
    return figures


def search_breakdown(index: Path) -> dict:
    """Where the search index's bytes go: pages vs sections, and text repeated on every page."""
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    total = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in docs)
    sections = [d for d in docs if "#" in d["location"]]
    repeated = Counter(d["text"] for d in docs if d["text"])
    boiler = sum(len(t.encode()) * (n - 1) for t, n in repeated.items() if n > 1)
    titles = Counter(d["title"] for d in sections)
    return {
        "entries": len(docs),
        "section_entries": len(sections),
        "section_share": sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in sections) / max(total, 1),
        "repeated_text_share": boiler / max(total, 1),
        "common_section_titles": titles.most_common(6),
    }


def _written(root: Path, out: Path, *args: str) -> tuple[dict, str]:
    """`handbook ARGS… -o OUT`: how long it took and the file's size, or the error it ended with;
    and what it said."""
    started = time.perf_counter()
    done = handbook(root, *args, "-o", str(out))
    took = time.perf_counter() - started
    if done.returncode or not out.exists():
        return {"error": done.stderr.strip().splitlines()[-1:] or [f"no {out.name} written"]}, done.stderr
    return {"s": took, "b": out.stat().st_size}, done.stderr


def bundle_figures(root: Path) -> dict:
    """The offline bundle's size and how long `handbook bundle` took."""
    return _written(root, root / "bundle.zip", "bundle")[0]


def print_figures(root: Path, whole: bool) -> dict:
    """Time, size and pages of `handbook print` for one course and, if `whole`, the whole handbook."""
    courses = sorted((root / "data" / "courses").glob("*.yaml"))
    runs = {"course": ["--course", str(courses[0])] if courses else None, "whole": [] if whole else None}
    figures: dict[str, Any] = {}
    for name, args in runs.items():
        if args is not None:
            figures[name], said = _written(root, root / f"print-{name}.pdf", "print", *args)
            pages = re.search(r"(\d+) trang A4", said)
            if pages:
                figures[name]["pages"] = int(pages.group(1))
            elif "error" not in figures[name]:
                figures[name] = {"error": ["no page count in the messages"]}
    return figures


def _printed(r: dict, name: str) -> str:
    figures = r.get("print", {}).get(name)
    if figures is None:
        return "not run"
    if "error" in figures:
        return "failed"
    return f"{figures['s']:.1f} s, {_mb(figures['b'])}, {figures['pages']} p."


# --- Live reload: edit one YAML file, wait for the page to change -------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def serve_latency(root: Path, repeats: int = 3, start_timeout: float = 3600) -> dict:
    """Start `handbook serve`, change a practice's title `repeats` times; time each from the save
    to the moment the browser would reload (MkDocs' live-reload answer) with the change in the page."""
    practice = min((root / "data" / "practices").glob("*.yaml"))
    url_path = f"/{KINDS['practice'].section}/{practice.stem}/"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    original = practice.read_text(encoding="utf-8")
    log_file = root / "serve.log"
    with open(log_file, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator.cli", "-C", str(root), "serve",
                                   "-a", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT,
                                  cwd=PROJECT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                                  start_new_session=True)
        try:
            started = time.perf_counter()
            while (page := _get(base + url_path)) is None:
                if server.poll() is not None or time.perf_counter() - started > start_timeout:
                    last = log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
                    raise RuntimeError(f"serve did not start ({' '.join(last) or 'no output'}); see {log_file}")
                time.sleep(0.2)
            first = time.perf_counter() - started
            time.sleep(3.0)         # older than the parse cache's "just saved" window
            for attempt in range(repeats):
                page = _get(base + url_path) or ""
                epoch = re.search(r"livereload\((\d+), (\d+)\)", page)
                marker = f"Đo độ trễ {attempt} {os.getpid()}"
                practice.write_text(re.sub(r"(?m)^title: .*$", f"title: {marker}", original, count=1),
                                    encoding="utf-8")
                mark = time.perf_counter()
                known = epoch.group(1) if epoch else "0"
                while True:
                    answer = _get(f"{base}/livereload/{known}/{epoch.group(2) if epoch else 1}", timeout=120)
                    page = _get(base + url_path)
                    if page and marker in page:
                        break
                    known = answer.strip() if answer and answer.strip().isdigit() else known
                    if time.perf_counter() - mark > 1800:
                        raise RuntimeError("the edit never showed")
                latencies.append(time.perf_counter() - mark)
                time.sleep(3.0)         # let the watcher settle before the next edit
        finally:
            practice.write_text(original, encoding="utf-8")
            stop(server)
    return {"first_build_s": first, "latencies_s": latencies, "best_s": min(latencies),
            "median_s": statistics.median(latencies)}


def stop(server: subprocess.Popen) -> None:
    """End a server started in its own session, and its children, even if it has ended already.

    The group is gone once its last process has exited and been reaped (`poll()` does so):
    killing it then fails with "No such process", which used to hide why the server had stopped.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def validate_times(root: Path, repeats: int = 2) -> dict:
    """`handbook validate` as an editor runs it: with no cache, then again with nothing changed."""
    def once() -> float:
        started = time.perf_counter()
        done = handbook(root, "validate")
        if done.returncode:
            raise RuntimeError(f"validate failed:\n{done.stderr[-2000:]}")
        return time.perf_counter() - started

    cold, warm = [], []
    for _ in range(repeats):            # alternate, keep the fastest: the machine is shared
        shutil.rmtree(root / ".cache", ignore_errors=True)
        cold.append(once())
        time.sleep(2.1)
        warm.append(once())
    return {"validate_cold_s": min(cold), "validate_warm_s": min(warm), "validate_runs": [cold, warm]}


# --- The report ---------------------------------------------------------------------------

def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def verdict(value: float | None, target: float, unit: str = "", extrapolated: bool = False) -> str:
    if value is None:
        return "n/a"
    mark = "PASS" if value <= target else "MISS"
    note = ", extrapolated linearly" if extrapolated else ""
    return f"{mark}: {value:.2f}{unit} ({value / target:.2f}× the target{note})"


def peak(r: dict) -> float:
    return max(r["build_peak_mb"], r["build_pss_mb"])


def report(results: list[dict], serve: dict | None, rounds: int = 1) -> str:
    sizes = [r["size"] for r in results]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, fmt) -> None:
        rows.append((label, [fmt(r) for r in results]))

    row("records (pages)", lambda r: f"{r['records']} ({r['pages']})")
    row("load + validate + link", lambda r: f"{r['load_s'] + r['validate_s'] + r['link_s']:.2f} s")
    row("  load / validate / link", lambda r: f"{r['load_s']:.2f}/{r['validate_s']:.2f}/{r['link_s']:.2f}")
    row("render", lambda r: f"{r['render_s']:.2f} s")
    row("pipeline peak RSS", lambda r: f"{r['pipeline_peak_mb']:.0f} MB")
    row("full build (build_site)", lambda r: f"{r['build_s']:.1f} s")
    row("bare MkDocs build", lambda r: f"{r['bare_s']:.1f} s")
    row("full ÷ bare", lambda r: f"{r['build_s'] / r['bare_s']:.2f}×")
    row("full build peak RSS", lambda r: f"{r['build_peak_mb']:.0f} MB")
    row("full build peak, all processes (PSS)", lambda r: f"{r['build_pss_mb']:.0f} MB")
    row("bare build peak RSS", lambda r: f"{r['bare_peak_mb']:.0f} MB")
    row("record page HTML, median", lambda r: f"{r['html_median_b'] / 1000:.1f} KB")
    row("record page HTML, largest", lambda r: f"{r['html_max_b'] / 1000:.0f} KB")
    row("search index", lambda r: _mb(r["search_index_b"]))
    row("search index per record", lambda r: f"{r['search_index_b'] / r['records'] / 1000:.1f} KB")
    row("whole site", lambda r: _mb(r["site_b"]))
    row("offline bundle", lambda r: _mb(r["bundle"]["b"]) if r.get("bundle", {}).get("b")
        else "failed" if r.get("bundle") else "skipped (--no-bundle)")
    row("course pack PDF", lambda r: _printed(r, "course"))
    row("whole handbook PDF", lambda r: _printed(r, "whole"))
    row("validate, no cache", lambda r: f"{r['validate_cold_s']:.2f} s")
    row("validate, nothing changed", lambda r: f"{r['validate_warm_s']:.2f} s")
    row("serve: edit → reloaded, best", lambda r: f"{r['serve']['best_s']:.2f} s" if r.get("serve") else "n/a")
    row("serve: runs", lambda r: "/".join(f"{x:.1f}" for x in r["serve"]["latencies_s"]) if r.get("serve")
        else "n/a")
    row("serve: first build", lambda r: f"{r['serve']['first_build_s']:.0f} s" if r.get("serve") else "n/a")
    width = max(len(label) for label, _ in rows)
    cols = [max(len(str(s)) + 8, *(len(v[i]) for _, v in rows)) for i, s in enumerate(sizes)]
    lines = [" " * width + " | " + " | ".join(f"{s:,} records".rjust(c) for s, c in zip(sizes, cols))]
    lines.append("-" * len(lines[0]))
    lines += [label.ljust(width) + " | " + " | ".join(v.rjust(c) for v, c in zip(values, cols))
              for label, values in rows]

    # Targets are stated at 20k records; a smaller largest run is extrapolated linearly.
    big = results[-1]
    scale = 20_000 / big["records"] if big["records"] else 1
    extra = abs(scale - 1) > 0.05
    first = results[0]
    overhead = max(r["build_s"] / r["bare_s"] for r in results)
    lvl = (big["load_s"] + big["validate_s"] + big["link_s"]) * scale
    lines += ["", "Targets (issues 7 and 14):",
              f"  load+validate+link of 20k ≤ 3 s: {verdict(lvl, TARGETS['lvl_20k_s'], ' s', extra)}",
              f"  render of 20k ≤ 20 s: {verdict(big['render_s'] * scale, TARGETS['render_20k_s'], ' s', extra)}",
              "  peak memory of the 20k build ≤ 1536 MB: "
              + (f"n/a (largest run {big['records']:,} records: {peak(big):.0f} MB)" if extra
                 else verdict(peak(big), TARGETS["peak_20k_mb"], " MB"))
              + " (the larger of the build's own peak RSS and its processes' peak PSS together)",
              f"  full build ≤ 1.15× bare at {big['records']:,}: "
              f"{verdict(big['build_s'] / big['bare_s'], TARGETS['overhead'], '×')} (worst size {overhead:.2f}×)",
              (f"  record page HTML, median at {big['records']:,} ÷ at {first['records']:,} ≤ 1.1: "
               f"{verdict(big['html_median_b'] / first['html_median_b'], TARGETS['html_growth'], '×')}"
               if len(results) > 1 else "  record page HTML growth: n/a (one size)"),
              (f"  search: largest index file ≤ 10 MB (offline search froze above with one lunr file) at "
               f"{big['records']:,}: {verdict(big['search_largest_b'] / 1e6, TARGETS['search_index_mb'], ' MB')}; "
               f"whole index {_mb(big['search_index_b'])}, "
               f"{big['search_index_b'] / big['records'] / 1000:.1f} KB per record (sharded: a query loads its own)")]
    for r in results:
        if r["records"] == 20_000 or (extra and r is big):
            lines.append(f"  validate of {r['records']:,}, no cache ≤ 2.5 s: "
                         f"{verdict(r['validate_cold_s'] * scale, TARGETS['validate_cold_20k_s'], ' s', extra)}")
            lines.append(f"  validate of {r['records']:,}, nothing changed ≤ 1 s: "
                         f"{verdict(r['validate_warm_s'], TARGETS['validate_warm_20k_s'], ' s')}")
    serves = [("real data", (serve or {}).get("real"), SERVE_TARGETS["real"])]
    serves += [(f"{r['records']:,} records", r.get("serve"), SERVE_TARGETS.get(r["records"])) for r in results]
    for label, s, target in serves:
        if s and target:
            lines.append(f"  serve edit → reloaded, {label} ≤ {target:.0f} s: {verdict(s['best_s'], target, ' s')} "
                         f"(runs: {', '.join(f'{x:.1f}' for x in s['latencies_s'])} s; "
                         f"first build {s['first_build_s']:.0f} s)")
        elif s:
            lines.append(f"  serve edit → reloaded, {label}: {s['best_s']:.2f} s (no target at this size)")
    if not any(s for _, s, _ in serves):
        lines.append("  serve edit → reloaded: not measured (add --serve)")
    built = [r for r in results if r.get("bundle", {}).get("b")]
    lines.append("  offline bundle ready to search ≤ 2 s: not measured here (a browser test of the bundle's own)"
                 + (f"; `handbook bundle` took {built[-1]['bundle']['s']:.0f} s at {built[-1]['records']:,}"
                    if built else "; bundle skipped or failed"))
    lines.append("Peak RSS is each step's process ru_maxrss (resident set, includes the interpreter); PSS is "
                 "sampled every 0.5 s over the step's process and its forked copies, shared pages counted once. "
                 f"Builds: the fastest of {rounds} alternated runs each.")
    return "\n".join(lines)


def _print_profile(path: Path, limit: int = 18) -> None:
    import pstats

    log(f"--- profile {path.name} (top {limit} by own time) ---")
    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(limit)


def _serve(label: str, root: Path) -> dict | None:
    """`serve_latency`, or None if the server failed: the figures measured so far are kept."""
    log(f"[{label}] serve…")
    try:
        figures = serve_latency(root)
    except (RuntimeError, OSError) as error:
        log(f"[{label}] serve failed: {error}")
        return None
    log(f"[{label}] serve: {figures}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="comma-separated record counts, e.g. 1k,5k,20k (the default) or 300")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}: a small run to try the script")
    parser.add_argument("--serve", action="store_true",
                        help="also time `handbook serve` from a YAML edit to the reloaded page, at every size "
                             "and on the real data")
    parser.add_argument("--no-bundle", action="store_true", help="skip `handbook bundle` (long at 20k)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="how many times the full and bare builds alternate (the fastest of each counts)")
    parser.add_argument("--profile", action="store_true", help="run the pipeline and full build under cProfile")
    parser.add_argument("--work", type=Path, help="where to write the projects (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shape", choices=list(SHAPES), default="national",
                        help="national: references as concentrated as a country's handbook (default); "
                             "spread: the real mix of kinds, references drawn uniformly")
    parser.add_argument("--print-whole-max", type=int, default=1000,
                        help="print the whole handbook to PDF only up to this many records (default 1000)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step:         # inside a child process
        if args.profile_to:
            import cProfile
            profiler = cProfile.Profile()
            result = profiler.runcall(_step, args.step, args.root)
            profiler.dump_stats(str(args.profile_to))
        else:
            result = _step(args.step, args.root)
        print(json.dumps(result))
        return 0

    wanted = list(QUICK_SIZES) if args.quick else args.sizes
    work = args.work or Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    profile = measure(PROJECT / "data")
    log(f"Profile of data/: {profile.describe()}")
    log(f"Fan-out of data/: {describe_fan_out(fan_out(real_records(PROJECT / 'data')))}")
    log(f"Working in {work} ({os.cpu_count()} CPUs)")
    results = []
    try:
        for size in wanted:
            root = work / f"n{size}"
            started = time.perf_counter()
            counts = write_project(root, size, profile, args.seed, args.shape)
            log(f"[{size:,}] generated {sum(counts.values()):,} records ({args.shape}) in "
                f"{time.perf_counter() - started:.1f} s: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
            most = fan_out(real_records(root / "data"))
            log(f"[{size:,}] fan-out: {describe_fan_out(most)}")
            result: dict[str, Any] = {"size": size, "counts": counts, "shape": args.shape,
                                      "fan_out": {k: v[0] for k, v in most.items()}}
            # The full and bare builds alternate, `--rounds` times each; the fastest of each is kept.
            steps = ["pipeline"] + ["build", "bare"] * args.rounds
            for n, step in enumerate(steps):
                prof = work / f"{step}-{size}.prof" if args.profile and step != "bare" and n < 2 else None
                log(f"[{size:,}] {step}…")
                figures = run_step(step, root, prof)
                figures[f"{step}_peak_mb"] = figures.pop("peak_mb")
                figures[f"{step}_pss_mb"] = figures.pop("pss_mb")
                log(f"[{size:,}] {step}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                                      for k, v in figures.items()))
                timed = f"{step}_s"
                if timed not in result or figures.get(timed, 0) < result[timed]:
                    result.update(figures)
                for memory in (f"{step}_peak_mb", f"{step}_pss_mb"):      # memory: the largest of the runs
                    result[memory] = max(result.get(memory, 0), figures[memory])
                if prof:
                    _print_profile(prof)
            result.update(site_figures(root))
            if not args.no_bundle:
                result["bundle"] = bundle_figures(root)
            log(f"[{size:,}] print…")
            result["print"] = print_figures(root, whole=size <= args.print_whole_max)
            log(f"[{size:,}] print: {result['print']}")
            log(f"[{size:,}] record page median {result['html_median_b'] / 1000:.1f} KB, "
                f"search index {_mb(result['search_index_b'])}, search {result.get('search')}")
            log(f"[{size:,}] validate…")
            result.update(validate_times(root))
            log(f"[{size:,}] validate: cold {result['validate_cold_s']:.2f} s, "
                f"nothing changed {result['validate_warm_s']:.2f} s")
            if not args.keep:
                for folder in ("site", "site-bare", "docs"):
                    shutil.rmtree(root / folder, ignore_errors=True)
            if args.serve:
                result["serve"] = _serve(f"{size:,}", root)
            results.append(result)
        serve = {"real": _serve("real data", real_project(work / "real"))} if args.serve else None
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results, serve, args.rounds)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "serve": serve}, ensure_ascii=False, indent=1,
                                        default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
