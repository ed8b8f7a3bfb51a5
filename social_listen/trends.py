"""Trends: volume, sentiment, negative share and average rating over time; day × hour heatmap; reputation score.

SQL groups the items by brand, UTC hour and the chosen dimension (at most hours × groups rows, however many
items there are); Python then folds each UTC hour into the brand's local day or week, so a Madrid shop's day
runs midnight to midnight in Madrid. Zones with a half-hour offset are folded by the hour's start (an item in
the half hour around local midnight may land on the neighbouring day). Spam (ignored items) is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, and_, case, func, literal, or_, select

from social_listen.db.engine import reading
from social_listen.db.tables import brands, items
from social_listen.metrics import DRILL_LIMIT, response_rates, response_times
from social_listen.metrics_sql import ALL, NO_INTENT, ResponseRules, Scope, intent_condition, utc_hour
from social_listen.sla import SlaBook

TREND_DIMENSIONS = ("all", "brand", "platform", "intent")
BUCKETS = ("day", "week")
SENTIMENTS = ("pos", "neu", "neg")


@dataclass
class TrendRow:
    """Incoming items of one group in one day or week (the week starts on Monday)."""

    period: date
    group: str
    total: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    rating_sum: float = 0.0
    rating_count: int = 0

    @property
    def unscored(self) -> int:
        """Items without a sentiment yet (not triaged, or too short to tell)."""
        return self.total - self.positive - self.neutral - self.negative

    @property
    def negative_share(self) -> float | None:
        """Negatives ÷ items with a sentiment."""
        scored = self.positive + self.neutral + self.negative
        return round(self.negative / scored, 4) if scored else None

    @property
    def average_rating(self) -> float | None:
        """Mean star rating of the rated items (reviews)."""
        return round(self.rating_sum / self.rating_count, 2) if self.rating_count else None

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data, with the derived figures."""
        data = asdict(self)
        data.update(
            unscored=self.unscored, negative_share=self.negative_share, average_rating=self.average_rating
        )
        return data


def _zones(conn: Connection) -> dict[int, ZoneInfo]:
    rows: list[Any] = list(conn.execute(select(brands.c.id, brands.c.timezone)).all())
    return {int(row.id): ZoneInfo(str(row.timezone or "UTC")) for row in rows}


def _group_expression(dimension: str) -> Any:
    if dimension not in TREND_DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(TREND_DIMENSIONS)}, not {dimension!r}")
    return {"all": literal(ALL), "brand": brands.c.name, "platform": items.c.platform,
            "intent": func.coalesce(items.c.intents, "")}[dimension]  # fmt: skip


def _incoming(scope: Scope) -> list[Any]:
    return [items.c.is_own.is_(False), items.c.status != "ignored", *scope.conditions()]


def _hourly(conn: Connection, scope: Scope, dimension: str) -> Iterable[Any]:
    grp, hour = _group_expression(dimension).label("grp"), utc_hour(items.c.published_at).label("hour")
    sentiment = items.c.sentiment_label
    query = (
        select(
            items.c.brand_id, grp, hour, func.count().label("total"),
            *(func.sum(case((sentiment == s, 1), else_=0)).label(s) for s in SENTIMENTS),
            func.sum(items.c.rating).label("rating_sum"), func.count(items.c.rating).label("rating_count"),
        )
        .select_from(items.join(brands, brands.c.id == items.c.brand_id))
        .where(*_incoming(scope))
        .group_by(items.c.brand_id, grp, hour)
    )  # fmt: skip
    return conn.execute(query).all()


def _local(hour_text: str, zone: ZoneInfo) -> datetime:
    return datetime.strptime(hour_text, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(zone)


def period_start(day: date, bucket: str) -> date:
    """The day itself, or the Monday of its week."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be day or week, not {bucket!r}")
    return day if bucket == "day" else day - timedelta(days=day.weekday())


def _groups(dimension: str, value: Any) -> list[str]:
    if dimension != "intent":
        return [str(value)]
    return [part for part in str(value or "").split(";") if part] or [NO_INTENT]


def volume_trend(
    engine: Engine, scope: Scope = Scope(), bucket: str = "day", dimension: str = "all"
) -> list[TrendRow]:
    """Items, sentiment counts, negative share and average rating per local day or week and group."""
    with reading(engine) as conn:
        zones, rows = _zones(conn), _hourly(conn, scope, dimension)
    trend: dict[tuple[date, str], TrendRow] = {}
    for row in rows:
        start = period_start(_local(row.hour, zones[row.brand_id]).date(), bucket)
        for group in _groups(dimension, row.grp):
            entry = trend.setdefault((start, group), TrendRow(start, group))
            entry.total += int(row.total)
            entry.positive, entry.neutral = (
                entry.positive + int(row.pos or 0),
                entry.neutral + int(row.neu or 0),
            )
            entry.negative += int(row.neg or 0)
            entry.rating_sum += float(row.rating_sum or 0.0)
            entry.rating_count += int(row.rating_count or 0)
    return [trend[key] for key in sorted(trend)]


def heatmap(engine: Engine, scope: Scope = Scope()) -> list[dict[str, int]]:
    """Incoming items per local weekday (0 = Monday) and hour: all 7 × 24 cells, zeros included."""
    with reading(engine) as conn:
        zones, rows = _zones(conn), _hourly(conn, scope, "all")
    cells: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        local = _local(row.hour, zones[row.brand_id])
        cells[(local.weekday(), local.hour)] += int(row.total)
    return [{"weekday": d, "hour": h, "count": cells[(d, h)]} for d in range(7) for h in range(24)]


def _local_range(day: date, days: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0)).replace(tzinfo=zone)
    end = datetime.combine(day + timedelta(days=days), time(0)).replace(tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def trend_items(
    engine: Engine,
    period: date,
    scope: Scope = Scope(),
    bucket: str = "day",
    dimension: str = "all",
    group: str | None = None,
) -> list[dict[str, Any]]:
    """Why that point of the trend: the items of one local day or week (and group), oldest first."""
    length = 1 if bucket == "day" else 7
    with reading(engine) as conn:
        zones = _zones(conn)
        in_period = or_(*(
            and_(items.c.brand_id == brand_id, items.c.published_at >= lo, items.c.published_at < hi)
            for brand_id, zone in zones.items()
            for lo, hi in [_local_range(period_start(period, bucket), length, zone)]
        ))  # fmt: skip
        query = _drill_query(scope, dimension, group).where(in_period)
        return [dict(r) for r in conn.execute(query).mappings()]


def _drill_query(scope: Scope, dimension: str, group: str | None) -> Any:
    query = (
        select(items.c.id, items.c.brand_id, brands.c.name.label("brand"), items.c.platform, items.c.published_at,
               items.c.sentiment_label, items.c.rating, items.c.intents)
        .select_from(items.join(brands, brands.c.id == items.c.brand_id))
        .where(*_incoming(scope))
        .order_by(items.c.published_at, items.c.id)
        .limit(DRILL_LIMIT)
    )  # fmt: skip
    if group is None or dimension == "all":
        return query
    if dimension == "intent":
        return query.where(intent_condition(items.c.intents, group))
    return query.where(_group_expression(dimension) == group)


def heatmap_items(engine: Engine, weekday: int, hour: int, scope: Scope = Scope()) -> list[dict[str, Any]]:
    """Why that heatmap cell: the items published on that local weekday and hour (streamed, filtered here)."""
    found: list[dict[str, Any]] = []
    with reading(engine) as conn:
        zones = _zones(conn)
        query = _drill_query(scope, "all", None).limit(None)
        for row in conn.execution_options(stream_results=True, yield_per=2000).execute(query).mappings():
            local = row["published_at"].astimezone(zones[row["brand_id"]])
            if (local.weekday(), local.hour) == (weekday, hour):
                found.append(dict(row))
            if len(found) >= DRILL_LIMIT:
                break
    return found


# -- reputation score --------------------------------------------------------------------------------------

REPUTATION_WEIGHTS = {"rating": 35, "response_rate": 25, "response_time": 15, "negative_share": 25}
REPUTATION_FORMULA = (
    "score = 100 × Σ(weight × component) ÷ Σ(weights of the components that have data). Components, each 0–1: "
    "rating = (average stars − 1) ÷ 4; response rate = cohort response rate; response time = 1 while the median "
    "first response (calendar time) is within the brand's target, falling linearly to 0 at 4 × the target; "
    "negative share = 1 − negatives ÷ items with a sentiment. Weights: rating 35, response rate 25, "
    "response time 15, negative share 25. Bands: 0–45 red, 46–75 yellow, 76–100 green."
)


@dataclass(frozen=True)
class Component:
    """One part of the reputation score: the raw figure, its 0–1 score and its weight."""

    name: str
    value: float | None
    score: float | None
    weight: int
    explanation: str


@dataclass(frozen=True)
class Reputation:
    """A brand's reputation score 0–100 for a period, with its components and the formula."""

    brand: str
    score: int | None
    band: str
    components: list[Component] = field(default_factory=list)
    formula: str = REPUTATION_FORMULA

    def as_dict(self) -> dict[str, Any]:
        """The score as plain data."""
        return asdict(self)


def band(score: int | None) -> str:
    """red (0–45), yellow (46–75) or green (76–100), as Birdeye shows its 0–100 score."""
    if score is None:
        return "none"
    return "red" if score <= 45 else "yellow" if score <= 75 else "green"


def speed_score(median_seconds: float | None, target: timedelta) -> float | None:
    """1 within the target, falling linearly to 0 at four times the target."""
    if median_seconds is None:
        return None
    ratio = median_seconds / target.total_seconds()
    return round(min(1.0, max(0.0, 1.0 - (ratio - 1.0) / 3.0)), 4)


def reputation(
    engine: Engine, brand: str, book: SlaBook, scope: Scope = Scope(), rules: ResponseRules = ResponseRules()
) -> Reputation:
    """The brand's reputation score over the scope's period, with each component shown."""
    mine = Scope(scope.since, scope.until, (brand,), scope.platforms, scope.sources)
    rows = volume_trend(engine, mine, "week", "all")
    stars = _ratio(sum(r.rating_sum for r in rows), sum(r.rating_count for r in rows))
    scored = sum(r.positive + r.neutral + r.negative for r in rows)
    negatives = _ratio(sum(r.negative for r in rows), scored)
    rate = next((r.cohort_rate for r in response_rates(engine, mine, "all", rules)), None)
    median = next((r.median for r in response_times(engine, mine, "all", rules)), None)
    target = book.policy(brand).target
    components = [
        Component("rating", stars, None if stars is None else round((stars - 1) / 4, 4),
                  REPUTATION_WEIGHTS["rating"], "average stars of rated items"),
        Component("response_rate", rate, rate, REPUTATION_WEIGHTS["response_rate"], "cohort response rate"),
        Component("response_time", median, speed_score(median, target), REPUTATION_WEIGHTS["response_time"],
                  f"median first response in seconds (target {int(target.total_seconds())} s)"),
        Component("negative_share", negatives, None if negatives is None else round(1 - negatives, 4),
                  REPUTATION_WEIGHTS["negative_share"], "negatives ÷ items with a sentiment"),
    ]  # fmt: skip
    score = _weighted(components)
    return Reputation(brand, score, band(score), components)


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _weighted(components: list[Component]) -> int | None:
    present = [c for c in components if c.score is not None]
    weights = sum(c.weight for c in present)
    if not weights:
        return None
    return round(100 * sum(c.weight * (c.score or 0.0) for c in present) / weights)
