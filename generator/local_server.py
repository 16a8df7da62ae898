"""Servers on the editor's machine answer only the editor's own pages.

A web page elsewhere can reach a server on 127.0.0.1 two ways: by sending the
browser to it (a cross-origin request: the browser sends the page's Origin),
or by DNS rebinding (a name of the attacker's that now resolves to 127.0.0.1:
the browser sends that name as Host). The form editor's local backend,
decap-server, checks neither, and it writes into the repository: one request
rewrote `.git/config` with a command git later ran. So:

- decap-server listens on a Unix socket in a private folder (no web page
  can open it; `cms/unix-socket.js`), started by the handbook;
- the handbook answers the browser, on 127.0.0.1 only, and forwards a
  request only if its Host is a loopback name with this server's port and, for
  anything but a read, its Origin (if sent) is a page on this machine;
- `handbook serve` applies the same rule to its own pages (`guard`).
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
READS = ("GET", "HEAD", "OPTIONS")
API_PATH = "/api/v1"
PRELOAD = Path(__file__).parent / "cms" / "unix-socket.js"
REFUSED_PAGE = ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Từ chối</title>"
                "<p>Máy chủ xem trước chỉ trả lời các trang mở từ chính máy này "
                "(http://127.0.0.1:{port}/). {why}</p></html>").format


def loopback_host(host: str) -> bool:
    """Whether an address to listen on is this machine only, and one the Host rule answers: a
    server on 127.0.0.2 would be loopback too, but refuse every request (its Host is none of ours)."""
    return host.lower() in {name.strip("[]") for name in LOOPBACK_NAMES} | set(LOOPBACK_NAMES)


def refusal(method: str, host: str | None, origin: str | None, port: int, same_port_only: bool = True) -> str | None:
    """Why a request must be refused (in Vietnamese), or None.

    Host must be a loopback name with `port` (a rebinding page sends its own name). A write
    (anything but GET, HEAD, OPTIONS) that says where it comes from must come from a page on
    this machine: with `same_port_only`, this very server (same origin); else any loopback port
    (the handbook's pages on another local server calling the form editor's backend)."""
    if (host or "").lower() not in {f"{name}:{port}" for name in LOOPBACK_NAMES} | \
            ({*LOOPBACK_NAMES} if port == 80 else set()):
        return "Yêu cầu gửi tới một tên máy khác (Host không phải 127.0.0.1 hay localhost với đúng cổng)."
    if method.upper() in READS or origin is None or _local_origin(origin, port, same_port_only):
        return None
    return "Yêu cầu ghi đến từ một trang web khác (Origin), không phải trang của sổ tay trên máy này."


def _local_origin(origin: str, port: int, same_port_only: bool) -> bool:
    parts = urlsplit(origin)
    try:
        origin_port = parts.port or 80
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1") and \
        (not same_port_only or origin_port == port)


def guard(app, port: int, *, same_port_only: bool = True, forward=None):
    """A WSGI app that refuses, with 403, what `refusal` refuses, and hands /api/v1 to `forward`
    (the form editor's backend) if given, everything else to `app`."""
    def guarded(environ, start_response):
        why = refusal(environ.get("REQUEST_METHOD", "GET"), environ.get("HTTP_HOST"), environ.get("HTTP_ORIGIN"),
                      port, same_port_only)
        if why is not None:
            body = REFUSED_PAGE(port=port, why=why).encode("utf-8")
            start_response("403 Forbidden", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(body)))])
            return [body]
        if forward is not None and environ.get("PATH_INFO", "").rstrip("/") == API_PATH:
            return forward(environ, start_response)
        return app(environ, start_response)
    return guarded


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class DecapBackend:
    """decap-server in git mode on a working copy, on a Unix socket only the handbook talks to."""

    def __init__(self, repository: Path, server_script: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="handbook-cms-"))     # mode 700: this user only
        self.socket = str(self.folder / "decap.sock")
        node = shutil.which("node")
        if node is None:
            raise BackendError("không tìm thấy node (Node.js), cần để chạy decap-server")
        self.process = subprocess.Popen(
            [node, "--require", str(PRELOAD), str(server_script)], cwd=self.folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env={**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(repository),
                 "HANDBOOK_DECAP_SOCKET": self.socket, "PORT": "0"})

    def wait_ready(self, seconds: float = 60) -> None:
        """Until decap-server answers on its socket (a generous ceiling: node starts slowly on a busy machine)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                detail = self.process.stderr.read().decode("utf-8", "replace")[-800:] if self.process.stderr else ""
                self.stop()
                raise BackendError(f"decap-server dừng ngay khi khởi động (kho git hợp lệ chưa?): {detail}")
            if os.path.exists(self.socket):
                return
            time.sleep(0.1)
        self.stop()
        raise BackendError("decap-server không khởi động được sau một phút")

    def forward(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {name[5:].replace("_", "-").title(): value for name, value in environ.items()
                   if name.startswith("HTTP_") and name not in ("HTTP_HOST", "HTTP_CONNECTION")}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        connection = _UnixConnection(self.socket, timeout=120)
        try:
            connection.request(environ["REQUEST_METHOD"], API_PATH, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except OSError:
            start_response("502 Bad Gateway", [("Content-Type", "text/plain; charset=utf-8")])
            return ["decap-server không trả lời.".encode("utf-8")]
        finally:
            connection.close()
        kept = [(name, value) for name, value in response.getheaders()
                if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length")]
        start_response(f"{response.status} {response.reason}", kept + [("Content-Length", str(len(data)))])
        return [data]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class BackendError(Exception):
    """The form editor's backend cannot start; the message is for the editor."""


def _not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
    return ["Chỉ có /api/v1 (máy chủ cục bộ của trình biên tập bằng biểu mẫu).".encode("utf-8")]


def serve_backend(repository: Path, server_script: Path, host: str, port: int,
                  ready: threading.Event | None = None, stop: threading.Event | None = None) -> None:
    """`handbook cms-local`: the form editor's backend for the handbook's pages on this machine."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format, *args) -> None:
            pass

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    backend = DecapBackend(repository, server_script)
    try:
        backend.wait_ready()
        app = guard(_not_found, port, same_port_only=False, forward=backend.forward)
        with make_server(host, port, app, server_class=Server, handler_class=Quiet) as server:
            if ready is not None:
                ready.set()
            if stop is not None:
                threading.Thread(target=lambda: (stop.wait(), server.shutdown()), daemon=True).start()
            server.serve_forever(poll_interval=0.2)
    finally:
        backend.stop()
