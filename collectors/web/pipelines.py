"""The item pipeline, in order: normalise ratings, validate, give every record a stable id, drop repeats.

https://docs.scrapy.org/en/latest/topics/item-pipeline.html
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag

from scrapy.exceptions import DropItem

from collectors.web.records import RatingSnapshot, WebRecord, normalise_rating
from social_listen.model import content_id

MAX_ID = 255  # items.external_id is VARCHAR(255)
KINDS = ("review", "comment", "reply")


class NormaliseRatingPipeline:
    """Ratings onto 1-5 using the page's bestRating/worstRating; one outside its own scale is kept in raw."""

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Normalise ``item.rating`` in place."""
        if isinstance(item, WebRecord | RatingSnapshot) and item.rating is not None:
            scaled = normalise_rating(item.rating, item.best_rating, item.worst_rating)
            if scaled is None:
                item.raw["rating_out_of_scale"] = [item.rating, item.worst_rating, item.best_rating]
            item.rating = scaled
        return item


class ValidateRecordPipeline:
    """Drops what cannot become an item: comments without text, reviews without text or rating."""

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """The item, or DropItem saying what is missing."""
        if isinstance(item, WebRecord):
            _check_record(item)
        elif isinstance(item, RatingSnapshot) and item.rating is None:
            raise DropItem(f"aggregate rating on {item.page_url} has no usable ratingValue")
        return item


def _check_record(record: WebRecord) -> None:
    where = f"{record.kind} on {record.page_url}"
    if record.kind not in KINDS:
        raise DropItem(f"{where}: unknown kind (expected one of {', '.join(KINDS)})")
    if record.kind == "review" and not record.text and record.rating is None:
        raise DropItem(f"{where} by {record.author_name or 'anonymous'}: no body and no rating")
    if record.kind != "review" and not record.text:
        raise DropItem(f"{where} ({record.external_id or 'no id'}): empty text")


class StableIdPipeline:
    """The page's own id where it has one, else a hash of URL, author, date and body (re-crawls agree)."""

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Fill ``external_id`` and ``thread_external_id``."""
        if isinstance(item, WebRecord):
            if not item.external_id:
                url = urldefrag(item.object_url or item.page_url)[0]
                item.external_id = content_id(url, item.author_name, item.published_at, item.text)
            item.external_id = _short(item.external_id)
            item.parent_external_id = _short(item.parent_external_id) if item.parent_external_id else None
            top = item.thread_external_id or item.parent_external_id or item.external_id
            item.thread_external_id = _short(top)
        return item


def _short(value: str) -> str:
    return value if len(value) <= MAX_ID else content_id(value)


class DuplicatePipeline:
    """The same review often appears twice (JSON-LD and microdata, or on two pages): keep the first."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """The item, or DropItem when its id was already seen in this crawl."""
        key = _key(item)
        if key is None:
            return item
        if key in self.seen:
            raise DropItem(f"duplicate {key[0]} {key[1]} (already found in this crawl)")
        self.seen.add(key)
        return item


def _key(item: Any) -> tuple[str, str] | None:
    if isinstance(item, WebRecord):
        return ("record", str(item.external_id))
    if isinstance(item, RatingSnapshot):
        return ("aggregate rating of", str(item.object_id or item.page_url))
    return None
