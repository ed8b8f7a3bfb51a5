"""A small programmable HTTP server on 127.0.0.1 that fake platforms are built on.

Routes map (method, path regex) to a handler ``(request) -> Response``. Every request is recorded,
and faults can be queued to hit the next matching requests (429 with headers, 5xx, timeouts, bad bodies),
or drawn per request by a ``schedule`` (a callable: request -> Fault or None), e.g. a seeded random one.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request as the fake server saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    match: re.Match[str] | None = None

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        """The body decoded as a urlencoded form."""
        return {k: v[-1] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Response:
    """What a handler answers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    delay: float = 0.0
    truncate: bool = False  # announce the whole body's length, send half of it, then hang up


def json_response(body: Any, status: int = 200, **headers: str) -> Response:
    """A JSON response."""
    return Response(status=status, body=body, headers=headers)


Handler = Callable[[Request], Response]


@dataclass
class Fault:
    """A canned failure for the next ``times`` requests whose path matches ``pattern``."""

    pattern: str
    response: Response
    times: int = 1
    after_handler: bool = False  # run the real handler first (the platform did the work), then fail


class FakeServer:
    """A threaded HTTP server on a free loopback port; use as a context manager."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.schedule: Callable[[Request], Fault | None] | None = None  # asked when no queued fault applies
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's root URL, without a trailing slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Answer ``method`` requests whose path fully matches ``pattern`` with ``handler``."""
        self.routes.append((method.upper(), re.compile(pattern), handler))

    def fail_next(
        self, pattern: str, response: Response, times: int = 1, after_handler: bool = False
    ) -> None:
        """Make the next ``times`` requests to paths matching ``pattern`` answer ``response`` instead."""
        with self._lock:
            self.faults.append(Fault(pattern, response, times, after_handler))

    def calls(self, method: str | None = None, pattern: str = ".*") -> list[Request]:
        """Recorded requests, optionally filtered by method and path regex."""
        regex = re.compile(pattern)
        return [
            r for r in self.requests if (method is None or r.method == method) and regex.fullmatch(r.path)
        ]

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and re.fullmatch(fault.pattern, path):
                    fault.times -= 1
                    return fault
        return None

    def dispatch(self, request: Request) -> Response:
        """Find the route for ``request`` and answer it, applying any queued fault."""
        with self._lock:
            self.requests.append(request)
        fault = self._take_fault(request.path)
        if fault is None and self.schedule is not None:
            fault = self.schedule(request)
        if fault and not fault.after_handler:
            return fault.response
        response = self._route(request)
        return fault.response if fault else response

    def _route(self, request: Request) -> Response:
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if method == request.method and match:
                request.match = match
                return handler(request)
        return json_response(
            {"error": {"code": 404, "message": f"no route {request.method} {request.path}"}}, 404
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                request = Request(self.command, parts.path, query, dict(self.headers.items()), body)
                response = server.dispatch(request)
                if response.delay:
                    time.sleep(response.delay)
                try:
                    self._answer(response)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout) first
                    self.close_connection = True

            def _answer(self, response: Response) -> None:
                payload = response.raw if response.raw is not None else json.dumps(response.body).encode()
                self.send_response(response.status)
                if response.raw is None:
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                for key, value in response.headers.items():
                    self.send_header(key.replace("_", "-"), value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if response.truncate:
                    payload, self.close_connection = payload[: len(payload) // 2], True
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        return _Handler
