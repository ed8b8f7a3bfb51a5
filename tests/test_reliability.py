"""Proved under faults: a collector killed at random resumes without losing or doubling anything, storms of
platform errors lose nothing and every run says how it ended, and replies survive lost answers untwinned."""

from __future__ import annotations

import base64
import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, update

from collectors import collector_for, publisher_for, youtube_api
from collectors.base import RetryPolicy
from social_listen.cli import main
from social_listen.collect import LEASE_TTL, run_source
from social_listen.config import load_config
from social_listen.db.tables import items, replies, sources
from social_listen.model import parse_time, utcnow
from social_listen.publish import publish_pending
from social_listen.store import Store
from tests.fakes.server import Request
from tests.fakes.youtube import API, FakeYouTube, minutes_ago
from tests.faults import (
    ACCEPTED_FIRST,
    FaultSchedule,
    busy_channel,
    fast_server,
    threads_newest_first,
    youtube_ids,
    youtube_read_faults,
    youtube_write_faults,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "luna-youtube"
THREADS = "GET commentThreads"
LAG = timedelta(minutes=30)  # the YouTube collector's default re-read window (lag_minutes)
# Trial counts: small in `make test`; `make bench` (bench/bench_reliability.py) raises them.
KILL_TRIALS = int(os.environ.get("SL_KILL_TRIALS", "4"))
REPLIES = int(os.environ.get("SL_REPLY_ATTEMPTS", "60"))


# -- helpers -----------------------------------------------------------------------------------------


def write_config(path: Path, fake: FakeYouTube, credentials: dict[str, str], **options: Any) -> Path:
    """A config file with one YouTube source pointed at the fake."""
    creds = ", ".join(f'{k} = "{v}"' for k, v in credentials.items())
    opts = ", ".join(f"{k} = {v!r}" for k, v in options.items())
    path.write_text(
        '[[brands]]\nname = "Tienda Luna"\ntimezone = "Europe/Madrid"\nlanguages = ["es", "en"]\n\n'
        f'[[sources]]\nname = "{SOURCE}"\nbrand = "Tienda Luna"\nplatform = "youtube"\n'
        f'target = "{fake.channel_id}"\nbase_url = "{fake.server.url}"\n'
        f"credentials = {{ {creds} }}\noptions = {{ {opts} }}\n",
        encoding="utf-8",
    )
    return path


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def cli_command(config: Path, store: Store, *args: str) -> list[str]:
    options = ["--config", str(config), "--database-url", url_of(store)]
    return [sys.executable, "-m", "social_listen", *options, *args]


def collect_process(config: Path, store: Store) -> subprocess.CompletedProcess[str]:
    """``social-listen collect --source ...`` as cron runs it, to the end."""
    command = cli_command(config, store, "collect", "--source", SOURCE)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def stored_ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(items.c.external_id).where(items.c.platform == "youtube")).scalars())


def duplicate_groups(store: Store) -> int:
    """How many (platform, external_id) identities have more than one row."""
    groups = select(items.c.platform, items.c.external_id).group_by(items.c.platform, items.c.external_id)
    with store.engine.connect() as conn:
        query = select(func.count()).select_from(groups.having(func.count() > 1).subquery())
        return int(conn.execute(query).scalar_one())


def offset_of(page_token: str) -> int:
    """How many threads come before the page a (fake) YouTube page token points at."""
    kind, value = base64.urlsafe_b64decode(page_token.encode()).decode().split(":")
    assert kind == "offset"
    return int(value)


def set_lease_expiry(store: Store, when: datetime) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(sources).where(sources.c.name == SOURCE).values(lease_expires_at=when))


# -- 1. kill -9 at random points ----------------------------------------------------------------------


def start_and_kill(
    config: Path, store: Store, fake: FakeYouTube, pages: int, rng: random.Random
) -> tuple[int, bool]:
    """Start a collection and SIGKILL it once the fake has served it ``pages`` thread pages; (pid, killed)."""
    command = cli_command(config, store, "collect", "--source", SOURCE)
    target = fake.served.get(THREADS, 0) + pages
    with (config.parent / "killed.log").open("a") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while fake.served.get(THREADS, 0) < target and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.03))  # land anywhere: mid-request, mid-transaction, between pages
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return process.pid, process.returncode == -signal.SIGKILL


def assert_cursor_misses_nothing(store: Store, fake: FakeYouTube) -> None:
    """A restart from the saved cursor reads everything not stored yet: the threads before the scan's page
    token (or, with no scan under way, older than the watermark's re-read window) are stored with their replies."""
    cursor = store.get_cursor(SOURCE) or {}
    scan, watermark = cursor.get("scan") or {}, cursor.get("watermark")
    if scan.get("page_token"):
        covered = threads_newest_first(fake)[: offset_of(scan["page_token"])]
    elif watermark:
        cutoff = parse_time(watermark) - LAG
        covered = [thread.id for thread in fake.threads.values() if thread.published < cutoff]
    else:
        return
    expected = set(covered) | {reply.id for thread in covered for reply in fake.replies[thread]}
    missing = expected - set(stored_ids(store))
    where = {"watermark": watermark, "scan": scan}
    assert not missing, f"the cursor {where} points past {len(missing)} items that were never stored"


@pytest.mark.timeout(60 + 15 * KILL_TRIALS)
def test_collection_killed_at_random_points_resumes_to_every_item_once(
    any_store: Store, tmp_path: Path
) -> None:
    rng = random.Random(20260302)
    with fast_server() as server:
        fake = FakeYouTube(server)
        busy_channel(fake, rng, threads=80 * KILL_TRIALS, videos=6)
        config = write_config(
            tmp_path / "sl.toml", fake, {"api_key": "test-api-key"}, page_size=10, timeout=5
        )
        settings = load_config(config)
        trials: list[tuple[int, bool]] = []
        for trial in range(KILL_TRIALS):
            pid, killed = start_and_kill(config, any_store, fake, rng.randint(1, 6), rng)
            trials.append((pid, killed))
            assert_cursor_misses_nothing(any_store, fake)
            if not killed:
                continue
            source = any_store.source_row(SOURCE)
            # The dead process still holds the lease, but only until it expires.
            assert source["lease_owner"].endswith(f":{pid}")
            assert source["lease_expires_at"] <= datetime.now(UTC) + LEASE_TTL
            if trial == 0:
                blocked = run_source(any_store, settings.source(SOURCE), collector_for(settings))
                assert blocked.status == "busy" and f":{pid}" in blocked.message
            set_lease_expiry(any_store, datetime.now(UTC) - timedelta(seconds=1))  # LEASE_TTL has passed
        finished = collect_process(config, any_store)
        assert finished.returncode == 0, finished.stderr[-3000:]
        assert f"{SOURCE}: ok" in finished.stdout
        ids = stored_ids(any_store)
        assert len(ids) == len(youtube_ids(fake)) and set(ids) == youtube_ids(fake)
        assert duplicate_groups(any_store) == 0
        assert any_store.source_row(SOURCE)["lease_owner"] is None
        again = run_source(any_store, settings.source(SOURCE), collector_for(settings))
        assert (again.status, again.new, again.updated) == ("ok", 0, 0)
        assert len(stored_ids(any_store)) == len(youtube_ids(fake))
    log = (tmp_path / "killed.log").read_text()[-3000:]
    assert all(killed for _, killed in trials), f"a collection ended before its kill: {trials}\n{log}"
    runs = {run["host"].rsplit(":", 1)[-1]: run for run in any_store.run_rows(SOURCE, limit=50)}
    for pid, _ in trials:  # a killed run does not stay "running" forever: the next run closes it
        assert runs[str(pid)]["status"] == "failed" and runs[str(pid)]["finished_at"] is not None
        assert "stopped" in runs[str(pid)]["error"]


def test_a_run_left_running_by_a_killed_collector_is_closed_as_failed_by_the_next(store: Store) -> None:
    dead = store.start_run("luna-file", "host-a:41")  # SIGKILL: this run never finishes
    live = store.start_run("luna-file", "host-b:42")  # after the lease expired
    store.finish_run(live, "ok")
    runs = {run["id"]: run for run in store.run_rows("luna-file")}
    assert (runs[dead]["status"], runs[live]["status"]) == ("failed", "ok")
    assert runs[dead]["finished_at"] is not None and "stopped before finishing" in runs[dead]["error"]


# -- 2. seeded storms of platform errors --------------------------------------------------------------

READ_TIMEOUT = 0.5  # seconds; a slow answer takes three times as long
STORM_RUNS = 6
OAUTH = {"oauth_token": "oauth-token-1", "refresh_token": "refresh-1", "client_id": "client-1",
         "client_secret": "secret-1"}  # fmt: skip


@pytest.fixture
def recorded_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The retry policy the CLI gives YouTube, with its waits recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(youtube_api, "RetryPolicy", lambda: RetryPolicy(sleep=waits.append))
    return waits


def invoke_collect(config: Path, store: Store) -> Result:
    """``social-listen collect --source ...`` in this process (the CLI replaces the root log handlers)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        return CliRunner().invoke(main, ["--config", str(config), "--database-url", url_of(store),
                                         "collect", "--source", SOURCE])  # fmt: skip
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def collect_and_check_run(config: Path, store: Store) -> str:
    """Collect once; the run is recorded with an end and a status, and the exit code agrees with it."""
    before = len(store.run_rows(SOURCE, limit=1000))
    result = invoke_collect(config, store)
    runs = store.run_rows(SOURCE, limit=1000)
    assert len(runs) == before + 1, result.output
    run = runs[0]
    assert run["finished_at"] is not None and run["status"] in ("ok", "failed", "paused"), run
    assert f"{SOURCE}: {run['status']}" in result.output
    assert result.exit_code == (0 if run["status"] == "ok" else 1), result.output
    assert (run["error"] is None) == (run["status"] == "ok")
    if run["status"] == "paused":  # cron tries again once the quota or rate limit has reset
        store.pause_source(SOURCE, datetime.now(UTC) - timedelta(seconds=1), "reset passed")
    return str(run["status"])


def more_news(fake: FakeYouTube, rng: random.Random) -> None:
    """Between two runs, a new comment and a late reply in an old thread arrive."""
    video = rng.choice(sorted(fake.videos))
    fake.comment(video, f"Nuevo comentario {rng.random():.6f}", datetime.now(UTC) - timedelta(seconds=2))
    old = rng.choice(sorted(fake.threads))
    fake.reply(old, f"Respuesta tardía {rng.random():.6f}", datetime.now(UTC) - timedelta(seconds=1))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_storm_of_platform_errors_loses_nothing_and_every_run_says_how_it_ended(
    seed: int, sqlite_store: Store, tmp_path: Path, recorded_waits: list[float]
) -> None:
    rng = random.Random(seed)
    with fast_server() as server:
        fake = FakeYouTube(server)
        busy_channel(fake, rng, threads=90, videos=4)
        schedule = FaultSchedule(seed, youtube_read_faults(READ_TIMEOUT), rate=0.2, pattern=f"{API}/.*",
                                 bursts={"503 outage": 4})  # fmt: skip
        server.schedule = schedule
        config = write_config(tmp_path / "sl.toml", fake, OAUTH, page_size=10, timeout=READ_TIMEOUT)
        sqlite_store.sync_config(load_config(config))
        storm = []
        for _ in range(STORM_RUNS):
            more_news(fake, rng)
            storm.append(collect_and_check_run(config, sqlite_store))
        schedule.enabled = False  # the storm passes; the next cron runs catch up
        calm = [collect_and_check_run(config, sqlite_store) for _ in range(2)]
    assert calm[-1] == "ok", calm
    ids = stored_ids(sqlite_store)
    assert len(ids) == len(youtube_ids(fake)) and set(ids) == youtube_ids(fake)
    assert duplicate_groups(sqlite_store) == 0
    assert {"failed", "paused"} & set(storm), (
        f"seed {seed}: no run failed, no failing exit code seen: {storm}"
    )
    assert len(schedule.kinds_injected()) >= 5, schedule.kinds_injected()
    assert recorded_waits and max(recorded_waits) <= RetryPolicy().max_wait


# -- 3. replies under failures before and after the platform accepts them -----------------------------

WRITE_TIMEOUT = 0.5
NOT_SENT_AGAIN = ACCEPTED_FIRST | {"before: 500"}  # the outbox cannot tell these from a posted reply


def brand_replies_on_youtube(fake: FakeYouTube) -> dict[str, list[str]]:
    """Reply text -> ids of the channel's own replies with that text, as the fake holds them."""
    found: dict[str, list[str]] = defaultdict(list)
    for thread_replies in fake.replies.values():
        for reply in thread_replies:
            if reply.author_channel == fake.channel_id:
                found[reply.text].append(reply.id)
    return found


def make_queued_replies_due(store: Store) -> int:
    """Time passes until every reply waiting for its next attempt is due; how many there were."""
    with store.engine.begin() as conn:
        stmt = update(replies).where(replies.c.status == "queued").values(next_attempt_at=utcnow())
        return int(conn.execute(stmt).rowcount or 0)


def posted_text(request: Request) -> str:
    return str(request.json()["snippet"]["textOriginal"])


def customer_questions(fake: FakeYouTube) -> list[str]:
    videos = [fake.add_video(f"Vídeo {n}") for n in range(3)]
    return [
        fake.comment(videos[n % 3], f"¿Tenéis la talla {n}?", minutes_ago(600 + REPLIES - n))
        for n in range(REPLIES)
    ]


@pytest.mark.timeout(60 + REPLIES // 4)
def test_replies_are_never_doubled_nor_lost_when_posting_fails_before_or_after_youtube_accepts(
    sqlite_store: Store, tmp_path: Path
) -> None:
    store = sqlite_store
    with fast_server() as server:
        fake = FakeYouTube(server)
        questions = customer_questions(fake)
        config = load_config(write_config(tmp_path / "sl.toml", fake, OAUTH, timeout=WRITE_TIMEOUT))
        store.sync_config(config)

        def collect() -> str:
            return run_source(store, config.source(SOURCE), collector_for(config)).status

        assert collect() == "ok"
        with store.engine.connect() as conn:
            item_ids = dict(conn.execute(select(items.c.external_id, items.c.id)).tuples().all())
        for n, question in enumerate(questions):
            store.enqueue_reply(item_ids[question], f"¡Hola! Sí, la talla {n} llega el lunes.")
        schedule = FaultSchedule(7, youtube_write_faults(WRITE_TIMEOUT), rate=0.5, pattern=f"{API}/comments",
                                 methods=("POST",))  # fmt: skip
        server.schedule = schedule
        # cron: publish what is due, collect (which sees the brand's replies); time passes
        for _ in range(40):  # until nothing waits for another attempt
            publish_pending(store, publisher_for(config))
            assert collect() == "ok"
            if not make_queued_replies_due(store):
                break
        posted = brand_replies_on_youtube(fake)
        rows = {row["text"]: row for row in store.reply_rows()}
        assert len(rows) == REPLIES
        assert all(len(ids) == 1 for ids in posted.values()), "a reply was posted twice"
        assert not [row for row in rows.values() if row["status"] in ("queued", "sending")]
        for row in rows.values():
            if row["text"] in posted:  # on YouTube: sent, directly or confirmed by the collection
                assert (row["status"], row["platform_reply_id"]) == ("sent", posted[row["text"]][0]), row
            else:  # not on YouTube: shown to a person with the reason, never reported as sent
                assert row["status"] in ("uncertain", "failed") and row["error"], row
        posts = server.calls("POST", f"{API}/comments")
        lost = [hit for hit in schedule.injected if hit.kind in NOT_SENT_AGAIN]
        for hit in lost:  # an answer that may have been a success is never followed by the same reply again
            later = posts[next(n for n, r in enumerate(posts) if r is hit.request) + 1 :]
            assert posted_text(hit.request) not in {posted_text(r) for r in later}
        confirmed = [hit for hit in lost if hit.kind in ACCEPTED_FIRST]
        assert len(confirmed) >= 5 and {"before: 503", "before: 429"} & schedule.kinds_injected()
        assert all(rows[posted_text(hit.request)]["status"] == "sent" for hit in confirmed)

        server.schedule = None  # a person settles what is left: `replies resolve ID --outcome retry`
        for row in store.reply_rows():
            if row["status"] in ("uncertain", "failed"):
                store.resolve_reply(row["id"], "retry")
        publish_pending(store, publisher_for(config))
        assert collect() == "ok"
        posted = brand_replies_on_youtube(fake)
    assert sorted(posted) == sorted(row["text"] for row in store.reply_rows())
    assert all(len(ids) == 1 for ids in posted.values())
    assert {row["status"] for row in store.reply_rows()} == {"sent"}
    with store.engine.connect() as conn:
        customer_items = select(items.c.status).where(items.c.is_own.is_(False))
        assert set(conn.execute(customer_items).scalars()) == {"answered"}


def test_an_item_reopened_in_the_dashboard_stays_open_through_collections_until_the_brand_replies_again(
    any_store: Store, tmp_path: Path
) -> None:
    """The brand answered in YouTube Studio; an agent reopens the item (the answer was not enough). The next
    `collect` re-reads the thread (inside its lag window) and must not close it again; a new brand reply does."""
    from social_listen.inbox_actions import set_status
    from social_listen.users import add_user

    with fast_server() as server:
        fake = FakeYouTube(server)
        video = fake.add_video()
        thread = fake.comment(video, "¿Hacen envíos a Canarias? Pedí hace una semana", minutes_ago(12))
        fake.owner_reply(thread, "¡Hola! Sí, en 3-5 días.", minutes_ago(8))
        config = write_config(tmp_path / "sl.toml", fake, {"api_key": "test-api-key"}, timeout=5)
        any_store.init()
        any_store.sync_config(load_config(config))

        def collect_and_read() -> tuple[str, datetime | None]:
            done = collect_process(config, any_store)
            assert done.returncode == 0, done.stderr[-3000:]
            with any_store.engine.connect() as conn:
                row = conn.execute(
                    select(items.c.status, items.c.answered_at).where(items.c.external_id == thread)
                )
                return row.one().tuple()

        assert collect_and_read()[0] == "answered"
        agent = add_user(any_store.engine, "lucia", "una-clave-larga", role="agent")
        with any_store.engine.connect() as conn:
            item_id = conn.execute(select(items.c.id).where(items.c.external_id == thread)).scalar_one()
        assert set_status(any_store.engine, agent, [item_id], "reopen") == 1
        assert collect_and_read() == ("open", None)
        assert len(fake.calls_to("commentThreads")) >= 2  # the second run did read the thread again
        fake.owner_reply(thread, "Te escribimos por privado con el seguimiento.", minutes_ago(1))
        status, answered_at = collect_and_read()
        assert status == "answered" and answered_at is not None and answered_at > minutes_ago(3)
