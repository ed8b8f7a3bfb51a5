"""The backfill measurements shared by bench_backfill (SQLite) and bench_postgres: the product's real path
against the plain parts it is made of, on the same resources, in the same run.

Real path (``real_backfill``, run in a child process for its peak RSS): a collector that normalizes each page
of commentThread resources with the YouTube normalizer (collectors/youtube_normalize.thread_items) is driven by
``social_listen.collect.run_source`` (lease, run bookkeeping, ``Store.save_page`` per page with its cursor),
with ``scoring.InlineTriage`` triaging new items as they are stored (language, sentiment, intents, priority,
scorer version, on the item row), then ``scoring.score_pending`` for anything left — what ``social-listen collect`` does. Then the same N again: a no-op second pass.

Reference (``raw_reference``): the limit of the raw parts — the same resources turned into the same item rows
(authors upserted, items upserted with ON CONFLICT, one transaction per page) with plain sqlite3 / psycopg
``executemany`` into a database migrated like the product's (same tables and indexes), plus plain VADER
(vaderSentiment) on the same texts. It keeps no scorer version, run, lease, cursor or answered state, and detects
no language or intents: it is what the product cannot beat, not a competitor.

The time spent generating the resources (the stand-in for the API) is measured and left out of both.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.scale_data import GENERATOR_VERSION, OWN_CHANNEL, SOURCE, THREADS_PER_PAGE, Channel, bench_config
from collectors.youtube_normalize import thread_items
from social_listen import scoring
from social_listen.collect import run_source
from social_listen.db import engine as db
from social_listen.db.tables import items
from social_listen.model import Page, utcnow
from social_listen.scoring import InlineTriage, score_pending
from social_listen.store import Store
from social_listen.triage import TRIAGE_VERSION

HERE = Path(__file__).resolve().parent
CACHE = HERE / "results" / "cache"
TARGET_RATIO = 0.5
TARGET_SPEEDUP = 3.0
TARGET_RSS_MB = 300.0


class ChannelCollector:
    """A YouTube collector whose API is the generated channel: the product's normalizer, one Page per API page."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.generate_seconds = 0.0
        self.normalize_seconds = 0.0

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        pages = self.channel.pages()
        number = 0
        while True:
            started = time.perf_counter()
            threads = next(pages, None)
            normalizing = time.perf_counter()
            self.generate_seconds += normalizing - started
            if threads is None:
                return
            number += 1
            fetched = utcnow()
            found = [item for thread in threads for item in thread_items(thread, OWN_CHANNEL, fetched)]
            self.normalize_seconds += time.perf_counter() - normalizing
            yield Page(
                found, cursor={"page": number, "last_thread": threads[-1]["id"]}, api_calls=1, quota_units=1
            )


class Stopwatch:
    """Seconds spent inside some of the product's functions (wrapped for the benchmark), to say where time goes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed


INSTRUMENTED = ("save_page", "_upsert_items", "_upsert_authors", "_plan_answers", "_mark_answered")


def _instrument(store: Store, watch: Stopwatch) -> None:
    for name in INSTRUMENTED:
        setattr(store, name, watch.wrap(name.lstrip("_"), getattr(store, name)))


def _breakdown(seconds: dict[str, float], first: dict[str, Any], count: int) -> dict[str, float]:
    """Microseconds per item of the first pass, by part (they add up to the pass's time)."""
    parts = {
        "normalize": first["normalize_s"],
        "save_page.upsert_authors": seconds["upsert_authors"],
        "save_page.upsert_items": seconds["upsert_items"]
        - seconds["upsert_authors"]
        - seconds["inline_triage"]
        - seconds["plan_answers"],
        "save_page.inline_triage": seconds["inline_triage"],
        # the threads' answers: worked out before the page is written, the UPDATEs after
        "save_page.mark_answered": seconds["plan_answers"] + seconds["mark_answered"],
        "save_page.rest": seconds["save_page"] - seconds["upsert_items"] - seconds["mark_answered"],
        "run_source.rest": first["save_s"] - seconds["save_page"],
        "score_pending.triage_texts": seconds["triage_texts"] - seconds["inline_triage_texts"],
        "score_pending.rest": first["triage_s"] - seconds["triage_texts"] + seconds["inline_triage_texts"],
    }
    return {name: round(value / count * 1e6, 1) for name, value in parts.items()}


def _one_pass(store: Store, config: Any, channel: Channel, name: str) -> dict[str, Any]:
    """Collect the channel through run_source, then triage what is pending; timings and outcome."""
    watch = Stopwatch()
    _instrument(store, watch)
    triage_texts = scoring.triage_texts
    scoring.triage_texts = watch.wrap("triage_texts", triage_texts)  # type: ignore[assignment]
    collector = ChannelCollector(channel)
    inline = InlineTriage(store, config)  # as run_sources (`collect`) gives it
    fill = watch.wrap("inline_triage", inline.fill)
    inline_counts: list[int] = []

    def counted_fill(rows: Any, people: Any) -> None:
        inline_counts.append(len(rows))
        fill(rows, people)

    inline.fill = counted_fill  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        outcome = run_source(store, config.source(SOURCE), lambda _source: collector, triage=inline)
        collected = time.perf_counter()
        watch.seconds["inline_triage_texts"] = watch.seconds["triage_texts"]
        triaged = sum(inline_counts) + score_pending(store, config)
        store.refresh_statistics()  # as `collect` does after a collection
        done = time.perf_counter()
    finally:
        scoring.triage_texts = triage_texts  # type: ignore[assignment]
        for attribute in INSTRUMENTED:
            delattr(store, attribute)
    if outcome.status != "ok":
        raise RuntimeError(f"{name} pass: {outcome.status}: {outcome.message}")
    collect = collected - started - collector.generate_seconds
    result = {
        "seconds": collect + (done - collected), "normalize_s": collector.normalize_seconds,
        "save_s": collect - collector.normalize_seconds, "triage_s": done - collected,
        "generate_s": collector.generate_seconds, "new": outcome.new, "updated": outcome.updated,
        "answered": outcome.answered, "pages": outcome.pages, "triaged": triaged,
    }  # fmt: skip
    result["breakdown_us_per_item"] = _breakdown(watch.seconds, result, channel.count)
    return result


def real_backfill(url: str, count: int, seed: int, anchor: datetime) -> dict[str, Any]:
    """Backfill ``count`` items through the product twice (the second pass re-reads the same channel)."""
    store = Store(url)
    store.init()
    config = bench_config()
    store.sync_config(config)
    passes = {
        name: _one_pass(store, config, Channel(count, seed, anchor), name) for name in ("first", "second")
    }
    with store.engine.connect() as conn:
        counts = dict(
            conn.execute(select(items.c.status, func.count()).group_by(items.c.status)).tuples().all()
        )
        not_triaged = conn.execute(select(func.count()).where(items.c.triaged_at.is_(None))).scalar_one()
    store.engine.dispose()
    return {
        **passes, "stored": sum(counts.values()), "statuses": counts, "not_triaged": not_triaged,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }  # fmt: skip


def real_backfill_in_child(url: str, count: int, seed: int, anchor: datetime) -> dict[str, Any]:
    """``real_backfill`` in a fresh interpreter, so ru_maxrss is the real path's own peak."""
    args = [sys.executable, "-m", "bench.scale_backfill", url, str(count), str(seed), anchor.isoformat()]
    done = subprocess.run(args, capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        raise RuntimeError(f"real path failed: {done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the reference ----------------------------------------------------------------------------------------

AUTHOR_SQL = (
    "INSERT INTO authors (platform, external_id, name, handle, url, follower_count, tags, notes)"
    " VALUES (?, ?, ?, '', ?, NULL, '[]', '') ON CONFLICT (platform, external_id) DO UPDATE"
    " SET name = excluded.name WHERE authors.name <> excluded.name"
)
ITEM_SQL = (
    "INSERT INTO items (platform, external_id, source_id, brand_id, kind, parent_external_id, thread_external_id,"
    " object_id, object_url, author_id, author_name, is_own, text, like_count, url, can_reply, published_at,"
    " updated_at, collected_at, raw, fetched_at, fingerprint, status, sentiment_label, sentiment_score,"
    " triaged_at, tags, priority, priority_reasons, intents)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM authors WHERE platform = ? AND external_id = ?),"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, '[]', 0, '', '')"
    " ON CONFLICT (platform, external_id) DO UPDATE SET text = excluded.text, like_count = excluded.like_count,"
    " author_name = excluded.author_name, updated_at = excluded.updated_at, raw = excluded.raw,"
    " fetched_at = excluded.fetched_at, sentiment_label = excluded.sentiment_label,"
    " sentiment_score = excluded.sentiment_score"
)


def _sqlite_time(value: str) -> str:
    return value.replace("T", " ").rstrip("Z")


def _rows(
    threads: list[dict[str, Any]], ids: tuple[int, int], now: str, time_of: Any
) -> tuple[list[Any], ...]:
    """(author rows, item rows without sentiment, texts) of one page, read straight from the resources."""
    people: dict[str, tuple[Any, ...]] = {}
    rows: list[list[Any]] = []
    texts: list[str] = []
    for thread in threads:
        top_id = thread["id"]
        top_raw = {k: v for k, v in thread.items() if k != "replies"}
        comments = [thread["snippet"]["topLevelComment"], *thread.get("replies", {}).get("comments", ())]
        for comment in comments:
            s = comment["snippet"]
            author, reply = s["authorChannelId"]["value"], comment["id"] != top_id
            own, video = author == OWN_CHANNEL, s["videoId"]
            people[author] = ("youtube", author, s["authorDisplayName"], s["authorChannelUrl"])
            rows.append([
                "youtube", comment["id"], ids[0], ids[1], "reply" if reply else "comment",
                s.get("parentId") if reply else None, top_id, video, f"https://www.youtube.com/watch?v={video}",
                "youtube", author, s["authorDisplayName"], own, s["textOriginal"], s["likeCount"],
                f"https://www.youtube.com/watch?v={video}&lc={comment['id']}", True, time_of(s["publishedAt"]),
                time_of(s["updatedAt"]), now, json.dumps(comment if reply else top_raw), now,
                "closed" if own else "open",
            ])  # fmt: skip
            texts.append(s["textOriginal"])
    return list(people.values()), rows, texts


def raw_reference(url: str, count: int, seed: int, anchor: datetime) -> dict[str, Any]:
    """The same rows with plain executemany upserts (+ plain VADER on the texts) into a fresh migrated store."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    store = Store(url)
    store.init()
    store.sync_config(bench_config())
    with store.engine.connect() as conn:
        row = store.source_row(SOURCE, conn)
        ids = (int(row["id"]), int(row["brand_id"]))
    store.engine.dispose()
    analyzer = SentimentIntensityAnalyzer()
    sqlite_file = make_url(url).get_backend_name() == "sqlite"
    if sqlite_file:
        conn_raw: Any = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            conn_raw.execute(f"PRAGMA {pragma}")
        author_sql, item_sql, time_of, now = (
            AUTHOR_SQL,
            ITEM_SQL,
            _sqlite_time,
            _sqlite_time(utcnow().isoformat()),
        )
    else:
        import psycopg

        conn_raw = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
        author_sql, item_sql = AUTHOR_SQL.replace("?", "%s"), ITEM_SQL.replace("?", "%s")
        time_of, now = str, utcnow().isoformat()
    vader_s = write_s = generate_s = 0.0
    pages = Channel(count, seed, anchor).pages()
    while True:
        started = time.perf_counter()
        threads = next(pages, None)
        generated = time.perf_counter()
        generate_s += generated - started
        if threads is None:
            break
        people, rows, texts = _rows(threads, ids, now, time_of)
        scoring = time.perf_counter()
        compounds = [analyzer.polarity_scores(text)["compound"] for text in texts]
        writing = time.perf_counter()
        for values, compound in zip(rows, compounds, strict=True):
            label = "pos" if compound >= 0.05 else "neg" if compound <= -0.05 else "neu"
            values += [label, compound, now]
        cursor = conn_raw.cursor()
        if sqlite_file:
            cursor.execute("BEGIN")
        cursor.executemany(author_sql, people)
        cursor.executemany(item_sql, rows)
        if sqlite_file:
            cursor.execute("COMMIT")
        else:
            conn_raw.commit()
        done = time.perf_counter()
        vader_s += writing - scoring
        write_s += (scoring - generated) + (done - writing)
    stored = conn_raw.execute("SELECT count(*) FROM items").fetchone()[0]
    conn_raw.close()
    return {"write_s": write_s, "vader_s": vader_s, "generate_s": generate_s, "stored": int(stored)}


def summary(count: int, real: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """The figures and targets of one backfill measurement."""
    first, second = real["first"], real["second"]
    limit = raw["write_s"] + raw["vader_s"]
    ratio = limit / first["seconds"]
    speedup = first["seconds"] / second["seconds"]
    per_item = {
        f"{k[:-2]}_us": round(first[k] / count * 1e6, 1) for k in ("normalize_s", "save_s", "triage_s")
    }
    return {
        "items": count,
        "threads_per_page": THREADS_PER_PAGE,
        "real_items_per_s": round(count / first["seconds"]),
        "raw_limit_items_per_s": round(count / limit),
        "ratio_to_raw": round(ratio, 3),
        "ratio_target": TARGET_RATIO,
        "ratio_met": ratio >= TARGET_RATIO,
        "second_pass_items_per_s": round(count / second["seconds"]),
        "second_pass_speedup": round(speedup, 2),
        "speedup_target": TARGET_SPEEDUP,
        "speedup_met": speedup >= TARGET_SPEEDUP,
        "peak_rss_mb": round(real["peak_rss_mb"], 1),
        "rss_target_mb": TARGET_RSS_MB,
        "rss_met": real["peak_rss_mb"] <= TARGET_RSS_MB,
        "real_first_pass_us_per_item": per_item,
        "real_first_pass_breakdown_us_per_item": first["breakdown_us_per_item"],
        "real_second_pass_breakdown_us_per_item": second["breakdown_us_per_item"],
        "raw_us_per_item": {
            "executemany_us": round(raw["write_s"] / count * 1e6, 1),
            "vader_us": round(raw["vader_s"] / count * 1e6, 1),
        },  # fmt: skip
        "save_vs_executemany": round(raw["write_s"] / (first["save_s"] + first["normalize_s"]), 3),
        "triage_vs_vader": round(raw["vader_s"] / first["triage_s"], 3),
        "phase_seconds": {
            "real_first": round(first["seconds"], 1),
            "real_second": round(second["seconds"], 1),
            "raw_limit": round(limit, 1),
            "generating_excluded": round(first["generate_s"], 1),
        },  # fmt: skip
        "checks": {
            "stored": real["stored"],
            "raw_stored": raw["stored"],
            "first_new": first["new"],
            "second_new": second["new"],
            "second_updated": second["updated"],
            "first_triaged": first["triaged"],
            "second_triaged": second["triaged"],
            "not_triaged": real["not_triaged"],
            "answered_on_platform": first["answered"],
            "statuses": real["statuses"],
        },  # fmt: skip
    }


# -- the SQLite store cache, shared with bench_queries --------------------------------------------------


def cache_key(count: int, seed: int) -> dict[str, Any]:
    """What a cached store must match to be reused: size, seed, generator, schema and triage versions."""
    return {"items": count, "seed": seed, "generator": GENERATOR_VERSION, "schema": db.head_revision(),
            "triage": TRIAGE_VERSION}  # fmt: skip


def cache_path(count: int, seed: int) -> Path:
    return CACHE / f"store-sqlite-n{count}-seed{seed}.db"


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file so it can be moved alone."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


def keep_in_cache(path: Path, count: int, seed: int, anchor: datetime) -> Path:
    """Move a backfilled SQLite store into the cache, with its key and anchor."""
    checkpoint(path)
    target = cache_path(count, seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), target)
    meta = {**cache_key(count, seed), "anchor": anchor.isoformat()}
    target.with_suffix(".json").write_text(json.dumps(meta) + "\n")
    return target


def cached_store(count: int, seed: int) -> tuple[Path, datetime] | None:
    """The cached store for (count, seed) and its anchor, when it is there and current."""
    path = cache_path(count, seed)
    meta_file = path.with_suffix(".json")
    if os.environ.get("BENCH_REBUILD") == "1" or not path.is_file() or not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text())
    if any(meta.get(k) != v for k, v in cache_key(count, seed).items()):
        return None
    return path, datetime.fromisoformat(meta["anchor"])


def store_for(count: int, seed: int) -> tuple[Path, datetime]:
    """The cached store for (count, seed), built first through the real path (untimed) when missing."""
    found = cached_store(count, seed)
    if found is not None:
        return found
    anchor = new_anchor()
    with tempfile.TemporaryDirectory(prefix="sl-bench-") as folder:
        real_db = Path(folder) / "real.db"
        real_backfill_in_child(f"sqlite:///{real_db}", count, seed, anchor)
        return keep_in_cache(real_db, count, seed, anchor), anchor


def new_anchor() -> datetime:
    """The 'now' a channel's times run back from (the hour, so reruns within it build the same times)."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


if __name__ == "__main__":  # the child: python -m bench.scale_backfill URL COUNT SEED ANCHOR
    url, count, seed, anchor = (
        sys.argv[1],
        int(sys.argv[2]),
        int(sys.argv[3]),
        datetime.fromisoformat(sys.argv[4]),
    )
    print(json.dumps(real_backfill(url, count, seed, anchor)))
