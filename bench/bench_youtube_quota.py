"""YouTube quota of an idle run (nothing new) on a 200-video channel, against the naive per-video scan.

Both run in the same process against the same fake Data API server, which counts every request's quota
units (list = 1). The naive scan reads the uploads playlist and one commentThreads page per video, which is
what watching each video separately costs. Also reported: the first (backfill) run and a run with a little
activity (new comments, and new replies in old threads). BENCH_VIDEOS sets the channel size.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from collectors.base import RetryPolicy, SourceContext
from collectors.youtube import YouTubeCollector, create
from collectors.youtube_api import YouTubeApi
from social_listen.config import parse_config
from tests.fakes.server import FakeServer
from tests.fakes.youtube import FakeYouTube

VIDEOS = int(os.environ.get("BENCH_VIDEOS", "200"))


def build_channel(fake: FakeYouTube, now: datetime) -> list[str]:
    """``VIDEOS`` uploads with 3 threads each, spread over months; every fourth thread has a long conversation."""
    threads = []
    for n in range(VIDEOS):
        video = fake.add_video(f"Vídeo {n}")
        for k in range(3):
            at = now - timedelta(hours=2 + n * 12 + k * 3)
            thread = fake.comment(video, f"Pregunta {n}.{k}", at)
            for r in range(5 if (n + k) % 4 == 0 else 1):
                fake.reply(thread, f"Respuesta {r}", at + timedelta(minutes=10 + r))
            threads.append(thread)
    return threads


def collector_for(fake: FakeYouTube) -> YouTubeCollector:
    """The product's collector, built the way `social-listen collect` builds it."""
    source = {"name": "bench-yt", "brand": "Bench", "platform": "youtube", "target": fake.channel_id,
              "base_url": fake.server.url, "credentials": {"api_key": "bench-key"}}  # fmt: skip
    config = parse_config({"brands": [{"name": "Bench"}], "sources": [source]})
    context = SourceContext(config.source("bench-yt"), config.brand("Bench"), {"api_key": "bench-key"})
    return create(context, RetryPolicy(sleep=lambda seconds: None))


def measured_run(fake: FakeYouTube, cursor: dict[str, Any] | None) -> dict[str, Any]:
    """One collection: units the server counted, units the pages reported, items, seconds, final cursor."""
    before, started = fake.units(), time.perf_counter()
    pages = list(collector_for(fake).collect(cursor))
    return {
        "units": fake.units() - before,
        "reported_units": sum(p.quota_units for p in pages),
        "items": sum(len(p.items) for p in pages),
        "seconds": round(time.perf_counter() - started, 3),
        "cursor": pages[-1].cursor,
    }


def naive_scan(fake: FakeYouTube) -> int:
    """Units for the reference: list the uploads, then one commentThreads page per video."""
    api = collector_for(fake).api
    assert isinstance(api, YouTubeApi)
    before = fake.units()
    uploads = "UU" + fake.channel_id[2:]
    api.channel(fake.channel_id)
    token, videos = None, []
    while True:
        page = api.playlist_items(uploads, token)
        videos += [entry["contentDetails"]["videoId"] for entry in page["items"]]
        token = page.get("nextPageToken")
        if not token:
            break
    for video in videos:
        api.comment_threads(None, video_id=video)
    return fake.units() - before


def main() -> dict[str, Any]:
    """Run the four measurements and return the figures."""
    now = datetime.now(UTC)
    with FakeServer() as server:
        fake = FakeYouTube(server)
        threads = build_channel(fake, now)
        first = measured_run(fake, None)
        idle = measured_run(fake, first["cursor"])
        naive = naive_scan(fake)
        for n in range(3):  # a little activity: new comments, and new replies deep in old threads
            fake.comment(
                fake.add_video() if n == 0 else next(iter(fake.videos)), f"Nuevo {n}", datetime.now(UTC)
            )
        for thread in threads[-2:]:
            fake.reply(thread, "¿Alguna novedad?", datetime.now(UTC))
        active = measured_run(fake, idle["cursor"])
    assert idle["units"] == idle["reported_units"], "the collector must report exactly the units it spent"
    return {
        "benchmark": "youtube_quota", "videos": VIDEOS, "threads": len(threads),
        "first_run_units": first["units"], "first_run_items": first["items"],
        "idle_run_units": idle["units"], "idle_run_items": idle["items"], "idle_run_seconds": idle["seconds"],
        "naive_per_video_units": naive, "naive_over_idle": round(naive / max(1, idle["units"]), 1),
        "active_run_units": active["units"], "active_run_items": active["items"],
    }  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
