"""Lighthouse on one page of each kind, as a cheap phone on a slow network sees them.

    python -m tests.benchmarks.lighthouse [--site DIR] [--json FILE]

Builds the real handbook (or reads a built `--site`), serves it with gzip as a real server would,
and runs Lighthouse (npm, `tests/benchmarks/lighthouse/`, installed with `npm ci` on first use)
in Debian's chromium with its mobile preset (a mid-range phone, throttled 4G, 4× slower CPU) on
one page of each kind. Prints each page's figures and PASS/MISS against the targets of issues
28 and 29. A measurement, not a test: the figures move with the machine's load (Lighthouse
simulates the throttling from what it observes), so compare runs made alike.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOL = Path(__file__).resolve().parent / "lighthouse"
CHROMIUM_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                  "--disable-component-update --disable-sync --no-first-run")

# Issue 28 (every page kind of the real handbook) and issue 29 (also at 20k records).
TARGETS = {
    "performance": (">=", 95), "accessibility": (">=", 100), "LCP ms": ("<=", 2500), "TBT ms": ("<=", 200),
    "CLS": ("<=", 0.05), "DOM elements": ("<=", 1500),
}
TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped when the browser accepts it (as GitHub Pages and nginx serve)."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in TEXT or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file() or not self.path.split("?")[0].endswith(("/", path.name))):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def pages_of_each_kind(site: Path) -> dict[str, str]:
    """One address per page kind: home, each kind's index and one record page of each kind."""
    pages = {"trang chủ": "", "404": "404.html"}
    for index in sorted(site.glob("*/index.html")):
        section = index.parent.name
        if section in ("assets", "search", "admin", "bien-tap"):
            continue
        pages[f"{section}/ (danh mục)"] = f"{section}/"
        records = sorted(p.parent.name for p in index.parent.glob("*/index.html"))
        if records:       # the middle one: neither the first nor the last of its kind
            pages[f"{section}/… (bản ghi)"] = f"{section}/{records[len(records) // 2]}/"
    return pages


def run_lighthouse(url: str) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([str(TOOL / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", "--output=json",
                        f"--output-path={out.name}", f"--chrome-flags={CHROMIUM_FLAGS}",
                        "--only-categories=performance,accessibility"],
                       check=True, timeout=600, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
        report = json.loads(Path(out.name).read_text(encoding="utf-8"))
    audits, categories = report["audits"], report["categories"]
    return {
        "performance": round(100 * (categories["performance"]["score"] or 0)),
        "accessibility": round(100 * (categories["accessibility"]["score"] or 0)),
        "LCP ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "TBT ms": round(audits["total-blocking-time"]["numericValue"]),
        "CLS": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "DOM elements": int(audits["dom-size"]["numericValue"]),
    }


def verdict(name: str, value: float) -> bool:
    sign, limit = TARGETS[name]
    return value >= limit if sign == ">=" else value <= limit


def measure(site: Path, progress=print) -> dict[str, dict[str, float]]:
    """Lighthouse's figures for one page of each kind of the built `site`."""
    if not (TOOL / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--prefix", str(TOOL), "--no-audit", "--no-fund"], check=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    figures = {}
    try:
        for name, path in pages_of_each_kind(site).items():
            progress(f"Lighthouse: {name} …")
            figures[name] = run_lighthouse(base + path)
    finally:
        server.shutdown()
    return figures


def report(figures: dict[str, dict[str, float]]) -> str:
    names = list(TARGETS)
    lines = ["| page | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    misses = 0
    for page, values in figures.items():
        cells = []
        for name in names:
            ok = verdict(name, values[name])
            misses += not ok
            cells.append(f"{values[name]}{'' if ok else ' MISS'}")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    targets = ", ".join(f"{name} {sign} {limit}" for name, (sign, limit) in TARGETS.items())
    lines.append(f"\n{'PASS' if not misses else f'MISS ({misses})'}: targets {targets}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the real handbook)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            from generator.cli import main as handbook
            site = Path(tmp) / "site"
            if handbook(["-C", str(ROOT), "build", "-d", str(site)]) != 0:
                return 1
        figures = measure(site, progress=lambda line: print(line, file=sys.stderr))
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
