"""YouTube comments (Data API v3): collect a channel's comment threads and replies; post replies.

Reading is quota-frugal. One ``commentThreads.list(allThreadsRelatedToChannelId)`` walk, newest first,
stops at the watermark. New replies do not move an old thread to the front, so a second, cheap check
compares each video's ``statistics.commentCount`` (50 videos per unit) with the count kept in the cursor and
re-scans only the videos whose count moved by more than the comments this run already saw. Threads carry
only a few replies inline; the rest come from ``comments.list(parentId)``.
Docs: https://developers.google.com/youtube/v3/docs/commentThreads/list
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import google.oauth2.credentials
import google_auth_httplib2

from collectors.base import (
    NotFound,
    PlatformError,
    ReplyNotAllowed,
    RetryPolicy,
    SourceContext,
    count_or_none,
)
from collectors.youtube_api import (
    DEFAULT_TIMEOUT,
    FORCE_SSL_SCOPE,
    GOOGLE_TOKEN_URI,
    IDS_PER_CALL,
    PAGE_MAX,
    HttpxTransport,
    YouTubeApi,
    build_service,
)
from collectors.youtube_normalize import (
    inline_replies,
    playlist_video_id,
    reply_items,
    thread_context,
    thread_items,
    top_level_time,
    total_replies,
    uploads_playlist,
)
from collectors.youtube_publish import YouTubePublisher
from collectors.youtube_state import ChannelState, Scan
from social_listen.errors import ConfigError
from social_listen.model import Item, Page, utcnow

log = logging.getLogger(__name__)
# Comments seen by this run count as "already explained" growth only if published this long after the
# previous count was taken: it absorbs a little clock skew between us and YouTube.
CLOCK_MARGIN = timedelta(minutes=2)
# The [sources.options] keys a youtube source understands (collectors.option_problems reports others).
OPTIONS = frozenset({"page_size", "inventory_hours", "backfill_days", "lag_minutes", "timeout", "token_uri"})


@dataclass(frozen=True)
class VideoInfo:
    """What videos.list said about a video in this run."""

    title: str | None
    comment_count: int | None


class _Run:
    """One run's scratch: fetched items not yet yielded, and the calls and units spent since the last page."""

    def __init__(self, api: YouTubeApi) -> None:
        self.api = api
        self.pending: list[Item] = []
        self.videos: dict[str, VideoInfo] = {}
        self.baselined: set[str] = set()
        self.seen_new: Counter[str] = Counter()
        self._calls, self._units = api.calls, api.units

    def page(self, cursor: dict[str, Any] | None) -> Page:
        """A page of everything pending; ``cursor=None`` leaves the saved cursor where it was."""
        unique = list({item.external_id: item for item in self.pending}.values())  # inline + full replies
        page = Page(unique, cursor, self.api.calls - self._calls, self.api.units - self._units)
        self.pending, self._calls, self._units = [], self.api.calls, self.api.units
        return page

    def has_unsaved(self) -> bool:
        """Whether items or spent quota wait to be recorded."""
        return bool(self.pending) or self.api.calls != self._calls


class YouTubeCollector:
    """Yields pages of a channel's comments and replies; see the module docstring for the strategy."""

    def __init__(
        self, api: YouTubeApi, channel_id: str, lag: timedelta = timedelta(minutes=30),
        inventory_every: timedelta | None = timedelta(hours=24), backfill: timedelta | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:  # fmt: skip
        self.api, self.channel_id, self.lag = api, channel_id, lag
        self.inventory_every, self.backfill, self.clock = inventory_every, backfill, clock

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Yield new threads, then re-scanned changed videos; on any failure first yield what was fetched."""
        state = ChannelState.load(cursor, self.channel_id)
        run = _Run(self.api)
        try:
            yield from self._new_threads(state, run)
            yield from self._changed_videos(state, run)
        except Exception:
            if run.has_unsaved():
                yield run.page(None)  # the saved cursor still points before these items: nothing is skipped
            raise

    # -- new threads, newest first ------------------------------------------------------------------

    def _new_threads(self, state: ChannelState, run: _Run) -> Iterator[Page]:
        scan = state.scan or Scan(newest=state.watermark, stop_at=self._stop_at(state))
        body = self._resume_threads(scan.page_token)
        while True:
            threads = _list(body.get("items"))
            fresh = [t for t in threads if not _older(t, scan.stop_at)]
            self._add_threads(fresh, state, run)
            self._count_new(run, state.stats_at)
            scan.newest = _latest(scan.newest, *(top_level_time(t) for t in fresh))
            token = body.get("nextPageToken")
            done = not token or len(fresh) < len(threads)
            state.scan = None if done else Scan(token, scan.newest, scan.stop_at)
            state.watermark = scan.newest if done else state.watermark
            yield run.page(state.to_dict())
            if done:
                return
            body = self.api.comment_threads(token, channel_id=self.channel_id)

    def _stop_at(self, state: ChannelState) -> datetime | None:
        if state.watermark is not None:
            return state.watermark - self.lag  # re-read a short window: late approvals, edits
        return self.clock() - self.backfill if self.backfill else None

    def _resume_threads(self, token: str | None) -> dict[str, Any]:
        try:
            return self.api.comment_threads(token, channel_id=self.channel_id)
        except PlatformError as exc:
            if token is None or type(exc) is not PlatformError:
                raise
            log.warning(
                "YouTube refused the saved page token (%s); scanning from the newest thread again", exc
            )
            return self.api.comment_threads(None, channel_id=self.channel_id)

    def _add_threads(self, threads: list[Any], state: ChannelState, run: _Run) -> None:
        fetched = utcnow()
        for thread in threads:
            run.pending += thread_items(thread, self.channel_id, fetched)
            self._add_missing_replies(thread, state, run, fetched)
        self._add_titles(state, run)

    def _add_missing_replies(self, thread: Any, state: ChannelState, run: _Run, fetched: datetime) -> None:
        """Threads carry a few replies inline; fetch them all when YouTube says there are more."""
        context = thread_context(thread) if isinstance(thread, dict) else None
        if context is None:
            return
        total = total_replies(thread)
        if total <= len(inline_replies(thread)) or state.reply_counts.get(context.thread_id) == total:
            return
        token = None
        while True:
            try:
                body = self.api.comment_replies(context.thread_id, token)
            except NotFound as exc:  # deleted after it was listed: nothing to read, nothing remembered
                log.warning("YouTube thread %s is gone; its replies are skipped: %s", context.thread_id, exc)
                return
            run.pending += reply_items(body.get("items"), context, self.channel_id, fetched)
            token = body.get("nextPageToken")
            if not token:
                break
        state.remember_replies(context.thread_id, total)

    def _count_new(self, run: _Run, since: datetime | None) -> None:
        """Per video, comments this run saw that the last comment count cannot have included."""
        for item in run.pending:
            if item.object_url and (since is None or item.published_at > since + CLOCK_MARGIN):
                run.seen_new[str(item.object_id)] += 1

    # -- titles and comment counts (videos.list: 1 unit per 50 videos) ---------------------------

    def _add_titles(self, state: ChannelState, run: _Run) -> None:
        wanted = sorted(
            {str(i.object_id) for i in run.pending if i.object_url and i.object_id not in run.videos}
        )
        if wanted:  # a call costs 1 unit for 1 or 50 ids: fill it with videos the count check will need
            spare = [v for v in state.videos if v not in run.videos and v not in wanted]
            wanted += spare[: -len(wanted) % IDS_PER_CALL]
        self._lookup_videos(wanted, run, state)
        run.pending = [_titled(i, run.videos) for i in run.pending]

    def _lookup_videos(self, ids: list[str], run: _Run, baseline_into: ChannelState | None = None) -> None:
        for start in range(0, len(ids), IDS_PER_CALL):
            chunk = ids[start : start + IDS_PER_CALL]
            answered = {
                str(v.get("id")): v for v in _list(self.api.videos(chunk).get("items")) if isinstance(v, dict)
            }
            for video_id in chunk:
                run.videos[video_id] = _video_info(answered.get(video_id))
                if baseline_into is not None and video_id not in baseline_into.videos:
                    baseline_into.videos[video_id] = run.videos[video_id].comment_count
                    run.baselined.add(video_id)  # counted after we read its threads: nothing to re-scan

    # -- videos whose comment count moved ---------------------------------------------------------

    def _changed_videos(self, state: ChannelState, run: _Run) -> Iterator[Page]:
        if self._inventory_due(state):
            self._read_inventory(state)
        self._lookup_videos([v for v in state.videos if v not in run.videos], run)
        changed = self._compare_counts(state, run)
        state.stats_at = self.clock()
        yield run.page(state.to_dict())
        for video_id in changed:
            yield from self._rescan_video(video_id, state, run)

    def _compare_counts(self, state: ChannelState, run: _Run) -> list[str]:
        changed = []
        for video_id, old in list(state.videos.items()):
            info = run.videos.get(video_id)
            if info is None or info.comment_count is None:
                state.videos.pop(video_id)  # deleted, private, or comments turned off
            elif old is None or video_id in run.baselined:
                state.videos[video_id] = info.comment_count
            elif info.comment_count - old != run.seen_new[video_id]:
                changed.append(video_id)
            else:
                state.videos[video_id] = info.comment_count
        return changed

    def _rescan_video(self, video_id: str, state: ChannelState, run: _Run) -> Iterator[Page]:
        """All threads of one video (its count changed: some old thread has a new reply)."""
        token = None
        while True:
            try:
                body = self.api.comment_threads(token, video_id=video_id)
            except ReplyNotAllowed:
                log.info("comments are turned off on video %s; not re-scanning it", video_id)
                break
            self._add_threads(_list(body.get("items")), state, run)
            token = body.get("nextPageToken")
            if not token:
                break
            yield run.page(None)
        state.videos[video_id] = run.videos[video_id].comment_count
        yield run.page(state.to_dict())

    def _inventory_due(self, state: ChannelState) -> bool:
        if self.inventory_every is None:
            return False
        return state.inventory_at is None or self.clock() - state.inventory_at >= self.inventory_every

    def _read_inventory(self, state: ChannelState) -> None:
        """Every uploaded video, from the uploads playlist (1 unit per 50; never search.list)."""
        uploads = uploads_playlist(self.api.channel(self.channel_id))
        if not uploads:
            raise NotFound(
                f"YouTube has no channel {self.channel_id!r}: set the source's target to the channel id (UC...)"
            )
        token = None
        while True:
            try:
                body = self.api.playlist_items(uploads, token)
            except NotFound:  # a channel without uploads has no uploads playlist yet
                break
            for video_id in filter(None, map(playlist_video_id, _list(body.get("items")))):
                state.videos.setdefault(video_id, None)
            token = body.get("nextPageToken")
            if not token:
                break
        state.inventory_at = self.clock()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _older(thread: Any, stop_at: datetime | None) -> bool:
    published = top_level_time(thread)
    return stop_at is not None and published is not None and published < stop_at


def _latest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _video_info(video: Any) -> VideoInfo:
    if not isinstance(video, dict):
        return VideoInfo(None, None)
    statistics, snippet = video.get("statistics"), video.get("snippet")
    count = statistics.get("commentCount") if isinstance(statistics, dict) else None
    title = snippet.get("title") if isinstance(snippet, dict) else None
    comments = count_or_none(count) if str(count or "").isdigit() else None
    return VideoInfo(str(title) if title else None, comments)


def _titled(item: Item, videos: dict[str, VideoInfo]) -> Item:
    info = videos.get(str(item.object_id))
    return replace(item, object_title=info.title) if info and info.title and not item.object_title else item


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


def create(context: SourceContext, policy: RetryPolicy | None = None) -> YouTubeCollector:
    """The collector for a ``platform = "youtube"`` source (target = the channel id)."""
    page_size = int(_number(context, "page_size", PAGE_MAX) or PAGE_MAX)
    inventory, backfill = _number(context, "inventory_hours", 24), _number(context, "backfill_days", None)
    return YouTubeCollector(
        YouTubeApi(_service(context, for_replies=False), policy, page_size), context.source.targets[0],
        lag=timedelta(minutes=_number(context, "lag_minutes", 30) or 0),
        inventory_every=timedelta(hours=inventory) if inventory else None,
        backfill=timedelta(days=backfill) if backfill else None,
    )  # fmt: skip


def create_publisher(context: SourceContext) -> YouTubePublisher:
    """The publisher for a YouTube source; needs ``credentials.oauth_token`` (scope youtube.force-ssl)."""
    return YouTubePublisher(YouTubeApi(_service(context, for_replies=True)))


def _service(context: SourceContext, for_replies: bool) -> Any:
    transport = HttpxTransport(_number(context, "timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)
    if not for_replies and (context.credentials.get("api_key") or not context.credentials.get("oauth_token")):
        return build_service(context.source.base_url, transport, context.credential("api_key"))
    authorized = google_auth_httplib2.AuthorizedHttp(_oauth(context), http=transport)
    return build_service(context.source.base_url, authorized)


def _oauth(context: SourceContext) -> google.oauth2.credentials.Credentials:
    """User credentials; with a refresh token (and client id/secret) an expired token is renewed."""
    base = context.source.base_url
    token_uri = context.option("token_uri") or (f"{base.rstrip('/')}/token" if base else GOOGLE_TOKEN_URI)
    get = context.credentials.get
    return google.oauth2.credentials.Credentials(  # type: ignore[no-untyped-call]
        token=context.credential("oauth_token"), refresh_token=get("refresh_token"), token_uri=token_uri,
        client_id=get("client_id"), client_secret=get("client_secret"), scopes=[FORCE_SSL_SCOPE],
    )  # fmt: skip


__all__ = ["YouTubeCollector", "YouTubePublisher", "create", "create_publisher"]
