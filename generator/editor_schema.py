"""JSON Schemas for editors' editors, generated from the one schema.

VS Code's YAML extension reads them (see .vscode/settings.json) to offer
autocompletion, the allowed values and each field's description while an
editor types. They are committed; a test fails when they drift from schema.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from .schema import KINDS, Kind

SCHEMA_DIR = Path(__file__).parent / "schemas"


def json_schema(kind: Kind) -> dict:
    schema = kind.model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema, "title": f"{kind.title} (data/{kind.folder}/)"}


def json_schema_files() -> dict[str, str]:
    """File name → JSON text, for every record kind."""
    return {f"{kind.name}.schema.json": json.dumps(json_schema(kind), ensure_ascii=False, indent=2,
                                                   sort_keys=True) + "\n"
            for kind in KINDS.values()}


def write_json_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schema_files().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def vscode_settings() -> dict:
    """The `yaml.schemas` mapping that ties each data folder to its schema."""
    return {"yaml.schemas": {f"generator/schemas/{kind.name}.schema.json": f"data/{kind.folder}/*.yaml"
                             for kind in KINDS.values()}}
