"""What `status` shows: per source, the last run, any pause, and item counts (computed in SQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from social_listen.db.engine import reading
from social_listen.db.tables import brands, items, sources
from social_listen.store import Store


def source_status(store: Store) -> list[dict[str, Any]]:
    """One dict per source: name, platform, brand, enabled, last run and status, items, open items, note."""
    counts = (
        select(
            items.c.source_id,
            func.count().label("n_items"),
            func.sum(case((items.c.status == "open", 1), else_=0)).label("n_open"),
        )
        .group_by(items.c.source_id)
        .subquery()
    )
    query = (
        select(sources, brands.c.name.label("brand"), counts.c.n_items, counts.c.n_open)
        .join(brands, brands.c.id == sources.c.brand_id)
        .outerjoin(counts, counts.c.source_id == sources.c.id)
        .order_by(sources.c.name)
    )
    with reading(store.engine) as conn:
        return [_row(r) for r in conn.execute(query).mappings()]


def _row(row: Any) -> dict[str, Any]:
    note = ""
    if row["paused_until"] is not None:
        note = f"paused until {row['paused_until']:%Y-%m-%d %H:%M} UTC: {row['paused_reason']}"
    elif row["last_status"] == "failed":
        note = row["last_error"] or ""
    elif row["lease_owner"]:
        note = f"collecting now ({row['lease_owner']})"
    return {
        "source": row["name"],
        "platform": row["platform"],
        "brand": row["brand"],
        "enabled": "yes" if row["enabled"] else "no",
        "last_run": f"{row['last_run_at']:%Y-%m-%d %H:%M}" if row["last_run_at"] else "never",
        "last_status": row["last_status"] or "",
        "items": row["n_items"] or 0,
        "open": row["n_open"] or 0,
        "note": note[:80],
    }
