"""The backfill and query benchmarks on a real PostgreSQL server (bench_backfill and bench_queries, same code).

A throwaway cluster is started from the system's binaries (tests/pg.py: initdb from the PATH or
/usr/lib/postgresql/*/bin, fsync off, default memory settings), or $SOCIAL_LISTEN_TEST_PG_URL's server is used
(two sl_bench_* databases are created there and dropped after). The reference writes with plain psycopg
executemany. The store is ANALYZEd between the backfill and the queries (what autovacuum does on a live server).
BENCH_PG_ITEMS (default 200,000) sets N. Without PostgreSQL the result says "skipped" and why.
"""

from __future__ import annotations

import json
import os
from typing import Any

from sqlalchemy import create_engine, text

from bench.scale_backfill import new_anchor, raw_reference, real_backfill_in_child, summary
from bench.scale_queries import measure_queries, with_timeout
from social_listen.store import Store

DATABASES = ("sl_bench_real", "sl_bench_raw")


def _admin(server: str, *statements: str) -> list[Any]:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            results = [conn.execute(text(sql)) for sql in statements]
            return [r.scalar() if r.returns_rows else None for r in results]
    finally:
        engine.dispose()


def measure(server: str, count: int, seed: int, repeat: int) -> dict[str, Any]:
    """Backfill (real path in a child, and the reference), then the queries on the backfilled database."""
    base = server.rsplit("/", 1)[0]
    real_url, raw_url = (f"{base}/{name}" for name in DATABASES)
    version = _admin(server, "SHOW server_version")[0]
    _admin(
        server,
        *(f"DROP DATABASE IF EXISTS {n}" for n in DATABASES),
        *(f"CREATE DATABASE {n}" for n in DATABASES),
    )
    try:
        anchor = new_anchor()
        real = real_backfill_in_child(real_url, count, seed, anchor)
        raw = raw_reference(raw_url, count, seed, anchor)
        store = Store(with_timeout(real_url))
        with store.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        queries = measure_queries(store.engine, real_url, anchor, repeat)
        store.engine.dispose()
    finally:
        _admin(server, *(f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in DATABASES))
    return {"database": f"postgresql {version}", "items": count, "seed": seed, "backfill": summary(count, real, raw),
            "queries": {"repeat": repeat, **queries}}  # fmt: skip


def main() -> None:
    count = int(os.environ.get("BENCH_PG_ITEMS", "200000"))
    seed = int(os.environ.get("BENCH_SEED", "1"))
    repeat = int(os.environ.get("BENCH_QUERY_REPEAT", "30"))
    try:
        from tests.pg import server_url

        server, cluster = server_url()
    except Exception as exc:  # noqa: BLE001 - any failure to start means "not available here"
        print(json.dumps({"benchmark": "postgres", "skipped": f"PostgreSQL is not available: {exc}"}))
        return
    try:
        result = measure(server, count, seed, repeat)
    finally:
        if cluster is not None:
            cluster.stop()
    print(json.dumps({"benchmark": "postgres", **result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
