"""Everything the item view shows: the item, its thread, the author's history across channels, notes,
events and replies. Read-only; the raw platform payload is never included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select

from social_listen.db.engine import reading
from social_listen.db.tables import authors, brands, events, items, notes, replies, sources, users
from social_listen.errors import SocialListenError
from social_listen.inbox import sla_due_at, split_intents
from social_listen.sla import SlaBook

THREAD_LIMIT = 200
HISTORY_LIMIT = 20
VIP_TAG = "vip"
ITEM_COLUMNS = [c for c in items.c if c.name != "raw"]


@dataclass(frozen=True)
class ItemDetail:
    """One item with its context."""

    item: dict[str, Any]
    author: dict[str, Any] | None
    thread: list[dict[str, Any]]
    history: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    events: list[dict[str, Any]]
    replies: list[dict[str, Any]]

    @property
    def vip(self) -> bool:
        """Whether the author is tagged VIP."""
        return bool(self.author and VIP_TAG in [str(t).lower() for t in self.author.get("tags") or []])


def item_detail(
    engine: Engine, item_id: int, user_id: int | None = None, sla: SlaBook | None = None
) -> ItemDetail:
    """The item and its context; SocialListenError when there is no such item (or, for a user limited to
    some brands, when it belongs to another brand)."""
    with reading(engine) as conn:
        item = _item(conn, item_id)
        item["sla_due_at"] = sla_due_at(item["published_at"], item["brand"], item["platform"], sla)
        _require_brand(conn, item, user_id)
        author = _author(conn, item["author_id"])
        return ItemDetail(
            item=item,
            author=author,
            thread=_thread(conn, item),
            history=_history(conn, item, author),
            notes=_notes(conn, item_id),
            events=_events(conn, item_id),
            replies=_replies(conn, item_id),
        )


def _item(conn: Connection, item_id: int) -> dict[str, Any]:
    query = (
        select(*ITEM_COLUMNS, sources.c.name.label("source"), brands.c.name.label("brand"),
               brands.c.languages.label("brand_languages"), users.c.display_name.label("assignee"))
        .join(sources, sources.c.id == items.c.source_id)
        .join(brands, brands.c.id == items.c.brand_id)
        .outerjoin(users, users.c.id == items.c.assignee_id)
        .where(items.c.id == item_id)
    )  # fmt: skip
    row = conn.execute(query).mappings().first()
    if row is None:
        raise SocialListenError(f"no item {item_id}")
    item = dict(row)
    item["intents"] = split_intents(item["intents"])
    return item


def _require_brand(conn: Connection, item: dict[str, Any], user_id: int | None) -> None:
    if user_id is None:
        return
    allowed = conn.execute(select(users.c.brands).where(users.c.id == user_id)).scalar()
    if allowed and item["brand"] not in [str(name) for name in allowed]:
        raise SocialListenError(f"no item {item['id']}")


def _author(conn: Connection, author_id: int | None) -> dict[str, Any] | None:
    if author_id is None:
        return None
    row = conn.execute(select(authors).where(authors.c.id == author_id)).mappings().first()
    return dict(row) if row else None


def _thread(conn: Connection, item: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation the item is part of: its parent, the other replies and the brand's answers."""
    top = item["thread_external_id"] or item["external_id"]
    related = [items.c.external_id == top, items.c.thread_external_id == top,
               items.c.parent_external_id == item["external_id"]]  # fmt: skip
    if item["parent_external_id"]:
        related.append(items.c.external_id == item["parent_external_id"])
    query = (
        select(items.c.id, items.c.external_id, items.c.parent_external_id, items.c.author_name, items.c.text,
               items.c.is_own, items.c.published_at, items.c.status, items.c.url, items.c.kind)
        .where(items.c.platform == item["platform"], or_(*related))
        .order_by(items.c.published_at, items.c.id)
        .limit(THREAD_LIMIT)
    )  # fmt: skip
    return [dict(r) | {"current": r["id"] == item["id"]} for r in conn.execute(query).mappings()]


def _history(conn: Connection, item: dict[str, Any], author: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Other items by the same person: the same account, or on another channel the same handle or full name
    (on one channel, another account with the same name is taken to be someone else)."""
    if author is None:
        return []
    elsewhere = []
    if author["handle"]:
        elsewhere.append(func.lower(authors.c.handle) == str(author["handle"]).lower())
    if len(str(author["name"]).split()) >= 2:
        elsewhere.append(func.lower(authors.c.name) == str(author["name"]).lower())
    same_person = [authors.c.id == author["id"]]
    if elsewhere:
        same_person.append(and_(authors.c.platform != author["platform"], or_(*elsewhere)))
    query = (
        select(items.c.id, items.c.platform, sources.c.name.label("source"), items.c.text, items.c.status,
               items.c.sentiment_label, items.c.published_at, items.c.rating)
        .join(sources, sources.c.id == items.c.source_id)
        .where(items.c.author_id.in_(select(authors.c.id).where(or_(*same_person))))
        .where(items.c.id != item["id"], items.c.is_own.is_(False))
        .order_by(items.c.published_at.desc())
        .limit(HISTORY_LIMIT)
    )  # fmt: skip
    return [dict(r) for r in conn.execute(query).mappings()]


def _notes(conn: Connection, item_id: int) -> list[dict[str, Any]]:
    query = (
        select(notes.c.id, notes.c.text, notes.c.created_at, users.c.display_name.label("user"))
        .outerjoin(users, users.c.id == notes.c.user_id)
        .where(notes.c.item_id == item_id)
        .order_by(notes.c.created_at, notes.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def _events(conn: Connection, item_id: int) -> list[dict[str, Any]]:
    query = (
        select(events.c.at, events.c.action, events.c.detail, users.c.display_name.label("user"))
        .outerjoin(users, users.c.id == events.c.user_id)
        .where(events.c.item_id == item_id)
        .order_by(events.c.at.desc(), events.c.id.desc())
        .limit(100)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def _replies(conn: Connection, item_id: int) -> list[dict[str, Any]]:
    query = (
        select(replies, users.c.display_name.label("user"))
        .outerjoin(users, users.c.id == replies.c.user_id)
        .where(replies.c.item_id == item_id)
        .order_by(replies.c.id.desc())
    )
    return [dict(r) for r in conn.execute(query).mappings()]
