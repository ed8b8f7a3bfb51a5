"""Tokens never leave the process they are used in: not in logs (even -vv), command output, exports, `config
show`, `status`, run records, reply errors or anywhere in the database file — also when the platform echoes
the token back in an error body or in a URL with ``access_token=`` / ``key=`` in its query string."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from social_listen.db.tables import items
from social_listen.model import utcnow
from social_listen.store import Store
from tests.fakes.graph import FakeGraph, graph_error, graph_server
from tests.fakes.wordpress import quick_server
from tests.fakes.youtube import API, FakeYouTube, google_error

ROOT = Path(__file__).resolve().parents[1]
FB_TOKEN = "SECRET-TOKEN-abc123-facebook"  # noqa: S105 - fake tokens, distinctive so any leak is found
YT_KEY = "SECRET-TOKEN-abc123-youtube"
SECRETS = (FB_TOKEN, YT_KEY)


@dataclass
class World:
    """Both fakes, the config naming them and the database every command writes to."""

    folder: Path
    config: Path
    database: Path
    graph: FakeGraph
    youtube: FakeYouTube
    transcript: list[str]

    def run(self, *args: str, ok: bool | None = True) -> subprocess.CompletedProcess[str]:
        """``social-listen -vv --config ... ARGS`` as a separate process, as cron runs it; keeps its output."""
        command = [sys.executable, "-m", "social_listen", "-vv", "--config", str(self.config), *args]
        env = {**os.environ, "FB_PAGE_TOKEN": FB_TOKEN}
        env.pop("SOCIAL_LISTEN_DATABASE_URL", None)
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
        self.transcript.append(f"$ {' '.join(args)}\n{done.stdout}\n{done.stderr}")
        if ok is not None:
            assert (done.returncode == 0) == ok, done.stdout + done.stderr[-3000:]
        return done


def write_config(path: Path, database: Path, graph: FakeGraph, youtube: FakeYouTube) -> Path:
    path.write_text(
        f'database_url = "sqlite:///{database}"\n\n'
        '[[brands]]\nname = "Tienda Luna"\ntimezone = "Europe/Madrid"\nlanguages = ["es", "en"]\n\n'
        f'[[sources]]\nname = "luna-facebook"\nbrand = "Tienda Luna"\nplatform = "facebook"\n'
        f'target = "{graph.page_id}"\nbase_url = "{graph.base_url}"\n'
        'credentials = { page_token = { "$env" = "FB_PAGE_TOKEN" } }\noptions = { page_size = 2 }\n\n'
        f'[[sources]]\nname = "luna-youtube"\nbrand = "Tienda Luna"\nplatform = "youtube"\n'
        f'target = "{youtube.channel_id}"\nbase_url = "{youtube.server.url}"\n'
        f'credentials = {{ api_key = "{YT_KEY}" }}\noptions = {{ page_size = 2, timeout = 5 }}\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with graph_server() as graph, quick_server() as server:
        graph.token = FB_TOKEN
        post = graph.add_post("Rebajas de invierno", utcnow() - timedelta(days=1))
        for n in range(5):  # page_size 2: Graph's paging.next URLs (with the token in them) are served
            graph.add_comment(post, f"¿Queda la talla {n}?", utcnow() - timedelta(hours=9 - n))
        youtube = FakeYouTube(server)
        video = youtube.add_video("Colección")
        for n in range(5):
            youtube.comment(video, f"¿Cuándo llega el pedido {n}?", utcnow() - timedelta(hours=9 - n))
        database = tmp_path / "store.db"
        config = write_config(tmp_path / "social-listen.toml", database, graph, youtube)
        yield World(tmp_path, config, database, graph, youtube, [])


def echoing_errors(world: World) -> None:
    """From now on both platforms refuse the token and echo it back, in the message and in a URL."""
    graph_echo = graph_error(190, f"Invalid OAuth access token - Cannot parse access token: {FB_TOKEN}. Request "
                             f"was https://graph.facebook.com/v26.0/{world.graph.page_id}/feed?access_token="
                             f"{FB_TOKEN}&limit=25")  # fmt: skip
    world.graph.server.fail_next(r".*/feed", graph_echo, times=20)
    youtube_echo = google_error(400, "keyInvalid", f"API key not valid: {YT_KEY}. Please pass a valid API key. "
                                f"https://youtube.googleapis.com{API}/commentThreads?part=snippet&key={YT_KEY}")  # fmt: skip
    world.youtube.server.fail_next(f"{API}/commentThreads", youtube_echo, times=20)


def refuse_replies_echoing(world: World) -> None:
    refusal = graph_error(
        200,
        f"(#200) Permissions error: the token {FB_TOKEN} cannot reply as the Page "
        f"(POST https://graph.facebook.com/v26.0/x/comments?access_token={FB_TOKEN})",
    )
    world.graph.server.fail_next(r".*/comments", refusal, times=5)


def leaks(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [secret for secret in SECRETS if secret.encode() in data]


@pytest.mark.timeout(180)
def test_tokens_appear_in_no_log_output_export_record_or_database_byte(world: World) -> None:
    world.run("init")
    first = world.run("collect", "--all")  # ok: pages followed, debug logging of every request
    assert "luna-facebook: ok — 5 new" in first.stdout and "luna-youtube: ok — 5 new" in first.stdout
    assert any(r.query.get("access_token") == FB_TOKEN for r in world.graph.server.requests)  # it was used
    assert any(r.query.get("key") == YT_KEY for r in world.youtube.server.requests)

    echoing_errors(world)
    refused = world.run("collect", "--all", ok=False)
    assert "luna-facebook: failed" in refused.stdout and "luna-youtube: failed" in refused.stdout
    assert "190" in refused.stdout and "keyInvalid" in refused.stdout  # the errors are told, tokens masked

    store = Store(f"sqlite:///{world.database}")
    with store.engine.connect() as conn:
        comment = conn.execute(select(items.c.external_id).where(items.c.platform == "facebook",
                                                                 items.c.kind == "comment")).scalars().first()  # fmt: skip
    refuse_replies_echoing(world)
    replied = world.run("reply", f"facebook:{comment}", "¡Hola! Te escribimos por privado.", ok=False)
    assert "failed" in replied.stderr or "failed" in replied.stdout
    failed = store.reply_rows(status="failed")
    assert len(failed) == 1 and "Permissions error" in failed[0]["error"]

    runs = store.run_rows("luna-facebook") + store.run_rows("luna-youtube")
    assert [r["status"] for r in runs if r["error"]] == ["failed", "failed"]
    sources = [store.source_row(name) for name in ("luna-facebook", "luna-youtube")]
    store.engine.dispose()
    world.run("status")
    world.run("replies")
    world.run("config", "show")
    world.run("export", "--format", "csv", "--output", str(world.folder / "items.csv"))
    world.run("export", "--format", "jsonl")

    assert not leaks("\n".join(world.transcript)), "a token in command output or logs:\n" + "\n".join(
        line for line in "\n".join(world.transcript).splitlines() if leaks(line))  # fmt: skip
    assert not [(r["id"], r["error"]) for r in runs if leaks(r["error"] or "")]
    assert not [(s["name"], s["last_error"]) for s in sources if leaks(s["last_error"] or "")]
    assert not [r["error"] for r in failed if leaks(r["error"] or "")]
    assert not leaks((world.folder / "items.csv").read_bytes())
    for file in sorted(world.folder.glob("store.db*")):  # the database, its WAL and shared memory
        assert not leaks(file.read_bytes()), f"a token is stored in {file.name}"
