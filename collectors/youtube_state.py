"""The YouTube source's cursor: the thread watermark, an unfinished scan, and each video's comment count.

Threads come newest first, so the old watermark stays in the cursor (with the next page token) until a run
reaches it; only then does the newest time seen become the watermark (architecture invariant 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from social_listen.model import parse_time

REPLY_COUNTS_KEPT = 1000  # threads whose replies came from comments.list, most recent last


def _time(value: Any) -> datetime | None:
    return parse_time(value) if isinstance(value, str) and value else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Scan:
    """A newest-first walk through the channel's threads that has not reached ``stop_at`` yet."""

    page_token: str | None = None
    newest: datetime | None = None
    stop_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"page_token": self.page_token, "newest": _iso(self.newest), "stop_at": _iso(self.stop_at)}

    @classmethod
    def from_dict(cls, data: Any) -> Scan | None:
        """The scan saved in a cursor, if any."""
        if not isinstance(data, dict):
            return None
        return cls(data.get("page_token"), _time(data.get("newest")), _time(data.get("stop_at")))


@dataclass
class ChannelState:
    """Everything a run needs to resume: see the module docstring."""

    channel_id: str
    watermark: datetime | None = None
    scan: Scan | None = None
    videos: dict[str, int | None] = field(default_factory=dict)
    stats_at: datetime | None = None
    inventory_at: datetime | None = None
    reply_counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A fresh JSON-ready copy (pages keep their own snapshot)."""
        return {
            "channel_id": self.channel_id, "watermark": _iso(self.watermark),
            "scan": self.scan.to_dict() if self.scan else None, "videos": dict(self.videos),
            "stats_at": _iso(self.stats_at), "inventory_at": _iso(self.inventory_at),
            "reply_counts": dict(list(self.reply_counts.items())[-REPLY_COUNTS_KEPT:]),
        }  # fmt: skip

    @classmethod
    def load(cls, cursor: dict[str, Any] | None, channel_id: str) -> ChannelState:
        """The state in ``cursor``; a fresh one when it belongs to another channel (the target changed)."""
        data = cursor or {}
        if data.get("channel_id") != channel_id:
            return cls(channel_id)
        videos = v if isinstance(v := data.get("videos"), dict) else {}
        counts = c if isinstance(c := data.get("reply_counts"), dict) else {}
        return cls(
            channel_id, _time(data.get("watermark")), Scan.from_dict(data.get("scan")),
            {str(k): (int(v) if v is not None else None) for k, v in videos.items()},
            _time(data.get("stats_at")), _time(data.get("inventory_at")),
            {str(k): int(v) for k, v in counts.items()},
        )  # fmt: skip

    def remember_replies(self, thread_id: str, total: int) -> None:
        """Note that all ``total`` replies of a thread were fetched (moved to the end: most recent)."""
        self.reply_counts.pop(thread_id, None)
        self.reply_counts[thread_id] = total
