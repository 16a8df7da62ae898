"""The handbook builds the same site on MkDocs 1.6 and on ProperDocs, the maintained 1.6 line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scratch import copy_project

# The one line each engine writes its own name into.
GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')

# Runs the CLI with the engine chosen; "properdocs-only" hides MkDocs, as on a machine without it.
RUN = """
import sys
if sys.argv[1] == "properdocs-only":
    sys.modules["mkdocs"] = None        # `import mkdocs` fails, as if it were not installed
from generator import engine
print(engine.NAME, engine.VERSION, file=sys.stderr)
from generator.cli import main
sys.exit(main(sys.argv[2:]))
"""


def build_with(engine: str, project: Path, site: Path) -> str:
    env = {**os.environ, "HANDBOOK_ENGINE": "mkdocs" if engine == "mkdocs" else "properdocs"}
    done = subprocess.run([sys.executable, "-c", RUN, engine, "-C", str(project), "build", "--strict", "-d", str(site)],
                          capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()[0]


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): GENERATOR_META.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("engines") / "project")


def test_properdocs_alone_builds_the_same_site_as_mkdocs(project, tmp_path):
    assert build_with("mkdocs", project, tmp_path / "mkdocs").startswith("mkdocs 1.6")
    assert build_with("properdocs-only", project, tmp_path / "properdocs").startswith("properdocs 1.6")
    built_by_mkdocs, built_by_properdocs = files(tmp_path / "mkdocs"), files(tmp_path / "properdocs")
    assert len(built_by_mkdocs) > 200
    different = [name for name in built_by_mkdocs if built_by_mkdocs[name] != built_by_properdocs.get(name)]
    assert different == [] and built_by_mkdocs.keys() == built_by_properdocs.keys()
    page = (tmp_path / "properdocs" / "index.html").read_bytes()
    assert b"ProperDocs" in GENERATOR_META.search(page).group()


def test_an_unknown_engine_is_refused_in_vietnamese():
    done = subprocess.run([sys.executable, "-c", "import generator.engine"], capture_output=True, text=True,
                          env={**os.environ, "HANDBOOK_ENGINE": "zensical"}, timeout=120)
    assert done.returncode != 0 and "HANDBOOK_ENGINE" in done.stderr and "không hợp lệ" in done.stderr


def test_the_engine_is_met_in_one_module():
    """A module importing `mkdocs` itself fails where only ProperDocs is installed (and would
    miss a change of engine): every other module takes the engine's names from generator/engine.py."""
    root = Path(__file__).parent.parent
    direct = re.compile(r"^\s*(?:from|import)\s+mkdocs\b", re.M)
    offenders = [p.relative_to(root).as_posix() for folder in ("generator", "tests")
                 for p in (root / folder).rglob("*.py")
                 if p.name != "engine.py" and direct.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
