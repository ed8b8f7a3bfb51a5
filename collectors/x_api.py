"""The X API v2 through tweepy.Client: base_url redirection, timeouts, error mapping, call and resource counts.

tweepy hard-codes ``https://api.twitter.com`` inside ``Client.request``; a requests transport adapter mounted
on the client's session sends those requests to ``base_url`` instead (tests, proxies, gateways).
Errors: https://docs.x.com/x-api/fundamentals/response-codes-and-errors
Rate limits (``x-rate-limit-reset`` is epoch seconds): https://docs.x.com/x-api/fundamentals/rate-limits
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests
import tweepy
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from collectors.base import (
    AuthError,
    NotFound,
    PlatformError,
    RateLimited,
    ReplyNotAllowed,
    RetryPolicy,
    TransientError,
    UncertainDelivery,
    retry_after_seconds,
)

log = logging.getLogger(__name__)
X_HOST = "https://api.twitter.com"
DEFAULT_TIMEOUT = 30.0
# Since 2026-02-23 self-serve apps may only reply to posts whose author mentioned or quoted the account;
# X answers 403 "Reply to this conversation is not allowed because you have not been mentioned or otherwise
# engaged by the author of the post you are replying to." (docs: x-api/posts/manage-tweets/integrate).
_NOT_SUMMONED = ("not been mentioned", "otherwise engaged", "reply to this conversation is not allowed")


def web_url(tweet_id: str) -> str:
    """A link that opens any post in the X app or site, without knowing its author's handle."""
    return f"https://x.com/i/web/status/{tweet_id}"


class RedirectAdapter(HTTPAdapter):
    """Sends tweepy's requests to ``base_url`` (when set) and always with a timeout; never re-sends."""

    def __init__(self, base_url: str | None, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(max_retries=0)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Rewrite the host, then send like any adapter."""
        if self.base_url and request.url and request.url.startswith(X_HOST):
            request.url = self.base_url + request.url[len(X_HOST) :]
        kwargs["timeout"] = kwargs.get("timeout") or self.timeout
        return super().send(request, **kwargs)


def make_client(base_url: str | None, timeout: float, **auth: str | None) -> tweepy.Client:
    """A tweepy client returning plain dicts; our RetryPolicy owns waiting, so tweepy never sleeps."""
    client = tweepy.Client(**auth, return_type=dict, wait_on_rate_limit=False)
    client.session.mount(X_HOST, RedirectAdapter(base_url, timeout))
    return client


def _messages(exc: tweepy.HTTPException) -> str:
    return "; ".join(str(m) for m in exc.api_messages) or (exc.response.reason or "")


def _rate_limited(exc: tweepy.HTTPException, what: str) -> RateLimited:
    wait = retry_after_seconds(dict(exc.response.headers))
    reset = datetime.fromtimestamp(time.time() + wait, UTC) if wait is not None else None
    until = f"; the limit resets at {reset:%H:%M:%S} UTC" if reset else ""
    return RateLimited(f"X rate limit reached for {what}{until}", reset_at=reset)


def map_read_error(exc: Exception, what: str) -> PlatformError:
    """Our error type for a failed read."""
    if isinstance(exc, tweepy.TooManyRequests):
        return _rate_limited(exc, what)
    if isinstance(exc, tweepy.Unauthorized):
        return AuthError(f"X refused the token for {what} (401): check credentials.bearer_token")
    if isinstance(exc, tweepy.Forbidden):
        return AuthError(f"X refused {what} (403: {_messages(exc)}): check the app's access level and token")
    if isinstance(exc, tweepy.NotFound):
        return NotFound(f"X has no such resource for {what}: {_messages(exc)}")
    if isinstance(exc, tweepy.TwitterServerError):
        return TransientError(f"X server error {exc.response.status_code} for {what}, will retry")
    if isinstance(exc, tweepy.HTTPException):
        return PlatformError(f"X answered {exc.response.status_code} for {what}: {_messages(exc)}")
    if isinstance(exc, requests.RequestException):
        return TransientError(f"X {what}: {type(exc).__name__}, will retry")
    return TransientError(f"malformed X answer to {what}: {exc}")  # ValueError: the body was not JSON


def map_write_error(exc: Exception, tweet_id: str) -> PlatformError:
    """Our error type for a failed reply; anything that may have been posted is UncertainDelivery."""
    if isinstance(exc, tweepy.Forbidden):
        return _forbidden_reply(exc, tweet_id)
    if isinstance(exc, tweepy.TwitterServerError) and exc.response.status_code != 503:
        return UncertainDelivery(f"X answered {exc.response.status_code} to the reply; it may be posted: check "
                                 f"{web_url(tweet_id)} before sending again")  # fmt: skip
    if isinstance(exc, tweepy.Unauthorized):
        return AuthError("X refused the user token (401): set consumer_key/consumer_secret/access_token/"
                         "access_token_secret or oauth2_user_token with tweet.write")  # fmt: skip
    if isinstance(exc, requests.RequestException) and not _never_sent(exc):
        return UncertainDelivery(f"X reply: {type(exc).__name__} after the request was sent; check "
                                 f"{web_url(tweet_id)} before sending again")  # fmt: skip
    if isinstance(exc, ValueError):
        return UncertainDelivery(f"X accepted the reply but its answer was unreadable: {exc}")
    return map_read_error(exc, "create_tweet")


def _forbidden_reply(exc: tweepy.Forbidden, tweet_id: str) -> PlatformError:
    detail = _messages(exc)
    if any(marker in detail.lower() for marker in _NOT_SUMMONED):
        return ReplyNotAllowed(
            f"X only takes API replies to posts that mention or quote the brand: answer it in the X app: "
            f"{web_url(tweet_id)}", url=web_url(tweet_id),
        )  # fmt: skip
    if "duplicate" in detail.lower():
        return PlatformError(f"X refused a duplicate post ({detail}): the same text may already be there")
    return AuthError(f"X refused the reply (403: {detail}): the token needs tweet.write (Read and write app)")


def _never_sent(exc: requests.RequestException) -> bool:
    """Whether the connection failed before any byte of the request left (safe to try again later)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


class XApi:
    """Calls tweepy under the shared retry policy; counts requests and billed resources (posts, users)."""

    def __init__(self, client: tweepy.Client, policy: RetryPolicy | None = None) -> None:
        self.client = client
        self.policy = policy or RetryPolicy()
        self.calls = 0
        self.resources = 0

    def read(self, method: Callable[..., Any], what: str, **params: Any) -> dict[str, Any]:
        """One read, retried per the policy; a body that is not a JSON object is a TransientError."""

        def attempt() -> dict[str, Any]:
            self.calls += 1
            try:
                body = method(**params)
            except (tweepy.HTTPException, requests.RequestException, ValueError) as exc:
                raise map_read_error(exc, what) from None
            if not isinstance(body, dict):
                raise TransientError(f"malformed X answer to {what}: expected a JSON object")
            self.resources += _billed(body)
            return body

        return self.policy.call(attempt)

    def reply(self, text: str, tweet_id: str, user_auth: bool) -> dict[str, Any]:
        """Post a reply once (``POST /2/tweets``); never retried: a retried POST may double-post."""
        self.calls += 1
        try:
            body = self.client.create_tweet(text=text, in_reply_to_tweet_id=tweet_id, user_auth=user_auth)
        except (tweepy.HTTPException, requests.RequestException, ValueError) as exc:
            raise map_write_error(exc, tweet_id) from None
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or not data.get("id"):
            raise UncertainDelivery(f"X answered the reply without a post id; check {web_url(tweet_id)}")
        self.resources += 1
        return data


def _billed(body: dict[str, Any]) -> int:
    """Resources X bills for a read: every post and user returned (includes too)."""
    data = body.get("data")
    count = len(data) if isinstance(data, list) else (1 if isinstance(data, dict) else 0)
    includes = i if isinstance(i := body.get("includes"), dict) else {}
    return count + sum(len(v) for v in includes.values() if isinstance(v, list))
