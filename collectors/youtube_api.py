"""The YouTube Data API v3 client: built offline from the discovery document shipped in the wheel, sent
through httpx, with every request counted in calls and quota units.

Quota costs: https://developers.google.com/youtube/v3/determine_quota_cost (list = 1 unit, insert = 50).
Error reasons: https://developers.google.com/youtube/v3/docs/errors
"""

from __future__ import annotations

import functools
import json
import logging
import ssl
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import google.auth.exceptions
import httplib2
import httpx
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from collectors.base import (
    AuthError,
    NotFound,
    PlatformError,
    QuotaExhausted,
    RateLimited,
    ReplyNotAllowed,
    RetryPolicy,
    TransientError,
    UncertainDelivery,
    redact_url,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

LIST_COST = 1
INSERT_COST = 50
PAGE_MAX = 100  # commentThreads.list / comments.list maxResults ceiling
IDS_PER_CALL = 50  # videos.list and playlistItems.list take at most 50
# The daily quota resets at midnight Pacific time (same page as the costs above).
QUOTA_ZONE = ZoneInfo("America/Los_Angeles")
DEFAULT_TIMEOUT = 30.0
FORCE_SSL_SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - an endpoint, not a secret


def next_quota_reset(now: datetime | None = None) -> datetime:
    """The next midnight in America/Los_Angeles, in UTC: when a spent YouTube quota comes back."""
    local = (now or datetime.now(UTC)).astimezone(QUOTA_ZONE)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=QUOTA_ZONE)
    return midnight.astimezone(UTC)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every client: loading the CA bundle takes ~0.15 s each time."""
    return httpx.create_ssl_context()


class HttpxTransport:
    """An httplib2-compatible ``request()`` on httpx.

    httplib2 silently sends a request again when the connection drops before the answer; for
    ``comments.insert`` that could post a reply twice. This transport sends each request exactly once.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, verify=_tls_context())

    def request(
        self, uri: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None, **_: Any
    ) -> tuple[httplib2.Response, bytes]:
        """Send one request; answer like httplib2 (a Response with ``status`` and lower-case headers)."""
        sent = {k: v for k, v in (headers or {}).items() if k.lower() != "content-length"}
        response = self.client.request(method, uri, content=body, headers=sent)
        info = {k.lower(): v for k, v in response.headers.items()}
        info["status"] = str(response.status_code)
        return httplib2.Response(info), response.content


def build_service(root: str | None, http: Any, api_key: str | None = None) -> Any:
    """The youtube v3 service from the discovery document in the wheel (never fetched from the network).

    ``root`` is the API root (``http://127.0.0.1:8080/``): the discovery paths already start with
    ``youtube/v3/``, so a root ending in ``/youtube/v3/`` would double the path.
    """
    options = {"api_endpoint": root.rstrip("/") + "/"} if root else None
    return build(
        "youtube", "v3", developerKey=api_key, http=http, static_discovery=True,
        cache_discovery=False, client_options=options,
    )  # fmt: skip


def error_reasons(content: bytes) -> list[str]:
    """The ``errors[].reason`` values of a Google JSON error body (empty when the body is not one)."""
    try:
        error = json.loads(content.decode("utf-8", "replace")).get("error", {})
        return [str(e.get("reason", "")) for e in error.get("errors", []) if isinstance(e, dict)]
    except (ValueError, AttributeError):
        return []


def _describe(error: HttpError) -> str:
    reasons = ",".join(r for r in error_reasons(error.content) if r) or "no reason"
    where = redact_url(str(error.uri or "")).split("?")[0]
    return f"YouTube answered HTTP {error.resp.status} ({reasons}: {error.reason}) for {where}"


def map_http_error(error: HttpError) -> PlatformError:
    """Our error type for a YouTube error response; the message says what to do next."""
    status, reasons, text = int(error.resp.status), set(error_reasons(error.content)), _describe(error)
    if reasons & {"quotaExceeded", "dailyLimitExceeded"}:
        until = next_quota_reset()
        return QuotaExhausted(f"{text}: the daily quota is spent; collection resumes at {until:%Y-%m-%d %H:%M} UTC "
                              "(midnight Pacific)", until=until)  # fmt: skip
    if status == 429 or reasons & {"rateLimitExceeded", "userRateLimitExceeded"}:
        wait = retry_after_seconds(dict(error.resp))
        reset = datetime.now(UTC) + timedelta(seconds=wait) if wait is not None else None
        return RateLimited(f"{text}: slow down", reset_at=reset)
    if "commentsDisabled" in reasons:
        return ReplyNotAllowed(f"{text}: comments are turned off on this video")
    if status in (401, 403) or reasons & {"keyInvalid", "forbidden", "insufficientPermissions"}:
        return AuthError(f"{text}: check credentials.api_key / oauth_token and the youtube.force-ssl scope")
    if status == 404:
        return NotFound(f"{text}: it no longer exists")
    if status >= 500:
        return TransientError(f"{text}: server error, will retry")
    return PlatformError(text)


def _auth_error(exc: Exception) -> AuthError:
    return AuthError(f"the YouTube OAuth token could not be refreshed ({type(exc).__name__}): authorize again "
                     "and update credentials.oauth_token / refresh_token")  # fmt: skip


def _as_dict(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise TransientError(f"malformed YouTube answer to {what}: expected a JSON object")
    return body


def execute_read(request: Any, what: str) -> dict[str, Any]:
    """Send one read request once and map every failure to our error types."""
    try:
        return _as_dict(request.execute(num_retries=0), what)
    except HttpError as exc:
        raise map_http_error(exc) from None
    except httpx.TransportError as exc:
        raise TransientError(f"YouTube {what}: {type(exc).__name__}, will retry") from None
    except google.auth.exceptions.GoogleAuthError as exc:
        raise _auth_error(exc) from None
    except ValueError as exc:  # the body was not JSON
        raise TransientError(f"malformed YouTube answer to {what}: {exc}") from None


_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def execute_write(request: Any, what: str) -> dict[str, Any]:
    """Send one write request once; anything that may have reached YouTube becomes UncertainDelivery."""
    try:
        body = request.execute(num_retries=0)
    except HttpError as exc:
        raise _write_error(exc) from None
    except google.auth.exceptions.GoogleAuthError as exc:  # raised before the request left
        raise _auth_error(exc) from None
    except _NOT_SENT as exc:
        raise TransientError(
            f"could not reach YouTube for {what} ({type(exc).__name__}); nothing was sent"
        ) from None
    except httpx.TransportError as exc:
        raise UncertainDelivery(f"YouTube {what}: {type(exc).__name__} after the request was sent; "
                                "check the video before sending again") from None  # fmt: skip
    except ValueError as exc:
        raise UncertainDelivery(f"YouTube accepted {what} but its answer was unreadable: {exc}") from None
    if not isinstance(body, dict) or not body.get("id"):
        raise UncertainDelivery(f"YouTube answered {what} without a comment id")
    return body


def _write_error(error: HttpError) -> PlatformError:
    mapped = map_http_error(error)
    if isinstance(mapped, QuotaExhausted):  # the reply waits in the outbox until the quota is back
        return RateLimited(str(mapped), reset_at=mapped.until)
    if isinstance(mapped, TransientError) and int(error.resp.status) != 503:
        return UncertainDelivery(f"{mapped}: YouTube may have posted the reply; check before sending again")
    return mapped


class YouTubeApi:
    """The endpoints the collector uses; counts requests and quota units, retries under the shared policy."""

    def __init__(self, service: Any, policy: RetryPolicy | None = None, page_size: int = PAGE_MAX) -> None:
        self.service = service
        self.policy = policy or RetryPolicy()
        self.page_size = max(1, min(PAGE_MAX, page_size))
        self.calls = 0
        self.units = 0

    def _read(self, make: Callable[[], Any], what: str) -> dict[str, Any]:
        def attempt() -> dict[str, Any]:
            self.calls += 1
            self.units += LIST_COST  # every request costs quota, failed ones included
            return execute_read(make(), what)

        return self.policy.call(attempt)

    def comment_threads(
        self, page_token: str | None, channel_id: str = "", video_id: str = ""
    ) -> dict[str, Any]:
        """One page of threads, newest first, with their inline replies (``commentThreads.list``)."""
        scope = {"videoId": video_id} if video_id else {"allThreadsRelatedToChannelId": channel_id}
        return self._read(
            lambda: self.service.commentThreads().list(
                part="snippet,replies", order="time", textFormat="plainText", maxResults=self.page_size,
                pageToken=page_token, **scope),
            "commentThreads.list",
        )  # fmt: skip

    def comment_replies(self, parent_id: str, page_token: str | None) -> dict[str, Any]:
        """One page of a thread's replies (``comments.list(parentId)``)."""
        return self._read(
            lambda: self.service.comments().list(
                part="snippet", parentId=parent_id, textFormat="plainText", maxResults=PAGE_MAX,
                pageToken=page_token),
            "comments.list",
        )  # fmt: skip

    def videos(self, ids: list[str]) -> dict[str, Any]:
        """Title and comment count of up to 50 videos, for 1 unit (``videos.list``)."""
        return self._read(
            lambda: self.service.videos().list(
                part="snippet,statistics", id=",".join(ids[:IDS_PER_CALL]),
                fields="items(id,snippet(title),statistics(commentCount))"),
            "videos.list",
        )  # fmt: skip

    def channel(self, channel_id: str) -> dict[str, Any]:
        """The channel's uploads playlist (``channels.list(part=contentDetails)``)."""
        return self._read(
            lambda: self.service.channels().list(part="contentDetails", id=channel_id), "channels.list"
        )

    def playlist_items(self, playlist_id: str, page_token: str | None) -> dict[str, Any]:
        """One page of 50 video ids from a playlist (``playlistItems.list``)."""
        return self._read(
            lambda: self.service.playlistItems().list(
                part="contentDetails", playlistId=playlist_id, maxResults=IDS_PER_CALL, pageToken=page_token),
            "playlistItems.list",
        )  # fmt: skip

    def insert_reply(self, parent_id: str, text: str) -> dict[str, Any]:
        """Post a reply under a top-level comment (``comments.insert``, 50 units); never retried."""
        self.calls += 1
        self.units += INSERT_COST
        body = {"snippet": {"parentId": parent_id, "textOriginal": text}}
        return execute_write(self.service.comments().insert(part="snippet", body=body), "comments.insert")
