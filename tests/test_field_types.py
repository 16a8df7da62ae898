"""The field-type table (field_types.py): every declared field is of exactly one type, and every
place that handles a field (validate, the form, the field reference, `handbook new`, pages) reads
that type's row, so that a field of a type reads alike everywhere."""

from __future__ import annotations

import json
import re
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from generator import cms_config, field_types, scaffold
from generator.dates import MAX_YEAR, MIN_YEAR, PartialDate
from generator.field_types import MARKDOWN_KEY, REF_KEY, TABLE, FieldType, nested_models, slot
from generator.load import load_file
from generator.schema import KINDS, Figure, Kind, Record, describe_fields, markdown, ref, register, unregister
from generator.validate import validate


def every_field(model: type[BaseModel], seen: set | None = None):
    """(model, name, info) of every field of `model` and of the values nested in it."""
    seen = set() if seen is None else seen
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        yield model, name, info
    for _, inner in nested_models(model):
        yield from every_field(inner, seen)


def test_every_field_of_the_schema_is_of_exactly_one_type():
    fields = [field for kind in KINDS.values() for field in every_field(kind.model)]
    assert len(fields) > 60
    for model, name, info in fields:
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        typed = slot(info, name)
        taking = [row.name for row in TABLE if row.takes(typed.item, extra)]
        assert taking == [typed.type.name], (model.__name__, name, taking)


class _Odd(Record):
    """A kind the tests declare with a field of a type the table has no row for."""

    name: str = Field(title="Tên", description="Tên.")


@pytest.mark.parametrize("annotation, extra", [
    (dict[str, str], {}),               # no row takes a mapping
    (set[str], {}),
    (list[list[str]], {}),              # nor a list of lists
    (tuple[str, ...], {}),
    (list[str], {MARKDOWN_KEY: True}),  # a list of Markdown texts is no type
])
def test_a_field_of_a_type_without_a_row_fails_when_its_kind_is_declared(annotation, extra):
    model = type("Odd", (_Odd,), {"__annotations__": {"venue": annotation},
                                  "venue": Field(title="Nơi", description="Nơi.", json_schema_extra=extra or None)})
    with pytest.raises(ValueError, match=r"kind 'odd': field 'Odd\.venue'.*field_types\.TABLE"):
        Kind("odd", "odds", "la", "lạ", "Lạ", model)
    assert "odd" not in KINDS


def test_a_field_two_rows_take_fails_loudly(monkeypatch):
    """Rows never overlap: an added row that takes what another takes is caught on the first field it meets."""
    text = field_types.TEXT
    also = FieldType("also-text", lambda item, marks: item is str, text.describe, text.widget, text.shown)
    monkeypatch.setattr(field_types, "TABLE", TABLE + (also,))
    info = Field(title="Tên", description="Tên.")
    info.annotation = str
    with pytest.raises(TypeError, match=r"field types \['text', 'also-text'\] all take it"):
        slot(info, "name")


# --- The columns agree on what a list is, for every type the table has -------------------------------

ITEMS = {
    "text": (str, {}), "markdown": (str, {MARKDOWN_KEY: True}), "reference": (str, {REF_KEY: "province"}),
    "date": (PartialDate, {}), "yes-no": (bool, {}), "number": (int, {}), "choice": (Literal["a", "b"], {}),
    "nested": (Figure, {}), "text-or-number": (str | int | float, {}),
}


def test_the_examples_cover_every_row():
    assert set(ITEMS) == {row.name for row in TABLE}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(ITEMS)), st.booleans(), st.booleans())
def test_documented_edited_and_scaffolded_alike(row, many, optional):
    """A field is a list to the field reference, the form and `handbook new` alike."""
    item, extra = ITEMS[row]
    annotation = list[item] if many else item
    info = Field(None, title="Trường", description="Mô tả.", json_schema_extra=extra or None)
    info.annotation = annotation | None if optional else annotation
    if many and row == "markdown":
        with pytest.raises(TypeError, match="no list of markdown"):
            slot(info, "field")
        return
    typed = slot(info, "field")
    assert typed.type.name == row and typed.many == many
    described = typed.describe(lambda kind: KINDS[kind].label)
    widget = typed.widget(cms_config.FORM)
    assert described.startswith("danh sách") == many
    assert typed.blank == ("[]" if many else "")
    assert (widget["widget"] == "list" or widget.get("multiple", False)) == many, widget


# --- Editor input, read by the table ----------------------------------------------------------------

class Gathering(Record):
    """A record with a yes/no, a number and a list of dates."""

    name: str = Field(title="Tên", description="Tên.")
    online: bool = Field(False, title="Trực tuyến", description="Họp trực tuyến.")
    delegates: int | None = Field(None, title="Số đại biểu", description="Số đại biểu dự.")
    share: float | None = Field(None, title="Tỷ lệ", description="Tỷ lệ tham dự.")
    sessions: list[PartialDate] = Field(default_factory=list, title="Các phiên họp", description="Ngày các phiên.")
    province: str | None = ref("province", "Địa phương", "Cuộc họp tại địa phương", description="Mã tỉnh.")
    summary: str | None = markdown("Nội dung", "Nội dung chính.")


@pytest.fixture(scope="module")
def gathering():
    register(Kind("gathering", "gatherings", "cuoc-hop", "cuộc họp", "Cuộc họp", Gathering))
    try:
        yield KINDS["gathering"]
    finally:
        unregister("gathering")


def problems_of(kind: Kind, field: str, written: str) -> list:
    text = f"id: hop\nname: Cuộc họp\n{field}: {json.dumps(written, ensure_ascii=False)}\n"
    document, problems = load_file(text.encode("utf-8"), "data/gatherings/hop.yaml", kind)
    assert document is not None and not any(p.is_error for p in problems)      # a warning (NFC…) is the text's
    return validate([document])[1]


WRITTEN = st.one_of(st.sampled_from(["true", "false", "có", "không", "1", "0", "1.5", "1.000", "1e3", "-3",
                                     "khoảng 50", "50 người", "", " ", "yes", "off"]),
                    st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=12))


@settings(max_examples=150, deadline=None)
@given(field=st.sampled_from(["online", "delegates", "share"]), written=WRITTEN)
def test_a_value_that_does_not_read_as_its_type_says_what_to_write(gathering, field, written):
    """Whatever an editor writes in a yes/no or number field is read, or refused with its type's hint."""
    hints = slot(Gathering.model_fields[field], field).type.value_hints
    for problem in problems_of(gathering, field, written):
        if problem.code.startswith("text."):
            continue        # the text itself (a lone mark…), said by the text rules
        assert problem.code == "field.value" and (problem.message[problem.message.index("là ") + 3:]
                                                  .startswith(tuple(w for w, _ in hints.values()))), problem
        assert problem.hint in [h for _, h in hints.values()], problem


DATES = st.builds(lambda y, m, d, precision: PartialDate(y, *(m, d)[:precision]),
                  st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 12), st.integers(1, 28), st.integers(0, 2))


@settings(max_examples=200, deadline=None)
@given(DATES)
def test_a_date_is_shown_as_the_date_written(date):
    """The page shows the day, month and year the editor wrote, and no more than they wrote."""
    info = Gathering.model_fields["sessions"]
    shown = slot(info, "sessions").type.shown(PartialDate.parse(str(date)))
    day = re.fullmatch(r"(\d+)/(\d+)/(\d{4})", shown)
    month = re.fullmatch(r"tháng (\d+)/(\d{4})", shown)
    year = re.fullmatch(r"năm (\d{4})", shown)
    read = (PartialDate(int(day[3]), int(day[2]), int(day[1])) if day else
            PartialDate(int(month[2]), int(month[1])) if month else PartialDate(int(year[1])) if year else None)
    assert read == date, shown


def test_a_list_of_dates_is_a_list_everywhere(gathering):
    """A list of dates is edited as a list of date pickers, documented and scaffolded as a list."""
    fields = {f["name"]: f for f in cms_config.collection(gathering)["fields"]}
    assert fields["sessions"]["widget"] == "list"
    assert fields["sessions"]["field"]["widget"] == "handbook-date"
    docs = {doc.name: doc.type for doc in describe_fields(Gathering)}
    assert docs["sessions"] == "danh sách ngày (có thể chỉ có năm hoặc tháng)"
    _, text = scaffold.new_record(gathering, "Cuộc họp")
    assert "# sessions: []  # danh sách ngày" in text
    assert "# online:  # có/không" in text
    shown = slot(Gathering.model_fields["sessions"], "sessions").shown(
        [PartialDate(2013, 5, 2), PartialDate(2013, 6)])
    assert shown == "2/5/2013; tháng 6/2013"
