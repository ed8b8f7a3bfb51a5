"""The store keeps every item once, commits cursors with their data, and observes answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError

from social_listen.config import Config
from social_listen.db.engine import reading
from social_listen.db.tables import authors, items, sources
from social_listen.errors import LeaseLost
from social_listen.model import Author, Page, PostedReply, utcnow
from social_listen.store import Store
from tests.conftest import _pg_store
from tests.helpers import T0, brand_reply, comment

SOURCE = "luna-file"


def item_row(store: Store, external_id: str) -> dict:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(items).where(items.c.external_id == external_id)).mappings().one())


def count_items(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(items)).scalar_one()


def test_saving_the_same_page_twice_adds_nothing(store: Store) -> None:
    page = Page([comment("c1"), comment("c2"), brand_reply("r1", "c1", 30)], cursor={"after": "c2"})
    first = store.save_page(SOURCE, page)
    second = store.save_page(SOURCE, page)
    assert (first.new, first.updated) == (3, 0)
    assert (second.new, second.updated, second.unchanged, second.answered) == (0, 0, 3, 0)
    assert count_items(store) == 3


def test_a_nul_character_or_an_impossible_id_does_not_sink_the_page(store: Store) -> None:
    nul = comment("nul", text="Pedido\x00 roto")
    long_id = comment("x" * 300)
    result = store.save_page("luna-file", Page([comment("ok"), nul, long_id], cursor={"page": 2}))
    assert result.new == 2
    with store.engine.connect() as conn:
        stored = dict(conn.execute(select(items.c.external_id, items.c.text)).tuples().all())
    assert set(stored) == {"ok", "nul"} and stored["nul"] == "Pedido roto"
    assert store.get_cursor("luna-file") == {"page": 2}
    assert store.save_page("luna-file", Page([nul])).new == 0  # the same item again is no change


def test_cursor_is_saved_with_the_page(store: Store) -> None:
    store.save_page(SOURCE, Page([comment("c1")], cursor={"page_token": "p2"}))
    assert store.get_cursor(SOURCE) == {"page_token": "p2"}
    store.save_page(SOURCE, Page([comment("c2")], cursor=None))
    assert store.get_cursor(SOURCE) == {"page_token": "p2"}


def test_a_failed_page_keeps_neither_items_nor_cursor(store: Store) -> None:
    store.save_page(SOURCE, Page([comment("c1")], cursor={"n": 1}))
    bad = Page([comment("c2"), comment("c4", published_at=None)], cursor={"n": 2})  # NOT NULL violated
    with pytest.raises(IntegrityError):
        store.save_page(SOURCE, bad)
    assert store.get_cursor(SOURCE) == {"n": 1}
    assert count_items(store) == 1


def test_an_edited_comment_is_updated_not_duplicated(store: Store) -> None:
    store.save_page(SOURCE, Page([comment("c1", text="Talla M por favor")]))
    result = store.save_page(
        SOURCE, Page([comment("c1", text="Talla L por favor", updated_at=T0 + timedelta(hours=1))])
    )
    assert (result.new, result.updated) == (0, 1)
    assert item_row(store, "c1")["text"] == "Talla L por favor"
    assert count_items(store) == 1


def test_recollection_keeps_what_people_set(store: Store) -> None:
    store.save_page(SOURCE, Page([comment("c1", like_count=1)]))
    with store.engine.begin() as conn:
        conn.execute(update(items).values(status="ignored", tags=["spam"], priority=9.5))
    store.save_page(SOURCE, Page([comment("c1", like_count=5)]))
    row = item_row(store, "c1")
    assert (row["like_count"], row["status"], row["tags"], row["priority"]) == (5, "ignored", ["spam"], 9.5)


def test_brand_reply_marks_comment_answered_at_reply_time(store: Store) -> None:
    result = store.save_page(SOURCE, Page([comment("c1"), brand_reply("r1", "c1", minutes=95)]))
    row = item_row(store, "c1")
    assert result.answered == 1
    assert (row["status"], row["answered_by"]) == ("answered", "platform")
    assert row["answered_at"] == T0 + timedelta(minutes=95)
    assert item_row(store, "r1")["status"] == "closed"


def test_reply_seen_before_its_comment_still_answers_it(store: Store) -> None:
    store.save_page(SOURCE, Page([brand_reply("r1", "c1", minutes=10)]))
    store.save_page(SOURCE, Page([comment("c1")]))
    assert item_row(store, "c1")["status"] == "answered"


def test_brand_reply_in_thread_answers_earlier_replies_only(store: Store) -> None:
    early = comment("c1.a", minutes=5, parent_external_id="c1", thread_external_id="c1", kind="reply")
    late = comment("c1.b", minutes=60, parent_external_id="c1", thread_external_id="c1", kind="reply")
    store.save_page(SOURCE, Page([comment("c1"), early, brand_reply("r1", "c1", minutes=30), late]))
    assert item_row(store, "c1.a")["status"] == "answered"
    assert item_row(store, "c1.b")["status"] == "open"


def test_customer_reply_does_not_answer(store: Store) -> None:
    store.save_page(
        SOURCE, Page([comment("c1"), comment("c2", minutes=5, parent_external_id="c1", kind="reply")])
    )
    assert item_row(store, "c1")["status"] == "open"


def test_answer_sent_by_the_tool_keeps_its_own_time(store: Store) -> None:
    store.save_page(SOURCE, Page([comment("c1")]))
    reply_id = store.enqueue_reply(item_row(store, "c1")["id"], "Llega mañana")
    store.claim_reply(reply_id)
    store.mark_reply_sent(reply_id, PostedReply("r-tool", posted_at=T0 + timedelta(minutes=20)))
    store.save_page(SOURCE, Page([brand_reply("r-tool", "c1", minutes=20, text="Llega mañana")]))
    row = item_row(store, "c1")
    assert (row["answered_by"], row["answered_at"]) == ("tool", T0 + timedelta(minutes=20))


def test_authors_are_shared_across_items(store: Store) -> None:
    a, b = comment("c1"), comment("c2")
    store.save_page(SOURCE, Page([a, comment("c2", author=a.author)]))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(authors)).scalar_one() == 1
    assert item_row(store, "c1")["author_id"] == item_row(store, "c2")["author_id"]
    assert b.author is not None


def _author_writes(store: Store) -> list[object]:
    """The rows the store's engine will send to INSERT INTO authors (recorded from now on)."""
    seen: list[object] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO AUTHORS"):
            seen.extend(parameters if executemany else [parameters])

    return seen


def test_a_returning_author_is_read_not_written_again_and_keeps_one_row(store: Store) -> None:
    regular = Author(external_id="user-regular", name="Lucía G.", handle="@lucia")
    store.save_page(SOURCE, Page([comment("c1", author=regular)]))
    writes = _author_writes(store)
    store.save_page(SOURCE, Page([comment("c2", minutes=5, author=regular), comment("c3", minutes=6)]))
    assert len(writes) == 1  # one row: the page's new author, c3's
    assert item_row(store, "c2")["author_id"] == item_row(store, "c1")["author_id"]
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(authors)).scalar_one() == 2


def test_an_author_renamed_on_the_platform_is_renamed_in_the_store_under_the_same_id(store: Store) -> None:
    store.save_page(
        SOURCE, Page([comment("c1", author=Author(external_id="u1", name="Lucía", handle="@lu"))])
    )
    renamed = Author(external_id="u1", name="Lucía García", handle="@lu", follower_count=350)
    store.save_page(SOURCE, Page([comment("c2", minutes=5, author=renamed)]))
    with store.engine.connect() as conn:
        rows = conn.execute(select(authors.c.id, authors.c.name, authors.c.follower_count)).all()
    assert [(r.name, r.follower_count) for r in rows] == [("Lucía García", 350)]
    assert item_row(store, "c1")["author_id"] == item_row(store, "c2")["author_id"] == rows[0].id


def test_times_come_back_timezone_aware_utc(store: Store) -> None:
    store.save_page(SOURCE, Page([comment("c1")]))
    published = item_row(store, "c1")["published_at"]
    assert published.tzinfo is not None and published.utcoffset() == timedelta(0)
    assert published == T0


def test_large_pages_are_written_in_batches(store: Store) -> None:
    page = Page([comment(f"c{i}", minutes=i) for i in range(2300)], cursor={"n": 2300})
    assert store.save_page(SOURCE, page).new == 2300
    assert store.save_page(SOURCE, page).unchanged == 2300
    assert count_items(store) == 2300


def test_lease_is_exclusive_until_released_or_expired(store: Store) -> None:
    ttl = timedelta(minutes=5)
    assert store.acquire_lease(SOURCE, "host-a:1", ttl)
    assert not store.acquire_lease(SOURCE, "host-b:2", ttl)
    store.release_lease(SOURCE, "host-a:1")
    assert store.acquire_lease(SOURCE, "host-b:2", timedelta(seconds=-1))  # already expired
    assert store.acquire_lease(SOURCE, "host-a:1", ttl)
    assert not store.renew_lease(SOURCE, "host-b:2", ttl)


def test_a_host_that_lost_its_lease_writes_nothing_more_of_the_source(store: Store) -> None:
    ttl = timedelta(minutes=5)
    assert store.acquire_lease(SOURCE, "host-a:1", ttl)
    store.save_page(SOURCE, Page([comment("c1")], cursor={"page": 1}), lease=("host-a:1", ttl))
    renewed = store.source_row(SOURCE)["lease_expires_at"]
    assert renewed > utcnow() + ttl - timedelta(seconds=30)
    with store.engine.begin() as conn:  # host-a stalled past its lease; host-b took the source over
        conn.execute(update(sources).where(sources.c.name == SOURCE).values(lease_expires_at=utcnow()))
    assert store.acquire_lease(SOURCE, "host-b:2", ttl)
    with pytest.raises(LeaseLost, match="another host took it over"):
        store.save_page(SOURCE, Page([comment("c2")], cursor={"page": 2}), lease=("host-a:1", ttl))
    assert count_items(store) == 1 and store.get_cursor(SOURCE) == {"page": 1}
    assert store.source_row(SOURCE)["lease_owner"] == "host-b:2"


def test_init_twice_keeps_data(store: Store) -> None:
    store.save_page(SOURCE, Page([comment("c1")]))
    store.init()
    assert count_items(store) == 1


def test_bulk_item_writes_store_exactly_what_a_plain_execute_of_the_same_rows_stores(
    store: Store,
) -> None:
    from datetime import UTC, datetime, timezone

    from social_listen.db.bulk import BulkWrite

    source = store.source_row("luna-file")
    madrid = timezone(timedelta(hours=1))
    made = [
        comment("x1", text="Llegó roto 😡 <b>¿y ahora?</b>", like_count=3, rating=1.5,
                raw={"id": "x1", "nested": [1, None, "ñ"]}),
        comment("x2", published_at=datetime(2026, 3, 2, 10, 30, tzinfo=madrid), updated_at=T0, is_own=True),
        comment("x3", text=None, published_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
    ]  # fmt: skip
    now = datetime.now(UTC)
    rows = [store._item_row(i, source, {}, i.fingerprint(), now) for i in made]
    twins = [{**r, "external_id": r["external_id"] + "-plain"} for r in rows]
    with store.engine.begin() as conn:
        BulkWrite.compile(store._item_upsert(), conn.dialect, tuple(rows[0])).run(conn, rows)
        conn.execute(store._item_upsert(), twins)
    columns = [c for c in items.c if c.name not in ("id", "external_id")]
    with store.engine.connect() as conn:
        stored = {r.external_id: tuple(r[1:]) for r in conn.execute(select(items.c.external_id, *columns))}
    assert len(stored) == 6
    for row in rows:
        assert stored[row["external_id"]] == stored[row["external_id"] + "-plain"]
    assert stored["x2"][columns.index(items.c.published_at)] == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_a_bulk_write_asks_for_no_rows_back(store: Store) -> None:
    """A single-row INSERT on PostgreSQL returns its new id; run for a page of rows, that is a result set per
    row that nobody reads."""
    from social_listen.db.bulk import BulkWrite

    source, now = store.source_row("luna-file"), utcnow()
    keys = tuple(store._item_row(comment("k"), source, {}, "f", now))
    author_keys = ("platform", "external_id", "name", "handle", "url", "follower_count", "tags", "notes")
    for statement, columns in ((store._item_upsert(), keys), (store._author_upsert(), author_keys)):
        assert "RETURNING" not in BulkWrite.compile(statement, store.engine.dialect, columns).sql.upper()


def test_a_bulk_write_converts_each_distinct_timestamp_of_a_page_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from social_listen.db.bulk import BulkWrite
    from social_listen.db.tables import UTCDateTime

    converted: list[datetime] = []
    original = UTCDateTime.process_bind_param

    def counting(self: UTCDateTime, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None:
            converted.append(value)
        return original(self, value, dialect)  # type: ignore[arg-type]

    monkeypatch.setattr(UTCDateTime, "process_bind_param", counting)
    source, now = store.source_row("luna-file"), datetime.now(UTC)
    made = [comment(f"t{n}", published_at=T0 + timedelta(minutes=n), updated_at=T0 + timedelta(minutes=n))
            for n in range(50)]  # fmt: skip
    rows = [store._item_row(i, source, {}, i.fingerprint(), now) for i in made]
    with store.engine.begin() as conn:
        BulkWrite.compile(store._item_upsert(), conn.dialect, tuple(rows[0])).run(conn, rows)
    # 50 publish times (each edit time equals its publish time) and one collection time; fetched_at is it too
    assert sorted(converted) == sorted([T0 + timedelta(minutes=n) for n in range(50)] + [now])
    with store.engine.connect() as conn:
        stored = conn.execute(select(items.c.published_at).where(items.c.external_id == "t7")).scalar_one()
    assert stored == T0 + timedelta(minutes=7)


def test_a_bulk_write_refuses_rows_that_lack_one_of_its_parameters(sqlite_store: Store) -> None:
    from social_listen.db.bulk import BulkWrite

    with pytest.raises(ValueError, match="tags"):
        BulkWrite.compile(items.insert(), sqlite_store.engine.dialect, ("platform", "external_id", "text"))


def _analyzed_columns(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            return (
                {"*"}
                if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
                else set()
            )
        found = conn.exec_driver_sql("SELECT attname FROM pg_stats WHERE tablename = 'items'").scalars()
        return set(found)


def test_statistics_taken_during_a_collection_cover_the_lookup_columns_and_a_full_refresh_follows(
    store: Store,
) -> None:
    store.save_page(SOURCE, Page([comment(f"s{n}", minutes=n) for n in range(40)]))
    assert store.refresh_statistics(growth=1.0, lookups_only=True)
    assert not store.refresh_statistics(growth=1.0, lookups_only=True)  # until the table doubles again
    if store.dialect == "postgresql":
        assert {"external_id", "thread_external_id"} <= _analyzed_columns(store)
        assert "status" not in _analyzed_columns(store)  # the dashboard's columns wait for the full one
    store.save_page(SOURCE, Page([comment("one-more")]))  # far from the growth a refresh waits for
    assert store.refresh_statistics() is (store.dialect == "postgresql")  # SQLite analyzed everything
    if store.dialect == "postgresql":
        assert {"status", "published_at", "text"} <= _analyzed_columns(store)
    else:
        assert _analyzed_columns(store) == {"*"}
    assert not store.refresh_statistics()


def test_a_collection_checks_the_statistics_only_once_its_pages_could_have_doubled_the_store(
    store: Store,
) -> None:
    from sqlalchemy import event

    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    first = [comment(f"s{n}", minutes=n) for n in range(40)]
    store.save_page(SOURCE, Page(first))
    assert store.refresh_statistics(growth=1.0, lookups_only=True, added=40)  # never analyzed: it runs
    store.save_page(SOURCE, Page([comment(f"t{n}", minutes=n) for n in range(30)]))
    seen.clear()
    assert not store.refresh_statistics(growth=1.0, lookups_only=True, added=30)
    assert seen == []  # 70 items cannot be twice the 40 analyzed: the database is not asked
    store.save_page(SOURCE, Page([comment(f"u{n}", minutes=n) for n in range(20)]))
    assert store.refresh_statistics(growth=1.0, lookups_only=True, added=20)  # 90 > 2 × 40


def _with_lock_timeout(dbapi_connection: object, _record: object) -> None:
    dbapi_connection.execute("SET lock_timeout = '200ms'")  # type: ignore[attr-defined]
    dbapi_connection.commit()  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_on_postgresql_one_host_refreshes_the_statistics_while_the_others_skip_and_a_failed_refresh_fails_nothing(
    pg_server: str, pg_template: str, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    # Several hosts collecting at once each asked for an ANALYZE of items and authors, and two of them
    # deadlocked on each other's table locks: the collection that lost failed.
    from sqlalchemy import text as sql

    from social_listen.store import ANALYZE_LOCK

    store = _pg_store(pg_server, pg_template)
    other = store.engine.connect()
    try:
        store.sync_config(config)
        store.save_page(SOURCE, Page([comment(f"s{n}", minutes=n) for n in range(40)]))
        holding = other.begin()
        other.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": ANALYZE_LOCK})
        assert not store.refresh_statistics(growth=1.0, lookups_only=True)  # another host is at it
        assert "external_id" not in _analyzed_columns(store)
        holding.rollback()
        # A table lock that makes ANALYZE give up (lock_timeout): logged, and the caller carries on.
        holding = other.begin()
        other.exec_driver_sql("LOCK TABLE items IN SHARE UPDATE EXCLUSIVE MODE")
        event.listen(store.engine, "connect", _with_lock_timeout)
        store.engine.dispose()  # new connections, with the timeout
        with caplog.at_level("WARNING", logger="social_listen.store"):
            assert not store.refresh_statistics(growth=1.0, lookups_only=True)
        assert "planner statistics not refreshed" in caplog.text
        holding.rollback()
        assert store.refresh_statistics(growth=1.0, lookups_only=True)  # free again: it runs
        assert {"external_id", "thread_external_id"} <= _analyzed_columns(store)
    finally:
        other.close()
        store.engine.dispose()


def test_a_single_statement_read_leaves_the_next_writer_its_transaction(store: Store) -> None:
    """On PostgreSQL a single read runs in autocommit; the pooled connection must be transactional again,
    so a writer's failed transaction still rolls back whole."""
    store.save_page(SOURCE, Page([comment("c1")], cursor={}))
    with reading(store.engine, single_statement=True) as conn:
        assert conn.execute(select(func.count()).select_from(items)).scalar_one() == 1
    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        conn.execute(update(items).values(text="rewritten"))
        raise RuntimeError("the writer fails mid-way")
    assert item_row(store, "c1")["text"] != "rewritten"
