"""The real dashboard for browser tests: a seeded store whose Facebook comments live on a fake Graph server,
`social-listen dashboard` started as a subprocess on a free port, and Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from social_listen.config import load_config
from social_listen.inbox_admin import create_user
from social_listen.store import Store
from tests.dashboard.seed import PASSWORD, Seeded, seed, write_config
from tests.fakes.graph import FakeGraph, graph_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SOCIAL_LISTEN = Path(sys.executable).with_name("social-listen")


@dataclass
class Dashboard:
    """A running dashboard and what it runs on."""

    url: str
    seeded: Seeded
    graph: FakeGraph
    post_id: str
    log: Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def dashboard_for_browser(tmp_path_factory: Any, name: str) -> Iterator[Dashboard]:
    """A running dashboard in a new temporary folder, for a module of browser tests (Chromium required)."""
    from tests.conftest import skip_or_fail

    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium not installed ({CHROMIUM})")
    with running_dashboard(tmp_path_factory.mktemp(name)) as running:
        yield running


@contextmanager
def running_dashboard(folder: Path) -> Iterator[Dashboard]:
    """Seed a store, start `social-listen dashboard` on it, and stop it afterwards."""
    with graph_server() as graph:
        seeded, post_id = _seed(folder, graph)
        port = free_port()
        log = folder / "dashboard.log"
        env = {**os.environ, "SOCIAL_LISTEN_REFRESH_SECONDS": "2"}
        command = [
            str(SOCIAL_LISTEN),
            "--config",
            str(folder / "shop.toml"),
            "dashboard",
            "--port",
            str(port),
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", process, log)
            yield Dashboard(f"http://127.0.0.1:{port}", seeded, graph, post_id, log)
        finally:
            _stop(process)


def _seed(folder: Path, graph: FakeGraph) -> tuple[Seeded, str]:
    config_file = write_config(folder / "shop.toml", folder / "shop.db", graph.base_url, graph.token)
    store = Store(f"sqlite:///{folder / 'shop.db'}")
    store.init()
    post_id = graph.add_post("Nueva colección de invierno", datetime(2026, 3, 1, 9, 0, tzinfo=UTC))

    def on_graph(key: str, text: str, at: datetime) -> str:
        return graph.add_comment(post_id, text, at)

    seeded = seed(store, load_config(config_file), facebook_id=on_graph)
    seeded.users["dora"] = create_user(store.engine, seeded.users["ana"], "dora", PASSWORD, "agent",
                                       display_name="Dora", language="es")  # fmt: skip
    return seeded, post_id


def wait_healthy(url: str, process: subprocess.Popen[Any], log: Path, timeout: float = 60.0) -> None:
    """Return once the Streamlit server answers its health check; RuntimeError with its log if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the dashboard did not start in {timeout:.0f} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
