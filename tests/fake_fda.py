"""A local stand-in for FDA's web servers: scripted replies on 127.0.0.1, every request recorded.

    with FakeFDA() as fda:
        fda.add("/index.html", Reply(body=b"<a href='x.zip'>"))
        fda.add("/x.zip", Reply(status=503), Reply(file=data))   # 503 once, then the file
        ... fda.url + "/x.zip" ...
        fda.seen  # [Seen(method, path, query, headers), ...]

Replies for one target are used in order and the last one repeats. A target is a path, or a path
with its exact query string ("/drug/event.json?search=..."), which wins over the bare path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    file: bytes | None = None  # serve these bytes as a file (Range honoured when `ranges`)
    ranges: bool = True
    cut_after: int | None = None  # announce the full length, send this many bytes, then close
    stall: float = 0.0  # with cut_after: seconds to go silent after those bytes, before closing


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]


class FakeFDA:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"

    def add(self, target: str, *replies: Reply) -> None:
        """Script the replies for `target` (replacing any earlier script)."""
        with self._lock:
            self.routes[target] = list(replies)

    def next_reply(self, path: str, query: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.seen.append(Seen("GET", path, query, headers))
            script = self.routes.get(f"{path}?{query}") or self.routes.get(path)
            if not script:
                return Reply(status=404, body=b"not scripted")
            return script.pop(0) if len(script) > 1 else script[0]

    def queries(self, path: str) -> list[str]:
        """The query strings received for `path`, in order."""
        return [s.query for s in self.seen if s.path == path]

    def start(self) -> FakeFDA:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeFDA:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _file_reply(reply: Reply, range_header: str | None) -> tuple[int, dict[str, str], bytes]:
    data = reply.file or b""
    start = None
    if reply.ranges and range_header and range_header.startswith("bytes="):
        first = range_header[len("bytes=") :].split("-")[0]
        start = int(first) if first.isdigit() else None
    if start is None:
        return 200, {"Accept-Ranges": "bytes"}, data
    if start >= len(data):
        return 416, {"Content-Range": f"bytes */{len(data)}"}, b""
    content_range = f"bytes {start}-{len(data) - 1}/{len(data)}"
    return 206, {"Content-Range": content_range}, data[start:]


def _make_handler(fda: FakeFDA) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            reply = fda.next_reply(path, query, dict(self.headers.items()))
            if reply.delay:
                time.sleep(reply.delay)
            status, headers, body = reply.status, dict(reply.headers), reply.body
            if reply.file is not None:
                status, extra, body = _file_reply(reply, self.headers.get("Range"))
                headers.update(extra)
            sent = body if reply.cut_after is None else body[: reply.cut_after]
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                if reply.cut_after is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(sent)
                self.wfile.flush()
                if reply.cut_after is not None and reply.stall:
                    time.sleep(reply.stall)  # a stalled network: the client's read timeout fires
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to answer
            if reply.cut_after is not None:
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def fake_fda() -> Iterator[FakeFDA]:
    """A running FakeFDA, stopped after the test."""
    with FakeFDA() as fda:
        yield fda
