"""The README's commands are what newcomers and CI run: keep them true."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def commands(text: str) -> list[str]:
    """The command lines of a shell text: no blank line, no comment."""
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def readme_commands() -> tuple[list[str], list[str]]:
    """The README's first two shell blocks: set up and build; set up and test."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return commands(blocks[0]), commands(blocks[1])


def test_ci_ends_with_the_readme_test_commands():
    """CI runs what the README tells a newcomer to run, in order, as its last commands:
    the default run, then the long runs the default one leaves out."""
    build_commands, test_commands = readme_commands()
    assert any("handbook build" in line for line in build_commands)
    ci = commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert ci[-len(test_commands):] == test_commands
    default, *long_runs = test_commands
    assert default.endswith("python -m pytest")
    # The default run leaves out the marked long runs; CI runs each of them after it.
    pytest_config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    left_out = re.findall(r"not (\w+)", pytest_config["addopts"][pytest_config["addopts"].index("-m") + 1])
    declared = [marker.split(":", 1)[0] for marker in pytest_config["markers"]]
    assert left_out and set(left_out) <= set(declared)
    assert [run.removeprefix(default.rsplit(" && ", 1)[-1] + " -m ") for run in long_runs] == left_out


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
