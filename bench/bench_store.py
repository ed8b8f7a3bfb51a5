"""Backfill through the real write path (Store.save_page) against plain sqlite3 executemany upserts.

Same rows, same file system, same run. Reports items/s for both, the ratio, the speed of a no-op second
pass, and the peak memory of the real path (measured in a child process). BENCH_ITEMS sets the size.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from social_listen.config import parse_config
from social_listen.model import Author, Item, Page
from social_listen.store import Store

PAGE = 1000
WORDS_ES = "pedido envío talla devolución llegó nunca gracias genial roto pago cobro factura zapatillas chaqueta".split()
WORDS_EN = (
    "order shipping size refund arrived never thanks great broken payment charge invoice shoes jacket".split()
)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def items(count: int, seed: int = 1) -> Iterator[Item]:
    """Bilingual comments in threads of ~5, one brand reply per few threads."""
    rng = random.Random(seed)
    for n in range(count):
        thread = f"t{n // 5}"
        words = WORDS_ES if n % 3 else WORDS_EN
        text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 25)))
        own = n % 5 == 4 and n % 15 != 14
        yield Item(
            platform="youtube", external_id=f"c{n}", text=text, published_at=T0 + timedelta(seconds=n * 7),
            kind="reply" if n % 5 else "comment", author=Author(f"a{rng.randint(0, count // 4)}", "Cliente"),
            parent_external_id=None if n % 5 == 0 else thread, thread_external_id=thread, is_own=own,
            like_count=rng.randint(0, 50), raw={"id": f"c{n}", "snippet": {"textDisplay": text}},
        )  # fmt: skip


def pages(count: int) -> Iterator[Page]:
    batch: list[Item] = []
    for item in items(count):
        batch.append(item)
        if len(batch) == PAGE:
            yield Page(batch, cursor={"last": item.external_id})
            batch = []
    if batch:
        yield Page(batch, cursor={"last": batch[-1].external_id})


def real_path(folder: Path, count: int) -> dict[str, float]:
    """Backfill through Store.save_page twice (the second pass is a no-op)."""
    store = Store(f"sqlite:///{folder / 'real.db'}")
    store.init()
    config = parse_config(
        {
            "brands": [{"name": "B"}],
            "sources": [{"name": "s", "brand": "B", "platform": "youtube", "target": "UC"}],
        }
    )
    store.sync_config(config)
    timings = {}
    for name in ("first", "second"):
        started = time.perf_counter()
        for page in pages(count):
            store.save_page("s", page)
        timings[name] = time.perf_counter() - started
    timings["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return timings


def raw_sqlite(folder: Path, count: int) -> float:
    """The same rows upserted with plain sqlite3 executemany, one transaction per page."""
    db = sqlite3.connect(folder / "raw.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, platform TEXT, external_id TEXT, text TEXT, published_at TEXT,"
        " kind TEXT, author TEXT, parent TEXT, thread TEXT, is_own INT, like_count INT, raw TEXT,"
        " UNIQUE(platform, external_id))"
    )
    sql = (
        "INSERT INTO items (platform, external_id, text, published_at, kind, author, parent, thread, is_own,"
        " like_count, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(platform, external_id) DO UPDATE SET"
        " text=excluded.text, like_count=excluded.like_count, raw=excluded.raw"
    )
    started = time.perf_counter()
    for page in pages(count):
        rows = [(i.platform, i.external_id, i.text, i.published_at.isoformat(), i.kind, i.author.external_id if i.author else None,
                 i.parent_external_id, i.thread_external_id, i.is_own, i.like_count, json.dumps(i.raw)) for i in page.items]  # fmt: skip
        db.execute("BEGIN")
        db.executemany(sql, rows)
        db.execute("COMMIT")
    return time.perf_counter() - started


def main() -> None:
    count = int(os.environ.get("BENCH_ITEMS", "200000"))
    if "--child" in sys.argv:
        print(json.dumps(real_path(Path(sys.argv[-1]), count)))
        return
    with tempfile.TemporaryDirectory() as folder:
        child = subprocess.run([sys.executable, "-m", "bench.bench_store", "--child", folder],
                               capture_output=True, text=True, check=True)  # fmt: skip
        real = json.loads(child.stdout.strip().splitlines()[-1])
        raw = raw_sqlite(Path(folder), count)
    result = {
        "items": count,
        "real_items_per_s": round(count / real["first"]),
        "raw_sqlite_items_per_s": round(count / raw),
        "ratio_to_raw": round(raw / real["first"], 3),
        "noop_second_pass_speedup": round(real["first"] / real["second"], 2),
        "peak_rss_mb": round(real["peak_rss_mb"], 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
