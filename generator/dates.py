"""Dates that may be partial.

Sources often give only a year ("năm 2013") or a month; such a date is kept
as partial and never padded with a guessed day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

# Records of Party work: nothing before 1900; a fixed upper bound keeps the generated
# schemas the same from one year to the next.
MIN_YEAR, MAX_YEAR = 1900, 2100
# ASCII digits only: Python's and Rust's \d also match other scripts' digits, the editor's (ECMA-262) does not.
_FORMAT = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")   # \Z: Python's $ lets a final newline through


def _year_pattern(low: int, high: int) -> str:
    """The years low…high as a regular expression, for bounds on whole centuries."""
    assert low % 100 == 0 and high % 100 == 0, (low, high)
    return "|".join([f"{century}[0-9]{{2}}" for century in range(low // 100, high // 100)] + [str(high)])


# The editor's check: the format, the years in range, months 01–12 and days 01–31; only the length
# of each month (2019-02-30) is left to `parse`.
PATTERN = rf"^({_year_pattern(MIN_YEAR, MAX_YEAR)})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        match = _FORMAT.match(text) if text is not None else None
        if not match:
            raise PydanticCustomError(
                "date_format",
                'ngày "{value}" không đúng dạng; ghi "NNNN-TT-NN" (ví dụ "2010-03-09"), '
                '"NNNN-TT" hoặc "NNNN" nếu nguồn chỉ nêu tháng hoặc năm',
                {"value": value})
        year, month, day = (int(g) if g else None for g in match.groups())
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PydanticCustomError("date_impossible", 'năm {year} nằm ngoài khoảng {low}–{high} (ngày "{value}")',
                                      {"year": year, "low": MIN_YEAR, "high": MAX_YEAR, "value": text})
        if month is not None and not 1 <= month <= 12:
            raise PydanticCustomError("date_impossible", 'tháng {month} không tồn tại (ngày "{value}")',
                                      {"month": month, "value": text})
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise PydanticCustomError("date_impossible", 'ngày "{value}" không tồn tại (tháng {month} năm {year} '
                                      'không có ngày {day})', {"value": text, "month": month, "year": year, "day": day})
        return cls(year, month, day)

    def before(self, other: PartialDate) -> bool:
        """Certainly earlier than `other`, compared at the precision both have."""
        mine, theirs = (self.year, self.month, self.day), (other.year, other.month, other.day)
        for a, b in zip(mine, theirs):
            if a is None or b is None:
                return False
            if a != b:
                return a < b
        return False

    def __str__(self) -> str:
        """ISO form, as editors write it: 2010, 2010-03, 2010-03-09."""
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p is not None]
        return "-".join(parts)

    def vietnamese(self) -> str:
        """How a Vietnamese reader expects to see it: 9/3/2010, tháng 3/2010, năm 2010."""
        if self.day is not None:
            return f"{self.day}/{self.month}/{self.year}"
        if self.month is not None:
            return f"tháng {self.month}/{self.year}"
        return f"năm {self.year}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        # `pattern` applies to text, the bounds to a bare year such as `issued: 2010`.
        return {"type": ["string", "integer"], "pattern": PATTERN, "minimum": MIN_YEAR, "maximum": MAX_YEAR,
                "examples": ["2010-03-09", "2010-03", "2010"]}
