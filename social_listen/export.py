"""Export items as CSV or JSON Lines, one row per item, streamed (never all rows in memory)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Engine, select

from social_listen.db.engine import reading
from social_listen.db.tables import items, sources

FIELDS = (
    "platform", "external_id", "source", "kind", "parent_external_id", "thread_external_id", "author_name",
    "is_own", "text", "lang", "rating", "like_count", "url", "object_title", "object_url", "published_at",
    "status", "answered_at", "answered_by", "first_response_seconds", "sentiment_label", "sentiment_score",
    "negative", "intents", "priority", "priority_reasons", "tags",
)  # fmt: skip


def export_rows(
    engine: Engine, since: datetime | None = None, include_own: bool = True
) -> Iterator[dict[str, Any]]:
    """Every item (optionally published since ``since``) as a flat dict with FIELDS, oldest first."""
    query = (
        select(items, sources.c.name.label("source_name"))
        .join(sources, sources.c.id == items.c.source_id)
        .order_by(items.c.published_at, items.c.id)
    )
    if since is not None:
        query = query.where(items.c.published_at >= since)
    if not include_own:
        query = query.where(items.c.is_own.is_(False))
    with reading(engine) as conn:
        for row in conn.execution_options(stream_results=True, yield_per=2000).execute(query).mappings():
            yield _flat(row)


def _flat(row: Any) -> dict[str, Any]:
    answered, published = row["answered_at"], row["published_at"]
    seconds = int((answered - published).total_seconds()) if answered and published else None
    return {
        "platform": row["platform"], "external_id": row["external_id"], "source": row["source_name"],
        "kind": row["kind"], "parent_external_id": row["parent_external_id"],
        "thread_external_id": row["thread_external_id"], "author_name": row["author_name"],
        "is_own": bool(row["is_own"]), "text": row["text"], "lang": row["language"], "rating": row["rating"],
        "like_count": row["like_count"], "url": row["url"], "object_title": row["object_title"],
        "object_url": row["object_url"], "published_at": _iso(published), "status": row["status"],
        "answered_at": _iso(answered), "answered_by": row["answered_by"], "first_response_seconds": seconds,
        "sentiment_label": row["sentiment_label"], "sentiment_score": row["sentiment_score"],
        "negative": None if row["fast_reply"] is None else bool(row["fast_reply"]),  # the fast-reply flag
        "intents": row["intents"], "priority": row["priority"], "priority_reasons": row["priority_reasons"],
        "tags": ";".join(row["tags"] or []),
    }  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def write_export(rows: Iterator[dict[str, Any]], out: IO[str], fmt: str) -> int:
    """Write rows as ``csv`` or ``jsonl``; returns how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    else:
        raise ValueError(f"unknown export format {fmt!r}; use csv or jsonl")
    return count
