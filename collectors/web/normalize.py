"""Turn the crawler's JSON events into Items, and Items into the flat rows `export` and `crawl` print."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from social_listen.model import Author, Item, content_id, parse_time

# The fields of `social-listen export` that exist before triage, in its order.
EXPORT_FIELDS = (
    "platform", "external_id", "kind", "parent_external_id", "thread_external_id", "author_name", "is_own",
    "text", "lang", "rating", "url", "object_title", "object_url", "published_at",
)  # fmt: skip


def to_item(event: dict[str, Any], platform: str, fetched_at: datetime) -> Item:
    """The Item for a ``record`` or ``snapshot`` event of a crawl started at ``fetched_at``."""
    if event["type"] == "snapshot":
        return snapshot_item(event, platform, fetched_at)
    return record_item(event, platform, fetched_at)


def record_item(event: dict[str, Any], platform: str, fetched_at: datetime) -> Item:
    """A review, comment or reply. Pages without dates get the first crawl's time (later crawls keep it).

    Web pages have no reply API: replies are written on the site, so ``can_reply`` is False.
    """
    return Item(
        platform=platform, external_id=event["external_id"], text=event.get("text") or "",
        published_at=_time(event.get("published_at")) or fetched_at, kind=event["kind"],
        author=_author(event), parent_external_id=event.get("parent_external_id"),
        thread_external_id=event.get("thread_external_id"), object_id=event.get("object_id"),
        object_title=event.get("object_title"), object_url=event.get("object_url"),
        is_own=bool(event.get("is_own")), rating=event.get("rating"), url=event.get("url"),
        updated_at=_time(event.get("updated_at")), can_reply=False, raw=_raw(event), fetched_at=fetched_at,
    )  # fmt: skip


def snapshot_item(event: dict[str, Any], platform: str, fetched_at: datetime) -> Item:
    """The page's aggregate rating as one ``post`` item per reviewed object and day (a daily series).

    It is the shop's own published figure, so it is ``is_own`` (closed, never in the inbox); a second
    crawl on the same day updates that day's point instead of adding one.
    """
    subject = event.get("object_id") or event.get("object_url") or event["page_url"]
    day = fetched_at.date().isoformat()
    return Item(
        platform=platform, external_id=f"agg:{content_id(subject)[2:]}:{day}", text=_summary(event),
        published_at=fetched_at, kind="post", object_id=event.get("object_id"),
        object_title=event.get("object_title"), object_url=event.get("object_url"), is_own=True,
        rating=event.get("rating"), like_count=None, url=event["page_url"], can_reply=False,
        raw=_raw(event), fetched_at=fetched_at,
    )  # fmt: skip


def _summary(event: dict[str, Any]) -> str:
    counts = [f"{event[k]} {label}" for k, label in (("rating_count", "ratings"), ("review_count", "reviews"))
              if event.get(k) is not None]  # fmt: skip
    title = event.get("object_title") or event.get("object_url") or event["page_url"]
    return f"Aggregate rating {event['rating']:g}/5 for {title}" + (
        f" ({', '.join(counts)})" if counts else ""
    )


def _author(event: dict[str, Any]) -> Author | None:
    name, url = event.get("author_name") or "", event.get("author_url") or ""
    if not name and not url:
        return None
    site = urlsplit(event.get("page_url") or "").hostname or ""
    return Author(external_id=url or f"{site}:{name}", name=name, url=url)


def _time(value: str | None) -> datetime | None:
    try:
        return parse_time(value) if value else None
    except ValueError:
        return None


def _raw(event: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key != "type"}


def export_row(item: Item) -> dict[str, Any]:
    """An item as the flat row `social-listen export` writes (the fields that exist before triage)."""
    row = {
        "platform": item.platform, "external_id": item.external_id, "kind": item.kind,
        "parent_external_id": item.parent_external_id, "thread_external_id": item.thread_external_id,
        "author_name": item.author.name if item.author else "", "is_own": item.is_own, "text": item.text,
        "lang": item.language, "rating": item.rating, "url": item.url, "object_title": item.object_title,
        "object_url": item.object_url, "published_at": item.published_at.isoformat().replace("+00:00", "Z"),
    }  # fmt: skip
    return {key: row[key] for key in EXPORT_FIELDS}
