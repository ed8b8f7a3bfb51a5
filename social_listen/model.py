"""Plain data that collectors produce and the store keeps: no database, no framework."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

PLATFORMS = (
    "youtube",
    "x",
    "facebook",
    "instagram",
    "wordpress",
    "woocommerce",
    "google_reviews",
    "trustpilot",
    "web_reviews",
    "web_comments",
    "file",
)
ITEM_KINDS = ("comment", "reply", "review", "mention", "post", "message")
ITEM_STATUSES = ("open", "answered", "ignored", "closed")
ANSWERED_BY = ("tool", "platform", "manual")
REPLY_STATUSES = ("queued", "sending", "sent", "failed", "uncertain")
ROLES = ("admin", "agent", "viewer")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_time(text: str) -> datetime:
    """Parse an ISO-8601 timestamp as platforms send it (``Z``, offsets or naive UTC) into aware UTC;
    ValueError when it is not one (also for times that fall outside the calendar once moved to UTC)."""
    cleaned = text.strip().replace("Z", "+00:00")
    if cleaned.endswith("+0000"):
        cleaned = cleaned[:-5] + "+00:00"
    try:
        return as_utc(datetime.fromisoformat(cleaned))
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first instant a datetime holds in UTC
        raise ValueError(f"{text!r} is outside the range of dates") from None


def content_id(*parts: object) -> str:
    """A stable id derived from content, for items the platform gives no id (web pages, imports)."""
    joined = "\x1f".join("" if p is None else str(p).strip() for p in parts)
    return "h:" + hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote an item, as the platform names them."""

    external_id: str
    name: str = ""
    handle: str = ""
    url: str = ""
    follower_count: int | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One comment, reply, review or mention, normalized from a platform payload.

    ``external_id`` is unique per platform. ``parent_external_id`` is the item this one answers;
    ``thread_external_id`` the top of its conversation. ``object_*`` describe what was commented on
    (post, video, product, page). ``is_own`` marks items written by the brand itself.
    """

    platform: str
    external_id: str
    text: str
    published_at: datetime
    kind: str = "comment"
    author: Author | None = None
    parent_external_id: str | None = None
    thread_external_id: str | None = None
    object_id: str | None = None
    object_title: str | None = None
    object_url: str | None = None
    is_own: bool = False
    rating: float | None = None
    like_count: int | None = None
    url: str | None = None
    updated_at: datetime | None = None
    can_reply: bool = True
    reply_deadline_at: datetime | None = None
    language: str | None = None
    raw: dict[str, Any] | None = None
    fetched_at: datetime | None = None

    def fingerprint(self) -> str:
        """Hash of what the platform says about the item; unchanged fingerprint means nothing to update."""
        payload = [
            self.text,
            self.kind,
            self.author.external_id if self.author else None,
            self.author.name if self.author else None,
            self.parent_external_id,
            self.thread_external_id,
            self.object_id,
            self.object_title,
            self.is_own,
            self.rating,
            self.like_count,
            self.url,
            self.updated_at.isoformat() if self.updated_at else None,
            self.can_reply,
        ]
        blob = json.dumps(payload, ensure_ascii=False, default=str)
        return hashlib.sha1(blob.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(slots=True)
class Page:
    """A batch of items and the cursor to resume after them; stored together in one transaction.

    ``cursor=None`` leaves the source's cursor as it is. ``api_calls`` and ``quota_units`` are added to
    the run's bookkeeping.
    """

    items: list[Item] = field(default_factory=list)
    cursor: dict[str, Any] | None = None
    api_calls: int = 0
    quota_units: int = 0


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What ``Store.save_page`` changed."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    answered: int = 0


@dataclass(frozen=True, slots=True)
class ReplyRequest:
    """A reply for a publisher to post: the text and the item it answers."""

    reply_id: int
    source: str
    platform: str
    item_external_id: str
    thread_external_id: str | None
    object_id: str | None
    text: str
    item_raw: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class PostedReply:
    """What the platform answered when a reply was posted."""

    platform_reply_id: str
    url: str | None = None
    posted_at: datetime | None = None
