"""Versions of a brand's learned sentiment model (`triage learn`): record, list, activate, roll back.

Versions are numbered per brand and never deleted; at most one is active (a partial unique index holds
that in the database too). Activating, or rolling back to the packaged scorer, re-triages the brand's
items so the store shows what the active scorer says; people's corrections still win over it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import IntegrityError

from social_listen.config import Config
from social_listen.db.engine import reading
from social_listen.db.tables import brand_models, brands, items
from social_listen.errors import SocialListenError
from social_listen.model import utcnow
from social_listen.store import Store


@dataclass(frozen=True)
class ModelVersion:
    """One recorded version: its figures, where its labels came from, and whether it is the active one."""

    brand: str
    version: int
    created_at: datetime
    active: bool
    source: str
    metrics: dict[str, Any]
    languages: tuple[str, ...]  # the languages it replaces the packaged scorer for when active


def find_brand(conn: Connection, name: str | None) -> tuple[int, str]:
    """The id and name of a brand in the store; with no name, the only brand there is."""
    known: dict[str, int] = dict(conn.execute(select(brands.c.name, brands.c.id)).tuples().all())
    listed = ", ".join(sorted(known)) or "none"
    if name is None:
        if len(known) == 1:
            [(only, brand_id)] = known.items()
            return brand_id, only
        raise SocialListenError(f"say which brand with --brand (brands in the database: {listed})")
    if name not in known:
        raise SocialListenError(
            f"no brand named {name!r} in the database (brands: {listed}); "
            "add it to the config and run `social-listen init`"
        )
    return known[name], name


def active_version(conn: Connection, brand_id: int) -> tuple[int, dict[str, Any]] | None:
    """The number and language specs of the brand's active version, or None (the packaged scorer)."""
    row = conn.execute(
        select(brand_models.c.version, brand_models.c.languages).where(
            brand_models.c.brand_id == brand_id, brand_models.c.active.is_(True)
        )
    ).first()
    return (int(row.version), dict(row.languages or {})) if row is not None else None


def record_version(
    store: Store,
    brand_id: int,
    languages: dict[str, Any],
    metrics: dict[str, Any],
    source: str,
    activate: bool,
) -> int:
    """Save the next version of the brand's model (active, or not); returns its number."""
    with _one_at_a_time(), store.engine.begin() as conn:
        last = conn.execute(
            select(func.max(brand_models.c.version)).where(brand_models.c.brand_id == brand_id)
        ).scalar()
        version = int(last or 0) + 1
        if activate:
            _deactivate(conn, brand_id)
        conn.execute(
            brand_models.insert().values(
                brand_id=brand_id, version=version, created_at=utcnow(), active=activate,
                languages=languages, metrics=metrics, source=source,
            )
        )  # fmt: skip
    return version


def list_versions(store: Store, brand: str | None = None) -> list[ModelVersion]:
    """Every recorded version (of one brand, or of all), newest first per brand."""
    query = (
        select(brands.c.name, brand_models)
        .join(brands, brands.c.id == brand_models.c.brand_id)
        .order_by(brands.c.name, brand_models.c.version.desc())
    )
    with reading(store.engine) as conn:
        if brand is not None:
            query = query.where(brand_models.c.brand_id == find_brand(conn, brand)[0])
        rows: list[Any] = list(conn.execute(query))
    return [
        ModelVersion(
            brand=row.name, version=row.version, created_at=row.created_at, active=bool(row.active),
            source=row.source, metrics=dict(row.metrics or {}),
            languages=tuple(sorted(lang for lang, spec in (row.languages or {}).items() if spec.get("active"))),
        )
        for row in rows
    ]  # fmt: skip


def activate_version(store: Store, config: Config | None, brand: str | None, version: int) -> int:
    """Make a recorded version the brand's active one and re-triage its items; returns how many."""
    with reading(store.engine) as conn:
        brand_id, name = find_brand(conn, brand)
        row = conn.execute(
            select(brand_models.c.id, brand_models.c.languages).where(
                brand_models.c.brand_id == brand_id, brand_models.c.version == version
            )
        ).first()
    if row is None:
        raise SocialListenError(f"{name} has no version {version}: see `social-listen triage learn --list`")
    if not any(spec.get("active") for spec in (row.languages or {}).values()):
        raise SocialListenError(
            f"{name} v{version} has no language model to use: no language had enough labels or beat "
            "the scorer it was compared with (see `triage learn --list`)"
        )
    with _one_at_a_time(), store.engine.begin() as conn:
        _deactivate(conn, brand_id)
        conn.execute(update(brand_models).where(brand_models.c.id == row.id).values(active=True))
    return retriage_brand(store, config, brand_id)


def rollback(store: Store, config: Config | None, brand: str | None) -> int | None:
    """Deactivate the brand's learned versions (back to the packaged scorer) and re-triage its items;
    returns how many, or None when no version was active."""
    with store.engine.begin() as conn:
        brand_id, _ = find_brand(conn, brand)
        changed = _deactivate(conn, brand_id)
    return retriage_brand(store, config, brand_id) if changed else None


def retriage_brand(store: Store, config: Config | None, brand_id: int) -> int:
    """Forget the brand's triage results and score its items again (corrections are applied on top)."""
    from social_listen.scoring import score_pending  # late: scoring reads brand_models too

    with store.engine.begin() as conn:
        conn.execute(update(items).where(items.c.brand_id == brand_id).values(triaged_at=None))
    return score_pending(store, config)


def _deactivate(conn: Connection, brand_id: int) -> int:
    found = conn.execute(
        update(brand_models)
        .where(brand_models.c.brand_id == brand_id, brand_models.c.active.is_(True))
        .values(active=False)
    )
    return int(found.rowcount or 0)


@contextmanager
def _one_at_a_time() -> Iterator[None]:
    """Two commands changing one brand's versions at once collide on the unique indexes: say so plainly."""
    try:
        yield
    except IntegrityError as exc:
        raise SocialListenError(
            "another command changed this brand's model versions at the same time: run it again"
        ) from exc
