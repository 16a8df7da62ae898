"""JSON Schemas for editors' editors, generated from the one schema.

VS Code's YAML extension reads them (see .vscode/settings.json) to offer
autocompletion, the allowed values and each field's description while an
editor types. They are committed; a test fails when they drift from schema.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from pydantic.json_schema import GenerateJsonSchema

from . import dates
from .characters import NAME_LETTER_CLASS, NOT_TEXT_CLASS, VISIBLE_CLASS
from .confusables import keyboard_look_alike_class
from .look_alikes import TYPED_FIELDS
from .schema import COURSE_ITEM_KINDS, ID_PATTERN, KINDS, Kind, Province

SCHEMA_DIR = Path(__file__).parent / "schemas"

# What `strip` (Rust's White_Space, as pydantic applies it) removes, less what is not text.
_SPACES = "\\t\\n \\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000"
# Text the validator keeps (characters.py, by Unicode property, which ECMA-262 in unicode mode and
# Rust read alike): nothing that is not text but tab and newline, something left once spaces are
# stripped, no mark first. Written so that no character can be matched two ways (the editor's
# regex backtracks).
_TEXT_CHAR = f"(?:[^{NOT_TEXT_CLASS}]|[\\t\\n])"
TEXT_PATTERN = f"^[{_SPACES}]*[^{NOT_TEXT_CLASS}{_SPACES}\\p{{M}}]{_TEXT_CHAR}*$"
# A name shows a letter or a digit, and its letters are of the scripts a name may use (text.name).
NAME_PATTERNS = [f"[{VISIBLE_CLASS}]", f"^(?:[^\\p{{L}}\\p{{N}}]|[{NAME_LETTER_CLASS}])*$"]
# Our loader keeps every unquoted value as text (`05`, `true`, `1.000`); the editor's YAML 1.2 reads
# them as numbers and booleans. Where the validator takes such text, the editor must take the value.
TEXT_TYPES = ["string", "number", "boolean"]


def typed_pattern() -> str:
    """A number, term or abbreviation holds no look-alike of a keyboard character (text.look-alike)."""
    return f"^[^{keyboard_look_alike_class()}]*$"


class _EditorSchema(GenerateJsonSchema):
    """Pydantic's generator, without the English titles it makes up from field names.

    The editor shows a field's title above its description: the Vietnamese label
    the schema declares, or nothing.
    """

    def field_title_should_be_set(self, schema) -> bool:
        return False


def json_schema(kind: Kind) -> dict:
    schema = kind.model.model_json_schema(schema_generator=_EditorSchema)
    _ids_look_like_ids(schema)
    _text_as_the_validator_reads_it(schema)
    _lists_name_each_item_once(schema)
    _rules_across_fields(kind, schema)
    for name in kind.name_fields:       # text.name
        schema["properties"][name].setdefault("allOf", []).extend({"pattern": p} for p in NAME_PATTERNS)
    for name in set(TYPED_FIELDS) & set(schema["properties"]):      # text.look-alike
        schema["properties"][name].setdefault("allOf", []).append({"pattern": typed_pattern()})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema, "title": f"{kind.title} (data/{kind.folder}/)"}


def _ids_look_like_ids(node: object) -> None:
    """Give every field that names a record the id pattern, so a malformed id shows as it is typed.

    No record can have such an id, so the validator rejects it too (as an unknown reference).
    """
    if isinstance(node, list):
        for item in node:
            _ids_look_like_ids(item)
    elif isinstance(node, dict):
        if "x-ref" in node:
            for branch in (node, node.get("items", {}), *node.get("anyOf", ())):
                if branch.get("type") == "string":
                    branch["pattern"] = ID_PATTERN
        for value in node.values():
            _ids_look_like_ids(value)


def _text_as_the_validator_reads_it(node: object) -> None:
    """Every text field takes what the validator takes as text, and refuses what it refuses.

    A `pattern` applies to strings only: numbers and booleans are let through where their
    written form passes the field's own pattern (never for ids, dates, addresses or pages).
    """
    if isinstance(node, list):
        for item in node:
            _text_as_the_validator_reads_it(item)
        return
    if not isinstance(node, dict):
        return
    if {str(b.get("type")) for b in node.get("anyOf", ())} == {"string", "integer", "number"}:  # str | int | float
        del node["anyOf"]
        node.update(type="string", minLength=1)
    for value in node.values():
        _text_as_the_validator_reads_it(value)
    if node.get("type") != "string" or "enum" in node or "const" in node:
        return
    own = node.get("pattern")
    if own in (ID_PATTERN, dates.PATTERN):
        return
    if own is None:
        node.update(type=TEXT_TYPES, pattern=TEXT_PATTERN)
        return
    node["allOf"] = [{"pattern": TEXT_PATTERN}]
    if all(re.search(own, written) for written in ("2013", "1.5", "true", "false")):
        node["type"] = TEXT_TYPES


def _lists_name_each_item_once(node: object) -> None:
    """A list of ids or of sentences names each once, as the validator requires (`field.duplicate`)."""
    if isinstance(node, list):
        for item in node:
            _lists_name_each_item_once(item)
    elif isinstance(node, dict):
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict) and "string" in _types(items):
            node["uniqueItems"] = True
        for value in node.values():
            _lists_name_each_item_once(value)


def _types(node: dict) -> list[str]:
    kinds = node.get("type", [])
    return [kinds] if isinstance(kinds, str) else kinds


def _given(field: str) -> dict:
    """Written with a value (an empty `field:` is null, which the validator takes as absent)."""
    return {"required": [field], "properties": {field: {"not": {"type": "null"}}}}


def _absent(field: str) -> dict:
    return {"properties": {field: {"type": "null"}}}


def _rules_across_fields(kind: Kind, schema: dict) -> None:
    """The validator's rules that tie fields together, where JSON Schema can state them."""
    if kind.model is Province:     # Province._change_needs_successor
        schema["allOf"] = [{"if": _given(field), "then": _given(kind.successor)} for field in ("change", "change_basis")]
    item = schema.get("$defs", {}).get("CourseItem")
    if item is not None:        # CourseItem._one_target: one record, or a page with its title
        item["oneOf"] = [{"allOf": [_given(key), _absent("title")]} for key in COURSE_ITEM_KINDS] + \
                        [{"allOf": [_given("page"), _given("title")]}]


def json_schema_files() -> dict[str, str]:
    """File name → JSON text, for every record kind."""
    return {f"{kind.name}.schema.json": json.dumps(json_schema(kind), ensure_ascii=False, indent=2,
                                                   sort_keys=True) + "\n"
            for kind in KINDS.values()}


def write_json_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    from .outputs import write_file

    return [write_file(folder / name, text) for name, text in json_schema_files().items()]


def vscode_settings() -> dict:
    """The `yaml.schemas` mapping that ties each data folder to its schema."""
    return {"yaml.schemas": {f"generator/schemas/{kind.name}.schema.json": f"data/{kind.folder}/*.yaml"
                             for kind in KINDS.values()}}


PRE_COMMIT_HEADER = """\
# Written by `handbook schemas` from generator/schema.py: do not edit by hand.
# Checks the handbook's data before every commit: `pip install pre-commit && pre-commit install`.
# First the JSON Schemas that VS Code also uses (fast, one file at a time; check-jsonschema is
# installed by pre-commit itself), then the layout (`handbook fmt` rewrites the files it lists: add them again
# and commit), then the validator, which also checks references between records.
"""


def pre_commit_config() -> str:
    """`.pre-commit-config.yaml`: one JSON Schema check per kind's folder, then `handbook validate`."""
    hooks = [{"id": "check-jsonschema", "name": f"Lược đồ dữ liệu — {kind.label}", "entry": "check-jsonschema",
              "language": "python", "additional_dependencies": ["check-jsonschema>=0.33,<1"],
              "files": rf"^data/{kind.folder}/.*\.yaml$",
              "args": ["--schemafile", f"generator/schemas/{kind.name}.schema.json"]} for kind in KINDS.values()]
    hooks.append({"id": "handbook-fmt", "name": "Bố cục chuẩn của tệp dữ liệu (handbook fmt)", "entry": "handbook fmt",
                  "language": "system", "files": r"^data/.*\.yaml$"})
    hooks.append({"id": "handbook-validate", "name": "Kiểm tra dữ liệu sổ tay (handbook validate)",
                  "entry": "handbook validate", "language": "system", "files": r"^data/.*\.yaml$",
                  "pass_filenames": False})
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    return PRE_COMMIT_HEADER + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)
