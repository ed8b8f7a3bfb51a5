"""What the web spiders produce: plain dataclasses, plus the text, date and rating helpers they share.

These records cross the process boundary as JSON Lines (see ``run.py``), so every field is plain data.
"""

from __future__ import annotations

import email.utils
import html
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from social_listen.model import parse_time

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class WebRecord:
    """One review or comment as found on a page, before ids are made stable."""

    kind: str  # "review", "comment" or "reply"
    page_url: str
    text: str
    author_name: str = ""
    author_url: str | None = None
    published_at: str | None = None  # ISO 8601 in UTC, or None when the page shows no date
    updated_at: str | None = None
    external_id: str | None = None  # the page's own id (comment-123, review @id), made stable later
    parent_external_id: str | None = None
    thread_external_id: str | None = None
    rating: float | None = None  # as on the page; normalised to 1-5 by the pipeline
    best_rating: float | None = None
    worst_rating: float | None = None
    url: str | None = None
    object_id: str | None = None
    object_title: str | None = None
    object_url: str | None = None
    is_own: bool = False
    syntax: str = ""  # json-ld, microdata, rdfa, wordpress, css-profile, rss, atom
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class RatingSnapshot:
    """A page's aggregate rating (average and counts) at the time of the crawl."""

    page_url: str
    rating: float | None
    best_rating: float | None = None
    worst_rating: float | None = None
    rating_count: int | None = None
    review_count: int | None = None
    object_id: str | None = None
    object_title: str | None = None
    object_url: str | None = None
    syntax: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class PageVisit:
    """A page the spider fetched and parsed, with how many records it yielded."""

    url: str
    status: int
    records: int = 0


@dataclass
class PageFailure:
    """A URL that could not be fetched or parsed, and why."""

    url: str
    reason: str


RECORD_TYPES: dict[type, str] = {
    WebRecord: "record",
    RatingSnapshot: "snapshot",
    PageVisit: "visit",
    PageFailure: "failure",
}


def as_event(record: Any) -> dict[str, Any]:
    """The JSON-ready event for a record: its fields plus ``type``."""
    return {"type": RECORD_TYPES[type(record)], **asdict(record)}


def clean_text(value: Any) -> str:
    """Plain text from a page value: tags removed, entities decoded, paragraphs kept, spaces collapsed."""
    if value is None:
        return ""
    text = str(value)
    if _TAG.search(text):
        import html_text  # extruct's dependency; turns block elements into line breaks

        text = html_text.extract_text(text, guess_layout=True)
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def iso_time(value: Any, date_format: str | None = None) -> str | None:
    """An ISO 8601 UTC timestamp from ISO, RFC 822 (feeds) or ``date_format`` text; None if unreadable."""
    text = clean_text(value)
    if not text:
        return None
    for parse in (_from_iso, _from_rfc822, lambda t: _from_format(t, date_format)):
        parsed = parse(text)
        if parsed is not None:
            return parsed.isoformat()
    return None


def _from_iso(text: str) -> datetime | None:
    try:
        return parse_time(text)
    except ValueError:
        return None


def _from_rfc822(text: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or UTC).astimezone(UTC)


def _from_format(text: str, date_format: str | None) -> datetime | None:
    if not date_format:
        return None
    try:
        parsed = datetime.strptime(text, date_format)
    except ValueError:
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or UTC).astimezone(UTC)


def number(value: Any) -> float | None:
    """A number from a page value ("4,5", " 4.5 stars", 4); None when there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = re.search(r"-?\d+(?:[.,]\d+)?", str(value or ""))
    return float(match.group().replace(",", ".")) if match else None


def normalise_rating(value: Any, best: Any = None, worst: Any = None) -> float | None:
    """A rating on schema.org's scale (worstRating 1, bestRating 5 unless given) mapped onto 1-5.

    Returns None when the value is missing or outside its own scale.
    """
    rating, high = number(value), number(best)
    low = number(worst)
    high = 5.0 if high is None else high
    low = 1.0 if low is None else low
    if rating is None or high <= low or not low <= rating <= high:
        return None
    return round(1 + (rating - low) * 4 / (high - low), 2)
