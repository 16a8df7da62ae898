"""The publishing workflow as the issue asks it (zizmor and actionlint audit it in .ci/run)."""

from __future__ import annotations

import re

import yaml
from scratch import PROJECT

from generator.review import DATA_FOLDERS

WORKFLOW = yaml.safe_load((PROJECT / ".github" / "workflows" / "handbook.yml").read_text(encoding="utf-8"))


def steps():
    return [step for job in WORKFLOW["jobs"].values() for step in job["steps"]]


def test_every_action_is_pinned_by_commit_with_its_version():
    text = (PROJECT / ".github" / "workflows" / "handbook.yml").read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref) and re.fullmatch(r" # v\d+\.\d+\.\d+", rest)
                        for ref, rest in uses), uses


def test_every_job_has_a_timeout_and_checkouts_keep_no_token():
    assert all(0 < job["timeout-minutes"] <= 60 for job in WORKFLOW["jobs"].values())
    checkouts = [s for s in steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_the_build_gets_the_pages_address_and_publishing_is_never_cancelled():
    build = next(s for s in steps() if s.get("run") == "handbook build --strict")
    assert build["env"]["HANDBOOK_SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert WORKFLOW["jobs"]["publish"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_code_owners_leave_exactly_the_data_folders_to_any_reviewer():
    lines = [line.split() for line in (PROJECT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[0][0] == "*" and len(lines[0]) == 2
    assert sorted(line[0] for line in lines if len(line) == 1) == sorted(f"/{folder}" for folder in DATA_FOLDERS)
