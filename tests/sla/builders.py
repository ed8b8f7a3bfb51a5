"""A small store whose responsiveness numbers are known by hand (times from tests.helpers.T0 = Mon 2 Mar 2026
09:00 UTC, 10:00 in Madrid)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from social_listen.db.tables import items
from social_listen.model import Item, Page, PostedReply
from social_listen.store import Store
from social_listen.users import add_user
from tests.helpers import T0, brand_reply, comment

SOURCE = "luna-file"
AUTO_MARKER = "Respuesta automática"


def at(minutes: float) -> datetime:
    """T0 plus ``minutes``."""
    return T0 + timedelta(minutes=minutes)


def item_id(store: Store, external_id: str) -> int:
    """The stored id of an item."""
    with store.engine.connect() as conn:
        return int(conn.execute(select(items.c.id).where(items.c.external_id == external_id)).scalar_one())


def set_fields(store: Store, external_id: str, **values: Any) -> None:
    """Change stored columns of an item (triage results, status...). A label given without a fast-reply
    flag gets the flag triage would give it by default (negative = flagged)."""
    if "sentiment_label" in values and "fast_reply" not in values:
        values["fast_reply"] = values["sentiment_label"] == "neg"
    with store.engine.begin() as conn:
        conn.execute(update(items).where(items.c.external_id == external_id).values(**values))
    store.refresh_first_responses()  # as the write paths do after a change


def save(store: Store, *batch: Item) -> None:
    """Save items as a collector would."""
    store.save_page(SOURCE, Page(list(batch)))


def send_tool_reply(store: Store, external_id: str, user_id: int | None, minutes: float) -> None:
    """A reply written in the tool and posted at T0 + minutes."""
    reply_id = store.enqueue_reply(item_id(store, external_id), "Te lo enviamos hoy mismo.", user_id)
    assert store.claim_reply(reply_id) is not None
    store.mark_reply_sent(reply_id, PostedReply(f"p-{external_id}", posted_at=at(minutes)))


def seed_responses(store: Store) -> dict[str, int]:
    """Items a..j (see the table in test_metrics); returns external id -> item id."""
    save(store,
         comment("a", 0), comment("b", 10), comment("c", 20), comment("d", 30), comment("e", 40),
         comment("f", 50), comment("g", 60), comment("h", -7 * 24 * 60), comment("i", -2 * 24 * 60),
         comment("j", 290),
         brand_reply("ra", "a", 30), brand_reply("rb", "b", 70), brand_reply("rc", "c", 25, text=f"{AUTO_MARKER}: gracias"),
         brand_reply("rh", "h", 10))  # fmt: skip
    ana = add_user(store.engine, "ana", "contraseña-larga", display_name="Ana")
    send_tool_reply(store, "d", ana, 150)
    set_fields(store, "e", status="answered", answered_at=at(140), answered_by="manual")
    set_fields(store, "f", status="ignored")
    set_fields(store, "g", status="closed")
    set_fields(store, "a", sentiment_label="neg", intents="shipping;question")
    set_fields(store, "b", sentiment_label="pos", intents="praise")
    set_fields(store, "c", sentiment_label="neg", intents="refund")
    set_fields(store, "d", sentiment_label="neu", intents="question")
    return {name: item_id(store, name) for name in "abcdefghij"}
