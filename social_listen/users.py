"""Dashboard users: argon2 password hashes, roles (admin, agent, viewer) and what each role may do."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select, update

from social_listen.db.engine import reading
from social_listen.db.tables import users
from social_listen.errors import SocialListenError
from social_listen.model import ROLES, utcnow
from social_listen.outbox import new_id

_hasher = PasswordHasher()
MIN_PASSWORD = 8
# What each role may do; checked in the data layer, not only by hiding buttons.
PERMISSIONS = {
    "viewer": frozenset({"read"}),
    "agent": frozenset({"read", "reply", "assign", "status", "note", "correct"}),
    "admin": frozenset({"read", "reply", "assign", "status", "note", "correct", "manage"}),
}


class PermissionDenied(SocialListenError):
    """The user's role does not allow this action."""


def add_user(
    engine: Engine, name: str, password: str, role: str = "agent", display_name: str = "",
    brands: list[str] | None = None, language: str | None = None,
) -> int:  # fmt: skip
    """Create a user with a hashed password; the name must be new and the password 8+ characters."""
    if role not in ROLES:
        raise SocialListenError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if len(password) < MIN_PASSWORD:
        raise SocialListenError(f"the password needs at least {MIN_PASSWORD} characters")
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.name == name)).first():
            raise SocialListenError(f"user {name!r} already exists")
        result = conn.execute(
            users.insert().values(name=name, display_name=display_name or name, role=role, brands=brands or [],
                                  language=language, password_hash=_hasher.hash(password), created_at=utcnow())
        )  # fmt: skip
        return new_id(result)


def set_password(engine: Engine, name: str, password: str) -> None:
    """Replace a user's password."""
    if len(password) < MIN_PASSWORD:
        raise SocialListenError(f"the password needs at least {MIN_PASSWORD} characters")
    with engine.begin() as conn:
        done = conn.execute(
            update(users).where(users.c.name == name).values(password_hash=_hasher.hash(password))
        )
        if not done.rowcount:
            raise SocialListenError(f"no user named {name!r}")


def authenticate(engine: Engine, name: str, password: str) -> dict[str, Any] | None:
    """The user's row (without the hash) when name and password match an active user, else None."""
    with reading(engine) as conn:
        row = (
            conn.execute(select(users).where(users.c.name == name, users.c.active.is_(True)))
            .mappings()
            .first()
        )
    if row is None:
        _hasher.hash(password)  # spend the same time as a real check
        return None
    try:
        _hasher.verify(str(row["password_hash"]), password)
    except (VerificationError, InvalidHashError):
        return None
    return {k: v for k, v in row.items() if k != "password_hash"}


def user_row(engine: Engine, user_id: int) -> dict[str, Any]:
    """A user's row without the hash."""
    with reading(engine) as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    if row is None:
        raise PermissionDenied(f"unknown user {user_id}")
    return {k: v for k, v in row.items() if k != "password_hash"}


def require(engine: Engine, user_id: int, action: str) -> dict[str, Any]:
    """The user, if their role allows ``action``; PermissionDenied otherwise."""
    user = user_row(engine, user_id)
    if not user["active"] or action not in PERMISSIONS.get(user["role"], frozenset()):
        raise PermissionDenied(f"{user['name']} ({user['role']}) may not {action}")
    return user


def list_users(engine: Engine) -> list[dict[str, Any]]:
    """All users without hashes."""
    with reading(engine) as conn:
        rows = conn.execute(select(users).order_by(users.c.name)).mappings().all()
    return [{k: v for k, v in r.items() if k != "password_hash"} for r in rows]
