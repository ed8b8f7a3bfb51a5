"""Team actions in the core: roles are enforced in the data layer, every change leaves an event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from social_listen.db.tables import corrections, events, items, notes, replies
from social_listen.errors import SocialListenError, UncertainDelivery
from social_listen.inbox_actions import (
    add_note,
    assign,
    bulk_action,
    correct_intents,
    correct_sentiment,
    set_status,
)
from social_listen.inbox_admin import create_user, save_reply_template, update_user
from social_listen.inbox_locks import active_locks, purge_expired_locks, release_lock, touch_lock
from social_listen.inbox_replies import AlreadyAnswered, send_reply, settle_reply
from social_listen.model import PostedReply, ReplyRequest, utcnow
from social_listen.store import Store
from social_listen.users import PermissionDenied
from tests.dashboard.seed import Seeded, seed


class Publisher:
    """Records each reply it posts; raises the given errors first."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.posted: list[ReplyRequest] = []

    def publish(self, reply: ReplyRequest) -> PostedReply:
        self.posted.append(reply)
        if self.errors:
            raise self.errors.pop(0)
        return PostedReply(f"fb-reply-{reply.reply_id}", url=f"https://facebook.example/r/{reply.reply_id}")


@pytest.fixture
def seeded(store: Store) -> Seeded:
    return seed(store)


def item(seeded: Seeded, ext: str) -> dict:
    with seeded.store.engine.connect() as conn:
        return dict(conn.execute(select(items).where(items.c.external_id == ext)).mappings().one())


def event_actions(seeded: Seeded, item_id: int) -> list[tuple[str, int | None]]:
    query = select(events.c.action, events.c.user_id).where(events.c.item_id == item_id).order_by(events.c.id)
    with seeded.store.engine.connect() as conn:
        return [(a, u) for a, u in conn.execute(query)]


def count(seeded: Seeded, table) -> int:
    with seeded.store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_viewer_forged_reply_and_assign_are_refused(seeded: Seeded) -> None:
    store, vera, target = seeded.store, seeded.users["vera"], seeded.items["fb-es-neg-0"]
    publisher = Publisher()
    with pytest.raises(PermissionDenied):
        send_reply(store, vera, target, "Hola", lambda r: publisher)
    with pytest.raises(PermissionDenied):
        assign(store.engine, vera, [target], vera)
    for forged in (lambda: set_status(store.engine, vera, [target], "closed"),
                   lambda: add_note(store.engine, vera, target, "x"),
                   lambda: correct_sentiment(store.engine, vera, target, "pos"),
                   lambda: bulk_action(store.engine, vera, [target], "spam")):  # fmt: skip
        with pytest.raises(PermissionDenied):
            forged()
    assert publisher.posted == [] and count(seeded, replies) == 0 and count(seeded, events) == 0
    assert item(seeded, "fb-es-neg-0")["status"] == "open"


def test_disabled_agent_can_no_longer_act(seeded: Seeded) -> None:
    update_user(seeded.store.engine, seeded.users["ana"], seeded.users["beto"], active=False)
    with pytest.raises(PermissionDenied):
        assign(seeded.store.engine, seeded.users["beto"], [seeded.items["yt-en-0"]], None)


def test_assign_and_unassign_leave_events(seeded: Seeded) -> None:
    engine, ana, beto, target = (
        seeded.store.engine,
        seeded.users["ana"],
        seeded.users["beto"],
        seeded.items["yt-en-1"],
    )
    assert assign(engine, ana, [target], beto) == 1
    assert assign(engine, ana, [target], beto) == 0  # no change, no event
    assert assign(engine, beto, [target], None) == 1
    assert event_actions(seeded, target) == [("assigned", ana), ("unassigned", beto)]
    with pytest.raises(SocialListenError):
        assign(engine, ana, [target], seeded.users["vera"])  # viewers do not take items


def test_manual_mark_answered_records_who_and_when(seeded: Seeded) -> None:
    before = utcnow()
    target = seeded.items["gr-1"]  # a Google review: answered in the platform's own app
    set_status(seeded.store.engine, seeded.users["beto"], [target], "answered")
    row = item(seeded, "gr-1")
    assert (row["status"], row["answered_by"]) == ("answered", "manual")
    assert row["answered_at"] >= before - timedelta(seconds=1)
    assert event_actions(seeded, target) == [("marked_answered", seeded.users["beto"])]


def test_reopen_clears_the_answer(seeded: Seeded) -> None:
    engine, beto, target = seeded.store.engine, seeded.users["beto"], seeded.items["gr-2"]
    set_status(engine, beto, [target], "answered")
    set_status(engine, beto, [target], "reopen")
    row = item(seeded, "gr-2")
    assert (row["status"], row["answered_at"], row["answered_by"]) == ("open", None, None)


def test_bulk_actions_on_a_selection(seeded: Seeded) -> None:
    engine, beto = seeded.store.engine, seeded.users["beto"]
    chosen = [seeded.items[f"file-{n:02d}"] for n in range(4)]
    assert bulk_action(engine, beto, chosen[:2], "ignore") == 2
    assert bulk_action(engine, beto, chosen[2:], "close") == 2
    assert bulk_action(engine, beto, chosen, "assign", assignee_id=beto) == 4
    assert [item(seeded, f"file-{n:02d}")["status"] for n in range(4)] == ["ignored"] * 2 + ["closed"] * 2
    assert {item(seeded, f"file-{n:02d}")["assignee_id"] for n in range(4)} == {beto}


def test_mark_spam_tags_and_ignores_once(seeded: Seeded) -> None:
    engine, beto, target = seeded.store.engine, seeded.users["beto"], seeded.items["fb-hostile"]
    assert bulk_action(engine, beto, [target], "spam") == 1
    assert bulk_action(engine, beto, [target], "spam") == 0
    row = item(seeded, "fb-hostile")
    assert (row["status"], row["tags"]) == ("ignored", ["spam"])
    assert event_actions(seeded, target) == [("marked_spam", beto)]


def test_notes_are_kept_with_their_author(seeded: Seeded) -> None:
    target = seeded.items["yt-es-0"]
    add_note(seeded.store.engine, seeded.users["beto"], target, "  Llamar mañana  ")
    with pytest.raises(SocialListenError):
        add_note(seeded.store.engine, seeded.users["beto"], target, "   ")
    with seeded.store.engine.connect() as conn:
        assert conn.execute(select(notes.c.text, notes.c.user_id)).all() == [
            ("Llamar mañana", seeded.users["beto"])
        ]


def test_corrections_feed_triage_learning(seeded: Seeded) -> None:
    engine, beto, target = seeded.store.engine, seeded.users["beto"], seeded.items["fb-es-neg-2"]
    correct_sentiment(engine, beto, target, "neu")
    correct_intents(engine, beto, target, ["size_fit", "question"])
    row = item(seeded, "fb-es-neg-2")
    assert (row["sentiment_label"], row["intents"]) == ("neu", "question;size_fit")
    with engine.connect() as conn:
        found = set(conn.execute(select(corrections.c.field, corrections.c.value)).tuples())
    assert found == {("sentiment", "neu"), ("intent", "question"), ("not_intent", "return_refund")}
    assert [a for a, _ in event_actions(seeded, target)] == ["corrected", "corrected"]
    with pytest.raises(SocialListenError):
        correct_sentiment(engine, beto, target, "angry")


def test_soft_lock_is_shown_to_others_and_expires(seeded: Seeded) -> None:
    engine, ana, beto, target = (
        seeded.store.engine,
        seeded.users["ana"],
        seeded.users["beto"],
        seeded.items["yt-en-2"],
    )
    touch_lock(engine, beto, target, "drafting")
    seen_by_ana = active_locks(engine, [target], exclude_user=ana)[target]
    assert [(lock.user, lock.activity) for lock in seen_by_ana] == [("Beto", "drafting")]
    assert active_locks(engine, [target], exclude_user=beto) == {}
    later = utcnow() + timedelta(minutes=3)
    assert active_locks(engine, [target], now=later) == {}  # nobody renewed it: gone on its own
    touch_lock(
        engine, beto, target, "viewing", ttl=timedelta(minutes=5)
    )  # renewal replaces, never duplicates
    assert [lock.activity for lock in active_locks(engine, [target], now=later)[target]] == ["viewing"]
    release_lock(engine, beto, target)
    assert active_locks(engine, [target]) == {}


def test_viewer_cannot_claim_to_be_drafting(seeded: Seeded) -> None:
    engine, vera, target = seeded.store.engine, seeded.users["vera"], seeded.items["yt-en-2"]
    touch_lock(engine, vera, target, "viewing")
    with pytest.raises(PermissionDenied):
        touch_lock(engine, vera, target, "drafting")


def test_expired_locks_are_purged(seeded: Seeded) -> None:
    engine = seeded.store.engine
    touch_lock(engine, seeded.users["beto"], seeded.items["yt-en-2"], ttl=timedelta(seconds=-1))
    touch_lock(engine, seeded.users["ana"], seeded.items["yt-en-2"])
    assert purge_expired_locks(engine) == 1


def test_sent_reply_reaches_the_platform_once_and_answers_the_item(seeded: Seeded) -> None:
    store, beto, target = seeded.store, seeded.users["beto"], seeded.items["fb-es-neg-0"]
    publisher = Publisher()
    touch_lock(store.engine, beto, target, "drafting")
    row = send_reply(store, beto, target, " Hola, lo miramos ", lambda r: publisher)
    assert (row["status"], row["user_id"], row["text"]) == ("sent", beto, "Hola, lo miramos")
    assert [p.item_external_id for p in publisher.posted] == ["fb-es-neg-0"]
    assert (item(seeded, "fb-es-neg-0")["status"], item(seeded, "fb-es-neg-0")["answered_by"]) == (
        "answered",
        "tool",
    )
    assert active_locks(store.engine, [target]) == {}  # the draft lock goes with the reply
    with pytest.raises(AlreadyAnswered):
        send_reply(store, beto, target, "Otra respuesta", lambda r: publisher)
    assert len(publisher.posted) == 1


def test_uncertain_reply_is_settled_by_a_person(seeded: Seeded) -> None:
    store, beto, target = seeded.store, seeded.users["beto"], seeded.items["fb-es-neg-1"]
    publisher = Publisher(UncertainDelivery("read timeout after POST"))
    row = send_reply(store, beto, target, "Te devolvemos el dinero hoy", lambda r: publisher)
    assert row["status"] == "uncertain" and item(seeded, "fb-es-neg-1")["status"] == "open"
    with pytest.raises(PermissionDenied):
        settle_reply(store, seeded.users["vera"], row["id"], "sent")
    settled = settle_reply(store, beto, row["id"], "sent")
    assert settled["status"] == "sent" and item(seeded, "fb-es-neg-1")["status"] == "answered"
    assert len(publisher.posted) == 1


def test_failed_reply_can_be_retried_now(seeded: Seeded) -> None:
    from social_listen.errors import AuthError

    store, beto, target = seeded.store, seeded.users["beto"], seeded.items["fb-es-neg-3"]
    publisher = Publisher(AuthError("token expired"))
    assert send_reply(store, beto, target, "Lo sentimos", lambda r: publisher)["status"] == "failed"
    assert (
        settle_reply(store, beto, store.reply_rows()[0]["id"], "retry", lambda r: publisher)["status"]
        == "sent"
    )
    assert len(publisher.posted) == 2 and item(seeded, "fb-es-neg-3")["status"] == "answered"


def test_only_admins_manage_users_and_saved_replies(seeded: Seeded) -> None:
    engine, ana, beto = seeded.store.engine, seeded.users["ana"], seeded.users["beto"]
    with pytest.raises(PermissionDenied):
        create_user(engine, beto, "carla", "carla-secret-1", "agent")
    with pytest.raises(PermissionDenied):
        save_reply_template(engine, beto, {"title": "x", "text": "y"})
    carla = create_user(engine, ana, "carla", "carla-secret-1", "agent", language="en")
    update_user(engine, ana, carla, role="viewer")
    with pytest.raises(SocialListenError):
        update_user(engine, ana, ana, role="agent")  # the last admin cannot demote themselves
