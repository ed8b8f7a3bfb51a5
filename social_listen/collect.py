"""Run collectors: lease the source, stream pages into the store, keep run bookkeeping."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from social_listen.config import Config, SourceConfig
from social_listen.errors import QuotaExhausted, RateLimited, SocialListenError
from social_listen.logs import redact
from social_listen.model import Page, SaveResult
from social_listen.sla import parse_duration
from social_listen.store import PageTriage, Store

log = logging.getLogger(__name__)
LEASE_TTL = timedelta(minutes=15)


class Collector(Protocol):
    """Yields pages of items from a cursor on (see collectors/base.py)."""

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]: ...


CollectorFor = Callable[[SourceConfig], Collector]
PageHook = Callable[[str, SaveResult], None]


@dataclass
class RunOutcome:
    """How one source's run ended: ok, failed, paused (quota or rate limit), busy, skipped."""

    source: str
    status: str
    new: int = 0
    updated: int = 0
    answered: int = 0
    pages: int = 0
    message: str = ""

    @property
    def failed(self) -> bool:
        """Whether this outcome should make the command exit non-zero."""
        return self.status in ("failed", "paused")


def lease_owner() -> str:
    """A name for this process that other hosts can read in `status`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_source(
    store: Store,
    source: SourceConfig,
    collector_for: CollectorFor,
    on_page: PageHook | None = None,
    owner: str | None = None,
    fresh_since: datetime | None = None,
    triage: PageTriage | None = None,
) -> RunOutcome:
    """Collect one source under its lease; every page commits with its cursor. With ``fresh_since``, a source
    whose last run ended ok after that time (on any host) is skipped. With ``triage``, new items are stored
    triaged (see Store.save_page)."""
    row = store.source_row(source.name)
    now = datetime.now(UTC)
    if row["paused_until"] is not None and row["paused_until"] > now:
        message = f"paused until {row['paused_until']:%Y-%m-%d %H:%M} UTC: {row['paused_reason']}"
        return RunOutcome(source.name, "skipped", message=message)
    owner = owner or lease_owner()
    if not store.acquire_lease(source.name, owner, LEASE_TTL):
        holder = store.source_row(source.name)["lease_owner"]
        return RunOutcome(source.name, "busy", message=f"source is busy: being collected by {holder}")
    try:
        done = store.run_since(source.name, fresh_since) if fresh_since is not None else None
        if done is not None:  # collected recently enough (by another host, in a shared round)
            host, at = done
            message = f"collected by {host} (done {at:%H:%M:%S} UTC), within [collect] min_interval"
            return RunOutcome(source.name, "skipped", message=message)
        return _run_leased(store, source, collector_for, on_page, owner, triage)
    finally:
        store.release_lease(source.name, owner)


def _run_leased(
    store: Store,
    source: SourceConfig,
    collector_for: CollectorFor,
    on_page: PageHook | None,
    owner: str,
    triage: PageTriage | None,
) -> RunOutcome:
    run_id = store.start_run(source.name, owner)
    outcome = RunOutcome(source.name, "ok")
    try:
        collector = collector_for(source)
        for page in collector.collect(store.get_cursor(source.name)):
            _save(store, source.name, page, run_id, outcome, on_page, triage, owner)
    except (QuotaExhausted, RateLimited) as exc:
        until = exc.until if isinstance(exc, QuotaExhausted) else exc.reset_at
        store.pause_source(source.name, until, redact(str(exc)))
        outcome.status, outcome.message = "paused", redact(str(exc))
    except Exception as exc:  # one source failing never stops the others
        log.warning("source %s failed: %s", source.name, exc, exc_info=not isinstance(exc, SocialListenError))
        # a platform's error text may echo the token it was sent: masked before it is printed or stored
        outcome.status, outcome.message = "failed", redact(str(exc)) or type(exc).__name__
    else:
        store.pause_source(source.name, None, None)
    store.finish_run(run_id, outcome.status, outcome.message or None)
    return outcome


def _save(
    store: Store,
    name: str,
    page: Page,
    run_id: int,
    outcome: RunOutcome,
    on_page: PageHook | None,
    triage: PageTriage | None,
    owner: str,
) -> None:
    # The lease is renewed with the page: a host that lost it (another took over) writes no more pages.
    result = store.save_page(name, page, run_id, triage, lease=(owner, LEASE_TTL))
    if result.new and store.dialect == "postgresql":
        # A first backfill would otherwise run on a planner with no statistics (autovacuum analyzes
        # after a minute or more) and look threads up by scanning: cheap to check, ANALYZE the lookup
        # columns as it doubles (the full ANALYZE follows the collection).
        store.refresh_statistics(growth=1.0, lookups_only=True, added=result.new)
    outcome.pages += 1
    outcome.new += result.new
    outcome.updated += result.updated
    outcome.answered += result.answered
    if on_page:
        on_page(name, result)


def run_sources(
    store: Store,
    config: Config,
    names: Iterable[str] | None,
    collector_for: CollectorFor,
    on_page: PageHook | None = None,
) -> list[RunOutcome]:
    """Collect the named sources (all enabled ones when ``names`` is None), one after the other. For all of
    them, sources collected within ``[collect] min_interval`` are skipped: with cron on several hosts each
    source is then collected once per round, by whichever host takes its lease first. New items are stored
    triaged (scoring.InlineTriage); what changed is left to `score_pending` after the collection."""
    from social_listen.scoring import InlineTriage  # late: scoring reads the store's brands

    triage = InlineTriage(store, config)
    if names:
        return [run_source(store, config.source(n), collector_for, on_page, triage=triage) for n in names]
    interval = config.collect.min_interval
    fresh = datetime.now(UTC) - parse_duration(interval) if interval else None
    chosen = [s for s in config.sources if s.enabled]
    return [run_source(store, s, collector_for, on_page, fresh_since=fresh, triage=triage) for s in chosen]
