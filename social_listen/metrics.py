"""Responsiveness metrics computed in SQL: first response time, response rates, backlog by age.

Every number has a drill-down (the ``*_items`` functions) listing the items behind it. Definitions are in
``metrics_sql``'s docstring. Business-time figures and SLA shares are in ``metrics_business``.

Conventions (labelled wherever they are shown):
- response times and the *cohort* response rate cover items **published** in the period, whenever answered;
- the *activity* rate counts first responses **made** in the period, over items received in the period
  (it can pass 100 % when old items are answered).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from social_listen.db.engine import reading
from social_listen.db.tables import items
from social_listen.metrics_sql import (
    ResponseRules,
    Scope,
    distinct_intents,
    grouped,
    only_group,
    response_facts,
    rules_are_stored,
    summary,
    with_seconds,
)

EXCERPT = 200
DRILL_LIMIT = 1000
COHORT_LABEL = "cohort: items published in the period that were ever answered"
ACTIVITY_LABEL = "activity: first responses made in the period ÷ items received in the period"
AGE_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("<1h", timedelta(hours=1)),
    ("1-4h", timedelta(hours=4)),
    ("4-24h", timedelta(hours=24)),
    ("1-3d", timedelta(days=3)),
    ("3-7d", timedelta(days=7)),
    (">7d", None),
)


@dataclass(frozen=True)
class ResponseTimeRow:
    """First response time statistics of one group, in seconds."""

    dimension: str
    group: str
    clock: str  # "calendar" or "business"
    answered: int
    mean: float | None
    median: float | None
    p90: float | None
    fastest: float | None
    slowest: float | None

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data."""
        return asdict(self)


@dataclass(frozen=True)
class ResponseRateRow:
    """Response rate of one group in both conventions."""

    dimension: str
    group: str
    received: int
    answered: int
    cohort_rate: float | None
    responses_in_period: int
    activity_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data."""
        return asdict(self)


def _rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def grouped_facts(
    conn: Connection,
    scope: Scope,
    dimension: str,
    rules: ResponseRules,
    dated: bool = True,
    responded: Scope | None = None,
    waiting: bool = False,
    where: Sequence[ColumnElement[bool]] = (),
) -> Any:
    """The items needing a response in scope, with a ``grp`` column for ``dimension`` (a SELECT); with
    ``responded``, only those first answered in its date range. Reads the stored first responses when they
    were computed with ``rules`` (the config's), else computes them."""
    stored = rules_are_stored(conn, rules)
    facts = response_facts(rules, scope, dimension == "agent", dated, stored, responded, waiting, where)
    intents = distinct_intents(conn, scope) if dimension == "intent" else ()
    return grouped(facts, dimension, intents)


def response_times(
    engine: Engine, scope: Scope = Scope(), dimension: str = "all", rules: ResponseRules = ResponseRules()
) -> list[ResponseTimeRow]:
    """First response time (calendar time) per group: count, mean, median, p90, fastest, slowest."""
    with reading(engine) as conn:
        g = grouped_facts(conn, scope, dimension, rules).subquery("g")
        values = select(g.c.grp, with_seconds(g).label("v")).where(g.c.first_response_at.is_not(None))
        query = summary(values.subquery("vals")).order_by("grp")
        return [
            ResponseTimeRow(dimension, str(r.grp), "calendar", int(r.n), _rounded(r.mean),
                            _rounded(r.median), _rounded(r.p90), _rounded(r.min), _rounded(r.max))
            for r in conn.execute(query)
        ]  # fmt: skip


def response_time_items(
    engine: Engine,
    scope: Scope = Scope(),
    dimension: str = "all",
    group: str | None = None,
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Why that response time: the answered items of the group, fastest first, with their times."""
    with reading(engine) as conn:
        g = only_group(grouped_facts(conn, scope, dimension, rules), group).subquery("g")
        query = (
            select(g.c.id, g.c.brand, g.c.platform, g.c.published_at, g.c.first_response_at, g.c.answered_by,
                   with_seconds(g).label("seconds"))
            .where(g.c.first_response_at.is_not(None))
            .order_by("seconds", g.c.id)
            .limit(DRILL_LIMIT)
        )  # fmt: skip
        return [{**r, "seconds": _rounded(r["seconds"])} for r in conn.execute(query).mappings()]


def response_rates(
    engine: Engine, scope: Scope = Scope(), dimension: str = "all", rules: ResponseRules = ResponseRules()
) -> list[ResponseRateRow]:
    """Cohort and activity response rates per group (see the module docstring for both conventions)."""
    with reading(engine) as conn:
        g = grouped_facts(conn, scope, dimension, rules).subquery("g")
        cohort = select(
            g.c.grp, func.count().label("received"),
            func.sum(case((g.c.first_response_at.is_not(None), 1), else_=0)).label("answered"),
        ).group_by(g.c.grp)  # fmt: skip
        received = {str(r.grp): (int(r.received), int(r.answered or 0)) for r in conn.execute(cohort)}
        activity = _responses_made(conn, scope, dimension, rules)
    return [
        _rate_row(dimension, group, *received.get(group, (0, 0)), activity.get(group, 0))
        for group in sorted(set(received) | set(activity))
    ]


def _responses_made(conn: Connection, scope: Scope, dimension: str, rules: ResponseRules) -> dict[str, int]:
    g = grouped_facts(conn, Scope(None, None, *_filters(scope)), dimension, rules, responded=scope)
    query = select(g.subquery("g").c.grp, func.count().label("n")).group_by("grp")
    return {str(r.grp): int(r.n) for r in conn.execute(query)}


def _filters(scope: Scope) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return scope.brands, scope.platforms, scope.sources


def _rate_row(dimension: str, group: str, received: int, answered: int, made: int) -> ResponseRateRow:
    cohort = round(answered / received, 4) if received else None
    activity = round(made / received, 4) if received else None
    return ResponseRateRow(dimension, group, received, answered, cohort, made, activity)


def response_rate_items(
    engine: Engine,
    scope: Scope = Scope(),
    which: str = "unanswered",
    dimension: str = "all",
    group: str | None = None,
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Why that rate: ``received``, ``answered`` or ``unanswered`` items of the period, or ``responses``
    (items whose first response was made in the period)."""
    if which not in ("received", "answered", "unanswered", "responses"):
        raise ValueError("which must be received, answered, unanswered or responses")
    with reading(engine) as conn:
        if which == "responses":
            facts = grouped_facts(
                conn, Scope(None, None, *_filters(scope)), dimension, rules, responded=scope
            )
        else:
            facts = grouped_facts(conn, scope, dimension, rules)
        g = only_group(facts, group).subquery("g")
        answered = g.c.first_response_at.is_not(None)
        choices: dict[str, list[Any]] = {
            "received": [], "answered": [answered], "unanswered": [g.c.first_response_at.is_(None)],
            "responses": [],
        }  # fmt: skip
        where = choices[which]
        query = (
            select(g.c.id, g.c.brand, g.c.platform, g.c.published_at, g.c.first_response_at, g.c.answered_by)
            .where(*where)
            .order_by(g.c.published_at, g.c.id)
            .limit(DRILL_LIMIT)
        )
        return [dict(r) for r in conn.execute(query).mappings()]


# -- backlog ------------------------------------------------------------------------------------------------


def _age_bucket(published: Any, now: datetime) -> Any:
    whens = [(published > now - limit, label) for label, limit in AGE_BUCKETS if limit is not None]
    return case(*whens, else_=AGE_BUCKETS[-1][0])


def _backlog(
    conn: Connection, scope: Scope, dimension: str, rules: ResponseRules, *where: ColumnElement[bool]
) -> Any:
    """Items still waiting for a first response now (any publication date), grouped by ``dimension``."""
    return grouped_facts(conn, scope, dimension, rules, dated=False, waiting=True, where=where).subquery("g")


def backlog_by_age(
    engine: Engine,
    now: datetime,
    scope: Scope = Scope(),
    dimension: str = "all",
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Open items by age bucket (<1h ... >7d) per group; the scope's dates are ignored (backlog is now)."""
    oldest = AGE_BUCKETS[-1][0]
    week = now - max(limit for _, limit in AGE_BUCKETS if limit is not None)
    with reading(engine) as conn:
        # The recent buckets from a CASE over the last week; the oldest (most of a big backlog) is a plain
        # count, which the database answers from the index without evaluating anything per row.
        recent = _backlog(conn, scope, dimension, rules, items.c.published_at > week)
        bucket = _age_bucket(recent.c.published_at, now).label("bucket")
        counts = {
            (str(r.grp), str(r.bucket)): int(r.n)
            for r in conn.execute(
                select(recent.c.grp, bucket, func.count().label("n")).group_by(recent.c.grp, bucket)
            )
        }
        old = _backlog(conn, scope, dimension, rules, items.c.published_at <= week)
        for r in conn.execute(select(old.c.grp, func.count().label("n")).group_by(old.c.grp)):
            counts[(str(r.grp), oldest)] = int(r.n)
    groups = sorted({grp for grp, _ in counts})
    return [
        {"group": grp, "bucket": label, "count": counts.get((grp, label), 0)}
        for grp in groups
        for label, _ in AGE_BUCKETS
    ]


def backlog_items(
    engine: Engine,
    now: datetime,
    scope: Scope = Scope(),
    bucket: str | None = None,
    dimension: str = "all",
    group: str | None = None,
    rules: ResponseRules = ResponseRules(),
) -> list[dict[str, Any]]:
    """Why that backlog count: the waiting items (of one age bucket and group), oldest first."""
    with reading(engine) as conn:
        g = _backlog(conn, scope, dimension, rules)
        age = _age_bucket(g.c.published_at, now)
        query = select(g.c.id, g.c.brand, g.c.platform, g.c.published_at, age.label("bucket"))
        if bucket is not None:
            query = query.where(age == bucket)
        if group is not None:
            query = query.where(g.c.grp == group)
        query = query.order_by(g.c.published_at, g.c.id).limit(DRILL_LIMIT)
        return [dict(r) for r in conn.execute(query).mappings()]


def item_excerpts(engine: Engine, item_ids: list[int]) -> dict[int, str]:
    """The first characters of each item's text (for drill-down tables)."""
    if not item_ids:
        return {}
    query = select(items.c.id, func.substr(items.c.text, 1, EXCERPT)).where(
        items.c.id.in_(item_ids[:DRILL_LIMIT])
    )
    with reading(engine) as conn:
        return {int(row[0]): str(row[1] or "") for row in conn.execute(query).all()}
