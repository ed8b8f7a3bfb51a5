"""The query measurements shared by bench_queries (SQLite) and bench_postgres, on a backfilled store.

The dashboard's reads at N items, p50/p95 over repeated runs: the inbox's first page under common filters
(inbox.inbox_page), the filter counts (inbox.facet_counts), responsiveness aggregates (metrics.response_times,
response_rates, backlog_by_age) and trends (trends.volume_trend, heatmap) over the dashboard's default 30 days.
The inbox pages and the backlog are also run as hand-written SQL on the same tables and indexes, with plain
sqlite3 / psycopg on one open connection, alternating with the product's runs; both must return the same rows.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from math import ceil
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from social_listen.inbox import COUNT_CAP, InboxFilter, facet_counts, inbox_page
from social_listen.metrics import AGE_BUCKETS, backlog_by_age, response_rates, response_times
from social_listen.metrics_sql import Scope
from social_listen.trends import heatmap, volume_trend

SEARCH = "pedido"
PER_PAGE = 25
INBOX_CASES = {
    "open": InboxFilter(),
    "open+neg": InboxFilter(sentiment=("neg",)),
    "open+neg+es": InboxFilter(sentiment=("neg",), language=("es",)),
    "open+neg+es+search": InboxFilter(sentiment=("neg",), language=("es",), search=SEARCH),
    "open+search": InboxFilter(search=SEARCH),
    "open+fast_reply": InboxFilter(fast_reply=True),
}
TARGET_INBOX_MS = 100.0
TARGET_INBOX_VS_HAND = 1.5
TARGET_AGGREGATE_MS = 500.0
BUDGET_SECONDS = 15.0  # per measurement: stop early (after at least MIN_RUNS) once this is spent
MIN_RUNS = 10  # p95 of fewer runs is their slowest one
# The inbox pages run this many times the rounds of the other queries (within the same time budget): a page
# takes well under a millisecond, and the p95 of 30 runs is their second-slowest, mostly the machine's noise.
INBOX_ROUNDS = 10
TIMEOUT_SECONDS = float(os.environ.get("BENCH_QUERY_TIMEOUT", "30"))  # one run longer than this is cut off


TIMEOUT_OPTION = f"-c statement_timeout={int(TIMEOUT_SECONDS * 1000)}"


class TimedOut(Exception):
    """A run was cut off after TIMEOUT_SECONDS."""


class Deadline:
    """Cuts off any statement running longer than TIMEOUT_SECONDS: an SQLite progress handler on every connection
    the engine opens (and on the hand connection); on PostgreSQL, statement_timeout in the URL (see with_timeout)."""

    def __init__(self) -> None:
        self.until: float | None = None

    def watch(self, engine: Engine) -> None:
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", lambda dbapi, _record: self.guard(dbapi))

    def guard(self, sqlite_connection: Any) -> None:
        sqlite_connection.set_progress_handler(self._expired, 50_000)

    def _expired(self) -> int:
        return 1 if self.until is not None and time.perf_counter() > self.until else 0

    def run(self, fn: Callable[[], Any]) -> float:
        """Seconds ``fn`` took; TimedOut when it was cut off."""
        started = time.perf_counter()
        self.until = started + TIMEOUT_SECONDS
        try:
            fn()
        except Exception as exc:
            if time.perf_counter() - started >= TIMEOUT_SECONDS or "statement timeout" in str(exc):
                raise TimedOut from exc
            raise
        finally:
            self.until = None
        return time.perf_counter() - started


def with_timeout(url: str) -> str:
    """The URL with a statement_timeout for PostgreSQL (SQLite URLs unchanged)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return url
    return parsed.update_query_dict({"options": TIMEOUT_OPTION}).render_as_string(hide_password=False)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, ceil(share * len(ordered)) - 1)]


def figures(seconds: list[float], timed_out: bool = False) -> dict[str, Any]:
    """p50 and p95 in milliseconds and how many runs they are of; a cut-off measurement has no percentiles."""
    if timed_out:
        return {"p50_ms": None, "p95_ms": None, "runs": len(seconds), "timed_out_after_s": TIMEOUT_SECONDS}
    # To 10 µs: a first page on SQLite takes a few tenths of a millisecond, where 0.1 ms is a third of it.
    return {"p50_ms": round(statistics.median(seconds) * 1000, 2),
            "p95_ms": round(percentile(seconds, 0.95) * 1000, 2), "runs": len(seconds)}  # fmt: skip


def timed(deadline: Deadline, fns: list[Callable[[], Any]], repeat: int) -> list[dict[str, Any]]:
    """Warm each function up once, then ``repeat`` rounds of all of them in turn (interleaved, so a noisy
    moment hits every contender): the figures of each. A function cut off once is not run again."""
    times: list[list[float]] = [[] for _ in fns]
    out = [False] * len(fns)
    started = time.perf_counter()
    for n in range(repeat + 1):
        for k, fn in enumerate(fns):
            if out[k]:
                continue
            try:
                seconds = deadline.run(fn)
            except TimedOut:
                out[k] = True
                continue
            if n:
                times[k].append(seconds)
        if all(out) or (n >= MIN_RUNS and time.perf_counter() - started > BUDGET_SECONDS):
            break
    return [figures(t, o) for t, o in zip(times, out, strict=True)]


def ratio(mine: dict[str, Any], ref: dict[str, Any]) -> float | None:
    """p95 of the product over p95 of the reference."""
    if mine["p95_ms"] is None or ref["p95_ms"] is None:
        return None
    return round(mine["p95_ms"] / max(ref["p95_ms"], 0.01), 2)


# -- hand-written SQL -----------------------------------------------------------------------------------


class Hand:
    """Hand-written SQL over one open DB-API connection (sqlite3 or psycopg)."""

    def __init__(self, url: str, deadline: Deadline) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
            import sqlite3

            self.conn: Any = sqlite3.connect(parsed.database or "")
            deadline.guard(self.conn)
        else:
            import psycopg

            plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            self.conn = psycopg.connect(plain, autocommit=True, options=TIMEOUT_OPTION)

    def close(self) -> None:
        self.conn.close()

    def _run(self, sql: str, params: list[Any]) -> list[Any]:
        cursor = self.conn.cursor()
        cursor.execute(sql if self.sqlite else sql.replace("?", "%s"), params)
        return list(cursor.fetchall())

    def _time(self, value: datetime) -> Any:
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else value

    def inbox(self, f: InboxFilter, count: bool = True) -> tuple[int, list[int]]:
        """The inbox's total and first page for an open-items filter of language, sentiment and search
        (``count=False``: the page alone, to show what the total costs; the total is then -1)."""
        where, params = ["i.status = 'open'"], []
        if f.sentiment:
            where.append(f"i.sentiment_label IN ({', '.join('?' * len(f.sentiment))})")
            params += list(f.sentiment)
        if f.language:
            where.append(f"i.language IN ({', '.join('?' * len(f.language))})")
            params += list(f.language)
        if f.fast_reply:
            where.append("i.fast_reply = ?")
            params.append(True)
        # SQLite's LIKE ignores ASCII case only, exactly as the product's lower(x) LIKE lower(y) does there.
        like = "LIKE" if self.sqlite else "ILIKE"
        for word in f.search.split()[:8]:
            where.append(f"(i.text {like} ? ESCAPE '\\' OR i.author_name {like} ? ESCAPE '\\')")
            params += [f"%{word}%", f"%{word}%"]
        condition = " AND ".join(where)
        # Counted up to the same cap as the product's inbox (COUNT_CAP, then "1000+").
        capped = f"SELECT count(*) FROM (SELECT i.id FROM items i WHERE {condition} LIMIT {COUNT_CAP + 1}) m"
        total = min(self._run(capped, params)[0][0], COUNT_CAP) if count else -1
        rows = self._run(
            "SELECT i.id, i.platform, (SELECT s.name FROM sources s WHERE s.id = i.source_id),"
            " (SELECT b.name FROM brands b WHERE b.id = i.brand_id), i.kind, i.author_name, substr(i.text, 1, 400),"
            " i.language, i.rating, i.sentiment_label, i.sentiment_score, i.intents, i.priority, i.priority_reasons,"
            " i.status, i.assignee_id, u.display_name, i.published_at, i.reply_deadline_at, i.can_reply, i.url,"
            f" i.tags, i.fast_reply FROM items i LEFT JOIN users u ON u.id = i.assignee_id WHERE {condition}"
            f" ORDER BY i.priority DESC, i.published_at, i.id LIMIT {PER_PAGE}",
            params,
        )
        return int(total), [int(r[0]) for r in rows]

    def backlog(self, now: datetime) -> dict[str, int]:
        """Items waiting for a first response (none stored: neither by a person, the tool, nor a brand reply
        on the platform that is not an auto-reply), by age, in one pass over the waiting-items index."""
        bounds = [self._time(now - limit) for _, limit in AGE_BUCKETS if limit is not None]
        whens = " ".join(f"WHEN i.published_at > ? THEN '{label}'" for label, limit in AGE_BUCKETS if limit)
        false = "0" if self.sqlite else "false"
        sql = (
            f"SELECT CASE {whens} ELSE '{AGE_BUCKETS[-1][0]}' END AS bucket, count(*) FROM items i"
            f" WHERE i.first_response_at IS NULL AND i.status IN ('open', 'answered') AND i.is_own = {false}"
            " GROUP BY bucket"
        )
        return {str(bucket): int(n) for bucket, n in self._run(sql, bounds)}


# -- the measurement ------------------------------------------------------------------------------------


def measure_queries(engine: Engine, url: str, now: datetime, repeat: int = 30) -> dict[str, Any]:
    """Every query's p50/p95; the inbox pages and the backlog against hand SQL, with their results compared.

    ``engine`` should come from ``with_timeout(url)`` on PostgreSQL, so a runaway statement is cut off there too."""
    deadline = Deadline()
    deadline.watch(engine)
    hand = Hand(url, deadline)
    try:
        inbox: dict[str, Any] = {}
        same_ids, same_totals = {}, {}
        for name, f in INBOX_CASES.items():
            page, (total, ids) = inbox_page(engine, f, per_page=PER_PAGE), hand.inbox(f)
            same_ids[name] = [r.id for r in page.rows] == ids
            same_totals[name] = page.total == total
            contenders = [lambda f=f: inbox_page(engine, f, per_page=PER_PAGE), lambda f=f: hand.inbox(f),
                          lambda f=f: hand.inbox(f, count=False)]  # fmt: skip
            mine, ref, page_only = timed(deadline, contenders, repeat * INBOX_ROUNDS)
            inbox[name] = {**mine, "hand_p50_ms": ref["p50_ms"], "hand_p95_ms": ref["p95_ms"],
                           "vs_hand_p95": ratio(mine, ref), "hand_page_without_total_p95_ms": page_only["p95_ms"],
                           "matching": total}  # fmt: skip
        since = Scope(since=now - timedelta(days=30))
        calls: dict[str, Callable[[], Any]] = {
            "facet_counts": lambda: facet_counts(engine, InboxFilter()),
            "facet_counts_fast_reply": lambda: facet_counts(engine, InboxFilter(fast_reply=True)),
            "response_times_30d": lambda: response_times(engine, since),
            "response_rates_30d": lambda: response_rates(engine, since),
            "backlog_by_age": lambda: backlog_by_age(engine, now),
            "volume_trend_30d_day": lambda: volume_trend(engine, since, "day"),
            "heatmap_30d": lambda: heatmap(engine, since),
        }
        aggregates = {name: timed(deadline, [fn], repeat)[0] for name, fn in calls.items()}
        product_backlog = {r["bucket"]: r["count"] for r in backlog_by_age(engine, now)}
        hand_backlog = hand.backlog(now)
        backlog_same = {b: n for b, n in product_backlog.items() if n} == hand_backlog
        mine, ref = timed(deadline, [lambda: backlog_by_age(engine, now), lambda: hand.backlog(now)], repeat)
        backlog = {
            **mine,
            "hand_p50_ms": ref["p50_ms"],
            "hand_p95_ms": ref["p95_ms"],
            "vs_hand_p95": ratio(mine, ref),
        }
    finally:
        hand.close()
    inbox_ok = {k: v["p95_ms"] is not None and v["p95_ms"] <= TARGET_INBOX_MS for k, v in inbox.items()}
    hand_ok = {
        k: v["vs_hand_p95"] is not None and v["vs_hand_p95"] <= TARGET_INBOX_VS_HAND for k, v in inbox.items()
    }
    aggregate_ok = {
        k: v["p95_ms"] is not None and v["p95_ms"] <= TARGET_AGGREGATE_MS for k, v in aggregates.items()
    }
    return {
        "search_word": SEARCH,
        "timeout_s": TIMEOUT_SECONDS,
        "inbox": inbox,
        "aggregates": aggregates,
        "backlog_vs_hand": backlog,
        "targets": {
            "inbox_p95_ms": TARGET_INBOX_MS,
            "inbox_vs_hand_p95": TARGET_INBOX_VS_HAND,
            "aggregate_p95_ms": TARGET_AGGREGATE_MS,
        },  # fmt: skip
        "met": {
            "inbox_p95": all(inbox_ok.values()),
            "inbox_vs_hand": all(hand_ok.values()),
            "aggregates_p95": all(aggregate_ok.values()),
            "inbox_p95_by_case": inbox_ok,
            "inbox_vs_hand_by_case": hand_ok,
            "aggregates_by_name": aggregate_ok,
        },  # fmt: skip
        "checks": {
            "same_first_page_ids": same_ids,
            "same_totals": same_totals,
            "backlog_same_counts": backlog_same,
            "backlog": hand_backlog,
        },  # fmt: skip
    }
