"""Time the publishing workflow's steps (.github/workflows/handbook.yml) on this machine.

Each step runs as the workflow runs it, in its own process, on a fresh git copy of the project
with the real data (default) or a synthetic handbook of `--size` records (synthetic.py), so that
the jobs' `timeout-minutes` rest on measured times. Installing (pip, apt, npm) is left out: it
depends on the runner's network and caches, not on the data.

    python -m tests.benchmarks.workflow_timing [--size 20000] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .synthetic import PROJECT, measure, project_files, write_project

#: The workflow's steps after installation, in its order, with the environment it gives them.
STEPS = [
    ("review: chỉ dữ liệu?", [sys.executable, "-m", "generator.review", "HEAD^1", "HEAD"]),
    ("Decap CMS (cached)", [sys.executable, "-m", "generator.cms"]),
    ("validate --strict", [sys.executable, "-m", "generator.cli", "validate", "--strict", "--format", "github"]),
    ("downloads (zips, PDFs)", [sys.executable, "-m", "generator.downloads", "dist/tai-ve"]),
    ("build --strict", [sys.executable, "-m", "generator.cli", "build", "--strict"]),
    ("check-links", [sys.executable, "-m", "generator.cli", "check-links"]),
]
ENV = {"NO_MKDOCS_2_WARNING": "1", "HANDBOOK_SITE_URL": "https://to-chuc.github.io/so-tay",
       "HANDBOOK_DOWNLOADS": "dist/tai-ve"}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


def prepare(root: Path, size: int | None) -> str:
    """The project as a checkout: a base commit, then a pull request's data edit on top."""
    if size is None:
        project_files(root, data=True)
        label = "real data"
    else:
        counts = write_project(root, size, measure(PROJECT / "data"))
        label = f"{sum(counts.values()):,} synthetic records"
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    first = sorted((root / "data").rglob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(root, "commit", "-qam", "edit")
    return label


def timed(command: list[str], root: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the step's processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, env={**os.environ, **ENV}, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.workflow_timing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, help="a synthetic handbook of this many records (default: the real data)")
    parser.add_argument("--work", type=Path, help="where to write the project (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="handbook-workflow-") as temp:
        root = (args.work or Path(temp)) / "project"
        label = prepare(root, args.size)
        rows, total = [], 0.0
        for name, command in STEPS:
            wall, cpu = timed(command, root)
            total += wall
            rows.append(f"| {name} | {wall:.1f} s | {cpu:.1f} s |")
            print(rows[-1], file=sys.stderr, flush=True)
        print(f"\n{label}, load average {os.getloadavg()[0]:.1f}:\n\n| step | wall | CPU |\n| --- | --- | --- |")
        print("\n".join(rows))
        print(f"| **total** | **{total:.1f} s** | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
