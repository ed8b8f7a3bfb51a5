"""The reply outbox in the store: a reply row exists before anything is sent, and moves through
queued -> sending -> sent | failed | uncertain. Only a queued reply is ever claimed for sending."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update

from social_listen.db.engine import reading
from social_listen.db.tables import events, items, replies, sources
from social_listen.errors import SocialListenError
from social_listen.logs import redact
from social_listen.model import PostedReply, ReplyRequest, utcnow

PENDING = ("queued", "sending", "uncertain")


class OutboxMixin:
    """Reply outbox operations; mixed into Store."""

    engine: Engine

    def enqueue_reply(self, item_id: int, text: str, user_id: int | None = None) -> int:
        """Write a queued reply; the same text already pending for the item returns that reply instead."""
        if not text.strip():
            raise SocialListenError("a reply needs some text")
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(replies.c.id, replies.c.text)
                .where(replies.c.item_id == item_id, replies.c.status.in_(PENDING))
            ).all()  # fmt: skip
            for reply_id, pending_text in existing:
                if str(pending_text).strip() == text.strip():
                    return int(str(reply_id))
            now = utcnow()
            result = conn.execute(
                replies.insert().values(item_id=item_id, user_id=user_id, text=text, status="queued",
                                        next_attempt_at=now, created_at=now, updated_at=now)
            )  # fmt: skip
            reply_id = new_id(result)
            conn.execute(events.insert().values(at=now, user_id=user_id, item_id=item_id, action="reply_queued",
                                                detail={"reply_id": reply_id}))  # fmt: skip
            return reply_id

    def claim_reply(self, reply_id: int) -> ReplyRequest | None:
        """Move a due queued reply to sending (atomically) and return what to post; None if not ours to send."""
        now = utcnow()
        with self.engine.begin() as conn:
            claimed = conn.execute(
                update(replies)
                .where(replies.c.id == reply_id, replies.c.status == "queued")
                .where((replies.c.next_attempt_at.is_(None)) | (replies.c.next_attempt_at <= now))
                .values(status="sending", attempts=replies.c.attempts + 1, updated_at=now)
            ).rowcount  # fmt: skip
            if claimed != 1:
                return None
            row = conn.execute(
                select(replies.c.text, items.c.platform, items.c.external_id, items.c.thread_external_id,
                       items.c.object_id, items.c.raw, sources.c.name)
                .join(items, items.c.id == replies.c.item_id)
                .join(sources, sources.c.id == items.c.source_id)
                .where(replies.c.id == reply_id)
            ).one()  # fmt: skip
        return ReplyRequest(
            reply_id=reply_id, source=row.name, platform=row.platform, item_external_id=row.external_id,
            thread_external_id=row.thread_external_id, object_id=row.object_id, text=row.text, item_raw=row.raw,
        )  # fmt: skip

    def due_reply_ids(self, limit: int = 100) -> list[int]:
        """Queued replies whose next attempt is due, oldest first."""
        now = utcnow()
        query = (
            select(replies.c.id)
            .where(replies.c.status == "queued")
            .where((replies.c.next_attempt_at.is_(None)) | (replies.c.next_attempt_at <= now))
            .order_by(replies.c.id)
            .limit(limit)
        )
        with reading(self.engine) as conn:
            found: list[int] = list(conn.execute(query).scalars())
            return found

    def mark_reply_sent(self, reply_id: int, posted: PostedReply) -> None:
        """Record the platform's id; the item becomes answered by the tool at the time it was posted."""
        now = utcnow()
        at = posted.posted_at or now
        with self.engine.begin() as conn:
            self._set_reply(conn, reply_id, status="sent", platform_reply_id=posted.platform_reply_id,
                            url=posted.url, sent_at=at, error=None)  # fmt: skip
            item_id: int = conn.execute(
                select(replies.c.item_id).where(replies.c.id == reply_id)
            ).scalar_one()
            conn.execute(
                update(items).where(items.c.id == item_id, items.c.status.in_(("open", "answered")))
                .values(status="answered", answered_at=at, answered_by="tool", first_response_at=at)
            )  # fmt: skip
            conn.execute(events.insert().values(at=now, item_id=item_id, action="reply_sent",
                                                detail={"reply_id": reply_id}))  # fmt: skip

    def mark_reply_retry(self, reply_id: int, error: str, at: datetime) -> None:
        """A transient failure: back to queued, to be tried again at ``at``."""
        with self.engine.begin() as conn:
            self._set_reply(conn, reply_id, status="queued", next_attempt_at=at, error=error)

    def mark_reply_failed(self, reply_id: int, error: str) -> None:
        """The platform refused the reply for good; it stays visible with the reason."""
        with self.engine.begin() as conn:
            self._set_reply(conn, reply_id, status="failed", error=error)

    def mark_reply_uncertain(self, reply_id: int, error: str) -> None:
        """The request may have reached the platform: never re-sent automatically."""
        with self.engine.begin() as conn:
            self._set_reply(conn, reply_id, status="uncertain", error=error)

    def expire_stuck_sends(self, older_than: timedelta = timedelta(minutes=10)) -> int:
        """Replies left in sending by a crashed process become uncertain (they may have been posted)."""
        cutoff = utcnow() - older_than
        with self.engine.begin() as conn:
            stmt = (
                update(replies)
                .where(replies.c.status == "sending", replies.c.updated_at < cutoff)
                .values(status="uncertain", error="the sending process stopped before the platform answered",
                        updated_at=utcnow())
            )  # fmt: skip
            return int(conn.execute(stmt).rowcount or 0)

    def resolve_reply(self, reply_id: int, outcome: str, user_id: int | None = None) -> None:
        """A person settles a failed or uncertain reply: ``sent`` (it is there), ``retry`` or ``cancel``."""
        targets = {"sent": "sent", "retry": "queued", "cancel": "failed"}
        if outcome not in targets:
            raise SocialListenError(f"outcome must be one of {', '.join(targets)}")
        with self.engine.begin() as conn:
            status = conn.execute(select(replies.c.status).where(replies.c.id == reply_id)).scalar()
            if status not in ("failed", "uncertain"):
                raise SocialListenError(
                    f"reply {reply_id} is {status}; only failed or uncertain replies are resolved"
                )
            values: dict[str, Any] = {"status": targets[outcome], "next_attempt_at": utcnow()}
            if outcome == "sent":
                values["sent_at"] = utcnow()
            self._set_reply(conn, reply_id, **values)
            item_id: int = conn.execute(
                select(replies.c.item_id).where(replies.c.id == reply_id)
            ).scalar_one()
            conn.execute(
                events.insert().values(
                    at=utcnow(),
                    user_id=user_id,
                    item_id=item_id,
                    action=f"reply_resolved_{outcome}",
                    detail={"reply_id": reply_id},
                )
            )

    def reply_rows(self, status: str | None = None, item_id: int | None = None) -> list[dict[str, Any]]:
        """Replies (optionally by status or item), newest first."""
        query = select(replies).order_by(replies.c.id.desc())
        if status:
            query = query.where(replies.c.status == status)
        if item_id is not None:
            query = query.where(replies.c.item_id == item_id)
        with reading(self.engine) as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    @staticmethod
    def _set_reply(conn: Any, reply_id: int, **values: Any) -> None:
        if values.get("error"):  # a platform's refusal may echo the token it was sent
            values["error"] = redact(str(values["error"]))
        conn.execute(update(replies).where(replies.c.id == reply_id).values(updated_at=utcnow(), **values))


def new_id(result: Any) -> int:
    """The primary key of the row an INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
