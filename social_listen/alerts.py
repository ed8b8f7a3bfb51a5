"""`social-listen alerts`: evaluate the rules, record each new alert once, send what is pending.

Safe to run from cron every few minutes on several hosts: the rules only propose alerts; ``alerts_outbox``
records each one under a unique key before anything is sent, so nothing is ever sent twice (see its docstring
for the at-most-once protocol and the visible ``uncertain`` state).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from social_listen.alerts_channels import Channel
from social_listen.alerts_outbox import STALE_AFTER, AlertDecision, is_decided, record_and_send
from social_listen.alerts_rules import RuleContext, evaluate
from social_listen.config import Config
from social_listen.model import utcnow


@dataclass
class AlertRun:
    """What one run decided and how the deliveries ended."""

    decided: list[AlertDecision] = field(default_factory=list)
    deliveries: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        """Deliveries that failed in this run (they are retried later)."""
        return self.deliveries["failed"]


def proposed_alerts(engine: Engine, config: Config, now: datetime | None = None) -> list[AlertDecision]:
    """The alerts the rules would decide now and that were not decided before (nothing is written)."""
    context = RuleContext.build(engine, config, now or utcnow())
    return [d for d in evaluate(context) if not is_decided(engine, d)]


def run_alerts(
    engine: Engine,
    config: Config,
    channels: Sequence[Channel],
    now: datetime | None = None,
    stale_after: timedelta = STALE_AFTER,
) -> AlertRun:
    """Evaluate every enabled rule, record new alerts, and deliver everything pending to ``channels``."""
    now = now or utcnow()
    if not config.alerts.enabled:
        return AlertRun()
    decisions = evaluate(RuleContext.build(engine, config, now))
    decided, outcomes = record_and_send(engine, decisions, channels, now, stale_after)
    return AlertRun(decided, outcomes)
