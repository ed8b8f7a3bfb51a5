"""The alerts outbox: an alert is recorded as decided before it is sent, and never sent twice.

Delivery is at most once, and visibly so:
1. **Decided.** An alert row is inserted with a unique key (rule, subject, window_key) together with one
   ``pending`` delivery per channel, in one transaction, before anything is sent. A re-run, a second host or a
   restart after a crash finds the key taken and decides nothing new.
2. **Claimed.** A delivery moves ``pending`` (or ``failed``, when due for a retry) to ``sending`` atomically
   before the network call; only the process whose UPDATE matched sends it.
3. **Recorded.** ``sent`` after the channel accepted it; ``failed`` with the reason when the channel certainly did
   not deliver it (refused connection, error answer: retried later, up to ``MAX_ATTEMPTS``); ``uncertain`` when
   it may have been delivered (timeout mid-request, or an unexpected error).
A crash between decided and sent leaves either ``pending`` (provably never sent: the next run sends it) or
``sending``; a ``sending`` row older than ``stale_after`` becomes ``uncertain`` and is never re-sent
automatically: it is listed by ``social-listen alerts --list`` and a person can resolve it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from social_listen.alerts_channels import Channel, MaybeDelivered, Message, NotDelivered
from social_listen.db.engine import reading
from social_listen.db.tables import alert_deliveries, alerts, brands
from social_listen.errors import SocialListenError
from social_listen.model import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
STALE_AFTER = timedelta(minutes=10)
DELIVERY_STATES = ("pending", "sending", "sent", "failed", "uncertain")


@dataclass(frozen=True)
class AlertDecision:
    """An alert a rule wants sent; (rule, subject, window_key) identifies it for ever."""

    rule: str
    subject: str
    window_key: str
    brand: str | None
    title: str
    body: str
    item_ids: tuple[int, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def message(self) -> Message:
        """The alert as channels send it."""
        return Message(self.rule, self.brand, self.title, self.body)


def _insert(engine: Engine) -> Any:
    return (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(alerts)


def is_decided(engine: Engine, decision: AlertDecision) -> bool:
    """True when this alert (by its key) was already decided."""
    query = select(alerts.c.id).where(
        alerts.c.rule == decision.rule, alerts.c.subject == decision.subject,
        alerts.c.window_key == decision.window_key,
    )  # fmt: skip
    with reading(engine) as conn:
        return conn.execute(query).first() is not None


def decide(engine: Engine, decision: AlertDecision, channels: Sequence[Channel], now: datetime) -> int | None:
    """Record the alert and a pending delivery per accepting channel; None when it was already decided."""
    with engine.begin() as conn:
        brand_id = _brand_id(conn, decision.brand)
        values = {"rule": decision.rule, "subject": decision.subject[:255], "window_key": decision.window_key[:64],
                  "brand_id": brand_id, "title": decision.title, "body": decision.body,
                  "item_ids": list(decision.item_ids), "details": decision.details, "decided_at": now}  # fmt: skip
        stmt = (
            _insert(engine)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[alerts.c.rule, alerts.c.subject, alerts.c.window_key])
            .returning(alerts.c.id)
        )
        inserted = conn.execute(stmt).scalar()
        if inserted is None:
            return None
        alert_id = int(inserted)
        wanted = [c.name for c in channels if c.accepts(decision.rule, decision.brand)]
        for name in wanted:
            conn.execute(alert_deliveries.insert().values(alert_id=alert_id, channel=name, status="pending",
                                                          attempts=0, updated_at=now))  # fmt: skip
    return alert_id


def _brand_id(conn: Connection, name: str | None) -> int | None:
    if name is None:
        return None
    found = conn.execute(select(brands.c.id).where(brands.c.name == name)).scalar()
    return None if found is None else int(found)


def expire_stale(engine: Engine, now: datetime, stale_after: timedelta = STALE_AFTER) -> int:
    """Deliveries left ``sending`` by a process that died become ``uncertain`` (they may have gone out)."""
    stmt = (
        update(alert_deliveries)
        .where(alert_deliveries.c.status == "sending", alert_deliveries.c.updated_at <= now - stale_after)
        .values(status="uncertain", updated_at=now,
                error="the sending process stopped before the channel answered; not re-sent")
    )  # fmt: skip
    with engine.begin() as conn:
        return int(conn.execute(stmt).rowcount or 0)


def _due(engine: Engine, now: datetime) -> list[Any]:
    retry = (alert_deliveries.c.status == "failed") & (alert_deliveries.c.attempts < MAX_ATTEMPTS)
    retry = retry & (alert_deliveries.c.next_attempt_at <= now)
    query = (
        select(alert_deliveries.c.id, alert_deliveries.c.channel, alert_deliveries.c.status, alerts.c.rule,
               alerts.c.title, alerts.c.body, brands.c.name.label("brand"))
        .join(alerts, alerts.c.id == alert_deliveries.c.alert_id)
        .outerjoin(brands, brands.c.id == alerts.c.brand_id)
        .where(or_(alert_deliveries.c.status == "pending", retry))
        .order_by(alert_deliveries.c.id)
    )  # fmt: skip
    with reading(engine) as conn:
        return list(conn.execute(query).all())


def _claim(engine: Engine, delivery_id: int, status: str, now: datetime) -> bool:
    stmt = (
        update(alert_deliveries)
        .where(alert_deliveries.c.id == delivery_id, alert_deliveries.c.status == status)
        .values(status="sending", attempts=alert_deliveries.c.attempts + 1, updated_at=now)
    )
    with engine.begin() as conn:
        return (conn.execute(stmt).rowcount or 0) == 1


def _record(engine: Engine, delivery_id: int, now: datetime, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(alert_deliveries)
            .where(alert_deliveries.c.id == delivery_id)
            .values(updated_at=now, **values)
        )


def deliver_pending(
    engine: Engine,
    channels: Sequence[Channel],
    now: datetime | None = None,
    stale_after: timedelta = STALE_AFTER,
) -> Counter[str]:
    """Send every pending (or due-for-retry) delivery once; returns how many ended sent/failed/uncertain."""
    now = now or utcnow()
    outcomes: Counter[str] = Counter()
    if expired := expire_stale(engine, now, stale_after):
        outcomes["uncertain"] += expired
    by_name = {c.name: c for c in channels}
    for row in _due(engine, now):
        channel = by_name.get(row.channel)
        if channel is None or not _claim(engine, row.id, row.status, now):
            continue  # channel no longer configured (stays pending), or another run took it
        outcomes[_send(engine, row, channel, now)] += 1
    return outcomes


def _send(engine: Engine, row: Any, channel: Channel, now: datetime) -> str:
    message = Message(row.rule, row.brand, row.title, row.body)
    try:
        channel.send(message)
    except NotDelivered as exc:
        _record(
            engine, row.id, now, status="failed", error=str(exc), next_attempt_at=now + timedelta(minutes=5)
        )
        log.warning("alert delivery %s via %s failed: %s", row.id, row.channel, exc)
        return "failed"
    except MaybeDelivered as exc:
        _record(engine, row.id, now, status="uncertain", error=str(exc))
        return "uncertain"
    except Exception as exc:  # a bug after the request may have left: do not risk a duplicate
        log.exception("alert delivery %s via %s: unexpected error", row.id, row.channel)
        _record(engine, row.id, now, status="uncertain", error=f"unexpected error: {exc}")
        return "uncertain"
    _record(engine, row.id, now, status="sent", sent_at=utcnow(), error=None)
    return "sent"


def record_and_send(
    engine: Engine,
    decisions: Iterable[AlertDecision],
    channels: Sequence[Channel],
    now: datetime,
    stale_after: timedelta = STALE_AFTER,
) -> tuple[list[AlertDecision], Counter[str]]:
    """Decide each alert (skipping ones already decided), then deliver everything pending."""
    new = [d for d in decisions if decide(engine, d, channels, now) is not None]
    return new, deliver_pending(engine, channels, now, stale_after)


def alert_rows(engine: Engine, limit: int = 50, delivery_status: str | None = None) -> list[dict[str, Any]]:
    """Recent alerts with each delivery's state, newest first (``delivery_status`` filters, e.g. uncertain)."""
    query = (
        select(alerts.c.id, alerts.c.rule, alerts.c.subject, alerts.c.window_key, alerts.c.title,
               alerts.c.decided_at, alerts.c.item_ids, alert_deliveries.c.id.label("delivery_id"),
               alert_deliveries.c.channel, alert_deliveries.c.status, alert_deliveries.c.attempts,
               alert_deliveries.c.error, alert_deliveries.c.sent_at)
        .outerjoin(alert_deliveries, alert_deliveries.c.alert_id == alerts.c.id)
        .order_by(alerts.c.id.desc(), alert_deliveries.c.id)
        .limit(limit)
    )  # fmt: skip
    if delivery_status:
        query = query.where(alert_deliveries.c.status == delivery_status)
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def resolve_delivery(engine: Engine, delivery_id: int, outcome: str) -> None:
    """A person settles an uncertain delivery: ``sent`` (it arrived) or ``retry`` (it did not: send again)."""
    targets = {"sent": "sent", "retry": "pending"}
    if outcome not in targets:
        raise SocialListenError("outcome must be sent or retry")
    stmt = (
        update(alert_deliveries)
        .where(alert_deliveries.c.id == delivery_id, alert_deliveries.c.status.in_(("uncertain", "failed")))
        .values(status=targets[outcome], updated_at=utcnow())
    )
    with engine.begin() as conn:
        if (conn.execute(stmt).rowcount or 0) != 1:
            raise SocialListenError(f"delivery {delivery_id} is not uncertain or failed")


def previously_alerted(engine: Engine, rule: str, brand: str | None, since: datetime) -> set[int]:
    """Item ids already in alerts of ``rule`` for the brand decided since ``since``."""
    query = select(alerts.c.item_ids).where(alerts.c.rule == rule, alerts.c.decided_at >= since)
    query = query.where(alerts.c.subject == (brand or ""))
    with reading(engine) as conn:
        lists: list[Any] = list(conn.execute(query).scalars())
    return {int(i) for ids in lists for i in (ids or [])}


def last_decided(engine: Engine, rule: str, subject: str) -> datetime | None:
    """When the rule last decided an alert about ``subject``."""
    query = select(alerts.c.decided_at).where(alerts.c.rule == rule, alerts.c.subject == subject)
    with reading(engine) as conn:
        found = conn.execute(query.order_by(alerts.c.decided_at.desc()).limit(1)).scalar()
    return found if isinstance(found, datetime) else None
