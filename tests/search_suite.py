"""Search quality, measured in a real browser: recall@1, recall@5 and MRR@10 of query sets.

Each set in tests/search/ lists queries as cadres type them and the page(s)
that should come first: queries.yaml is the project's own; tune.yaml and
heldout.yaml are two halves of a set written independently from the articles,
the first used to tune the ranking, the second measured once, untouched.
`python tests/search_suite.py [--material] [--only heldout]` builds the site
and the offline bundle, runs every query through Material's search box in
Debian's chromium, and prints the figures with each miss;
tests/test_search_quality.py asserts the targets.
"""

from __future__ import annotations

import functools
import http.server
import socketserver
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(__file__).resolve().parent / "search" / "queries.yaml"


# What a result list stands for when search answers "nothing found" (an off-topic query,
# listed with `expect: []`): the one item the worker offers instead of pages.
NOTHING = "∅"


@dataclass(frozen=True)
class Case:
    query: str
    expect: tuple[str, ...]      # page paths such as "mo-hinh/chi-bo-bon-tot", or (NOTHING,)
    category: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    results: tuple[str, ...]

    @property
    def rank(self) -> int | None:
        return next((i + 1 for i, r in enumerate(self.results) if r in self.case.expect), None)


def load_suite(path: Path = SUITE) -> list[Case]:
    cases = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        expect = item["expect"] if isinstance(item["expect"], list) else [item["expect"]]
        expected = tuple(_page(e) for e in expect) or (NOTHING,)
        cases.append(Case(str(item["query"]), expected, item["category"]))
    return cases


def _page(expected: str) -> str:
    """"thuat-ngu/index" and "thuat-ngu/" name the same page as page_key() does."""
    return expected.strip("/").removesuffix("index").strip("/")


def page_key(href: str, base: str) -> str:
    """The page a result links to, alike online ("x/y/") and offline ("x/y.html")."""
    path = unquote(urlsplit(href).path).removeprefix(unquote(urlsplit(base).path))
    return path.strip("/").removesuffix(".html").removesuffix("index").strip("/")


_WATCH = """() => {
  if (window.__hbWatch) return;
  window.__hbWatch = {changes: 0, last: 0};
  new MutationObserver(() => { window.__hbWatch.changes++; window.__hbWatch.last = performance.now(); })
    .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true});
}"""


def run_queries(page, start_url: str, cases: list[Case]) -> list[Outcome]:
    """Type each query into Material's search box and read the result links.

    No fixed sleeps: a MutationObserver counts changes to the result panel, and
    a query's results are read once the panel changed and then stayed still for 80 ms.
    The page must be opened with bypass_csp=True: these waits are evaluated as strings,
    which the pages' Content-Security-Policy forbids (the browser tests check search
    under the real policy).
    """
    page.goto(start_url)
    box = page.locator("input.md-search__input")
    box.click()
    page.evaluate(_WATCH)
    base = start_url.rsplit("/", 1)[0] + "/"
    outcomes = []
    for case in cases:
        box.fill("")
        box.press("End")           # Material reads the query on keyup: let it clear the results
        page.wait_for_function("!document.querySelector('.md-search-result__item')", polling=20)
        before = page.evaluate("window.__hbWatch.changes")
        box.fill(case.query)
        box.press("End")
        try:
            page.wait_for_function(f"window.__hbWatch.changes > {before} && "
                                   "performance.now() - window.__hbWatch.last > 80", polling=20, timeout=60_000)
        except Exception:          # noqa: BLE001 – a query that never answers counts as a miss
            pass
        found = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
            "els => els.map(e => [e.href, e.textContent.trim().startsWith('Không tìm thấy trang nào')])")
        keys = (NOTHING if nothing else page_key(href, base) for href, nothing in found)
        outcomes.append(Outcome(case, tuple(dict.fromkeys(keys))))
    return outcomes


def recall(outcomes: list[Outcome], k: int) -> float:
    return sum(1 for o in outcomes if o.rank is not None and o.rank <= k) / len(outcomes)


def mrr(outcomes: list[Outcome], k: int = 10) -> float:
    """Mean reciprocal rank of the first right page within the top k."""
    return sum(1 / o.rank for o in outcomes if o.rank is not None and o.rank <= k) / len(outcomes)


def report(name: str, outcomes: list[Outcome]) -> str:
    lines = [f"{name}: recall@1 = {recall(outcomes, 1):.0%}, recall@5 = {recall(outcomes, 5):.0%}, "
             f"MRR@10 = {mrr(outcomes):.3f} ({len(outcomes)} truy vấn)"]
    for o in outcomes:
        if o.rank != 1:
            lines.append(f"  hạng {o.rank or '—'}: {o.case.query!r} → muốn {o.case.expect[0]}, "
                         f"được {list(o.results[:3])}")
    return "\n".join(lines)


@functools.cache
def _handler(directory: str):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=directory, **kwargs)

        def log_message(self, *args):
            pass
    return Quiet


def serve(directory: Path) -> tuple[socketserver.TCPServer, str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def suites() -> dict[str, Path]:
    """Every query set in tests/search/: the project's own, and the tuning and held-out halves."""
    return {path.stem: path for path in sorted(SUITE.parent.glob("*.yaml"))}


def main(argv: list[str] | None = None) -> int:
    """Print recall@1, recall@5 and MRR@10 of every query set, online and offline.

    --material measures Material's own search (lunr) on the same pages instead of ours.
    --only NAME runs one query set (e.g. heldout).
    """
    import argparse
    import os

    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    from generator.cli import main as handbook

    parser = argparse.ArgumentParser()
    parser.add_argument("--material", action="store_true")
    parser.add_argument("--only")
    args = parser.parse_args(argv)
    if args.material:
        os.environ["HANDBOOK_SEARCH"] = "material"
    chosen = {name: load_suite(path) for name, path in suites().items() if args.only in (None, name)}
    engine = "Material (lunr)" if args.material else "sổ tay"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if handbook(["-C", str(ROOT), "build", "-d", str(site)]) != 0:
            return 1
        server, url = serve(site)
        print(f"Chỉ mục tìm kiếm ({engine}): {index_bytes(site):,} byte".replace(",", "."))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, cases in chosen.items():
                print(report(f"{name}, trực tuyến, {engine}", run_queries(browser.new_page(bypass_csp=True), url, cases)))
            bundle = _offline_bundle(Path(tmp), handbook)
            if bundle is not None:
                for name, cases in chosen.items():
                    print(report(f"{name}, ngoại tuyến, {engine}",
                                 run_queries(browser.new_page(bypass_csp=True), bundle.as_uri(), cases)))
            browser.close()
        server.shutdown()
    return 0


def index_bytes(site: Path) -> int:
    """The search index a reader's browser may load: ours (search/hb/) or Material's."""
    return sum(p.stat().st_size for p in (site / "search").rglob("*") if p.is_file())


def _offline_bundle(tmp: Path, handbook) -> Path | None:
    """Unzip the whole-handbook offline bundle; the path of its index.html."""
    import zipfile
    if handbook(["-C", str(ROOT), "bundle", "-o", str(tmp / "bundle.zip")]) != 0:
        return None
    with zipfile.ZipFile(tmp / "bundle.zip") as archive:
        archive.extractall(tmp / "bundle")
    return min((tmp / "bundle").rglob("index.html"), key=lambda p: len(p.parts))


if __name__ == "__main__":
    sys.exit(main())
