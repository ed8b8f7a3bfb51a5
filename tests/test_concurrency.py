"""Many hands on one store at once. (a) A collector process saves thousands of items while dashboard readers
query the inbox and agents assign, change status, write notes and queue replies — on SQLite (WAL) and
PostgreSQL: no thread sees an error (no "database is locked"), and no write is lost. (b) On PostgreSQL three
`collect --all` processes started together split the sources between them: no source is collected by two
processes at once, nothing is stored twice; a dead worker's expired lease is taken over."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from collectors import collector_for
from social_listen.collect import LEASE_TTL, run_source
from social_listen.config import load_config
from social_listen.db.tables import events, items, notes, replies, runs, sources
from social_listen.inbox import InboxFilter, facet_counts, inbox_page
from social_listen.inbox_actions import add_note, assign, set_status
from social_listen.inbox_detail import item_detail
from social_listen.model import Page, utcnow
from social_listen.store import Store
from social_listen.users import add_user
from tests.conftest import _pg_store
from tests.helpers import comment

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "luna-file"
PAGES, PER_PAGE = 30, 150  # what the collector process writes: 4 500 items, one transaction per page
SEEDED = 40  # items the agents work on
MIN_ACTIONS = 24  # per agent, at the least; they go on until the collector is done
DEADLINE = 45.0  # seconds: every thread stops by then whatever happens

COLLECTOR = """
import sys
from social_listen.collect import run_source
from social_listen.model import Page
from social_listen.store import Store
from tests.conftest import make_config
from tests.helpers import comment

url, pages, per_page = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


class Bulk:
    def collect(self, cursor):
        for p in range(pages):
            batch = [comment(f"bulk-{p}-{i}", minutes=p * per_page + i) for i in range(per_page)]
            yield Page(batch, cursor={"page": p + 1}, api_calls=1)


outcome = run_source(Store(url), make_config().source("luna-file"), lambda s: Bulk(), owner="collector-host:1")
print(outcome.status, outcome.new, outcome.message)
sys.exit(0 if outcome.status == "ok" else 1)
"""


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def count(store: Store, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


class Crew:
    """Threads that record every exception instead of dying silently, and stop together."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.deadline = time.monotonic() + DEADLINE

    def start(self, name: str, work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
            except BaseException:  # noqa: BLE001 - the test reports every one of them
                self.errors.append(f"{name}: {traceback.format_exc()}")
                self.stop.set()

        thread = threading.Thread(target=run, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def going(self) -> bool:
        return not self.stop.is_set() and time.monotonic() < self.deadline

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=max(1.0, self.deadline - time.monotonic() + 5))
        assert not [t.name for t in self.threads if t.is_alive()], "a thread is stuck"


@pytest.mark.timeout(120)
def test_collector_readers_and_agents_at_once_see_no_error_and_lose_no_write(store: Store) -> None:
    engine = store.engine
    store.save_page(SOURCE, Page([comment(f"seed-{n}", minutes=-n) for n in range(SEEDED)]))
    with engine.connect() as conn:
        seeded = sorted(conn.execute(select(items.c.id)).scalars())
    agents = [add_user(engine, name, "luna-secret-42", "agent") for name in ("beto", "dora")]
    crew = Crew()
    collector_done = threading.Event()
    written: dict[str, int] = {"notes": 0, "replies": 0, "events": 0}
    action_times: list[datetime] = []
    lock = threading.Lock()

    def agent(me: int, mine: list[int], hot: int) -> Callable[[], None]:
        def work() -> None:
            n = 0
            while crew.going() and (not collector_done.is_set() or n < MIN_ACTIONS):
                item = mine[n % len(mine)]
                step, produced = n % 4, {"notes": 0, "replies": 0, "events": 0}
                if step == 0:
                    produced["events"] = assign(engine, me, [item], agents[(n // 4) % 2])
                elif step == 1:
                    produced["events"] = set_status(
                        engine, me, [item], "answered" if n % 8 == 1 else "reopen"
                    )
                elif step == 2:  # both agents write notes on the same hot item
                    add_note(engine, me, hot, f"Nota {me}-{n}: llamar al cliente")
                    produced["notes"] = produced["events"] = 1
                else:
                    store.enqueue_reply(item, f"Hola, te respondemos ({me}-{n})", me)
                    produced["replies"] = produced["events"] = 1
                with lock:
                    for key, value in produced.items():
                        written[key] += value
                    action_times.append(utcnow())
                n += 1

        return work

    reads = [0, 0, 0]

    def reader(k: int) -> Callable[[], None]:
        def work() -> None:
            rng, last_total = random.Random(k), 0
            while crew.going() and not (collector_done.is_set() and reads[k] >= 3):
                page = inbox_page(engine, InboxFilter(status=()), page=1 + reads[k] % 3)
                assert page.total >= last_total, f"items disappeared: {last_total} -> {page.total}"
                last_total = page.total
                counts = facet_counts(engine, InboxFilter())
                assert counts["platform"], "no platform facet while items exist"
                detail = item_detail(engine, rng.choice(seeded))
                assert detail.item["id"] in seeded
                reads[k] += 1

        return work

    half = len(seeded) // 2
    crew.start("agent-beto", agent(agents[0], seeded[1:half], seeded[0]))
    crew.start("agent-dora", agent(agents[1], seeded[half:], seeded[0]))
    for k in range(3):
        crew.start(f"reader-{k}", reader(k))
    collector = subprocess.run([sys.executable, "-c", COLLECTOR, url_of(store), str(PAGES), str(PER_PAGE)],
                               cwd=ROOT, capture_output=True, text=True, timeout=90)  # fmt: skip
    collector_done.set()
    crew.join()

    assert not crew.errors, "\n".join(crew.errors)
    assert collector.returncode == 0, collector.stdout + collector.stderr[-3000:]
    assert collector.stdout.startswith(f"ok {PAGES * PER_PAGE} ")
    assert min(reads) >= 3, f"the readers hardly ran: {reads}"
    run = store.run_rows(SOURCE)[0]
    assert (run["status"], run["pages"], run["new_count"]) == ("ok", PAGES, PAGES * PER_PAGE)
    during = [t for t in action_times if run["started_at"] <= t <= run["finished_at"]]
    assert during, "no agent action happened while the collector was writing"
    # nothing lost: every row somebody wrote is there, exactly once
    assert count(store, items) == SEEDED + PAGES * PER_PAGE
    assert count(store, notes) == written["notes"] > 0
    assert count(store, replies) == written["replies"] > 0
    assert count(store, events) == written["events"]
    with engine.connect() as conn:
        hot_notes = conn.execute(select(func.count()).select_from(notes).where(notes.c.item_id == seeded[0]))
        assert hot_notes.scalar_one() == written["notes"]


@pytest.mark.timeout(60)
def test_dashboard_reads_do_not_wait_for_a_collectors_open_write_and_see_the_last_commit(
    store: Store,
) -> None:
    engine = store.engine
    store.save_page(SOURCE, Page([comment(f"seed-{n}", minutes=-n) for n in range(6)]))
    first = inbox_page(engine, InboxFilter()).rows[0].id
    writer = engine.connect()  # a collector in the middle of a page: the write lock held, nothing committed
    writer.begin()
    writer.execute(update(items).values(status="answered"))
    seen: dict[str, Any] = {}

    def read() -> None:
        seen["page"] = inbox_page(engine, InboxFilter())
        seen["counts"] = facet_counts(engine, InboxFilter())
        seen["detail"] = item_detail(engine, first)

    try:
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(
            timeout=10
        )  # SQLite's busy timeout is 30 s: a read queued behind the writer is still waiting
        assert not reader.is_alive(), "a dashboard read waited for the collector's write to finish"
    finally:
        writer.rollback()
        writer.close()
    assert seen["page"].total == 6, "the read saw the uncommitted write or lost committed items"
    assert {v.value: v.count for v in seen["counts"]["status"]}["open"] == 6
    assert seen["detail"].item["status"] == "open"


# -- (b) several hosts on PostgreSQL ------------------------------------------------------------------

HOSTS = 3
FILE_SOURCES = [f"shop-{n}" for n in range(6)]
ROWS = 600  # enough work per source that one host cannot finish the round before the others start


def write_file(path: Path, source: str, rows: range) -> None:
    lines = ["id,text,author,created"]
    lines += [f"{source}-{n},Consulta {n} sobre el pedido de {source},Cliente {n},2026-03-01 10:{n % 60:02d}"
              for n in rows]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_config(folder: Path) -> Path:
    text = '[collect]\nmin_interval = "5m"\n\n[[brands]]\nname = "Tienda Luna"\ntimezone = "Europe/Madrid"\n'
    text += 'languages = ["es", "en"]\n'
    for name in FILE_SOURCES:
        write_file(folder / f"{name}.csv", name, range(ROWS))
        text += (f'\n[[sources]]\nname = "{name}"\nbrand = "Tienda Luna"\nplatform = "file"\n'
                 f'target = "{name}.csv"\noptions = {{ platform = "file" }}\n')  # fmt: skip
    path = folder / "social-listen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cli(config: Path, store: Store, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "social_listen",
        "--config",
        str(config),
        "--database-url",
        url_of(store),
        *args,
    ]


def runs_by_source(store: Store) -> dict[str, list[dict[str, Any]]]:
    query = (
        select(runs, sources.c.name)
        .join(sources, sources.c.id == runs.c.source_id)
        .order_by(runs.c.started_at)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            found.setdefault(row["name"], []).append(dict(row))
    return found


def duplicate_identities(store: Store) -> int:
    groups = select(items.c.platform, items.c.external_id).group_by(items.c.platform, items.c.external_id)
    with store.engine.connect() as conn:
        query = select(func.count()).select_from(groups.having(func.count() > 1).subquery())
        return int(conn.execute(query).scalar_one())


@pytest.fixture
def pg_store(pg_server: str, pg_template: str) -> Any:
    store = _pg_store(pg_server, pg_template)
    yield store
    store.engine.dispose()


@pytest.mark.postgres
@pytest.mark.timeout(180)
def test_three_hosts_collecting_all_at_once_split_the_sources_and_store_everything_once(
    pg_store: Store, tmp_path: Path
) -> None:
    config_file = write_config(tmp_path)
    pg_store.sync_config(load_config(config_file))
    hosts = [subprocess.Popen(cli(config_file, pg_store, "collect", "--all"), cwd=tmp_path, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(HOSTS)]  # fmt: skip
    outputs = [host.communicate(timeout=150) for host in hosts]
    for host, (out, err) in zip(hosts, outputs, strict=True):
        assert host.returncode == 0, out + err[-3000:]
        assert "locked" not in err and "deadlock" not in err.lower() and "Traceback" not in err, err[-3000:]

    collected = runs_by_source(pg_store)
    assert sorted(collected) == FILE_SOURCES
    for name, source_runs in collected.items():
        assert all(r["status"] == "ok" and r["finished_at"] is not None for r in source_runs), source_runs
        # the round is split: one host collected each source, the others found it busy or already done
        [run] = source_runs
        assert run["new_count"] == ROWS, (name, source_runs)
    said = "\n".join(out for out, _ in outputs)
    oks = [line for line in said.splitlines() if ": ok" in line]
    assert len(oks) == len(FILE_SOURCES), said  # every "ok" printed is one run row
    others = [
        line for line in said.splitlines() if ": busy" in line or "within [collect] min_interval" in line
    ]
    assert len(others) == (HOSTS - 1) * len(FILE_SOURCES), said
    assert len({run["host"] for runs_ in collected.values() for run in runs_}) >= 2, (
        "the hosts shared the work"
    )
    assert count(pg_store, items) == len(FILE_SOURCES) * ROWS and duplicate_identities(pg_store) == 0
    assert all(pg_store.source_row(name)["lease_owner"] is None for name in FILE_SOURCES)


@pytest.mark.postgres
@pytest.mark.timeout(120)
def test_a_dead_workers_lease_blocks_until_it_expires_then_a_new_collect_takes_over(
    pg_store: Store, tmp_path: Path
) -> None:
    config_file = write_config(tmp_path)
    config = load_config(config_file)
    pg_store.sync_config(config)
    name = FILE_SOURCES[2]
    assert pg_store.acquire_lease(name, "dead-host:4242", LEASE_TTL)  # it took the source, then was killed
    dead_run = pg_store.start_run(name, "dead-host:4242")
    blocked = run_source(pg_store, config.source(name), collector_for(config))
    assert blocked.status == "busy" and "dead-host:4242" in blocked.message
    assert count(pg_store, items) == 0

    with pg_store.engine.begin() as conn:  # LEASE_TTL later, the dead worker never renewed its lease
        conn.execute(update(sources).where(sources.c.name == name)
                     .values(lease_expires_at=datetime.now(UTC) - timedelta(seconds=1)))  # fmt: skip
    taken = subprocess.run(cli(config_file, pg_store, "collect", "--source", name), cwd=tmp_path,
                           capture_output=True, text=True, timeout=90)  # fmt: skip
    assert taken.returncode == 0, taken.stdout + taken.stderr[-3000:]
    assert f"{name}: ok — {ROWS} new" in taken.stdout
    source_runs = {r["id"]: r for r in runs_by_source(pg_store)[name]}
    assert source_runs[dead_run]["status"] == "failed" and "stopped" in source_runs[dead_run]["error"]
    (new_run,) = [r for r in source_runs.values() if r["id"] != dead_run]
    assert new_run["status"] == "ok" and new_run["new_count"] == ROWS and new_run["host"] != "dead-host:4242"
    assert pg_store.source_row(name)["lease_owner"] is None
    assert count(pg_store, items) == ROWS and duplicate_identities(pg_store) == 0
