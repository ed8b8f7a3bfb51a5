"""Collection runs: pages commit with their cursor, crashes lose nothing, sources never run twice at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from social_listen.collect import run_source, run_sources
from social_listen.db.tables import items
from social_listen.errors import QuotaExhausted, TransientError
from social_listen.model import Page
from social_listen.store import Store
from tests.conftest import make_config
from tests.helpers import comment

PAGES = [[comment(f"p{p}-{i}", minutes=p * 10 + i) for i in range(4)] for p in range(5)]


class PagedCollector:
    """Five pages resumable from {"page": n}; can crash before yielding page ``crash_before``."""

    def __init__(self, crash_before: int | None = None, error: Exception | None = None) -> None:
        self.crash_before = crash_before
        self.error = error or TransientError("HTTP 503 from the platform")
        self.started_at: list[int] = []

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        start = (cursor or {}).get("page", 0)
        self.started_at.append(start)
        for number in range(start, len(PAGES)):
            if number == self.crash_before:
                raise self.error
            yield Page(PAGES[number], cursor={"page": number + 1}, api_calls=1)


def total(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(items)).scalar_one()


def test_crash_after_page_three_keeps_pages_and_cursor_then_resumes(store: Store, config) -> None:
    source = config.source("luna-file")
    crashed = run_source(store, source, lambda s: PagedCollector(crash_before=3))
    assert (crashed.status, crashed.new, total(store)) == ("failed", 12, 12)
    assert store.get_cursor("luna-file") == {"page": 3}
    resumed_collector = PagedCollector()
    resumed = run_source(store, source, lambda s: resumed_collector)
    assert resumed_collector.started_at == [3]
    assert (resumed.status, resumed.new, total(store)) == ("ok", 8, 20)


def test_rerunning_a_finished_collection_adds_nothing(store: Store, config) -> None:
    source = config.source("luna-file")
    run_source(store, source, lambda s: PagedCollector())
    store.pause_source("luna-file", None, None)
    with store.engine.begin() as conn:
        conn.execute(store_cursor_reset())
    again = run_source(store, source, lambda s: PagedCollector())
    assert (again.new, again.updated, total(store)) == (0, 0, 20)


def store_cursor_reset() -> Any:
    from sqlalchemy import update

    from social_listen.db.tables import sources

    return update(sources).values(cursor=None)


def test_run_is_recorded_with_counts_and_error(store: Store, config) -> None:
    run_source(store, config.source("luna-file"), lambda s: PagedCollector(crash_before=2))
    run = store.run_rows("luna-file")[0]
    assert (run["status"], run["new_count"], run["pages"], run["api_calls"]) == ("failed", 8, 2, 2)
    assert "503" in run["error"]
    assert store.source_row("luna-file")["last_status"] == "failed"


def test_quota_exhausted_pauses_the_source_until_reset(store: Store, config) -> None:
    until = datetime.now(UTC) + timedelta(hours=5)
    error = QuotaExhausted("YouTube quota spent", until=until)
    outcome = run_source(
        store, config.source("luna-file"), lambda s: PagedCollector(crash_before=1, error=error)
    )
    assert (outcome.status, outcome.new) == ("paused", 4)
    skipped = run_source(store, config.source("luna-file"), lambda s: PagedCollector())
    assert skipped.status == "skipped" and "paused until" in skipped.message
    assert total(store) == 4


def test_one_failing_source_does_not_stop_the_others(any_store: Store) -> None:
    sources = [
        {"name": name, "brand": "Tienda Luna", "platform": "file", "target": f"{name}.csv"}
        for name in ("a-broken", "b-fine")
    ]
    config = make_config(sources)
    any_store.sync_config(config)

    def factory(source: Any) -> PagedCollector:
        return PagedCollector(crash_before=0) if source.name == "a-broken" else PagedCollector()

    outcomes = run_sources(any_store, config, None, factory)
    assert [(o.source, o.status) for o in outcomes] == [("a-broken", "failed"), ("b-fine", "ok")]
    assert total(any_store) == 20


def test_collect_all_skips_a_source_collected_within_the_min_interval_but_a_named_one_runs(
    store: Store,
) -> None:
    sources = [
        {"name": n, "brand": "Tienda Luna", "platform": "file", "target": f"{n}.csv"} for n in ("a", "b")
    ]
    every_time, spaced = make_config(sources), make_config(sources, collect={"min_interval": "5m"})
    store.sync_config(spaced)
    collectors: list[PagedCollector] = []

    def factory(_source: Any) -> PagedCollector:
        collectors.append(PagedCollector())
        return collectors[-1]

    assert [o.status for o in run_sources(store, spaced, None, factory)] == ["ok", "ok"]
    again = run_sources(store, spaced, None, factory)
    assert [o.status for o in again] == ["skipped", "skipped"] and "min_interval" in again[0].message
    assert len(collectors) == 2, "a skipped source's collector is never started"
    assert [o.status for o in run_sources(store, spaced, ["a"], factory)] == ["ok"]
    assert [o.status for o in run_sources(store, every_time, None, factory)] == [
        "ok",
        "ok",
    ]  # the default: unset


class BlockingCollector:
    """Holds its first page until released, so a second run can start meanwhile."""

    def __init__(self, started: threading.Event, release: threading.Event) -> None:
        self.started, self.release = started, release

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        self.started.set()
        assert self.release.wait(10)
        yield Page(PAGES[0], cursor={"page": 1})


def test_two_runs_at_once_one_collects_the_other_says_busy(store: Store, config) -> None:
    started, release = threading.Event(), threading.Event()
    source = config.source("luna-file")
    results: dict[str, Any] = {}
    first = threading.Thread(
        target=lambda: results.setdefault("first", run_source(
            store, source, lambda s: BlockingCollector(started, release), owner="host-a:1"))
    )  # fmt: skip
    first.start()
    assert started.wait(10)
    second = run_source(store, source, lambda s: PagedCollector(), owner="host-b:2")
    release.set()
    first.join(10)
    assert second.status == "busy" and "host-a:1" in second.message
    assert results["first"].status == "ok"
    assert total(store) == 4


@pytest.mark.parametrize("crash_before", [0, 1, 4])
def test_no_duplicates_whatever_page_fails(store: Store, config, crash_before: int) -> None:
    source = config.source("luna-file")
    run_source(store, source, lambda s: PagedCollector(crash_before=crash_before))
    run_source(store, source, lambda s: PagedCollector())
    assert total(store) == 20


def test_a_run_whose_lease_another_host_took_over_stops_without_writing_the_next_page(
    store: Store, config
) -> None:
    from sqlalchemy import update

    from social_listen.db.tables import sources

    class Stalling(PagedCollector):
        """After page 2 this host stalls past its lease, and host-b takes the source over."""

        def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
            for page in super().collect(cursor):
                if page.cursor == {"page": 3}:
                    with store.engine.begin() as conn:
                        conn.execute(update(sources).values(lease_expires_at=datetime.now(UTC)))
                    assert store.acquire_lease("luna-file", "host-b:2", timedelta(minutes=5))
                yield page

    outcome = run_source(store, config.source("luna-file"), lambda s: Stalling(), owner="host-a:1")
    assert (outcome.status, outcome.new, total(store)) == ("failed", 8, 8)
    assert "another host took it over" in (outcome.message or "")
    assert store.get_cursor("luna-file") == {"page": 2}
    assert store.source_row("luna-file")["lease_owner"] == "host-b:2"  # ours was not released over theirs
