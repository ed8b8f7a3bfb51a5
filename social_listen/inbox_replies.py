"""Answering from the inbox: saved replies that fit the item, rendered with placeholders and the right form
of address (tú / usted / vos), then sent through the outbox. Only roles allowed to reply get this far."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, or_, select, update

from social_listen.db.engine import reading
from social_listen.db.tables import items, replies, saved_replies
from social_listen.errors import ReplyNotAllowed, SocialListenError
from social_listen.inbox_actions import record_event
from social_listen.inbox_locks import release_lock
from social_listen.model import utcnow
from social_listen.outbox import OutboxMixin
from social_listen.publish import PublisherFor, publish_reply
from social_listen.users import require

# Forms of address in Spanish: tú (Spain, most of LATAM), usted (formal), vos (Río de la Plata, C. America).
REGISTERS = ("tu", "usted", "vos")
_VARIANTS = re.compile(r"\{([^{}|]*(?:\|[^{}|]*)+)\}")
_SPACES = re.compile(r"[ \t]{2,}")


class AlreadyAnswered(SocialListenError):
    """Someone answered the item since it was opened; sending again needs a deliberate confirmation."""


def saved_replies_for(
    engine: Engine,
    brand_id: int | None,
    language: str | None,
    intents: Sequence[str],
    rating: float | None,
    register: str | None = None,
) -> list[dict[str, Any]]:
    """Saved replies that fit an item: its brand, language and rating; those for its intents come first."""
    where = [
        or_(saved_replies.c.brand_id.is_(None), saved_replies.c.brand_id == brand_id),
        or_(
            saved_replies.c.intent.is_(None),
            saved_replies.c.intent == "",
            saved_replies.c.intent.in_(intents),
        ),
        _rating_fits(rating),
    ]
    if language:
        where.append(or_(saved_replies.c.language.is_(None), saved_replies.c.language == language))
    if register:
        where.append(or_(saved_replies.c.register.is_(None), saved_replies.c.register == register))
    for_intent = case((saved_replies.c.intent.in_(intents), 0), else_=1) if intents else saved_replies.c.id
    query = (
        select(saved_replies).where(*where).order_by(for_intent, saved_replies.c.title, saved_replies.c.id)
    )
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _rating_fits(rating: float | None) -> ColumnElement[bool]:
    if rating is None:
        return and_(saved_replies.c.min_rating.is_(None), saved_replies.c.max_rating.is_(None))
    return and_(
        or_(saved_replies.c.min_rating.is_(None), saved_replies.c.min_rating <= rating),
        or_(saved_replies.c.max_rating.is_(None), saved_replies.c.max_rating >= rating),
    )


def greeting_name(author_name: str) -> str:
    """The name to greet someone by: the first word of their name, without a handle's @."""
    words = author_name.strip().lstrip("@").split()
    return words[0] if words else ""


def render_reply(template: str, name: str = "", product: str = "", register: str = "tu") -> str:
    """Fill {name} and {product}; pick the tú|usted|vos option of each ``{a|b|c}`` group."""
    index = REGISTERS.index(register) if register in REGISTERS else 0

    def pick(match: re.Match[str]) -> str:
        options = match.group(1).split("|")
        return options[index] if index < len(options) else options[0]

    text = _VARIANTS.sub(pick, template)
    text = text.replace("{name}", name.strip()).replace("{product}", product.strip())
    text = _SPACES.sub(" ", text).replace(" ,", ",").replace(" !", "!").replace(" .", ".")
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def send_reply(
    outbox: OutboxMixin,
    user_id: int,
    item_id: int,
    text: str,
    publisher_for: PublisherFor,
    allow_answered: bool = False,
) -> dict[str, Any]:
    """Write the reply to the outbox, publish it at once, and return the reply row (sent, failed...)."""
    require(outbox.engine, user_id, "reply")
    _check_reply_target(outbox.engine, item_id, allow_answered)
    reply_id = outbox.enqueue_reply(item_id, text.strip(), user_id)
    publish_reply(outbox, reply_id, publisher_for)
    release_lock(outbox.engine, user_id, item_id)
    return reply_row(outbox.engine, reply_id)


def _check_reply_target(engine: Engine, item_id: int, allow_answered: bool) -> None:
    query = select(items.c.is_own, items.c.can_reply, items.c.status, items.c.url).where(
        items.c.id == item_id
    )
    with reading(engine) as conn:
        row = conn.execute(query).first()
    if row is None or row.is_own:
        raise SocialListenError(f"no customer item {item_id} to answer")
    if not row.can_reply:
        raise ReplyNotAllowed("this item cannot be answered through the API: answer on the platform", row.url)
    if row.status == "answered" and not allow_answered:
        raise AlreadyAnswered("this item is already answered; confirm to send another reply")


def reply_row(engine: Engine, reply_id: int) -> dict[str, Any]:
    """One outbox row."""
    with reading(engine) as conn:
        row = conn.execute(select(replies).where(replies.c.id == reply_id)).mappings().first()
    if row is None:
        raise SocialListenError(f"no reply {reply_id}")
    return dict(row)


def settle_reply(
    outbox: OutboxMixin, user_id: int, reply_id: int, outcome: str, publisher_for: PublisherFor | None = None
) -> dict[str, Any]:
    """A person settles a failed or uncertain reply: ``retry`` (sent again now), ``sent`` or ``cancel``."""
    require(outbox.engine, user_id, "reply")
    outbox.resolve_reply(reply_id, outcome, user_id)
    row = reply_row(outbox.engine, reply_id)
    if outcome == "retry" and publisher_for is not None:
        publish_reply(outbox, reply_id, publisher_for)
    if outcome == "sent":
        _answered_by_tool(outbox.engine, user_id, int(row["item_id"]))
    return reply_row(outbox.engine, reply_id)


def _answered_by_tool(engine: Engine, user_id: int, item_id: int) -> None:
    now = utcnow()
    with engine.begin() as conn:
        done = conn.execute(
            update(items)
            .where(items.c.id == item_id, items.c.status == "open")
            .values(status="answered", answered_at=now, answered_by="tool", first_response_at=now)
        ).rowcount
        if done:
            record_event(conn, user_id, item_id, "marked_answered", answered_by="tool")
