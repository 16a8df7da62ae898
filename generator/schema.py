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
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .dates import PartialDate
from .field_types import MARKDOWN, MARKDOWN_KEY, REF_KEY, check_model, slot

# At least one letter: an id of digits alone (`2013`) is a number to the editor's YAML 1.2 reader.
ID_PATTERN = r"^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$"
# Text that reaches a tooltip (Material writes it with innerHTML) or a definition line must be
# plain words: no markup characters at all. Written so that ECMA-262 reads it as Python does.
PLAIN_TEXT_PATTERN = r'^[^<>&"*\[\]\\`{}|]+$'
ABBR_PATTERN = r'^[^ \t\n\r<>&"*\[\]\\`{}|:]+$'   # not \s: Rust and ECMA-262 disagree on U+0085
# Ids that would take the place of a generated page: "index" is each section's index page.
RESERVED_IDS = {"index"}


def ref(kind: str, label: str, backlabel: str, *, many: bool = False, required: bool = False,
        symmetric: bool = False, acyclic: bool | None = None, description: str) -> object:
    """A field that names another record by id.

    `label` heads the list on this record's page, `backlabel` the list of
    records pointing here on the target's page. A reference to the record's
    own kind is `acyclic` unless declared otherwise (a chain of them may not
    lead back: organ → parent); a `symmetric` one ("related") goes both ways,
    shows under `label` on both pages and may be written on both records.
    """
    extra = {REF_KEY: kind, "x-label": label, "x-backlabel": backlabel}
    if symmetric:
        extra["x-symmetric"] = True
    if acyclic is not None and acyclic == symmetric:      # only what differs from the default
        extra["x-acyclic"] = acyclic
    if many:
        if required:
            return Field(..., title=label, description=description, json_schema_extra=extra, min_length=1)
        return Field(default_factory=list, title=label, description=description, json_schema_extra=extra)
    return Field(... if required else None, title=label, description=description, json_schema_extra=extra)


# What a Markdown field may hold: paragraphs, lists and quotes of inline text (emphasis, code,
# allowed links). Never a block of the page's own making: a heading (the page's sections, "## Nguồn"),
# an admonition (the page's banners, "đã bị thay thế"), a rule, a table (the facts table), nor a
# setext underline that turns the line above into a heading; inside list items neither. This is the
# grammar of those blocks in the site's Markdown (mkdocs.yml: admonition, tables).
MARKDOWN_BLOCKS = re.compile(
    r"^[ \t]*(?:(?:[-*+]|\d+\.)[ \t]+|>[ \t]*)*"       # at the start of a line, list item or quote
    r"(?P<block>#"                                      # heading (Python-Markdown needs no space)
    r"|!!!"                                             # admonition
    r"|[=-]+[ \t]*$"                                   # setext underline
    r"|(?:[-*_][ \t]*){3,}$"                           # rule
    r"|[-:| \t]*\|[-:| \t]*$)", re.M)                    # a table's separator row (cells of - : only)


def markdown_block(text: str) -> re.Match | None:
    """The first of MARKDOWN_BLOCKS in `text` (most texts are one line: a match at the start is enough)."""
    return MARKDOWN_BLOCKS.search(text) if "\n" in text else MARKDOWN_BLOCKS.match(text)


def markdown(title: str, description: str, default: object = None) -> object:
    """A long-text field in which Markdown is allowed (never raw HTML, never MARKDOWN_BLOCKS)."""
    return Field(default, title=title, description=description + " (cho phép Markdown)",
                 json_schema_extra={MARKDOWN_KEY: True})


def sibling(model: type[BaseModel], info: ValidationInfo, name: str) -> object:
    """Another field's value, for a rule that ties two fields together.

    Named, so checked: a field renamed without its rule fails loudly instead of the rule
    silently reading nothing.
    """
    if name not in model.model_fields:
        raise KeyError(f"{model.__name__} has no field {name!r}: rename it in the rule too")
    return info.data.get(name)


class Record(BaseModel):
    """Fields every record has."""

    # str_min_length: a blank title or list item is a mistake, never a value.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_min_length=1,
                              frozen=True, use_attribute_docstrings=False)

    id: str = Field(title="Mã định danh", pattern=ID_PATTERN,
                    description="Mã định danh: chữ thường không dấu, số và dấu gạch ngang, có ít nhất một chữ cái; "
                                "trùng với tên tệp (không có .yaml).")

    def display_name(self) -> str:
        """The name readers see in headings and links: its kind's name field, unless the kind says more."""
        return str(getattr(self, NAME_FIELD_OF[type(self)]))

    def names_issuer(self) -> bool:
        """Whether links to it add its issuer (its kind's `issuer` role), to tell it from namesakes."""
        return True


NAME_FIELD_OF: dict[type, str] = {}     # model → its kind's name field (filled as kinds are declared)


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
    # Directed relations cannot lead back to where they started (A căn cứ B căn cứ A), and
    # point only at what came before; a symmetric one has no direction to keep.
    acyclic: bool | None = None
    # What the relation does to the directive it points at, said on that directive's page
    # (a banner, and the index's "hiệu lực" filter when the record states no status):
    marks: str | None = None            # "đã bị thay thế"
    banner: str = "info"                # the admonition type of the banner
    # In the diagram ("lược đồ") of both directives: the citing one above the cited one, which
    # shows it above itself; the citing one shows the cited one below itself.
    diagram: bool = True

    def __post_init__(self) -> None:
        if self.acyclic is None:
            object.__setattr__(self, "acyclic", not self.symmetric)


RELATION_TYPES = {r.key: r for r in (
    RelationType("can-cu", "Căn cứ", "Được căn cứ"),
    RelationType("huong-dan", "Hướng dẫn", "Được hướng dẫn"),
    RelationType("cu-the-hoa", "Cụ thể hóa", "Được cụ thể hóa"),
    RelationType("thuc-hien", "Thực hiện", "Được thực hiện bởi"),
    RelationType("thay-the", "Thay thế", "Bị thay thế", marks="đã bị thay thế", banner="warning"),
    RelationType("sua-doi-bo-sung", "Sửa đổi, bổ sung", "Bị sửa đổi, bổ sung", marks="đã được sửa đổi, bổ sung"),
    RelationType("lien-quan", "Liên quan", "Liên quan", symmetric=True),
)}
# The relations that mark the directive they point at, in the order its page shows them.
MARKING_RELATIONS = tuple(r for r in RELATION_TYPES.values() if r.marks)


class Relation(BaseModel):
    listed_as: ClassVar[str] = "quan hệ"      # the editors' field reference: "danh sách quan hệ (type, …)"
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, str_min_length=1)

    type: Literal[tuple(RELATION_TYPES)] = Field(title="Loại quan hệ",   # type: ignore[valid-type]
        description="Loại quan hệ: " + "; ".join(f"{r.key} ({r.label} / {r.backlabel})"
                                                 for r in RELATION_TYPES.values()))
    target: str = ref("directive", "Văn bản đích", "", required=True,
                      description="Mã văn bản đích của quan hệ.")
    note: str | None = Field(None, title="Ghi chú", description="Ghi chú ngắn về quan hệ, theo nguồn.")


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

    number: str | None = Field(None, title="Số, ký hiệu", json_schema_extra={"pattern": NO_PREFIX_PATTERN}, description='Số, ký hiệu đúng như văn bản ghi, ví dụ "38-HD/BTCTW", '
                                                 '"09-QĐi/TU", "1019". Để trống nếu nguồn không nêu.')
    doc_type: Literal[DOC_TYPES] = Field(title="Loại văn bản", description="Loại văn bản: " + ", ".join(DOC_TYPES) + ".")  # type: ignore[valid-type]
    short_name: str | None = Field(None, title="Tên gọi thường dùng", description='Tên gọi thường dùng khi nguồn không nêu số, '
                                                     'ví dụ "Nghị quyết Trung ương 4 (khóa XI)".')
    title: str | None = Field(None, title="Trích yếu", description="Trích yếu: văn bản về việc gì, đúng như nguồn ghi.")
    issuer: str | None = ref("organ", "Cơ quan ban hành", "Văn bản đã ban hành",
                             description="Mã cơ quan ban hành.")
    issued: PartialDate | None = Field(None, title="Ngày ban hành", description='Ngày ban hành: "2010-03-09", "2010-03" hoặc '
                                                         '"2010" nếu nguồn chỉ nêu năm; để trống nếu không rõ.')
    term: str | None = Field(None, title="Khóa", json_schema_extra={"pattern": NO_PREFIX_PATTERN}, description='Khóa của cấp ủy ban hành, số La Mã, ví dụ "XI".')
    level: Literal[LEVELS] | None = Field(None, title="Cấp ban hành", description="Cấp ban hành: " + ", ".join(LEVELS) + ".")  # type: ignore[valid-type]
    province: str | None = ref("province", "Địa phương", "Văn bản của địa phương",
                               description="Mã tỉnh, thành của văn bản địa phương.")
    status: Literal[STATUSES] = Field("không rõ", title="Hiệu lực", description="Hiệu lực: " + ", ".join(STATUSES) + ".")  # type: ignore[valid-type]
    summary: str | None = markdown("Tóm tắt", "Tóm tắt nội dung theo nguồn.")
    relations: list[Relation] = Field(title="Quan hệ với văn bản khác", default_factory=list, description="Quan hệ với các văn bản khác (chỉ khai báo một chiều; "
                                                      "chiều ngược lại được tự động hiển thị).")

    @field_validator("province")
    @classmethod
    def _central_has_no_province(cls, province: str | None, info: ValidationInfo) -> str | None:
        if province and sibling(cls, info, "level") == "trung ương":
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

    def names_issuer(self) -> bool:
        """Every provincial committee numbers its own documents; the central ones need no "của …"."""
        return self.level != "trung ương"

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

    name: str = Field(title="Tên", description='Tên mô hình, ví dụ "Chi bộ bốn tốt".')
    category: str | None = Field(None, title="Nhóm mô hình", description='Nhóm mô hình, ví dụ "tổ chức cơ sở đảng", '
                                                   '"quản lý đảng viên", "sinh hoạt đảng".')
    description: str | None = markdown("Mô tả", "Mô tả mô hình: là gì, gồm những ai, hoạt động ra sao.")
    legal_basis: list[str] = ref("directive", "Căn cứ", "Là căn cứ của mô hình", many=True,
                                 description="Mã các văn bản là căn cứ của mô hình.")
    advantages: list[str] = Field(title="Ưu điểm", default_factory=list, description="Ưu điểm, kết quả mà nguồn nêu.")
    limitations: list[str] = Field(title="Hạn chế", default_factory=list, description="Hạn chế mà nguồn nêu.")
    causes: list[str] = Field(title="Nguyên nhân", default_factory=list, description="Nguyên nhân của hạn chế.")
    solutions: list[str] = Field(title="Giải pháp", default_factory=list, description="Giải pháp, phương hướng tiếp theo.")



class Figure(BaseModel):
    """Một số liệu, ghi đúng như nguồn để có thể tra lại."""

    listed_as: ClassVar[str] = "số liệu"

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, str_min_length=1)

    label: str = Field(title="Chỉ tiêu", description="Số liệu nói về điều gì.")
    value: str | int | float = Field(title="Giá trị", description='Giá trị đúng như nguồn ghi, ví dụ 3, "5-7", "145/156", "1.000".')
    unit: str | None = Field(None, title="Đơn vị", description='Đơn vị, ví dụ "tổ chức cơ sở đảng", "đồng/ngày".')
    as_of: PartialDate | None = Field(None, title="Thời điểm", description="Thời điểm của số liệu, nếu nguồn nêu.")


class Practice(Cited):
    """Cách làm, kinh nghiệm của một địa phương."""

    title: str = Field(title="Tên cách làm", description="Tên ngắn gọn của cách làm.")
    province: str = ref("province", "Tỉnh, thành", "Cách làm của địa phương", required=True,
                        description="Mã tỉnh, thành nơi thực hiện (tên tại thời điểm thực hiện).")
    places: list[str] = Field(title="Địa bàn", default_factory=list, description='Địa bàn trong tỉnh, ghi như nguồn tại thời điểm đó, '
                                              'ví dụ "huyện Thanh Bình".')
    other_provinces: list[str] = ref("province", "Các tỉnh, thành khác", "Cách làm chung với địa phương khác",
                                     many=True, description="Mã các tỉnh, thành khác mà nguồn nêu cùng thực hiện "
                                                            "cách làm này.")
    actor: str | None = ref("organ", "Chủ thể thực hiện", "Cách làm do cơ quan thực hiện",
                            description="Mã cơ quan chủ trì thực hiện, nếu có bản ghi.")
    actor_text: str | None = Field(None, title="Chủ thể thực hiện (ghi bằng lời)", description="Chủ thể thực hiện ghi bằng lời, khi không có mã cơ quan.")
    start: PartialDate | None = Field(None, title="Bắt đầu", description="Bắt đầu thực hiện từ (nếu nguồn nêu).")
    end: PartialDate | None = Field(None, title="Kết thúc", description="Đến (nếu nguồn nêu).")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        start = sibling(cls, info, "start")
        if end and start and end.before(start):
            raise PydanticCustomError("date_order", "thời điểm kết thúc {end} trước thời điểm bắt đầu {start}",
                                      {"end": str(end), "start": str(start)})
        return end
    period: str | None = Field(None, title="Thời gian", description='Thời gian ghi bằng lời, ví dụ "3 năm (sơ kết)".')
    description: str | None = markdown("Mô tả", "Mô tả cách làm.")
    figures: list[Figure] = Field(title="Số liệu", default_factory=list, description="Số liệu có cấu trúc mà nguồn nêu.")
    models: list[str] = ref("model", "Mô hình áp dụng", "Nơi áp dụng", many=True,
                            description="Mã các mô hình mà cách làm áp dụng.")
    directives: list[str] = ref("directive", "Văn bản thực hiện", "Cách làm thực hiện văn bản", many=True,
                                description="Mã các văn bản mà cách làm thực hiện.")
    results: list[str] = Field(title="Kết quả", default_factory=list, description="Kết quả mà nguồn nêu.")
    limitations: list[str] = Field(title="Hạn chế", default_factory=list, description="Hạn chế mà nguồn nêu.")
    causes: list[str] = Field(title="Nguyên nhân", default_factory=list, description="Nguyên nhân của hạn chế, nếu nguồn nêu.")
    solutions: list[str] = Field(title="Giải pháp, phương hướng", default_factory=list, description="Giải pháp, phương hướng tiếp theo mà nguồn nêu.")

    @field_validator("other_provinces")
    @classmethod
    def _other_provinces_are_other(cls, others: list[str], info: ValidationInfo) -> list[str]:
        if sibling(cls, info, "province") in others:
            raise PydanticCustomError("own_province", "`other_provinces` nhắc lại chính tỉnh `{province}` của cách làm",
                                      {"province": sibling(cls, info, "province")})
        return others



# --- Reference kinds ----------------------------------------------------------

class Province(Record):
    """Tỉnh, thành phố (cũ hoặc hiện nay)."""

    name: str = Field(title="Tên", description='Tên, ví dụ "Đồng Tháp", "Thừa Thiên Huế".')
    kind: Literal["tỉnh", "thành phố"] = Field("tỉnh", title="Loại", description="tỉnh hoặc thành phố trực thuộc trung ương.")
    merged_into: str | None = ref("province", "Nay thuộc", "Tỉnh, thành cũ",
                                  description="Mã tỉnh, thành hiện nay mà tỉnh cũ này đã được sáp nhập vào "
                                              "(hoặc đổi tên thành). Để trống nếu tỉnh, thành vẫn còn.")
    merged_on: PartialDate | None = Field(None, title="Ngày sáp nhập", description="Ngày sáp nhập, đổi tên có hiệu lực.")
    change: Literal[PROVINCE_CHANGES] | None = Field(  # type: ignore[valid-type]
        None, title="Loại thay đổi", description="Loại thay đổi, khi có `merged_into`: \"sáp nhập\" (nhập với tỉnh, thành khác) hoặc "
                          "\"chuyển đổi\" (chỉ đổi tên, đổi loại đơn vị, ví dụ tỉnh trở thành thành phố trực "
                          "thuộc trung ương). Để trống nghĩa là sáp nhập.")
    change_basis: str | None = Field(None, title="Căn cứ", description="Văn bản quyết định việc sáp nhập, chuyển đổi, ghi như nguồn "
                                                       "(để trống nếu nguồn không nêu).")
    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True,
                             description="Mã nguồn cho thông tin về tỉnh (nếu có).")

    @field_validator("change", "change_basis")
    @classmethod
    def _change_needs_successor(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A change without the province it led to says nothing a reader can follow."""
        if value and not sibling(cls, info, "merged_into"):
            raise PydanticCustomError("change_without_successor",
                                      "`{field}` chỉ dùng cho tỉnh, thành cũ: thiếu `merged_into`",
                                      {"field": info.field_name})
        return value

    @property
    def renamed(self) -> bool:
        """Changed status or name only, not merged with another province."""
        return self.change == "chuyển đổi"



class Organ(Record):
    """Cơ quan, tổ chức ban hành văn bản hoặc thực hiện cách làm."""

    name: str = Field(title="Tên", description='Tên đầy đủ, ví dụ "Ban Tổ chức Trung ương".')
    abbr: str | None = Field(None, title="Viết tắt", description='Tên viết tắt, ví dụ "BTCTW".')
    level: Literal[LEVELS] | None = Field(None, title="Cấp", description="Cấp: " + ", ".join(LEVELS) + ".")  # type: ignore[valid-type]
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

    title: str = Field(title="Tiêu đề", description="Tiêu đề bài viết, đúng như bản gốc.")
    publisher: str | None = Field(None, title="Nơi đăng", description="Cơ quan đăng tải, nếu bài viết nêu.")
    published: PartialDate | None = Field(None, title="Ngày đăng", description="Ngày đăng, nếu bài viết nêu.")
    author: str | None = Field(None, title="Tác giả", description="Tác giả, nếu bài viết nêu.")
    url: str | None = Field(None, title="Địa chỉ", pattern=rf"""^https?://[^{_STRIPPED}\uFEFF<>"'`]+$""", description="Địa chỉ trên mạng, nếu biết.")
    seed: str | None = Field(None, title="Tệp gốc (seeds)", pattern=r"^[A-Za-z0-9_.-]+$", description="Tên tệp văn bản gốc trong kho tư liệu (seeds); "
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

    name: str = Field(title="Tên", description='Tên chủ đề, ví dụ "Sinh hoạt chi bộ".')
    description: str | None = markdown("Giới thiệu", "Giới thiệu ngắn về chủ đề.")



class Glossary(Record):
    """Chữ viết tắt."""

    abbr: str = Field(title="Viết tắt", pattern=ABBR_PATTERN, description='Chữ viết tắt, một từ không có dấu cách và có chữ hoa, '
                                                        'ví dụ "BTCTW".')
    expansion: str = Field(title="Nghĩa đầy đủ", pattern=PLAIN_TEXT_PATTERN,
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



# --- Courses --------------------------------------------------------------------

# The kinds a course item may name, each under its own key, so that a typo is
# checked against records of that kind (and a record of another kind is caught).
COURSE_ITEM_KINDS = ("directive", "model", "practice", "province", "organ", "source", "topic")


class CourseItem(BaseModel):
    """Một mục trong danh sách đọc: một bản ghi, hoặc một trang viết tay trong content/."""

    listed_as: ClassVar[str] = "mục đọc"
    listed_fields: ClassVar[str] = "một mã bản ghi hoặc page, title; questions"

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, str_min_length=1)

    directive: str | None = ref("directive", "Văn bản", "", description="Mã văn bản cần đọc.")
    model: str | None = ref("model", "Mô hình", "", description="Mã mô hình cần đọc.")
    practice: str | None = ref("practice", "Cách làm", "", description="Mã cách làm cần đọc.")
    province: str | None = ref("province", "Tỉnh, thành", "", description="Mã tỉnh, thành cần đọc.")
    organ: str | None = ref("organ", "Cơ quan", "", description="Mã cơ quan cần đọc.")
    source: str | None = ref("source", "Nguồn", "", description="Mã nguồn cần đọc.")
    topic: str | None = ref("topic", "Chủ đề", "", description="Mã chủ đề cần đọc.")
    page: str | None = Field(None, title="Trang viết tay", pattern=r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.md$",
                             description='Trang viết tay, đường dẫn tính từ content/, ví dụ "bien-tap/index.md".')
    title: str | None = Field(None, title="Tên trang viết tay", description="Tên trang viết tay hiện trong danh sách đọc (bắt buộc khi dùng page).")
    questions: list[str] = Field(title="Câu hỏi thảo luận", default_factory=list, description="Câu hỏi thảo luận sau khi đọc mục này.")

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


# The longest reading list of a course: a course is printed as one PDF (about 3 s of layout per reading)
# and bundled as one zip; 7,600 readings passed the gate once, then printing ran past 600 s and 3.5 GB.
MAX_COURSE_ITEMS = 100


class Course(Record):
    """Khóa học: danh sách đọc có thứ tự, kèm mục tiêu và câu hỏi thảo luận; đóng gói được để học ngoại tuyến."""

    title: str = Field(title="Tên khóa học", description='Tên khóa học, ví dụ "Nâng cao chất lượng sinh hoạt chi bộ".')
    audience: str | None = Field(None, title="Đối tượng", description='Đối tượng học viên, ví dụ "Bí thư, phó bí thư chi bộ".')
    duration: str | None = Field(None, title="Thời lượng", description='Thời lượng dự kiến, ví dụ "1 buổi (4 tiết)".')
    objectives: list[str] = Field(title="Mục tiêu", min_length=1, description="Mục tiêu: sau khóa học, học viên nắm được gì (theo các bản ghi).")
    items: list[CourseItem] = Field(title="Danh sách đọc", min_length=1, max_length=MAX_COURSE_ITEMS, description="Danh sách đọc theo thứ tự. Mỗi mục ghi đúng một khóa: "
                                                + ", ".join(COURSE_ITEM_KINDS) + " (mã bản ghi) hoặc page "
                                                "(trang viết tay, kèm title); có thể thêm questions.")
    sources: list[str] = ref("source", "Nguồn", "Được trích dẫn trong", many=True,
                             description="Mã các nguồn mà khóa học dựa vào; trang của chúng có trong bản ngoại tuyến.")



# --- The table of kinds -------------------------------------------------------

LOOKUP_GROUP = "Tra cứu"        # the navigation group of the reference kinds


@dataclass(frozen=True)
class Kind:
    """A record kind and the roles its fields play, so that no other module names a field.

    Every role names a field of `model` (checked when the kind is made: a renamed field
    fails at import instead of silently checking nothing).
    """

    name: str         # schema name, used in messages and JSON Schema file names
    folder: str       # under data/
    section: str      # URL folder of the generated pages
    label: str        # Vietnamese singular, for messages
    title: str        # Vietnamese heading of the index page
    model: type[Record]
    name_field: str = "name"        # the field that names a record (the form editor's identifier)
    name_fields: tuple[str, ...] = ()   # what a reference picker searches and shows (default: name_field)
    pages: bool = True              # False: records show only on the kind's index page (no page each)
    nav: str | None = None          # its tab's label (default: title)
    nav_group: str | None = None    # None: a top-level tab; else the group it is listed under
    nav_order: int = 100            # place among the tabs (or in the group); ties keep declaration order
    sources: str | None = None      # the field citing the record's sources (listed at the foot of its page)
    topics: str | None = None       # the field naming its topics
    date: str | None = None         # the record's own date (relation chronology, index by year)
    places: tuple[str, ...] = ()    # fields naming provinces (search finds a record by the place's names)
    successor: str | None = None    # the field naming the record that replaced this one (a merged province)
    abbr: str | None = None         # a field holding an abbreviation (search adds its expansion)
    issuer: str | None = None       # the field naming who issued it: a local record's links name the issuer
    hub: bool = False               # search: a page that mostly lists other records (its body weighs less)
    subject: tuple[str, ...] = ()   # search: fields shown as the result's subject line
    badge: tuple[str, ...] = ()     # search: fields a result shows beside its kind, date and places (a number)
    teaser: tuple[str, ...] | None = None   # search: what the record is about (default: its Markdown fields)
    summary: tuple[str, ...] | None = None  # link previews: the first of these that says more than the name
                                            # (default: its Markdown fields)
    diagram: tuple[str, ...] = ()   # references whose records stand above the cited record in its diagram

    def __post_init__(self) -> None:
        try:        # every field is of one type of the table (field_types.py), nested values' fields too
            check_model(self.model)
        except TypeError as error:
            raise ValueError(f"kind {self.name!r}: {error}") from None
        if not self.name_fields:
            object.__setattr__(self, "name_fields", (self.name_field,))
        for role in ("teaser", "summary"):
            if getattr(self, role) is None:
                object.__setattr__(self, role, tuple(markdown_fields(self.model)))
        missing = [name for name in self.role_fields() if name not in self.model.model_fields]
        if missing:
            raise ValueError(f"kind {self.name!r}: roles name fields {self.model.__name__} does not have: {missing}")
        unlabelled = [name for name, info in self.model.model_fields.items() if not info.title]
        if unlabelled:      # pages, forms and the JSON Schema show the label: Field(title="…")
            raise ValueError(f"kind {self.name!r}: fields without a Vietnamese label (title): {unlabelled}")
        unnamed = [f.name for f in ref_fields(self.model) if not f.backlabel]
        if unnamed:         # the referenced record's page would head their list with an empty label
            raise ValueError(f"kind {self.name!r}: references without a backlabel (ref(..., backlabel=…)): {unnamed}")
        one_way = [f.name for f in ref_fields(self.model) if f.symmetric and f.target != self.name]
        if one_way:         # a link both ways joins records of one kind
            raise ValueError(f"kind {self.name!r}: symmetric references to another kind: {one_way}")
        NAME_FIELD_OF[self.model] = self.name_field

    def role_fields(self) -> list[str]:
        """Every field named by a role."""
        single = (self.name_field, self.sources, self.topics, self.date, self.successor, self.abbr, self.issuer)
        return [n for n in (*single, *self.name_fields, *self.places, *self.subject, *self.badge, *self.teaser,
                            *self.summary, *self.diagram) if n]

    @property
    def nav_label(self) -> str:
        return self.nav or self.title


KINDS: dict[str, Kind] = {}
KIND_BY_FOLDER: dict[str, Kind] = {}
_DECLARED = False      # the kinds below are registered (their references point at each other)


# Site folders the build writes besides the kinds' sections: a kind there would mix its pages with them.
RESERVED_SECTIONS = {
    "admin": "the form editor (cms.py)",
    "assets": "the theme's and the search's scripts and styles",
    "search": "the search index (plugin.py)",
    "bien-tap": "the editors' guide (content/bien-tap/ and the generated field reference)",
    "hinh-anh": "the form editor's media folder (cms_config.py)",
    "tai-ve": "the files for trainers (downloads.py)",
}


def register(kind: Kind) -> None:
    """Add a record kind. Kinds are declared below; tests declare more and remove them with `unregister`."""
    if kind.name in KINDS or kind.folder in KIND_BY_FOLDER:
        raise ValueError(f"kind {kind.name!r} (data/{kind.folder}/) is already declared")
    if kind.section in RESERVED_SECTIONS:
        raise ValueError(f"kind {kind.name!r}: section {kind.section!r} is the site's folder for "
                         f"{RESERVED_SECTIONS[kind.section]}; choose another section")
    owner = next((k for k in KINDS.values() if k.section == kind.section), None)
    if owner:
        raise ValueError(f"kind {kind.name!r}: section {kind.section!r} is already kind {owner.name!r}'s "
                         f"(its index page would replace the other's); choose another section")
    KINDS[kind.name] = kind
    KIND_BY_FOLDER[kind.folder] = kind
    if _DECLARED:
        _check_references(kind)


def _check_references(kind: Kind) -> None:
    for ref in ref_fields(kind.model):
        if ref.target not in KINDS:
            unregister(kind.name)
            raise ValueError(f"kind {kind.name!r}: field {ref.name!r} names unknown kind {ref.target!r}")


def unregister(name: str) -> None:
    kind = KINDS.pop(name)
    del KIND_BY_FOLDER[kind.folder]


def glossary_section() -> str:
    """The folder of the glossary page: the kind that explains abbreviations on its index alone
    (an organ has an abbreviation too, but a page of its own)."""
    return next((k.section for k in KINDS.values() if k.abbr and not k.pages), "")


def nav_kinds() -> list[tuple[str | None, list[Kind]]]:
    """The navigation read off the kinds: top-level tabs, then each group, in their declared order."""
    ordered = sorted(KINDS.values(), key=lambda k: k.nav_order)
    groups: dict[str | None, list[Kind]] = {}
    for kind in ordered:
        groups.setdefault(kind.nav_group, []).append(kind)
    return list(groups.items())




@dataclass(frozen=True)
class RefField:
    name: str
    target: str
    label: str
    backlabel: str
    many: bool
    symmetric: bool = False     # the same link, under `label`, on both records' pages
    acyclic: bool = True        # a chain of these, within one kind, may not close on itself


def ref_fields(model: type[BaseModel]) -> list[RefField]:
    """The fields of `model` that name other records, in declaration order."""
    found = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and REF_KEY in extra:
            many = slot(info, name).many
            symmetric = extra.get("x-symmetric", False)
            found.append(RefField(name, extra[REF_KEY], extra["x-label"], extra["x-backlabel"], many,
                                  symmetric, extra.get("x-acyclic", not symmetric)))
    return found


def markdown_fields(model: type[BaseModel]) -> list[str]:
    """The fields in which Markdown is allowed, in declaration order."""
    return [name for name, info in model.model_fields.items() if slot(info, name).type is MARKDOWN]


def relations_field(model: type[BaseModel]) -> str | None:
    """The field holding a record's typed relations (a list of Relation), found by its type, not its name."""
    return next((name for name, info in model.model_fields.items()
                 if info.annotation == list[Relation]), None)


@dataclass(frozen=True)
class FieldDoc:
    name: str
    required: bool
    type: str          # in Vietnamese, for editors
    description: str
    blank: str = ""    # what `handbook new` writes after the key ("[]" for a list)


def describe_fields(model: type[BaseModel]) -> list[FieldDoc]:
    """The editors' reference for a record kind, read off the declaration and the field-type table."""
    kind = next((k for k in KINDS.values() if k.model is model), None)
    last = [n for n in (kind.sources, kind.topics) if n] if kind else []   # shared bookkeeping after its own fields
    names = [n for n in model.model_fields if n not in last] + [n for n in last if n in model.model_fields]
    docs = []
    for name in names:
        info = model.model_fields[name]
        typed = slot(info, name)
        docs.append(FieldDoc(name, info.is_required(), typed.describe(lambda kind: KINDS[kind].label),
                             info.description or "", typed.blank))
    return docs


# --- The kinds -------------------------------------------------------------------

for _kind in (
    Kind("directive", "directives", "van-ban", "văn bản", "Văn bản", Directive, name_field="title",
         name_fields=("number", "short_name", "title"), nav_order=1, sources="sources", topics="topics",
         date="issued", places=("province",), issuer="issuer", subject=("short_name", "title"), badge=("number",),
         teaser=("title", "summary"), summary=("summary", "title")),
    Kind("model", "models", "mo-hinh", "mô hình", "Mô hình tổ chức, hoạt động", Model, nav="Mô hình", nav_order=2,
         sources="sources", topics="topics", diagram=("legal_basis",)),
    Kind("practice", "practices", "cach-lam", "cách làm", "Cách làm của địa phương", Practice, name_field="title",
         nav="Cách làm", nav_order=3, sources="sources", topics="topics", places=("province", "other_provinces"),
         diagram=("directives",)),
    Kind("province", "provinces", "tinh-thanh", "tỉnh, thành", "Tỉnh, thành", Province,
         nav_order=4, sources="sources", successor="merged_into", hub=True),
    Kind("organ", "organs", "co-quan", "cơ quan", "Cơ quan", Organ, name_fields=("name", "abbr"),
         nav_group=LOOKUP_GROUP, nav_order=13, sources="sources", places=("province",), abbr="abbr", hub=True),
    Kind("source", "sources", "nguon", "nguồn", "Nguồn tư liệu", Source, name_field="title",
         name_fields=("title", "publisher"), nav_group=LOOKUP_GROUP, nav_order=14, hub=True, summary=("title",)),
    Kind("topic", "topics", "chu-de", "chủ đề", "Chủ đề", Topic, nav_group=LOOKUP_GROUP, nav_order=12, hub=True),
    Kind("glossary", "glossary", "thuat-ngu", "thuật ngữ viết tắt", "Chữ viết tắt", Glossary, name_field="abbr",
         name_fields=("abbr", "expansion"), pages=False, nav_group=LOOKUP_GROUP, nav_order=15, sources="sources",
         abbr="abbr"),
    Kind("course", "courses", "khoa-hoc", "khóa học", "Khóa học", Course, name_field="title", nav_order=4,
         sources="sources", hub=True, summary=("objectives",)),
):
    register(_kind)
for _kind in KINDS.values():
    _check_references(_kind)
# A reading list opens pages (the offline bundle holds them, the printed pack prints them).
if any(not KINDS[name].pages for name in COURSE_ITEM_KINDS):
    raise ValueError("COURSE_ITEM_KINDS names a kind without pages: a course can only list records that have one")
_DECLARED = True
