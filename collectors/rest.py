"""What the REST collectors (WordPress, WooCommerce, Google Business Profile, Trustpilot) share.

An httpx client that honours the source's ``base_url`` and ``timeout_seconds`` and says who we are (a
User-Agent with the contact URL from config); GETs retried under the one shared RetryPolicy; writes
sent exactly once, a lost answer becoming UncertainDelivery; error bodies mapped to our error types
with the platform's own message. URLs go through ``redact_url`` before they reach a log or an error.
"""

from __future__ import annotations

import functools
import html
import logging
import re
import ssl
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import httpx

from collectors.base import RetryPolicy, SourceContext, http_error, json_body, redact_url
from social_listen import __version__
from social_listen.errors import PlatformError, RateLimited, TransientError, UncertainDelivery
from social_listen.model import parse_time

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
# Source options read by build_http (every REST collector adds them to its OPTIONS).
CLIENT_OPTIONS = frozenset({"timeout_seconds"})
# None of these platforms documents a Retry-After on 429: wait a minute (Google's quotas are per minute).
RATE_LIMIT_PAUSE = timedelta(minutes=1)
Auth = httpx.Auth | tuple[str, str] | None
ErrorMapper = Callable[[httpx.Response], PlatformError]


def user_agent(contact_url: str) -> str:
    """Who we are and where site owners can reach us, as the User-Agent says it."""
    return f"social-listen/{__version__} (+{contact_url})"


def build_http(context: SourceContext, default_base: str = "", auth: Auth = None,
               headers: Mapping[str, str] | None = None) -> httpx.Client:  # fmt: skip
    """An httpx client for a source: its ``base_url`` (else ``default_base``), timeout and User-Agent."""
    base = context.source.base_url or default_base
    return httpx.Client(
        base_url=base.rstrip("/"),
        verify=ssl_context(),
        timeout=float(context.option("timeout_seconds", DEFAULT_TIMEOUT)),
        headers={
            "User-Agent": user_agent(context.contact_url),
            "Accept": "application/json",
            **(headers or {}),
        },
        auth=auth,
        # Redirects are followed (http -> https, www) except behind a base_url: they would leave it.
        follow_redirects=not context.source.base_url,
    )


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every client of the process (loading the CA bundle takes ~0.1 s each time)."""
    return httpx.create_ssl_context()


def error_message(response: httpx.Response) -> str:
    """The platform's own words from an error body (WordPress, Google and Trustpilot shapes), or ''."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    if isinstance(error, dict):  # Google: {"error": {"code", "message", "status"}}
        return " ".join(str(error.get(k)) for k in ("status", "message") if error.get(k))
    parts = [body.get("code"), body.get("message") or body.get("details"), error]  # WP: {"code", "message"}
    return " ".join(str(p) for p in parts if p and isinstance(p, str | int))


def rest_error(response: httpx.Response, platform: str) -> PlatformError:
    """Map a failed response to our error types, naming the platform, the request and its message."""
    where = f"{response.request.method} {redact_url(str(response.request.url))}"
    said = error_message(response)
    error = http_error(
        response, f"{platform}: HTTP {response.status_code} from {where}" + (f" ({said})" if said else "")
    )
    if isinstance(error, RateLimited) and error.reset_at is None:
        error.reset_at = datetime.now(UTC) + RATE_LIMIT_PAUSE
    return error


@dataclass
class RestClient:
    """Calls to one platform: GETs under the shared retry policy, writes exactly once, calls counted."""

    http: httpx.Client
    platform: str
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    errors: ErrorMapper | None = None  # the platform's own error mapping (default: rest_error)
    calls: int = 0
    _reported: int = 0

    def get(self, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """GET a 2xx response; 429, 5xx, network trouble and malformed bodies are retried by the policy."""
        return self.retry.call(lambda: self._get_once(url, params, **kwargs))

    def get_json(self, url: str, params: Mapping[str, Any] | None = None, expect: type | None = None,
                 **kwargs: Any) -> Any:  # fmt: skip
        """GET and decode JSON; a malformed body (or not an ``expect`` instance) is retried like a 5xx."""
        return self.fetch(url, params, expect, **kwargs)[0]

    def fetch(self, url: str, params: Mapping[str, Any] | None = None, expect: type | None = None,
              **kwargs: Any) -> tuple[Any, httpx.Headers]:  # fmt: skip
        """GET the decoded JSON body and the response headers (paging headers), under the retry policy."""

        def once() -> tuple[Any, httpx.Headers]:
            response = self._get_once(url, params, **kwargs)
            body = json_body(response)
            if expect is not None and not isinstance(body, expect):
                where = redact_url(str(response.request.url))
                raise TransientError(f"unexpected body from {where}: expected a JSON {expect.__name__}")
            return body, response.headers

        return self.retry.call(once)

    def write(self, method: str, url: str, payload: Any, on_error: ErrorMapper | None = None,
              **kwargs: Any) -> httpx.Response:  # fmt: skip
        """Send a write once. A failure after the request left us is UncertainDelivery, never retried."""
        try:
            response = self.http.request(method, url, json=payload, follow_redirects=False, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientError(
                f"{method} {redact_url(url)}: could not connect ({type(exc).__name__}); nothing was sent"
            ) from None
        except httpx.TransportError as exc:
            raise lost_answer(method, url, type(exc).__name__) from None
        self._count(response)
        if response.status_code >= 500:
            raise lost_answer(method, url, f"HTTP {response.status_code}")
        if response.is_error:
            raise (on_error or self._error)(response)
        return response

    def take_calls(self) -> int:
        """Calls made since the last time this was asked (for ``Page.api_calls``)."""
        calls, self._reported = self.calls - self._reported, self.calls
        return calls

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def _get_once(self, url: str, params: Mapping[str, Any] | None, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.get(url, params=params, **kwargs)
        except httpx.TransportError as exc:
            raise TransientError(
                f"GET {redact_url(url)}: {type(exc).__name__} (network problem, will retry)"
            ) from None
        self._count(response)
        if response.is_error:
            raise self._error(response)
        return response

    def _error(self, response: httpx.Response) -> PlatformError:
        return self.errors(response) if self.errors else rest_error(response, self.platform)

    def _count(self, response: httpx.Response) -> None:
        self.calls += 1
        log.debug("%s %s -> %s", response.request.method, redact_url(str(response.request.url)),
                  response.status_code)  # fmt: skip


def lost_answer(method: str, url: str, what: str) -> UncertainDelivery:
    """The error for a write whose answer never came back: it may or may not be on the platform."""
    return UncertainDelivery(
        f"{method} {redact_url(url)}: {what} after the request was sent; the reply may have been posted "
        "(the next collection confirms it; it is not sent again automatically)"
    )


def rebase(url: str, base_url: str | None) -> str:
    """``url`` with its scheme and host replaced by ``base_url`` (tests, proxies); unchanged without one."""
    if not base_url:
        return url
    parts = urlsplit(url)
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return base_url.rstrip("/") + (rest if rest.startswith("/") else "/" + rest)


def latest(mark: datetime | None, times: Iterable[datetime]) -> datetime | None:
    """The newest of ``mark`` and ``times`` (None when there is nothing)."""
    return max([t for t in (mark, *times) if t is not None], default=None)


def time_or_none(value: Any) -> datetime | None:
    """An ISO-8601 platform timestamp as aware UTC (naive means UTC), or None when absent or malformed."""
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


def iso_z(when: datetime) -> str:
    """A UTC time as ``2026-03-02T09:00:00Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _TextExtractor(HTMLParser):
    """Collects the text of rendered HTML, with line breaks where paragraphs and ``<br>`` were."""

    BREAKS = frozenset({"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\n", " "))  # source line breaks are just spaces in HTML


def html_text(rendered: str | None) -> str:
    """Plain text from a platform's rendered HTML (WordPress ``content.rendered``, WooCommerce ``review``)."""
    if not rendered:
        return ""
    parser = _TextExtractor()
    parser.feed(rendered)
    parser.close()
    lines = [" ".join(line.split()) for line in html.unescape("".join(parser.parts)).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def dict_at(raw: Any, key: str) -> dict[str, Any]:
    """``raw[key]`` when it is an object, else an empty dict (platforms send null or omit fields)."""
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, dict) else {}


def list_at(raw: Any, key: str) -> list[Any]:
    """``raw[key]`` when it is a list, else an empty list."""
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, list) else []


def option_ids(value: Any) -> frozenset[int]:
    """User ids from an option given as a list or a comma-separated string."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return frozenset(int(str(v).strip()) for v in items if str(v).strip())
