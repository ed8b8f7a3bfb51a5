"""Settings only admins change: users (role, language, active) and the saved replies agents pick from.
Every change checks the ``manage`` permission here, whatever the dashboard shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, func, select, update

from social_listen.db.engine import reading
from social_listen.db.tables import brands, saved_replies, users
from social_listen.errors import SocialListenError
from social_listen.inbox_actions import record_event
from social_listen.inbox_replies import REGISTERS
from social_listen.model import ROLES, utcnow
from social_listen.outbox import new_id
from social_listen.users import add_user, require

LANGUAGES = ("es", "en")
SAVED_REPLY_FIELDS = (
    "brand_id",
    "title",
    "text",
    "language",
    "intent",
    "register",
    "min_rating",
    "max_rating",
)


def create_user(engine: Engine, admin_id: int, name: str, password: str, role: str, **details: Any) -> int:
    """An admin adds a user (password hashed with argon2); returns the new id."""
    require(engine, admin_id, "manage")
    user_id = add_user(engine, name.strip(), password, role, **details)
    with engine.begin() as conn:
        record_event(conn, admin_id, None, "user_added", user_id=user_id, role=role)
    return user_id


def update_user(engine: Engine, admin_id: int, user_id: int, **changes: Any) -> None:
    """An admin changes a user's role, display name, language or active flag; the last admin stays."""
    require(engine, admin_id, "manage")
    allowed = {k: v for k, v in changes.items() if k in ("role", "display_name", "language", "active")}
    if "role" in allowed and allowed["role"] not in ROLES:
        raise SocialListenError(f"role must be one of {', '.join(ROLES)}")
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id).values(**allowed))
        admins = conn.execute(
            select(func.count()).where(users.c.role == "admin", users.c.active.is_(True))
        ).scalar_one()
        if admins == 0:
            raise SocialListenError("there must stay at least one active admin")
        record_event(conn, admin_id, None, "user_changed", user_id=user_id, changes=sorted(allowed))


def set_own_language(engine: Engine, user_id: int, language: str) -> None:
    """Any user picks the dashboard language for themselves."""
    if language not in LANGUAGES:
        raise SocialListenError(f"language must be one of {', '.join(LANGUAGES)}")
    require(engine, user_id, "read")
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id).values(language=language))


def brand_rows(engine: Engine) -> list[dict[str, Any]]:
    """Brands with their languages."""
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(select(brands).order_by(brands.c.name)).mappings()]


def list_saved_replies(engine: Engine) -> list[dict[str, Any]]:
    """Every saved reply, by title."""
    query = select(saved_replies).order_by(saved_replies.c.title, saved_replies.c.id)
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def save_reply_template(
    engine: Engine, admin_id: int, values: dict[str, Any], reply_id: int | None = None
) -> int:
    """Create (or, with ``reply_id``, update) a saved reply; returns its id."""
    require(engine, admin_id, "manage")
    row = _clean_template(values)
    with engine.begin() as conn:
        if reply_id is None:
            reply_id = new_id(conn.execute(saved_replies.insert().values(**row, created_at=utcnow())))
        else:
            conn.execute(update(saved_replies).where(saved_replies.c.id == reply_id).values(**row))
        record_event(conn, admin_id, None, "saved_reply_saved", saved_reply_id=reply_id)
    return reply_id


def _clean_template(values: dict[str, Any]) -> dict[str, Any]:
    row = {k: (values.get(k) if values.get(k) not in ("", None) else None) for k in SAVED_REPLY_FIELDS}
    if not row["title"] or not str(row["title"]).strip() or not row["text"] or not str(row["text"]).strip():
        raise SocialListenError("a saved reply needs a title and a text")
    if row["register"] is not None and row["register"] not in REGISTERS:
        raise SocialListenError(f"register must be one of {', '.join(REGISTERS)}")
    low, high = row["min_rating"], row["max_rating"]
    if low is not None and high is not None and float(low) > float(high):
        raise SocialListenError("the lowest rating is above the highest")
    return row


def delete_reply_template(engine: Engine, admin_id: int, reply_id: int) -> None:
    """Remove a saved reply."""
    require(engine, admin_id, "manage")
    with engine.begin() as conn:
        conn.execute(delete(saved_replies).where(saved_replies.c.id == reply_id))
        record_event(conn, admin_id, None, "saved_reply_deleted", saved_reply_id=reply_id)
