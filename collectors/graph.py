"""A small Meta Graph API client shared by the Facebook and Instagram collectors.

It pins an API version in ``base_url``, passes the token as the ``access_token`` parameter (never
logged: every URL goes through ``redact_url``), pages with ``paging.cursors.after`` instead of
following the absolute ``paging.next`` URL (so tests and proxies keep working), maps Graph error codes
to our error types, and slows down before Meta's usage headers reach 100 %.

Docs: https://developers.facebook.com/docs/graph-api/overview/rate-limiting
      https://developers.facebook.com/docs/graph-api/guides/error-handling
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from collectors.base import RetryPolicy, SourceContext, http_error, json_body, redact_url
from collectors.base import count_or_none as base_count_or_none
from social_listen.errors import (
    AuthError,
    NotFound,
    PlatformError,
    RateLimited,
    TransientError,
    UncertainDelivery,
)
from social_listen.model import parse_time

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://graph.facebook.com/v26.0"
# Source options read by client_for (the facebook and instagram collectors add them to their OPTIONS).
CLIENT_OPTIONS = frozenset({"slow_down_at", "max_pause_seconds", "timeout_seconds"})
INSTAGRAM_LOGIN_BASE_URL = "https://graph.instagram.com/v26.0"
# Throttling codes: 4 app, 17 user, 32 Page, 613 custom limit, 80001 Pages BUC, 80002 Instagram BUC.
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002})
TOKEN_INVALID = 190  # subcodes: 463 expired, 460 password changed, 467 logged out
TRANSIENT_CODES = frozenset({1, 2})  # "unknown error" / "service temporarily unavailable": try again
NOT_FOUND_CODES = frozenset({803})  # "some of the aliases you requested do not exist"
THROTTLE_PAUSE = timedelta(minutes=15)  # Meta's windows are rolling hours; without an estimate wait this
PAGING_KEYS = ("after", "until", "since", "__paging_token", "offset")


def graph_error(response: httpx.Response) -> PlatformError:
    """Map a Graph error response (``{"error": {"code", "error_subcode", "message"}}``) to our errors."""
    error = _error_object(response)
    if error is None:
        return http_error(response)
    code, subcode = error.get("code"), error.get("error_subcode")
    where = f"{response.request.method} {response.request.url.path}"
    text = (
        f"Graph API error {code}{f'/{subcode}' if subcode else ''} from {where}: {error.get('message', '')}"
    )
    if code in THROTTLE_CODES:
        return RateLimited(text + " (throttled: the source pauses until Meta lifts the limit)",
                           reset_at=throttle_reset(response.headers))  # fmt: skip
    if code == TOKEN_INVALID:
        return AuthError(text + " (the token is invalid or expired: generate a new Page token "
                         "and update the source's credentials)")  # fmt: skip
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return AuthError(text + " (the token lacks a permission or Page task: see platforms.md §2)")
    if code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500:
        return TransientError(text + " (temporary: will retry)")
    if code in NOT_FOUND_CODES or (code == 100 and subcode == 33):
        return NotFound(text)
    return PlatformError(text)


def _error_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


@dataclass(frozen=True)
class Usage:
    """What Meta's usage headers say: the highest percentage used, and minutes until access returns."""

    percent: float = 0.0
    regain_minutes: float = 0.0

    @classmethod
    def from_headers(cls, headers: httpx.Headers) -> Usage:
        """Read ``X-App-Usage`` and ``X-Business-Use-Case-Usage`` (both JSON); bad headers count as 0."""
        values: list[float] = []
        regain = 0.0
        for entry in _usage_entries(headers):
            for key in ("call_count", "total_cputime", "total_time"):
                values.append(_number(entry.get(key)))
            regain = max(regain, _number(entry.get("estimated_time_to_regain_access")))
        return cls(max(values, default=0.0), regain)


def _usage_entries(headers: httpx.Headers) -> Iterator[dict[str, Any]]:
    app = _json_header(headers.get("x-app-usage"))
    if isinstance(app, dict):
        yield app
    buc = _json_header(headers.get("x-business-use-case-usage"))
    # {"<business-id>": [{"type": "pages", "call_count": 28, ..., "estimated_time_to_regain_access": 0}]}
    for entries in buc.values() if isinstance(buc, dict) else ():
        yield from (e for e in entries if isinstance(e, dict)) if isinstance(entries, list) else ()


def _json_header(value: str | None) -> Any:
    try:
        return json.loads(value) if value else None
    except ValueError:
        return None


def _number(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def throttle_reset(headers: httpx.Headers) -> datetime:
    """When a throttled token may call again: Meta's estimate, else a default pause."""
    minutes = Usage.from_headers(headers).regain_minutes
    wait = timedelta(minutes=minutes) if minutes > 0 else THROTTLE_PAUSE
    return datetime.now(UTC) + wait


def next_params(paging: Any) -> dict[str, str] | None:
    """The parameters for the next page, or None on the last page (Graph omits ``paging.next`` there)."""
    if not isinstance(paging, dict) or not paging.get("next"):
        return None
    after = (paging.get("cursors") or {}).get("after")
    if after:
        return {"after": str(after)}
    # Time-based paging (e.g. /feed): reuse next's paging parameters on our own base URL.
    query = dict(parse_qsl(urlsplit(str(paging["next"])).query, keep_blank_values=True))
    found = {k: query[k] for k in PAGING_KEYS if query.get(k)}
    return found or None


@dataclass
class GraphClient:
    """Graph API calls with one token: GETs retried under the shared policy, POSTs never retried."""

    base_url: str
    token: str
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    slow_down_at: float = 75.0
    max_pause: float = 30.0
    timeout: float = 30.0
    calls: int = 0
    blocked_until: datetime | None = None

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url.rstrip("/"), timeout=self.timeout)

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET a Graph object or edge page as a dict; 5xx, bad bodies and short throttles are retried."""
        return self.retry.call(lambda: self._get_once(path, dict(params or {})))

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every page of an edge, following its cursors until Graph stops sending ``paging.next``."""
        params = dict(params or {})
        while True:
            body = self.get(path, params)
            yield body
            following = next_params(body.get("paging"))
            if following is None:
                return
            params.update(following)

    def post(self, path: str, data: dict[str, Any], idempotent: bool = False) -> dict[str, Any]:
        """POST once. A lost answer is UncertainDelivery (or TransientError when repeating is harmless)."""
        self._refuse_while_blocked()
        try:
            response = self.http.post(path, data={**data, "access_token": self.token})
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientError(
                f"POST {path}: could not connect ({type(exc).__name__}); nothing was sent"
            ) from None
        except httpx.TransportError as exc:
            raise _lost_answer(path, type(exc).__name__, idempotent) from None
        self._observe(response)
        if response.status_code >= 500 and not idempotent:
            raise _lost_answer(path, f"HTTP {response.status_code}", idempotent)
        return self._body(response, lost_if_malformed=not idempotent)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.http.close()

    def _get_once(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        self._refuse_while_blocked()
        try:
            response = self.http.get(path, params={**params, "access_token": self.token})
        except httpx.TransportError as exc:
            raise TransientError(f"GET {path}: {type(exc).__name__} (network problem, will retry)") from None
        self._observe(response)
        return self._body(response)

    def _body(self, response: httpx.Response, lost_if_malformed: bool = False) -> dict[str, Any]:
        if response.is_error or _error_object(response) is not None:
            raise graph_error(response)
        try:
            body = json_body(response)
        except TransientError as exc:
            if lost_if_malformed:
                raise UncertainDelivery(f"{exc}; the request may have succeeded") from None
            raise
        if not isinstance(body, dict):
            raise TransientError(
                f"unexpected body from {redact_url(str(response.request.url))}: not an object"
            )
        return body

    def _observe(self, response: httpx.Response) -> None:
        self.calls += 1
        log.debug("%s %s -> %s", response.request.method, redact_url(str(response.request.url)),
                  response.status_code)  # fmt: skip
        self._pace(Usage.from_headers(response.headers))

    def _pace(self, usage: Usage) -> None:
        """Sleep more as usage nears 100 %; at 100 % (or with a regain estimate) stop calling at all."""
        if usage.percent >= 100 or usage.regain_minutes > 0:
            wait = timedelta(minutes=usage.regain_minutes) if usage.regain_minutes > 0 else THROTTLE_PAUSE
            self.blocked_until = datetime.now(UTC) + wait
        elif usage.percent >= self.slow_down_at:
            share = (usage.percent - self.slow_down_at) / max(1.0, 100 - self.slow_down_at)
            pause = round(self.max_pause * share, 3)
            log.info("Graph usage at %.0f%%: pausing %.1fs before the next call", usage.percent, pause)
            self.sleep(pause)

    def _refuse_while_blocked(self) -> None:
        if self.blocked_until is not None and self.blocked_until > datetime.now(UTC):
            raise RateLimited(
                f"Graph usage reached 100 % (X-Business-Use-Case-Usage / X-App-Usage); "
                f"not calling again before {self.blocked_until:%H:%M} UTC",
                reset_at=self.blocked_until,
            )


def unless_gone(pages: Iterator[dict[str, Any]], what: str) -> Iterator[dict[str, Any]]:
    """The pages of a listed object's edge; no more (logged) once Graph says the object is gone: it was
    deleted, or hidden from the token, after the listing. Its count is not remembered, so it is read again."""
    try:
        yield from pages
    except NotFound as exc:
        log.warning("%s is gone or cannot be read; skipped in this run: %s", what, exc)


def _lost_answer(path: str, what: str, idempotent: bool) -> PlatformError:
    if idempotent:
        return TransientError(f"POST {path}: {what}; safe to try again")
    return UncertainDelivery(
        f"POST {path}: {what} after the request was sent; it may have been posted "
        "(the next collection confirms it; it is not sent again automatically)"
    )


def client_for(context: SourceContext, token: str, default_base: str = DEFAULT_BASE_URL,
               sleep: Callable[[float], None] = time.sleep) -> GraphClient:  # fmt: skip
    """A client for a source: its ``base_url`` (or the pinned default) and pacing options."""
    return GraphClient(
        base_url=context.source.base_url or default_base,
        token=token,
        retry=RetryPolicy(sleep=sleep),
        sleep=sleep,
        slow_down_at=float(context.option("slow_down_at", 75)),
        max_pause=float(context.option("max_pause_seconds", 30)),
        timeout=float(context.option("timeout_seconds", 30)),
    )


# -- shared incremental state ------------------------------------------------------------------


@dataclass
class ChangeTracker:
    """Which posts/media to (re-)read, from the cursor ``{"watermark", "counts"}`` of the last run.

    ``watermark`` is the newest comment time a finished run saw; ``counts`` each object's comment count
    when its comments were last read completely. An object is read when it is new, its count changed,
    or it was created/updated inside the lag window before the watermark (late or edited comments).
    """

    watermark: datetime | None
    counts: dict[str, int]
    lag: timedelta
    newest: datetime | None = None

    @classmethod
    def from_cursor(cls, cursor: dict[str, Any] | None, lag: timedelta) -> ChangeTracker:
        """The tracker for a run starting at ``cursor`` (None: the first run)."""
        cursor = cursor or {}
        mark = time_or_none(cursor.get("watermark"))
        counts = {str(k): int(v) for k, v in (cursor.get("counts") or {}).items()}
        return cls(mark, counts, lag, newest=mark)

    def stop_at(self, object_id: str) -> datetime | None:
        """Comments older than this were already read for the object (None: read them all)."""
        if self.watermark is None or object_id not in self.counts:
            return None
        return self.watermark - self.lag

    def needs_read(self, object_id: str, count: int | None, *times: datetime | None) -> bool:
        """Whether the object's comments must be read in this run."""
        if object_id not in self.counts or count is None or self.counts[object_id] != count:
            return True
        floor = self.stop_at(object_id)
        return floor is not None and any(t is not None and t >= floor for t in times)

    def saw(self, when: datetime) -> None:
        """Remember the newest comment time seen in this run."""
        if self.newest is None or when > self.newest:
            self.newest = when

    def cursor(self, final: bool, keep: set[str] | None = None) -> dict[str, Any]:
        """The cursor to save: the old watermark until the run finished, then the newest time seen."""
        mark = self.newest if final else self.watermark
        counts = {k: v for k, v in self.counts.items() if keep is None or k in keep}
        return {"watermark": mark.isoformat() if mark else None, "counts": counts}


def time_or_none(value: Any) -> datetime | None:
    """A Graph timestamp (``2026-03-02T09:00:00+0000``) as aware UTC, or None when absent or malformed."""
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


_GRAPH_ID = re.compile(r"[0-9A-Za-z_.-]{1,200}")


def is_graph_id(value: Any) -> bool:
    """Whether ``value`` can be a Graph object id (``1047...``, ``1047..._9001``); ids go into request paths."""
    if not value or isinstance(value, bool) or not isinstance(value, str | int):
        return False
    return bool(_GRAPH_ID.fullmatch(str(value)))


def count_or_none(value: Any) -> int | None:
    """An integer count from a Graph field, or None (also when it is malformed or out of range)."""
    return base_count_or_none(value)


def shorten(text: str | None, limit: int = 120) -> str | None:
    """A one-line title from a post message or caption (None when there is none, or it is not text)."""
    if not text or not isinstance(text, str):
        return None
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
