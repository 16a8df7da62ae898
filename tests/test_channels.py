"""Output channels: whatever keys, file names and messages hold, no line the tools print drives
the terminal, hides or reverses text, or is read by GitHub's runner as a workflow command."""

from __future__ import annotations

import json
import re

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.channels import annotation, as_json, terminal
from generator.characters import NOT_PRINTABLE
from generator.cli import main
from generator.problems import ERROR, WARNING, Problem
from scratch import scratch_project

# Text as hostile as it gets: any character, with the ones that matter made frequent.
HOSTILE = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(
    ["\n", "\r", "\x1b", "\x07", "\u202e", "\u2066", "\u200b", "\x85", "\u2028", " ", "\u00a0", ":", "::", "##[",
     "%", ",", "%0A", "::error::x", "\n::warning file=a::b"])), max_size=20).map("".join)


def command_lines(output: str) -> list[str]:
    """The lines GitHub's runner would take for workflow commands (it trims leading white space
    and still reads its old `##[command]` syntax anywhere in a line)."""
    return [line for line in output.split("\n") if line.lstrip().startswith("::") or "##[" in line]


def unprintable(output: str) -> list[str]:
    return [c for line in output.split("\n") for c in NOT_PRINTABLE.findall(line)]


def unescape_property(text: str) -> str:      # as the runner does (actions/runner ActionCommand.cs)
    for token, escape in (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")):
        text = text.replace(escape, token)
    return text


def unescape_data(text: str) -> str:
    for token, escape in (("\r", "%0D"), ("\n", "%0A"), ("%", "%25")):
        text = text.replace(escape, token)
    return text


@given(path=HOSTILE, message=HOSTILE, hint=HOSTILE, code=st.sampled_from(["field.unknown", "text.control"]),
       severity=st.sampled_from([ERROR, WARNING]))
@example(path="data/x\n::warning file=a::b.yaml", message="\x1b]0;title\x07", hint="\u202ekết", code="field.unknown",
         severity=ERROR)
def test_every_channel_prints_text_and_no_workflow_command(path, message, hint, code, severity):
    problem = Problem(path, 3, 5, code, message, hint, severity)
    human = problem.format()
    assert "\n" not in human and not unprintable(human) and not command_lines(human)
    # One annotation, the only command, on one line; the runner reads back our escaped text.
    github = problem.github()
    assert "\n" not in github and "\r" not in github and not unprintable(github)
    match = re.fullmatch(r"::(error|warning) file=([^,]*),line=3,col=5,title=([^,:]*)::(.*)", github)
    assert match, github
    assert unescape_property(match.group(2)) == terminal(path)
    assert unescape_data(match.group(4)) == terminal(f"{message} — {hint}" if hint else message)
    document = as_json([problem.as_dict()])
    assert not unprintable(document) and not command_lines(document)
    assert json.loads(document) == [problem.as_dict()]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=HOSTILE.filter(lambda k: k.strip() and k not in ("id", "<<")), name=HOSTILE.filter(
    lambda n: n and "/" not in n and "\0" not in n and n not in (".", "..") and len(n.encode()) < 200))
@example(key="x\n::warning file=a,line=1::pwned", name="y\x1b[2J\u202e")
def test_validate_prints_hostile_keys_and_file_names_as_text(tmp_path_factory, capsys, key, name):
    root = scratch_project(tmp_path_factory.mktemp("channels"), {
        f"data/topics/{name}.yaml": yaml.safe_dump({"id": "chu-de-moi", "name": "Chủ đề", key: "x"},
                                                   allow_unicode=True),
    })
    for style in ("human", "github", "json"):
        capsys.readouterr()
        assert main(["-C", str(root), "validate", "--format", style]) == 1
        out, err = capsys.readouterr()
        assert not unprintable(out) and not unprintable(err)
        assert not command_lines(err)
        commands = command_lines(out)
        if style == "github":      # our own annotations, one per line, each a well-formed command
            assert commands and all(re.match(r"::(error|warning) file=[^,:]*,line=\d+,col=\d+,title=\[", c)
                                    for c in commands)
        else:
            assert not commands
        if style == "json":
            assert all(isinstance(p["message"], str) for p in json.loads(out))


def test_terminal_control_sequences_are_shown_not_run():
    assert terminal("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"
    assert terminal("\u202eabc") == "\\u202eabc"
    assert terminal("  ::error::x") == "  \\x3a:error::x"
    assert annotation("error", "a,b:c", 1, 2, "[x]", "50%\nz") == \
        "::error file=a%2Cb%3Ac,line=1,col=2,title=[x]::50%25\\nz"
