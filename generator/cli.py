"""The `handbook` command: a thin shell over the pipeline.

Messages for editors are in Vietnamese; --help texts too, since editors run
`handbook validate` before every pull request.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import re
import signal
import sys
import time
from pathlib import Path

from .channels import as_json, command, guarded
from .characters import escaped
from .engine import MkDocsException
from .outputs import OutputError
from .parse_cache import ParseCache
from .pipeline import Result, run
from .problems import WARNING, Problem, capped
from .project import Project
from .serve_errors import quoted_line
from .schema import KINDS


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")   # Material's banner would hide real warnings
    with guarded():     # every line printed, ours and MkDocs', through the terminal's formatter
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.project = Project.read(args.root)     # the project's places, read once from mkdocs.yml
        return args.handler(args)
    except OutputError as error:
        print(f"Không ghi kết quả: {error}", file=sys.stderr)
    except OSError as error:     # a name too long, a file where a folder should be…: say which, no traceback
        where = f" ({error.filename})" if error.filename else ""
        cause, hint = _OS_ERRORS.get(error.errno, (error.strerror or str(error), "kiểm tra đường dẫn và quyền ghi"))
        print(f"Lỗi đọc/ghi tệp{where}: {cause} — {hint}; kết quả cũ (nếu có) được giữ nguyên.", file=sys.stderr)
    except MkDocsException as error:     # mkdocs.yml itself (unknown plugin, YAML error…): MkDocs says it in English
        print(f"mkdocs.yml có lỗi cấu hình, chưa dựng được gì: {error} — sửa mkdocs.yml theo thông báo trên "
              "(bản trong kho là mẫu đúng) rồi chạy lại.", file=sys.stderr)
    except KeyboardInterrupt:
        print("Đã dừng; kết quả cũ (nếu có) được giữ nguyên.", file=sys.stderr)
        return 130
    return 1


# What the operating system says, in Vietnamese, with what to do about it.
_OS_ERRORS = {
    errno.ENAMETOOLONG: ("tên tệp hoặc thư mục quá dài", "chọn tên ngắn hơn"),
    errno.EEXIST: ("đã có một tệp ở chỗ cần tạo thư mục", "chọn đường dẫn khác, hoặc đổi tên tệp đó"),
    errno.ENOTDIR: ("một phần của đường dẫn là tệp, không phải thư mục", "kiểm tra lại đường dẫn"),
    errno.EISDIR: ("đây là một thư mục, không phải tệp", "kiểm tra lại đường dẫn"),
    errno.ENOENT: ("không có tệp hoặc thư mục này", "kiểm tra lại đường dẫn (và -C: thư mục dự án có mkdocs.yml)"),
    errno.EACCES: ("không có quyền đọc/ghi", "kiểm tra quyền của thư mục"),
    errno.EPERM: ("không được phép đọc/ghi", "kiểm tra quyền của thư mục"),
    errno.EROFS: ("ổ đĩa chỉ cho đọc", "chọn thư mục trên ổ ghi được"),
    errno.ENOSPC: ("hết chỗ trống trên đĩa", "giải phóng chỗ trống rồi chạy lại"),
    errno.EDQUOT: ("hết hạn mức dung lượng trên đĩa", "giải phóng chỗ trống rồi chạy lại"),
    errno.EFBIG: ("tệp vượt quá kích thước được phép ghi", "kiểm tra giới hạn kích thước tệp của hệ thống"),
}


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its headings, -h and error line in Vietnamese (editors read --help)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{**kwargs, "add_help": False, "formatter_class": _Formatter})
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str):
        for english, vietnamese in _ARGPARSE_MESSAGES:
            message = re.sub(english, vietnamese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {message}\n")


# argparse's own error messages (Python 3.11–3.13 wording), in Vietnamese.
_ARGPARSE_MESSAGES = [
    (r"^argument ([^:]+): ", r"tham số \1: "),
    (r"invalid choice: (.+?) \(choose from (.+)\)$", r"không có lựa chọn \1 (chọn một trong: \2)"),
    (r"^the following arguments are required: ", "thiếu tham số: "),
    (r"^unrecognized arguments: ", "không hiểu tham số: "),
    (r"expected one argument$", "cần một giá trị"),
    (r"invalid (\w+) value: ", r"giá trị không hợp lệ: "),
]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="handbook", description="Sổ tay công tác xây dựng Đảng: kiểm tra dữ liệu, "
                                     "dựng trang web.")
    parser.add_argument("-C", "--root", type=Path, default=Path("."),
                        help="thư mục dự án (chứa mkdocs.yml và data/); mặc định: thư mục hiện tại")
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH", title="các lệnh")

    check = commands.add_parser("validate", help="kiểm tra toàn bộ dữ liệu trong data/",
                                description="Kiểm tra mọi bản ghi trong data/, in mọi lỗi kèm vị trí và cách sửa.")
    check.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    check.add_argument("--format", choices=("human", "github", "json"), default="human",
                       help="human: để đọc (mặc định); github: chú thích trên từng dòng của pull request; "
                            "json: cho công cụ khác")
    check.set_defaults(handler=_validate)

    build = commands.add_parser("build", help="kiểm tra dữ liệu rồi dựng trang web vào site/",
                                description="Kiểm tra dữ liệu rồi dựng trang web. Nếu có lỗi, thư mục site/ cũ "
                                            "được giữ nguyên.")
    build.add_argument("--strict", action="store_true", help="dừng nếu có bất kỳ cảnh báo nào")
    build.add_argument("-d", "--site-dir", type=Path, default=None, help="thư mục kết quả; mặc định: site/")
    build.set_defaults(handler=_build)

    bundle = commands.add_parser("bundle", help="đóng gói bản ngoại tuyến (.zip) của cả sổ tay hoặc một khóa học",
                                 description="Dựng bản sao ngoại tuyến của cả sổ tay, hoặc của một khóa học trong "
                                             "data/courses/, rồi nén thành một tệp .zip. Học viên giải nén và mở "
                                             "index.html bằng trình duyệt, không cần mạng.")
    _course_options(bundle, "đóng gói", "tệp .zip kết quả; mặc định: so-tay-offline.zip hoặc khoa-hoc-<mã>.zip")
    bundle.set_defaults(handler=_bundle)

    zim = commands.add_parser("zim", help="ghi cả sổ tay hoặc một khóa học thành tệp .zim để đọc bằng Kiwix",
                              description="Dựng các trang của bản ngoại tuyến rồi ghi thành một tệp .zim: học viên "
                                          "mở bằng ứng dụng Kiwix trên điện thoại hoặc máy tính, không cần mạng.")
    _course_options(zim, "ghi", "tệp .zim kết quả; mặc định: so-tay-offline.zim hoặc khoa-hoc-<mã>.zim")
    zim.set_defaults(handler=_zim)

    printed = commands.add_parser("print", help="in một khóa học (hoặc cả sổ tay) thành một tệp PDF",
                                  description="Dàn trang một khóa học trong data/courses/, hoặc cả sổ tay, thành "
                                              "một tệp PDF khổ A4 để in: bìa, mục lục có số trang, mục tiêu, "
                                              "các bài đọc kèm câu hỏi thảo luận, nguồn và chữ viết tắt.")
    _course_options(printed, "in", "tệp .pdf kết quả; mặc định: so-tay.pdf hoặc khoa-hoc-<mã>.pdf")
    printed.set_defaults(handler=_print)

    serve = commands.add_parser("serve", help="xem trước trang web, tự cập nhật khi sửa data/ hoặc content/",
                                description="Chạy máy chủ xem trước; sửa tệp trong data/ hoặc content/ là "
                                            "trang tự dựng lại.")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000",
                       help="địa chỉ:cổng, chỉ địa chỉ nội bộ của máy này; mặc định 127.0.0.1:8000")
    serve.add_argument("--cms", action="store_true",
                       help="chạy cả máy chủ cục bộ của trình biên tập bằng biểu mẫu (/admin/, ghi vào kho git này)")
    serve.set_defaults(handler=_serve)

    local = commands.add_parser("cms-local", help="máy chủ cục bộ của trình biên tập bằng biểu mẫu (decap-server)",
                                description="Chạy decap-server trên kho git này, chỉ trả lời các trang của sổ tay mở "
                                            "trên chính máy này (http://127.0.0.1:…/admin/).")
    local.add_argument("-a", "--addr", default="127.0.0.1:8081", help="địa chỉ:cổng; mặc định 127.0.0.1:8081")
    local.set_defaults(handler=_cms_local)

    render = commands.add_parser("render", help="ghi các trang Markdown sinh từ dữ liệu ra một thư mục",
                                 description="Ghi các trang Markdown sinh từ dữ liệu ra thư mục (để dùng với "
                                             "công cụ dựng trang khác, hoặc để xem).")
    render.add_argument("-o", "--out", type=Path, required=True, help="thư mục đích")
    render.set_defaults(handler=_render)

    links = commands.add_parser("check-links", help="kiểm tra mọi liên kết nội bộ trong trang đã dựng",
                                description="Kiểm tra mọi liên kết và tệp mà các trang HTML đã dựng trỏ tới.")
    links.add_argument("site_dir", nargs="?", type=Path, default=None, help="thư mục trang đã dựng; mặc định: site/")
    links.set_defaults(handler=_check_links)

    new = commands.add_parser("new", help="tạo tệp bản ghi mới theo mẫu, có chú thích từng trường",
                              description="Tạo tệp data/<loại>/<mã>.yaml với mã hợp lệ và chú thích cho mọi trường.")
    new.add_argument("kind", choices=list(KINDS), help="loại bản ghi")
    new.add_argument("name", help='tên, tiêu đề hoặc chữ viết tắt, ví dụ "Chi bộ bốn tốt"')
    new.add_argument("--id", dest="record_id", help="mã định danh; mặc định: tên viết không dấu, nối bằng gạch ngang")
    new.set_defaults(handler=_new)

    fmt = commands.add_parser("fmt", help="viết lại tệp bản ghi theo bố cục chuẩn (không đổi nội dung)",
                              description="Viết mọi tệp bản ghi theo một bố cục: thứ tự trường theo lược đồ, "
                                          "ngoặc kép khi cần, mỗi giá trị một dòng, chú thích ở đầu tệp. "
                                          "Giá trị không đổi; biểu mẫu /admin/ cũng ghi đúng bố cục này.")
    fmt.add_argument("paths", nargs="*", type=Path, metavar="ĐƯỜNG_DẪN",
                     help="tệp .yaml hoặc thư mục; mặc định: data/")
    fmt.add_argument("--check", action="store_true",
                     help="chỉ kiểm tra, không ghi; thoát với mã 1 nếu có tệp chưa đúng bố cục")
    fmt.add_argument("--diff", action="store_true", help="với --check: in phần khác nhau của từng tệp")
    fmt.add_argument("--format", choices=("human", "github"), default="human",
                     help="github: thêm chú thích trên dòng của pull request")
    fmt.set_defaults(handler=_fmt)

    schemas = commands.add_parser("schemas", help="sinh lại JSON Schema cho trình soạn thảo (VS Code)",
                                  description="Ghi generator/schemas/*.schema.json, .vscode/settings.json, "
                                              "generator/cms/config.yml và .pre-commit-config.yaml "
                                              "từ lược đồ dữ liệu. Dành cho người phát triển.")
    schemas.set_defaults(handler=_schemas)

    return parser


def _course_options(command: argparse.ArgumentParser, verb: str, out_help: str) -> None:
    """`bundle` and `print`: the whole handbook or one course, into one file."""
    command.add_argument("--course", metavar="data/courses/<mã>.yaml",
                         help=f"chỉ {verb} khóa học này (đường dẫn tệp hoặc mã khóa học)")
    command.add_argument("-o", "--out", type=Path, default=None, help=out_help)
    command.add_argument("--strict", action="store_true", help="dừng nếu có bất kỳ cảnh báo nào")


def _check(project: Project, strict: bool, style: str = "human", render: bool = True) -> Result | None:
    """Run the pipeline and print its problems; None if the data cannot be used."""
    started = time.perf_counter()
    # validate alone needs no pages; it is run often, so it keeps parsed files in .cache/handbook/
    cache = ParseCache.of_project(project.root) if not render else None
    result = run(project, render_pages=render, cache=cache)
    if style == "json":
        print(as_json([p.as_dict() for p in result.problems]))
    shown, omitted = capped(result.problems) if style != "json" else ([], [])
    for problem in shown:
        if style == "github":
            command(problem.github())
        print(_format(problem, project.root), file=sys.stderr)
    for cut in omitted:
        if style == "github":       # the pull request says so too, not only the log
            command(Problem(cut.path or "data", 1, 1, cut.code, cut.message(), "`handbook validate --format json` in đủ",
                            WARNING).github())
        print(f"{cut.path + ': ' if cut.path else ''}{cut.message()}; `--format json` in đủ.", file=sys.stderr)
    errors = sum(p.is_error for p in result.problems)
    warnings = len(result.problems) - errors
    records = result.records
    if errors or (strict and warnings):
        print(f"Có {errors} lỗi, {warnings} cảnh báo. Sửa theo gợi ý sau dấu — rồi chạy lại.", file=sys.stderr)
        return None
    took = time.perf_counter() - started
    pages = f", {len(result.pages)} trang" if render else ""
    print(f"Dữ liệu hợp lệ: {records} bản ghi{pages}"
          + (f", {warnings} cảnh báo" if warnings else "") + f" ({took:.1f} giây).", file=sys.stderr)
    return result


def _format(problem: Problem, root: Path) -> str:
    """The problem, then the line it points at, with a caret under the column."""
    text = problem.format()
    line = quoted_line(root / problem.path, problem.line)
    if line is None:
        return text
    start = max(0, problem.col - 60)       # long lines: show the part around the column
    shown = ("…" if start else "") + escaped(line[start:start + 100]) + ("…" if len(line) > start + 100 else "")
    caret = len(escaped(line[start:problem.col - 1])) + (1 if start else 0)    # an escape is wider
    gutter = f"{problem.line:>5} | "
    return f"{text}\n{gutter}{shown}\n{' ' * (len(gutter) - 2)}| {' ' * caret}^"


def _abort_reason(error: Exception) -> str:
    """MkDocs' closing line ("Aborted with a BuildError!") in Vietnamese; the cause is logged above it."""
    text = str(error)
    match = re.search(r"Aborted with (\d+) warnings? in strict mode", text)
    if match:
        return f"{match.group(1)} cảnh báo ở chế độ --strict (xem các dòng ở trên)"
    if "configuration error" in text:
        return "mkdocs.yml có lỗi cấu hình (xem các dòng ở trên)"
    if text.startswith("Aborted with"):
        return "lỗi khi dựng trang (xem các dòng ở trên)"
    return text


def _validate(args: argparse.Namespace) -> int:
    return 0 if _check(args.project, args.strict, args.format, render=False) else 1


def _build(args: argparse.Namespace) -> int:
    from .build import build_site

    result = _check(args.project, args.strict)
    if result is None:
        return 1
    _mkdocs_logging()
    site_dir = args.site_dir or args.project.site
    print(f"Đang dựng trang web vào {site_dir}/ …", file=sys.stderr)
    started = time.perf_counter()
    try:
        build_site(args.project, site_dir, strict=args.strict, result=result)
    except MkDocsException as error:
        print(f"Dựng trang thất bại, {site_dir}/ cũ được giữ nguyên: {_abort_reason(error)}", file=sys.stderr)
        return 1
    print(f"Xong sau {time.perf_counter() - started:.1f} giây: {site_dir}/. Xem thử bằng `handbook serve`.",
          file=sys.stderr)
    return 0


def _bundle(args: argparse.Namespace) -> int:
    from .bundle import BundleError, bundle
    from .courses import CourseError

    return _offline(args, bundle, (BundleError, CourseError), "Không đóng gói được", "Dựng bản ngoại tuyến thất bại",
                    "Giải nén rồi mở index.html bằng trình duyệt, không cần mạng.")


def _zim(args: argparse.Namespace) -> int:
    from .bundle import BundleError
    from .zim import ZimError, write_zim

    return _offline(args, write_zim, (ZimError, BundleError), "Không ghi được tệp ZIM", "Dựng các trang thất bại",
                    "Mở bằng ứng dụng Kiwix (điện thoại hoặc máy tính), không cần mạng.")


def _offline(args: argparse.Namespace, make, refusals: tuple, refused: str, failed: str, then: str) -> int:
    """`bundle` and `zim`: check the data, write one file of the whole handbook or a course, say how it went."""
    from .outputs import describe_size

    result = _check(args.project, args.strict)
    if result is None:
        return 1
    _mkdocs_logging()
    started = time.perf_counter()
    try:
        summary = make(args.project, result, args.out, course=args.course, strict=args.strict,
                       progress=lambda message: print(message, file=sys.stderr))
    except refusals as error:
        print(f"{refused}: {error}", file=sys.stderr)
        return 1
    except MkDocsException as error:
        print(f"{failed}, chưa ghi tệp nào: {error}", file=sys.stderr)
        return 1
    print(f"Xong sau {time.perf_counter() - started:.1f} giây: {summary.path} — {describe_size(summary.size)}, "
          f"{summary.pages} trang. {then}", file=sys.stderr)
    return 0


def _print(args: argparse.Namespace) -> int:
    from .outputs import describe_size
    from .pdf import PrintError, print_pack

    result = _check(args.project, args.strict)
    if result is None:
        return 1
    started = time.perf_counter()
    try:
        summary = print_pack(args.project, result, args.out, course=args.course,
                             progress=lambda message: print(message, file=sys.stderr))
    except PrintError as error:
        print(f"Không in được, chưa ghi tệp nào: {error}", file=sys.stderr)
        return 1
    print(f"Xong sau {time.perf_counter() - started:.1f} giây: {summary.path} — {describe_size(summary.size)}, "
          f"{summary.pages} trang A4.", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .engine import LOGGER, serve

    from . import live

    try:    # before building: a busy port or an address others can reach is said at once
        host, port = live.check_address(args.dev_addr)
    except live.ServeError as error:
        print(f"Không chạy được bản xem trước: {error}.", file=sys.stderr)
        return 1
    if args.cms:
        backend = _start_backend(args.root)
        if backend is None:
            return 1
        live.api_backend = backend
        os.environ["HANDBOOK_CMS_LOCAL"] = f"http://{'localhost' if host == 'localhost' else '127.0.0.1'}:{port}/api/v1"
    _mkdocs_logging(logging.INFO)
    # Dirty builds: the handbook plugin tells MkDocs which pages an edit changed (see plugin.py),
    # and keeps the search index whole; MkDocs' warning about dirty builds does not apply.
    logging.getLogger(f"{LOGGER}.commands.build").addFilter(
        lambda record: "'dirty' build" not in str(record.msg))
    try:
        serve(str(args.project.config_file), dev_addr=args.dev_addr, livereload=True, build_type="dirty")
    finally:
        if args.cms:
            backend.stop()
    return 0


def _start_backend(root: Path):
    """decap-server on this working copy, behind the handbook (local_server.py); None if it cannot start."""
    from . import cms
    from .local_server import BackendError, DecapBackend

    missing = _backend_missing(root)
    if missing:
        print(f"Không chạy được máy chủ cục bộ của trình biên tập: {missing}", file=sys.stderr)
        return None
    # A terminated command stops decap-server with it (the finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    try:
        backend = DecapBackend(root.resolve(), cms.decap_server())
        backend.wait_ready()
    except BackendError as error:
        print(f"Không chạy được máy chủ cục bộ của trình biên tập: {error}", file=sys.stderr)
        return None
    return backend


def _backend_missing(root: Path) -> str | None:
    from . import cms

    if not cms.decap_server().is_file():
        return "chưa cài decap-server; chạy `python -m generator.cms --server` (cần npm) rồi chạy lại."
    if not (root / ".git").exists():
        return f"{root.resolve()} không phải một kho git (mỗi thay đổi qua biểu mẫu được lưu thành một nhánh git)."
    return None


def _cms_local(args: argparse.Namespace) -> int:
    from . import cms, live
    from .local_server import BackendError, serve_backend

    try:
        host, port = live.check_address(args.addr)
    except live.ServeError as error:
        print(f"Không chạy được máy chủ cục bộ của trình biên tập: {error}.", file=sys.stderr)
        return 1
    missing = _backend_missing(args.root)
    if missing:
        print(f"Không chạy được máy chủ cục bộ của trình biên tập: {missing}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    print(f"Trình biên tập bằng biểu mẫu: máy chủ cục bộ ở http://{host}:{port}/api/v1 (chỉ trả lời trang trên "
          "máy này); Ctrl-C để dừng.", file=sys.stderr)
    try:
        serve_backend(args.root.resolve(), cms.decap_server(), host, port)
    except BackendError as error:
        print(f"Không chạy được máy chủ cục bộ của trình biên tập: {error}", file=sys.stderr)
        return 1
    return 0


def _render(args: argparse.Namespace) -> int:
    from .outputs import check_folder, replace_folder

    check_folder(args.root, args.out, "-o")       # before the work: a wrong -o is said at once
    result = _check(args.project, strict=False)
    if result is None:
        return 1

    def write(folder: Path) -> None:
        for path, text in result.pages.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")

    out = replace_folder(args.root, args.out, "-o", write)
    print(f"Đã ghi {len(result.pages)} trang vào {out}/", file=sys.stderr)
    return 0


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (pytest swaps it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _check_links(args: argparse.Namespace) -> int:
    from .linkcheck import broken_links

    site = args.site_dir or args.project.site
    if not (site / "index.html").is_file():
        print(f"Chưa có trang đã dựng trong {site}/; chạy `handbook build` trước.", file=sys.stderr)
        return 1
    broken = broken_links(site)
    for page, url in broken:
        print(f"{site}/{page}: liên kết hỏng: {url}", file=sys.stderr)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"{len(broken)} liên kết hỏng trong {pages} trang." if broken else
          f"Mọi liên kết nội bộ trong {pages} trang đều dẫn tới đúng chỗ.", file=sys.stderr)
    return 1 if broken else 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import write_new_record

    try:
        path = write_new_record(args.project.data, args.kind, args.name, args.record_id)
    except FileExistsError as error:
        print(f"Đã có tệp {error}; mở tệp đó để sửa, hoặc chọn mã khác bằng --id.", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Không tạo được bản ghi: {error}.", file=sys.stderr)
        return 1
    print(f"Đã tạo {path}. Điền các trường bắt buộc rồi chạy `handbook validate`.", file=sys.stderr)
    return 0


def _fmt(args: argparse.Namespace) -> int:
    from . import fmt

    paths = [p if p.is_absolute() or p.exists() else args.root / p for p in args.paths] or [args.project.data]
    files, problems = fmt.record_files(args.root, paths)
    unformatted, refused, written = [], list(problems), []
    for path, kind in files:
        result = fmt.format_file(args.root, path, kind)
        refused += result.problems
        if result.text is None or not result.changed:
            continue
        if args.check:
            old = path.read_bytes().decode("utf-8")
            unformatted.append(fmt.layout_problem(result.path, old, result.text))
            if args.diff:
                print(fmt.diff(result.path, old, result.text), end="")
        else:
            fmt.write(path, result.text)
            written.append(result.path)
    for problem in refused + unformatted:
        if args.format == "github":
            command(problem.github())
        print(problem.format(), file=sys.stderr)
    for path in written:
        print(f"Đã định dạng {path}", file=sys.stderr)
    checked = len(files)
    if refused:
        print(f"{len({p.path for p in refused})} tệp không định dạng được (xem lỗi ở trên); các tệp đó được giữ nguyên.",
              file=sys.stderr)
    if unformatted:
        print(f"{len(unformatted)}/{checked} tệp chưa đúng bố cục chuẩn: "
              + ", ".join(p.path for p in unformatted) + ". Chạy `handbook fmt` (hoặc `pre-commit run`) "
              "để sửa; nội dung không đổi.", file=sys.stderr)
    elif not refused:
        print(f"{checked} tệp: " + (f"đã định dạng {len(written)} tệp." if written else "đều đúng bố cục chuẩn."),
              file=sys.stderr)
    return 1 if refused or unformatted else 0


def _schemas(args: argparse.Namespace) -> int:
    """Developers' command: the JSON Schemas of the project at -C, and its VS Code settings."""
    from .cms_config import write_cms_config
    from .editor_schema import pre_commit_config, vscode_settings, write_json_schemas
    from .outputs import regular_or_new, write_file

    folder = args.root / "generator" / "schemas"
    if not folder.is_dir():
        raise OutputError(f"không có thư mục {folder}; chạy lệnh trong thư mục dự án (hoặc dùng -C)")
    # The editor's settings first: nothing is written if they cannot be kept.
    settings = regular_or_new(args.root / ".vscode" / "settings.json")
    try:    # other settings of the editor's own are kept
        current = json.loads(settings.read_text(encoding="utf-8")) if settings.exists() else {}
    except (ValueError, UnicodeDecodeError):
        raise OutputError(f"{settings} không đọc được dạng JSON (có chú thích // hoặc dấu phẩy thừa?); thêm tay "
                          "mục \"yaml.schemas\" theo README, hoặc xóa tệp rồi chạy lại") from None
    current = current if isinstance(current, dict) else {}
    cms_config = regular_or_new(args.root / "generator" / "cms" / "config.yml")
    pre_commit = regular_or_new(args.root / ".pre-commit-config.yaml")
    write_file(pre_commit, pre_commit_config())
    for path in [*write_json_schemas(folder), write_cms_config(cms_config), pre_commit]:
        print(f"Đã ghi {path}", file=sys.stderr)
    write_file(settings, json.dumps({**current, **vscode_settings()}, ensure_ascii=False, indent=2) + "\n")
    print(f"Đã ghi {settings}", file=sys.stderr)
    return 0


def _mkdocs_logging(level: int = logging.WARNING) -> None:
    from .engine import LOGGER

    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        logger.addHandler(_StderrHandler())
    logger.setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
