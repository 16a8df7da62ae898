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

import typing
from pathlib import Path

import yaml
from pydantic import BaseModel

from . import dates
from .schema import ID_PATTERN, KINDS, RELATION_TYPES, Kind, describe_fields, plain_type

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


# What the form adds to each record it reads (editor.js, cms/names.js), never written to the file: the
# record as a reader knows it (a directive's kind, number, date, issuer and subject; a practice's title
# and province), and that name with and without diacritics plus the id, for pickers to search.
NAME_KEY, SEARCH_KEY = "_name", "_search"


def _ref_widget(target: str, many: bool) -> dict:
    return {"widget": "relation", "collection": KINDS[target].folder, "value_field": "id",
            "search_fields": [SEARCH_KEY], "display_fields": [NAME_KEY, "({{id}})"],
            **({"multiple": True} if many else {})}


def _list_of(inner: type) -> type | None:
    """The item type of a `list[...]` annotation, else None."""
    return typing.get_args(inner)[0] if typing.get_origin(inner) is list else None


def _widget(owner: str, name: str, info) -> dict:
    """Decap widget settings for one pydantic field."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    annotation = plain_type(info.annotation)
    item = _list_of(annotation)
    if "x-ref" in extra:
        return _ref_widget(extra["x-ref"], many=item is not None)
    if isinstance(item, type) and issubclass(item, BaseModel):
        fields = _fields(item, _nested_name(item))
        return {"widget": "list", "collapsed": False, "summary": "{{fields.%s}}" % fields[0]["name"],
                "fields": fields}
    if item is str:
        return {"widget": "list", "collapsed": False,
                "field": {"label": info.title, "name": "item", "widget": "string"}}
    if annotation is dates.PartialDate:
        return {"widget": "handbook-date", "pattern": [dates.PATTERN, 'ghi "NNNN-TT-NN", "NNNN-TT" hoặc "NNNN"']}
    if typing.get_origin(annotation) is typing.Literal:
        return {"widget": "select", "options": _options(owner, name, typing.get_args(annotation))}
    if extra.get("x-markdown"):
        return {"widget": "text"}      # kept as typed: Decap's Markdown widget rewrites what it is given
    if annotation is bool:
        return {"widget": "boolean"}
    if annotation in (int, float):
        return {"widget": "number", "value_type": annotation.__name__}
    widget = {"widget": "string"}
    pattern = next((m.pattern for m in info.metadata if getattr(m, "pattern", None)), None)
    if pattern:
        widget["pattern"] = [pattern, "có ký tự không được phép ở trường này (xem gợi ý)"]
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
