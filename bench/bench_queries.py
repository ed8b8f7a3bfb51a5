"""The dashboard's queries at scale on SQLite: the inbox's first page under common filters, its filter counts,
the responsiveness aggregates and the trends, p50/p95 over repeated runs; the inbox pages and the backlog also
against hand-written SQL on the same tables and indexes (same rows required), in the same run.

Targets (reported, not enforced): inbox p95 <= 100 ms and <= 1.5x the hand SQL, aggregates p95 <= 500 ms.
Runs on the store bench_backfill left in bench/results/cache/ for the same BENCH_ITEMS and BENCH_SEED, or builds
it first (through the same real path, untimed). BENCH_QUERY_REPEAT (default 30) runs per query, at most ~15 s
each; a single run longer than BENCH_QUERY_TIMEOUT seconds (default 30) is cut off and reported as such.
"""

from __future__ import annotations

import json
import os

from bench.scale_backfill import cached_store, store_for
from bench.scale_queries import measure_queries
from social_listen.store import Store


def main() -> None:
    count = int(os.environ.get("BENCH_ITEMS", "1000000"))
    seed = int(os.environ.get("BENCH_SEED", "1"))
    repeat = int(os.environ.get("BENCH_QUERY_REPEAT", "30"))
    how = "cached by bench_backfill" if cached_store(count, seed) else "built now"
    path, anchor = store_for(count, seed)
    url = f"sqlite:///{path}"
    store = Store(url)
    result = {"benchmark": "queries", "database": "sqlite", "items": count, "seed": seed, "store": how,
              "repeat": repeat, **measure_queries(store.engine, url, anchor, repeat)}  # fmt: skip
    store.engine.dispose()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
