"""The outbox: a reply is written before it is sent, and is never lost nor posted twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from social_listen.db.tables import items, replies
from social_listen.errors import RateLimited, ReplyNotAllowed, TransientError, UncertainDelivery
from social_listen.model import Page, PostedReply, ReplyRequest
from social_listen.publish import publish_pending, publish_reply
from social_listen.store import Store
from tests.helpers import brand_reply, comment


class FakePublisher:
    """Records what it was asked to post; raises the queued errors first."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.posted: list[ReplyRequest] = []

    def publish(self, reply: ReplyRequest) -> PostedReply:
        self.posted.append(reply)
        if self.errors:
            raise self.errors.pop(0)
        return PostedReply(f"platform-{reply.reply_id}", url=f"https://example.test/{reply.reply_id}")


def open_item(store: Store) -> int:
    store.save_page("luna-file", Page([comment("c1")]))
    with store.engine.connect() as conn:
        return conn.execute(select(items.c.id).where(items.c.external_id == "c1")).scalar_one()


def reply_status(store: Store, reply_id: int) -> str:
    return next(r["status"] for r in store.reply_rows() if r["id"] == reply_id)


def test_sent_reply_records_platform_id_and_answers_item(store: Store) -> None:
    item_id = open_item(store)
    publisher = FakePublisher()
    reply_id = store.enqueue_reply(item_id, "¡Hola! Te llega el lunes.")
    assert publish_reply(store, reply_id, lambda r: publisher) == "sent"
    row = store.reply_rows()[0]
    assert (row["status"], row["platform_reply_id"]) == ("sent", f"platform-{reply_id}")
    assert publisher.posted[0].item_external_id == "c1" and publisher.posted[0].source == "luna-file"
    with store.engine.connect() as conn:
        status, by = conn.execute(
            select(items.c.status, items.c.answered_by).where(items.c.id == item_id)
        ).one()
    assert (status, by) == ("answered", "tool")


def test_double_click_queues_one_reply(store: Store) -> None:
    item_id = open_item(store)
    assert store.enqueue_reply(item_id, "Gracias") == store.enqueue_reply(item_id, " Gracias ")
    assert len(store.reply_rows()) == 1


def test_timeout_after_sending_becomes_uncertain_and_is_never_resent(store: Store) -> None:
    reply_id = store.enqueue_reply(open_item(store), "Te escribimos por privado")
    publisher = FakePublisher(UncertainDelivery("read timeout after POST"))
    assert publish_reply(store, reply_id, lambda r: publisher) == "uncertain"
    publish_pending(store, lambda r: publisher)
    publish_reply(store, reply_id, lambda r: publisher)
    assert len(publisher.posted) == 1
    assert reply_status(store, reply_id) == "uncertain"


def test_next_collection_confirms_an_uncertain_reply(store: Store) -> None:
    reply_id = store.enqueue_reply(open_item(store), "Te escribimos por privado")
    publish_reply(store, reply_id, lambda r: FakePublisher(UncertainDelivery("timeout")))
    store.save_page("luna-file", Page([brand_reply("yt-r9", "c1", 30, text="Te escribimos  por privado")]))
    row = store.reply_rows()[0]
    assert (row["status"], row["platform_reply_id"]) == ("sent", "yt-r9")


def test_transient_failure_is_requeued_for_later(store: Store) -> None:
    reply_id = store.enqueue_reply(open_item(store), "Hola")
    assert publish_reply(store, reply_id, lambda r: FakePublisher(TransientError("503"))) == "queued"
    row = store.reply_rows()[0]
    assert row["next_attempt_at"] > datetime.now(UTC) and row["attempts"] == 1
    assert publish_pending(store, lambda r: FakePublisher()).total() == 0  # not due yet


def test_rate_limit_waits_for_the_reset(store: Store) -> None:
    reset = datetime.now(UTC) + timedelta(minutes=7)
    reply_id = store.enqueue_reply(open_item(store), "Hola")
    publish_reply(store, reply_id, lambda r: FakePublisher(RateLimited("429", reset_at=reset)))
    assert abs((store.reply_rows()[0]["next_attempt_at"] - reset).total_seconds()) < 1


def test_refused_reply_fails_with_reason_and_item_stays_open(store: Store) -> None:
    item_id = open_item(store)
    reply_id = store.enqueue_reply(item_id, "Hola")
    refusal = ReplyNotAllowed("X only accepts replies to posts that mention the brand")
    assert publish_reply(store, reply_id, lambda r: FakePublisher(refusal)) == "failed"
    assert "mention the brand" in store.reply_rows()[0]["error"]
    with store.engine.connect() as conn:
        assert conn.execute(select(items.c.status).where(items.c.id == item_id)).scalar_one() == "open"


def test_failed_reply_can_be_retried_by_a_person(store: Store) -> None:
    reply_id = store.enqueue_reply(open_item(store), "Hola")
    publish_reply(store, reply_id, lambda r: FakePublisher(ReplyNotAllowed("token expired")))
    store.resolve_reply(reply_id, "retry")
    assert publish_reply(store, reply_id, lambda r: FakePublisher()) == "sent"


def test_send_interrupted_by_a_crash_becomes_uncertain(store: Store) -> None:
    reply_id = store.enqueue_reply(open_item(store), "Hola")
    assert store.claim_reply(reply_id) is not None  # the process dies here, mid-send
    with store.engine.begin() as conn:
        conn.execute(update(replies).values(updated_at=datetime.now(UTC) - timedelta(hours=1)))
    publisher = FakePublisher()
    outcomes = publish_pending(store, lambda r: publisher)
    assert outcomes["uncertain"] == 1 and publisher.posted == []
    assert reply_status(store, reply_id) == "uncertain"


def test_unexpected_error_while_posting_is_treated_as_uncertain(store: Store) -> None:
    reply_id = store.enqueue_reply(open_item(store), "Hola")
    assert publish_reply(store, reply_id, lambda r: FakePublisher(KeyError("id"))) == "uncertain"


def test_a_reply_whose_source_has_no_credentials_fails_visibly_instead_of_hanging_in_sending(
    store: Store,
) -> None:
    from social_listen.errors import ConfigError

    reply_id = store.enqueue_reply(open_item(store), "Hola")

    def no_token(request: ReplyRequest) -> FakePublisher:
        raise ConfigError(
            "sources.luna-file.credentials.page_token: environment variable PAGE_TOKEN is not set"
        )

    assert publish_reply(store, reply_id, no_token) == "failed"
    assert reply_status(store, reply_id) == "failed"
    assert "PAGE_TOKEN is not set" in store.reply_rows()[0]["error"]
    store.resolve_reply(reply_id, "retry")
    assert publish_reply(store, reply_id, lambda r: FakePublisher()) == "sent"
