"""The Collector and Publisher contracts, the shared HTTP retry policy, and the error types."""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from social_listen.config import BrandConfig, SourceConfig
from social_listen.errors import (
    AuthError,
    NotFound,
    PlatformError,
    QuotaExhausted,
    RateLimited,
    ReplyNotAllowed,
    TransientError,
    UncertainDelivery,
)
from social_listen.model import Page, PostedReply, ReplyRequest

__all__ = [
    "AuthError",
    "Collector",
    "NotFound",
    "PlatformError",
    "Publisher",
    "QuotaExhausted",
    "RateLimited",
    "ReplyNotAllowed",
    "RetryPolicy",
    "TransientError",
    "UncertainDelivery",
    "redact_url",
]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Collector(Protocol):
    """Lists a source's new items as pages, each with the cursor to resume after it."""

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Yield pages from ``cursor`` on; the last page's cursor is where the next run starts."""
        ...


class Publisher(Protocol):
    """Posts a reply on the platform and returns the platform's id for it."""

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """Post ``reply``; raise UncertainDelivery when the request may have reached the platform."""
        ...


@dataclass(frozen=True)
class SourceContext:
    """Everything a collector or publisher is built from: its config, brand and resolved credentials."""

    source: SourceConfig
    brand: BrandConfig
    credentials: Mapping[str, str] = field(default_factory=dict)
    contact_url: str = "https://github.com/social-listen"
    config_dir: Path = field(default_factory=Path.cwd)

    def credential(self, key: str) -> str:
        """A required credential, or AuthError naming the config field to set."""
        value = self.credentials.get(key)
        if not value:
            raise AuthError(
                f"source {self.source.name!r} needs credentials.{key} "
                f'(set it in the config, e.g. {key} = {{ "$env" = "{key.upper()}" }})'
            )
        return value

    def option(self, key: str, default: Any = None) -> Any:
        """A platform-specific option from ``[sources.options]``."""
        return self.source.options.get(key, default)


CollectorFactory = Callable[[SourceContext], Collector]
PublisherFactory = Callable[[SourceContext], Publisher]

_SECRET_PARAMS = re.compile(
    r"(?i)([?&](?:access_token|key|api_key|apikey|token|consumer_key|consumer_secret|client_secret)=)[^&#]*"
)


def redact_url(url: str) -> str:
    """Hide tokens passed in query strings before a URL is logged or stored."""
    return _SECRET_PARAMS.sub(r"\1***", str(url))


DB_INT_MAX = 2**31 - 1  # counts are INTEGER columns: 32 bits on PostgreSQL


def text_or_none(value: Any) -> str | None:
    """A platform's string field (a URL, an id it refers to), or None when absent, empty or not a string."""
    return value if isinstance(value, str) and value else None


def count_or_none(value: Any) -> int | None:
    """An integer count from a platform field (``12``, ``"12"``); None when absent, malformed or out of range."""
    if value is None or isinstance(value, bool):
        return None
    try:
        count = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return count if -DB_INT_MAX <= count <= DB_INT_MAX else None


def retry_after_seconds(headers: httpx.Headers | dict[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` or an epoch ``x-rate-limit-reset`` header, if present."""
    now = time.time() if now is None else now
    lowered = {k.lower(): v for k, v in dict(headers).items()}
    value = lowered.get("retry-after")
    if value:
        if value.strip().isdigit():
            return float(value)
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - now)
    reset = lowered.get("x-rate-limit-reset")
    if reset and reset.strip().isdigit():
        return max(0.0, float(reset) - now)
    return None


class RetryPolicy:
    """One retry policy for every platform: 429 waits for its reset (capped), 5xx and timeouts back off.

    A wait longer than ``max_wait`` is not slept through: the RateLimited error is raised so the run
    stops the source until the reset instead of holding a cron slot.
    """

    def __init__(
        self,
        attempts: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_wait = max_wait
        self.sleep = sleep

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimited) and error.reset_at is not None:
            return max(0.0, (error.reset_at - datetime.now(UTC)).total_seconds())
        return float(min(self.max_backoff, self.backoff * 2 ** (state.attempt_number - 1)))

    def _should_retry(self, error: BaseException) -> bool:
        if isinstance(error, RateLimited) and error.reset_at is not None:
            wait = (error.reset_at - datetime.now(UTC)).total_seconds()
            return wait <= self.max_wait
        return isinstance(error, PlatformError) and error.retryable

    def call(self, func: Callable[[], T]) -> T:
        """Run ``func`` under the policy; re-raise the last error when retries are spent."""
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception(self._should_retry),
            sleep=self.sleep,
            reraise=True,
            before_sleep=self._log_retry,
        )
        return retrying(func)

    @staticmethod
    def _log_retry(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning("retrying after %s (attempt %d)", error, state.attempt_number)


def http_error(response: httpx.Response, message: str | None = None) -> PlatformError:
    """Map a failed HTTP response to our error types, by status code (platform modules refine it)."""
    text = message or f"HTTP {response.status_code} from {redact_url(str(response.request.url))}"
    status = response.status_code
    if status == 429:
        wait = retry_after_seconds(response.headers)
        reset = datetime.fromtimestamp(time.time() + wait, UTC) if wait is not None else None
        return RateLimited(text + ": rate limited", reset_at=reset)
    if status in (401, 403):
        return AuthError(text + ": check the token and its permissions")
    if status == 404:
        return NotFound(text + ": not found")
    if status >= 500:
        return TransientError(text + ": server error, will retry")
    return PlatformError(text)


def json_body(response: httpx.Response) -> Any:
    """The decoded JSON body, or TransientError naming the URL when the body is not JSON."""
    try:
        return response.json()
    except ValueError as exc:
        url = redact_url(str(response.request.url))
        raise TransientError(f"malformed JSON body from {url}: {exc}") from exc


__all__ += [
    "count_or_none",
    "text_or_none",
    "http_error",
    "json_body",
    "retry_after_seconds",
    "CollectorFactory",
    "PublisherFactory",
    "ReplyRequest",
    "SourceContext",
]
