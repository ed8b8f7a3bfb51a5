"""Facebook Page comments over the Graph API: collect comments and replies, reply to them, hide them.

Listing follows platforms.md §2: the Page's recent posts (``/feed`` includes visitor posts) with each
post's comment count, then ``/{post-id}/comments?filter=stream&order=reverse_chronological`` (replies
arrive flattened with ``parent{id}``), newest first, stopping at the last run's watermark minus a lag
window. Posts whose count is unchanged and that are older than the lag window are not read again.
Docs: https://developers.facebook.com/docs/graph-api/reference/object/comments
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from collectors.base import SourceContext, text_or_none
from collectors.graph import (
    CLIENT_OPTIONS,
    ChangeTracker,
    GraphClient,
    client_for,
    count_or_none,
    is_graph_id,
    next_params,
    shorten,
    time_or_none,
    unless_gone,
)
from collectors.rest import dict_at, list_at
from social_listen.errors import UncertainDelivery
from social_listen.model import Author, Item, Page, PostedReply, ReplyRequest, utcnow

log = logging.getLogger(__name__)
PLATFORM = "facebook"
# The [sources.options] keys a facebook source understands (collectors.option_problems reports others).
OPTIONS = frozenset({"edge", "max_posts", "lookback_days", "lag_minutes", "page_size"}) | CLIENT_OPTIONS
# comments.filter(stream) makes total_count include replies, so a new reply changes the count too.
POST_FIELDS = ("id,message,created_time,updated_time,permalink_url,from{id,name},"
               "comments.filter(stream).limit(0).summary(true)")  # fmt: skip
COMMENT_FIELDS = ("id,from{id,name},message,created_time,like_count,comment_count,permalink_url,"
                  "parent{id},can_comment,is_hidden,attachment{type}")  # fmt: skip
POSTS_PAGE_SIZE = 25


@dataclass(frozen=True)
class Post:
    """A Page post as listed on the feed, with its comment count (replies included)."""

    id: str
    message: str | None
    permalink: str | None
    created: datetime
    updated: datetime | None
    comment_count: int | None
    author: Author | None
    raw: dict[str, Any]

    def is_visitor_post(self, page_id: str) -> bool:
        """A post someone else wrote on the Page: an item to answer, like a comment."""
        return self.author is not None and self.author.external_id != page_id


def parse_post(raw: Any) -> Post | None:
    """A Post from a feed entry, or None (logged) when it lacks an id or time."""
    created = time_or_none(raw.get("created_time")) if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not is_graph_id(raw.get("id")) or created is None:
        log.warning("skipping a Facebook post without id or created_time: %r", _keys(raw))
        return None
    summary = dict_at(dict_at(raw, "comments"), "summary")
    return Post(
        id=str(raw["id"]), message=text_or_none(raw.get("message")),
        permalink=text_or_none(raw.get("permalink_url")), created=created,
        updated=time_or_none(raw.get("updated_time")), comment_count=count_or_none(summary.get("total_count")),
        author=graph_author(raw.get("from")), raw=raw,
    )  # fmt: skip


def graph_author(value: Any) -> Author | None:
    """The ``from{id,name}`` of a Graph object (absent without a Page token or for deleted users)."""
    if not isinstance(value, dict) or not value.get("id"):
        return None
    return Author(external_id=str(value["id"]), name=str(value.get("name") or ""))


def _keys(raw: Any) -> list[str]:
    return sorted(raw) if isinstance(raw, dict) else [type(raw).__name__]


def comment_text(raw: dict[str, Any]) -> str:
    """The comment's message; sticker- or photo-only comments get a short placeholder."""
    message = str(raw.get("message") or "").strip()
    if message:
        return message
    kind = (raw.get("attachment") or {}).get("type") if isinstance(raw.get("attachment"), dict) else None
    return f"[{kind}]" if kind else ""


class FacebookCollector:
    """Collects a Page's comments, replies and visitor posts; the Page's own replies mark items answered."""

    def __init__(self, context: SourceContext, client: GraphClient,
                 clock: Callable[[], datetime] = utcnow) -> None:  # fmt: skip
        self.page_id = context.source.targets[0]
        self.client = client
        self.clock = clock
        self.edge = str(context.option("edge", "feed"))
        self.max_posts = int(context.option("max_posts", 50))
        self.lookback = timedelta(days=float(context.option("lookback_days", 30)))
        self.lag = timedelta(minutes=float(context.option("lag_minutes", 120)))
        self.page_size = int(context.option("page_size", 100))
        self._reported = 0

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of new comments; the final page promotes the watermark (architecture invariant 2)."""
        tracker = ChangeTracker.from_cursor(cursor, self.lag)
        posts = self.recent_posts()
        visitors = self.visitor_post_items(posts, tracker)
        if visitors:
            yield self._page(visitors)
        for post in posts:
            if not self._should_read(post, tracker):
                _remember(tracker, post)
                continue
            for items, done in self.post_comments(post, tracker):
                if done:  # the post's last page commits its count with it
                    _remember(tracker, post)
                yield self._page(items, tracker.cursor(final=False))
        yield self._page([], tracker.cursor(final=True, keep={p.id for p in posts}))

    @staticmethod
    def _should_read(post: Post, tracker: ChangeTracker) -> bool:
        if post.comment_count == 0:
            return False  # nothing to read; the count is remembered
        return tracker.needs_read(post.id, post.comment_count, post.created, post.updated)

    def recent_posts(self) -> list[Post]:
        """The newest posts of the Page's edge, up to ``max_posts`` and back to ``lookback_days``."""
        cutoff = self.clock() - self.lookback
        posts: list[Post] = []
        params = {"fields": POST_FIELDS, "limit": min(POSTS_PAGE_SIZE, self.max_posts)}
        for body in self.client.pages(f"/{self.page_id}/{self.edge}", params):
            found = [p for p in map(parse_post, list_at(body, "data")) if p is not None]
            recent = [p for p in found if max(p.created, p.updated or p.created) >= cutoff]
            posts.extend(recent[: self.max_posts - len(posts)])
            if len(posts) >= self.max_posts or (found and not recent):
                break
        return posts

    def post_comments(self, post: Post, tracker: ChangeTracker) -> Iterator[tuple[list[Item], bool]]:
        """(items, is last page) per page of the post's comments, newest first, down to the stop time."""
        stop_at = tracker.stop_at(post.id)
        params = {"filter": "stream", "order": "reverse_chronological", "fields": COMMENT_FIELDS,
                  "summary": "total_count", "limit": self.page_size}  # fmt: skip
        pages = self.client.pages(f"/{post.id}/comments", params)
        for body in unless_gone(pages, f"Facebook post {post.id}"):
            items = [i for i in (self.comment_item(raw, post) for raw in list_at(body, "data")) if i]
            for item in items:
                tracker.saw(item.published_at)
            reached = stop_at is not None and any(i.published_at < stop_at for i in items)
            yield items, reached or next_params(body.get("paging")) is None
            if reached:
                return

    def comment_item(self, raw: Any, post: Post) -> Item | None:
        """One comment or reply as an Item; None (logged) when it lacks an id or time."""
        created = time_or_none(raw.get("created_time")) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not is_graph_id(raw.get("id")) or created is None:
            log.warning("skipping a comment on Facebook post %s without id or created_time: %r",
                        post.id, _keys(raw))  # fmt: skip
            return None
        author = graph_author(raw.get("from"))
        parent = (raw.get("parent") or {}).get("id") if isinstance(raw.get("parent"), dict) else None
        top_parent = post.id if post.is_visitor_post(self.page_id) else None
        return Item(
            platform=PLATFORM, external_id=str(raw["id"]), text=comment_text(raw), published_at=created,
            kind="reply" if parent else "comment", author=author,
            parent_external_id=str(parent) if parent else top_parent,
            thread_external_id=str(parent) if parent else str(raw["id"]),
            object_id=post.id, object_title=shorten(post.message), object_url=post.permalink,
            is_own=author is not None and author.external_id == self.page_id,
            like_count=count_or_none(raw.get("like_count")), url=text_or_none(raw.get("permalink_url")),
            can_reply=raw.get("can_comment") is not False, raw=raw, fetched_at=self.clock(),
        )  # fmt: skip

    def visitor_post_items(self, posts: list[Post], tracker: ChangeTracker) -> list[Item]:
        """Posts visitors wrote on the Page, as items; the Page's comment on one answers it."""
        items = [self.post_item(p) for p in posts if p.is_visitor_post(self.page_id)]
        for item in items:
            tracker.saw(item.published_at)
        return items

    def post_item(self, post: Post) -> Item:
        """A visitor post as an Item of kind ``post``."""
        return Item(
            platform=PLATFORM, external_id=post.id, text=post.message or "", published_at=post.created,
            kind="post", author=post.author, thread_external_id=post.id, object_id=post.id,
            object_title=shorten(post.message), object_url=post.permalink, url=post.permalink,
            raw={k: v for k, v in post.raw.items() if k != "comments"}, fetched_at=self.clock(),
        )  # fmt: skip

    def _page(self, items: list[Item], cursor: dict[str, Any] | None = None) -> Page:
        calls, self._reported = self.client.calls - self._reported, self.client.calls
        return Page(items=items, cursor=cursor, api_calls=calls)


def _remember(tracker: ChangeTracker, post: Post) -> None:
    """Record the post's count once its comments are saved (unknown counts are always re-read)."""
    if post.comment_count is not None:
        tracker.counts[post.id] = post.comment_count


class FacebookPublisher:
    """Replies to comments as the Page and hides or unhides them (moderation)."""

    def __init__(self, client: GraphClient) -> None:
        self.client = client

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """``POST /{comment-id}/comments`` with ``message``; posted once, never retried automatically."""
        body = self.client.post(f"/{reply.item_external_id}/comments", {"message": reply.text})
        if not body.get("id"):
            raise UncertainDelivery(f"Facebook accepted reply {reply.reply_id} but returned no comment id")
        return PostedReply(platform_reply_id=str(body["id"]), url=body.get("permalink_url"),
                           posted_at=time_or_none(body.get("created_time")))  # fmt: skip

    def hide_comment(self, comment_id: str, hidden: bool = True) -> bool:
        """Hide (or unhide) a comment on the Page: ``POST /{comment-id}`` with ``is_hidden``."""
        body = self.client.post(
            f"/{comment_id}", {"is_hidden": "true" if hidden else "false"}, idempotent=True
        )
        return bool(body.get("success", False))


def create(context: SourceContext) -> FacebookCollector:
    """The collector for a ``facebook`` source (target: the Page id; credentials.page_token)."""
    return FacebookCollector(context, client_for(context, context.credential("page_token")))


def create_publisher(context: SourceContext) -> FacebookPublisher:
    """The publisher for a ``facebook`` source."""
    return FacebookPublisher(client_for(context, context.credential("page_token")))
