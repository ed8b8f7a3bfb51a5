"""Turn YouTube commentThread and comment resources into Items; a malformed one is logged and skipped.

Shapes: https://developers.google.com/youtube/v3/docs/commentThreads and .../docs/comments. YouTube has one
level of replies: a reply to a reply is attached to the top-level comment, whose id is also the thread id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectors.base import count_or_none, text_or_none
from social_listen.model import Author, Item, parse_time

log = logging.getLogger(__name__)
PLATFORM = "youtube"


def watch_url(video_id: str | None) -> str | None:
    """The public page of a video."""
    return f"https://www.youtube.com/watch?v={video_id}" if video_id else None


def comment_url(video_id: str | None, comment_id: str) -> str | None:
    """A link that opens the video scrolled to the comment (the API has no permalink field)."""
    return f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else None


@dataclass(frozen=True)
class ThreadContext:
    """What a comment inherits from its thread: ids, video, whether replies are allowed."""

    thread_id: str
    video_id: str | None
    can_reply: bool = True


def _snippet(resource: Any) -> dict[str, Any]:
    snippet = resource.get("snippet") if isinstance(resource, dict) else None
    return snippet if isinstance(snippet, dict) else {}


def _time(value: Any) -> datetime | None:
    try:
        return parse_time(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _author(snippet: dict[str, Any]) -> Author | None:
    channel = snippet.get("authorChannelId")
    channel_id = channel.get("value") if isinstance(channel, dict) else None
    name = str(snippet.get("authorDisplayName") or "")
    if not channel_id and not name:
        return None
    return Author(
        external_id=str(channel_id or f"name:{name}"),
        name=name,
        url=str(snippet.get("authorChannelUrl") or ""),
    )


def author_channel(comment: Any) -> str | None:
    """The channel id of a comment's author (absent for some deleted accounts)."""
    channel = _snippet(comment).get("authorChannelId")
    return str(channel["value"]) if isinstance(channel, dict) and channel.get("value") else None


def comment_item(
    comment: Any,
    context: ThreadContext,
    own_channel: str,
    fetched_at: datetime | None = None,
    raw: Any = None,
) -> Item | None:
    """The Item for a top-level comment or a reply; None (logged) when it lacks an id or a time."""
    snippet = _snippet(comment)
    comment_id = comment.get("id") if isinstance(comment, dict) else None
    published = _time(snippet.get("publishedAt"))
    if not comment_id or published is None:
        log.warning("skipping a YouTube comment without id or publishedAt in thread %s", context.thread_id)
        return None
    is_reply = str(comment_id) != context.thread_id
    video_id = text_or_none(snippet.get("videoId")) or context.video_id
    return Item(
        platform=PLATFORM, external_id=str(comment_id),
        text=str(snippet.get("textDisplay") or snippet.get("textOriginal") or ""),
        published_at=published, updated_at=_time(snippet.get("updatedAt")),
        kind="reply" if is_reply else "comment", author=_author(snippet),
        parent_external_id=str(snippet.get("parentId") or context.thread_id) if is_reply else None,
        thread_external_id=context.thread_id, object_id=video_id or text_or_none(snippet.get("channelId")),
        object_url=watch_url(video_id), is_own=author_channel(comment) == own_channel,
        like_count=_int(snippet.get("likeCount")), url=comment_url(video_id, str(comment_id)),
        can_reply=context.can_reply, raw=raw if raw is not None else comment, fetched_at=fetched_at,
    )  # fmt: skip


def _int(value: Any) -> int | None:
    return count_or_none(value)


def thread_context(thread: dict[str, Any]) -> ThreadContext | None:
    """The context a thread gives its comments; None when the thread has no id."""
    snippet = _snippet(thread)
    thread_id = thread.get("id") or _dict(snippet.get("topLevelComment")).get("id")
    if not thread_id:
        return None
    video_id = text_or_none(snippet.get("videoId"))
    return ThreadContext(str(thread_id), video_id, snippet.get("canReply") is not False)


def inline_replies(thread: dict[str, Any]) -> list[Any]:
    """The replies a thread carries itself: only a subset when the thread has many."""
    replies = thread.get("replies")
    comments = replies.get("comments") if isinstance(replies, dict) else None
    return comments if isinstance(comments, list) else []


def total_replies(thread: dict[str, Any]) -> int:
    """How many replies YouTube says the thread has."""
    return _int(_snippet(thread).get("totalReplyCount")) or 0


def top_level_time(thread: Any) -> datetime | None:
    """When the thread's top-level comment was published (the order of commentThreads.list)."""
    top = _snippet(thread).get("topLevelComment")
    return _time(_snippet(top).get("publishedAt"))


def thread_items(thread: Any, own_channel: str, fetched_at: datetime | None = None) -> list[Item]:
    """The top-level comment and the inline replies of one thread; nothing when the thread is unusable."""
    context = thread_context(thread) if isinstance(thread, dict) else None
    if context is None:
        log.warning("skipping a YouTube comment thread without an id")
        return []
    snippet = _snippet(thread)
    top_raw = {k: v for k, v in thread.items() if k != "replies"}
    found = [comment_item(snippet.get("topLevelComment"), context, own_channel, fetched_at, raw=top_raw)]
    found += [comment_item(c, context, own_channel, fetched_at) for c in inline_replies(thread)]
    return [item for item in found if item is not None]


def reply_items(
    comments: Any, context: ThreadContext, own_channel: str, fetched_at: datetime | None = None
) -> list[Item]:
    """Items for the ``items`` of a comments.list(parentId) answer."""
    found = [
        comment_item(c, context, own_channel, fetched_at)
        for c in (comments if isinstance(comments, list) else [])
    ]
    return [item for item in found if item is not None]


def playlist_video_id(entry: Any) -> str | None:
    """The video of a playlistItem (``contentDetails.videoId``, or ``snippet.resourceId.videoId``)."""
    if not isinstance(entry, dict):
        return None
    details = d if isinstance(d := entry.get("contentDetails"), dict) else {}
    resource = _snippet(entry).get("resourceId")
    video_id = details.get("videoId") or (resource.get("videoId") if isinstance(resource, dict) else None)
    return str(video_id) if video_id else None


def uploads_playlist(channels: Any) -> str | None:
    """The uploads playlist id from a channels.list(part=contentDetails) answer."""
    found = channels.get("items") if isinstance(channels, dict) else None
    for channel in found if isinstance(found, list) else []:
        playlists = _dict(_dict(_dict(channel).get("contentDetails")).get("relatedPlaylists"))
        if playlists.get("uploads"):
            return str(playlists["uploads"])
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
