"""A fake YouTube Data API v3 on FakeServer, speaking the real response shapes (see ../shared/fixtures/youtube).

It keeps videos, comment threads and replies; answers commentThreads.list (channel-wide or per video,
newest first, paged, with only ``inline_replies`` replies inline), comments.list(parentId), comments.insert,
videos.list, channels.list and playlistItems.list; counts quota units; and can spend its quota.
"""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.server import FakeServer, Request, Response, json_response

API = "/youtube/v3"
COSTS = {"POST": 50}  # every list call costs 1 unit; comments.insert 50
BRAND_CHANNEL = "UCluna0000000000000000AA"
BRAND_NAME = "Tienda Luna"


def stamp(when: datetime) -> str:
    """A time as YouTube writes it."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def google_error(status: int, reason: str, message: str, domain: str = "youtube.commentThread") -> Response:
    """A Google JSON error body."""
    body = {"error": {"code": status, "message": message,
                      "errors": [{"message": message, "domain": domain, "reason": reason}]}}  # fmt: skip
    return json_response(body, status)


def quota_exceeded() -> Response:
    """The 403 YouTube answers once the project's daily quota is spent."""
    message = "The request cannot be completed because you have exceeded your quota."
    return google_error(403, "quotaExceeded", message, domain="youtube.quota")


@dataclass
class FakeComment:
    """A comment or reply as the fake stores it."""

    id: str
    video_id: str | None
    author_channel: str
    author_name: str
    text: str
    published: datetime
    parent_id: str | None = None
    likes: int = 0

    def resource(self, channel_id: str) -> dict[str, Any]:
        """The youtube#comment resource."""
        snippet: dict[str, Any] = {
            "authorDisplayName": self.author_name,
            "authorProfileImageUrl": "https://yt3.ggpht.com/a/default-user=s48-c-k-c0xffffffff-no-rj-mo",
            "authorChannelUrl": f"http://www.youtube.com/channel/{self.author_channel}",
            "authorChannelId": {"value": self.author_channel},
            "channelId": channel_id,
            "textDisplay": self.text, "textOriginal": self.text,
            "canRate": True, "viewerRating": "none", "likeCount": self.likes,
            "publishedAt": stamp(self.published), "updatedAt": stamp(self.published),
        }  # fmt: skip
        if self.video_id:
            snippet["videoId"] = self.video_id
        if self.parent_id:
            snippet["parentId"] = self.parent_id
        return {"kind": "youtube#comment", "etag": f"etag-{self.id}", "id": self.id, "snippet": snippet}


@dataclass
class FakeVideo:
    """A video of the channel."""

    id: str
    title: str
    comments_disabled: bool = False


@dataclass(repr=False)
class FakeYouTube:
    """The fake platform; attach it to a FakeServer with ``install``."""

    server: FakeServer
    channel_id: str = BRAND_CHANNEL
    inline_replies: int = 2
    quota: int | None = None
    valid_tokens: set[str] = field(default_factory=lambda: {"oauth-token-1"})
    videos: dict[str, FakeVideo] = field(default_factory=dict)
    threads: dict[str, FakeComment] = field(default_factory=dict)
    replies: dict[str, list[FakeComment]] = field(default_factory=dict)
    spent: int = 0
    failures: dict[tuple[str, int], Response] = field(default_factory=dict)
    served: dict[str, int] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        routes = [("GET", "commentThreads", self._threads), ("GET", "comments", self._replies),
                  ("POST", "comments", self._insert), ("GET", "videos", self._videos),
                  ("GET", "channels", self._channels), ("GET", "playlistItems", self._playlist)]  # fmt: skip
        for method, name, handler in routes:
            self.server.route(method, f"{API}/{name}", self._metered(f"{method} {name}", handler))
        self.server.route("POST", "/token", self._token)

    # -- building the channel ----------------------------------------------------------------

    def add_video(self, title: str | None = None, comments_disabled: bool = False) -> str:
        """A new upload; returns its id."""
        video_id = f"vid{next(self._ids):08d}"
        self.videos[video_id] = FakeVideo(video_id, title or f"Vídeo {video_id}", comments_disabled)
        return video_id

    def comment(self, video_id: str | None, text: str, at: datetime, author: str = "UCcustomer01",
                name: str = "Cliente") -> str:  # fmt: skip
        """A new top-level comment (a thread); returns the thread id."""
        thread_id = f"Ugz{next(self._ids):019d}AaABAg"
        with self._lock:
            self.threads[thread_id] = FakeComment(thread_id, video_id, author, name, text, at)
            self.replies[thread_id] = []
        return thread_id

    def reply(self, thread_id: str, text: str, at: datetime, author: str = "UCcustomer02",
              name: str = "Otra clienta") -> str:  # fmt: skip
        """A reply in a thread; returns its id (``thread.suffix`` as YouTube forms them)."""
        reply_id = f"{thread_id}.{next(self._ids):022d}"
        video_id = self.threads[thread_id].video_id
        with self._lock:
            self.replies[thread_id].append(FakeComment(reply_id, video_id, author, name, text, at, thread_id))
        return reply_id

    def owner_reply(self, thread_id: str, text: str, at: datetime) -> str:
        """A reply by the channel itself (as if written in YouTube Studio)."""
        return self.reply(thread_id, text, at, author=self.channel_id, name=BRAND_NAME)

    def comment_count(self, video_id: str) -> int:
        """What statistics.commentCount says: top-level comments and replies."""
        tops = [t for t in self.threads.values() if t.video_id == video_id]
        return len(tops) + sum(len(self.replies[t.id]) for t in tops)

    def units(self) -> int:
        """Quota units of every request the server received (failed ones cost too)."""
        return sum(COSTS.get(r.method, 1) for r in self.server.calls(pattern=f"{API}/.*"))

    def calls_to(self, name: str, method: str = "GET") -> list[Request]:
        """Requests received by one endpoint."""
        return self.server.calls(method, f"{API}/{name}")

    # -- handlers ------------------------------------------------------------------------------

    def fail_call(self, endpoint: str, number: int, response: Response, times: int = 1) -> None:
        """Answer ``response`` to calls ``number`` .. ``number + times - 1`` of ``endpoint`` ("GET commentThreads")."""
        for n in range(number, number + times):
            self.failures[(endpoint, n)] = response

    def _metered(self, endpoint: str, handler: Any) -> Any:
        def serve(request: Request) -> Response:
            with self._lock:
                self.served[endpoint] = number = self.served.get(endpoint, 0) + 1
            if (endpoint, number) in self.failures:
                return self.failures[(endpoint, number)]
            if "key" not in request.query and not authorization(request).startswith("Bearer "):
                return google_error(403, "forbidden", "The request is missing a valid API key.", "global")
            cost = COSTS.get(request.method, 1)
            if self.quota is not None and self.spent + cost > self.quota:
                return quota_exceeded()
            self.spent += cost
            return handler(request)

        return serve

    def _threads(self, request: Request) -> Response:
        query = request.query
        if query.get("videoId"):
            video = self.videos.get(query["videoId"])
            if video and video.comments_disabled:
                return google_error(403, "commentsDisabled", "The video has disabled comments.")
            chosen = [t for t in self.threads.values() if t.video_id == query["videoId"]]
        elif query.get("allThreadsRelatedToChannelId") == self.channel_id:
            chosen = list(self.threads.values())
        else:
            return google_error(400, "missingRequiredParameter", "No filter selected.", "youtube.parameter")
        chosen.sort(key=lambda t: (t.published, t.id), reverse=True)
        return self._paged(request, chosen, 100, lambda t: self._thread_resource(t, request))

    def _thread_resource(self, top: FakeComment, request: Request) -> dict[str, Any]:
        replies = self.replies[top.id]
        video = self.videos.get(top.video_id or "")
        snippet: dict[str, Any] = {"channelId": self.channel_id, "topLevelComment": top.resource(self.channel_id),
                                   "canReply": not (video and video.comments_disabled),
                                   "totalReplyCount": len(replies), "isPublic": True}  # fmt: skip
        if top.video_id:
            snippet["videoId"] = top.video_id
        thread: dict[str, Any] = {"kind": "youtube#commentThread", "etag": f"etag-t-{top.id}", "id": top.id,
                                  "snippet": snippet}  # fmt: skip
        if "replies" in request.query.get("part", "") and replies:
            oldest = sorted(replies, key=lambda r: r.published)[: self.inline_replies]
            thread["replies"] = {"comments": [r.resource(self.channel_id) for r in oldest]}
        return thread

    def _replies(self, request: Request) -> Response:
        parent = request.query.get("parentId", "")
        if parent not in self.replies:
            return google_error(404, "commentNotFound", "The comment could not be found.", "youtube.comment")
        newest_first = sorted(self.replies[parent], key=lambda r: r.published, reverse=True)
        return self._paged(request, newest_first, 100, lambda r: r.resource(self.channel_id),
                           kind="youtube#commentListResponse")  # fmt: skip

    def _paged(self, request: Request, rows: list[Any], ceiling: int, render: Any,
               kind: str = "youtube#commentThreadListResponse") -> Response:  # fmt: skip
        size = min(int(request.query.get("maxResults", 20)), ceiling)
        start = _offset(request.query.get("pageToken"))
        if start is None:
            return google_error(400, "invalidPageToken", "The page token is not valid.", "youtube.parameter")
        body: dict[str, Any] = {"kind": kind, "etag": "etag-list",
                                "pageInfo": {"totalResults": len(rows), "resultsPerPage": size},
                                "items": [render(row) for row in rows[start : start + size]]}  # fmt: skip
        if start + size < len(rows):
            body["nextPageToken"] = _token_for(start + size)
        return json_response(body)

    def _insert(self, request: Request) -> Response:
        token = authorization(request).removeprefix("Bearer ")
        if token not in self.valid_tokens:
            return google_error(401, "authError", "Request had invalid authentication credentials.", "global")
        snippet = (request.json() or {}).get("snippet", {})
        parent = snippet.get("parentId", "")
        if parent not in self.threads:
            return google_error(404, "parentCommentNotFound", "The parent comment could not be found.",
                                "youtube.comment")  # fmt: skip
        video = self.videos.get(self.threads[parent].video_id or "")
        if video and video.comments_disabled:
            return google_error(
                403, "commentsDisabled", "The video has disabled comments.", "youtube.comment"
            )
        reply_id = self.owner_reply(parent, str(snippet.get("textOriginal", "")), datetime.now(UTC))
        created = self.replies[parent][-1].resource(self.channel_id)
        created["snippet"].pop("videoId", None)  # the real insert answer has no videoId
        assert created["id"] == reply_id
        return json_response(created)

    def _videos(self, request: Request) -> Response:
        ids = [i for i in request.query.get("id", "").split(",") if i]
        if len(ids) > 50:
            return google_error(400, "tooManyIds", "Too many ids.", "youtube.parameter")
        items = []
        for video_id in ids:
            video = self.videos.get(video_id)
            if video is not None:
                stats = {} if video.comments_disabled else {"commentCount": str(self.comment_count(video_id))}
                items.append({"kind": "youtube#video", "id": video_id, "snippet": {"title": video.title},
                              "statistics": {"viewCount": "10", **stats}})  # fmt: skip
        return json_response({"kind": "youtube#videoListResponse", "items": items,
                              "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}})  # fmt: skip

    def _channels(self, request: Request) -> Response:
        if request.query.get("id") != self.channel_id:
            return json_response({"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": 0}})
        uploads = "UU" + self.channel_id[2:]
        item = {"kind": "youtube#channel", "id": self.channel_id,
                "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": uploads}}}  # fmt: skip
        return json_response({"kind": "youtube#channelListResponse", "items": [item]})

    def _playlist(self, request: Request) -> Response:
        if request.query.get("playlistId") != "UU" + self.channel_id[2:]:
            return google_error(
                404, "playlistNotFound", "The playlist could not be found.", "youtube.playlistItem"
            )
        rows = list(reversed(self.videos))  # newest upload first

        def render(video_id: str) -> dict[str, Any]:
            return {"kind": "youtube#playlistItem", "id": f"pl-{video_id}",
                    "contentDetails": {"videoId": video_id, "videoPublishedAt": "2026-01-01T00:00:00Z"}}  # fmt: skip

        return self._paged(request, rows, 50, render, kind="youtube#playlistItemListResponse")

    def _token(self, request: Request) -> Response:
        form = request.form()
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != "refresh-1":
            return json_response({"error": "invalid_grant", "error_description": "Bad Request"}, 400)
        fresh = f"oauth-token-{len(self.valid_tokens) + 1}"
        self.valid_tokens.add(fresh)
        return json_response({"access_token": fresh, "expires_in": 3599, "token_type": "Bearer",
                              "scope": "https://www.googleapis.com/auth/youtube.force-ssl"})  # fmt: skip


def _token_for(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def authorization(request: Request) -> str:
    """The Authorization header, whatever the case of its name."""
    return next((v for k, v in request.headers.items() if k.lower() == "authorization"), "")


def _offset(token: str | None) -> int | None:
    if not token:
        return 0
    try:
        kind, value = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        return int(value) if kind == "offset" else None
    except ValueError:
        return None


def minutes_ago(minutes: float, now: datetime | None = None) -> datetime:
    """A time ``minutes`` before now (fake data lives in the recent past so real 'now' replies come after)."""
    return (now or datetime.now(UTC)) - timedelta(minutes=minutes)
