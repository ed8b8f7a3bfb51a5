"""Fixtures for the dashboard's AppTests: a seeded SQLite store named by a config file, and a publisher fake."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import data, state
from social_listen.config import CONFIG_ENV, load_config
from social_listen.model import PostedReply, ReplyRequest
from social_listen.store import Store
from social_listen.users import user_row
from tests.dashboard.seed import Seeded, seed, write_config

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


class RecordingPublisher:
    """Posts nothing; records each reply and answers like a platform would."""

    def __init__(self) -> None:
        self.posted: list[ReplyRequest] = []
        self.errors: list[Exception] = []

    def publish(self, reply: ReplyRequest) -> PostedReply:
        self.posted.append(reply)
        if self.errors:
            raise self.errors.pop(0)
        return PostedReply(f"fb-{reply.reply_id}", url=f"https://facebook.example/reply/{reply.reply_id}")


@pytest.fixture
def seeded_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    """A seeded store the app opens through $SOCIAL_LISTEN_CONFIG, with fresh Streamlit caches."""
    config_file = write_config(tmp_path / "social-listen.toml", tmp_path / "store.db")
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.init()
    seeded = seed(store, load_config(config_file))
    monkeypatch.setenv(CONFIG_ENV, str(config_file))
    monkeypatch.delenv("SOCIAL_LISTEN_DATABASE_URL", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    return seeded


@pytest.fixture
def publisher(monkeypatch: pytest.MonkeyPatch) -> RecordingPublisher:
    """Replies from the app go to this fake; Facebook and YouTube count as having a reply API."""
    fake = RecordingPublisher()
    monkeypatch.setattr(data, "_publisher_for", lambda: lambda request: fake)
    monkeypatch.setattr(data, "can_publish", lambda platform: platform in ("facebook", "youtube"))
    return fake


@pytest.fixture
def open_app(seeded_app: Seeded) -> Callable[..., AppTest]:
    """Run the app logged in as one of the seeded users (or logged out), optionally with an item open."""

    def run(user: str | None = None, item: str | None = None, **session: Any) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        if user is not None:
            at.session_state[state.USER] = user_row(seeded_app.store.engine, seeded_app.users[user])
        if item is not None:
            at.session_state[state.ITEM_ID] = seeded_app.items[item]
        for key, value in session.items():
            at.session_state[key] = value
        return at.run()

    return run


@pytest.fixture
def settings_app(seeded_app: Seeded) -> Callable[[str], AppTest]:
    """The settings view on its own (agents cannot navigate to it), run as a seeded user."""

    def run(user: str) -> AppTest:
        at = AppTest.from_string(VIEW_SCRIPT.format(module="settings"), default_timeout=30)
        at.session_state[state.USER] = user_row(seeded_app.store.engine, seeded_app.users[user])
        return at.run()

    return run


VIEW_SCRIPT = """
from dashboard.views import {module}

{module}.render()
"""
