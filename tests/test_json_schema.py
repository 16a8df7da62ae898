"""The editors' JSON Schemas, read by a real client.

VS Code's YAML extension checks what an editor types against generator/schemas/.
check-jsonschema, an independent client with the same regex dialect (ECMA-262,
unicode mode) and bundled metaschemas, stands in for it; it runs offline
(`--no-cache`, schemas by local path). The schemas must be valid, must never
reject what `handbook validate` accepts, and must reject what they can state:
unknown and missing fields, types, enumerations, id and date patterns.

What a JSON Schema cannot state is left to the validator, so a file the editor
accepts may still be invalid: references to existing ids, id = file name,
duplicate ids, the length of each month (2019-02-30), relation cycles, items
repeated with other spaces around them. Other known differences are listed in
DIFFERENCES below.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st
import jsonschema
import regress
from pydantic_core import SchemaValidator, ValidationError, core_schema
from ruamel.yaml import YAML

from generator import dates
from generator.characters import LONE_MARK, name_refusal, not_text
from generator.confusables import keyboard_look_alike
from generator.editor_schema import NAME_PATTERNS, SCHEMA_DIR, TEXT_PATTERN, typed_pattern
from generator.load import load_file
from generator.pipeline import run
from generator.project import Project
from generator.validate import validate
from generator.schema import KIND_BY_FOLDER, KINDS, NO_PREFIX_PATTERN, PREFIX
from scratch import MINI, PROJECT, scratch_project

CASES = sorted((Path(__file__).parent / "cases" / "validate").glob("*.yaml"))
SCHEMAS = sorted(SCHEMA_DIR.glob("*.schema.json"))


def client(*args: str) -> subprocess.CompletedProcess:
    """check-jsonschema's command line, run in this process (a process per call was a third of
    this file's time): its exit code, what it printed and what it reported as failing."""
    from check_jsonschema.cli.main_command import main as check_jsonschema

    done = CliRunner().invoke(check_jsonschema, ["--no-cache", *args])
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        return subprocess.CompletedProcess(args, 1, "", repr(done.exception))     # as a crashed process would
    return subprocess.CompletedProcess(args, done.exit_code, done.stdout, done.stderr)


def editor_rejects(root: Path, files: list[str]) -> set[str]:
    """The files (relative to `root`, under data/<kind folder>/) that check-jsonschema rejects."""
    by_kind: dict[str, list[str]] = {}
    for name in files:
        by_kind.setdefault(KIND_BY_FOLDER[Path(name).parts[1]].name, []).append(name)
    rejected = set()
    for kind, names in by_kind.items():
        done = client("--schemafile", str(SCHEMA_DIR / f"{kind}.schema.json"), "-o", "json",
                      *(str(root / n) for n in names))
        if done.returncode != 0 and not done.stdout.strip():
            # A file the client cannot read at all (nesting too deep for its parser) stops the run:
            # ask again file by file; such a file is rejected by the editor too.
            rejected |= {n for n in names if len(names) == 1 or editor_rejects(root, [n])}
            continue
        report = json.loads(done.stdout)
        assert (done.returncode == 0) == (report["status"] == "ok"), done.stderr
        rejected |= {Path(e["filename"]).relative_to(root).as_posix()
                     for e in report["errors"] + report.get("parse_errors", [])}
    return rejected


def validator_rejects(root: Path) -> set[str]:
    """The files `handbook validate` reports an error in."""
    return {p.path for p in run(Project.read(root), render_pages=False).problems if p.is_error}


def record_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for folder in KIND_BY_FOLDER
                  for p in (root / "data" / folder).glob("*.yaml"))


# --- The schemas themselves ---------------------------------------------------

def test_every_schema_is_valid_against_its_metaschema():
    assert [p.name for p in SCHEMAS] == sorted(f"{k}.schema.json" for k in KINDS)
    done = client("--check-metaschema", *map(str, SCHEMAS))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_metaschema_check_rejects_a_pattern_the_editor_cannot_read(tmp_path):
    r"""The former URL pattern: `\"` is not an escape in ECMA-262's unicode mode."""
    schema = tmp_path / "bad.schema.json"
    schema.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                                  "type": "string", "pattern": "^[^\\s<>\\\"]+$"}))
    done = client("--check-metaschema", str(schema))
    assert done.returncode == 1 and "is not a 'regex'" in done.stdout


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name.split(".")[0] for p in SCHEMAS])
def test_every_field_is_explained_to_the_editor(path):
    """The editor shows a field's title, then its description: the Vietnamese label the schema
    declares (the one the pages and the form editor show), never an English one made up from the name."""
    from generator.schema import CourseItem, Figure, Relation
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False and schema["required"]
    models = {m.__name__: m for m in (CourseItem, Figure, Relation, *(k.model for k in KINDS.values()))}
    for title, model in (("", schema), *schema.get("$defs", {}).items()):
        assert model["additionalProperties"] is False
        declared = models[title] if title else KINDS[path.name.split(".")[0]].model
        for name, field in model["properties"].items():
            assert field["title"] == declared.model_fields[name].title and field["description"], name
            assert field["title"] != name.replace("_", " ").title(), name


def patterns(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(patterns(v) for v in node))
    return set()


PATTERNS = sorted(set().union(*(patterns(json.loads(p.read_text(encoding="utf-8"))) for p in SCHEMAS)))


STRIP = SchemaValidator(core_schema.str_schema(strip_whitespace=True))


def date_parts_in_range(text: str) -> bool:
    """The partial-date parser, but for the length of each month (2019-02-30), which no pattern states."""
    match = dates._FORMAT.match(text)
    year, month, day = (int(g) if g else None for g in match.groups()) if match else (0, None, None)
    return bool(match) and dates.MIN_YEAR <= year <= dates.MAX_YEAR and 1 <= (month or 1) <= 12 \
        and 1 <= (day or 1) <= 31


def validator_matches(pattern: str):
    """How the validator applies `pattern`: Rust's regex through pydantic, the partial-date parser,
    or a directive's number/term check (a lookahead, which Rust's regex cannot read)."""
    if pattern == dates.PATTERN:
        return date_parts_in_range
    if pattern == TEXT_PATTERN:         # characters.py, by Unicode property, and `strip`
        return lambda text: not not_text(text) and not LONE_MARK.match(text) and bool(STRIP.validate_python(text))
    if pattern == NAME_PATTERNS[0]:
        return lambda text: name_refusal(text) is None or name_refusal(text)[0] >= 0
    if pattern == NAME_PATTERNS[1]:
        return lambda text: name_refusal(text) is None or name_refusal(text)[0] < 0
    if pattern == NO_PREFIX_PATTERN:
        return lambda text: not PREFIX.match(STRIP.validate_python(text))
    if pattern == typed_pattern():      # confusables.py, on the text as the loader keeps it (NFC)
        return lambda text: keyboard_look_alike(unicodedata.normalize("NFC", text)) is None
    check = SchemaValidator(core_schema.str_schema(pattern=pattern))

    def matches(text: str) -> bool:
        try:
            check.validate_python(text)
        except ValidationError:
            return False
        return True
    return matches


def near_misses(pattern: str) -> st.SearchStrategy[str]:
    """Texts the pattern almost matches: a match with other characters mixed in."""
    inserts = st.sampled_from(["", " ", "\ufeff", "\u00a0", "\u3000", "\n", "é", "đ", "٣", "３", "Ａ",
                               '"', "\\", "-", "/", "<", "_", ".", "\x05", "\x1c", "\x85", "\ue000", "số ",
                               "Khoá ", "ſố\u2003", "\u212ahóa\x1f", "0", "13", "40"])
    # (Python's re reads neither \p{…} nor ECMA-262's \u{…})
    matching = st.text(max_size=20) if "\\p{" in pattern or "\\u{" in pattern else st.from_regex(pattern, fullmatch=True)
    return st.builds(lambda text, at, extra: text[:at % (len(text) + 1)] + extra + text[at % (len(text) + 1):],
                     matching, st.integers(0, 200), inserts)


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_editor_and_validator_read_each_pattern_alike(pattern, data):
    text = data.draw(st.one_of(near_misses(pattern), st.text(max_size=30)))
    # Readers of different Unicode versions disagree on characters assigned since: not ours to judge.
    assume(all(unicodedata.category(c) != "Cn" or c in "\ufdd0\ufffe\uffff" for c in text))
    editor = regress.Regex(pattern, flags="u").find(text) is not None
    assert editor == validator_matches(pattern)(text), (pattern, text)


# --- One text field, as each reader reads it --------------------------------------

def editor_accepts(kind: str, text: str) -> bool:
    """The editor's verdict on one record: YAML 1.2 (ruamel, as check-jsonschema reads it), then the
    schema with ECMA-262 patterns (regress, as check-jsonschema applies them)."""
    def ecma_pattern(validator, pattern, instance, schema):
        if isinstance(instance, str) and regress.Regex(pattern, flags="u").find(instance) is None:
            yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")
    reader = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": ecma_pattern})
    return reader(json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))).is_valid(
        YAML(typ="safe", pure=True).load(text))


SOURCE = "id: bai-mau\ntitle: Bài viết\n"


def validator_accepts(kind: str, text: str) -> bool:
    """`handbook validate`'s verdict on the record (its references to bai-mau resolved)."""
    documents = []
    for folder, name, raw in ((KINDS[kind].folder, "ban-ghi", text), ("sources", "bai-mau", SOURCE)):
        document, problems = load_file(raw.encode("utf-8"), f"data/{folder}/{name}.yaml", KIND_BY_FOLDER[folder])
        if document is None or any(p.is_error for p in problems):
            return False
        documents.append(document)
    return not any(p.is_error for p in validate(documents)[1])


# Unquoted values that YAML 1.2 reads as numbers, booleans or null, and our loader keeps as text.
PLAIN_SCALARS = ["05", "1019", "2025", "-3", "+3", "1.000", "1e3", "0x1F", "0o17", ".inf", "-.Inf", ".nan",
                 "true", "False", "no", "yes", "3:20", "null", "~", ""]
TEXT_ALPHABET = st.sampled_from([" ", "\t", "\n", "\u00a0", "\u3000", "\u2028", "\x05", "\x1c", "\x85",
                                 "\x9f", "\ufeff", "\ue000", "\ufdd0", "a", "X", "0", "-", ".", "/", "s", "S",
                                 "ố", "Ố", "\u017f", "k", "K", "\u212a", "h", "ó", "o", "á", "A", "I"])
TEXT_VALUES = st.one_of(
    st.sampled_from(PLAIN_SCALARS),
    st.sampled_from(["số", "Số", "khóa", "KHOÁ", " số", "\u00a0khoá"]).flatmap(
        lambda word: st.builds(lambda rest: json.dumps(word + rest), st.text(TEXT_ALPHABET, max_size=4))),
    st.text(TEXT_ALPHABET, max_size=8).map(json.dumps))

RECORDS = {
    "topic": "id: ban-ghi\nname: {value}\n",
    "directive": "id: ban-ghi\ndoc_type: hướng dẫn\nnumber: {value}\nterm: {value}\nsources: [bai-mau]\n",
    "model": "id: ban-ghi\nname: Mô hình\nadvantages: [{value}]\nsources: [bai-mau]\n",
    "glossary": "id: ban-ghi\nabbr: BTCTW\nexpansion: {value}\n",     # abbr: see spaces-inside-quotes
}


@pytest.mark.parametrize("kind", RECORDS)
@settings(max_examples=150, deadline=None)
@given(value=TEXT_VALUES)
def test_a_text_field_is_valid_for_the_editor_exactly_when_the_validator_says_so(kind, value):
    """Blank text, control characters, a number's "số", unquoted numbers and booleans: both readers agree."""
    text = RECORDS[kind].format(value=value)
    assert editor_accepts(kind, text) == validator_accepts(kind, text), text


# --- Data ---------------------------------------------------------------------

@pytest.mark.parametrize("root", [PROJECT, MINI], ids=["data", "mini"])
def test_records_are_valid_for_the_editor_exactly_when_the_validator_says_so(root):
    files = record_files(root)
    assert files
    assert editor_rejects(root, files) == validator_rejects(root)


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_validation_cases_the_schema_can_state_are_rejected_by_both(case_file, tmp_path):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    root = scratch_project(tmp_path, case["files"])
    written = [name for name, text in case["files"].items()
               if text is not None and name.startswith("data/") and Path(name).parts[1] in KIND_BY_FOLDER]
    by_editor = editor_rejects(root, written)
    assert by_editor <= validator_rejects(root), "the editor must not reject what `handbook validate` accepts"
    assert by_editor == set(case.get("editor_rejects", [])), "update `editor_rejects` in the case"


# Where the two readers part, and why. (validator rejects, editor rejects)
DIFFERENCES = {
    # Our loader keeps every unquoted value as written (`yes`, 1:20 and 010 are text for both readers);
    # the editor reads YAML 1.2, where 0o3720 is the number 2000, a year it accepts.
    "yes-is-text-for-both": ("data/topics/chu-de.yaml", "id: chu-de\nname: yes\n", (False, False)),
    "sexagesimal-is-text-for-both": ("data/topics/chu-de.yaml", "id: chu-de\nname: 1:20\n", (False, False)),
    "octal-year": ("data/sources/bai-mau.yaml", "id: bai-mau\ntitle: T\npublished: 0o3720\n", (True, False)),
    # The validator strips spaces around text before checking it; the editor checks the text as written.
    "spaces-inside-quotes": ("data/topics/chu-de.yaml", 'id: " chu-de "\nname: x\n', (False, True)),
    # Ids and references stay text for the editor, governed by the id pattern (at least one letter, so
    # never a YAML 1.2 number); an id spelled like a YAML 1.2 boolean is the editor's `true`.
    "id-spelled-as-a-boolean": ("data/topics/true.yaml", "id: true\nname: x\n", (False, True)),
    "id-of-digits": ("data/topics/2013.yaml", "id: 2013\nname: x\n", (True, True)),
    # uniqueItems compares values: 1 and 1.0 are one number to the editor, two texts to the validator.
    "numbers-equal-in-value": ("data/models/chi-bo-bon-tot.yaml",
                               "id: chi-bo-bon-tot\nname: x\nadvantages: [1, 1.0]\nsources: [bai-mau]\n", (False, True)),
}


@pytest.mark.parametrize("name", DIFFERENCES)
def test_known_differences_are_as_documented(name, tmp_path):
    path, text, (by_validator, by_editor) = DIFFERENCES[name]
    root = scratch_project(tmp_path, {path: text})
    assert (path in validator_rejects(root), path in editor_rejects(root, [path])) == (by_validator, by_editor)


def test_pre_commit_runs_the_client_per_kind_before_the_validator():
    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    ids = [hook["id"] for hook in hooks]
    assert ids.index("handbook-validate") == len(ids) - 1
    for kind in KINDS.values():
        sample = f"data/{kind.folder}/x.yaml"
        [hook] = [h for h in hooks if h["id"] == "check-jsonschema" and re.search(h["files"], sample)]
        assert hook["args"][hook["args"].index("--schemafile") + 1] == f"generator/schemas/{kind.name}.schema.json"
