"""X (Twitter) mentions through tweepy: collect posts that mention the brand and the brand's own replies;
post replies.

Both feeds are newest first with ``since_id``: the old ``since_id`` stays in the cursor, with the next
``pagination_token``, until the walk is finished; then the newest id seen becomes the next ``since_id``.
The brand's own timeline shows which mentions it already answered, also from the X app: every own post
with ``referenced_tweets[type=replied_to]`` is stored as an own reply to that post.
Docs: https://docs.x.com/x-api/users/get-mentions and .../users/get-posts
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from collectors.base import AuthError, NotFound, PlatformError, RetryPolicy, SourceContext
from collectors.x_api import DEFAULT_TIMEOUT, XApi, make_client, web_url
from collectors.x_normalize import page_items, post_url, replied_to
from social_listen.errors import ConfigError
from social_listen.model import Item, Page, PostedReply, ReplyRequest, parse_time, utcnow

log = logging.getLogger(__name__)
FEEDS = ("mentions", "timeline")
# The [sources.options] keys an x source understands (collectors.option_problems reports others).
OPTIONS = frozenset({"backfill_days", "max_results", "timeout"})
TWEET_FIELDS = ["created_at", "author_id", "conversation_id", "in_reply_to_user_id", "referenced_tweets",
                "public_metrics", "reply_settings"]  # fmt: skip
USER_FIELDS = ["username", "name", "public_metrics"]
OAUTH1_KEYS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")


@dataclass
class Feed:
    """Where one newest-first feed stands: the old ``since_id`` is kept until a walk is finished."""

    since_id: str | None = None
    page_token: str | None = None
    newest_id: str | None = None
    start_time: str | None = None  # the first run's backfill limit, kept while its walk is unfinished

    @classmethod
    def from_dict(cls, data: Any) -> Feed:
        """The feed saved in a cursor."""
        data = data if isinstance(data, dict) else {}
        return cls(
            data.get("since_id"), data.get("page_token"), data.get("newest_id"), data.get("start_time")
        )


@dataclass
class XState:
    """The cursor: the brand's user id (resolved once from an @handle) and both feeds."""

    target: str
    user_id: str | None
    feeds: dict[str, Feed]

    @classmethod
    def load(cls, cursor: dict[str, Any] | None, target: str) -> XState:
        """The state in ``cursor``; a fresh one when the configured target changed."""
        data = cursor if cursor and cursor.get("target") == target else {}
        user_id = data.get("user_id") or (None if target.startswith("@") else target)
        return cls(target, user_id, {name: Feed.from_dict(data.get(name)) for name in FEEDS})

    def to_dict(self) -> dict[str, Any]:
        """A fresh JSON-ready copy."""
        return {
            "target": self.target,
            "user_id": self.user_id,
            **{n: vars(f).copy() for n, f in self.feeds.items()},
        }


def _newest(*ids: Any) -> str | None:
    known = [int(i) for i in ids if i is not None and str(i).isdecimal()]  # isdigit() also takes "²"
    return str(max(known)) if known else None


class XCollector:
    """Yields pages of mentions, then of the brand's own replies."""

    def __init__(
        self, api: XApi, target: str, max_results: int = 100, backfill: timedelta | None = timedelta(days=7),
        brand_name: str = "", clock: Callable[[], datetime] = utcnow,
    ) -> None:  # fmt: skip
        self.api, self.target, self.clock, self.brand_name = api, target.strip(), clock, brand_name
        self.max_results, self.backfill = max(5, min(100, max_results)), backfill
        self._calls = self._resources = 0

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Mentions then own replies; on a failure, first yield what was fetched (the cursor stays put)."""
        state = XState.load(cursor, self.target)
        pending: list[Item] = []
        try:
            state.user_id = state.user_id or self._resolve_handle()
            for name in FEEDS:
                yield from self._walk(name, state, pending)
        except Exception:
            if pending or self.api.calls != self._calls:
                yield self._page(pending, None)
            raise

    def _page(self, pending: list[Item], cursor: dict[str, Any] | None) -> Page:
        page = Page(list(pending), cursor, self.api.calls - self._calls, self.api.resources - self._resources)
        pending.clear()
        self._calls, self._resources = self.api.calls, self.api.resources
        return page

    def _resolve_handle(self) -> str:
        username = self.target.lstrip("@")
        body = self.api.read(self.api.client.get_user, "get_user", username=username, user_fields=USER_FIELDS)
        user_id = (body.get("data") or {}).get("id") if isinstance(body.get("data"), dict) else None
        if not user_id:
            raise NotFound(f"X has no user @{username}: check the source's target (a user id or @handle)")
        return str(user_id)

    def _walk(self, name: str, state: XState, pending: list[Item]) -> Iterator[Page]:
        feed = state.feeds[name]
        if feed.since_id is None and feed.page_token is None and self.backfill:
            feed.start_time = (self.clock() - self.backfill).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = self._resume(name, state, feed)
        while True:
            items = self._items(name, body, str(state.user_id))
            meta = m if isinstance(m := body.get("meta"), dict) else {}
            newest = _newest(feed.newest_id, meta.get("newest_id"), *(i.external_id for i in items))
            token = meta.get("next_token")
            feed = (
                Feed(feed.since_id, token, newest, feed.start_time)
                if token
                else Feed(newest or feed.since_id)
            )
            state.feeds[name] = feed
            pending += items
            yield self._page(pending, state.to_dict())
            if not token:
                return
            body = self._fetch(name, str(state.user_id), feed)

    def _resume(self, name: str, state: XState, feed: Feed) -> dict[str, Any]:
        try:
            return self._fetch(name, str(state.user_id), feed)
        except PlatformError as exc:
            if feed.page_token is None or type(exc) is not PlatformError:
                raise
            log.warning(
                "X refused the saved pagination token (%s); reading %s from the newest again", exc, name
            )
            feed.page_token = feed.newest_id = None
            return self._fetch(name, str(state.user_id), feed)

    def _fetch(self, name: str, user_id: str, feed: Feed) -> dict[str, Any]:
        params: dict[str, Any] = {
            "id": user_id, "since_id": feed.since_id, "pagination_token": feed.page_token,
            "start_time": parse_time(feed.start_time) if feed.start_time else None,
            "max_results": self.max_results, "tweet_fields": TWEET_FIELDS, "user_auth": False,
        }  # fmt: skip
        if name == "mentions":
            params.update(expansions=["author_id"], user_fields=USER_FIELDS)
            return self.api.read(self.api.client.get_users_mentions, "get_users_mentions", **params)
        return self.api.read(
            self.api.client.get_users_tweets, "get_users_tweets", exclude=["retweets"], **params
        )

    def _items(self, name: str, body: dict[str, Any], user_id: str) -> list[Item]:
        fetched = utcnow()
        if name == "mentions":  # the brand's own posts come from its timeline, with the brand as author
            return [item for item in page_items(body, user_id, fetched) if not item.is_own]
        data = d if isinstance(d := body.get("data"), list) else []
        replies = [
            {**t, "author_id": t.get("author_id") or user_id}
            for t in data
            if isinstance(t, dict) and replied_to(t)
        ]
        handle = self.target[1:] if self.target.startswith("@") else ""
        brand = {user_id: {"id": user_id, "name": self.brand_name or handle, "username": handle}}
        return page_items({**body, "data": replies}, user_id, fetched, known_users=brand)


class XPublisher:
    """Posts replies with ``create_tweet(in_reply_to_tweet_id=...)`` in the brand's user context."""

    def __init__(self, api: XApi, user_auth: bool, handle: str | None = None) -> None:
        self.api, self.user_auth, self.handle = api, user_auth, handle

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """Post ``reply``; ReplyNotAllowed with the link to answer in the app when X refuses it."""
        data = self.api.reply(reply.text, reply.item_external_id, self.user_auth)
        return PostedReply(str(data["id"]), url=post_url(str(data["id"]), self.handle))


# -- factories (collectors/__init__.py) ---------------------------------------------------------------


def _number(context: SourceContext, key: str, default: float | None) -> float | None:
    """A numeric option; ConfigError naming it when it is not a number."""
    value = context.option(key, default)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        raise ConfigError(
            f"sources.{context.source.name}.options.{key} must be a number, not {value!r}"
        ) from None


def create(context: SourceContext, policy: RetryPolicy | None = None) -> XCollector:
    """The collector for a ``platform = "x"`` source (target = the brand's user id or @handle)."""
    bearer = context.credential("bearer_token")
    days = _number(context, "backfill_days", 7)
    return XCollector(
        XApi(make_client(context.source.base_url, _timeout(context), bearer_token=bearer), policy),
        context.source.targets[0], max_results=int(_number(context, "max_results", 100) or 100),
        backfill=timedelta(days=days) if days else None, brand_name=context.brand.name,
    )  # fmt: skip


def create_publisher(context: SourceContext) -> XPublisher:
    """The publisher: OAuth 1.0a user tokens, or an OAuth 2.0 user token (scope tweet.write)."""
    creds, target = context.credentials, context.source.targets[0]
    handle = target[1:] if target.startswith("@") else None
    if all(creds.get(k) for k in OAUTH1_KEYS):
        client = make_client(context.source.base_url, _timeout(context), **{k: creds[k] for k in OAUTH1_KEYS})
        return XPublisher(XApi(client), user_auth=True, handle=handle)
    if creds.get("oauth2_user_token"):
        client = make_client(
            context.source.base_url, _timeout(context), bearer_token=creds["oauth2_user_token"]
        )
        return XPublisher(XApi(client), user_auth=False, handle=handle)
    raise AuthError(
        f"source {context.source.name!r} needs user-context credentials to reply: consumer_key, consumer_secret, "
        "access_token and access_token_secret (OAuth 1.0a), or oauth2_user_token (OAuth 2.0 with tweet.write)"
    )


def _timeout(context: SourceContext) -> float:
    return _number(context, "timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT


__all__ = ["XCollector", "XPublisher", "create", "create_publisher", "web_url"]
