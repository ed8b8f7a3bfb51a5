"""Triage in the store: brand names are neutral, corrections survive a rescore, the priority counts the
brand's own SLA (target and opening hours)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from social_listen.config import parse_config
from social_listen.db.tables import items
from social_listen.inbox import InboxFilter, inbox_page, sla_due_at
from social_listen.inbox_actions import correct_intents, correct_sentiment
from social_listen.model import Page
from social_listen.scoring import refresh_priorities, rescore_all, score_pending
from social_listen.sla import SlaBook
from social_listen.store import Store
from social_listen.triage import TRIAGE_VERSION
from social_listen.users import add_user
from tests.helpers import comment


def _config(**brand: object):  # type: ignore[no-untyped-def]
    data = {
        "brands": [{"name": "Tienda Luna", "timezone": "Europe/Madrid", "languages": ["es", "en"], **brand}],
        "sources": [{"name": "luna-yt", "brand": "Tienda Luna", "platform": "youtube", "target": "UC1"}],
    }
    return parse_config(data, Path("test.toml"))


# A complaint in flat words (labelled neutral, flagged for a fast reply) and a plain question.
FLAT_COMPLAINT = "@TiendaLuna the tracking link in your email goes to a 404 page"
PLAIN_QUESTION = "@TiendaLuna can I pay with PayPal?"


def _scored(store: Store, *comments: object):  # type: ignore[no-untyped-def]
    """The shop's config, after storing these comments and triaging them."""
    config = _config()
    store.sync_config(config)
    store.save_page("luna-yt", Page(list(comments)))  # type: ignore[arg-type]
    score_pending(store, config)
    return config


def _row(store: Store, external_id: str) -> dict[str, object]:
    with store.engine.connect() as conn:
        found = conn.execute(select(items).where(items.c.external_id == external_id)).mappings().one()
    return dict(found)


def test_a_product_named_like_a_bad_word_is_neutral_when_it_is_one_of_the_brands_own_names(
    sqlite_store: Store,
) -> None:
    config = _config(own_names=["Furia"])
    sqlite_store.sync_config(config)
    sqlite_store.save_page("luna-yt", Page([comment("c1", text="Me compré las zapatillas Furia")]))
    score_pending(sqlite_store, config)
    assert _row(sqlite_store, "c1")["sentiment_label"] == "neu"

    unnamed = _config()
    rescore_all(sqlite_store, unnamed)
    assert _row(sqlite_store, "c1")["sentiment_label"] == "neg"  # the word alone reads negative


def test_a_persons_corrections_survive_a_rescore(sqlite_store: Store) -> None:
    config = _config()
    sqlite_store.sync_config(config)
    sqlite_store.save_page(
        "luna-yt", Page([comment("c1", text="¿Cuándo llega mi pedido? Pagué hace una semana")])
    )
    score_pending(sqlite_store, config)
    scored = _row(sqlite_store, "c1")
    found = str(scored["intents"]).split(";")
    assert "payment" in found
    agent = add_user(sqlite_store.engine, "lucia", "demo-12345", role="agent")

    correct_sentiment(sqlite_store.engine, agent, int(scored["id"]), "pos")  # type: ignore[call-overload]
    kept = [i for i in found if i != "payment"]
    correct_intents(sqlite_store.engine, agent, int(scored["id"]), [*kept, "invoice"])  # type: ignore[call-overload]
    rescore_all(sqlite_store, config)

    after = _row(sqlite_store, "c1")
    assert after["sentiment_label"] == "pos"
    assert "invoice" in str(after["intents"]).split(";")
    assert "payment" not in str(after["intents"]).split(";")


def test_the_priority_counts_the_brands_sla_target_not_a_flat_day(sqlite_store: Store) -> None:
    published = datetime.now(UTC) - timedelta(hours=3)
    page = Page([comment("c1", text="Hola, una consulta sobre tallas", published_at=published)])
    quick = _config(sla={"target": "2h"})
    sqlite_store.sync_config(quick)
    sqlite_store.save_page("luna-yt", page)
    score_pending(sqlite_store, quick)
    assert "SLA overdue" in str(_row(sqlite_store, "c1")["priority_reasons"])

    rescore_all(sqlite_store, _config(sla={"target": "24h"}))
    assert "SLA overdue" not in str(_row(sqlite_store, "c1")["priority_reasons"])


def test_the_inbox_sla_clock_runs_only_in_the_brands_opening_hours(sqlite_store: Store) -> None:
    config = _config(
        sla={"target": "30m", "hours": {day: ["09:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}}
    )
    sqlite_store.sync_config(config)
    friday = datetime(2026, 3, 6, 15, 45, tzinfo=UTC)  # 16:45 in Madrid
    sqlite_store.save_page("luna-yt", Page([comment("c1", published_at=friday)]))
    book = SlaBook.from_config(config)

    [row] = inbox_page(sqlite_store.engine, InboxFilter(status=("open",)), sla=book).rows
    assert row.sla_due_at == datetime(2026, 3, 9, 8, 15, tzinfo=UTC)  # Monday 09:15 in Madrid
    assert sla_due_at(friday) == friday + timedelta(hours=24)  # no config: a day around the clock


@pytest.mark.parametrize(
    ("triage", "message"),
    [
        ({"phrases": {"de muerte": "good"}}, "Override sentiment must be one of"),
        ({"intents": {"factura": "billing"}}, "Unknown override intent"),
        ({"phrase": {"de muerte": "pos"}}, "unknown key 'phrase'"),
        ({"neutral": "Aurora"}, "neutral must be a list of names"),
    ],
)
def test_bad_triage_overrides_are_reported_with_the_field(triage: dict[str, object], message: str) -> None:
    from social_listen.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        _config(triage=triage)
    assert "brands[0].triage" in str(raised.value)
    assert message in str(raised.value)


def test_open_items_climb_the_inbox_as_their_sla_runs_out_without_being_scored_again(
    sqlite_store: Store,
) -> None:
    config = _config(sla={"target": "24h"})
    sqlite_store.sync_config(config)
    published = datetime.now(UTC) - timedelta(hours=1)
    sqlite_store.save_page(
        "luna-yt", Page([comment("c1", text="Hola, una consulta sobre tallas", published_at=published)])
    )
    score_pending(sqlite_store, config)
    fresh = _row(sqlite_store, "c1")
    assert "SLA overdue" not in str(fresh["priority_reasons"])

    later = datetime.now(UTC) + timedelta(hours=30)
    assert refresh_priorities(sqlite_store, config, now=later) == 1
    aged = _row(sqlite_store, "c1")
    assert "SLA overdue" in str(aged["priority_reasons"])
    assert float(aged["priority"]) > float(fresh["priority"])  # type: ignore[arg-type]
    assert aged["triaged_at"] == fresh["triaged_at"]  # not scored again


def _triage_columns(store: Store) -> dict[str, tuple[object, ...]]:
    with store.engine.connect() as conn:
        found = conn.execute(
            select(items.c.external_id, items.c.language, items.c.sentiment_label, items.c.sentiment_score,
                   items.c.intents, items.c.priority_reasons, items.c.status, items.c.scored_with,
                   items.c.fast_reply)
        ).all()  # fmt: skip
    return {str(row[0]): tuple(row[1:]) for row in found}


def test_items_collected_with_inline_triage_are_stored_as_score_pending_would_triage_them(
    any_store: Store, tmp_path: Path
) -> None:
    from social_listen.collect import run_sources

    config = _config()
    page = Page([
        comment("c1", text="Pedí hace dos semanas y no me llegó nada, nadie responde 😡", like_count=40),
        comment("c2", 5, text="I love these sneakers, great quality!"),
        comment("c3", 9, text="¿Hay talla 38 en negro?"),
        comment("c4", 12, text=FLAT_COMPLAINT),
        comment("r1", 30, text="¡Hola! Sí, hay stock", parent_external_id="c3", thread_external_id="c3",
                is_own=True),
    ], cursor={"page": 1})  # fmt: skip

    class OnePage:
        def collect(self, _cursor: object) -> list[Page]:
            return [page]

    any_store.sync_config(config)
    [outcome] = run_sources(any_store, config, None, lambda _source: OnePage())
    assert (outcome.status, outcome.new) == ("ok", 5)
    with any_store.engine.connect() as conn:
        untriaged = conn.execute(select(items.c.id).where(items.c.triaged_at.is_(None))).all()
    assert untriaged == []  # stored triaged: nothing left for score_pending
    assert score_pending(any_store, config) == 0

    later = Store(f"sqlite:///{tmp_path / 'later.db'}")
    later.init()
    later.sync_config(config)
    later.save_page("luna-yt", page)
    assert score_pending(later, config) == 5

    inline, pending = _triage_columns(any_store), _triage_columns(later)
    assert set(inline) == {"c1", "c2", "c3", "c4", "r1"}
    assert inline == pending
    assert all(str(row[6]).endswith("/" + TRIAGE_VERSION) for row in inline.values())  # who triaged it
    assert inline["c1"][1] == "neg" and "not_received" in str(inline["c1"][3])
    assert inline["c1"][7] is True and inline["c2"][7] is False
    assert (inline["c4"][1], inline["c4"][7]) == ("neu", True)  # a flat complaint: flagged, label kept
    assert inline["c3"][4] == "" and inline["c3"][5] == "answered"  # answered: no longer ranked
    assert float(_row(any_store, "c1")["priority"]) > float(_row(any_store, "c2")["priority"]) > 0


def test_a_flat_complaint_is_flagged_in_the_store_found_by_the_fast_reply_filter_and_unflagged_by_a_person(
    any_store: Store,
) -> None:
    config = _scored(any_store, comment("c1", text=FLAT_COMPLAINT), comment("c2", 5, text=PLAIN_QUESTION),
                     comment("c3", 9, text="Nunca llegó mi pedido y nadie contesta"))  # fmt: skip
    flat = _row(any_store, "c1")
    assert (flat["sentiment_label"], flat["fast_reply"]) == ("neu", True)
    assert str(flat["priority_reasons"]).startswith("likely complaint")
    assert float(flat["priority"]) > float(_row(any_store, "c2")["priority"])  # type: ignore[arg-type]
    refresh_priorities(
        any_store, config, now=datetime.now(UTC) + timedelta(hours=30)
    )  # re-ranked, not rescored
    assert str(_row(any_store, "c1")["priority_reasons"]).startswith("likely complaint")

    page = inbox_page(any_store.engine, InboxFilter(fast_reply=True))
    assert sorted(r.id for r in page.rows) == sorted([int(flat["id"]), int(_row(any_store, "c3")["id"])])  # type: ignore[call-overload]
    assert all(r.fast_reply for r in page.rows) and page.total == 2
    assert InboxFilter(fast_reply=True).active() == InboxFilter(fast_reply=False).active() + 1

    agent = add_user(any_store.engine, "lucia", "demo-12345", role="agent")
    correct_sentiment(any_store.engine, agent, int(flat["id"]), "neu")  # type: ignore[call-overload]
    refresh_priorities(any_store, config)
    corrected = _row(any_store, "c1")
    assert corrected["fast_reply"] is False
    assert "likely complaint" not in str(corrected["priority_reasons"])
    rescore_all(any_store, config)  # the person's word outlasts a rescore
    assert _row(any_store, "c1")["fast_reply"] is False
    assert [r.id for r in inbox_page(any_store.engine, InboxFilter(fast_reply=True)).rows] == [
        int(_row(any_store, "c3")["id"])  # type: ignore[call-overload]
    ]


def test_export_writes_the_fast_reply_flag_and_leaves_it_empty_for_untriaged_items(
    sqlite_store: Store,
) -> None:
    from social_listen.export import export_rows

    _scored(sqlite_store, comment("flat", text=FLAT_COMPLAINT), comment("ask", 5, text=PLAIN_QUESTION))
    sqlite_store.save_page("luna-yt", Page([comment("later", 9, text="Nunca llegó mi pedido")]))
    exported = {row["external_id"]: row for row in export_rows(sqlite_store.engine)}
    assert exported["flat"]["sentiment_label"] == "neu" and exported["flat"]["negative"] is True
    assert exported["ask"]["negative"] is False
    assert exported["later"]["sentiment_label"] is None and exported["later"]["negative"] is None
