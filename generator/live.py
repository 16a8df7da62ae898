"""`handbook serve` in the field: it keeps serving whatever happens to the files it shows.

MkDocs' live server, left alone, stops updating when `data/` is replaced (a
`git checkout` of another branch, the folder moved away and back: the
system's watch followed the old folder), answers no request again after a
rebuild fails (an invalid `mkdocs.yml`: requests wait for a build that never
finishes, with an English traceback in the terminal), and finds a busy port
only after a full build. Here: the address is checked before anything is
built; a failed rebuild becomes the page every URL shows, in Vietnamese, until
the next save; `data/` is watched again whenever it reappears; and every
request passes the local-only rule of `local_server.py`.

MkDocs' private attributes are touched only here (`_rebuild_cond`, `_want_rebuild`,
`_watched_paths`, `_watch_refs`, `_inject_js_into_html`, `_visible_epoch`); tests/test_live.py checks
them on the engines the locks allow.
"""

from __future__ import annotations

import errno
import html
import logging
import os
import socket
import threading
from pathlib import Path

from .engine import LOGGER
from .local_server import guard, loopback_host

log = logging.getLogger(f"{LOGGER}.plugins.handbook")

#: The form editor's backend (local_server.DecapBackend) to answer /api/v1 (set by `handbook serve --cms`).
api_backend = None


class ServeError(Exception):
    """The preview cannot start; the message is for the editor."""


def check_address(address: str) -> tuple[str, int]:
    """The host and port to serve on, if this machine alone can reach them and the port is free."""
    host, _, port_text = address.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ServeError(f"địa chỉ {address} không hợp lệ; ghi dạng 127.0.0.1:8000")
    if not loopback_host(host):
        raise ServeError(f"{host} không phải địa chỉ nội bộ của máy này: bản xem trước (và trình biên tập bằng biểu "
                         "mẫu) ghi được vào kho, nên chỉ mở cho chính máy này; dùng 127.0.0.1")
    port = int(port_text)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)    # as the server itself binds
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServeError(f"cổng {port} đang được một chương trình khác dùng (có thể là một `handbook serve` "
                                 f"khác); tắt chương trình đó, hoặc chọn cổng khác: -a 127.0.0.1:{port + 1}") from None
            raise ServeError(f"không mở được {host}:{port}: {error.strerror}") from None
    return host, port


def keep_serving(server, data_dir: Path) -> None:
    """Under `handbook serve` (the plugin's on_serve): data/ is watched (by the system's notices where
    it has them), failed rebuilds become a page, data/ is watched again when it reappears, requests
    from elsewhere are refused."""
    server.watch(str(data_dir))
    _notified_not_polled(server)
    failure = _Failure(server, Path(data_dir))
    server.builder = failure.guarded(server.builder)
    forward = api_backend.forward if api_backend else None
    server.set_app(guard(failure.app(_no_reload_script_in_admin(server, server.get_app())),
                         server.server_address[1], forward=forward))
    _watch_again_when_replaced(server, data_dir)


_in_admin = threading.local()


def _no_reload_script_in_admin(server, app):
    """The form editor's page (/admin/) as built: its policy forbids inline scripts (cms.admin_policy),
    so MkDocs' reload script, written into every page served, would only be refused there, with an
    error in the console at every load (and the form keeps its own state: it is not reloaded)."""
    inject = server._inject_js_into_html

    def injector(content, epoch):
        return content if getattr(_in_admin, "path", False) else inject(content, epoch)

    def answer(environ, start_response):
        _in_admin.path = environ.get("PATH_INFO", "").startswith(server.mount_path + "admin/")
        try:
            return app(environ, start_response)
        finally:
            _in_admin.path = False

    server._inject_js_into_html = injector
    return answer


class _Lines(logging.Handler):
    """MkDocs' error lines during one rebuild (its configuration errors are logged, then raised)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class _Failure:
    """The last rebuild's failure, shown for every page until a rebuild succeeds."""

    def __init__(self, server, data_dir: Path) -> None:
        self.server, self.data_dir = server, data_dir
        self.page: bytes | None = None

    def guarded(self, builder):
        def build() -> None:
            lines = _Lines()
            logging.getLogger(LOGGER).addHandler(lines)
            try:
                builder()
            except Exception as error:      # the server goes on: the browsers reload and show the page
                self.page = failure_page(error, lines.lines, self.data_dir)
                log.error("Chưa dựng lại được trang (%s); mọi trang hiện lỗi này cho tới lần lưu sau.",
                          _summary(error, self.data_dir))
            else:
                self.page = None
            finally:
                logging.getLogger(LOGGER).removeHandler(lines)
        return build

    def app(self, app):
        def answer(environ, start_response):
            page, path = self.page, environ.get("PATH_INFO", "")
            if page is None or path.startswith("/livereload/") or not _is_page(path):
                return app(environ, start_response)
            body = self.server._inject_js_into_html(page, self.server._visible_epoch)    # reloads on the next save
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                        ("Content-Length", str(len(body)))])
            return [body]
        return answer


def _is_page(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return not name or name.endswith(".html") or "." not in name


def _summary(error: Exception, data_dir: Path) -> str:
    if not data_dir.is_dir():
        return f"không thấy thư mục {data_dir.name}/"
    return "mkdocs.yml có lỗi cấu hình" if _is_config_error(error) else "lỗi khi dựng trang"


MISSING_DATA = "Không thấy thư mục data/"


def _is_config_error(error: Exception) -> bool:
    from .engine import ConfigurationError
    return isinstance(error, ConfigurationError) or "configuration error" in str(error)


def failure_page(error: Exception, details: list[str], data_dir: Path) -> bytes:
    """The page every URL shows after a failed rebuild: what failed, in Vietnamese, and MkDocs' own words."""
    if not data_dir.is_dir():       # mkdocs.yml watches it: MkDocs calls its absence a configuration error
        title = MISSING_DATA
        advice = (f"Thư mục dữ liệu {data_dir.name}/ vừa bị xóa, đổi tên hoặc chuyển đi (đang đổi nhánh git?). "
                  "Trang tự cập nhật khi thư mục trở lại.")
        return _page(title, advice, "")
    elif _is_config_error(error):
        title = "mkdocs.yml có lỗi cấu hình"
        advice = ("Trang web chưa dựng lại được vì tệp cấu hình mkdocs.yml sai. Sửa theo thông báo dưới đây "
                  "(bản mkdocs.yml trong kho là mẫu đúng) rồi lưu tệp: trang này tự tải lại.")
    else:
        title = "Chưa dựng lại được trang"
        advice = "Lần dựng trang vừa rồi thất bại. Sửa theo thông báo dưới đây rồi lưu tệp: trang này tự tải lại."
    said = "\n".join([*details, str(error)][-12:])[:4000]
    return _page(title, advice, f"<p>MkDocs báo (tiếng Anh):</p>\n<pre>{html.escape(said)}</pre>\n")


def _page(title: str, advice: str, more: str) -> bytes:
    return (f"<!doctype html>\n<html lang=\"vi\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n"
            f"<body>\n<h1>{title}</h1>\n<p>{advice}</p>\n{more}</body>\n</html>\n").encode("utf-8")


def _watch_again_when_replaced(server, data_dir: Path) -> None:
    """Watch data/ anew whenever it is created, moved in or deleted, and rebuild.

    The system watches a folder, not a name: once data/ is replaced (git checkout, moved away
    and back) the old watch sees nothing of the new folder. Its parent is watched, not
    recursively, for that one name."""
    from watchdog.events import FileSystemEventHandler

    folder = os.path.abspath(data_dir)
    lock = threading.Lock()

    def again(event) -> None:
        paths = {getattr(event, "src_path", None), getattr(event, "dest_path", None)}
        if folder not in {os.path.abspath(p) for p in paths if p}:
            return
        with lock:
            try:
                server.unwatch(folder)
            except Exception:       # the system dropped the watch of a deleted folder itself
                server._watched_paths.pop(folder, None)
                server._watch_refs.pop(folder, None)
            if os.path.isdir(folder):
                server.watch(folder)
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = again
    server.observer.schedule(handler, os.path.dirname(folder), recursive=False)


def _notified_not_polled(server) -> None:
    """Let the system tell the live server about saved files instead of polling them.

    MkDocs' watcher lists and stats every watched file twice a second, in the
    server's own process: at 20k records that scan held the interpreter for
    a good part of each rebuild. Where the system has file notifications
    (inotify), the watched paths move to watchdog's native observer. It runs
    before the server starts its observer; MkDocs keeps the paths in
    `_watched_paths`, and `watch` schedules them again on the new observer.
    """
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return
    watched = getattr(server, "_watched_paths", None)
    refs = getattr(server, "_watch_refs", None)
    if Observer is PollingObserver or not isinstance(watched, dict) or not isinstance(refs, dict) \
            or server.observer.is_alive():
        return
    paths = list(watched)
    server.observer = changes_observer()
    watched.clear()
    refs.clear()
    for path in paths:
        server.watch(path)


def changes_observer():
    """A native file observer that reports changes only.

    inotify also reports a file opened or closed unwritten; MkDocs rebuilds on any
    event, and each rebuild reads the watched files: a read would start a rebuild
    that starts the next, forever.
    """
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
               events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]

    class ChangesOnly(Observer):
        def schedule(self, handler, path, *, recursive=False, event_filter=None, **options):
            return super().schedule(handler, path, recursive=recursive, event_filter=event_filter or changes,
                                    **options)

    return ChangesOnly()
