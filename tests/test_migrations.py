"""Migrations upgrade an older database and keep its data, on SQLite and PostgreSQL: 0004 (brand_models, where
the database itself refuses a second active version of a brand) and 0005 (items.first_response_at, filled
from the stored replies by the next config sync); the tables match their declarations."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import IntegrityError

from social_listen.db.engine import current_revision, downgrade, head_revision, make_engine, upgrade
from social_listen.db.tables import brand_models, brands, items, metadata, sources
from social_listen.metrics_sql import stored_rules
from social_listen.store import Store
from tests.conftest import make_config

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_counter = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database (no migration run yet), SQLite and PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        server = request.getfixturevalue("pg_server")
        name = f"sl_migrate_{os.getpid()}_{next(_counter)}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        engine = make_engine(server.rsplit("/", 1)[0] + "/" + name)
    yield engine
    engine.dispose()


def _fill_at_0003(engine: Engine) -> None:
    """A brand, a source and an item, written while the schema is at 0003."""
    with engine.begin() as conn:
        conn.execute(
            brands.insert().values(id=1, name="Tienda Luna", timezone="UTC", languages=["es"], settings={})
        )
        conn.execute(sources.insert().values(id=1, name="luna-file", brand_id=1, platform="file", target="x.csv",
                                             enabled=True))  # fmt: skip
        conn.execute(items.insert().values(
            id=1, platform="file", external_id="c1", source_id=1, brand_id=1, kind="comment", author_name="Ana",
            is_own=False, text="Está enfermo el buzo", published_at=T0, collected_at=T0, fingerprint="f",
            status="open", priority=0.0, priority_reasons="", intents="", tags=[], can_reply=True,
        ))  # fmt: skip


def _version(version: int, active: bool) -> dict[str, object]:
    return {"brand_id": 1, "version": version, "created_at": T0, "active": active, "languages": {},
            "metrics": {}, "source": "corrections"}  # fmt: skip


def test_upgrading_a_0003_database_keeps_its_data_and_adds_brand_models(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0003")
    _fill_at_0003(empty_engine)
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    with empty_engine.begin() as conn:
        assert conn.execute(select(items.c.text)).scalar() == "Está enfermo el buzo"
        conn.execute(brand_models.insert().values(**_version(1, True)))
        assert conn.execute(select(func.count()).select_from(brand_models)).scalar() == 1


def test_the_database_refuses_two_active_versions_of_one_brand(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    _fill_at_0003(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(brand_models.insert(), [_version(1, False), _version(2, True), _version(3, False)])
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(brand_models.insert().values(**_version(4, True)))
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(brand_models.insert().values(**_version(2, False)))  # numbers are unique per brand


def test_migrated_brand_models_table_matches_the_declared_schema(any_store: Store) -> None:
    with any_store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diffs if "brand_models" in repr(d)] == []


def test_upgrading_a_0004_database_fills_first_responses_from_the_replies_already_stored(
    empty_engine: Engine,
) -> None:
    upgrade(empty_engine, "0004")
    _fill_at_0003(empty_engine)
    answered_at = T0.replace(hour=10)
    with empty_engine.begin() as conn:
        conn.execute(items.update().where(items.c.id == 1).values(
            status="answered", answered_at=answered_at, answered_by="platform"))  # fmt: skip
        conn.execute(items.insert().values(
            id=2, platform="file", external_id="r1", parent_external_id="c1", thread_external_id="c1",
            source_id=1, brand_id=1, kind="reply", author_name="Tienda Luna", is_own=True, text="¡Ya sale!",
            published_at=answered_at, collected_at=answered_at, fingerprint="g", status="closed", priority=0.0,
            priority_reasons="", intents="", tags=[], can_reply=False,
        ))  # fmt: skip
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        assert conn.execute(select(items.c.first_response_at).where(items.c.id == 1)).scalar() is None
    Store(empty_engine).sync_config(make_config())
    with empty_engine.connect() as conn:
        assert conn.execute(select(items.c.first_response_at).where(items.c.id == 1)).scalar() == answered_at


def test_downgrading_and_upgrading_0005_fills_the_first_responses_again(empty_engine: Engine) -> None:
    test_upgrading_a_0004_database_fills_first_responses_from_the_replies_already_stored(empty_engine)
    downgrade(empty_engine, "0004")
    upgrade(empty_engine)
    store = Store(empty_engine)
    with empty_engine.connect() as conn:
        assert stored_rules(conn) is None  # nothing claims the emptied column is up to date
    store.sync_config(make_config())
    with empty_engine.connect() as conn:
        assert conn.execute(select(items.c.first_response_at).where(items.c.id == 1)).scalar() is not None


SCORE_0005 = (
    "INSERT INTO scores (item_id, scorer, version, label, value, details, created_at)"
    " VALUES (1, 'sentiment', 'hybrid-es/1.0.0+0123abcd', 'neg', -0.6, NULL, :at)"
)


def _search_triggers(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = (
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'items' ORDER BY name"
            )
        else:
            query = "SELECT indexname FROM pg_indexes WHERE tablename = 'items' AND indexname LIKE '%trgm' ORDER BY 1"
        return [str(name) for name in conn.execute(text(query)).scalars()]


def test_upgrading_a_0005_database_moves_each_items_scorer_version_onto_the_item(
    empty_engine: Engine,
) -> None:
    upgrade(empty_engine, "0005")
    _fill_at_0003(empty_engine)
    search = _search_triggers(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(text(SCORE_0005), {"at": T0})
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        assert (
            conn.execute(select(items.c.scored_with).where(items.c.id == 1)).scalar()
            == "hybrid-es/1.0.0+0123abcd"
        )
        tables = conn.execute(text("SELECT count(*) FROM information_schema.tables WHERE table_name = 'scores'")
                              if empty_engine.dialect.name == "postgresql"
                              else text("SELECT count(*) FROM sqlite_master WHERE name = 'scores'")).scalar()  # fmt: skip
    assert tables == 0
    assert _search_triggers(empty_engine) == search  # the text index survives


def test_downgrading_0006_brings_the_scores_back_with_the_search_index_intact(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    _fill_at_0003(empty_engine)
    search = _search_triggers(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(items.update().where(items.c.id == 1).values(
            scored_with="lexicon-es/1.0.0+0123abcd", sentiment_label="neg", sentiment_score=-0.5, triaged_at=T0))  # fmt: skip
    downgrade(empty_engine, "0005")
    with empty_engine.connect() as conn:
        found = conn.execute(text("SELECT item_id, scorer, version, label FROM scores")).all()
    assert [tuple(row) for row in found] == [(1, "sentiment", "lexicon-es/1.0.0+0123abcd", "neg")]
    assert _search_triggers(empty_engine) == search and search != []


def test_upgrading_a_0006_database_flags_the_negative_items_for_a_fast_reply(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0006")
    _fill_at_0003(empty_engine)
    with empty_engine.begin() as conn:
        for n, label in ((2, "neu"), (3, None)):
            conn.execute(text(
                "INSERT INTO items (id, platform, external_id, source_id, brand_id, kind, author_name, is_own, text,"
                " published_at, collected_at, fingerprint, status, priority, priority_reasons, intents, tags,"
                " can_reply) SELECT :id, platform, :ext, source_id, brand_id, kind, author_name, is_own, text,"
                " published_at, collected_at, fingerprint, status, priority, priority_reasons, intents, tags,"
                " can_reply FROM items WHERE id = 1"), {"id": n, "ext": f"c{n}"})  # fmt: skip
            conn.execute(
                text("UPDATE items SET sentiment_label = :label WHERE id = :id"), {"label": label, "id": n}
            )
        conn.execute(text("UPDATE items SET sentiment_label = 'neg' WHERE id = 1"))
    search = _search_triggers(empty_engine)
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        flags = dict(conn.execute(select(items.c.id, items.c.fast_reply).order_by(items.c.id)).tuples().all())
    assert flags == {1: True, 2: False, 3: None}  # not triaged yet: no answer until it is
    downgrade(empty_engine, "0006")
    assert _search_triggers(empty_engine) == search and search != []
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
