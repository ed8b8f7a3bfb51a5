"""The inbox in the core (no Streamlit): ordering, filters with counts, pagination, the item's context."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, text, update

from social_listen import inbox
from social_listen.config import Config
from social_listen.db.tables import items, users
from social_listen.errors import SocialListenError
from social_listen.inbox import MINE, UNASSIGNED, InboxFilter, facet_counts, inbox_page
from social_listen.inbox_actions import assign
from social_listen.inbox_detail import item_detail
from social_listen.model import Author, Page, utcnow
from social_listen.store import Store
from tests.conftest import _pg_store
from tests.dashboard.seed import ES_NEG, Seeded, seed
from tests.helpers import comment


@pytest.fixture
def seeded(store: Store) -> Seeded:
    return seed(store)


def counts(seeded: Seeded, facet: str, f: InboxFilter = InboxFilter()) -> dict[str, int]:
    found = facet_counts(seeded.store.engine, f, seeded.users["beto"])[facet]
    return {v.value: v.count for v in found}


def all_rows(seeded: Seeded, f: InboxFilter) -> list:
    return inbox_page(seeded.store.engine, f, seeded.users["beto"], per_page=500).rows


def test_open_items_come_first_by_priority_then_oldest(seeded: Seeded) -> None:
    rows = all_rows(seeded, InboxFilter(status=()))
    open_rows = [r for r in rows if r.status == "open"]
    assert rows[: len(open_rows)] == open_rows
    keys = [(-r.priority, r.published_at) for r in open_rows]
    assert keys == sorted(keys)
    assert rows[0].author_name.startswith("<img")  # the hostile comment has the top priority
    assert all(not r.source.endswith("brand") for r in rows)


def test_brand_own_replies_never_show_in_the_inbox(seeded: Seeded) -> None:
    ids = {r.id for r in all_rows(seeded, InboxFilter(status=()))}
    assert seeded.items["yt-thread-brand"] not in ids
    assert seeded.items["yt-thread"] in ids  # answered, visible when every status is shown


def test_a_word_in_more_items_than_the_count_cap_pages_in_inbox_order_like_a_rare_one(store: Store) -> None:
    # 1,300 of 1,700 open comments mention the order (in any case, in the text or the author's name): more
    # than the count cap, so the page walks the inbox order instead of sorting every match of the text index.
    texts = [
        "¿Dónde está mi PEDIDO?",
        "Sin novedades del pedido",
        "Hola, una consulta",
        "Pedidos al por mayor",
    ]
    batch = [comment(f"c{n}", minutes=n, text=texts[n % 4]) for n in range(1600)]
    batch += [
        comment(f"a{n}", minutes=n, text="Hola", author=Author(f"u{n}", "Pedido Express")) for n in range(100)
    ]
    store.save_page("luna-file", Page(batch))
    engine = store.engine
    with engine.begin() as conn:
        conn.execute(update(items).values(priority=(items.c.id * 37) % 101))
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for search, matching in (("pedido", 1300), ("mayor", 400)):
            with engine.connect() as conn:
                rows = conn.execute(select(items.c.id, items.c.priority, items.c.published_at, items.c.text,
                                           items.c.author_name)).all()  # fmt: skip
            expected = sorted((r for r in rows if search in f"{r.text} {r.author_name}".lower()),
                              key=lambda r: (-r.priority, r.published_at, r.id))  # fmt: skip
            assert len(expected) == matching
            for number in (1, 2, 7):
                statements.clear()
                page = inbox_page(engine, InboxFilter(search=search), page=number, per_page=25)
                assert [r.id for r in page.rows] == [r.id for r in expected[(number - 1) * 25 :][:25]]
                assert (page.total, page.more) == ((1000, True) if matching > 1000 else (matching, False))
                if engine.dialect.name == "sqlite":  # the index lists a rare word's matches for the page
                    assert ("MATCH" in statements[-1]) is (matching <= 1000), statements[-1]
                else:  # PostgreSQL: a rare word's page sorts the matches found first, by their ids
                    assert ("items.id = ANY (" in statements[-1]) is (matching <= 1000), statements[-1][-300:]
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_negative_spanish_filter_and_counts_per_value(seeded: Seeded) -> None:
    f = InboxFilter(language=("es",), sentiment=("neg",))
    rows = all_rows(seeded, f)
    assert {(r.language, r.sentiment_label) for r in rows} == {("es", "neg")}
    assert len(rows) == len(ES_NEG) + 1 + 2 + 1  # + hostile + two bad reviews + the thread follow-up
    # a facet's own counts ignore its selection; the others' counts follow it
    assert counts(seeded, "sentiment", f)["pos"] == 4  # two comments, two 4-5 star reviews
    assert counts(seeded, "language", f) == {"es": len(rows), "en": 3}
    assert sum(counts(seeded, "platform", f).values()) == len(rows)


def test_search_follows_edited_comments_through_the_text_index(seeded: Seeded) -> None:
    engine = seeded.store.engine
    with engine.begin() as conn:
        item_id = seeded.items["fb-es-neg-1"]
        conn.execute(update(items).where(items.c.id == item_id).values(text="Llegó la campera equivocada"))
    found = all_rows(seeded, InboxFilter(search="CAMPERA equivocada"))
    assert [r.id for r in found] == [item_id]
    with engine.begin() as conn:
        conn.execute(update(items).where(items.c.id == item_id).values(text="Todo bien al final"))
    assert all_rows(seeded, InboxFilter(search="campera")) == []
    assert inbox_page(engine, InboxFilter(search="campera"), seeded.users["beto"]).total == 0
    if engine.dialect.name == "sqlite":  # the words of 3+ letters went through the FTS5 trigram index
        assert inbox._search_prefilter(engine, InboxFilter(search="al final")) != []
        assert inbox._search_prefilter(engine, InboxFilter(search="al")) == []  # too short for trigrams
    else:  # PostgreSQL's ILIKE uses the pg_trgm indexes
        with engine.connect() as conn:
            names = set(
                conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'items'")).scalars()
            )
        assert {"ix_items_text_trgm", "ix_items_author_trgm"} <= names


def test_intent_filter_matches_whole_intent_names(seeded: Seeded) -> None:
    refund = all_rows(seeded, InboxFilter(intent=("return_refund",)))
    assert len(refund) == 3 and all("return_refund" in r.intents for r in refund)
    assert all_rows(seeded, InboxFilter(intent=("refund",))) == []
    assert counts(seeded, "intent")["question"] == 5


def test_several_values_of_one_filter_are_alternatives(seeded: Seeded) -> None:
    either = all_rows(seeded, InboxFilter(intent=("return_refund", "defective")))
    assert len(either) == 5


def test_assigned_to_me_and_unassigned(seeded: Seeded) -> None:
    engine, beto = seeded.store.engine, seeded.users["beto"]
    assign(engine, seeded.users["ana"], [seeded.items["fb-es-neg-1"], seeded.items["yt-en-0"]], beto)
    mine = all_rows(seeded, InboxFilter(assignee=(MINE,)))
    assert {r.id for r in mine} == {seeded.items["fb-es-neg-1"], seeded.items["yt-en-0"]}
    assert {r.assignee for r in mine} == {"Beto"}
    assert counts(seeded, "assignee")[MINE] == 2 and counts(seeded, "assignee")[str(beto)] == 2
    unassigned = all_rows(seeded, InboxFilter(assignee=(UNASSIGNED,)))
    assert seeded.items["yt-en-0"] not in {r.id for r in unassigned}


def test_text_search_is_literal_and_case_insensitive(seeded: Seeded) -> None:
    assert [r.text for r in all_rows(seeded, InboxFilter(search="100%"))] == ["Precio 100% rebajado? jaja"]
    assert len(all_rows(seeded, InboxFilter(search="NOBODY answers"))) == 1
    assert all_rows(seeded, InboxFilter(search="a_b%")) == []
    assert len(all_rows(seeded, InboxFilter(search="maría", status=()))) == 3  # by author name


def test_half_stars_count_and_filter_as_the_star_above_on_both_databases(seeded: Seeded) -> None:
    engine = seeded.store.engine
    with (
        engine.begin() as conn
    ):  # the 4-star review becomes 4.5, the 2-star one 2.5 (PostgreSQL rounds ties to even)
        conn.execute(update(items).where(items.c.rating == 4.0).values(rating=4.5))
        conn.execute(update(items).where(items.c.rating == 2.0).values(rating=2.5))
    assert counts(seeded, "rating") == {"1": 1, "3": 2, "5": 2}
    assert sorted(r.rating for r in all_rows(seeded, InboxFilter(rating=("5",)))) == [4.5, 5.0]
    assert sorted(r.rating for r in all_rows(seeded, InboxFilter(rating=("3",)))) == [2.5, 3.0]
    assert all_rows(seeded, InboxFilter(rating=("4",))) == []


def test_rating_and_date_range(seeded: Seeded) -> None:
    low = all_rows(seeded, InboxFilter(rating=("1", "2")))
    assert sorted(r.rating for r in low) == [1.0, 2.0]
    assert counts(seeded, "rating") == {str(n): 1 for n in range(1, 6)}
    recent = all_rows(seeded, InboxFilter(since=utcnow() - timedelta(hours=2)))
    assert recent and all(r.published_at >= utcnow() - timedelta(hours=2) for r in recent)
    old = all_rows(seeded, InboxFilter(until=utcnow() - timedelta(days=1)))
    assert {r.id for r in old}.isdisjoint({r.id for r in recent})


def test_a_big_inbox_is_counted_up_to_the_cap_and_says_there_are_more(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, beto = seeded.store.engine, seeded.users["beto"]
    exact = inbox_page(engine, InboxFilter(), beto, per_page=5)
    assert not exact.more and exact.total > 8
    monkeypatch.setattr(inbox, "COUNT_CAP", 8)
    capped = inbox_page(engine, InboxFilter(), beto, per_page=5)
    assert (capped.total, capped.more, capped.pages) == (8, True, 3)  # 2 counted pages and "more"
    assert [r.id for r in capped.rows] == [r.id for r in exact.rows]
    later = inbox_page(engine, InboxFilter(), beto, page=3, per_page=5)  # past the cap: counted further
    assert later.rows and later.total >= 11
    few = inbox_page(engine, InboxFilter(language=("en",)), beto, per_page=5)
    assert not few.more and few.total == len(all_rows(seeded, InboxFilter(language=("en",))))


def test_pages_split_the_inbox_without_overlap(seeded: Seeded) -> None:
    engine, beto = seeded.store.engine, seeded.users["beto"]
    first = inbox_page(engine, InboxFilter(), beto, page=1, per_page=10)
    second = inbox_page(engine, InboxFilter(), beto, page=2, per_page=10)
    assert first.total == second.total and first.pages == -(-first.total // 10)
    assert len(first.rows) == 10 and not {r.id for r in first.rows} & {r.id for r in second.rows}
    everything = all_rows(seeded, InboxFilter())
    assert [r.id for r in everything[:20]] == [r.id for r in first.rows + second.rows]


def test_a_page_past_the_last_is_empty_and_still_says_how_many_match(seeded: Seeded) -> None:
    engine, beto = seeded.store.engine, seeded.users["beto"]
    first = inbox_page(engine, InboxFilter(), beto, per_page=10)
    beyond = inbox_page(engine, InboxFilter(), beto, page=first.pages + 3, per_page=10)
    assert beyond.rows == [] and (beyond.total, beyond.more) == (first.total, False)
    nothing = inbox_page(engine, InboxFilter(language=("xx",)), beto, per_page=10)
    assert (nothing.rows, nothing.total, nothing.pages) == ([], 0, 1)


def test_the_same_filter_run_again_sees_what_changed_since(seeded: Seeded) -> None:
    # The statement for a filter is built once and reused: its rows, count and the user's brands are read afresh.
    engine, beto, f = seeded.store.engine, seeded.users["beto"], InboxFilter(platform=("youtube",))
    before = inbox_page(engine, f, beto, per_page=500)
    seeded.store.save_page("luna-file", Page([comment("late", text="¿Y mi pedido?")]))
    with engine.connect() as conn:
        late = conn.execute(select(items.c.id).where(items.c.external_id == "late")).scalar_one()
    after = inbox_page(engine, f, beto, per_page=500)
    assert after.total == before.total + 1
    assert {r.id for r in after.rows} - {r.id for r in before.rows} == {late}
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == beto).values(brands=["Otra Tienda"]))
    assert inbox_page(engine, f, beto, per_page=500).total == 0


def test_sla_due_is_a_day_after_publication(seeded: Seeded) -> None:
    row = all_rows(seeded, InboxFilter())[0]
    assert row.sla_due_at - row.published_at == timedelta(hours=24)


def test_user_limited_to_other_brand_sees_nothing(seeded: Seeded) -> None:
    with seeded.store.engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == seeded.users["beto"]).values(brands=["Otra Tienda"]))
    assert all_rows(seeded, InboxFilter()) == []
    with pytest.raises(SocialListenError):
        item_detail(seeded.store.engine, seeded.items["yt-en-0"], seeded.users["beto"])
    assert (
        item_detail(seeded.store.engine, seeded.items["yt-en-0"], seeded.users["ana"]).item["brand"]
        == "Tienda Luna"
    )


def test_item_detail_has_thread_history_and_vip_author(seeded: Seeded) -> None:
    detail = item_detail(seeded.store.engine, seeded.items["yt-thread-follow"])
    assert [t["external_id"] for t in detail.thread] == ["yt-thread", "yt-thread-brand", "yt-thread-follow"]
    assert [t["is_own"] for t in detail.thread] == [False, True, False]
    assert detail.thread[-1]["current"] and detail.vip
    assert {h["platform"] for h in detail.history} == {"youtube", "facebook"}  # same full name on Facebook
    assert "raw" not in detail.item and detail.item["intents"] == ("shipping",)
    assert detail.item["sla_due_at"] - detail.item["published_at"] == timedelta(hours=24)


def test_untriaged_items_count_as_unknown(seeded: Seeded) -> None:
    with seeded.store.engine.begin() as conn:
        conn.execute(update(items).where(items.c.id == seeded.items["yt-en-0"]).values(sentiment_label=None))
    assert counts(seeded, "sentiment")[""] == 2
    assert seeded.items["yt-en-0"] in {r.id for r in all_rows(seeded, InboxFilter(sentiment=("",)))}


def test_closed_items_can_be_listed_but_are_not_counted(seeded: Seeded) -> None:
    from social_listen.inbox_actions import set_status

    set_status(seeded.store.engine, seeded.users["beto"], [seeded.items["yt-es-1"]], "closed")
    closed = all_rows(seeded, InboxFilter(status=("closed",)))
    assert [r.id for r in closed] == [seeded.items["yt-es-1"]]  # the brand's own reply (closed) is not listed
    assert set(counts(seeded, "status")) == {"open", "answered"}


def test_a_status_not_known_to_the_tool_is_a_value_not_sql(seeded: Seeded) -> None:
    """Known statuses are written into the statement (so PostgreSQL's prepared plans know them); anything
    else stays a bound value: a forged status matches nothing and runs nothing."""
    forged = "open' OR '1'='1"
    assert all_rows(seeded, InboxFilter(status=(forged,))) == []
    assert all_rows(seeded, InboxFilter(status=("open", forged)))  # still the open items
    every = all_rows(seeded, InboxFilter(status=()))
    for status in ("open", "answered"):
        assert [r.id for r in all_rows(seeded, InboxFilter(status=(status,)))] == [
            r.id for r in every if r.status == status
        ]


@pytest.mark.postgres
def test_a_postgresql_search_by_status_alone_lists_a_rare_word_by_its_trigram_index_and_a_common_one_by_a_walk(
    pg_server: str, pg_template: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL's planner charges ILIKE as a cheap operator and flipped between a sequential scan and the
    # trigram indexes for the same word; for a search narrowed by status alone the product chooses, from
    # the planner's estimate of the matches, and turns the other ways off in a savepoint rolled back after.
    store = _pg_store(pg_server, pg_template)
    try:
        store.sync_config(config)
        texts = [f"pedido {n}" if n % 3 else f"mochila pedido {n}" for n in range(60)]
        store.save_page("luna-file", Page([comment(f"c{n}", minutes=n, text=t) for n, t in enumerate(texts)]))
        statements: list[str] = []
        page_settings: list[tuple[str, ...]] = []  # the planner's settings when the page itself runs

        def watch(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)
            if statement.startswith("SELECT items.id, items.platform"):
                shown = cursor.connection.execute(
                    "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
                    " current_setting('enable_bitmapscan')"
                )
                page_settings.append(tuple(shown.fetchone()))

        event.listen(store.engine, "before_cursor_execute", watch)

        def searched(f: InboxFilter) -> tuple[int, list[str], list[str]]:
            statements.clear()
            page = inbox_page(store.engine, f, per_page=25)
            return page.total, [r.text for r in page.rows], [s for s in statements if "set_config" in s]

        rare = searched(InboxFilter(search="MOCHILA"))
        assert rare[:2] == (20, [t for t in texts if "mochila" in t][:20])
        assert "enable_seqscan" in rare[2][0] and "enable_bitmapscan" not in rare[2][0]
        assert any("|| " in s and "ILIKE" in s for s in statements)  # the status is a filter, not an index

        monkeypatch.setattr(inbox, "TRIGRAM_MATCHES", 0.01)  # every word is common now: the walk
        common = searched(InboxFilter(search="mochila"))
        assert common[:2] == rare[:2]
        assert "enable_bitmapscan" in common[2][0] and "enable_seqscan" not in common[2][0]

        assert page_settings == [("on", "on", "on")] * 2  # the savepoint took the settings back

        filtered = searched(InboxFilter(search="mochila", language=("es",)))
        assert filtered[2] == []  # another filter: the planner decides, as for any query
        with store.engine.connect() as conn:  # the pool's connection, back from the searches
            changed = conn.exec_driver_sql(
                "SELECT name FROM pg_settings WHERE setting <> reset_val"
                " AND name IN ('enable_seqscan', 'enable_indexscan', 'enable_bitmapscan', 'jit')"
            ).all()
        assert changed == []
    finally:
        store.engine.dispose()
