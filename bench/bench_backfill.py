"""Backfill at scale on SQLite: N bilingual YouTube comments and replies through the product's real path
(normalize -> Store.save_page under run_source -> score_pending) against the raw parts' limit (plain sqlite3
executemany upserts of the same rows + plain VADER on the same texts), measured in the same run.

Reports items/s and the ratio to the limit (target >= 50 %), the no-op second pass over the same N (target >= 3x
faster than the first), the real path's peak RSS in a child process (target <= 300 MB), and where the time goes.
Leaves the backfilled store in bench/results/cache/ for bench_queries. BENCH_ITEMS (default 1,000,000) and
BENCH_SEED (default 1) choose the channel. Targets are reported, never enforced. See bench/scale_backfill.py.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from bench.scale_backfill import keep_in_cache, new_anchor, raw_reference, real_backfill_in_child, summary


def main() -> None:
    count = int(os.environ.get("BENCH_ITEMS", "1000000"))
    seed = int(os.environ.get("BENCH_SEED", "1"))
    anchor = new_anchor()
    with tempfile.TemporaryDirectory(prefix="sl-bench-") as folder:
        real_db = Path(folder) / "real.db"
        real = real_backfill_in_child(f"sqlite:///{real_db}", count, seed, anchor)
        raw = raw_reference(f"sqlite:///{Path(folder) / 'raw.db'}", count, seed, anchor)
        cached = keep_in_cache(real_db, count, seed, anchor)
    result = {"benchmark": "backfill", "database": "sqlite", "seed": seed, **summary(count, real, raw),
              "cached_store": str(cached.relative_to(Path(__file__).resolve().parent))}  # fmt: skip
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
