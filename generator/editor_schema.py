"""JSON Schemas for editors' editors, generated from the one schema.

VS Code's YAML extension reads them (see .vscode/settings.json) to offer
autocompletion, the allowed values and each field's description while an
editor types. They are committed; a test fails when they drift from schema.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic.json_schema import GenerateJsonSchema

from .schema import ID_PATTERN, KINDS, Kind

SCHEMA_DIR = Path(__file__).parent / "schemas"


class _EditorSchema(GenerateJsonSchema):
    """Pydantic's generator, without the English titles it makes up from field names.

    The editor shows a field's title above its description; the Vietnamese
    description alone is what editors should read.
    """

    def field_title_should_be_set(self, schema) -> bool:
        return False


def json_schema(kind: Kind) -> dict:
    schema = kind.model.model_json_schema(schema_generator=_EditorSchema)
    _ids_look_like_ids(schema)
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


def json_schema_files() -> dict[str, str]:
    """File name → JSON text, for every record kind."""
    return {f"{kind.name}.schema.json": json.dumps(json_schema(kind), ensure_ascii=False, indent=2,
                                                   sort_keys=True) + "\n"
            for kind in KINDS.values()}


def write_json_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    from .outputs import regular_or_new

    written = []
    for name, text in json_schema_files().items():
        path = regular_or_new(folder / name)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def vscode_settings() -> dict:
    """The `yaml.schemas` mapping that ties each data folder to its schema."""
    return {"yaml.schemas": {f"generator/schemas/{kind.name}.schema.json": f"data/{kind.folder}/*.yaml"
                             for kind in KINDS.values()}}
