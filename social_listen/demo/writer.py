"""Writes the planned conversations through the real paths: `save_page` for items, the outbox for tool replies."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, select, tuple_, update

from social_listen.db.engine import reading
from social_listen.db.tables import events, items, replies
from social_listen.demo.plan import Conversation, Post
from social_listen.demo.shapes import Shaper
from social_listen.model import Item, Page, PostedReply
from social_listen.store import Store, chunked

PAGE_SIZE = 400  # items per save_page call, like a collector's page


@contextmanager
def kept_open(store: Store) -> Iterator[None]:
    """Hold one SQLite connection open while building, so each short transaction does not rebuild the WAL file."""
    database = store.engine.url.database
    if store.dialect != "sqlite" or not database or database == ":memory:":
        yield
        return
    keeper = sqlite3.connect(database)
    try:
        keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield
    finally:
        keeper.close()


def cursor_for(item: Item) -> dict[str, Any]:
    """A plausible resume point after ``item`` for each platform's collector."""
    at = item.published_at.isoformat()
    keys = {"youtube": "newest_published_at", "facebook": "since", "instagram": "since", "wordpress": "after_gmt",
            "woocommerce": "after", "google_reviews": "update_time", "trustpilot": "start_date_time",
            "web_reviews": "crawled_until", "web_comments": "crawled_until", "file": "imported_until"}  # fmt: skip
    if item.platform == "x":
        return {"since_id": item.external_id, "demo": True}
    return {keys[item.platform]: at, "demo": True}


def save_items(store: Store, source_name: str, batch: list[Item]) -> None:
    """Save a source's items oldest first in pages, each page with its cursor, as a collection would."""
    batch.sort(key=lambda item: (item.published_at, item.external_id))
    for part in chunked(batch, PAGE_SIZE):
        page = list(part)
        store.save_page(source_name, Page(items=page, cursor=cursor_for(page[-1]), api_calls=1))


def save_conversations(store: Store, shaper: Shaper, plan: dict[str, list[Conversation]], tool: bool) -> None:
    """Save every post (``tool``: only the brand replies sent through the outbox, as the next collection sees them)."""
    for source_name, conversations in plan.items():
        batch = [shaper.item(c, p) for c in conversations for p in c.posts if p.via_tool == tool]
        if batch:
            save_items(store, source_name, batch)


def item_ids(store: Store, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Database ids of items by (platform, external_id)."""
    wanted = sorted(set(keys))
    found: dict[tuple[str, str], int] = {}
    with reading(store.engine) as conn:
        for part in chunked(wanted):
            query = select(items.c.platform, items.c.external_id, items.c.id).where(
                tuple_(items.c.platform, items.c.external_id).in_(list(part))
            )
            found.update({(str(p), str(e)): int(str(i)) for p, e, i in conn.execute(query).tuples()})
    return found


def _has_reply(conn: Connection, ids: list[int]) -> set[int]:
    """Items that already have a reply row (a second build sends nothing again)."""
    done: set[int] = set()
    for part in chunked(ids):
        query = select(replies.c.item_id).where(replies.c.item_id.in_(list(part)))
        found: list[Any] = list(conn.execute(query).scalars())
        done.update(int(str(i)) for i in found)
    return done


def send_outbox(
    store: Store, shaper: Shaper, plan: dict[str, list[Conversation]], users: dict[str, int]
) -> int:
    """Replies sent from the dashboard: queued, claimed and recorded as sent (or failed / uncertain)."""
    work = [(c, p) for cs in plan.values() for c in cs for p in c.posts if p.via_tool]
    work.sort(key=lambda pair: pair[1].at)
    problems = [c for cs in plan.values() for c in cs if c.problem]
    keys = [(c.source.platform, p.answers) for c, p in work] + [
        (c.source.platform, c.top.external_id) for c in problems
    ]
    ids = item_ids(store, keys)
    with reading(store.engine) as conn:
        done = _has_reply(conn, list(ids.values()))
    stamps: list[tuple[int, int, datetime]] = []
    for conv, post in work:
        item_id = ids[(conv.source.platform, post.answers)]
        if item_id not in done:
            stamps.append((_send(store, shaper, conv, post, item_id, users), item_id, post.at))
    for conv in problems:
        item_id = ids[(conv.source.platform, conv.top.external_id)]
        if item_id not in done:
            stamps.append((_fail(store, conv, item_id, users), item_id, _problem_at(conv)))
    _backdate(store, stamps)
    return len(stamps)


def _send(
    store: Store, shaper: Shaper, conv: Conversation, post: Post, item_id: int, users: dict[str, int]
) -> int:
    reply_id = store.enqueue_reply(item_id, post.text, users.get(post.user))
    if store.claim_reply(reply_id) is not None:
        url = shaper.item(conv, post).url
        store.mark_reply_sent(reply_id, PostedReply(post.external_id, url, posted_at=post.at))
    return reply_id


def _fail(store: Store, conv: Conversation, item_id: int, users: dict[str, int]) -> int:
    problem = conv.problem
    assert problem is not None
    reply_id = store.enqueue_reply(item_id, problem.text, users.get(problem.user))
    if store.claim_reply(reply_id) is not None:
        mark = store.mark_reply_failed if problem.status == "failed" else store.mark_reply_uncertain
        mark(reply_id, problem.error)
    return reply_id


def _problem_at(conv: Conversation) -> datetime:
    assert conv.problem is not None
    return conv.problem.at


def _backdate(store: Store, stamps: list[tuple[int, int, datetime]]) -> None:
    """The outbox stamps rows with the clock; the demo moves them to when each reply was written and sent."""
    if not stamps:
        return
    rows = [
        {"rid": r, "iid": i, "sent": at, "written": at - timedelta(minutes=2 + r % 7)} for r, i, at in stamps
    ]
    with store.engine.begin() as conn:
        conn.execute(
            update(replies).where(replies.c.id == bindparam("rid"))
            .values(created_at=bindparam("written"), updated_at=bindparam("sent"), next_attempt_at=bindparam("written")),
            rows,
        )  # fmt: skip
        for action, key in (("reply_queued", "written"), ("reply_sent", "sent")):
            conn.execute(
                update(events).where(events.c.item_id == bindparam("iid"), events.c.action == action)
                .values(at=bindparam(key)), rows)  # fmt: skip
