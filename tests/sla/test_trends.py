"""Trends over local days and weeks, the day × hour heatmap and the reputation score (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

from social_listen.metrics_sql import Scope
from social_listen.sla import SlaBook
from social_listen.store import Store
from social_listen.trends import (
    REPUTATION_FORMULA,
    band,
    heatmap,
    heatmap_items,
    reputation,
    speed_score,
    trend_items,
    volume_trend,
)
from tests.conftest import make_config
from tests.helpers import T0, brand_reply, comment
from tests.sla.builders import item_id, save, set_fields

MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)


def seed_trend(store: Store) -> None:
    """Monday 2 March (Madrid): 3 items; 23:30 UTC Monday is already Tuesday 00:30 in Madrid."""
    save(store, comment("m1", 0), comment("m2", 60, platform="facebook"), comment("m3", 120),
         comment("late", 14 * 60 + 30), comment("spam", 30), comment("rev1", 200, kind="review", rating=5),
         comment("rev2", 210, kind="review", rating=2))  # fmt: skip
    set_fields(store, "m1", sentiment_label="neg", intents="shipping;question")
    set_fields(store, "m2", sentiment_label="pos", intents="praise")
    set_fields(store, "m3", sentiment_label="neu", intents="question")
    set_fields(store, "late", sentiment_label="neg")
    set_fields(store, "spam", sentiment_label="neg", status="ignored")


def test_daily_volume_and_sentiment_in_the_brand_time_zone(store: Store) -> None:
    seed_trend(store)
    rows = {r.period: r for r in volume_trend(store.engine, Scope(), "day", "all")}
    assert set(rows) == {MONDAY, TUESDAY}
    monday = rows[MONDAY]
    assert (monday.total, monday.positive, monday.neutral, monday.negative, monday.unscored) == (
        5,
        1,
        1,
        1,
        2,
    )
    assert monday.negative_share == 0.3333 and monday.average_rating == 3.5
    assert (rows[TUESDAY].total, rows[TUESDAY].negative_share) == (1, 1.0)
    (week,) = volume_trend(store.engine, Scope(), "week", "all")
    assert (week.period, week.total) == (MONDAY, 6)


def test_volume_per_platform_and_per_intent(store: Store) -> None:
    seed_trend(store)
    platforms = {
        (r.period, r.group): r.total for r in volume_trend(store.engine, Scope(), "week", "platform")
    }
    assert platforms == {(MONDAY, "facebook"): 1, (MONDAY, "youtube"): 5}
    intents = {r.group: r.total for r in volume_trend(store.engine, Scope(), "week", "intent")}
    assert intents == {"question": 2, "shipping": 1, "praise": 1, "": 3}  # an item counts under each intent


def test_trend_drill_down_lists_the_local_day(store: Store) -> None:
    seed_trend(store)
    assert [r["id"] for r in trend_items(store.engine, TUESDAY)] == [item_id(store, "late")]
    monday_questions = trend_items(store.engine, MONDAY, dimension="intent", group="question")
    assert [r["id"] for r in monday_questions] == [item_id(store, "m1"), item_id(store, "m3")]
    assert len(trend_items(store.engine, TUESDAY, bucket="week")) == 6


def test_heatmap_counts_local_weekday_and_hour(store: Store) -> None:
    seed_trend(store)
    cells = heatmap(store.engine)
    assert len(cells) == 7 * 24
    counts = {(c["weekday"], c["hour"]): c["count"] for c in cells if c["count"]}
    assert counts == {
        (0, 10): 1,
        (0, 11): 1,
        (0, 12): 1,
        (0, 13): 2,
        (1, 0): 1,
    }  # 09:00 UTC is 10:00 in Madrid
    assert [r["id"] for r in heatmap_items(store.engine, 1, 0)] == [item_id(store, "late")]


def test_reputation_score_shows_its_formula_and_components(store: Store) -> None:
    seed_trend(store)
    save(
        store,
        brand_reply("r1", "m1", 30),
        brand_reply("r2", "m2", 90, platform="facebook"),
        brand_reply("r3", "rev1", 260),
    )
    book = SlaBook.from_config(make_config())
    score = reputation(store.engine, "Tienda Luna", book, Scope())
    parts = {c.name: c for c in score.components}
    assert parts["rating"].value == 3.5 and parts["rating"].score == 0.625
    assert parts["response_rate"].value == 0.5  # m1, m2, rev1 of six
    assert parts["response_time"].value == 1800.0 and parts["response_time"].score == 1.0
    assert parts["negative_share"].value == 0.5 and parts["negative_share"].score == 0.5
    # 100 × (35×0.625 + 25×0.5 + 15×1 + 25×0.5) ÷ 100
    assert score.score == 62 and score.band == "yellow" and score.formula == REPUTATION_FORMULA


def test_reputation_leaves_out_components_without_data(store: Store) -> None:
    save(store, comment("x", 0), brand_reply("rx", "x", 10))
    score = reputation(store.engine, "Tienda Luna", SlaBook.from_config(make_config()), Scope())
    assert [c.name for c in score.components if c.score is None] == ["rating", "negative_share"]
    assert score.score == 100 and score.band == "green"
    empty = reputation(
        store.engine,
        "Tienda Luna",
        SlaBook(dict(), SlaBook.from_config(None).default),
        Scope(since=T0 + timedelta(days=30)),
    )
    assert empty.score is None and empty.band == "none"


def test_speed_score_and_bands() -> None:
    target = timedelta(hours=24)
    assert speed_score(3600, target) == 1.0
    assert speed_score(2 * 86400, target) == round(2 / 3, 4)
    assert speed_score(5 * 86400, target) == 0.0
    assert [band(s) for s in (0, 45, 46, 75, 76, 100)] == ["red", "red", "yellow", "yellow", "green", "green"]
