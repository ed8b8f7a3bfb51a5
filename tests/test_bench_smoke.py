"""The scale benchmarks (bench/bench_backfill, bench_queries, bench_postgres) at a few thousand items: their
code keeps working and what they measure is what they claim — never how fast it was."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bench.scale_backfill import new_anchor, raw_reference, real_backfill, real_backfill_in_child, summary
from bench.scale_queries import INBOX_CASES, measure_queries, with_timeout
from social_listen.store import Store
from tests.conftest import skip_or_fail

ITEMS = 3000
SEED = 7


def check_backfill(result: dict[str, Any], items: int) -> None:
    checks = result["checks"]
    assert checks["stored"] == checks["raw_stored"] == items
    assert checks["first_new"] == items
    assert (checks["second_new"], checks["second_updated"]) == (0, 0), "the second pass must be a no-op"
    assert checks["first_triaged"] == items and checks["second_triaged"] == 0 and checks["not_triaged"] == 0
    statuses = checks["statuses"]
    assert sum(statuses.values()) == items
    assert statuses["open"] and statuses["closed"], "customer items wait, the brand's own replies are closed"
    assert statuses["answered"] == checks["answered_on_platform"] > 0, "brand replies answer the threads"
    for key in (
        "real_items_per_s",
        "raw_limit_items_per_s",
        "ratio_to_raw",
        "second_pass_speedup",
        "peak_rss_mb",
    ):
        assert result[key] > 0, key
    for key in ("ratio_met", "speedup_met", "rss_met"):
        assert isinstance(result[key], bool)
    parts = result["real_first_pass_breakdown_us_per_item"]
    assert sum(parts.values()) == pytest.approx(sum(result["real_first_pass_us_per_item"].values()), rel=0.02)


def check_queries(result: dict[str, Any]) -> None:
    checks = result["checks"]
    assert checks["same_first_page_ids"] == dict.fromkeys(INBOX_CASES, True)
    assert checks["same_totals"] == dict.fromkeys(INBOX_CASES, True)
    assert checks["backlog_same_counts"] and sum(checks["backlog"].values()) > 0
    for name, case in result["inbox"].items():
        assert case["matching"] > 0, f"{name}: a filter nothing matches would prove nothing"
        assert case["p95_ms"] is not None and case["hand_p95_ms"] is not None and case["vs_hand_p95"] > 0
    assert set(result["aggregates"]) == {"facet_counts", "facet_counts_fast_reply", "response_times_30d", "response_rates_30d",
                                         "backlog_by_age", "volume_trend_30d_day", "heatmap_30d"}  # fmt: skip
    for name, figures in result["aggregates"].items():
        assert figures["p50_ms"] is not None and figures["p95_ms"] >= figures["p50_ms"], name
    assert all(isinstance(v, bool) for k, v in result["met"].items() if not k.endswith(("case", "name")))


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, datetime, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("bench")
    anchor = new_anchor()
    url = f"sqlite:///{folder / 'real.db'}"
    real = real_backfill(url, ITEMS, SEED, anchor)
    raw = raw_reference(f"sqlite:///{folder / 'raw.db'}", ITEMS, SEED, anchor)
    return url, anchor, summary(ITEMS, real, raw)


def test_backfill_stores_and_triages_every_item_once_and_the_second_pass_adds_nothing(backfilled) -> None:
    check_backfill(backfilled[2], ITEMS)


def test_the_product_and_the_hand_sql_return_the_same_inbox_pages_and_backlog(backfilled) -> None:
    url, anchor, _ = backfilled
    store = Store(url)
    check_queries(measure_queries(store.engine, url, anchor, repeat=2))
    store.engine.dispose()


def test_the_real_path_runs_in_a_child_that_reports_its_own_peak_memory(tmp_path: Path) -> None:
    result = real_backfill_in_child(f"sqlite:///{tmp_path / 'child.db'}", 200, SEED, new_anchor())
    assert result["stored"] == 200 and result["second"]["new"] == 0
    assert 20 < result["peak_rss_mb"] < 2000


@pytest.mark.postgres
def test_the_postgresql_variant_measures_the_same_things(pg_server: str) -> None:
    items, names = 1000, (f"sl_smoke_real_{os.getpid()}", f"sl_smoke_raw_{os.getpid()}")
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f"CREATE DATABASE {name}"))
    base = pg_server.rsplit("/", 1)[0]
    real_url, raw_url = (f"{base}/{name}" for name in names)
    try:
        anchor = new_anchor()
        real = real_backfill(real_url, items, SEED, anchor)
        check_backfill(summary(items, real, raw_reference(raw_url, items, SEED, anchor)), items)
        store = Store(with_timeout(real_url))
        check_queries(measure_queries(store.engine, real_url, anchor, repeat=1))
        store.engine.dispose()
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def test_the_browser_benchmark_sees_the_first_inbox_row_of_a_backfilled_store(backfilled) -> None:
    from bench.bench_browser import CHROMIUM, CHROMIUM_ARGS, measure

    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium not installed ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    store_file = Path(backfilled[0].removeprefix("sqlite:///"))
    before = store_file.stat().st_mtime_ns
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            figures = measure(browser, store_file, trials=2)
        finally:
            browser.close()
    assert figures["trials"] == 2 and len(figures["all_s"]) == 2
    assert 0 < figures["median_s"] <= figures["p95_s"] < 60
    assert store_file.stat().st_mtime_ns == before, "the benchmark works on a copy of the store"


def test_the_reliability_benchmark_reads_which_invariants_held_from_pytest(tmp_path: Path) -> None:
    from bench.bench_reliability import outcomes

    report = tmp_path / "report.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.test_reliability" name="test_kill[sqlite]" time="12.5"/>'
        '<testcase classname="tests.test_reliability" name="test_kill[postgresql]" time="3.0">'
        '<failure message="AssertionError: 2 items doubled">trace</failure></testcase>'
        '<testcase classname="tests.test_reliability" name="test_replies" time="0.1">'
        '<skipped message="no PostgreSQL"/></testcase>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    found = outcomes(report)
    assert found["test_kill[sqlite]"] == {"outcome": "passed", "seconds": 12.5}
    assert found["test_kill[postgresql]"]["outcome"] == "failed"
    assert "doubled" in found["test_kill[postgresql]"]["message"]
    assert found["test_replies"]["outcome"] == "skipped"
