"""Courses as the offline bundle and the printed pack both take them.

A course (data/courses/<id>.yaml) lists readings: records and hand-written
pages, with their sources. Both outputs take the same records along, see the
handbook through the course (lists of related records hold only the course's
own) and show a link to a page the course leaves out as its name alone.
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath
from xml.etree import ElementTree as etree

from .link import Group, Handbook
from .records import Entry

#: What a reader is told of a page the course leaves out (a link's title, never printed).
NOT_IN_COURSE = "không có trong khóa học này"


class CourseError(Exception):
    """A reason, in Vietnamese, why there is no such course."""


def course_id(value: str) -> str:
    """`data/courses/<id>.yaml`, `<id>.yaml` or a bare id → the id."""
    return PurePosixPath(value.replace("\\", "/")).name.removesuffix(".yaml")


def course_records(handbook: Handbook, course: str) -> tuple[Entry, list[Entry]]:
    """The course's entry and the records it takes along: its readings, then its sources."""
    entry = handbook.entries.get(course)
    if entry is None or entry.kind.name != "course":
        known = ", ".join(e.id for e in handbook.of_kind("course")) or "chưa có khóa học nào"
        raise CourseError(f"không có khóa học nào mang mã `{course}` (các khóa học hiện có: {known}); "
                          "khóa học là các tệp trong data/courses/")
    record = entry.record     # the schema guarantees at least one item
    records = [handbook.entries[item.target] for item in record.items if not item.page]
    records += [handbook.entries[source] for source in record.sources]
    return entry, list({e.id: e for e in records}.values())


def further_reading(handbook: Handbook, readings: list[Entry], leave_out: set[str], limit: int = 10) -> list[Entry]:
    """Records outside the course that its readings link to, the most linked first (ties in the
    order the readings meet them), at most `limit`: where a learner goes next."""
    counts: Counter[str] = Counter()
    for entry in readings:
        for group in handbook.outgoing.get(entry.id, []):
            counts.update(e.id for e in group.entries)
    ranked = sorted((i for i in counts if i not in leave_out and handbook.entries[i].kind.name != "course"),
                    key=lambda i: -counts[i])
    return [handbook.entries[i] for i in ranked[:limit]]


def restricted(handbook: Handbook, keep: set[str]) -> Handbook:
    """The handbook as a course sees it: every record can still be named, but
    lists and counts of related records only hold the course's own."""
    def trim(groups: list[Group]) -> list[Group]:
        kept = [Group(g.label, g.field, tuple(e for e in g.entries if e.id in keep)) for g in groups]
        return [g for g in kept if g.entries]
    return Handbook(handbook.entries,
                    {i: trim(g) for i, g in handbook.outgoing.items() if i in keep},
                    {i: trim(g) for i, g in handbook.incoming.items() if i in keep})


def unlink(element: etree.Element, note: str = NOT_IN_COURSE) -> None:
    """<a href>label</a> → <span title="(không có trong khóa học này)">label</span>: the name as plain
    text, the reason only where a reader points at it (never printed); no title if `note` is empty."""
    element.tag = "span"
    element.attrib.clear()
    element.set("class", "ngoai-khoa-hoc")
    if note:
        element.set("title", f"({note})")
