"""Shared fixtures: a migrated store on SQLite and on a real PostgreSQL server, and a config."""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from social_listen.config import Config, parse_config
from social_listen.store import Store

REQUIRE_ALL = os.environ.get("SOCIAL_LISTEN_REQUIRE_ALL") == "1"
_counter = itertools.count()


def skip_or_fail(reason: str) -> None:
    """Skip on a laptop without the system part; fail in CI where .ci/run installed it."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (SOCIAL_LISTEN_REQUIRE_ALL=1: CI must have it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of the PostgreSQL server used by this test session."""
    from tests.pg import server_url

    try:
        url, cluster = server_url()
    except Exception as exc:  # noqa: BLE001 - any failure to start means "not available here"
        skip_or_fail(f"PostgreSQL is not available: {exc}")
        return
    yield url
    if cluster is not None:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """A migrated template database; each test copies it (fast) instead of migrating again."""
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS sl_template"))
        conn.execute(text("CREATE DATABASE sl_template"))
    admin.dispose()
    url = pg_server.rsplit("/", 1)[0] + "/sl_template"
    store = Store(url)
    store.init()
    store.engine.dispose()
    return url


def _pg_store(pg_server: str, pg_template: str) -> Store:
    name = f"sl_test_{os.getpid()}_{next(_counter)}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE sl_template"))
    admin.dispose()
    return Store(pg_server.rsplit("/", 1)[0] + "/" + name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A freshly migrated, empty store on SQLite and, in a second run of the test, on PostgreSQL."""
    if request.param == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'store.db'}")
        store.init()
    else:
        store = _pg_store(request.getfixturevalue("pg_server"), request.getfixturevalue("pg_template"))
    yield store
    store.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    """A freshly migrated SQLite store in a temporary folder."""
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.init()
    return store


def make_config(sources: list[dict[str, Any]] | None = None, **extra: Any) -> Config:
    """A config with one bilingual brand and the given sources (default: one file source)."""
    data: dict[str, Any] = {
        "brands": [{"name": "Tienda Luna", "timezone": "Europe/Madrid", "languages": ["es", "en"]}],
        "sources": sources
        if sources is not None
        else [{"name": "luna-file", "brand": "Tienda Luna", "platform": "file", "target": "x.csv"}],
        **extra,
    }
    return parse_config(data, Path("test.toml"))


@pytest.fixture
def config() -> Config:
    """The default test config."""
    return make_config()


@pytest.fixture
def store(any_store: Store, config: Config) -> Store:
    """A store (SQLite and PostgreSQL) with the test config's brands and sources synced."""
    any_store.sync_config(config)
    return any_store


@pytest.fixture(scope="module")
def quiet_collector_logs() -> Iterator[None]:
    """Collectors log each skipped payload as a warning: for property tests' thousands, only errors."""
    logger = logging.getLogger("collectors")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
