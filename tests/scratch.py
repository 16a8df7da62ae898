"""A small handbook written into a temporary folder, for tests of every stage."""

from __future__ import annotations

import shutil
from pathlib import Path

MINI = Path(__file__).parent / "fixtures" / "mini"
#: Records the end-to-end tests add to the mini handbook (a course), kept apart so that the golden
#: pages of the mini handbook do not change with them.
SITE = Path(__file__).parent / "fixtures" / "site"
PROJECT = Path(__file__).resolve().parent.parent


def scratch_project(tmp_path: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """Copy the mini handbook to `tmp_path`, then write (or, for None, delete) `files`."""
    shutil.copytree(MINI, tmp_path, dirs_exist_ok=True)
    for name, content in (files or {}).items():
        path = tmp_path / name
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


def copy_project(dest: Path) -> Path:
    """A copy of the real handbook (configuration, pages, data, theme overrides) to build in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROJECT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "data"):      # the theme overrides come from the installed package
        shutil.copytree(PROJECT / folder, dest / folder)
    return dest


def site_project(dest: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """The mini handbook and the end-to-end records as a whole project (the real configuration,
    pages and theme overrides), to build, bundle or print in `dest`: what the end-to-end tests
    check stays put whatever editors change in data/."""
    scratch_project(dest)
    shutil.copytree(SITE, dest, dirs_exist_ok=True)
    shutil.copy2(PROJECT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content",):      # the theme overrides come from the installed package
        shutil.copytree(PROJECT / folder, dest / folder)
    return scratch_project(dest, files)
