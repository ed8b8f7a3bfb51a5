"""The few error types the product uses; each message says what happened and what to do next."""

from __future__ import annotations

from datetime import datetime


class SocialListenError(Exception):
    """Base for every error the CLI turns into ``Error: ...`` and a non-zero exit."""


class ConfigError(SocialListenError):
    """The configuration file is missing, unreadable or invalid."""


class SourceBusy(SocialListenError):
    """Another process holds the lease on this source."""


class LeaseLost(SocialListenError):
    """Another host took over the source's lease (ours had expired): this host writes nothing more of it."""


class PlatformError(SocialListenError):
    """A platform refused or failed a request."""

    retryable = False


class RateLimited(PlatformError):
    """The platform asked us to slow down; ``reset_at`` says when to try again."""

    retryable = True

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class QuotaExhausted(PlatformError):
    """A daily or monthly quota is spent; nothing will work until ``until``."""

    def __init__(self, message: str, until: datetime | None = None) -> None:
        super().__init__(message)
        self.until = until


class AuthError(PlatformError):
    """The token is missing, expired or lacks a permission: a person must renew it."""


class ReplyNotAllowed(PlatformError):
    """The platform will not take a reply to this item; answer it in the platform's own app."""

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class NotFound(PlatformError):
    """The item or object no longer exists on the platform."""


class TransientError(PlatformError):
    """A 5xx, timeout or malformed body that may succeed if tried again later."""

    retryable = True


class UncertainDelivery(PlatformError):
    """The request left us but no answer came back: the platform may or may not have the reply."""
