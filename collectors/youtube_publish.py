"""Post replies to YouTube comments with ``comments.insert`` (50 quota units each).

A reply goes under the thread's top-level comment (YouTube has one level of replies); the request is
sent once and never retried, see YouTubeApi.insert_reply.
Docs: https://developers.google.com/youtube/v3/docs/comments/insert
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectors.base import ReplyNotAllowed
from collectors.youtube_api import YouTubeApi
from collectors.youtube_normalize import comment_url
from social_listen.model import PostedReply, ReplyRequest, parse_time


class YouTubePublisher:
    """Posts replies with comments.insert under the thread's top-level comment (50 quota units each)."""

    def __init__(self, api: YouTubeApi) -> None:
        self.api = api

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """Post ``reply``; ReplyNotAllowed (with the link) when comments are off on the video."""
        video_id = _video_of(reply)
        here = comment_url(video_id, reply.item_external_id)
        if _raw_snippet(reply.item_raw).get("canReply") is False:
            raise ReplyNotAllowed(
                f"YouTube does not take replies on this thread: answer it on YouTube: {here}", url=here
            )
        try:
            created = self.api.insert_reply(reply.thread_external_id or reply.item_external_id, reply.text)
        except ReplyNotAllowed as exc:
            raise ReplyNotAllowed(f"{exc}; answer it on YouTube: {here}", url=here) from None
        snippet = created.get("snippet") or {}
        published = snippet.get("publishedAt")
        return PostedReply(
            str(created["id"]), url=comment_url(snippet.get("videoId") or video_id, str(created["id"])),
            posted_at=_posted_at(published),
        )  # fmt: skip


def _posted_at(published: Any) -> datetime | None:
    try:
        return parse_time(published) if isinstance(published, str) else None
    except ValueError:  # posted all the same: the outbox records its own time
        return None


def _raw_snippet(raw: Any) -> dict[str, Any]:
    snippet = raw.get("snippet") if isinstance(raw, dict) else None
    return snippet if isinstance(snippet, dict) else {}


def _video_of(reply: ReplyRequest) -> str | None:
    snippet = _raw_snippet(reply.item_raw)
    video = snippet.get("videoId") or _raw_snippet(snippet.get("topLevelComment")).get("videoId")
    if video:
        return str(video)
    return reply.object_id if reply.object_id and not reply.object_id.startswith("UC") else None
