"""Answers seen on the platform: an item answered within its own page is written answered once; answers that
span pages still land. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import event, select

from social_listen.db.tables import items
from social_listen.metrics_sql import ResponseRules, computed_first_response_at
from social_listen.model import Item, Page
from social_listen.store import Store
from tests.conftest import make_config
from tests.helpers import T0, brand_reply, comment

SOURCE = "luna-file"
MARKER = "Respuesta automática"
RULES = ResponseRules({"Tienda Luna": (MARKER,)})


def _with_marker(store: Store) -> None:
    store.sync_config(make_config(brands=[{"name": "Tienda Luna", "sla": {"auto_reply_markers": [MARKER]}}]))


@contextmanager
def _statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def _answers_update(statement: str) -> bool:
    return statement.upper().startswith("UPDATE ITEMS SET") and "ANSWERED_BY" in statement.upper()


def _stored(store: Store) -> dict[str, tuple[str, datetime | None, datetime | None, datetime | None]]:
    """(status, answered_at, stored first response, first response computed in SQL) of customer items."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(items.c.external_id, items.c.status, items.c.answered_at, items.c.first_response_at,
                   computed_first_response_at(RULES).label("computed"))
            .where(items.c.is_own.is_(False))
        ).all()  # fmt: skip
    return {r.external_id: (r.status, r.answered_at, r.first_response_at, r.computed) for r in rows}


def test_a_comment_answered_in_its_own_page_is_written_once_already_answered(store: Store) -> None:
    _with_marker(store)
    page = Page([
        comment("c1", 0, text="No me llegó el pedido"), brand_reply("r-auto", "c1", 1, text=f"{MARKER}: te leemos"),
        brand_reply("r1", "c1", 30), comment("c2", 5),
    ])  # fmt: skip
    with _statements(store) as seen:
        result = store.save_page(SOURCE, page)
    assert result.answered == 1
    assert not [s for s in seen if s.upper().startswith("UPDATE ITEMS")]  # nor triage nor answers
    stored = _stored(store)
    assert stored["c1"] == ("answered", T0 + timedelta(minutes=1), T0 + timedelta(minutes=30),
                            T0 + timedelta(minutes=30))  # fmt: skip
    assert stored["c2"][:3] == ("open", None, None)
    with store.engine.connect() as conn:
        priority = conn.execute(select(items.c.priority).where(items.c.external_id == "c1")).scalar()
    assert priority == 0.0


def test_a_new_comment_answered_by_a_reply_stored_before_is_answered_through_an_update(store: Store) -> None:
    _with_marker(store)
    store.save_page(SOURCE, Page([brand_reply("r1", "c1", 40)]))  # the reply came first (another page)
    with _statements(store) as seen:
        result = store.save_page(SOURCE, Page([comment("c1", 0), brand_reply("r2", "c1", 20)]))
    assert result.answered == 1
    assert [s for s in seen if _answers_update(s)]
    minute = T0 + timedelta(minutes=20)
    assert _stored(store)["c1"] == ("answered", minute, minute, minute)


def _random_threads(rng: random.Random, count: int) -> list[Item]:
    """Threads of a top comment, customer replies and brand replies (some automatic), in time order."""
    found: list[Item] = []
    for t in range(count):
        top = f"t{t}"
        start = rng.randrange(0, 600)
        found.append(comment(top, start))
        minute = start
        for r in range(rng.randrange(0, 5)):
            minute += rng.randrange(1, 90)
            if rng.random() < 0.4:
                text = f"{MARKER}: gracias" if rng.random() < 0.3 else "Te escribimos por privado"
                found.append(brand_reply(f"{top}.b{r}", top, minute, text=text))
            else:
                found.append(comment(f"{top}.c{r}", minute, parent_external_id=top, thread_external_id=top,
                                     kind="reply"))  # fmt: skip
    return found


def _expected(pages: list[list[Item]]) -> dict[str, tuple[str, datetime | None]]:
    """(status, answered_at) of customer items by the rules, page after page: after each page every open
    customer item with a brand item under it (a reply to it; for replies, a later one in the thread) is
    answered at the first of them; an answered item keeps its time."""
    seen: dict[str, Item] = {}
    state: dict[str, tuple[str, datetime | None]] = {}
    for page in pages:
        seen.update({i.external_id: i for i in page})
        own = [i for i in seen.values() if i.is_own]
        for item in seen.values():
            if item.is_own or state.get(item.external_id, ("open", None))[0] != "open":
                continue
            under = [
                o.published_at for o in own
                if (o.parent_external_id == item.external_id
                    or (item.parent_external_id and o.thread_external_id == item.thread_external_id))
                and o.published_at >= item.published_at
            ]  # fmt: skip
            state[item.external_id] = ("answered", min(under)) if under else ("open", None)
    return state


def test_answers_within_and_across_pages_match_the_rules_and_the_sql_first_response(store: Store) -> None:
    _with_marker(store)
    rng = random.Random(7)
    threads = _random_threads(rng, 60)
    # Most items in their thread's page; some brand replies and customer replies a few pages later or earlier.
    pages: list[list[Item]] = [[] for _ in range(8)]
    for item in threads:
        home = int(item.external_id[1:].split(".")[0]) % 8
        late = rng.random() < 0.25
        pages[(home + rng.choice((-2, -1, 1, 2))) % 8 if late else home].append(item)
    answered_in_updates = 0
    for page in pages:
        with _statements(store) as seen:
            store.save_page(SOURCE, Page(page))
        answered_in_updates += sum(1 for s in seen if _answers_update(s))
    stored = _stored(store)
    expected = _expected(pages)
    assert {k: v[:2] for k, v in stored.items()} == expected
    assert all(first == computed for _s, _a, first, computed in stored.values())
    statuses = [s for s, _a, _f, _c in stored.values()]
    # The data exercises both paths, and auto-replies that do not count as a first response.
    assert answered_in_updates > 0 and statuses.count("answered") > 20 and statuses.count("open") > 20
    assert any(s == "answered" and f != a for s, a, f, _c in stored.values())


def test_a_reopened_item_stays_open_until_the_brand_replies_again_on_the_platform(store: Store) -> None:
    """Reopening says the platform reply was not enough: collecting the same thread again (an overlap
    re-read, an edited comment) must not close it again; a new brand reply does."""
    from social_listen.inbox_actions import set_status
    from social_listen.users import add_user

    store.save_page(SOURCE, Page([comment("c1", 0), brand_reply("r1", "c1", 10)]))
    assert _stored(store)["c1"][0] == "answered"
    user = add_user(store.engine, "ana", "una-clave-larga", role="admin")
    with store.engine.connect() as conn:
        item_id = conn.execute(select(items.c.id).where(items.c.external_id == "c1")).scalar_one()
    assert set_status(store.engine, user, [item_id], "reopen") == 1
    with _statements(store) as seen:
        result = store.save_page(SOURCE, Page([comment("c1", 0), brand_reply("r1", "c1", 10)]))
    assert result.answered == 0 and not [s for s in seen if _answers_update(s)]
    store.save_page(
        SOURCE, Page([comment("c1", 0, text="Sigo sin pedido, ¿hola?"), brand_reply("r1", "c1", 10)])
    )
    assert _stored(store)["c1"][:3] == ("open", None, None)
    result = store.save_page(SOURCE, Page([brand_reply("r2", "c1", 90)]))
    status, answered_at, first, computed = _stored(store)["c1"]
    # Answered by the new reply; its first response is still the first one the brand gave.
    assert (result.answered, status, answered_at) == (1, "answered", T0 + timedelta(minutes=90))
    assert first == computed == T0 + timedelta(minutes=10)
