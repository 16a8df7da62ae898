"""The field types records are written in, and what each means everywhere a field is handled.

One row per type (imitating Lektor's `lektor/types/`): how a value of the type is
validated where validation depends on the type, shown (plain text, escaped later by
render), edited (the form editor's Decap widget), documented (for editors, in
Vietnamese) and scaffolded (`handbook new`). Every consumer asks this table
(`slot(info)`) instead of keeping its own ladder of `isinstance` and annotation checks.

A field of the schema is one value of a type, or a list of them (`list[...]`); the
list's columns follow from its item's row. A declared field whose annotation no row
takes, or two rows take, is refused when its kind is declared (schema.Kind).

This module stands below schema.py, which declares its fields in these types: it knows
no record kind; what depends on the kinds (a kind's label, its form collection) is
passed in.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import dates
from .dates import PartialDate

# How schema.py marks a field beyond its annotation (its JSON Schema keeps the marks).
REF_KEY = "x-ref"               # a reference: the id of a record of the named kind
MARKDOWN_KEY = "x-markdown"     # a long text in which Markdown is allowed

# What the form adds to each record it reads (editor.js, cms/names.js), never written to the file: the
# record as a reader knows it (a directive's kind, number, date, issuer and subject; a practice's title
# and province), and that name with and without diacritics plus the id, for pickers to search.
NAME_KEY, SEARCH_KEY = "_name", "_search"


@dataclass(frozen=True)
class Form:
    """What a widget needs from the form around it (cms_config fills it in)."""

    collection: Callable[[str], str]                     # a kind's name → the collection of its records
    fields: Callable[[type[BaseModel]], list[dict]]      # a nested value's fields, as widgets


@dataclass(frozen=True)
class FieldType:
    """One row of the table."""

    name: str
    takes: Callable[[Any, dict], bool]      # (the annotation of one value, the field's marks) → is it this type
    describe: Callable[[Slot, Callable[[str], str]], str]   # for editors; gets a kind's label by its name
    widget: Callable[[Slot, Form], dict]    # one value's Decap widget settings
    shown: Callable[[Any], str]             # one value as a reader reads it: plain text, not yet escaped
    many: Callable[[Slot, Form], dict] | None = None    # a list's widget, if not Decap's list of `widget`
    listed: bool = True                     # a list of this type may be declared
    unique_items: bool = False              # validate: a list names each item once (`field.duplicate`)
    # validate: pydantic's error type, when a written value does not read as this type → (what the
    # field must be, what to write): `online: có` says "phải là có hoặc không" and how to write it.
    value_hints: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Slot:
    """One declared field, as the table reads it: its type, and whether it holds a list of them."""

    type: FieldType
    many: bool
    item: Any               # the annotation of one value (`Figure` for `list[Figure]`)
    info: FieldInfo

    @property
    def marks(self) -> dict:
        extra = self.info.json_schema_extra
        return extra if isinstance(extra, dict) else {}

    def describe(self, kind_label: Callable[[str], str]) -> str:
        """The field's type in Vietnamese, for editors (the field reference, `handbook new`)."""
        return self.type.describe(self, kind_label)

    def widget(self, form: Form) -> dict:
        """The Decap widget settings that edit the field."""
        if not self.many:
            return self.type.widget(self, form)
        if self.type.many is not None:
            return self.type.many(self, form)
        item = Slot(self.type, False, self.item, FieldInfo(annotation=self.item))
        return {"widget": "list", "collapsed": False,
                "field": {"label": self.info.title, "name": "item", **self.type.widget(item, form)}}

    def shown(self, value: Any) -> str:
        """The field's value as a reader reads it, in plain text ("" for nothing); a list's items joined."""
        if value is None:
            return ""
        if self.many:
            return "; ".join(self.type.shown(item) for item in value)
        return self.type.shown(value)

    @property
    def blank(self) -> str:
        """What `handbook new` writes after the field's key for the editor to fill in."""
        return "[]" if self.many else ""

    @property
    def nested(self) -> type[BaseModel] | None:
        """The model of the values inside the field (a Relation in `relations`), if it holds any."""
        return self.item if self.type is NESTED else None


def plain_type(annotation: object) -> object:
    """`X` for an optional `X | None` (`X | Y` for `X | Y | None`); any other annotation as it is."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        return typing.Union[tuple(a for a in args if a is not type(None))]
    return annotation


def slot(info: FieldInfo, name: str = "") -> Slot:
    """The row of the table a declared field is of; TypeError when no row, or more than one, takes it.

    Read once per field: pages and search ask for every record (the info is kept with its slot, so
    that its id is never another's)."""
    known = _SLOTS.get(id(info))
    if known is None or known[0] is not info:
        known = _SLOTS[id(info)] = (info, _read(info, name))
    return known[1]


_SLOTS: dict[int, tuple[FieldInfo, Slot]] = {}


def _read(info: FieldInfo, name: str) -> Slot:
    annotation = plain_type(info.annotation)
    many = typing.get_origin(annotation) is list
    item = typing.get_args(annotation)[0] if many else annotation
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    rows = [row for row in TABLE if row.takes(item, extra)]
    if len(rows) != 1 or (many and not rows[0].listed):
        said = ("no field type takes it" if not rows else f"field types {[r.name for r in rows]} all take it"
                if len(rows) > 1 else f"no list of {rows[0].name} may be declared")
        raise TypeError(f"field {name!r} ({info.annotation!r}): {said}; add a row to field_types.TABLE "
                        "saying how such a field is validated, shown, edited, documented and scaffolded")
    return Slot(rows[0], many, item, info)


def nested_models(model: type[BaseModel]) -> list[tuple[str, type[BaseModel]]]:
    """(field name, model) of every field of `model` holding nested values, in declaration order."""
    return [(name, found) for name, info in model.model_fields.items()
            if (found := slot(info, name).nested) is not None]


def check_model(model: type[BaseModel]) -> None:
    """Every field of `model`, and of the values nested in it, has exactly one row (TypeError if not)."""
    for name, info in model.model_fields.items():
        inner = slot(info, f"{model.__name__}.{name}").nested
        if inner is not None:
            check_model(inner)


# --- The rows -------------------------------------------------------------------

def _is_text(item: Any) -> bool:
    return item is str


def _pattern(slot: Slot) -> str | None:
    return next((m.pattern for m in slot.info.metadata if getattr(m, "pattern", None)), None)


def _text_widget(slot: Slot, form: Form) -> dict:
    widget = {"widget": "string"}
    pattern = _pattern(slot)
    if pattern:
        widget["pattern"] = [pattern, "có ký tự không được phép ở trường này (xem gợi ý)"]
    return widget


def _ref_widget(slot: Slot, form: Form) -> dict:
    return {"widget": "relation", "collection": form.collection(slot.marks[REF_KEY]), "value_field": "id",
            "search_fields": [SEARCH_KEY], "display_fields": [NAME_KEY, "({{id}})"],
            **({"multiple": True} if slot.many else {})}


def _nested_list_widget(slot: Slot, form: Form) -> dict:
    fields = form.fields(slot.item)
    return {"widget": "list", "collapsed": False, "summary": "{{fields.%s}}" % fields[0]["name"], "fields": fields}


def _nested_description(slot: Slot, kind_label: Callable[[str], str]) -> str:
    """A nested value's own phrase (its model's `listed_as`, `listed_fields`), else its fields' names."""
    fields = getattr(slot.item, "listed_fields", None) or ", ".join(slot.item.model_fields)
    what = getattr(slot.item, "listed_as", "mục")
    return f"danh sách {what} ({fields})" if slot.many else f"nhóm trường ({fields})"


def _nested_shown(value: BaseModel) -> str:
    return "; ".join(f"{info.title or name}: {slot(info, name).shown(getattr(value, name))}"
                     for name, info in type(value).model_fields.items() if getattr(value, name) not in (None, []))


def _text_shown(value: Any) -> str:
    return str(value)


def _one_or_many(one: str, many: str) -> Callable[[Slot, Callable], str]:
    return lambda slot, kind_label: many if slot.many else one


TEXT = FieldType(
    "text", lambda item, marks: _is_text(item) and REF_KEY not in marks and MARKDOWN_KEY not in marks,
    _one_or_many("chữ", "danh sách câu"), _text_widget, _text_shown, unique_items=True)
MARKDOWN = FieldType(
    "markdown", lambda item, marks: _is_text(item) and bool(marks.get(MARKDOWN_KEY)) and REF_KEY not in marks,
    lambda slot, kind_label: "đoạn văn (Markdown)",
    lambda slot, form: {"widget": "text"},     # kept as typed: Decap's Markdown widget rewrites what it is given
    _text_shown, listed=False)
# A figure's value, as the source wrote it: text, or a number the editor's YAML reads as one.
TEXT_OR_NUMBER = FieldType(
    "text-or-number", lambda item, marks: item == str | int | float,
    _one_or_many("chữ hoặc số", "danh sách chữ hoặc số"), _text_widget, _text_shown)
REFERENCE = FieldType(
    "reference", lambda item, marks: _is_text(item) and REF_KEY in marks,
    lambda slot, kind_label: (f"danh sách mã {kind_label(slot.marks[REF_KEY])}" if slot.many
                              else f"mã một {kind_label(slot.marks[REF_KEY])}"),
    _ref_widget, _text_shown, many=_ref_widget, unique_items=True)     # shown: the id (render links it)
DATE = FieldType(
    "date", lambda item, marks: item is PartialDate,
    _one_or_many("ngày (có thể chỉ có năm hoặc tháng)", "danh sách ngày (có thể chỉ có năm hoặc tháng)"),
    lambda slot, form: {"widget": "handbook-date", "pattern": [dates.PATTERN, 'ghi "NNNN-TT-NN", "NNNN-TT" hoặc "NNNN"']},
    lambda value: value.vietnamese())
YES_NO = FieldType(
    "yes-no", lambda item, marks: item is bool,
    _one_or_many("có/không", "danh sách có/không"), lambda slot, form: {"widget": "boolean"},
    lambda value: "Có" if value else "Không",
    value_hints={"bool_parsing": ("có hoặc không", "ghi `true` (có) hoặc `false` (không)")})
NUMBER = FieldType(
    "number", lambda item, marks: item in (int, float),
    _one_or_many("số", "danh sách số"), lambda slot, form: {"widget": "number", "value_type": slot.item.__name__},
    str, value_hints={
        "int_parsing": ("một số nguyên", "chỉ ghi chữ số, không dấu chấm hay dấu phẩy ngăn hàng nghìn: `1000`"),
        "int_from_float": ("một số nguyên", "số này có phần lẻ; chỉ ghi chữ số: `1000`"),
        "float_parsing": ("một số", "ghi chữ số, phần lẻ sau dấu chấm: `1.5`")})
CHOICE = FieldType(
    "choice", lambda item, marks: typing.get_origin(item) is Literal,
    _one_or_many("một giá trị trong danh mục", "danh sách giá trị trong danh mục"),
    lambda slot, form: {"widget": "select", "options": list(typing.get_args(slot.item))}, str,
    many=lambda slot, form: {"widget": "select", "options": list(typing.get_args(slot.item)), "multiple": True})
NESTED = FieldType(
    "nested", lambda item, marks: isinstance(item, type) and issubclass(item, BaseModel),
    _nested_description, lambda slot, form: {"widget": "object", "fields": form.fields(slot.item)},
    _nested_shown, many=_nested_list_widget)

TABLE: tuple[FieldType, ...] = (TEXT, MARKDOWN, TEXT_OR_NUMBER, REFERENCE, DATE, YES_NO, NUMBER, CHOICE, NESTED)


def value_hints() -> dict[str, tuple[str, str]]:
    """Every row's hints for a value that does not read as its type, by pydantic's error type."""
    return {code: hint for row in TABLE for code, hint in row.value_hints.items()}
