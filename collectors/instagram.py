"""Instagram business/creator account comments over the Graph API: collect, reply, hide.

Listing follows platforms.md §3: ``/{ig-user-id}/media`` (cursor paging) with each media's
``comments_count``, then ``/{ig-media-id}/comments`` (top-level only, replies nested; more replies via
``/{ig-comment-id}/replies``). The comment order is not documented, so a changed media is read in full;
unchanged media outside the lag window are skipped. Photos the account is tagged in (``/{ig-user-id}/tags``)
come in as mentions. Both flavours work: Facebook Login (graph.facebook.com, the default) and
Instagram Login (``base_url = "https://graph.instagram.com/v26.0"``).
Docs: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment
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
from collectors.rest import list_at
from social_listen.errors import AuthError, PlatformError, RateLimited, ReplyNotAllowed, UncertainDelivery
from social_listen.model import Author, Item, Page, PostedReply, ReplyRequest, utcnow

log = logging.getLogger(__name__)
PLATFORM = "instagram"
# The [sources.options] keys an instagram source understands (collectors.option_problems reports others).
OPTIONS = (
    frozenset({"username", "mentions", "max_media", "lookback_days", "lag_minutes", "page_size"})
    | CLIENT_OPTIONS
)
PRIVATE_REPLY_WINDOW = timedelta(days=7)  # Instagram Messaging private replies: within 7 days of the comment
MEDIA_FIELDS = "id,caption,permalink,timestamp,comments_count,like_count,media_type,media_product_type"
REPLY_FIELDS = "id,text,timestamp,username,from{id,username},like_count,hidden,parent_id,media{id,media_product_type,permalink}"
COMMENT_FIELDS = REPLY_FIELDS + f",replies{{{REPLY_FIELDS}}}"
TAG_FIELDS = "id,caption,permalink,timestamp,username,media_type"
MEDIA_PAGE_SIZE = 25


@dataclass(frozen=True)
class Media:
    """One of the account's media with its comment count (replies included)."""

    id: str
    caption: str | None
    permalink: str | None
    created: datetime
    comments_count: int | None
    product_type: str | None


def parse_media(raw: Any) -> Media | None:
    """A Media from a ``/media`` entry, or None (logged) when it lacks an id or timestamp."""
    created = time_or_none(raw.get("timestamp")) if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not is_graph_id(raw.get("id")) or created is None:
        log.warning("skipping an Instagram media without id or timestamp")
        return None
    return Media(id=str(raw["id"]), caption=text_or_none(raw.get("caption")),
                 permalink=text_or_none(raw.get("permalink")), created=created, comments_count=count_or_none(raw.get("comments_count")),
                 product_type=text_or_none(raw.get("media_product_type")))  # fmt: skip


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (Graph omits fields it cannot show)."""
    return value if isinstance(value, dict) else {}


def ig_author(raw: dict[str, Any]) -> Author | None:
    """The commenter: ``from{id,username}`` (since 2021-10) or just ``username`` on older payloads."""
    who = as_dict(raw.get("from"))
    username = str(who.get("username") or raw.get("username") or "")
    external = str(who.get("id") or (f"@{username}" if username else ""))
    if not external:
        return None
    return Author(external_id=external, name=username, handle=username,
                  url=f"https://www.instagram.com/{username}/" if username else "")  # fmt: skip


class InstagramCollector:
    """Collects comments and replies on the account's media; the account's own replies answer them."""

    def __init__(self, context: SourceContext, client: GraphClient,
                 clock: Callable[[], datetime] = utcnow) -> None:  # fmt: skip
        self.account_id = context.source.targets[0]
        self.username = str(context.option("username", "")).lstrip("@").lower()
        self.client = client
        self.clock = clock
        self.mentions = bool(context.option("mentions", True))
        self.max_media = int(context.option("max_media", 50))
        self.lookback = timedelta(days=float(context.option("lookback_days", 30)))
        self.lag = timedelta(minutes=float(context.option("lag_minutes", 120)))
        self.page_size = int(context.option("page_size", 50))
        self._reported = 0

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of comments on new or changed media; the final page promotes the watermark."""
        tracker = ChangeTracker.from_cursor(cursor, self.lag)
        media = self.recent_media()
        mentions = self.tagged_items() if self.mentions else []
        if mentions:
            yield self._page(mentions)
        for one in media:
            if one.comments_count == 0 or not tracker.needs_read(one.id, one.comments_count, one.created):
                _remember(tracker, one)
                continue
            for items, done in self.media_comments(one, tracker):
                if done:  # the media's last page commits its count with it
                    _remember(tracker, one)
                yield self._page(items, tracker.cursor(final=False))
        yield self._page([], tracker.cursor(final=True, keep={m.id for m in media}))

    def recent_media(self) -> list[Media]:
        """The account's newest media, up to ``max_media`` and back to ``lookback_days``."""
        cutoff = self.clock() - self.lookback
        found: list[Media] = []
        params = {"fields": MEDIA_FIELDS, "limit": min(MEDIA_PAGE_SIZE, self.max_media)}
        for body in self.client.pages(f"/{self.account_id}/media", params):
            page = [m for m in map(parse_media, list_at(body, "data")) if m is not None]
            recent = [m for m in page if m.created >= cutoff]
            found.extend(recent[: self.max_media - len(found)])
            if len(found) >= self.max_media or len(recent) < len(page):
                break
        return found

    def media_comments(self, media: Media, tracker: ChangeTracker) -> Iterator[tuple[list[Item], bool]]:
        """(items, is last page) per page of the media's top-level comments, each with its replies."""
        params = {"fields": COMMENT_FIELDS, "limit": self.page_size}
        pages = self.client.pages(f"/{media.id}/comments", params)
        for body in unless_gone(pages, f"Instagram media {media.id}"):
            items: list[Item] = []
            for raw in list_at(body, "data"):
                items.extend(self.thread_items(raw, media))
            for item in items:
                tracker.saw(item.published_at)
            yield items, next_params(body.get("paging")) is None

    def thread_items(self, raw: Any, media: Media) -> list[Item]:
        """A top-level comment and all its replies (fetched from ``/replies`` when the nested page is partial)."""
        top = self.comment_item(raw, media, parent=None)
        if top is None:
            return []
        nested = as_dict(raw.get("replies"))
        replies = list_at(nested, "data")
        if as_dict(nested.get("paging")).get("next"):
            params = {"fields": REPLY_FIELDS, "limit": self.page_size}
            pages = self.client.pages(f"/{top.external_id}/replies", params)
            replies = [r for body in unless_gone(pages, f"Instagram comment {top.external_id}")
                       for r in list_at(body, "data")]  # fmt: skip
        found = (self.comment_item(r, media, parent=top.external_id) for r in replies)
        return [top, *(i for i in found if i is not None)]

    def comment_item(self, raw: Any, media: Media, parent: str | None) -> Item | None:
        """One comment or reply as an Item; None (logged) when it lacks an id or timestamp."""
        created = time_or_none(raw.get("timestamp")) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not is_graph_id(raw.get("id")) or created is None:
            log.warning("skipping an Instagram comment on media %s without id or timestamp", media.id)
            return None
        author = ig_author(raw)
        own = self.is_own(author)
        parent = str(raw.get("parent_id") or parent or "") or None
        live = (as_dict(raw.get("media")).get("media_product_type") or media.product_type) == "LIVE"
        return Item(
            platform=PLATFORM, external_id=str(raw["id"]), text=str(raw.get("text") or ""), published_at=created,
            kind="reply" if parent else "comment", author=author, parent_external_id=parent,
            thread_external_id=parent or str(raw["id"]), object_id=media.id, object_title=shorten(media.caption),
            object_url=media.permalink, url=media.permalink, is_own=own,
            like_count=count_or_none(raw.get("like_count")), can_reply=not raw.get("hidden") and not live,
            reply_deadline_at=None if own else created + PRIVATE_REPLY_WINDOW,
            raw={k: v for k, v in raw.items() if k != "replies"}, fetched_at=self.clock(),
        )  # fmt: skip

    def is_own(self, author: Author | None) -> bool:
        """Whether the account itself wrote it: ``from.id`` is the account, or the configured username."""
        if author is None:
            return False
        return author.external_id == self.account_id or bool(
            self.username and author.handle.lower() == self.username
        )

    def tagged_items(self) -> list[Item]:
        """Recent media of others that tag the account, as mentions (first page; optional on some logins)."""
        try:
            body = self.client.get(
                f"/{self.account_id}/tags", {"fields": TAG_FIELDS, "limit": MEDIA_PAGE_SIZE}
            )
        except (AuthError, RateLimited):
            raise
        except PlatformError as exc:
            log.warning("Instagram mentions (tagged media) unavailable for %s: %s", self.account_id, exc)
            return []
        return [i for i in map(self.mention_item, list_at(body, "data")) if i is not None]

    def mention_item(self, raw: Any) -> Item | None:
        """A media that tags the account, as a ``mention`` item (answered in the Instagram app)."""
        created = time_or_none(raw.get("timestamp")) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not is_graph_id(raw.get("id")) or created is None:
            log.warning("skipping a tagged Instagram media without id or timestamp")
            return None
        return Item(
            platform=PLATFORM, external_id=str(raw["id"]), text=str(raw.get("caption") or ""), published_at=created,
            kind="mention", author=ig_author(raw), thread_external_id=str(raw["id"]), object_id=str(raw["id"]),
            object_title=shorten(raw.get("caption")), object_url=text_or_none(raw.get("permalink")),
            url=text_or_none(raw.get("permalink")),
            can_reply=False, raw=raw, fetched_at=self.clock(),
        )  # fmt: skip

    def _page(self, items: list[Item], cursor: dict[str, Any] | None = None) -> Page:
        calls, self._reported = self.client.calls - self._reported, self.client.calls
        return Page(items=items, cursor=cursor, api_calls=calls)


def _remember(tracker: ChangeTracker, media: Media) -> None:
    """Record the media's count once its comments are saved (unknown counts are always re-read)."""
    if media.comments_count is not None:
        tracker.counts[media.id] = media.comments_count


def reply_target(reply: ReplyRequest) -> str:
    """The comment to post under; ReplyNotAllowed (with the reason) where Instagram refuses a reply."""
    raw = reply.item_raw or {}
    media = as_dict(raw.get("media"))
    url = media.get("permalink") or raw.get("permalink")
    if "media_type" in raw:
        raise ReplyNotAllowed(
            "this is a post that tags the account, not a comment: answer it in the Instagram app", url
        )
    if raw.get("hidden"):
        raise ReplyNotAllowed("Instagram does not accept replies to hidden comments: unhide it first "
                              "or answer it in the Instagram app", url)  # fmt: skip
    if media.get("media_product_type") == "LIVE":
        raise ReplyNotAllowed("comments on a live video cannot be replied to: send a private reply "
                              "from the Instagram app (within 7 days)", url)  # fmt: skip
    # Only top-level comments take replies; a reply to a reply is attached to the top-level comment.
    return str(raw.get("parent_id") or reply.thread_external_id or reply.item_external_id)


class InstagramPublisher:
    """Replies to comments as the account and hides or unhides them."""

    def __init__(self, client: GraphClient) -> None:
        self.client = client

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """``POST /{ig-comment-id}/replies`` with ``message``, after refusing what Instagram forbids."""
        body = self.client.post(f"/{reply_target(reply)}/replies", {"message": reply.text})
        if not body.get("id"):
            raise UncertainDelivery(f"Instagram accepted reply {reply.reply_id} but returned no comment id")
        return PostedReply(platform_reply_id=str(body["id"]))

    def hide_comment(self, comment_id: str, hidden: bool = True) -> bool:
        """Hide (or unhide) a comment: ``POST /{ig-comment-id}`` with ``hide``."""
        body = self.client.post(f"/{comment_id}", {"hide": "true" if hidden else "false"}, idempotent=True)
        return bool(body.get("success", False))


def _token(context: SourceContext) -> str:
    # Facebook Login uses the Page token; Instagram Login an Instagram user token (either key works).
    return context.credentials.get("access_token") or context.credential("page_token")


def create(context: SourceContext) -> InstagramCollector:
    """The collector for an ``instagram`` source (target: the IG business account id)."""
    return InstagramCollector(context, client_for(context, _token(context)))


def create_publisher(context: SourceContext) -> InstagramPublisher:
    """The publisher for an ``instagram`` source."""
    return InstagramPublisher(client_for(context, _token(context)))
