"""Set up .venv from the locked requirements: the same versions on every machine.

    python3 requirements/install.py [base|print|zim|publish|test]

Only the standard library, so it runs before anything is installed. It checks what pip cannot
(the Python version, the system libraries `handbook print` needs) before installing anything,
shows pip's progress, and if pip fails, ends with one line saying what to do, in Vietnamese.
The lock files beside it come from pyproject.toml (`sh requirements/refresh.sh`).
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: publish: print and zim together, for the workflow's files for trainers (python -m generator.downloads).
LOCKS = ("base", "print", "zim", "publish", "test")

# The system library WeasyPrint (handbook print) loads, by the names WeasyPrint itself tries;
# pip cannot install it. Only Linux is sure to find it where WeasyPrint would: elsewhere
# (Windows' MSYS2 folders, Homebrew's) a miss is only a warning.
PANGO = ("pango-1.0", "libpango-1.0-0", "pango-1.0-0", "libpango-1.0.so.0", "libpango-1.0.dylib")
PANGO_HINT = ("cài thư viện Pango của hệ thống: apt-get install libpango-1.0-0 libpangoft2-1.0-0 (Debian, "
              "Ubuntu); brew install pango (macOS, rồi đặt DYLD_FALLBACK_LIBRARY_PATH=/opt/homebrew/lib); "
              "Windows: cài GTK qua MSYS2 và đặt WEASYPRINT_DLL_DIRECTORIES theo hướng dẫn cài WeasyPrint")

# What pip says when it fails, and what the user can do about it. The first that matches wins.
ADVICE = [
    (("Requires-Python", "requires a different Python"),
     "môi trường .venv dùng bản Python cũ hơn 3.11: xóa thư mục .venv rồi chạy lại lệnh này bằng Python 3.11 trở lên"),
    (("No module named pip",), "môi trường .venv thiếu pip: xóa thư mục .venv rồi chạy lại lệnh này"),
    (("Temporary failure in name resolution", "NewConnectionError", "ConnectTimeout", "Network is unreachable",
      "No matching distribution found", "Could not find a version that satisfies", "ProxyError",
      "Read timed out", "SSLError"),
     "không tải được gói từ PyPI: kiểm tra kết nối mạng (sau proxy thì đặt biến HTTPS_PROXY) rồi chạy lại lệnh này"),
    (("DO NOT MATCH THE HASHES", "hashes are required", "Hash mismatch"),
     "gói tải về không khớp mã băm ghi trong requirements/*.txt: đừng sửa hay làm mới tệp khóa; kiểm tra "
     "nguồn tải gói (PIP_INDEX_URL, máy chủ trung gian của cơ quan) rồi báo người bảo trì sổ tay"),
    (("No space left on device",), "ổ đĩa đã đầy: giải phóng chỗ trống rồi chạy lại lệnh này"),
    (("Permission denied",), "không có quyền ghi vào .venv: xóa thư mục .venv rồi chạy lại (không dùng sudo)"),
    (("Microsoft Visual C++", "gcc", "error: command", "Failed building wheel"),
     "một gói phải biên dịch mà máy thiếu trình biên dịch: dùng bản Python 3.11–3.14 chính thức "
     "(có sẵn gói dựng sẵn cho mọi thư viện trong khóa) rồi chạy lại"),
]
FALLBACK = "pip báo lỗi (xem các dòng ở trên): sửa theo đó rồi chạy lại lệnh này"


def advice(pip_output: str) -> str:
    """The one line to say after pip failed with this output."""
    for needles, said in ADVICE:
        if any(needle in pip_output for needle in needles):
            return said
    return FALLBACK


def pango_found() -> bool:
    if any(ctypes.util.find_library(name) for name in PANGO):
        return True
    folders = [*os.environ.get("WEASYPRINT_DLL_DIRECTORIES", "").split(os.pathsep),
               *os.environ.get("DYLD_FALLBACK_LIBRARY_PATH", "").split(os.pathsep), "/opt/homebrew/lib", "/usr/local/lib"]
    return any(folder and next(Path(folder).glob("*pango-1.0*"), None) for folder in folders if Path(folder).is_dir())


def usable(python: Path) -> str | None:
    """Why an existing .venv cannot take the install (an old Python, no pip, a Python since removed)."""
    try:
        done = subprocess.run([str(python), "-c", "import sys, pip; print(sys.version_info >= (3, 11))"],
                              capture_output=True, text=True, timeout=120)
    except OSError:
        return "trình Python của nó không còn chạy được (có thể Python đã được nâng cấp hoặc gỡ)"
    if "No module named" in done.stderr:
        return "nó thiếu pip"
    if done.returncode != 0:
        return "trình Python của nó không chạy được"
    return None if done.stdout.strip() == "True" else "nó dùng Python cũ hơn 3.11"


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def fail(line: str) -> int:
    print(f"Chưa cài xong: {line}.", file=sys.stderr)
    return 1


def pip(python: Path, *args: str) -> tuple[int, str]:
    """Run pip, showing its output as it comes; return its exit code and everything it said."""
    process = subprocess.Popen([str(python), "-m", "pip", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
    said = []
    for line in process.stdout:
        said.append(line)
        sys.stderr.write(line)
    return process.wait(), "".join(said)


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "base"
    if which not in LOCKS or len(argv) > 1:
        return fail(f"chỉ nhận một trong {', '.join(LOCKS)} (mặc định base), không nhận {' '.join(argv)!r}")
    if sys.version_info < (3, 11):
        return fail(f"cần Python 3.11 trở lên, máy đang chạy {sys.version.split()[0]}: cài Python mới rồi chạy lại")
    if which in ("print", "publish", "test") and not pango_found():
        if which in ("print", "publish") and sys.platform.startswith("linux"):
            return fail(f"lệnh in cần thư viện Pango: {PANGO_HINT}")
        print(f"Lưu ý: không thấy thư viện Pango; nếu thiếu thật, lệnh in (và bài kiểm tra của nó) không chạy "
              f"được: {PANGO_HINT}.", file=sys.stderr)

    folder = ROOT / ".venv"
    python = venv_python(folder)
    if folder.exists() and (problem := usable(python) if python.exists() else "nó không có trình Python"):
        return fail(f"đã có thư mục .venv nhưng {problem}: xóa thư mục .venv rồi chạy lại lệnh này")
    if not folder.exists():
        print(f"Tạo môi trường ảo {folder} …", file=sys.stderr)
        try:
            venv.create(folder, with_pip=True)
        except (OSError, subprocess.CalledProcessError) as error:
            shutil.rmtree(folder, ignore_errors=True)       # ours, half made: the next run starts clean
            return fail(f"không tạo được .venv ({error}); trên Debian, Ubuntu: apt-get install python3-venv")
    lock = HERE / f"{which}.txt"
    print(f"Cài đúng các phiên bản trong {lock.relative_to(ROOT).as_posix()} …", file=sys.stderr)
    code, said = pip(python, "install", "--disable-pip-version-check", "--require-hashes", "-r", str(lock))
    if code == 0:   # the handbook itself, editable, built with the locked setuptools
        code, said = pip(python, "install", "--disable-pip-version-check", "--no-build-isolation",
                         "--no-deps", "-e", str(ROOT))
    if code != 0:
        return fail(advice(said))
    print(f"Đã cài xong vào {folder}. Lệnh: {folder.name}/{'Scripts' if os.name == 'nt' else 'bin'}/handbook",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
