"""What the demo store holds, counted in SQL, and a readable summary for the terminal."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from social_listen.db.engine import reading
from social_listen.db.tables import authors, events, items, notes, replies, saved_replies, users
from social_listen.store import Store


@dataclass
class DemoSummary:
    """Counts of the demo store: items per platform, status, language; replies, people, timings."""

    items: int = 0
    own_items: int = 0
    by_platform: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)  # customers' messages
    by_kind: dict[str, int] = field(default_factory=dict)
    answered_by: dict[str, int] = field(default_factory=dict)
    replies: dict[str, int] = field(default_factory=dict)
    ratings: dict[int, int] = field(default_factory=dict)
    never_answered_share: float = 0.0
    median_response_minutes: float | None = None
    distinct_text_share: float = 0.0
    users: list[str] = field(default_factory=list)
    saved_replies: int = 0
    notes: int = 0
    events: int = 0
    vip_authors: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    seconds: float = 0.0


def _counts(conn: Connection, column: Any, *where: Any) -> dict[str, int]:
    query = select(column, func.count()).where(*where).group_by(column).order_by(func.count().desc())
    return {str(key): int(str(n)) for key, n in conn.execute(query).tuples()}


def summarize(store: Store, seconds: float = 0.0) -> DemoSummary:
    """Count what the store holds (works on any store, not only the demo's)."""
    with reading(store.engine) as conn:
        summary = DemoSummary(
            items=int(conn.execute(select(func.count()).select_from(items)).scalar_one()),
            own_items=int(conn.execute(select(func.count()).where(items.c.is_own.is_(True))).scalar_one()),
            by_platform=_counts(conn, items.c.platform), by_status=_counts(conn, items.c.status),
            by_language=_counts(conn, func.coalesce(items.c.language, "?"), items.c.is_own.is_(False)), by_kind=_counts(conn, items.c.kind),
            answered_by=_counts(conn, items.c.answered_by, items.c.answered_by.is_not(None)),
            replies=_counts(conn, replies.c.status),
            ratings={int(float(k)): n for k, n in _counts(conn, items.c.rating, items.c.kind == "review").items()},
            users=_names(conn),
            saved_replies=_count(conn, saved_replies), notes=_count(conn, notes), events=_count(conn, events),
            vip_authors=_vips(conn),
            first_at=conn.execute(select(func.min(items.c.published_at))).scalar(),
            last_at=conn.execute(select(func.max(items.c.published_at))).scalar(), seconds=seconds,
        )  # fmt: skip
        _responsiveness(conn, summary)
    return summary


def _names(conn: Connection) -> list[str]:
    names: list[Any] = list(conn.execute(select(users.c.name).order_by(users.c.id)).scalars())
    return [str(n) for n in names]


def _vips(conn: Connection) -> int:
    tags: list[Any] = list(conn.execute(select(authors.c.tags)).scalars())
    return sum(1 for t in tags if "VIP" in (t or []))


def _count(conn: Connection, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _responsiveness(conn: Connection, summary: DemoSummary) -> None:
    """Share of customers' first messages never answered, median first response, distinct texts."""
    rows = conn.execute(
        select(items.c.status, items.c.published_at, items.c.answered_at)
        .where(items.c.is_own.is_(False), items.c.parent_external_id.is_(None), items.c.status != "ignored")
    ).all()  # fmt: skip
    if rows:
        summary.never_answered_share = sum(1 for r in rows if r.answered_at is None) / len(rows)
    minutes = [
        (r.answered_at - r.published_at).total_seconds() / 60 for r in rows if r.answered_at is not None
    ]
    summary.median_response_minutes = statistics.median(minutes) if minutes else None
    texts: list[str] = list(conn.execute(select(items.c.text)).scalars())
    summary.distinct_text_share = len(set(texts)) / len(texts) if texts else 0.0


def _line(title: str, counts: dict[str, int]) -> str:
    return f"  {title:<12} " + ", ".join(f"{key} {value:,}" for key, value in counts.items())


def format_summary(summary: DemoSummary) -> str:
    """The summary as a few aligned lines for the terminal."""
    period = ""
    if summary.first_at and summary.last_at:
        period = f" from {summary.first_at:%Y-%m-%d} to {summary.last_at:%Y-%m-%d %H:%M} UTC"
    lines = [f"Demo store: {summary.items:,} items ({summary.own_items:,} written by the shops){period}", "",
             "  Platform      Items"]  # fmt: skip
    width = max(summary.by_platform.values(), default=1)
    for platform, count in summary.by_platform.items():
        lines.append(f"  {platform:<14}{count:>5,}  {'█' * max(1, round(24 * count / width))}")
    lines += ["", _line("Status", summary.by_status), _line("Languages", summary.by_language) + " (customers)",
              _line("Kind", summary.by_kind), _line("Answered by", summary.answered_by),
              _line("Outbox", summary.replies)]  # fmt: skip
    stars = ", ".join(f"{k}★ {summary.ratings.get(k, 0):,}" for k in (5, 4, 3, 2, 1))
    lines.append(f"  {'Ratings':<12} {stars}")
    median = (
        f"{summary.median_response_minutes:,.0f} min" if summary.median_response_minutes is not None else "-"
    )
    lines += [
        f"  {'Responses':<12} median first response {median}; never answered {summary.never_answered_share:.0%}"
        f" of customers' first messages",
        f"  {'Team':<12} users {', '.join(summary.users)}; {summary.saved_replies} saved replies, "
        f"{summary.notes} notes, {summary.events:,} events, {summary.vip_authors} VIP accounts",
        f"  {'Texts':<12} {summary.distinct_text_share:.1%} distinct",
        "", "Log in with admin / admin-demo (admin), lucia or mateo / demo-1234 (agents), owner / demo-1234 (viewer).",
    ]  # fmt: skip
    if summary.seconds:
        lines.append(f"Built in {summary.seconds:.1f} s.")
    return "\n".join(lines)
