"""The one declaration of what a record is.

Every record kind, every field, every reference between records and every
typed relation between directives is declared here once. Validation, the
editors' messages, backlink labels, the JSON Schema and the field reference
are all read off these declarations, so they cannot drift apart.

Field descriptions are in Vietnamese: editors read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .dates import PartialDate

# At least one letter: an id of digits alone (`2013`) is a number to the editor's YAML 1.2 reader.
ID_PATTERN = r"^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$"
# Text that reaches a tooltip (Material writes it with innerHTML) or a definition line must be
# plain words: no markup characters at all. Written so that ECMA-262 reads it as Python does.
PLAIN_TEXT_PATTERN = r'^[^<>&"*\[\]\\`{}|]+$'
ABBR_PATTERN = r'^[^ \t\n\r<>&"*\[\]\\`{}|:]+$'   # not \s: Rust and ECMA-262 disagree on U+0085


def ref(kind: str, label: str, backlabel: str, *, many: bool = False,
        required: bool = False, description: str) -> object:
    """A field that names another record by id.

    `label` heads the list on this record's page, `backlabel` the list of
    records pointing here on the target's page.
    """
    extra = {"x-ref": kind, "x-label": label, "x-backlabel": backlabel}
    if many:
        if required:
            return Field(..., description=description, json_schema_extra=extra, min_length=1)
        return Field(default_factory=list, description=description, json_schema_extra=extra)
    return Field(... if required else None, description=description, json_schema_extra=extra)


def markdown(description: str, default: object = None) -> object:
    """A long-text field in which Markdown is allowed (never raw HTML)."""
    return Field(default, description=description + " (cho phép Markdown)",
                 json_schema_extra={"x-markdown": True})


class Record(BaseModel):
    """Fields every record has."""

    # str_min_length: a blank title or list item is a mistake, never a value.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_min_length=1,
                              frozen=True, use_attribute_docstrings=False)

    id: str = Field(pattern=ID_PATTERN,
                    description="Mã định danh: chữ thường không dấu, số và dấu gạch ngang, có ít nhất một chữ cái; "
                                "trùng với tên tệp (không có .yaml).")

    def display_name(self) -> str:
        """The name readers see in headings and links."""
        raise NotImplementedError


class Cited(Record):
    """Records that state facts must cite where the facts come from."""

    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True, required=True,
                             description="Mã các bài viết, tài liệu nguồn chứa thông tin của bản ghi.")
    topics: list[str] = ref("topic", "Chủ đề", "Thuộc chủ đề này", many=True,
                            description="Mã các chủ đề mà bản ghi thuộc về.")


# --- Directives --------------------------------------------------------------

DOC_TYPES = ("nghị quyết", "chỉ thị", "quy định", "hướng dẫn", "kết luận", "kế hoạch",
             "công văn", "đề án", "quyết định", "thông báo", "chương trình", "quy chế")
LEVELS = ("trung ương", "tỉnh", "huyện", "cơ sở")
STATUSES = ("còn hiệu lực", "hết hiệu lực", "không rõ")
PROVINCE_CHANGES = ("sáp nhập", "chuyển đổi")


@dataclass(frozen=True)
class RelationType:
    key: str
    label: str       # shown on the citing directive's page
    backlabel: str   # shown on the cited directive's page
    symmetric: bool = False

    @property
    def acyclic(self) -> bool:
        """Directed relations cannot lead back to where they started (A căn cứ B căn cứ A)."""
        return not self.symmetric


RELATION_TYPES = {r.key: r for r in (
    RelationType("can-cu", "Căn cứ", "Được căn cứ"),
    RelationType("huong-dan", "Hướng dẫn", "Được hướng dẫn"),
    RelationType("cu-the-hoa", "Cụ thể hóa", "Được cụ thể hóa"),
    RelationType("thuc-hien", "Thực hiện", "Được thực hiện bởi"),
    RelationType("thay-the", "Thay thế", "Bị thay thế"),
    RelationType("sua-doi-bo-sung", "Sửa đổi, bổ sung", "Bị sửa đổi, bổ sung"),
    RelationType("lien-quan", "Liên quan", "Liên quan", symmetric=True),
)}


class Relation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, str_min_length=1)

    type: Literal[tuple(RELATION_TYPES)] = Field(  # type: ignore[valid-type]
        description="Loại quan hệ: " + "; ".join(f"{r.key} ({r.label} / {r.backlabel})"
                                                 for r in RELATION_TYPES.values()))
    target: str = ref("directive", "", "", required=True,
                      description="Mã văn bản đích của quan hệ.")
    note: str | None = Field(None, description="Ghi chú ngắn về quan hệ, theo nguồn.")


# A number or a term written with its word ("số 05", "khóa XI"); checked after spaces are stripped.
PREFIX = re.compile(r"(?i)^(số|khóa|khoá)\s")
# The editor's reading of PREFIX, for the JSON Schema only (Rust's regex, which pydantic uses, has no
# lookahead): after the spaces `strip` removes (Rust's White_Space), the word in any case Python's (?i)
# accepts (ſ is s, K is k), then a space that is not the last thing written.
_STRIPPED = r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_PREFIX_PATTERN = (rf"^(?![{_STRIPPED}]*(?:[Ss\u017f][Ốố]|[Kk\u212a][Hh](?:[Óó][Aa]|[Oo][Áá]))"
                     rf"(?:[\u001c-\u001f]|[{_STRIPPED}]+[^{_STRIPPED}]))")


class Directive(Cited):
    """Văn bản: nghị quyết, chỉ thị, quy định, hướng dẫn, kết luận…"""

    number: str | None = Field(None, json_schema_extra={"pattern": NO_PREFIX_PATTERN}, description='Số, ký hiệu đúng như văn bản ghi, ví dụ "38-HD/BTCTW", '
                                                 '"09-QĐi/TU", "1019". Để trống nếu nguồn không nêu.')
    doc_type: Literal[DOC_TYPES] = Field(description="Loại văn bản: " + ", ".join(DOC_TYPES) + ".")  # type: ignore[valid-type]
    short_name: str | None = Field(None, description='Tên gọi thường dùng khi nguồn không nêu số, '
                                                     'ví dụ "Nghị quyết Trung ương 4 (khóa XI)".')
    title: str | None = Field(None, description="Trích yếu: văn bản về việc gì, đúng như nguồn ghi.")
    issuer: str | None = ref("organ", "Cơ quan ban hành", "Văn bản đã ban hành",
                             description="Mã cơ quan ban hành.")
    issued: PartialDate | None = Field(None, description='Ngày ban hành: "2010-03-09", "2010-03" hoặc '
                                                         '"2010" nếu nguồn chỉ nêu năm; để trống nếu không rõ.')
    term: str | None = Field(None, json_schema_extra={"pattern": NO_PREFIX_PATTERN}, description='Khóa của cấp ủy ban hành, số La Mã, ví dụ "XI".')
    level: Literal[LEVELS] | None = Field(None, description="Cấp ban hành: " + ", ".join(LEVELS) + ".")  # type: ignore[valid-type]
    province: str | None = ref("province", "Địa phương", "Văn bản của địa phương",
                               description="Mã tỉnh, thành của văn bản địa phương.")
    status: Literal[STATUSES] = Field("không rõ", description="Hiệu lực: " + ", ".join(STATUSES) + ".")  # type: ignore[valid-type]
    summary: str | None = markdown("Tóm tắt nội dung theo nguồn.")
    relations: list[Relation] = Field(default_factory=list, description="Quan hệ với các văn bản khác (chỉ khai báo một chiều; "
                                                      "chiều ngược lại được tự động hiển thị).")

    @field_validator("province")
    @classmethod
    def _central_has_no_province(cls, province: str | None, info: ValidationInfo) -> str | None:
        if province and info.data.get("level") == "trung ương":
            raise PydanticCustomError("level_province", "văn bản cấp trung ương không thuộc tỉnh, thành nào; "
                                      "bỏ `province` hoặc sửa `level`", {})
        return province

    @field_validator("number", "term")
    @classmethod
    def _no_prefix(cls, value: str | None) -> str | None:
        if value and PREFIX.match(value):
            raise PydanticCustomError("value_prefix", "chỉ ghi phần số hiệu, không kèm chữ \"{word}\"",
                                      {"word": value.split()[0]})
        return value

    def display_name(self) -> str:
        """Number and date together: numbers restart with every committee term."""
        kind = self.doc_type[0].upper() + self.doc_type[1:]
        if self.number:
            name = f"{kind} số {self.number}"
        elif self.short_name:
            name = self.short_name
        elif self.title and self.title.lower().startswith(self.doc_type):
            name = self.title       # "Chỉ thị mới về …", not "Chỉ thị Chỉ thị mới về …"
        else:
            name = f"{kind} {self.title or ''}".strip()
        if self.issued:
            when = self.issued.vietnamese()
            name += f" ngày {when}" if self.issued.day else f" {when}"
        elif self.term and "khóa" not in name:
            name += f" (khóa {self.term})"
        return name


# --- Models and practices -----------------------------------------------------

class Model(Cited):
    """Mô hình tổ chức, hoạt động."""

    name: str = Field(description='Tên mô hình, ví dụ "Chi bộ bốn tốt".')
    category: str | None = Field(None, description='Nhóm mô hình, ví dụ "tổ chức cơ sở đảng", '
                                                   '"quản lý đảng viên", "sinh hoạt đảng".')
    description: str | None = markdown("Mô tả mô hình: là gì, gồm những ai, hoạt động ra sao.")
    legal_basis: list[str] = ref("directive", "Căn cứ", "Là căn cứ của mô hình", many=True,
                                 description="Mã các văn bản là căn cứ của mô hình.")
    advantages: list[str] = Field(default_factory=list, description="Ưu điểm, kết quả mà nguồn nêu.")
    limitations: list[str] = Field(default_factory=list, description="Hạn chế mà nguồn nêu.")
    causes: list[str] = Field(default_factory=list, description="Nguyên nhân của hạn chế.")
    solutions: list[str] = Field(default_factory=list, description="Giải pháp, phương hướng tiếp theo.")

    def display_name(self) -> str:
        return self.name


class Figure(BaseModel):
    """Một số liệu, ghi đúng như nguồn để có thể tra lại."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, str_min_length=1)

    label: str = Field(description="Số liệu nói về điều gì.")
    value: str | int | float = Field(description='Giá trị đúng như nguồn ghi, ví dụ 3, "5-7", "145/156", "1.000".')
    unit: str | None = Field(None, description='Đơn vị, ví dụ "tổ chức cơ sở đảng", "đồng/ngày".')
    as_of: PartialDate | None = Field(None, description="Thời điểm của số liệu, nếu nguồn nêu.")


class Practice(Cited):
    """Cách làm, kinh nghiệm của một địa phương."""

    title: str = Field(description="Tên ngắn gọn của cách làm.")
    province: str = ref("province", "Tỉnh, thành", "Cách làm của địa phương", required=True,
                        description="Mã tỉnh, thành nơi thực hiện (tên tại thời điểm thực hiện).")
    places: list[str] = Field(default_factory=list, description='Địa bàn trong tỉnh, ghi như nguồn tại thời điểm đó, '
                                              'ví dụ "huyện Thanh Bình".')
    other_provinces: list[str] = ref("province", "Các tỉnh, thành khác", "Cách làm chung với địa phương khác",
                                     many=True, description="Mã các tỉnh, thành khác mà nguồn nêu cùng thực hiện "
                                                            "cách làm này.")
    actor: str | None = ref("organ", "Chủ thể thực hiện", "Cách làm do cơ quan thực hiện",
                            description="Mã cơ quan chủ trì thực hiện, nếu có bản ghi.")
    actor_text: str | None = Field(None, description="Chủ thể thực hiện ghi bằng lời, khi không có mã cơ quan.")
    start: PartialDate | None = Field(None, description="Bắt đầu thực hiện từ (nếu nguồn nêu).")
    end: PartialDate | None = Field(None, description="Đến (nếu nguồn nêu).")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        start = info.data.get("start")
        if end and start and end.before(start):
            raise PydanticCustomError("date_order", "thời điểm kết thúc {end} trước thời điểm bắt đầu {start}",
                                      {"end": str(end), "start": str(start)})
        return end
    period: str | None = Field(None, description='Thời gian ghi bằng lời, ví dụ "3 năm (sơ kết)".')
    description: str | None = markdown("Mô tả cách làm.")
    figures: list[Figure] = Field(default_factory=list, description="Số liệu có cấu trúc mà nguồn nêu.")
    models: list[str] = ref("model", "Mô hình áp dụng", "Nơi áp dụng", many=True,
                            description="Mã các mô hình mà cách làm áp dụng.")
    directives: list[str] = ref("directive", "Văn bản thực hiện", "Cách làm thực hiện văn bản", many=True,
                                description="Mã các văn bản mà cách làm thực hiện.")
    results: list[str] = Field(default_factory=list, description="Kết quả mà nguồn nêu.")
    limitations: list[str] = Field(default_factory=list, description="Hạn chế mà nguồn nêu.")
    causes: list[str] = Field(default_factory=list, description="Nguyên nhân của hạn chế, nếu nguồn nêu.")
    solutions: list[str] = Field(default_factory=list, description="Giải pháp, phương hướng tiếp theo mà nguồn nêu.")

    @field_validator("other_provinces")
    @classmethod
    def _other_provinces_are_other(cls, others: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("province") in others:
            raise PydanticCustomError("own_province", "`other_provinces` nhắc lại chính tỉnh `{province}` của cách làm",
                                      {"province": info.data["province"]})
        return others

    def display_name(self) -> str:
        return self.title


# --- Reference kinds ----------------------------------------------------------

class Province(Record):
    """Tỉnh, thành phố (cũ hoặc hiện nay)."""

    name: str = Field(description='Tên, ví dụ "Đồng Tháp", "Thừa Thiên Huế".')
    kind: Literal["tỉnh", "thành phố"] = Field("tỉnh", description="tỉnh hoặc thành phố trực thuộc trung ương.")
    merged_into: str | None = ref("province", "Nay thuộc", "Tỉnh, thành cũ",
                                  description="Mã tỉnh, thành hiện nay mà tỉnh cũ này đã được sáp nhập vào "
                                              "(hoặc đổi tên thành). Để trống nếu tỉnh, thành vẫn còn.")
    merged_on: PartialDate | None = Field(None, description="Ngày sáp nhập, đổi tên có hiệu lực.")
    change: Literal[PROVINCE_CHANGES] | None = Field(  # type: ignore[valid-type]
        None, description="Loại thay đổi, khi có `merged_into`: \"sáp nhập\" (nhập với tỉnh, thành khác) hoặc "
                          "\"chuyển đổi\" (chỉ đổi tên, đổi loại đơn vị, ví dụ tỉnh trở thành thành phố trực "
                          "thuộc trung ương). Để trống nghĩa là sáp nhập.")
    change_basis: str | None = Field(None, description="Văn bản quyết định việc sáp nhập, chuyển đổi, ghi như nguồn "
                                                       "(để trống nếu nguồn không nêu).")
    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True,
                             description="Mã nguồn cho thông tin về tỉnh (nếu có).")

    @field_validator("change", "change_basis")
    @classmethod
    def _change_needs_successor(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A change without the province it led to says nothing a reader can follow."""
        if value and not info.data.get("merged_into"):
            raise PydanticCustomError("change_without_successor",
                                      "`{field}` chỉ dùng cho tỉnh, thành cũ: thiếu `merged_into`",
                                      {"field": info.field_name})
        return value

    @property
    def renamed(self) -> bool:
        """Changed status or name only, not merged with another province."""
        return self.change == "chuyển đổi"

    def display_name(self) -> str:
        return self.name


class Organ(Record):
    """Cơ quan, tổ chức ban hành văn bản hoặc thực hiện cách làm."""

    name: str = Field(description='Tên đầy đủ, ví dụ "Ban Tổ chức Trung ương".')
    abbr: str | None = Field(None, description='Tên viết tắt, ví dụ "BTCTW".')
    level: Literal[LEVELS] | None = Field(None, description="Cấp: " + ", ".join(LEVELS) + ".")  # type: ignore[valid-type]
    province: str | None = ref("province", "Tỉnh, thành", "Cơ quan tại địa phương",
                               description="Mã tỉnh, thành của cơ quan địa phương.")
    parent: str | None = ref("organ", "Trực thuộc", "Cơ quan trực thuộc",
                             description="Mã cơ quan cấp trên trực tiếp, nếu có.")
    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True,
                             description="Mã nguồn nêu tên, chữ viết tắt của cơ quan (nếu có).")

    def display_name(self) -> str:
        """With its abbreviation, which is how documents name it: "Ban Tổ chức Trung ương (BTCTW)"."""
        return f"{self.name} ({self.abbr})" if self.abbr else self.name


class Source(Record):
    """Bài viết, tài liệu nguồn."""

    title: str = Field(description="Tiêu đề bài viết, đúng như bản gốc.")
    publisher: str | None = Field(None, description="Cơ quan đăng tải, nếu bài viết nêu.")
    published: PartialDate | None = Field(None, description="Ngày đăng, nếu bài viết nêu.")
    author: str | None = Field(None, description="Tác giả, nếu bài viết nêu.")
    url: str | None = Field(None, pattern=rf"""^https?://[^{_STRIPPED}\uFEFF<>"'`]+$""", description="Địa chỉ trên mạng, nếu biết.")
    seed: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]+$", description="Tên tệp văn bản gốc trong kho tư liệu (seeds); "
                                                                              "dùng để kiểm tra, không hiện cho bạn đọc.")

    def publication(self) -> str:
        """Where and when it was published, as far as the article says: "Báo Đồng Tháp, 21/9/2023"."""
        return ", ".join(part for part in (self.publisher, self.published.vietnamese() if self.published else None)
                         if part)

    def display_name(self) -> str:
        """With its publication, so that every list of sources says where to find each one."""
        where = self.publication()
        return f"{self.title} ({where})" if where else self.title


class Topic(Record):
    """Chủ đề để bạn đọc tra cứu."""

    name: str = Field(description='Tên chủ đề, ví dụ "Sinh hoạt chi bộ".')
    description: str | None = markdown("Giới thiệu ngắn về chủ đề.")

    def display_name(self) -> str:
        return self.name


class Glossary(Record):
    """Chữ viết tắt."""

    abbr: str = Field(pattern=ABBR_PATTERN, description='Chữ viết tắt, một từ không có dấu cách và có chữ hoa, '
                                                        'ví dụ "BTCTW".')
    expansion: str = Field(pattern=PLAIN_TEXT_PATTERN,
                           description='Nghĩa đầy đủ, chữ thường không có ký hiệu định dạng, '
                                       'ví dụ "Ban Tổ chức Trung ương".')
    sources: list[str] = ref("source", "Nguồn", "Chữ viết tắt dựa vào nguồn này", many=True,
                             description="Mã nguồn cho nghĩa của chữ viết tắt: một bài viết, hoặc "
                                         "kien-thuc-bien-tap với chữ viết tắt thông dụng mà bài viết không giải nghĩa.")

    @field_validator("abbr")
    @classmethod
    def _has_capital(cls, value: str) -> str:
        if not any(c.isupper() for c in value):     # "và" would get a tooltip on every page
            raise PydanticCustomError("abbr_lower", "chữ viết tắt \"{abbr}\" không có chữ hoa nào", {"abbr": value})
        return value

    def display_name(self) -> str:
        return self.abbr


# --- Courses --------------------------------------------------------------------

# The kinds a course item may name, each under its own key, so that a typo is
# checked against records of that kind (and a record of another kind is caught).
COURSE_ITEM_KINDS = ("directive", "model", "practice", "province", "organ", "source", "topic")


class CourseItem(BaseModel):
    """Một mục trong danh sách đọc: một bản ghi, hoặc một trang viết tay trong content/."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, str_min_length=1)

    directive: str | None = ref("directive", "", "", description="Mã văn bản cần đọc.")
    model: str | None = ref("model", "", "", description="Mã mô hình cần đọc.")
    practice: str | None = ref("practice", "", "", description="Mã cách làm cần đọc.")
    province: str | None = ref("province", "", "", description="Mã tỉnh, thành cần đọc.")
    organ: str | None = ref("organ", "", "", description="Mã cơ quan cần đọc.")
    source: str | None = ref("source", "", "", description="Mã nguồn cần đọc.")
    topic: str | None = ref("topic", "", "", description="Mã chủ đề cần đọc.")
    page: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.md$",
                             description='Trang viết tay, đường dẫn tính từ content/, ví dụ "bien-tap/index.md".')
    title: str | None = Field(None, description="Tên trang viết tay hiện trong danh sách đọc (bắt buộc khi dùng page).")
    questions: list[str] = Field(default_factory=list, description="Câu hỏi thảo luận sau khi đọc mục này.")

    @model_validator(mode="after")
    def _one_target(self) -> CourseItem:
        keys = [k for k in (*COURSE_ITEM_KINDS, "page") if getattr(self, k)]
        if len(keys) != 1:
            raise PydanticCustomError(
                "course_item", "mỗi mục cần đúng một trong các khóa {keys} (đang có: {found})",
                {"keys": ", ".join((*COURSE_ITEM_KINDS, "page")), "found": ", ".join(keys) or "không có"})
        if bool(self.page) != bool(self.title):
            raise PydanticCustomError("course_item", "`title` đi cùng `page` (tên của trang viết tay), "
                                      "bản ghi thì đã có tên riêng", {})
        return self

    @property
    def target(self) -> str:
        """The record id, or the content page's path."""
        return next(getattr(self, k) for k in (*COURSE_ITEM_KINDS, "page") if getattr(self, k))


class Course(Record):
    """Khóa học: danh sách đọc có thứ tự, kèm mục tiêu và câu hỏi thảo luận; đóng gói được để học ngoại tuyến."""

    title: str = Field(description='Tên khóa học, ví dụ "Nâng cao chất lượng sinh hoạt chi bộ".')
    audience: str | None = Field(None, description='Đối tượng học viên, ví dụ "Bí thư, phó bí thư chi bộ".')
    duration: str | None = Field(None, description='Thời lượng dự kiến, ví dụ "1 buổi (4 tiết)".')
    objectives: list[str] = Field(min_length=1, description="Mục tiêu: sau khóa học, học viên nắm được gì (theo các bản ghi).")
    items: list[CourseItem] = Field(min_length=1, description="Danh sách đọc theo thứ tự. Mỗi mục ghi đúng một khóa: "
                                                + ", ".join(COURSE_ITEM_KINDS) + " (mã bản ghi) hoặc page "
                                                "(trang viết tay, kèm title); có thể thêm questions.")
    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True,
                             description="Mã các nguồn mà khóa học dựa vào; trang của chúng có trong bản ngoại tuyến.")

    def display_name(self) -> str:
        return self.title


# --- The table of kinds -------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    name: str         # schema name, used in messages and JSON Schema file names
    folder: str       # under data/
    section: str      # URL folder of the generated pages
    label: str        # Vietnamese singular, for messages
    title: str        # Vietnamese heading of the index page
    model: type[Record]


KINDS = {k.name: k for k in (
    Kind("directive", "directives", "van-ban", "văn bản", "Văn bản", Directive),
    Kind("model", "models", "mo-hinh", "mô hình", "Mô hình tổ chức, hoạt động", Model),
    Kind("practice", "practices", "cach-lam", "cách làm", "Cách làm của địa phương", Practice),
    Kind("province", "provinces", "tinh-thanh", "tỉnh, thành", "Tỉnh, thành", Province),
    Kind("organ", "organs", "co-quan", "cơ quan", "Cơ quan", Organ),
    Kind("source", "sources", "nguon", "nguồn", "Nguồn tư liệu", Source),
    Kind("topic", "topics", "chu-de", "chủ đề", "Chủ đề", Topic),
    Kind("glossary", "glossary", "thuat-ngu", "thuật ngữ viết tắt", "Chữ viết tắt", Glossary),
    Kind("course", "courses", "khoa-hoc", "khóa học", "Khóa học", Course),
)}
KIND_BY_FOLDER = {k.folder: k for k in KINDS.values()}


@dataclass(frozen=True)
class RefField:
    name: str
    target: str
    label: str
    backlabel: str
    many: bool


def ref_fields(model: type[BaseModel]) -> list[RefField]:
    """The fields of `model` that name other records, in declaration order."""
    found = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "x-ref" in extra:
            many = info.annotation is not None and getattr(info.annotation, "__origin__", None) is list
            found.append(RefField(name, extra["x-ref"], extra["x-label"], extra["x-backlabel"], many))
    return found


def markdown_fields(model: type[BaseModel]) -> set[str]:
    return {name for name, info in model.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("x-markdown")}


@dataclass(frozen=True)
class FieldDoc:
    name: str
    required: bool
    type: str          # in Vietnamese, for editors
    description: str


def describe_fields(model: type[BaseModel]) -> list[FieldDoc]:
    """The editors' reference for a record kind, read off the declaration."""
    last = ("sources", "topics")      # shared bookkeeping after the record's own fields
    names = [n for n in model.model_fields if n not in last] + [n for n in last if n in model.model_fields]
    return [FieldDoc(name, model.model_fields[name].is_required(), _describe_type(model.model_fields[name]),
                     model.model_fields[name].description or "") for name in names]


def _describe_type(info) -> str:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    text = repr(info.annotation)
    many = "list[" in text
    if "x-ref" in extra:
        target = KINDS[extra["x-ref"]].label
        return f"danh sách mã {target}" if many else f"mã một {target}"
    if "PartialDate" in text:
        return "ngày (có thể chỉ có năm hoặc tháng)"
    if "Literal" in text:
        return "một giá trị trong danh mục"
    for nested, label in ((Figure, "danh sách số liệu (label, value, unit, as_of)"),
                          (Relation, "danh sách quan hệ (type, target, note)"),
                          (CourseItem, "danh sách mục đọc (một mã bản ghi hoặc page, title; questions)")):
        if nested.__name__ in text:
            return label
    if extra.get("x-markdown"):
        return "đoạn văn (Markdown)"
    return "danh sách câu" if many else "chữ"
