"""Moderation on the platform: hide or unhide a comment (spam, insults, personal data) where the API allows
it — Facebook Pages and Instagram. The platform is changed first; the item's ``hidden`` tag and an event
record who did it and when only once the platform said yes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine, select, update

from social_listen.db.engine import reading
from social_listen.db.tables import items, sources
from social_listen.errors import SocialListenError
from social_listen.inbox_actions import record_event
from social_listen.users import require

HIDDEN_TAG = "hidden"


class Moderator(Protocol):
    """What a platform publisher offers for moderation."""

    def hide_comment(self, comment_id: str, hidden: bool = True) -> bool: ...


# The source's name -> its moderator; raises when the platform cannot hide comments through its API.
ModeratorFor = Callable[[str], Moderator]


def set_hidden(
    engine: Engine, user_id: int | None, item_id: int, hidden: bool, moderator_for: ModeratorFor
) -> bool:
    """Hide (``hidden=True``) or unhide a customer's comment on its platform; returns False when it already was.

    ``user_id`` None is the command line (an operator with shell access); a dashboard user needs the
    ``status`` permission (agents and admins)."""
    if user_id is not None:
        require(engine, user_id, "status")
    item = _item(engine, item_id)
    tags = list(item["tags"] or [])
    if (HIDDEN_TAG in tags) == hidden:
        return False
    moderator = moderator_for(item["source"])
    if not moderator.hide_comment(item["external_id"], hidden):
        verb = "hide" if hidden else "unhide"
        raise SocialListenError(f"{item['platform']} did not {verb} comment {item['external_id']}")
    tags = [*tags, HIDDEN_TAG] if hidden else [t for t in tags if t != HIDDEN_TAG]
    with engine.begin() as conn:
        conn.execute(update(items).where(items.c.id == item_id).values(tags=tags))
        record_event(conn, user_id, item_id, "hidden" if hidden else "unhidden", platform=item["platform"])
    return True


def _item(engine: Engine, item_id: int) -> dict[str, Any]:
    query = (
        select(items.c.id, items.c.platform, items.c.external_id, items.c.is_own, items.c.tags,
               sources.c.name.label("source"))
        .join(sources, sources.c.id == items.c.source_id)
        .where(items.c.id == item_id)
    )  # fmt: skip
    with reading(engine) as conn:
        row = conn.execute(query).mappings().first()
    if row is None or row["is_own"]:
        raise SocialListenError(f"no customer comment {item_id} to moderate")
    return dict(row)
