"""A local website on 127.0.0.1 serving the test pages (and the saved real pages) to the web spiders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fakes.server import FakeServer, Request, Response

PAGES = Path(__file__).resolve().parent
FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "html"
ROBOTS = "User-agent: *\nDisallow: /private/\n"
# Fast but still polite where it matters: robots.txt, AutoThrottle and the caps stay on.
FAST = {"download_delay": 0, "http_cache": False, "log_level": "INFO"}


class Site:
    """Routes paths to page files; ``__BASE__`` and ``__OFFSITE__`` in a page become this site's URLs."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        server.route("GET", "/robots.txt", lambda _: self.text(ROBOTS, "text/plain"))

    @property
    def base(self) -> str:
        """This site's root URL (127.0.0.1)."""
        return self.server.url

    @property
    def offsite(self) -> str:
        """The same server under another host name (localhost): a different domain to the crawler."""
        return self.server.url.replace("127.0.0.1", "localhost")

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this site."""
        return self.base + path

    def page(self, path: str, file: Path | str, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:  # fmt: skip
        """Serve ``file`` (from tests/collectors/pages unless a Path) at ``path``."""
        source = file if isinstance(file, Path) else PAGES / file
        self.server.route("GET", path, lambda _: self.file(source, content_type, headers or {}))

    def route(self, path: str, handler: Callable[[Request], Response]) -> None:
        """Serve ``path`` with a handler of its own."""
        self.server.route("GET", path, handler)

    def file(self, source: Path, content_type: str, headers: dict[str, str] | None = None) -> Response:
        """A response with the file's bytes, site URLs filled in."""
        body = (
            source.read_bytes()
            .replace(b"__BASE__", self.base.encode())
            .replace(b"__OFFSITE__", self.offsite.encode())
        )
        return Response(raw=body, headers={"Content-Type": content_type, **(headers or {})})

    @staticmethod
    def text(body: str, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Response:
        """A text response."""
        return Response(status=status, raw=body.encode("utf-8"), headers={"Content-Type": content_type})

    def paths(self) -> list[str]:
        """Every path requested so far, in order."""
        return [r.path for r in self.server.requests]

    def requests_to(self, path: str) -> list[Any]:
        """The recorded requests for ``path``."""
        return [r for r in self.server.requests if r.path == path]
