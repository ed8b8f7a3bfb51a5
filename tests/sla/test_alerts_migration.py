"""The hand-written migration for the alerts tables matches their declaration in tables.py."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from social_listen.db.tables import metadata
from social_listen.store import Store

OURS = ("alerts", "alert_deliveries")


def _mentions_ours(diff: object) -> bool:
    text = repr(diff)
    return any(f"'{name}'" in text or f"Table('{name}'" in text for name in OURS)


def test_migrated_alert_tables_match_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if _mentions_ours(d)] == []
