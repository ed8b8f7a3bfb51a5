"""Business-time response metrics and SLA standing, computed in Python over rows streamed from SQL.

Business time needs each brand's calendar (split shifts, holidays, daylight-saving changes), which SQL cannot
express on both databases, so these functions stream only the rows they need (the answered items of the period,
or the open items) in batches and keep one number per item. Statistics use the same definitions as the SQL
ones (median = middle value or mean of the two middle values; p90 = nearest rank).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select

from social_listen.db.engine import reading
from social_listen.db.tables import sources
from social_listen.metrics import DRILL_LIMIT, ResponseTimeRow, grouped_facts
from social_listen.metrics_sql import ResponseRules, Scope
from social_listen.sla import PlatformDeadline, SlaBook, SlaStatus, reply_window, source_pause

BATCH = 2000
SLA_OUTCOMES = ("met", "missed", "pending")
REPLY_WINDOW_WARNING = timedelta(hours=24)


def describe(values: Sequence[float]) -> dict[str, float | None]:
    """Mean, median, p90, fastest and slowest of ``values`` (all None when empty)."""
    if not values:
        return dict.fromkeys(("mean", "median", "p90", "fastest", "slowest"))
    ordered = sorted(values)
    n = len(ordered)
    median = (ordered[(n + 1) // 2 - 1] + ordered[(n + 2) // 2 - 1]) / 2
    p90 = ordered[math.ceil(0.9 * n) - 1]
    return {
        "mean": sum(ordered) / n,
        "median": median,
        "p90": p90,
        "fastest": ordered[0],
        "slowest": ordered[-1],
    }


def _stream(conn: Connection, query: Any) -> Iterator[Any]:
    yield from conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)


def _rows(
    conn: Connection,
    scope: Scope,
    dimension: str,
    rules: ResponseRules,
    dated: bool = True,
    waiting: bool = False,
) -> Any:
    return grouped_facts(conn, scope, dimension, rules, dated, waiting=waiting).subquery("g")


def business_response_times(
    engine: Engine,
    book: SlaBook,
    scope: Scope = Scope(),
    dimension: str = "all",
    rules: ResponseRules = ResponseRules(),
) -> list[ResponseTimeRow]:
    """First response time in business time (each brand's calendar) per group."""
    values: dict[str, list[float]] = defaultdict(list)
    with reading(engine) as conn:
        g = _rows(conn, scope, dimension, rules)
        query = select(g.c.grp, g.c.brand, g.c.platform, g.c.published_at, g.c.first_response_at).where(
            g.c.first_response_at.is_not(None)
        )
        for row in _stream(conn, query):
            calendar = book.policy(row.brand, row.platform).calendar
            values[str(row.grp)].append(
                calendar.business_time(row.published_at, row.first_response_at).total_seconds()
            )
    return [_time_row(dimension, group, found) for group, found in sorted(values.items())]


def _time_row(dimension: str, group: str, values: list[float]) -> ResponseTimeRow:
    stats = {k: (None if v is None else round(v, 1)) for k, v in describe(values).items()}
    return ResponseTimeRow(dimension, group, "business", len(values), **stats)


def business_time_items(
    engine: Engine,
    book: SlaBook,
    scope: Scope = Scope(),
    dimension: str = "all",
    group: str | None = None,
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Why that business response time: the answered items with both clocks, fastest (business) first."""
    found: list[dict[str, Any]] = []
    with reading(engine) as conn:
        g = _rows(conn, scope, dimension, rules)
        query = select(
            g.c.id, g.c.grp, g.c.brand, g.c.platform, g.c.published_at, g.c.first_response_at
        ).where(g.c.first_response_at.is_not(None))
        for row in _stream(conn, query):
            if group is None or str(row.grp) == group:
                found.append(_both_clocks(book, row))
    return sorted(found, key=lambda r: (r["business_seconds"], r["id"]))[:DRILL_LIMIT]


def _both_clocks(book: SlaBook, row: Any) -> dict[str, Any]:
    policy = book.policy(row.brand, row.platform)
    start, end = row.published_at, row.first_response_at
    return {
        "id": row.id, "brand": row.brand, "platform": row.platform, "published_at": start,
        "first_response_at": end, "calendar_seconds": round((end - start).total_seconds(), 1),
        "business_seconds": round(policy.calendar.business_time(start, end).total_seconds(), 1),
        "due_at": policy.due_at(start), "within_sla": policy.met(start, end),
    }  # fmt: skip


# -- share answered within the SLA --------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaComplianceRow:
    """Of the group's items published in the period: answered within the target, late, or not yet due."""

    dimension: str
    group: str
    met: int
    missed: int
    pending: int
    share_met: float | None

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data."""
        return asdict(self)


def sla_outcome(book: SlaBook, row: Any, now: datetime) -> str:
    """met (answered by the due time), missed (answered late, or unanswered past it) or pending."""
    policy = book.policy(row.brand, row.platform)
    due = policy.due_at(row.published_at)
    if row.first_response_at is not None:
        return "met" if row.first_response_at <= due else "missed"
    return "missed" if now > due else "pending"


def _outcomes(
    engine: Engine, book: SlaBook, scope: Scope, now: datetime, dimension: str, rules: ResponseRules
) -> Iterator[tuple[Any, str]]:
    with reading(engine) as conn:
        g = _rows(conn, scope, dimension, rules)
        query = select(g.c.id, g.c.grp, g.c.brand, g.c.platform, g.c.published_at, g.c.first_response_at)
        for row in _stream(conn, query.order_by(g.c.published_at, g.c.id)):
            yield row, sla_outcome(book, row, now)


def sla_compliance(
    engine: Engine,
    book: SlaBook,
    now: datetime,
    scope: Scope = Scope(),
    dimension: str = "all",
    rules: ResponseRules = ResponseRules(),
) -> list[SlaComplianceRow]:
    """Share answered within the SLA (met ÷ (met + missed)) per group; pending items are not counted yet."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SLA_OUTCOMES, 0))
    for row, outcome in _outcomes(engine, book, scope, now, dimension, rules):
        counts[str(row.grp)][outcome] += 1
    return [_compliance_row(dimension, group, c) for group, c in sorted(counts.items())]


def _compliance_row(dimension: str, group: str, c: dict[str, int]) -> SlaComplianceRow:
    decided = c["met"] + c["missed"]
    share = round(c["met"] / decided, 4) if decided else None
    return SlaComplianceRow(dimension, group, c["met"], c["missed"], c["pending"], share)


def sla_compliance_items(
    engine: Engine,
    book: SlaBook,
    now: datetime,
    outcome: str,
    scope: Scope = Scope(),
    dimension: str = "all",
    group: str | None = None,
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Why that share: the items of the group with this outcome (met, missed or pending)."""
    if outcome not in SLA_OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(SLA_OUTCOMES)}")
    found: list[dict[str, Any]] = []
    for row, result in _outcomes(engine, book, scope, now, dimension, rules):
        if result == outcome and (group is None or str(row.grp) == group) and len(found) < DRILL_LIMIT:
            found.append({"id": row.id, "brand": row.brand, "platform": row.platform,
                          "published_at": row.published_at, "first_response_at": row.first_response_at,
                          "due_at": book.policy(row.brand, row.platform).due_at(row.published_at)})  # fmt: skip
    return found


# -- open items: SLA state and platform deadlines --------------------------------------------------------------


@dataclass(frozen=True)
class OpenItemSla:
    """An item still waiting for its first response, with its SLA status and any platform deadline."""

    item_id: int
    brand: str
    platform: str
    published_at: datetime
    sla: SlaStatus
    deadline: PlatformDeadline | None
    group: str = "all"


def open_item_slas(
    engine: Engine,
    book: SlaBook,
    now: datetime,
    scope: Scope = Scope(),
    dimension: str = "all",
    rules: ResponseRules = ResponseRules(),
    warn: timedelta = REPLY_WINDOW_WARNING,
) -> Iterator[OpenItemSla]:
    """Every waiting item (any publication date) with ok / at_risk / breached and its reply window."""
    with reading(engine) as conn:
        g = _rows(conn, scope, dimension, rules, dated=False, waiting=True)
        query = select(
            g.c.id, g.c.grp, g.c.brand, g.c.platform, g.c.published_at, g.c.reply_deadline_at
        ).order_by(g.c.published_at, g.c.id)
        for row in _stream(conn, query):
            status = book.policy(row.brand, row.platform).status(row.published_at, now)
            deadline = reply_window(row.reply_deadline_at, now, warn)
            yield OpenItemSla(
                row.id, row.brand, row.platform, row.published_at, status, deadline, str(row.grp)
            )


def backlog_by_sla(
    engine: Engine,
    book: SlaBook,
    now: datetime,
    scope: Scope = Scope(),
    dimension: str = "all",
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Waiting items per group: ok, at_risk, breached, and reply windows closing or expired."""
    keys = ("ok", "at_risk", "breached", "window_closing", "window_expired")
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for entry in open_item_slas(engine, book, now, scope, dimension, rules):
        counts[entry.group][entry.sla.state] += 1
        if entry.deadline is not None and entry.deadline.state in ("closing", "expired"):
            counts[entry.group][f"window_{entry.deadline.state}"] += 1
    return [{"group": group, **c} for group, c in sorted(counts.items())]


def backlog_sla_items(
    engine: Engine,
    book: SlaBook,
    now: datetime,
    state: str,
    scope: Scope = Scope(),
    dimension: str = "all",
    group: str | None = None,
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Why that count: waiting items in an SLA ``state`` (or ``window_closing``/``window_expired``)."""
    found: list[dict[str, Any]] = []
    for entry in open_item_slas(engine, book, now, scope, dimension, rules):
        window = f"window_{entry.deadline.state}" if entry.deadline else ""
        if state in (entry.sla.state, window) and (group is None or entry.group == group):
            found.append({"id": entry.item_id, "brand": entry.brand, "platform": entry.platform,
                          "published_at": entry.published_at, "state": entry.sla.state,
                          "due_at": entry.sla.due_at, "reply_deadline_at": entry.deadline.at if entry.deadline else None})  # fmt: skip
        if len(found) >= DRILL_LIMIT:
            break
    return found


def source_deadlines(engine: Engine, now: datetime) -> list[dict[str, Any]]:
    """Sources paused by their platform right now (quota exhausted or rate limited), with until when."""
    query = select(sources.c.name, sources.c.platform, sources.c.paused_until, sources.c.paused_reason).where(
        sources.c.paused_until.is_not(None), sources.c.paused_until > now
    )
    with reading(engine) as conn:
        rows: list[Any] = list(conn.execute(query).all())
    found = []
    for row in rows:
        deadline = source_pause(row.platform, row.paused_until, row.paused_reason, now)
        if deadline is not None:
            found.append({"source": row.name, "platform": row.platform, "kind": deadline.kind,
                          "until": row.paused_until, "reason": deadline.detail})  # fmt: skip
    return found
