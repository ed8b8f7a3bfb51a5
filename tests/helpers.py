"""Small builders shared by tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from social_listen.model import Author, Item

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def comment(external_id: str, minutes: int = 0, text: str | None = None, **fields: Any) -> Item:
    """A customer comment on YouTube-like threads, ``minutes`` after T0."""
    defaults: dict[str, Any] = {
        "platform": "youtube",
        "external_id": external_id,
        "text": text or f"¿Cuándo llega el pedido {external_id}?",
        "published_at": T0 + timedelta(minutes=minutes),
        "author": Author(external_id=f"user-{external_id}", name=f"Cliente {external_id}"),
        "thread_external_id": external_id,
    }
    defaults.update(fields)
    return Item(**defaults)


def brand_reply(external_id: str, parent: str, minutes: int, text: str = "¡Gracias! Te escribimos por privado.",
                thread: str | None = None, platform: str = "youtube") -> Item:  # fmt: skip
    """A reply written by the brand itself."""
    return Item(
        platform=platform, external_id=external_id, text=text, published_at=T0 + timedelta(minutes=minutes),
        kind="reply", author=Author(external_id="brand", name="Tienda Luna"), is_own=True,
        parent_external_id=parent, thread_external_id=thread or parent,
    )  # fmt: skip
