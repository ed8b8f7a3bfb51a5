"""The responsiveness summary as rows (one per brand, platform, agent, intent or sentiment) for the report
command and the dashboard: every figure comes from a metrics function that has its own drill-down."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from social_listen.config import Config
from social_listen.metrics import response_rates, response_times
from social_listen.metrics_business import backlog_by_sla, business_response_times, sla_compliance
from social_listen.metrics_sql import ResponseRules, Scope
from social_listen.sla import SlaBook
from social_listen.trends import reputation

COLUMNS = (
    "group", "received", "answered", "response_rate", "responses_in_period", "activity_rate", "median", "p90",
    "mean", "median_business", "p90_business", "within_sla", "sla_missed", "waiting", "at_risk", "breached",
)  # fmt: skip


def responsiveness_rows(
    engine: Engine, config: Config, scope: Scope, dimension: str, now: datetime
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """One row per group with rates, response times (both clocks), SLA share and the current backlog."""
    book, rules = SlaBook.from_config(config), ResponseRules.from_config(config)
    rows: dict[str, dict[str, Any]] = defaultdict(dict)
    for rate in response_rates(engine, scope, dimension, rules):
        rows[rate.group].update(received=rate.received, answered=rate.answered, response_rate=rate.cohort_rate,
                                responses_in_period=rate.responses_in_period, activity_rate=rate.activity_rate)  # fmt: skip
    for times in response_times(engine, scope, dimension, rules):
        rows[times.group].update(median=times.median, p90=times.p90, mean=times.mean)
    for times in business_response_times(engine, book, scope, dimension, rules):
        rows[times.group].update(median_business=times.median, p90_business=times.p90)
    for sla in sla_compliance(engine, book, now, scope, dimension, rules):
        rows[sla.group].update(within_sla=sla.share_met, sla_missed=sla.missed)
    for backlog in backlog_by_sla(engine, book, now, scope, dimension, rules):
        waiting = backlog["ok"] + backlog["at_risk"] + backlog["breached"]
        rows[backlog["group"]].update(
            waiting=waiting, at_risk=backlog["at_risk"], breached=backlog["breached"]
        )
    columns: tuple[str, ...] = COLUMNS
    if dimension == "brand":
        columns = (*COLUMNS, "reputation")
        for brand in rows:
            rows[brand]["reputation"] = reputation(engine, brand, book, scope, rules).score
    return [{"group": group, **values} for group, values in sorted(rows.items())], columns
