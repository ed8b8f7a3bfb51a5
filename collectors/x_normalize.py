"""Turn X API v2 posts into Items; a malformed post is logged and skipped, never sinks the page.

Shapes: https://docs.x.com/x-api/fundamentals/data-dictionary. A post's time comes from ``created_at`` when
requested, else from its id: post ids are Snowflakes whose top bits are milliseconds since 2010-11-04.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from collectors.base import count_or_none
from social_listen.model import Author, Item, parse_time

log = logging.getLogger(__name__)
PLATFORM = "x"
SNOWFLAKE_EPOCH_MS = 1288834974657
# Authors may limit who can reply; "mentionedUsers" still lets a mentioned brand answer.
_REPLY_SETTINGS_OPEN = (None, "everyone", "mentionedUsers")
# X puts the handles of the conversation in front of a reply's text ("@ana Gracias"); the brand wrote "Gracias".
_LEADING_MENTIONS = re.compile(r"^(?:@\w{1,15}\s+)+")


def snowflake_time(tweet_id: str) -> datetime | None:
    """When a post was created, read from its Snowflake id (None for ids that are not Snowflakes)."""
    try:
        millis = (int(tweet_id) >> 22) + SNOWFLAKE_EPOCH_MS
        return datetime.fromtimestamp(millis / 1000, UTC) if millis > SNOWFLAKE_EPOCH_MS else None
    except (ValueError, OverflowError, OSError):  # not a number, or a "Snowflake" beyond the calendar
        return None


def post_url(tweet_id: str, username: str | None = None) -> str:
    """The post's public link."""
    return (
        f"https://x.com/{username}/status/{tweet_id}"
        if username
        else f"https://x.com/i/web/status/{tweet_id}"
    )


def replied_to(tweet: dict[str, Any]) -> str | None:
    """The id of the post this one replies to, if it is a reply."""
    refs = tweet.get("referenced_tweets")
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and ref.get("type") == "replied_to" and ref.get("id"):
            return str(ref["id"])
    return None


def users_by_id(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The ``includes.users`` of a response, by id."""
    includes = i if isinstance(i := body.get("includes"), dict) else {}
    users = u if isinstance(u := includes.get("users"), list) else []
    return {str(u["id"]): u for u in users if isinstance(u, dict) and u.get("id")}


def _author(tweet: dict[str, Any], users: dict[str, dict[str, Any]]) -> Author | None:
    author_id = tweet.get("author_id")
    if not author_id:
        return None
    user = users.get(str(author_id), {})
    username = str(user.get("username") or "")
    followers = _dict(user.get("public_metrics")).get("followers_count")
    return Author(
        external_id=str(author_id), name=str(user.get("name") or username), handle=username,
        url=f"https://x.com/{username}" if username else "",
        follower_count=count_or_none(followers) if isinstance(followers, int) else None,
    )  # fmt: skip


def _time(tweet: dict[str, Any], tweet_id: str) -> datetime | None:
    created = tweet.get("created_at")
    try:
        return parse_time(created) if isinstance(created, str) and created else snowflake_time(tweet_id)
    except ValueError:
        return snowflake_time(tweet_id)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def tweet_item(
    tweet: Any, users: dict[str, dict[str, Any]], brand_id: str, fetched_at: datetime | None = None
) -> Item | None:
    """The Item for one post; None (logged) when it has no usable id or time.

    A customer's post keeps ``parent_external_id`` empty: X conversations have many participants, and the
    brand answering one of them must not mark the others answered. The brand's own replies carry the
    post they answer as parent, which is how an item becomes answered.
    """
    tweet_id = str(tweet.get("id") or "") if isinstance(tweet, dict) else ""
    published = _time(tweet, tweet_id) if tweet_id else None
    if published is None:
        log.warning("skipping an X post without a usable id or created_at")
        return None
    author = _author(tweet, users)
    own = author is not None and author.external_id == brand_id
    text = str(tweet.get("text") or "")
    if own and replied_to(tweet):
        text = _LEADING_MENTIONS.sub("", text) or text
    likes = _dict(tweet.get("public_metrics")).get("like_count")
    return Item(
        platform=PLATFORM, external_id=tweet_id, text=text, published_at=published,
        kind="reply" if own else "mention", author=author,
        parent_external_id=replied_to(tweet) if own else None,
        thread_external_id=str(tweet.get("conversation_id") or tweet_id), is_own=own,
        like_count=count_or_none(likes) if isinstance(likes, int) else None,
        url=post_url(tweet_id, author.handle if author else None),
        can_reply=tweet.get("reply_settings") in _REPLY_SETTINGS_OPEN, raw=tweet, fetched_at=fetched_at,
    )  # fmt: skip


def page_items(
    body: dict[str, Any], brand_id: str, fetched_at: datetime | None = None,
    known_users: dict[str, dict[str, Any]] | None = None,
) -> list[Item]:  # fmt: skip
    """Items for every post in a response's ``data``; ``known_users`` fill in authors not in ``includes``."""
    data = body.get("data")
    users = {**(known_users or {}), **users_by_id(body)}
    found = [tweet_item(t, users, brand_id, fetched_at) for t in (data if isinstance(data, list) else [])]
    return [item for item in found if item is not None]
