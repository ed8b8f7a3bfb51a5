"""The alert rules: each looks at the store and returns the alerts it wants; `alerts` decides each one once.

Rules that report items (new negatives, SLA at risk / breached, closing reply windows) group every new item of
a brand into one alert, at most one per cooldown (items arriving meanwhile wait for the next alert), and never
repeat an item. Only recent events are news (``alerts.rules.lookback``), so a first run on old data stays quiet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, and_, func, or_, select

from social_listen import alerts_text as text
from social_listen.alerts_outbox import AlertDecision, last_decided, previously_alerted
from social_listen.config import AlertRulesConfig, BrandConfig, Config
from social_listen.db.engine import reading
from social_listen.db.tables import brands, items, runs, sources
from social_listen.metrics import response_times
from social_listen.metrics_business import open_item_slas
from social_listen.metrics_sql import ResponseRules, Scope
from social_listen.sla import SlaBook, parse_duration, source_pause

MEMORY = timedelta(days=30)  # how far back "already alerted about this item" is looked up


@dataclass(frozen=True)
class RuleContext:
    """What every rule needs: the store, the config, the clock and the SLA policies."""

    engine: Engine
    config: Config
    now: datetime
    book: SlaBook
    responses: ResponseRules

    @classmethod
    def build(cls, engine: Engine, config: Config, now: datetime) -> RuleContext:
        """A context with policies from the config."""
        return cls(engine, config, now, SlaBook.from_config(config), ResponseRules.from_config(config))

    @property
    def settings(self) -> AlertRulesConfig:
        """The rule switches and thresholds."""
        return self.config.alerts.rules

    @property
    def lookback(self) -> timedelta:
        """Events older than this are not news."""
        return parse_duration(self.settings.lookback)

    def cooldown(self, name: str) -> timedelta:
        """A cooldown from ``alerts.cooldowns``."""
        return parse_duration(getattr(self.config.alerts.cooldowns, name))


def _brand_scope(brand: BrandConfig) -> Scope:
    return Scope(brands=(brand.name,))


def _lang(brand: BrandConfig) -> str:
    return text.language_of(brand.languages)


def _item_rows(engine: Engine, ids: Sequence[int]) -> list[Any]:
    query = (
        select(items.c.id, items.c.platform, items.c.author_name, items.c.text, items.c.url)
        .where(items.c.id.in_(list(ids)))
        .order_by(items.c.published_at, items.c.id)
    )
    with reading(engine) as conn:
        return list(conn.execute(query).all())


def grouped_alert(
    ctx: RuleContext, rule: str, brand: BrandConfig, cooldown: timedelta, candidates: Sequence[int]
) -> list[AlertDecision]:
    """One alert with the brand's candidates not alerted before, unless the rule alerted within the cooldown."""
    seen = previously_alerted(ctx.engine, rule, brand.name, ctx.now - MEMORY)
    fresh = sorted(set(candidates) - seen)
    last = last_decided(ctx.engine, rule, brand.name)
    if not fresh or (last is not None and last > ctx.now - cooldown):
        return []
    lang, rows = _lang(brand), _item_rows(ctx.engine, fresh)
    window = str(int(ctx.now.timestamp() // cooldown.total_seconds()))
    title = text.title(rule, lang, count=len(fresh), brand=brand.name)
    return [
        AlertDecision(rule, brand.name, window, brand.name, title, text.item_lines(rows, lang), tuple(fresh))
    ]


# -- item rules -----------------------------------------------------------------------------------------------


def new_negative(ctx: RuleContext, brand: BrandConfig) -> list[AlertDecision]:
    """Open items flagged for a fast reply (negative, or a complaint in flat words) published within the
    lookback, grouped with a cooldown."""
    query = select(items.c.id).where(
        items.c.is_own.is_(False), items.c.status == "open", items.c.fast_reply.is_(True),
        items.c.published_at >= ctx.now - ctx.lookback, *_brand_scope(brand).conditions(),
    )  # fmt: skip
    with reading(ctx.engine) as conn:
        ids: list[Any] = list(conn.execute(query).scalars())
    found = [int(i) for i in ids]
    return grouped_alert(ctx, "new_negative", brand, ctx.cooldown("new_negative"), found)


def _sla_candidates(ctx: RuleContext, brand: BrandConfig) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {"sla_at_risk": [], "sla_breached": [], "reply_window": []}
    recent = ctx.now - ctx.lookback
    warn = parse_duration(ctx.settings.reply_window_warning)
    for entry in open_item_slas(
        ctx.engine, ctx.book, ctx.now, _brand_scope(brand), rules=ctx.responses, warn=warn
    ):
        if entry.sla.state == "at_risk" and entry.sla.at_risk_at >= recent:
            found["sla_at_risk"].append(entry.item_id)
        if entry.sla.state == "breached" and entry.sla.due_at >= recent:
            found["sla_breached"].append(entry.item_id)
        if entry.deadline is not None and entry.deadline.state == "closing":
            found["reply_window"].append(entry.item_id)
    return found


def sla_rules(ctx: RuleContext, brand: BrandConfig) -> list[AlertDecision]:
    """Items that turned at risk or breached their SLA within the lookback, and closing reply windows."""
    decisions: list[AlertDecision] = []
    for rule, ids in _sla_candidates(ctx, brand).items():
        if getattr(ctx.settings, rule):
            cooldown = ctx.cooldown("reply_window" if rule == "reply_window" else "sla")
            decisions += grouped_alert(ctx, rule, brand, cooldown, ids)
    return decisions


# -- spikes for small shops -----------------------------------------------------------------------------------


def poisson_tail(count: int, rate: float) -> float:
    """P(X ≥ count) for X ~ Poisson(rate), summed from the upper terms (exact for small numbers)."""
    if count <= 0:
        return 1.0
    if rate <= 0:
        return 0.0
    log_term = -rate + count * math.log(rate) - math.lgamma(count + 1)
    total, i = 0.0, count
    while True:
        term = math.exp(log_term)
        total += term
        if term < 1e-18 * max(total, 1e-300) or i > count + 10_000:
            return min(1.0, total)
        i += 1
        log_term += math.log(rate) - math.log(i)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0)).replace(tzinfo=zone)


def _negatives(ctx: RuleContext, brand: BrandConfig, start: datetime, end: datetime) -> int:
    query = select(func.count()).where(
        items.c.is_own.is_(False), items.c.status != "ignored", items.c.sentiment_label == "neg",
        items.c.published_at >= start, items.c.published_at < end, *_brand_scope(brand).conditions(),
    )  # fmt: skip
    with reading(ctx.engine) as conn:
        return int(conn.execute(query).scalar_one())


def negative_spike(ctx: RuleContext, brand: BrandConfig) -> list[AlertDecision]:
    """Today's negatives improbable under the trailing daily rate (Poisson, with a minimum count)."""
    zone, days = ZoneInfo(brand.timezone), ctx.settings.spike_baseline_days
    today = ctx.now.astimezone(zone).date()
    midnight = _local_midnight(today, zone)
    count = _negatives(ctx, brand, midnight, ctx.now + timedelta(seconds=1))
    base = _negatives(ctx, brand, _local_midnight(today - timedelta(days=days), zone), midnight)
    rate = (base + 0.5) / days  # half a negative of prior keeps a spotless history from making 1 item a spike
    p = poisson_tail(count, rate)
    if count < ctx.settings.spike_min_count or p >= ctx.settings.spike_p_value:
        return []
    lang = _lang(brand)
    title = text.title(
        "negative_spike", lang, count=count, rate=text.spike_rate(rate, lang), brand=brand.name
    )
    body = text.SPIKE_BODY[lang].format(count=count, days=days, base=base, p=p)
    details = {"count": count, "baseline": base, "days": days, "rate": rate, "p": p}
    return [
        AlertDecision("negative_spike", brand.name, today.isoformat(), brand.name, title, body, (), details)
    ]


def _negative_review() -> Any:
    rated_low = items.c.rating <= 2
    unrated_negative = and_(items.c.rating.is_(None), items.c.sentiment_label == "neg")
    return and_(items.c.kind == "review", items.c.is_own.is_(False), or_(rated_low, unrated_negative))


def first_negative_review(ctx: RuleContext, brand: BrandConfig) -> list[AlertDecision]:
    """A negative review after N quiet days (only when the store holds at least N days of the brand)."""
    quiet = timedelta(days=ctx.settings.first_negative_days)
    scope = _brand_scope(brand).conditions()
    recent = select(items.c.id, items.c.published_at).where(
        _negative_review(), items.c.published_at >= ctx.now - ctx.lookback, *scope
    )
    with reading(ctx.engine) as conn:
        rows: list[Any] = list(conn.execute(recent.order_by(items.c.published_at, items.c.id)).all())
        first = next(
            (int(r.id) for r in rows if _after_quiet_days(conn, r.id, r.published_at, quiet, scope)), None
        )
    return [] if first is None else [_first_review_decision(ctx, brand, first)]


def _after_quiet_days(
    conn: Connection, item_id: int, published: datetime, quiet: timedelta, scope: list[Any]
) -> bool:
    """No other negative review in the quiet days before, and the brand has items older than that."""
    before = select(func.count()).where(
        _negative_review(), items.c.id != item_id, items.c.published_at >= published - quiet,
        items.c.published_at <= published, *scope,
    )  # fmt: skip
    history = select(func.count()).where(items.c.published_at < published - quiet, *scope)
    return conn.execute(before).scalar_one() == 0 and conn.execute(history).scalar_one() > 0


def _first_review_decision(ctx: RuleContext, brand: BrandConfig, item_id: int) -> AlertDecision:
    lang = _lang(brand)
    title = text.title("first_negative_review", lang, days=ctx.settings.first_negative_days, brand=brand.name)
    body = text.item_lines(_item_rows(ctx.engine, [item_id]), lang)
    return AlertDecision(
        "first_negative_review", brand.name, f"item:{item_id}", brand.name, title, body, (item_id,)
    )


# -- sources --------------------------------------------------------------------------------------------------


def _source_rows(ctx: RuleContext) -> list[Any]:
    query = select(sources.c.id, sources.c.name, sources.c.platform, sources.c.paused_until,
                   sources.c.paused_reason, brands.c.name.label("brand"), brands.c.languages).join(
        brands, brands.c.id == sources.c.brand_id
    )  # fmt: skip
    with reading(ctx.engine) as conn:
        return list(conn.execute(query).all())


def quota_exhausted(ctx: RuleContext) -> list[AlertDecision]:
    """Sources whose platform quota is spent (YouTube's daily quota), once per pause."""
    decisions = []
    for row in _source_rows(ctx):
        pause = source_pause(row.platform, row.paused_until, row.paused_reason, ctx.now)
        if pause is None or pause.kind != "quota_exhausted":
            continue
        lang = text.language_of(row.languages or [])
        title = text.title("quota_exhausted", lang, source=row.name, until=text.local_stamp(pause.at))
        decisions.append(AlertDecision("quota_exhausted", row.name, f"until:{pause.at:%Y%m%dT%H%M}", row.brand,
                                       title, pause.detail))  # fmt: skip
    return decisions


def _failing_streak(ctx: RuleContext, source_id: int) -> tuple[int, int, str] | None:
    """(first failed run id, streak length, last error) when the latest finished runs all failed."""
    query = (
        select(runs.c.id, runs.c.status, runs.c.error)
        .where(runs.c.source_id == source_id, runs.c.status != "running")
        .order_by(runs.c.id.desc())
        .limit(200)
    )
    with reading(ctx.engine) as conn:
        latest = conn.execute(query).all()
    streak = []
    for run in latest:
        if run.status != "failed":
            break
        streak.append(run)
    if len(streak) < ctx.settings.failing_runs:
        return None
    return int(streak[-1].id), len(streak), str(streak[0].error or "")


def source_failing(ctx: RuleContext) -> list[AlertDecision]:
    """Sources whose last N collection runs failed, once per failure streak."""
    decisions = []
    for row in _source_rows(ctx):
        streak = _failing_streak(ctx, row.id)
        if streak is None:
            continue
        first, count, error = streak
        lang = text.language_of(row.languages or [])
        title = text.title("source_failing", lang, source=row.name, count=count)
        decisions.append(
            AlertDecision("source_failing", row.name, f"run:{first}", row.brand, title, error[:500])
        )
    return decisions


# -- daily digest ---------------------------------------------------------------------------------------------


def digest(ctx: RuleContext, brand: BrandConfig) -> list[AlertDecision]:
    """Once a day after ``digest_hour`` (brand time): waiting items, new negatives, median response time."""
    local = ctx.now.astimezone(ZoneInfo(brand.timezone))
    if local.hour < ctx.settings.digest_hour:
        return []
    states = {"ok": 0, "at_risk": 0, "breached": 0}
    for entry in open_item_slas(ctx.engine, ctx.book, ctx.now, _brand_scope(brand), rules=ctx.responses):
        states[entry.sla.state] += 1
    negatives = _negatives(ctx, brand, ctx.now - timedelta(hours=24), ctx.now + timedelta(seconds=1))
    week = Scope(since=ctx.now - timedelta(days=7), brands=(brand.name,))
    median = next((r.median for r in response_times(ctx.engine, week, "all", ctx.responses)), None)
    lang = _lang(brand)
    line = text.digest_line(lang, sum(states.values()), negatives, median)
    title = text.title("digest", lang, brand=brand.name, date=local.date().isoformat())
    body = text.digest_body(lang, line, states["at_risk"], states["breached"])
    details = {
        "waiting": sum(states.values()),
        "negatives_24h": negatives,
        "median_seconds": median,
        **states,
    }
    return [
        AlertDecision("digest", brand.name, local.date().isoformat(), brand.name, title, body, (), details)
    ]


BrandRule = Callable[[RuleContext, BrandConfig], list[AlertDecision]]
BRAND_RULES: tuple[tuple[str, BrandRule], ...] = (
    ("new_negative", new_negative),
    ("sla", sla_rules),
    ("negative_spike", negative_spike),
    ("first_negative_review", first_negative_review),
    ("digest", digest),
)


def evaluate(ctx: RuleContext) -> list[AlertDecision]:
    """Every alert the enabled rules want now (some may already be decided; `decide` skips those)."""
    decisions: list[AlertDecision] = []
    for brand in ctx.config.brands:
        for name, rule in BRAND_RULES:
            if name == "sla" or getattr(ctx.settings, name):
                decisions += rule(ctx, brand)
    if ctx.settings.quota_exhausted:
        decisions += quota_exhausted(ctx)
    if ctx.settings.source_failing:
        decisions += source_failing(ctx)
    return decisions
