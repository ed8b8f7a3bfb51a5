"""Each alert rule fires once, respects its cooldown, and stays quiet about old news."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from social_listen.alerts import AlertRun, proposed_alerts, run_alerts
from social_listen.alerts_channels import WebhookChannel
from social_listen.alerts_outbox import alert_rows
from social_listen.alerts_rules import poisson_tail
from social_listen.config import Config
from social_listen.db.tables import items
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.server import FakeServer, Response
from tests.helpers import T0, brand_reply, comment
from tests.sla.builders import at, item_id, save, set_fields

RULES = ("new_negative", "sla_at_risk", "sla_breached", "negative_spike", "first_negative_review", "reply_window",
         "quota_exhausted", "source_failing", "digest")  # fmt: skip
OPEN_HOURS = {day: ["10:00-11:00"] for day in ("mon", "tue", "wed", "thu", "fri")}  # 09:00-10:00 UTC in March


def only(*rules: str, brand: dict[str, Any] | None = None, **thresholds: Any) -> Config:
    """A config with just these rules switched on."""
    settings = {name: name in rules for name in RULES} | thresholds
    brands = [{"name": "Tienda Luna", "timezone": "Europe/Madrid", **(brand or {})}]
    return make_config(brands=brands, alerts={"rules": settings})


@pytest.fixture
def hook() -> Iterator[FakeServer]:
    with FakeServer() as server:
        server.route("POST", "/hook", lambda request: Response(200, raw=b"ok"))
        yield server


def run(store: Store, config: Config, hook: FakeServer, minutes: float) -> AlertRun:
    return run_alerts(store.engine, config, [WebhookChannel(hook.url + "/hook")], now=at(minutes))


def negative(store: Store, key: str, minutes: float, **fields: Any) -> None:
    negatives(store, {key: minutes}, **fields)


def negatives(store: Store, keys: dict[str, float], **fields: Any) -> None:
    """Save customer items (key -> minutes after T0) that triage found negative."""
    save(
        store,
        *[comment(key, minutes, f"Muy mal servicio ({key})", **fields) for key, minutes in keys.items()],
    )
    with store.engine.begin() as conn:
        conn.execute(update(items).where(items.c.external_id.in_(list(keys)))
                     .values(sentiment_label="neg", fast_reply=True))  # fmt: skip


def rules_of(result: AlertRun) -> list[str]:
    return [d.rule for d in result.decided]


def test_new_negatives_are_grouped_and_respect_the_cooldown(store: Store, hook: FakeServer) -> None:
    config = only("new_negative")
    negative(store, "n1", 0)
    negative(store, "n2", 5)
    negative(store, "old", -3 * 24 * 60)  # older than the 48 h lookback: not news
    save(store, comment("ok", 6, "Todo perfecto"))
    negative(store, "answered", 7)
    save(store, brand_reply("r", "answered", 8))
    first = run(store, config, hook, 10)
    (alert,) = first.decided
    assert set(alert.item_ids) == {item_id(store, "n1"), item_id(store, "n2")}
    assert alert.title == "2 comentarios nuevos para responder rápido — Tienda Luna" and "(n1)" in alert.body
    assert run(store, config, hook, 12).decided == []
    negative(store, "n3", 20)
    assert run(store, config, hook, 25).decided == []  # within the one-hour cooldown: n3 waits
    (later,) = run(store, config, hook, 75).decided
    assert later.item_ids == (item_id(store, "n3"),) and later.title.startswith(
        "1 comentario nuevo para responder rápido"
    )
    assert len(hook.calls("POST", "/hook")) == 2


def test_complaints_in_flat_words_flagged_for_a_fast_reply_are_news_but_no_negative_spike(
    store: Store, hook: FakeServer
) -> None:
    flat = {f"flat{n}": 10 * n for n in range(3)}  # three: a spike's minimum count, had they been negative
    save(store, *[comment(key, minutes, "the tracking link in your email goes to a 404 page")
                  for key, minutes in flat.items()])  # fmt: skip
    with store.engine.begin() as conn:  # as triage stores them: neutral for the trends, flagged to answer
        conn.execute(update(items).where(items.c.external_id.in_(list(flat)))
                     .values(sentiment_label="neu", fast_reply=True))  # fmt: skip
    (alert,) = run(store, only("new_negative"), hook, 40).decided
    assert set(alert.item_ids) == {item_id(store, key) for key in flat}
    assert alert.title == "3 comentarios nuevos para responder rápido — Tienda Luna"
    assert run(store, only("negative_spike"), hook, 40).decided == []
    negative(store, "real", 45)  # the same day, one negative label: still no spike (1 < 3)
    assert run(store, only("negative_spike"), hook, 50).decided == []


def test_sla_at_risk_then_breached_each_fire_once(store: Store, hook: FakeServer) -> None:
    config = only("sla_at_risk", "sla_breached", brand={"sla": {"target": "30m", "hours": OPEN_HOURS}})
    save(store, comment("s1", 0), comment("ancient", -5 * 24 * 60))
    assert run(store, config, hook, 10).decided == []
    at_risk = run(store, config, hook, 25)
    assert rules_of(at_risk) == ["sla_at_risk"] and at_risk.decided[0].item_ids == (item_id(store, "s1"),)
    assert "cerca del plazo" in at_risk.decided[0].title
    assert run(store, config, hook, 26).decided == []
    breached = run(store, config, hook, 31)
    assert rules_of(breached) == ["sla_breached"] and breached.decided[0].item_ids == (item_id(store, "s1"),)
    assert run(store, config, hook, 45).decided == []
    save(store, comment("s2", 40))  # 20 business minutes on Monday, the rest on Tuesday from 09:00 UTC
    assert run(store, config, hook, 24 * 60 + 2).decided == []
    tuesday = run(store, config, hook, 24 * 60 + 5)
    assert rules_of(tuesday) == ["sla_at_risk"] and tuesday.decided[0].item_ids == (item_id(store, "s2"),)


def test_closing_instagram_reply_window_fires_once(store: Store, hook: FakeServer) -> None:
    config = only("reply_window")
    save(store, comment("ig", 0, platform="instagram", reply_deadline_at=at(60 * 30)))
    assert run(store, config, hook, 60).decided == []  # 29 h left, warning at 24 h
    (alert,) = run(store, config, hook, 60 * 7).decided
    assert alert.rule == "reply_window" and alert.item_ids == (item_id(store, "ig"),)
    assert run(store, config, hook, 60 * 14).decided == []


def test_negative_spike_for_a_small_shop(store: Store, hook: FakeServer) -> None:
    config = only("negative_spike")
    negative(store, "base", -10 * 24 * 60)  # one negative in the last 28 days
    negative(store, "t1", 0)
    negative(store, "t2", 10)
    assert run(store, config, hook, 20).decided == []  # 2 is below the minimum count of 3
    negative(store, "t3", 30)
    (spike,) = run(store, config, hook, 40).decided
    assert spike.rule == "negative_spike" and spike.details["count"] == 3 and spike.details["p"] < 0.01
    assert spike.title == "Pico de negativos: 3 hoy (lo normal: 0,1 al día) — Tienda Luna"
    negative(store, "t4", 50)
    assert run(store, config, hook, 60).decided == []  # once per local day
    negatives(store, {f"tomorrow{n}": 24 * 60 + n for n in range(3)})
    assert rules_of(run(store, config, hook, 24 * 60 + 10)) == ["negative_spike"]


def test_a_usual_day_is_not_a_spike(store: Store, hook: FakeServer) -> None:
    config = only("negative_spike")
    negatives(store, {f"d{day}-{n}": -day * 24 * 60 + n for day in range(1, 29) for n in range(3)})
    negatives(store, {f"today{n}": n for n in range(4)})
    assert run(store, config, hook, 30).decided == []


def test_poisson_tail() -> None:
    assert poisson_tail(0, 2.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - 2.718281828**-2)
    assert poisson_tail(3, 0.05) == pytest.approx(0.05**3 / 6, rel=0.05)
    assert poisson_tail(2, 0.0) == 0.0


def test_first_negative_review_in_n_quiet_days(store: Store, hook: FakeServer) -> None:
    config = only("first_negative_review")
    save(store, comment("history", -40 * 24 * 60))
    save(store, comment("good", -24 * 60, kind="review", rating=5))
    save(store, comment("bad", 0, kind="review", rating=1))
    (alert,) = run(store, config, hook, 5).decided
    assert alert.title == "Primera reseña negativa en 30 días — Tienda Luna"
    assert alert.item_ids == (item_id(store, "bad"),)
    save(store, comment("bad2", 60, kind="review", rating=2))
    assert run(store, config, hook, 65).decided == []


def test_first_negative_review_needs_history(store: Store, hook: FakeServer) -> None:
    save(store, comment("bad", 0, kind="review", rating=1))
    assert run(store, only("first_negative_review"), hook, 5).decided == []


def test_quota_exhausted_fires_once_per_pause(store: Store, hook: FakeServer) -> None:
    config = only("quota_exhausted")
    store.pause_source("luna-file", at(60 * 8), "YouTube quotaExceeded: daily quota spent")
    (alert,) = run(store, config, hook, 0).decided
    assert alert.subject == "luna-file" and "hasta 2026-03-02 17:00 UTC" in alert.title
    assert run(store, config, hook, 10).decided == []
    store.pause_source("luna-file", at(60 * 8 + 24 * 60), "quotaExceeded")
    assert rules_of(run(store, config, hook, 24 * 60)) == ["quota_exhausted"]
    store.pause_source("luna-file", at(24 * 60 + 60 * 9), "429 Too Many Requests")  # a rate limit is not news
    assert run(store, config, hook, 24 * 60 + 10).decided == []


def _runs(store: Store, *statuses: str) -> None:
    for status in statuses:
        run_id = store.start_run("luna-file", "host")
        store.finish_run(run_id, status, "HTTP 401: token expired" if status == "failed" else None)


def test_source_failing_fires_once_per_failure_streak(store: Store, hook: FakeServer) -> None:
    config = only("source_failing")
    _runs(store, "ok", "failed", "failed")
    assert run(store, config, hook, 0).decided == []
    _runs(store, "failed")
    (alert,) = run(store, config, hook, 1).decided
    assert alert.title == "La fuente luna-file falla (3 intentos seguidos)" and "token expired" in alert.body
    _runs(store, "failed")
    assert run(store, config, hook, 2).decided == []
    _runs(store, "ok", "failed", "failed", "failed")
    assert rules_of(run(store, config, hook, 3)) == ["source_failing"]


def seed_digest(store: Store) -> None:
    save(store, comment("answered", -24 * 60), brand_reply("r", "answered", -24 * 60 + 130))
    save(store, comment("w1", -60), comment("w2", -30), comment("w3", -10))
    set_fields(store, "w2", sentiment_label="neg")


def test_daily_digest_in_the_brand_language_once_a_day(store: Store, hook: FakeServer) -> None:
    seed_digest(store)
    config = only("digest")
    early = run_alerts(store.engine, config, [], now=T0 - timedelta(hours=2, minutes=30))  # 07:30 in Madrid
    assert early.decided == []
    (digest,) = run(store, config, hook, 0).decided
    assert digest.title == "Resumen diario de Tienda Luna — 2026-03-02"
    assert (
        digest.body.splitlines()[0] == "3 sin responder · 1 negativo · tiempo mediano de respuesta 2 h 10 min"
    )
    assert run(store, config, hook, 60).decided == []
    assert rules_of(run(store, config, hook, 24 * 60)) == ["digest"]


def test_digest_in_english_for_an_english_brand(store: Store, hook: FakeServer) -> None:
    seed_digest(store)
    config = only("digest", brand={"languages": ["en"]})
    (digest,) = run(store, config, hook, 0).decided
    assert digest.body.splitlines()[0] == "3 unanswered · 1 negative · median response time 2 h 10 min"


def test_dry_run_writes_and_sends_nothing(store: Store, hook: FakeServer) -> None:
    negative(store, "n1", 0)
    proposed = proposed_alerts(store.engine, only("new_negative"), now=at(5))
    assert [d.rule for d in proposed] == ["new_negative"]
    assert alert_rows(store.engine) == [] and hook.calls() == []


def test_switched_off_alerts_do_nothing(store: Store, hook: FakeServer) -> None:
    negative(store, "n1", 0)
    config = make_config(alerts={"enabled": False})
    assert run(store, config, hook, 5).decided == [] and alert_rows(store.engine) == []
