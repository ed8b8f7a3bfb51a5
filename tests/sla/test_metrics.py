"""Responsiveness metrics on a hand-built store whose answers are known; every test runs on SQLite and PostgreSQL.

The store (tests/sla/builders.py), times in minutes after T0 (Monday 09:00 UTC):

    item  published  first response                        counted?
    a     0          platform reply at 30 (1800 s)         yes  neg  shipping;question
    b     10         platform reply at 70 (3600 s)         yes  pos  praise
    c     20         only an auto-reply at 25              yes  neg  refund     (still unanswered)
    d     30         tool reply by ana at 150 (7200 s)     yes  neu  question
    e     40         marked answered at 140 (6000 s)       yes
    f     50         -                                     no: ignored (spam)
    g     60         -                                     no: closed without an answer
    h     -7 days    platform reply at 10                  before the period (an activity response in it)
    i     -2 days    -                                     before the period (backlog)
    j     290        -                                     yes
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from social_listen.db.tables import items
from social_listen.metrics import (
    backlog_by_age,
    backlog_items,
    response_rate_items,
    response_rates,
    response_time_items,
    response_times,
)
from social_listen.metrics_business import (
    backlog_by_sla,
    backlog_sla_items,
    business_response_times,
    business_time_items,
    describe,
    sla_compliance,
    sla_compliance_items,
    source_deadlines,
)
from social_listen.metrics_sql import ResponseRules, Scope, rules_are_stored
from social_listen.sla import SlaBook
from social_listen.store import Store
from tests.conftest import make_config
from tests.helpers import T0, brand_reply, comment
from tests.sla.builders import AUTO_MARKER, at, save, seed_responses, set_fields

PERIOD = Scope(since=T0 - timedelta(hours=1), until=T0 + timedelta(days=1))
RULES = ResponseRules({"Tienda Luna": (AUTO_MARKER,)})
OPEN_HOURS = {day: ["10:00-11:00"] for day in ("mon", "tue", "wed", "thu", "fri")}  # 09:00-10:00 UTC in March
BOOK = SlaBook.from_config(
    make_config(brands=[{"name": "Tienda Luna", "timezone": "Europe/Madrid",
                         "sla": {"target": "30m", "hours": OPEN_HOURS}}])
)  # fmt: skip


@pytest.fixture
def ids(store: Store) -> dict[str, int]:
    return seed_responses(store)


def by_group(rows: list) -> dict:  # type: ignore[type-arg]
    return {row.group: row for row in rows}


def test_first_response_time_median_p90_mean_in_calendar_time(store: Store, ids: dict[str, int]) -> None:
    (row,) = response_times(store.engine, PERIOD, "all", RULES)
    assert (row.answered, row.mean, row.median, row.p90) == (4, 4650.0, 4800.0, 7200.0)
    assert (row.fastest, row.slowest) == (1800.0, 7200.0)


def test_auto_replies_do_not_count_as_a_response(store: Store, ids: dict[str, int]) -> None:
    (without_rule,) = response_times(store.engine, PERIOD, "all", ResponseRules())
    assert without_rule.answered == 5 and without_rule.fastest == 300.0
    set_fields(store, "rc", tags=["auto"])  # the tag alone also marks an auto-reply
    (tagged,) = response_times(store.engine, PERIOD, "all", ResponseRules())
    assert tagged.answered == 4


def test_response_time_per_agent_intent_and_sentiment(store: Store, ids: dict[str, int]) -> None:
    agents = by_group(response_times(store.engine, PERIOD, "agent", RULES))
    assert {g: (r.answered, r.median) for g, r in agents.items()} == {
        "(marked answered)": (1, 6000.0), "(platform app)": (2, 2700.0), "ana": (1, 7200.0)}  # fmt: skip
    intents = by_group(response_times(store.engine, PERIOD, "intent", RULES))
    assert {g: (r.answered, r.median) for g, r in intents.items()} == {
        "": (1, 6000.0), "praise": (1, 3600.0), "question": (2, 4500.0), "shipping": (1, 1800.0)}  # fmt: skip
    sentiments = by_group(response_times(store.engine, PERIOD, "sentiment", RULES))
    assert {g: r.median for g, r in sentiments.items()} == {
        "": 6000.0,
        "neg": 1800.0,
        "neu": 7200.0,
        "pos": 3600.0,
    }
    platforms = by_group(response_times(store.engine, PERIOD, "platform", RULES))
    assert list(platforms) == ["youtube"] and platforms["youtube"].answered == 4


def test_response_time_drill_down_lists_the_items_behind_it(store: Store, ids: dict[str, int]) -> None:
    rows = response_time_items(store.engine, PERIOD, "all", None, RULES)
    assert [r["id"] for r in rows] == [ids["a"], ids["b"], ids["e"], ids["d"]]
    assert [r["seconds"] for r in rows] == [1800.0, 3600.0, 6000.0, 7200.0]
    agent = response_time_items(store.engine, PERIOD, "agent", "ana", RULES)
    assert [(r["id"], r["answered_by"]) for r in agent] == [(ids["d"], "tool")]
    question = response_time_items(store.engine, PERIOD, "intent", "question", RULES)
    assert [r["id"] for r in question] == [ids["a"], ids["d"]]


def test_response_rate_in_both_conventions(store: Store, ids: dict[str, int]) -> None:
    (row,) = response_rates(store.engine, PERIOD, "brand", RULES)
    assert (row.group, row.received, row.answered, row.cohort_rate) == ("Tienda Luna", 6, 4, 0.6667)
    assert (row.responses_in_period, row.activity_rate) == (5, 0.8333)  # h answered in the period
    unanswered = response_rate_items(store.engine, PERIOD, "unanswered", rules=RULES)
    assert [r["id"] for r in unanswered] == [ids["c"], ids["j"]]
    responses = response_rate_items(store.engine, PERIOD, "responses", rules=RULES)
    assert [r["id"] for r in responses] == [ids["h"], ids["a"], ids["b"], ids["d"], ids["e"]]
    assert len(response_rate_items(store.engine, PERIOD, "received", rules=RULES)) == 6


def test_backlog_by_age_bucket(store: Store, ids: dict[str, int]) -> None:
    now = at(300)
    counts = {r["bucket"]: r["count"] for r in backlog_by_age(store.engine, now, PERIOD, "all", RULES)}
    assert counts == {"<1h": 1, "1-4h": 0, "4-24h": 1, "1-3d": 1, "3-7d": 0, ">7d": 0}
    assert [r["id"] for r in backlog_items(store.engine, now, PERIOD, "<1h", rules=RULES)] == [ids["j"]]
    assert [r["id"] for r in backlog_items(store.engine, now, rules=RULES)] == [ids["i"], ids["c"], ids["j"]]


def test_business_time_response_uses_the_brand_calendar(store: Store, ids: dict[str, int]) -> None:
    (row,) = business_response_times(store.engine, BOOK, PERIOD, "all", RULES)
    assert (row.clock, row.answered, row.median, row.mean, row.p90, row.fastest) == (
        "business", 4, 1800.0, 1950.0, 3000.0, 1200.0)  # fmt: skip
    items = {r["id"]: r for r in business_time_items(store.engine, BOOK, PERIOD, rules=RULES)}
    assert items[ids["b"]]["calendar_seconds"] == 3600.0 and items[ids["b"]]["business_seconds"] == 3000.0
    assert items[ids["e"]]["within_sla"] and not items[ids["d"]]["within_sla"]


def test_share_answered_within_sla(store: Store, ids: dict[str, int]) -> None:
    now = at(300)
    (row,) = sla_compliance(store.engine, BOOK, now, PERIOD, "all", RULES)
    assert (row.met, row.missed, row.pending, row.share_met) == (2, 3, 1, 0.4)
    missed = sla_compliance_items(store.engine, BOOK, now, "missed", PERIOD, rules=RULES)
    assert [r["id"] for r in missed] == [ids["b"], ids["c"], ids["d"]]
    pending = sla_compliance_items(store.engine, BOOK, now, "pending", PERIOD, rules=RULES)
    assert [r["id"] for r in pending] == [ids["j"]] and pending[0]["due_at"] == T0 + timedelta(
        days=1, minutes=30
    )


def test_backlog_by_sla_state_moves_with_the_clock(store: Store, ids: dict[str, int]) -> None:
    (monday,) = backlog_by_sla(store.engine, BOOK, at(300), PERIOD, "all", RULES)
    assert (monday["ok"], monday["at_risk"], monday["breached"]) == (1, 0, 2)
    tuesday = at(24 * 60 + 25)
    (later,) = backlog_by_sla(store.engine, BOOK, tuesday, PERIOD, "brand", RULES)
    assert (later["group"], later["ok"], later["at_risk"], later["breached"]) == ("Tienda Luna", 0, 1, 2)
    assert [r["id"] for r in backlog_sla_items(store.engine, BOOK, tuesday, "at_risk", rules=RULES)] == [
        ids["j"]
    ]


def test_reply_window_and_quota_pauses_are_reported_as_platform_deadlines(store: Store) -> None:
    save(store, comment("ig1", 0, platform="instagram", reply_deadline_at=at(60 * 10)))
    now = at(60)
    (row,) = backlog_by_sla(store.engine, BOOK, now)
    assert row["window_closing"] == 1
    assert [r["state"] for r in backlog_sla_items(store.engine, BOOK, now, "window_closing")] == ["breached"]
    store.pause_source("luna-file", now + timedelta(hours=8), "YouTube quotaExceeded")
    (paused,) = source_deadlines(store.engine, now)
    assert (paused["source"], paused["kind"]) == ("luna-file", "quota_exhausted")
    assert source_deadlines(store.engine, now + timedelta(hours=9)) == []


def test_sql_percentiles_agree_with_the_python_definition(store: Store) -> None:
    delays = [5, 1, 9, 2, 7, 3, 30]  # minutes; odd count, then even
    save(store, *[comment(f"q{n}", n) for n in range(len(delays))])
    from tests.helpers import brand_reply

    save(store, *[brand_reply(f"r{n}", f"q{n}", n + d) for n, d in enumerate(delays)])
    for count in (7, 6):
        scope = Scope(since=T0, until=at(count))
        (row,) = response_times(store.engine, scope)
        expected = describe([60.0 * d for d in delays[:count]])
        assert (row.mean, row.median, row.p90) == tuple(
            round(expected[k], 1) for k in ("mean", "median", "p90")
        )  # type: ignore[arg-type]


def test_empty_store_has_no_rows(store: Store) -> None:
    assert response_times(store.engine, PERIOD) == []
    assert response_rates(store.engine, PERIOD) == []
    assert sla_compliance(store.engine, BOOK, T0, PERIOD) == []
    assert describe([]) == dict.fromkeys(("mean", "median", "p90", "fastest", "slowest"))


def _sync_markers(store: Store, markers: list[str]) -> None:
    store.sync_config(make_config(brands=[{"name": "Tienda Luna", "sla": {"auto_reply_markers": markers}}]))


def test_stored_first_responses_give_the_same_figures_as_computing_them(
    store: Store, ids: dict[str, int]
) -> None:
    _sync_markers(store, [AUTO_MARKER])  # what `collect` and `init` do with the config
    with store.engine.connect() as conn:
        assert rules_are_stored(conn, RULES) and not rules_are_stored(conn, ResponseRules())
    (times,) = response_times(store.engine, PERIOD, "all", RULES)
    assert (times.answered, times.mean, times.median, times.p90) == (4, 4650.0, 4800.0, 7200.0)
    (rates,) = response_rates(store.engine, PERIOD, "brand", RULES)
    assert (rates.received, rates.answered, rates.responses_in_period) == (6, 4, 5)
    responses = response_rate_items(store.engine, PERIOD, "responses", rules=RULES)
    assert [r["id"] for r in responses] == [ids["h"], ids["a"], ids["b"], ids["d"], ids["e"]]
    waiting = [r["id"] for r in backlog_items(store.engine, at(300), rules=RULES)]
    assert waiting == [ids["i"], ids["c"], ids["j"]]


def test_changing_the_auto_reply_markers_recomputes_the_stored_first_responses(
    store: Store, ids: dict[str, int]
) -> None:
    _sync_markers(store, [AUTO_MARKER])
    assert response_times(store.engine, PERIOD, "all", RULES)[0].answered == 4
    _sync_markers(store, [])  # the marker removed: c's auto-reply now counts as its answer
    assert response_times(store.engine, PERIOD, "all", ResponseRules())[0].answered == 5
    with store.engine.connect() as conn:
        assert rules_are_stored(conn, ResponseRules())
        stored = conn.execute(select(items.c.first_response_at).where(items.c.id == ids["c"])).scalar()
    assert stored == at(25)


def test_a_brand_reply_collected_later_fills_the_stored_first_response(store: Store) -> None:
    _sync_markers(store, [AUTO_MARKER])
    save(store, comment("late", minutes=0))
    with store.engine.connect() as conn:
        assert conn.execute(select(items.c.first_response_at)).scalar() is None
    save(store, brand_reply("late-r", "late", minutes=45))
    with store.engine.connect() as conn:
        assert conn.execute(
            select(items.c.first_response_at).where(items.c.external_id == "late")
        ).scalar() == at(45)
    (row,) = response_times(store.engine, PERIOD, "all", RULES)
    assert (row.answered, row.median) == (1, 2700.0)


def test_a_person_answering_after_an_auto_reply_on_a_later_page_fills_the_stored_first_response(
    store: Store,
) -> None:
    _sync_markers(store, [AUTO_MARKER])
    save(store, comment("w", 0), brand_reply("w-auto", "w", 1, text=f"{AUTO_MARKER}: te leemos"),
         comment("w-reply", 3, parent_external_id="w", thread_external_id="w"))  # fmt: skip
    save(store, brand_reply("w-human", "w", 30))  # the person's answer arrives on the next page

    def stored() -> dict[str, object]:
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(items.c.external_id, items.c.status, items.c.first_response_at)
                .where(items.c.is_own.is_(False))
            ).all()  # fmt: skip
        return {r.external_id: (r.status, r.first_response_at) for r in rows}

    assert stored() == {"w": ("answered", at(30)), "w-reply": ("answered", at(30))}
    save(store, brand_reply("w-early", "w", 10))  # an earlier answer collected late moves it back
    assert stored() == {"w": ("answered", at(10)), "w-reply": ("answered", at(10))}


def test_answers_collected_in_the_same_page_as_their_comments_store_the_first_human_response(
    store: Store,
) -> None:
    from social_listen.metrics_sql import computed_first_response_at

    _sync_markers(store, [AUTO_MARKER])  # markers stored before the collection: the write path keeps them
    save(store,
         comment("p", 0), brand_reply("p-auto", "p", 2, text=f"{AUTO_MARKER}: gracias"), brand_reply("p-human", "p", 40),
         comment("q", 5), comment("q-reply", 8, parent_external_id="q", thread_external_id="q"),
         brand_reply("q-human", "q", 20),
         comment("s", 9), brand_reply("s-auto", "s", 12, text=f"{AUTO_MARKER}: ya te leemos"))  # fmt: skip
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(items.c.external_id, items.c.status, items.c.first_response_at,
                   computed_first_response_at(RULES).label("computed"))
            .where(items.c.is_own.is_(False))
        ).all()  # fmt: skip
    found = {r.external_id: (r.status, r.first_response_at) for r in rows}
    assert found == {
        "p": ("answered", at(40)),  # the auto-reply marks it answered but is not its first response
        "q": ("answered", at(20)),
        "q-reply": ("answered", at(20)),  # a later brand reply in its thread
        "s": ("answered", None),  # answered by an auto-reply alone: still waiting for a person
    }
    assert all(r.first_response_at == r.computed for r in rows)
