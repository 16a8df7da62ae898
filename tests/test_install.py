"""What a new machine gets: the locked versions, and a wheel that works outside the checkout."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parent.parent
LOCKS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

spec = importlib.util.spec_from_file_location("install", LOCKS / "install.py")
install = importlib.util.module_from_spec(spec)
spec.loader.exec_module(install)


def locked(name: str) -> dict[str, str]:
    """A lock file's pins: {canonical name: version}."""
    text = (LOCKS / f"{name}.txt").read_text(encoding="utf-8")
    return {canonicalize_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", text, re.M)}


@pytest.mark.parametrize("lock, extras", [("base", []), ("print", ["print"]), ("zim", ["zim"]), ("publish", ["print", "zim"]),
                                           ("test", ["test"])])
def test_each_lock_pins_every_declared_dependency_within_its_range(lock, extras):
    """A lock refreshed after pyproject.toml changed: every requirement there is pinned, inside its range,
    and every pin carries hashes (pip's --require-hashes installs nothing else)."""
    pins = locked(lock)
    declared = [Requirement(r) for r in PYPROJECT["dependencies"]]
    declared += [Requirement(r) for extra in extras for r in PYPROJECT["optional-dependencies"][extra]]
    for requirement in declared:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements/{lock}.txt: run sh requirements/refresh.sh"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])
    entries = re.split(r"\n(?=\S)", (LOCKS / f"{lock}.txt").read_text(encoding="utf-8"))
    assert all("--hash=sha256:" in entry for entry in entries if not entry.startswith("#"))
    assert "setuptools" in pins     # builds the editable install without reaching for a newer one


@pytest.mark.parametrize("said, expected", [
    ("ERROR: Could not find a version that satisfies the requirement mkdocs==1.6.1", "mạng"),
    ("WARNING: Retrying ... NewConnectionError(... Temporary failure in name resolution)", "mạng"),
    ("ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.", "mã băm"),
    ("OSError: [Errno 28] No space left on device", "ổ đĩa"),
    ("something pip has never said", "pip báo lỗi"),
])
def test_a_failed_install_ends_with_one_line_saying_what_to_do(said, expected):
    line = install.advice(said)
    assert expected in line and "\n" not in line


@pytest.mark.parametrize("said, expected", [
    ("ERROR: Ignored the following versions that require a different python version: 1.0 Requires-Python >=3.11\n"
     "ERROR: Could not find a version that satisfies the requirement backrefs==8.3.1", "Python cũ hơn 3.11"),
    ("/work/.venv/bin/python: No module named pip", "thiếu pip"),
])
def test_an_unusable_venv_is_named_as_such_not_as_the_network(said, expected):
    assert expected in install.advice(said) and "mạng" not in install.advice(said)


def test_an_existing_venv_is_checked_before_anything_is_installed(tmp_path):
    old = tmp_path / "python"
    old.write_text("#!/bin/sh\necho False\n")
    old.chmod(0o755)
    assert "cũ hơn 3.11" in install.usable(old)
    assert "không còn chạy được" in install.usable(tmp_path / "gone" / "python")
    assert install.usable(Path(sys.executable)) is None


def test_the_installer_refuses_what_it_cannot_install(capsys):
    assert install.main(["everything"]) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and said[0].startswith("Chưa cài xong") and "base" in said[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built offline from the package's own files only (no checkout around it)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "generator", source / "generator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    warnings = [line for line in (done.stdout + done.stderr).splitlines()
                if "warning" in line.lower() and "byte-compiling is disabled" not in line]
    assert warnings == []          # setuptools' "package would be ignored" and the like
    [built] = out.glob("*.whl")
    return built


def test_the_wheel_carries_every_file_of_the_package_and_its_licences(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert package - names == set()
    licences = {n.split(".dist-info/licenses/", 1)[1] for n in names if ".dist-info/licenses/" in n}
    assert {"LICENSE", "generator/assets/iframe-worker/LICENSE"} <= licences
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata


def test_a_project_of_its_own_builds_with_the_installed_wheel(wheel, tmp_path):
    """A province keeps mkdocs.yml, content/ and data/ in its own repository and installs the generator."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # The wheel is unpacked by hand (no pip, no network); its dependencies are this environment's,
    # reached through a .pth line, which does not run this environment's editable-install hooks.
    import zipfile
    zipfile.ZipFile(wheel).extractall(purelib)
    here = next(p for p in sys.path if p.endswith("site-packages") and Path(p, "yaml").exists())
    Path(purelib, "deps.pth").write_text(here + "\n", encoding="utf-8")

    project = tmp_path / "tinh-x"
    project.mkdir()
    for name in ("mkdocs.yml", "content", "data"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, project / name)
    script = "import sys; from generator.cli import main; import generator; print(generator.__file__); sys.exit(main())"
    done = subprocess.run([str(python), "-c", script, "build", "--strict"], cwd=project, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONNOUSERSITE": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(purelib)     # the installed package, not this checkout
    site = project / "site"
    assert (site / "assets" / "handbook.css").is_file() and (site / "404.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="assets/handbook.css"' in home and "Sổ tay" in home
