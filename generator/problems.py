"""Problems found in the data, as values.

No stage raises on bad data: each returns the problems it found, with a place,
a stable code, a message in plain Vietnamese and a hint, so that an editor
sees every mistake of a pull request in one run. The command line and the
MkDocs plugin decide how to print them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .channels import annotation, terminal

ERROR = "lỗi"
WARNING = "cảnh báo"

# Every code a problem can carry, with what it means. Documented on the site.
CODES = {
    "data.missing": "Không có thư mục data/ ở nơi chạy lệnh.",
    "file.empty": "Tệp rỗng, không có bản ghi nào.",
    "file.encoding": "Tệp không được lưu bằng mã UTF-8 hoặc có BOM ở đầu.",
    "file.too-large": "Tệp quá lớn đối với một bản ghi.",
    "file.location": "Tệp nằm ngoài các thư mục dữ liệu đã biết hoặc không có đuôi .yaml.",
    "file.symlink": "Tệp là liên kết tượng trưng (symlink); dữ liệu không đọc tệp qua liên kết.",
    "file.special": "Không phải tệp thông thường (thư mục con, thiết bị, ống dẫn).",
    "file.unreadable": "Không đọc được tệp (thiếu quyền đọc).",
    "file.wrong-folder": "Bản ghi nằm sai thư mục: nội dung là của một loại bản ghi khác.",
    "yaml.syntax": "Tệp không đúng cú pháp YAML.",
    "yaml.tab": "Dùng ký tự tab để thụt lề; YAML chỉ chấp nhận dấu cách.",
    "yaml.duplicate-key": "Một trường được khai báo hai lần trong cùng một bản ghi.",
    "yaml.alias": "Dùng neo/bí danh YAML (&, *); dữ liệu sổ tay không cho phép.",
    "yaml.tag": "Dùng thẻ YAML (!tên, !!kiểu); dữ liệu sổ tay chỉ gồm chữ, danh sách và nhóm trường.",
    "yaml.depth": "Dữ liệu lồng nhau quá nhiều tầng.",
    "yaml.not-mapping": "Nội dung tệp không phải một bản ghi dạng 'trường: giá trị'.",
    "text.nfc": "Văn bản tiếng Việt ở dạng dựng sẵn tổ hợp (không phải NFC); đã được chuẩn hóa.",
    "text.control": "Văn bản chứa ký tự không in được hoặc vô hình: ký tự điều khiển, ký tự đảo chiều chữ (U+202E…), "
                    "khoảng trắng không độ rộng (U+200B…), ký tự dùng riêng (thường do dán từ PDF, Word).",
    "text.name": "Tên không có chữ cái, chữ số nào (trông như để trống) hoặc có chữ cái của hệ chữ khác trông "
                 "giống chữ Latinh (chữ а Cyrillic thay cho chữ a).",
    "name.duplicate": "Hai bản ghi cùng loại trùng tên (không kể hoa thường, khoảng trắng, kiểu chữ).",
    "name.look-alike": "Hai bản ghi cùng loại có tên nhìn như nhau nhưng khác một chữ trông giống hệt (ı thay cho i, "
                       "Ð Iceland thay cho Đ, ɑ thay cho a): so theo “bộ khung” ký tự của Unicode (UTS #39).",
    "text.look-alike": "Số hiệu, khóa hoặc chữ viết tắt có ký tự trông giống một ký tự trên bàn phím nhưng là ký tự "
                       "khác (∕ thay cho /, ‐ thay cho -, ı thay cho i): tìm kiếm và trích dẫn không khớp.",
    "text.number": "Con số viết không có ngoặc kép mà trình biên tập bằng biểu mẫu (YAML 1.2) đọc thành số khác "
                   "cách viết (1.000 thành 1, 010 thành 10); đặt trong ngoặc kép.",
    "text.mark": "Văn bản bắt đầu bằng một dấu thanh, dấu phụ đứng riêng, không gắn với chữ cái nào.",
    "text.marks": "Một chữ cái mang quá nhiều dấu chồng lên nhau (chữ “Zalgo”, tràn lên dòng trên, dòng dưới); "
                  "tiếng Việt cần nhiều nhất hai dấu (ế là e, dấu mũ và dấu sắc).",
    "text.blank": "Văn bản bắt buộc trông như để trống: chỉ có dấu cách, ký tự vô hình hoặc dấu đứng riêng.",
    "text.structure": "Trường Markdown chứa tiêu đề (#), khung ghi chú (!!!), đường kẻ hoặc bảng: những phần do "
                      "trang tự tạo, nội dung bản ghi không được giả.",
    "text.html": "Văn bản chứa mã HTML hoặc liên kết javascript:; sẽ được hiển thị như chữ thường.",
    "field.missing": "Thiếu trường bắt buộc.",
    "field.unknown": "Trường không có trong lược đồ của loại bản ghi này.",
    "field.type": "Giá trị sai kiểu (ví dụ cần danh sách mà ghi chuỗi).",
    "field.duplicate": "Một mục được ghi hai lần trong cùng một danh sách (mã, câu).",
    "field.value": "Giá trị không hợp lệ (ngoài danh mục cho phép, sai định dạng…).",
    "date.invalid": "Ngày sai định dạng hoặc không tồn tại.",
    "id.format": "Mã định danh không phải chữ thường không dấu, số và dấu gạch ngang, hoặc là mã dành riêng (index).",
    "id.filename": "Mã định danh không trùng với tên tệp.",
    "id.duplicate": "Hai bản ghi dùng cùng một mã định danh.",
    "ref.unknown": "Tham chiếu tới mã không tồn tại.",
    "ref.kind": "Tham chiếu tới bản ghi sai loại.",
    "relation.self": "Bản ghi tham chiếu tới chính nó (văn bản có quan hệ với chính nó, cơ quan trực thuộc chính nó…).",
    "relation.cycle": "Chuỗi quan hệ khép thành vòng (A thay thế B, B thay thế A; cơ quan trực thuộc nhau…).",
    "province.chain": "Tỉnh cũ được ghi là sáp nhập vào một tỉnh cũng đã sáp nhập; cần ghi tỉnh hiện nay.",
    "date.order": "Ngày kết thúc trước ngày bắt đầu.",
    "relation.date": "Văn bản căn cứ, thay thế, sửa đổi… một văn bản ban hành sau nó.",
    "glossary.duplicate": "Một chữ viết tắt được giải nghĩa hai lần.",
    "file.layout": "Tệp chưa viết theo bố cục chuẩn (thứ tự trường, ngoặc kép, thụt lề); `handbook fmt` sửa, "
                   "nội dung không đổi.",
    "file.comment": "Chú thích nằm giữa bản ghi; bố cục chuẩn (và biểu mẫu) chỉ giữ chú thích ở đầu tệp.",
    "file.hidden": "Tệp ẩn (tên bắt đầu bằng dấu chấm) trong data/.",
    "content.refused": "Tệp trong content/ không được đăng: chỉ trang .md và ảnh, không qua liên kết tượng trưng.",
    "content.path": "Tệp trong content/ không ghi được ở mọi ổ đĩa: tên thiết bị Windows dành riêng (aux, con, nul…), "
                    "ký tự < > : \" | ? * \\, tên kết thúc bằng dấu chấm hoặc dấu cách; hoặc hai trang ra cùng một "
                    "địa chỉ (gioi-thieu.md và gioi-thieu/index.md; README.md và index.md).",
    "content.too-large": "Trang viết tay quá lớn, hoặc có một đoạn văn quá dài không có dòng trống (giới hạn để "
                         "việc dựng trang luôn nhanh).",
    "course.page": "Khóa học nêu một trang viết tay không có trong content/, hoặc trang chủ (index.md).",
}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: str = ERROR

    def __post_init__(self) -> None:
        assert self.code in CODES, self.code

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        """One line for the terminal (file names and messages are the authors' text: see channels.py)."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity} [{self.code}] {self.message}"
        return terminal(f"{text} — {self.hint}" if self.hint else text)

    def github(self) -> str:
        """A GitHub Actions annotation, shown on the line in a pull request's diff."""
        text = f"{self.message} — {self.hint}" if self.hint else self.message
        return annotation("error" if self.is_error else "warning", self.path, self.line, self.col,
                          f"[{self.code}]", text)

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "code": self.code,
                "severity": "error" if self.is_error else "warning", "message": self.message, "hint": self.hint}


# How many problems of one code are printed for one file, and for the whole run, before the rest
# are counted: one mistake repeated (a pasted block of 5,000 unknown keys, 2,000 files that name
# each other) must not bury the others, nor make a report that a CI log cannot hold.
SAME_IN_FILE = 10
SAME_IN_RUN = 50


@dataclass(frozen=True)
class Omitted:
    """Problems of one code left out of a printed report (in one file, or across files if path is None)."""

    code: str
    count: int
    path: str | None = None

    def message(self) -> str:
        where = " trong tệp này" if self.path else ""
        return f"… và {self.count} lỗi tương tự [{self.code}]{where}"


def capped(problems: list[Problem]) -> tuple[list[Problem], list[Omitted]]:
    """The problems a report prints, in order, and what it leaves out, counted."""
    shown: list[Problem] = []
    in_file: dict[tuple[str, str], int] = {}
    in_run: dict[str, int] = {}
    left: dict[tuple[str, str | None], int] = {}
    for problem in problems:
        key = problem.path, problem.code
        in_file[key] = in_file.get(key, 0) + 1
        if in_file[key] > SAME_IN_FILE:
            left[problem.code, problem.path] = left.get((problem.code, problem.path), 0) + 1
            continue
        in_run[problem.code] = in_run.get(problem.code, 0) + 1
        if in_run[problem.code] > SAME_IN_RUN:
            left[problem.code, None] = left.get((problem.code, None), 0) + 1
            continue
        shown.append(problem)
    return shown, [Omitted(code, count, path) for (code, path), count in left.items()]


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
