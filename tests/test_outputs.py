"""Commands never destroy (issue 26, class 6): an output replaces only what the command itself
wrote, checked again at the moment of the swap, and every file is written whole or not at all."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import pytest

from generator.outputs import OutputError, check_folder, mark, move_into_place, replace_folder, write_file
from generator.cli import main


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("earlier", ["new", "empty", "ours"])
@pytest.mark.parametrize("meanwhile", ["file", "folder"])
def test_what_appears_in_the_target_during_the_work_is_never_deleted(tmp_path, earlier, meanwhile):
    """`build -d DIR` checks DIR before building; someone (or another command) writes there during
    the minutes the build takes: the swap refuses, and both that and the earlier output stay."""
    root = tmp_path / "project"
    root.mkdir()
    target = tmp_path / "out"
    if earlier != "new":
        target.mkdir()
    if earlier == "ours":
        (target / "index.html").write_text("cũ")
        mark(target)

    def fill(staging: Path) -> None:
        (staging / "index.html").write_text("mới")
        target.mkdir(exist_ok=True)
        if meanwhile == "file":
            (target / "ghi-chu.txt").write_text("ghi chú của biên tập viên")
        else:
            (target / "ban-thao").mkdir()
            (target / "ban-thao" / "a.md").write_text("bản thảo")

    before = None
    with pytest.raises(OutputError):
        before = replace_folder(root, target, "-d", fill)
    assert before is None
    kept = _tree(target)
    assert any(name in kept for name in ("ghi-chu.txt", "ban-thao/a.md"))
    if earlier == "ours":
        assert kept["index.html"] == "cũ".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]      # no staging left


def test_an_earlier_output_with_anything_added_is_not_replaced(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    target = tmp_path / "site"
    replace_folder(root, target, "-d", lambda staging: (staging / "trang").mkdir() or
                   (staging / "trang" / "index.html").write_text("a"))
    assert check_folder(root, target, "-d") == target
    replace_folder(root, target, "-d", lambda staging: (staging / "index.html").write_text("b"))
    assert _tree(target).keys() == {".handbook-output", "index.html"}
    (target / "CNAME").write_text("so-tay.example")
    with pytest.raises(OutputError, match="CNAME"):
        check_folder(root, target, "-d")


def test_a_file_output_is_checked_again_when_it_is_moved_into_place(tmp_path):
    """`bundle -o` / `print -o`: a file that appeared at the target during the work is kept."""
    out, partial = tmp_path / "khoa-hoc.zip", tmp_path / ".khoa-hoc.zip.part"
    partial.write_bytes(b"new")
    out.write_bytes(b"notes")
    with pytest.raises(OutputError):
        move_into_place(partial, out, lambda path: False, "handbook bundle")
    assert out.read_bytes() == b"notes"
    move_into_place(partial, out, lambda path: True, "handbook bundle")
    assert out.read_bytes() == b"new" and not partial.exists()


def test_write_file_keeps_mode_and_refuses_links(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("{}")
    path.chmod(0o600)
    write_file(path, "{\"a\": 1}")
    assert path.read_text() == "{\"a\": 1}" and path.stat().st_mode & 0o777 == 0o600
    (tmp_path / "link.json").symlink_to(path)
    with pytest.raises(OutputError):
        write_file(tmp_path / "link.json", "x")
    with pytest.raises(FileExistsError):
        write_file(path, "x", new=True)
    assert path.read_text() == "{\"a\": 1}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "link.json"]


def _schemas_project(root: Path) -> dict[str, bytes]:
    """A project whose generated files all exist, with the editor's own settings beside ours."""
    for folder in ("generator/schemas", "generator/cms", ".vscode"):
        (root / folder).mkdir(parents=True)
    (root / ".vscode" / "settings.json").write_text(json.dumps({"editor.tabSize": 2, "yaml.schemas": {}}) + "\n")
    for name in ("practice.schema.json", "topic.schema.json"):
        (root / "generator/schemas" / name).write_text("{\"cũ\": true}\n")
    (root / "generator/cms/config.yml").write_text("# cũ\n")
    (root / ".pre-commit-config.yaml").write_text("# cũ\n")
    return _tree(root)


class _FullDisk:
    """The disk fills up at the `after`-th file opened for writing: half of the first write lands,
    then ENOSPC, as a real full disk does it (a truncated file if written in place)."""

    def __init__(self, after: int) -> None:
        self.after, self.opened = after, 0

    def open(self, file, mode="r", *args, **kwargs):
        handle = _REAL_OPEN(file, mode, *args, **kwargs)
        if any(flag in mode for flag in "wax+"):
            self.opened += 1
            if self.opened > self.after:
                return _Failing(handle)
        return handle


class _Failing:
    def __init__(self, handle) -> None:
        self.handle = handle

    def write(self, data):
        self.handle.write(data[:len(data) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()


_REAL_OPEN = io.open


def test_schemas_on_a_full_disk_keeps_every_file_whole(tmp_path, monkeypatch, capsys):
    """Every file `handbook schemas` writes is, after a failed write anywhere, the old one or the
    new one, never cut short; the editor's settings stay valid JSON with their own entries."""
    done = tmp_path / "done"
    done.mkdir()
    _schemas_project(done)
    assert main(["-C", str(done), "schemas"]) == 0
    new = _tree(done)
    for after in range(len(new) + 1):
        root = tmp_path / f"disk-{after}"
        root.mkdir()
        old = _schemas_project(root)
        capsys.readouterr()
        with monkeypatch.context() as patch:
            patch.setattr(io, "open", _FullDisk(after).open)
            code = main(["-C", str(root), "schemas"])
        err = capsys.readouterr().err
        if code == 0:       # every file was written before the disk filled
            assert _tree(root) == new
            break
        assert "hết chỗ trống trên đĩa" in err and "giữ nguyên" in err
        for name, data in _tree(root).items():
            assert data in (old.get(name), new.get(name)), (after, name)
        assert json.loads((root / ".vscode/settings.json").read_text())["editor.tabSize"] == 2
    else:
        pytest.fail("the command never finished")
