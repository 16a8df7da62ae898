"""The README's commands are what newcomers and CI run: keep them true."""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return [line for block in blocks[:2] for line in block.splitlines() if line and not line.startswith("#")]


def test_ci_runs_the_readme_test_command():
    build_command, test_command = readme_commands()
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "handbook build" in build_command


def test_every_cli_command_is_documented():
    import argparse

    import pytest

    from generator.cli import build_parser, main
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [commands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(commands.choices) >= 4
    for command in commands.choices:
        assert f"`handbook {command}" in readme, command
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
