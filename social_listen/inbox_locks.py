"""Soft locks: "Ana is viewing" / "Ana is drafting a reply". They block nothing and expire on their own
(the dashboard renews them while the item is open), so two people notice before answering one comment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from social_listen.db.engine import reading
from social_listen.db.tables import item_locks, users
from social_listen.errors import SocialListenError
from social_listen.model import utcnow
from social_listen.users import require

LOCK_TTL = timedelta(minutes=2)
ACTIVITIES = ("viewing", "drafting")


@dataclass(frozen=True)
class Lock:
    """Someone has an item open."""

    item_id: int
    user_id: int
    user: str
    activity: str
    expires_at: datetime


def touch_lock(
    engine: Engine, user_id: int, item_id: int, activity: str = "viewing", ttl: timedelta = LOCK_TTL
) -> None:
    """Say (again) that the user has the item open; the lock lasts ``ttl`` unless renewed."""
    if activity not in ACTIVITIES:
        raise SocialListenError(f"activity must be one of {', '.join(ACTIVITIES)}")
    require(engine, user_id, "reply" if activity == "drafting" else "read")
    values = {"item_id": item_id, "user_id": user_id, "activity": activity, "expires_at": utcnow() + ttl}
    insert: Any = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(item_locks)
    upsert = insert.values(**values).on_conflict_do_update(
        index_elements=[item_locks.c.item_id, item_locks.c.user_id],
        set_={"activity": insert.excluded.activity, "expires_at": insert.excluded.expires_at},
    )
    with engine.begin() as conn:
        conn.execute(upsert)


def release_lock(engine: Engine, user_id: int, item_id: int | None = None) -> None:
    """The user left the item (or, with no item, every item)."""
    stmt = delete(item_locks).where(item_locks.c.user_id == user_id)
    if item_id is not None:
        stmt = stmt.where(item_locks.c.item_id == item_id)
    with engine.begin() as conn:
        conn.execute(stmt)


def active_locks(
    engine: Engine, item_ids: Sequence[int], now: datetime | None = None, exclude_user: int | None = None
) -> dict[int, list[Lock]]:
    """Unexpired locks on these items, by item (optionally leaving out the asking user's own)."""
    if not item_ids:
        return {}
    query = (
        select(item_locks, users.c.display_name)
        .join(users, users.c.id == item_locks.c.user_id)
        .where(item_locks.c.item_id.in_(list(item_ids)), item_locks.c.expires_at > (now or utcnow()))
        .order_by(item_locks.c.expires_at.desc())
    )
    if exclude_user is not None:
        query = query.where(item_locks.c.user_id != exclude_user)
    found: dict[int, list[Lock]] = {}
    with reading(engine) as conn:
        for row in conn.execute(query).mappings():
            lock = Lock(
                row["item_id"], row["user_id"], row["display_name"], row["activity"], row["expires_at"]
            )
            found.setdefault(lock.item_id, []).append(lock)
    return found


def purge_expired_locks(engine: Engine, now: datetime | None = None) -> int:
    """Delete locks that have expired; returns how many."""
    with engine.begin() as conn:
        result = conn.execute(delete(item_locks).where(item_locks.c.expires_at <= (now or utcnow())))
        return int(result.rowcount or 0)
