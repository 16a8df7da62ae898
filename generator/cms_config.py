"""The form editor's configuration (Decap CMS), generated from the one schema.

Editors who know their practices and directives but not YAML edit records
through forms at /admin/ (see cms.py); every change becomes a pull request
that the validation workflow checks. The forms are read off schema.py like the
JSON Schemas: one collection per record kind, fields in the order the
hand-written files use, enumerations as selects, references as searchable
relation widgets, partial dates as patterned text. The result is committed
(generator/cms/config.yml); a test fails when it drifts from the schema.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel

from .field_types import NAME_KEY, SEARCH_KEY, Form, slot  # noqa: F401 (the form's keys, named here too)
from .schema import ID_PATTERN, KINDS, RELATION_TYPES, Kind, describe_fields

CMS_DIR = Path(__file__).parent / "cms"
CONFIG_FILE = CMS_DIR / "config.yml"



def _nested_name(model: type[BaseModel]) -> str:
    """The name a nested value's fields go by ("relation" for Relation)."""
    return model.__name__.lower()


def _is_nested(model: type[BaseModel]) -> bool:
    """A value inside a record (a relation, a figure), not a record kind's model."""
    return all(kind.model is not model for kind in KINDS.values())


def identifier_field(kind: Kind) -> str:
    """The field that names a record: Decap requires one; file names come from the id."""
    return kind.name_field


# What a widget asks of the form around it: a kind's collection, a nested value's fields.
FORM = Form(collection=lambda kind: KINDS[kind].folder, fields=lambda model: _fields(model, _nested_name(model)))


def _widget(owner: str, name: str, info) -> dict:
    """Decap widget settings for one pydantic field: its field type's (field_types.py), with the
    relation types' labels on their select."""
    widget = slot(info, name).widget(FORM)
    if widget["widget"] == "select":
        widget["options"] = _options(owner, name, tuple(widget["options"]))
    return widget


def _options(owner: str, name: str, values: tuple) -> list:
    if owner == "relation" and name == "type":
        return [{"label": f"{RELATION_TYPES[v].label} ({v})", "value": v} for v in values]
    return list(values)


def _fields(model: type[BaseModel], owner: str) -> list[dict]:
    # Records in the order of the hand-written files (sources and topics last), nested values as declared.
    names = list(model.model_fields) if _is_nested(model) else [doc.name for doc in describe_fields(model)]
    fields = []
    for name in names:
        info = model.model_fields[name]
        widget = _widget(owner, name, info)
        required = info.is_required() or bool(any(getattr(m, "min_length", None) for m in info.metadata))
        entry = {"label": info.title, "name": name, **widget, "required": required,
                 "hint": info.description or ""}
        if name == "id":        # made from the name, checked against the kind's ids (editor.js)
            entry["widget"] = "handbook-id"
            entry["pattern"] = [ID_PATTERN, "chỉ chữ thường không dấu, số và dấu gạch ngang, ví dụ an-giang-to-dang"]
        if required and entry["widget"] in ("list", "relation"):
            entry["min"] = 1
        fields.append(entry)
    return fields


def entry_address(kind: Kind, entry_id: str) -> str:
    """Where the form editor opens one record, from the site's root (Decap's route: the kind's
    collection, the entry by its slug, which is the file name, the id)."""
    return f"admin/#/collections/{kind.folder}/entries/{entry_id}"


def collection(kind: Kind) -> dict:
    return {
        "name": kind.folder,
        "label": kind.title,
        "label_singular": kind.label,
        "folder": f"data/{kind.folder}",
        "extension": "yaml",
        "format": f"handbook-{kind.folder}",    # read and written by cms/layout.js: `handbook fmt`'s layout
        "create": True,
        "slug": "{{fields.id}}",               # file name = id, as the validator requires
        "identifier_field": identifier_field(kind),
        "summary": "{{%s}} ({{fields.id}})" % NAME_KEY,
        "sortable_fields": [identifier_field(kind)],
        "fields": _fields(kind.model, kind.name),
    }


def cms_config() -> dict:
    """Everything but the backend, which the site's owner configures (see cms.py)."""
    return {
        "locale": "vi",
        "publish_mode": "editorial_workflow",
        # Required by Decap; records have no pictures, so nothing is ever written there.
        "media_folder": "content/hinh-anh",
        "public_folder": "/hinh-anh",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind) for kind in KINDS.values()],
    }


def config_text(config: dict | None = None) -> str:
    header = ("# Generated from generator/schema.py by `handbook schemas`; do not edit by hand.\n"
              "# The backend section is added when the site is built (see generator/cms.py).\n")
    return header + yaml.safe_dump(config or cms_config(), allow_unicode=True, sort_keys=False, width=120)


def write_cms_config(path: Path = CONFIG_FILE) -> Path:
    from .outputs import write_file

    return write_file(path, config_text())
