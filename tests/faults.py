"""Seeded fault schedules for the fake platform servers, YouTube's faults, and a busy fake channel.

A ``FaultSchedule`` is set as a FakeServer's ``schedule``: it answers a seeded random share of the
requests to matching paths with one of its kinds of fault and remembers what it injected. Requests come
one after the other from one client, so a seed always gives the same storm.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from tests.fakes.server import FakeServer, Fault, Request, Response
from tests.fakes.youtube import FakeYouTube, google_error, minutes_ago, quota_exceeded

FaultMaker = Callable[[], Fault]


@contextmanager
def fast_server() -> Iterator[FakeServer]:
    """A running FakeServer without Nagle delays that shuts down in 20 ms (as graph_server does)."""
    server = FakeServer()
    server._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
    server._thread = threading.Thread(  # type: ignore[attr-defined]
        target=server._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    with server:
        yield server


@dataclass
class Injected:
    """One fault the schedule answered, and the request it hit."""

    kind: str
    request: Request


@dataclass
class FaultSchedule:
    """Answers a seeded ``rate`` of the requests whose method and path match with a random kind of fault.

    A kind listed in ``bursts`` also hits the next N matching requests (an outage, not a blip).
    """

    seed: int
    kinds: dict[str, FaultMaker]
    rate: float = 0.1
    pattern: str = ".*"
    methods: tuple[str, ...] = ("GET", "POST", "PUT", "DELETE", "PATCH")
    bursts: dict[str, int] = field(default_factory=dict)
    enabled: bool = True
    injected: list[Injected] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._burst: tuple[str, int] = ("", 0)
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Fault | None:
        if (
            not self.enabled
            or request.method not in self.methods
            or not re.fullmatch(self.pattern, request.path)
        ):
            return None
        with self._lock:
            kind = self._next_kind()
            if kind is None:
                return None
            self.injected.append(Injected(kind, request))
        return self.kinds[kind]()

    def _next_kind(self) -> str | None:
        burst_kind, left = self._burst
        if left > 0:
            self._burst = (burst_kind, left - 1)
            return burst_kind
        if self.rng.random() >= self.rate:
            return None
        kind = self.rng.choice(sorted(self.kinds))
        self._burst = (kind, self.bursts.get(kind, 0))
        return kind

    def kinds_injected(self) -> set[str]:
        """The kinds of fault that hit at least one request."""
        return {hit.kind for hit in self.injected}


def _with(response: Response, headers: dict[str, str]) -> Response:
    response.headers.update(headers)
    return response


def _before(response: Response) -> FaultMaker:
    return lambda: Fault(".*", response)


def youtube_read_faults(timeout: float) -> dict[str, FaultMaker]:
    """What can go wrong reading the YouTube Data API, as the real API (or a proxy in front) answers it."""
    slow_down = "The request cannot be completed because you have exceeded your rate limit."
    cut = json.dumps({"kind": "youtube#commentThreadListResponse", "items": [{"id": "Ugz" + "x" * 40}]})
    return {
        "429 Retry-After 1": _before(_with(google_error(429, "rateLimitExceeded", slow_down), {"Retry-After": "1"})),
        "429 x-rate-limit-reset": lambda: Fault(".*", _with(google_error(429, "rateLimitExceeded", slow_down),
                                                            {"x-rate-limit-reset": str(int(time.time()) + 2)})),
        "429 Retry-After 600": _before(_with(google_error(429, "rateLimitExceeded", slow_down), {"Retry-After": "600"})),
        "500 backendError": _before(google_error(500, "backendError", "Backend Error", "global")),
        "503 unavailable": _before(google_error(503, "backendError", "The service is currently unavailable.")),
        "503 outage": _before(google_error(503, "backendError", "The service is currently unavailable.")),
        "slow answer": _before(Response(200, body={"items": []}, delay=timeout * 3)),
        "truncated body": _before(Response(200, raw=cut.encode(), truncate=True)),
        "not JSON": _before(Response(200, raw=b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                                     headers={"Content-Type": "text/html"})),
        "expired token": _before(google_error(401, "authError", "Request had invalid authentication "
                                              "credentials. Expected OAuth 2 access token.", "global")),
        "quota exceeded": _before(quota_exceeded()),
    }  # fmt: skip


def youtube_write_faults(timeout: float) -> dict[str, FaultMaker]:
    """What can go wrong posting a reply: refused before YouTube stores it, or lost after it did."""
    slow_down = "The request cannot be completed because you have exceeded your rate limit."
    lost = Response(200, body={"kind": "youtube#comment"}, delay=timeout * 3)
    return {
        "before: 503": _before(google_error(503, "backendError", "The service is currently unavailable.")),
        "before: 500": _before(google_error(500, "backendError", "Backend Error", "global")),
        "before: 429": _before(_with(google_error(429, "rateLimitExceeded", slow_down), {"Retry-After": "1"})),
        "before: expired token": _before(google_error(401, "authError", "Request had invalid authentication "
                                                      "credentials.", "global")),
        "after: timeout": lambda: Fault(".*", lost, after_handler=True),
        "after: connection cut": lambda: Fault(".*", Response(200, raw=b'{"kind": "youtube#comment", "id": "Ugz',
                                                              truncate=True), after_handler=True),
        "after: 500": lambda: Fault(".*", google_error(500, "backendError", "Backend Error", "global"),
                                    after_handler=True),
    }  # fmt: skip


ACCEPTED_FIRST = frozenset(k for k in youtube_write_faults(1.0) if k.startswith("after:"))


def busy_channel(fake: FakeYouTube, rng: random.Random, threads: int, videos: int) -> None:
    """``threads`` customer comments over ``videos`` videos, one every 3 minutes, some with long conversations."""
    ids = [fake.add_video(f"Vídeo {n}") for n in range(videos)]
    for n in range(threads):
        at = minutes_ago(60 + 3 * (threads - n))
        thread = fake.comment(rng.choice(ids), f"Pregunta {n}: ¿hay talla {36 + n % 8}?", at,
                              author=f"UCcustomer{n % 40:02d}", name=f"Cliente {n % 40}")  # fmt: skip
        for r in range(rng.choice((0, 0, 0, 1, 2, 3, 4))):
            fake.reply(thread, f"Yo también ({n}.{r})", at + timedelta(seconds=20 * (r + 1)))


def youtube_ids(fake: FakeYouTube) -> set[str]:
    """The id of every comment and reply the fake channel holds."""
    return set(fake.threads) | {reply.id for replies in fake.replies.values() for reply in replies}


def threads_newest_first(fake: FakeYouTube) -> list[str]:
    """Thread ids in the order commentThreads.list pages them."""
    return [t.id for t in sorted(fake.threads.values(), key=lambda t: (t.published, t.id), reverse=True)]
