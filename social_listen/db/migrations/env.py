"""Alembic environment: runs migrations on the connection the caller passes (or the configured URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from social_listen.db.engine import make_engine
from social_listen.db.tables import metadata


def _run(connection: Connection) -> None:
    batch = connection.dialect.name == "sqlite"
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=batch)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through the caller's connection when given one, else open the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)


run_migrations_online()
