"""The whole pipeline in one place: read this first.

    load → validate → link → render → build (MkDocs) or bundle

Each stage is a plain function over plain data in a module of its name.
The command line (cli.py) and the MkDocs plugin (plugin.py) only call `run`
with the project's places (project.py) and report what it returns; a live
preview runs the same stages again on each save, for what changed
(sessions.Serve.run).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from time import perf_counter

from . import recent
from .link import Handbook, link
from .load import load
from .parse_cache import ParseCache, inputs
from .project import Project
from .problems import Problem, has_errors
from .render import generated_paths, page_path, render
from .content_policy import content_refusals
from .validate import check_early, validate


@dataclass
class Result:
    problems: list[Problem]
    handbook: Handbook | None = None
    pages: dict[str, str] = field(default_factory=dict)   # docs path → Markdown
    known_records: int = 0      # when validation was recalled from the cache rather than run
    changes: dict = field(default_factory=dict)     # data file → its last commit (recent.py), read once per build

    @property
    def records(self) -> int:
        return len(self.handbook.entries) if self.handbook else self.known_records

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    def edit_paths(self) -> dict[str, str]:
        """For each record page, the YAML file an editor changes to change it."""
        entries = self.handbook.entries.values() if self.handbook else ()
        return {page_path(e): e.path for e in entries if page_path(e) in self.pages}


#: Told each stage's name ("load", "validate", "link", "render") and seconds as it ends.
OnStage = Callable[[str, float], None]


def _stages(on_stage: OnStage | None):
    """A `with` block per stage that reports its duration to `on_stage`; without one, nothing is timed."""
    if on_stage is None:
        return lambda name: nullcontext()

    @contextmanager
    def stage(name: str):
        started = perf_counter()
        yield
        on_stage(name, perf_counter() - started)
    return stage


def run(project: Project, *, render_pages: bool = True, cache: ParseCache | None = None,
        on_stage: OnStage | None = None) -> Result:
    """Read and check the data; if it is valid, link and render it.

    Without pages (`handbook validate`) nothing is linked either: linking
    cannot fail, so the records are returned as they are. With a `cache`,
    files parsed by an earlier run and unchanged since are not read again.
    `on_stage` hears how long each stage took (the benchmark times them so).
    """
    data_dir, content_dir = project.data, project.content
    fingerprint = inputs(data_dir, content_dir) if cache and not render_pages else None
    known = cache.recall(fingerprint) if fingerprint else None
    if known is not None:       # nothing validation reads has changed since the last run
        return Result(known[0], known_records=known[1])
    stage = _stages(on_stage)
    memo: dict = {}         # what documents parsed by the loader's workers gave validation already
    with stage("load"):
        documents, problems = load(data_dir, cache=cache, on_parsed=check_early(memo))
    with stage("validate"):
        entries, found = validate(documents, content_dir, memo)
    if not render_pages:        # what the build would refuse in content/, said by `validate` too
        found += content_refusals(content_dir, generated_paths(entries))
    problems = sorted(problems + found)
    if cache is not None:
        if fingerprint:
            cache.remember(fingerprint, problems, len(entries))
        cache.save()
    if has_errors(problems):
        return Result(problems)
    if not render_pages:
        return Result(problems, Handbook(entries))
    with stage("link"):
        handbook = link(entries)
    with stage("render"):
        changes = recent.last_changes(data_dir)
        pages = render(handbook, changes=changes)
    return Result(problems, handbook, pages, changes=changes)

