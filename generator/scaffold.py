"""`handbook new`: a new record file with a valid id and every field explained.

Editors start from this rather than from a blank file: required fields are
present (empty, so that `handbook validate` asks for them), optional ones are
commented out with their description.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .characters import describe, escaped, name_refusal, not_text
from .ids import id_from_name, id_refusal
from .outputs import write_file
from .schema import ID_PATTERN, KINDS, RESERVED_IDS, Kind, describe_fields


def new_record(kind: Kind, name: str, record_id: str | None = None) -> tuple[str, str]:
    """The id and YAML text of a new record called `name`."""
    record_id = record_id or id_from_name(name)
    lines = [f"# {kind.label[0].upper() + kind.label[1:]} — {name}",
             f"# yaml-language-server: $schema=../../generator/schemas/{kind.name}.schema.json",
             "# Các trường bắt đầu bằng # là tùy chọn: bỏ dấu # để dùng. Xem trang \"Các trường dữ liệu\".",
             f"id: {record_id}"]
    name_field = kind.name_field        # filled from the command line
    for field in describe_fields(kind.model):
        if field.name == "id":
            continue
        if field.name == name_field:
            lines.append(f"{field.name}: {_quote(name)}")
            continue
        comment = f"  # {field.type}: {field.description}"
        if field.required:
            lines.append(f"{field.name}: {field.blank}{comment} (bắt buộc)".replace(":   #", ":  #"))
        else:
            lines.append(f"# {field.name}: {field.blank}{comment}".replace(":   #", ":  #"))
    return record_id, "\n".join(lines) + "\n"


def _name_problem(name: str) -> str | None:
    """Why validate would refuse this name, said before it is written (a line break in it would
    also end the comment the scaffold writes it in)."""
    if "\n" in name or "\r" in name:
        return "có dấu xuống dòng"
    found = not_text(name)
    if found:
        return f"có ký tự {describe(found[1])} ở cột {found[0] + 1}"
    refused = name_refusal(name.strip())
    return refused[1].removeprefix("tên ") if refused else None


def write_new_record(data_dir: Path, kind_name: str, name: str, record_id: str | None = None) -> Path:
    kind = KINDS[kind_name]
    if not data_dir.is_dir():       # never a data/ of its own somewhere that is no handbook
        raise ValueError(f"không thấy thư mục dữ liệu {data_dir}; chạy lệnh trong thư mục dự án, hoặc chỉ ra nó bằng -C")
    if not name.strip():
        raise ValueError("tên không được để trống")
    reason = _name_problem(name)
    if reason:
        raise ValueError(f"tên “{escaped(name)}” {reason}; gõ lại tên bằng chữ Quốc ngữ, không có ký tự ẩn")
    record_id, text = new_record(kind, unicodedata.normalize("NFC", name.strip()), record_id)
    if not re.match(ID_PATTERN, record_id) or record_id in RESERVED_IDS:
        raise ValueError(f"mã `{record_id}` không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang "
                         "(đặt mã bằng --id, ví dụ --id chi-bo-bon-tot)")
    refused = id_refusal(record_id)
    if refused:
        raise ValueError(f"{refused}: đặt mã khác bằng --id, ví dụ --id chi-bo-bon-tot")
    path = data_dir / kind.folder / f"{record_id}.yaml"
    try:
        write_file(path, text, new=True)        # never an existing file, nor through a link; whole or not at all
    except FileExistsError:
        raise FileExistsError(path) from None
    return path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
