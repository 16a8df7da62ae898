"""Whether forking pays (generator/aside.py): the same commands with `HANDBOOK_JOBS` set to each
value asked, in turn, on a synthetic handbook; not a test, a measurement.

    python -m tests.benchmarks.jobs_benchmark                        # 20k records, jobs 1 and 2, 3 rounds
    python -m tests.benchmarks.jobs_benchmark --jobs 1,2,4 --cpus 0-3
    python -m tests.benchmarks.jobs_benchmark --size 5k --steps validate --rounds 7

Each round runs every step once with each number of jobs, one after the other (1, 2, 1, 2…),
so that a machine whose speed drifts slows both alike. Per step and number of jobs it prints
the fastest wall time (what the machine gives when nothing else runs) and the median CPU time
(user + system of the whole process tree: what forking costs). `--cpus` runs the commands on
those processors only (as `taskset -c` would), to see 2 cores on a bigger machine, or 1.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .benchmark import log, parse_sizes
from .synthetic import PROJECT, measure, write_project

#: What each step runs: `handbook validate` with no parse cache (the loader's forked copies and
#: the cache written aside), `handbook render` (the loader), `handbook build` (the loader and the
#: search index written aside).
#: The outputs go into the project's own folder.
STEPS = {"validate": [], "render": ["-o", "rendered"], "build": ["-d", "built"]}


def cpus(text: str) -> set[int]:
    """Processors as `taskset -c` names them: "0-3" or "0,2"."""
    found = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        found.update(range(int(first), int(last or first) + 1))
    return found


def timed(root: Path, step: str, jobs: int, on: set[int] | None) -> tuple[float, float]:
    """One run of `step` with `jobs`: its wall and CPU seconds (the whole process tree)."""
    shutil.rmtree(root / ".cache", ignore_errors=True)      # validate with no cache: every file parsed
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    options = [str(root / value) if value in ("rendered", "built") else value for value in STEPS[step]]
    done = subprocess.run([sys.executable, "-m", "generator.cli", "-C", str(root), step, *options],
                          capture_output=True, text=True, cwd=PROJECT, check=False,
                          env={**os.environ, "HANDBOOK_JOBS": str(jobs)},
                          preexec_fn=(lambda: os.sched_setaffinity(0, on)) if on else None)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{step} with {jobs} jobs failed:\n{done.stderr[-2000:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.jobs_benchmark", description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="20k", help="records in the synthetic handbook (default 20k)")
    parser.add_argument("--jobs", default="1,2", help="the values of HANDBOOK_JOBS to compare (default 1,2)")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"among {', '.join(STEPS)} (default all)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each step with each number of jobs")
    parser.add_argument("--cpus", type=cpus, help="run the commands on these processors only, e.g. 0-1")
    parser.add_argument("--work", type=Path, help="where to write the project (default: a temporary folder)")
    args = parser.parse_args(argv)
    size, jobs, steps = parse_sizes(args.size)[0], [int(j) for j in args.jobs.split(",")], args.steps.split(",")
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        root = Path(work) / f"project-{size}"
        log(f"writing {size} synthetic records into {root}")
        write_project(root, size, measure(PROJECT / "data"))
        on = args.cpus or os.sched_getaffinity(0)
        print(f"{size} records, {len(on)} processors ({', '.join(map(str, sorted(on)))}), "
              f"{args.rounds} rounds, load average {os.getloadavg()[0]:.1f} at the start\n")
        print(f"| step | jobs | fastest wall | median CPU | wall ÷ {jobs[0]} | CPU ÷ {jobs[0]} |\n"
              "| --- | --- | --- | --- | --- | --- |")
        for step in steps:
            runs: dict[int, list[tuple[float, float]]] = {j: [] for j in jobs}
            for round_ in range(args.rounds):
                for j in jobs:
                    runs[j].append(timed(root, step, j, args.cpus))
                    log(f"{step}, round {round_ + 1}, {j} jobs: {runs[j][-1][0]:.2f} s wall, {runs[j][-1][1]:.2f} s CPU")
            base = min(w for w, _ in runs[jobs[0]]), statistics.median(c for _, c in runs[jobs[0]])
            for j in jobs:
                wall, cpu = min(w for w, _ in runs[j]), statistics.median(c for _, c in runs[j])
                print(f"| {step} | {j} | {wall:.2f} s | {cpu:.2f} s | {wall / base[0]:.2f}× | {cpu / base[1]:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
