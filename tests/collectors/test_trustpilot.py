"""Trustpilot service reviews: collected oldest first from a fake private API, answered, replied to."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from collectors import context_for
from collectors.base import RetryPolicy, SourceContext
from collectors.trustpilot import DEFAULT_BASE_URL, TrustpilotCollector, client_for, create, create_publisher
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.errors import AuthError
from social_listen.model import Item
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.server import Response
from tests.fakes.trustpilot import T0, UNIT, FakeTrustpilot, tp_error
from tests.fakes.wordpress import quick_server

NOW = T0 + timedelta(days=2)
H = timedelta(hours=1)
SOURCE = "luna-trustpilot"


@pytest.fixture
def tp() -> Iterator[FakeTrustpilot]:
    with quick_server() as server:
        yield FakeTrustpilot(server)


@pytest.fixture
def tp_store(any_store: Store, tp: FakeTrustpilot) -> Store:
    any_store.sync_config(config_for(tp))
    return any_store


def config_for(tp: FakeTrustpilot, token: str | None = None, **options: Any) -> Any:
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "trustpilot", "target": tp.unit,
              "base_url": tp.base_url, "credentials": {"access_token": token or tp.token},
              "options": {"business_user_id": tp.business_user, **options}}  # fmt: skip
    return make_config(sources=[source])


class Harness:
    """Builds collectors and publishers on the fake with a fixed clock and recorded sleeps."""

    def __init__(self, tp: FakeTrustpilot, token: str | None = None, **options: Any) -> None:
        self.tp, self.token, self.options, self.sleeps = tp, token, options, []

    def context(self) -> SourceContext:
        config = config_for(self.tp, self.token, **self.options)
        return context_for(config, config.source(SOURCE))

    def collector(self) -> TrustpilotCollector:
        client = client_for(self.context(), RetryPolicy(sleep=self.sleeps.append))
        return TrustpilotCollector(self.context(), client, clock=lambda: NOW)

    def run(self, store: Store) -> Any:
        return run_source(store, config_for(self.tp).source(SOURCE), lambda s: self.collector())

    def items(self, cursor: dict[str, Any] | None = None) -> list[Item]:
        return [i for page in self.collector().collect(cursor) for i in page.items]


def business(tp: FakeTrustpilot) -> dict[str, str]:
    """Three reviews; the company answered the first one in Trustpilot Business."""
    ids: dict[str, str] = {}
    ids["praise"] = tp.add_review(5, "Envío rapidísimo", "Pedí el lunes y el martes lo tenía.", T0)
    tp.company_reply(ids["praise"], "¡Gracias por confiar en nosotros!", T0 + 3 * H)
    ids["late"] = tp.add_review(
        2, "Pedido retrasado", "Dos semanas esperando y nadie contesta.", T0 + H, "Pablo"
    )
    ids["english"] = tp.add_review(4, "Nice shoes", "Nice shoes, but the sizes run small.", T0 + 2 * H, "John",
                                   "en")  # fmt: skip
    return ids


def by_id(found: list[Item]) -> dict[str, Item]:
    return {i.external_id: i for i in found}


def status_of(store: Store, external_id: str) -> tuple[str, datetime | None]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(items.c.status, items.c.answered_at).where(items.c.external_id == external_id)
        ).one()
    return row.status, row.answered_at


def item_id(store: Store, external_id: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(items.c.id).where(items.c.external_id == external_id)).scalar_one())


def item_count(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(items)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(items.c.external_id)))).scalar_one()
    return total, distinct


# -- collecting ----------------------------------------------------------------------------------


def test_first_run_collects_reviews_and_company_replies_as_valid_items(tp: FakeTrustpilot) -> None:
    ids = business(tp)
    found = by_id(Harness(tp).items())
    assert len(found) == 4
    for item in found.values():
        assert item.platform == "trustpilot" and item.text and item.published_at.utcoffset() == timedelta(0)
        assert item.object_id == UNIT and item.object_title == "Tienda Luna" and item.fetched_at == NOW
    late, english = found[ids["late"]], found[ids["english"]]
    assert (late.kind, late.rating, late.published_at) == ("review", 2.0, T0 + H)
    assert late.text == "Pedido retrasado\n\nDos semanas esperando y nadie contesta."
    assert english.text == "Nice shoes, but the sizes run small." and english.language == "en"
    assert late.url == f"https://www.trustpilot.com/reviews/{ids['late']}"
    assert late.author and late.author.name == "Pablo" and late.author.external_id.startswith("5d00")
    reply = found[f"{ids['praise']}/reply"]
    assert (reply.kind, reply.is_own, reply.parent_external_id, reply.published_at) == (
        "reply", True, ids["praise"], T0 + 3 * H)  # fmt: skip
    assert late.raw and "companyReply" not in late.raw


def test_company_reply_marks_the_review_answered_at_its_time(tp_store: Store, tp: FakeTrustpilot) -> None:
    ids = business(tp)
    Harness(tp).run(tp_store)
    assert status_of(tp_store, ids["praise"]) == ("answered", T0 + 3 * H)
    assert status_of(tp_store, ids["late"]) == ("open", None)


def test_second_run_on_the_same_responses_changes_nothing(tp_store: Store, tp: FakeTrustpilot) -> None:
    business(tp)
    harness = Harness(tp)
    first, second = harness.run(tp_store), harness.run(tp_store)
    assert (first.status, first.new) == ("ok", 4)
    assert (second.status, second.new, second.updated) == ("ok", 0, 0)


def test_pages_are_read_until_empty_and_the_cursor_moves_forward(tp: FakeTrustpilot) -> None:
    business(tp)
    pages = list(Harness(tp, page_size=2).collector().collect(None))
    assert [len(p.items) for p in pages] == [
        3,
        1,
        0,
    ]  # the praise and its reply, the late one; the English one; end
    assert [p.cursor for p in pages] == [{"created": (T0 + H).isoformat()}] + [
        {"created": (T0 + 2 * H).isoformat()}
    ] * 2
    assert [r.query["page"] for r in tp.server.calls("GET")] == ["1", "2", "3"]
    assert tp.server.calls("GET")[0].query["orderBy"] == "createdat.asc"


def test_next_run_starts_at_the_cursor_minus_the_lag_and_catches_a_late_reply(
    tp_store: Store, tp: FakeTrustpilot
) -> None:
    ids = business(tp)
    harness = Harness(tp, lag_minutes=120)
    harness.run(tp_store)
    tp.company_reply(ids["late"], "Pablo, te hemos escrito por correo.", T0 + 5 * H)
    tp.add_review(3, "Correcto", "Sin más.", T0 + 6 * H)
    outcome = harness.run(tp_store)
    assert tp.server.calls("GET")[-1].query["startDateTime"] == "2026-03-02T09:00:00"
    assert outcome.new == 2 and status_of(tp_store, ids["late"]) == ("answered", T0 + 5 * H)
    assert tp_store.get_cursor(SOURCE) == {"created": (T0 + 6 * H).isoformat()}


def test_failure_on_page_three_keeps_what_was_saved_and_the_next_run_completes_it(
    tp_store: Store, tp: FakeTrustpilot
) -> None:
    business(tp)
    for n in range(3):
        tp.add_review(4, f"Reseña {n}", "Bien.", T0 + (4 + n) * H)
    tp.fail_page(3, tp_error(503, "Service Unavailable"), times=4)
    harness = Harness(tp, page_size=2)
    crashed = harness.run(tp_store)
    assert (crashed.status, crashed.new) == ("failed", 5) and tp_store.get_cursor(SOURCE) == {
        "created": (T0 + 4 * H).isoformat()}  # fmt: skip
    resumed = harness.run(tp_store)
    assert (resumed.status, resumed.new) == ("ok", 2) and item_count(tp_store) == (7, 7)


def test_review_without_a_date_is_logged_and_skipped(
    tp: FakeTrustpilot, caplog: pytest.LogCaptureFixture
) -> None:
    ids = business(tp)
    tp.reviews[ids["late"]].extra = {"createdAt": None}
    with caplog.at_level(logging.WARNING, logger="collectors.trustpilot"):
        found = by_id(Harness(tp).items())
    assert ids["late"] not in found and ids["english"] in found
    assert any("without id or createdAt" in r.getMessage() for r in caplog.records)


def test_expired_token_is_an_auth_error_that_says_how_to_renew_it(
    tp: FakeTrustpilot, caplog: pytest.LogCaptureFixture
) -> None:
    business(tp)
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthError, match="100 hours") as raised:
        Harness(tp, token="tp-expired-TOKEN").items()
    assert not any(
        "tp-expired-TOKEN" in m for m in [str(raised.value), *(r.getMessage() for r in caplog.records)]
    )


def test_rate_limit_waits_for_retry_after_then_goes_on(tp: FakeTrustpilot) -> None:
    business(tp)
    tp.fail_page(1, tp_error(429, "Too Many Requests", **{"Retry-After": "2"}))
    harness = Harness(tp)
    assert len(harness.items()) == 4 and len(harness.sleeps) == 1 and 1 < harness.sleeps[0] <= 2


def test_default_base_url_is_api_trustpilot_com(tp: FakeTrustpilot) -> None:
    config = config_for(tp)
    plain = config.model_copy(update={"sources": [config.sources[0].model_copy(update={"base_url": None})]})
    assert (
        str(create(context_for(plain, plain.sources[0])).client.http.base_url).rstrip("/") == DEFAULT_BASE_URL
    )


# -- replying ------------------------------------------------------------------------------------


def test_reply_is_posted_once_as_the_business_user_and_recorded_sent(
    tp_store: Store, tp: FakeTrustpilot
) -> None:
    ids = business(tp)
    harness = Harness(tp)
    harness.run(tp_store)
    reply_id = tp_store.enqueue_reply(
        item_id(tp_store, ids["late"]), "Pablo, lo sentimos: ya está en camino."
    )
    assert publish_reply(tp_store, reply_id, lambda r: create_publisher(harness.context())) == "sent"
    posts = tp.server.calls("POST")
    assert len(posts) == 1 and posts[0].path == f"/v1/private/reviews/{ids['late']}/reply"
    assert posts[0].json() == {"authorBusinessUserId": tp.business_user,
                               "message": "Pablo, lo sentimos: ya está en camino."}  # fmt: skip
    assert tp_store.reply_rows()[0]["platform_reply_id"] == f"{ids['late']}/reply"


def test_timeout_after_the_reply_was_posted_is_uncertain_then_collection_confirms_it(
    tp_store: Store, tp: FakeTrustpilot
) -> None:
    ids = business(tp)
    Harness(tp).run(tp_store)
    reply_id = tp_store.enqueue_reply(item_id(tp_store, ids["late"]), "Te escribimos ahora mismo.")
    tp.server.fail_next(".*/reply", Response(201, raw=b"", delay=0.6), after_handler=True)
    slow = Harness(tp, timeout_seconds=0.2)
    assert publish_reply(tp_store, reply_id, lambda r: create_publisher(slow.context())) == "uncertain"
    Harness(tp).run(tp_store)  # the review is inside the default lag window: its companyReply is seen
    row = tp_store.reply_rows()[0]
    assert len(tp.server.calls("POST")) == 1 and tp.reviews[ids["late"]].reply == (
        "Te escribimos ahora mismo.",
        tp.now,
    )
    assert (row["status"], row["platform_reply_id"]) == ("sent", f"{ids['late']}/reply")
    assert status_of(tp_store, ids["late"]) == ("answered", tp.now)


def test_reply_without_a_business_user_fails_saying_which_option_to_set(
    tp_store: Store, tp: FakeTrustpilot
) -> None:
    ids = business(tp)
    Harness(tp).run(tp_store)
    reply_id = tp_store.enqueue_reply(item_id(tp_store, ids["late"]), "Hola")
    unsigned = Harness(tp, business_user_id="")
    assert publish_reply(tp_store, reply_id, lambda r: create_publisher(unsigned.context())) == "failed"
    assert "options.business_user_id" in tp_store.reply_rows()[0]["error"] and not tp.server.calls("POST")
