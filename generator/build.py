"""Stage 5: build the site with MkDocs, all or nothing.

MkDocs writes into its site folder as it goes, so a failed build would leave
a half-written site. We build into a fresh folder beside it and swap the two
only when the build succeeded.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .aside import stop_all
from .engine import build, load_config
from .outputs import replace_folder
from .pipeline import Result
from .project import Project


def reproducible_epoch(root: Path, *paths: str) -> str:
    """A fixed build date (sitemap, gzip headers): the last commit's (touching `paths`), else 0."""
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct", "--", *paths],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "0"
    except (OSError, subprocess.SubprocessError):
        return "0"


def data_epoch(root: Path, data: Path) -> int:
    """The date of the data a reader is shown (the printed cover, the ZIM's Date): the last commit
    touching the records; outside a git checkout (a project downloaded as a zip, whose files keep
    the commit's time), the newest modification time of a record file; 0 only without either."""
    epoch = int(reproducible_epoch(root, str(data)))
    if epoch:
        return epoch
    files = (path for path in data.rglob("*") if path.is_file() and not path.is_symlink())
    return max((int(path.stat().st_mtime) for path in files), default=0)


def run_mkdocs(config_file: Path, root: Path, *, strict: bool, result: Result | None = None,
               site_dir: Path | None = None, plugins: dict | None = None) -> None:
    """One MkDocs build with a fixed build date, reusing the pipeline's result if given."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch or reproducible_epoch(root)
    try:
        options = {"site_dir": str(site_dir)} if site_dir else {}
        config = load_config(str(config_file), strict=strict, **options)
        if result is not None:
            config.plugins["handbook"].result = result
        for name, plugin in (plugins or {}).items():
            config.plugins[name] = plugin
        build(config)
    except BaseException:       # Ctrl-C reaches no plugin event: no copy of this build may outlive it
        stop_all()
        raise
    finally:
        if epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]


def build_site(project: Project, site_dir: Path, *, strict: bool = False, result: Result | None = None) -> None:
    """Build the handbook into `site_dir`; on any failure leave it as it was.

    Only a folder this function made (or a new or empty one) is replaced: see outputs.py.
    """
    replace_folder(project.root, site_dir, "-d", lambda staging: run_mkdocs(
        project.config_file, project.root, strict=strict, result=result, site_dir=staging))
