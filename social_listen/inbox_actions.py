"""What the team does to items: assign, note, change status (one item or a selection), mark spam, correct
triage. Every action checks the user's role here, in the data layer, and leaves an ``events`` row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from social_listen.db.tables import corrections, events, items, notes, users
from social_listen.errors import SocialListenError
from social_listen.inbox import split_intents
from social_listen.model import utcnow
from social_listen.outbox import new_id
from social_listen.users import require

STATUS_CHANGES = ("open", "answered", "ignored", "closed", "reopen")
BULK_ACTIONS = ("assign", "unassign", "ignore", "close", "spam", "answered", "reopen")
SENTIMENTS = ("neg", "neu", "pos")
SPAM_TAG = "spam"
MAX_NOTE = 5000


def record_event(
    conn: Connection, actor_id: int | None, item_id: int | None, action: str, **detail: Any
) -> None:
    """Append one row to the history (of an item, or of the settings when ``item_id`` is None)."""
    row = {
        "at": utcnow(),
        "user_id": actor_id,
        "item_id": item_id,
        "action": action,
        "detail": detail or None,
    }
    conn.execute(events.insert().values(**row))


def assign(engine: Engine, user_id: int, item_ids: Sequence[int], assignee_id: int | None) -> int:
    """Give items to a team member (None unassigns); returns how many items changed hands."""
    require(engine, user_id, "assign")
    changed = 0
    with engine.begin() as conn:
        if assignee_id is not None:
            _require_assignable(conn, assignee_id)
        for item_id, previous in _current(conn, item_ids, items.c.assignee_id):
            if previous == assignee_id:
                continue
            conn.execute(update(items).where(items.c.id == item_id).values(assignee_id=assignee_id))
            action = "assigned" if assignee_id is not None else "unassigned"
            record_event(conn, user_id, item_id, action, assignee_id=assignee_id, previous=previous)
            changed += 1
    return changed


def _require_assignable(conn: Connection, assignee_id: int) -> None:
    row = conn.execute(select(users.c.role, users.c.active).where(users.c.id == assignee_id)).first()
    if row is None or not row.active or row.role == "viewer":
        raise SocialListenError(f"user {assignee_id} cannot take items (unknown, disabled or a viewer)")


def _current(conn: Connection, item_ids: Sequence[int], column: Any) -> list[tuple[int, Any]]:
    query = select(items.c.id, column).where(items.c.id.in_(list(item_ids)), items.c.is_own.is_(False))
    found = [(int(str(i)), value) for i, value in conn.execute(query)]
    if len(found) != len(set(item_ids)):
        raise SocialListenError("some of the items do not exist (or are the brand's own posts)")
    return found


def set_status(engine: Engine, user_id: int, item_ids: Sequence[int], status: str) -> int:
    """Open, answer (by hand), ignore, close or reopen items; returns how many changed."""
    if status not in STATUS_CHANGES:
        raise SocialListenError(f"status must be one of {', '.join(STATUS_CHANGES)}, not {status!r}")
    require(engine, user_id, "status")
    target = "open" if status == "reopen" else status
    changed = 0
    with engine.begin() as conn:
        for item_id, previous in _current(conn, item_ids, items.c.status):
            if previous == target:
                continue
            conn.execute(update(items).where(items.c.id == item_id).values(**_status_values(target)))
            _record_status(conn, user_id, item_id, previous, target)
            changed += 1
    return changed


def _status_values(target: str) -> dict[str, Any]:
    if target == "answered":
        # Answered in the platform's own app (no reply API, or done there): a person vouches for it.
        now = utcnow()
        return {"status": "answered", "answered_at": now, "answered_by": "manual", "first_response_at": now}
    if target == "open":
        return {"status": "open", "answered_at": None, "answered_by": None, "first_response_at": None}
    return {"status": target}


def _record_status(conn: Connection, user_id: int, item_id: int, previous: str, target: str) -> None:
    if target == "answered":
        record_event(conn, user_id, item_id, "marked_answered", answered_by="manual", previous=previous)
    elif target == "open":
        record_event(conn, user_id, item_id, "reopened", previous=previous)
    else:
        record_event(conn, user_id, item_id, "status_changed", previous=previous, status=target)


def mark_spam(engine: Engine, user_id: int, item_ids: Sequence[int]) -> int:
    """Tag items as spam and ignore them; returns how many were not spam before."""
    require(engine, user_id, "status")
    changed = 0
    with engine.begin() as conn:
        for item_id, tags in _current(conn, item_ids, items.c.tags):
            tags = list(tags or [])
            if SPAM_TAG in tags:
                continue
            values = {"tags": [*tags, SPAM_TAG], "status": "ignored"}
            conn.execute(update(items).where(items.c.id == item_id).values(**values))
            record_event(conn, user_id, item_id, "marked_spam")
            changed += 1
    return changed


def bulk_action(
    engine: Engine, user_id: int, item_ids: Sequence[int], action: str, assignee_id: int | None = None
) -> int:
    """Apply one action to a selection of items; returns how many items changed."""
    if not item_ids:
        return 0
    if action == "assign":
        return assign(engine, user_id, item_ids, assignee_id)
    if action == "unassign":
        return assign(engine, user_id, item_ids, None)
    if action == "spam":
        return mark_spam(engine, user_id, item_ids)
    statuses = {"ignore": "ignored", "close": "closed", "answered": "answered", "reopen": "reopen"}
    if action not in statuses:
        raise SocialListenError(f"bulk action must be one of {', '.join(BULK_ACTIONS)}, not {action!r}")
    return set_status(engine, user_id, item_ids, statuses[action])


def add_note(engine: Engine, user_id: int, item_id: int, text: str) -> int:
    """Add an internal note (never sent to the platform); returns its id."""
    require(engine, user_id, "note")
    text = text.strip()
    if not text:
        raise SocialListenError("a note needs some text")
    if len(text) > MAX_NOTE:
        raise SocialListenError(f"a note holds at most {MAX_NOTE} characters")
    with engine.begin() as conn:
        _current(conn, [item_id], items.c.id)
        note_id = new_id(conn.execute(notes.insert().values(item_id=item_id, user_id=user_id, text=text,
                                                            created_at=utcnow())))  # fmt: skip
        record_event(conn, user_id, item_id, "note_added", note_id=note_id)
    return note_id


def correct_sentiment(engine: Engine, user_id: int, item_id: int, label: str) -> None:
    """A person's sentiment label replaces the scorer's and is kept for triage learning."""
    if label not in SENTIMENTS:
        raise SocialListenError(f"sentiment must be one of {', '.join(SENTIMENTS)}, not {label!r}")
    require(engine, user_id, "correct")
    with engine.begin() as conn:
        [(_, previous)] = _current(conn, [item_id], items.c.sentiment_label)
        conn.execute(corrections.insert().values(item_id=item_id, user_id=user_id, field="sentiment", value=label,
                                                 created_at=utcnow()))  # fmt: skip
        conn.execute(
            update(items)
            .where(items.c.id == item_id)
            .values(sentiment_label=label, fast_reply=label == "neg")
        )
        record_event(conn, user_id, item_id, "corrected", field="sentiment", previous=previous, value=label)


def correct_intents(engine: Engine, user_id: int, item_id: int, intents: Sequence[str]) -> None:
    """A person's intents replace the scorer's; each added (``intent``) or removed (``not_intent``) intent
    becomes a correction row for triage learning."""
    require(engine, user_id, "correct")
    wanted = sorted({i.strip() for i in intents if i.strip()})
    with engine.begin() as conn:
        [(_, joined)] = _current(conn, [item_id], items.c.intents)
        before = set(split_intents(joined))
        rows = [("intent", i) for i in wanted if i not in before]
        rows += [("not_intent", i) for i in sorted(before - set(wanted))]
        if not rows:
            return
        conn.execute(corrections.insert(), [{"item_id": item_id, "user_id": user_id, "field": f, "value": v[:64],
                                             "created_at": utcnow()} for f, v in rows])  # fmt: skip
        conn.execute(update(items).where(items.c.id == item_id).values(intents=";".join(wanted)))
        record_event(
            conn, user_id, item_id, "corrected", field="intents", previous=sorted(before), value=wanted
        )
