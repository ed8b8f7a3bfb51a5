"""Triage stored items in batches: language, sentiment, intents and priority, written back with the scorer's
name and version. Runs after every collection and import; `triage rescore` re-runs it on everything.

A person's corrections (sentiment, intents added or removed in the dashboard) always win over the scorer,
also after a rescore. A brand's active learned version (`triage learn`) replaces the packaged learned layer
for the languages it covers. The priority counts the time left to the brand's SLA in its opening hours."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from social_listen.config import Config
from social_listen.db.engine import reading
from social_listen.db.tables import authors, brand_models, brands, corrections, items
from social_listen.sla import SlaBook
from social_listen.store import Store
from social_listen.triage import Overrides, TriageResult, priority, triage_texts
from social_listen.triage.learned import LanguageModel, model_from_json

log = logging.getLogger(__name__)
BATCH = 2000


@dataclass(frozen=True)
class BrandSettings:
    """What triage needs to know of a brand."""

    name: str
    languages: tuple[str, ...]
    overrides: Overrides | None
    models: Mapping[str, LanguageModel] | None = None  # the brand's active learned version, per language
    version: int | None = None  # which version that is


@dataclass
class Corrected:
    """A person's corrections of one item, oldest first applied: the label, intents added and removed."""

    label: str | None = None
    added: set[str] | None = None
    removed: set[str] | None = None

    def apply(self, result: TriageResult) -> TriageResult:
        intents = [i for i in result.intents if i not in (self.removed or set())]
        intents += sorted((self.added or set()) - set(intents))
        if self.label is None:
            return replace(result, intents=tuple(intents))
        # A person's label is the last word on the flag too (fast_reply None: it follows the label), so
        # corrected to neutral is no longer urgent.
        return replace(result, sentiment_label=self.label, fast_reply=None, intents=tuple(intents))


def score_pending(store: Store, config: Config | None = None, limit: int | None = None) -> int:
    """Triage every item not yet triaged (new or changed since), in batches; returns how many were scored."""
    settings = brand_settings(store, config)
    sla = SlaBook.from_config(config)
    done = 0
    while limit is None or done < limit:
        rows = _pending(store, min(BATCH, (limit - done) if limit else BATCH))
        if not rows:
            break
        _score_rows(store, rows, settings, sla)
        done += len(rows)
    if done:
        log.info("triaged %d item(s)", done)
    return done


class InlineTriage:
    """Triage of items as `Store.save_page` first stores them, so a new item is written once, with its
    language, sentiment, intents and priority (the same results `score_pending` would give: a new item has
    no corrections yet). Changed items, and everything stored without it, are left to `score_pending`."""

    def __init__(self, store: Store, config: Config | None = None) -> None:
        self.settings = brand_settings(store, config)
        self.sla = SlaBook.from_config(config)

    def fill(self, rows: Sequence[dict[str, Any]], people: Mapping[int, tuple[int | None, Any]]) -> None:
        """Set the triage columns of these new item rows (``people``: author id -> follower count, tags)."""
        now = datetime.now(UTC)
        by_brand: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_brand[row["brand_id"]].append(row)
        for brand_id, brand_rows in by_brand.items():
            brand = self.settings.get(brand_id, BrandSettings("", ("es", "en"), None))
            texts = [row["text"] or "" for row in brand_rows]
            for row, result in zip(
                brand_rows, triage_texts(texts, brand.languages, brand.overrides, brand.models), strict=True
            ):
                followers, tags = people.get(row["author_id"], (None, None))
                stored = _NewRow(row["rating"], row["like_count"], followers, tags, row["is_own"], row["status"],
                                 row["published_at"])  # fmt: skip
                due = self.sla.policy(brand.name, row["platform"]).due_at(row["published_at"])
                values = _item_update(stored, result, now, (due - now).total_seconds() / 3600)
                row.update(language=values["lang"], sentiment_label=values["label"], sentiment_score=values["score"],
                           fast_reply=values["fast"], intents=values["intents"], priority=values["prio"], priority_reasons=values["reasons"],
                           triaged_at=now, scored_with=_scored_with(result))  # fmt: skip


@dataclass(frozen=True)
class _NewRow:
    """What the priority reads of an item that is not stored yet."""

    rating: float | None
    like_count: int | None
    follower_count: int | None
    tags: Any
    is_own: bool
    status: str
    published_at: datetime
    id: int | None = None


def rescore_all(store: Store, config: Config | None = None) -> int:
    """Forget every triage result and score everything again (after an upgrade of the scorers)."""
    with store.engine.begin() as conn:
        conn.execute(update(items).values(triaged_at=None))
    return score_pending(store, config)


def refresh_priorities(store: Store, config: Config | None = None, now: datetime | None = None) -> int:
    """Re-rank every open customer item for the time that has passed (hours open, SLA time left), from its
    stored triage: no text is scored again. Runs after every collection, so the inbox order stays current."""
    now = now or datetime.now(UTC)
    sla = SlaBook.from_config(config)
    with reading(store.engine) as conn:
        names: dict[int, str] = dict(conn.execute(select(brands.c.id, brands.c.name)).tuples().all())
    done, last_id = 0, 0
    while True:
        with reading(store.engine) as conn:
            rows: list[Any] = list(conn.execute(_open_scored(last_id)))
        if not rows:
            break
        updates = []
        for row in rows:
            stored = TriageResult(
                lang=row.language or "other", sentiment_label=row.sentiment_label or "neu",
                sentiment_score=float(row.sentiment_score or 0.0), intents=tuple(i for i in (row.intents or "").split(";") if i),
                scorer="stored", fast_reply=row.fast_reply,
            )  # fmt: skip
            due = sla.policy(names.get(row.brand_id, ""), row.platform).due_at(row.published_at)
            update_row = _item_update(row, stored, now, (due - now).total_seconds() / 3600)
            if (update_row["prio"], update_row["reasons"]) != (row.priority, row.priority_reasons):
                updates.append(
                    {"item_id": row.id, "prio": update_row["prio"], "reasons": update_row["reasons"]}
                )
        # Only what changed is written: an item waiting for days has a steady score (its waiting time and
        # SLA points are capped), so most of a large backlog is read and left alone.
        if updates:
            with store.engine.begin() as conn:
                conn.execute(
                    update(items).where(items.c.id == bindparam("item_id"))
                    .values(priority=bindparam("prio"), priority_reasons=bindparam("reasons")),
                    updates,
                )  # fmt: skip
        done += len(rows)
        last_id = rows[-1].id
    return done


def _open_scored(after_id: int) -> Any:
    return (
        select(items.c.id, items.c.brand_id, items.c.platform, items.c.rating, items.c.like_count, items.c.is_own,
               items.c.status, items.c.published_at, items.c.language, items.c.sentiment_label,
               items.c.sentiment_score, items.c.fast_reply, items.c.intents, items.c.priority, items.c.priority_reasons,
               authors.c.follower_count, authors.c.tags)
        .outerjoin(authors, authors.c.id == items.c.author_id)
        .where(items.c.status == "open", items.c.is_own.is_(False), items.c.triaged_at.is_not(None),
               items.c.id > after_id)
        .order_by(items.c.id)
        .limit(BATCH)
    )  # fmt: skip


def brand_settings(store: Store, config: Config | None) -> dict[int, BrandSettings]:
    """Per brand id: its languages and triage overrides, its own names neutral (from the config when given),
    and its active learned version; read once per run."""
    configured = {b.name: b for b in config.brands} if config else {}
    with reading(store.engine) as conn:
        rows: list[Any] = list(conn.execute(select(brands.c.id, brands.c.name, brands.c.languages)))
        learned = _active_models(conn)
    settings: dict[int, BrandSettings] = {}
    for brand_id, name, languages in rows:
        brand = configured.get(name)
        overrides = None
        if brand is not None and (brand.triage or brand.own_names):
            overrides = Overrides.from_dict(brand.triage, extra_neutral=brand.own_names)
        version, models = learned.get(brand_id, (None, None))
        settings[brand_id] = BrandSettings(name, tuple(languages or ("es", "en")), overrides, models, version)
    return settings


def _active_models(conn: Connection) -> dict[int, tuple[int, dict[str, LanguageModel]]]:
    """Per brand id: the number and per-language models of its active learned version (one query)."""
    query = select(brand_models.c.brand_id, brand_models.c.version, brand_models.c.languages).where(
        brand_models.c.active.is_(True)
    )
    found: dict[int, tuple[int, dict[str, LanguageModel]]] = {}
    rows: list[Any] = list(conn.execute(query))
    for brand_id, version, languages in rows:
        try:
            models = model_from_json({"languages": languages or {}}, tag=f"v{version}")
        except (ValueError, KeyError, TypeError) as exc:  # one unreadable version must not stop the others
            log.warning(
                "brand %s: learned version %s is unreadable (%s); using the packaged scorer",
                brand_id,
                version,
                exc,
            )
            continue
        if models:
            found[int(brand_id)] = (int(version), models)
    return found


def _pending(store: Store, size: int) -> list[Any]:
    query = (
        select(items.c.id, items.c.brand_id, items.c.platform, items.c.text, items.c.rating, items.c.like_count, items.c.is_own,
               items.c.status, items.c.published_at, authors.c.follower_count, authors.c.tags)
        .outerjoin(authors, authors.c.id == items.c.author_id)
        .where(items.c.triaged_at.is_(None))
        .order_by(items.c.id)
        .limit(size)
    )  # fmt: skip
    with reading(store.engine) as conn:
        return list(conn.execute(query))


def _score_rows(store: Store, rows: Sequence[Any], settings: dict[int, BrandSettings], sla: SlaBook) -> None:
    by_brand: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_brand[row.brand_id].append(row)
    now = datetime.now(UTC)
    with reading(store.engine) as conn:
        corrected = _corrections(conn, [row.id for row in rows])
    updates = []
    for brand_id, brand_rows in by_brand.items():
        brand = settings.get(brand_id, BrandSettings("", ("es", "en"), None))
        results = triage_texts([r.text for r in brand_rows], brand.languages, brand.overrides, brand.models)
        for row, scored in zip(brand_rows, results, strict=True):
            result = corrected[row.id].apply(scored) if row.id in corrected else scored
            due = sla.policy(brand.name, row.platform).due_at(row.published_at)
            updates.append({**_item_update(row, result, now, (due - now).total_seconds() / 3600),
                            "scorer": _scored_with(scored)})  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(_update_statement(), updates)


def _corrections(conn: Connection, item_ids: list[int]) -> dict[int, Corrected]:
    """The corrections people made to these items, replayed in the order they were made."""
    found: dict[int, Corrected] = {}
    query = (
        select(corrections.c.item_id, corrections.c.field, corrections.c.value)
        .where(corrections.c.item_id.in_(item_ids))
        .order_by(corrections.c.id)
    )
    rows: list[Any] = list(conn.execute(query))
    for item_id, kind, value in rows:
        mine = found.setdefault(item_id, Corrected())
        if kind == "sentiment":
            mine.label = value
        elif kind in ("intent", "not_intent"):
            mine.added, mine.removed = mine.added or set(), mine.removed or set()
            (mine.added if kind == "intent" else mine.removed).add(value)
            (mine.removed if kind == "intent" else mine.added).discard(value)
    return found


def _item_update(row: Any, result: TriageResult, now: datetime, sla_hours_left: float) -> dict[str, Any]:
    value, reasons = 0.0, ""
    if not row.is_own and row.status == "open":
        hours_open = max(0.0, (now - row.published_at).total_seconds() / 3600)
        value, reasons = priority(
            result, rating=row.rating, like_count=row.like_count, follower_count=row.follower_count,
            hours_open=hours_open, sla_hours_left=sla_hours_left, vip="VIP" in (row.tags or []),
        )  # fmt: skip
    return {
        "item_id": row.id, "lang": result.lang, "label": result.sentiment_label, "score": result.sentiment_score,
        "fast": result.negative, "intents": ";".join(result.intents), "prio": value, "reasons": reasons, "at": now,
    }  # fmt: skip


def _update_statement() -> Any:
    return (
        update(items)
        .where(items.c.id == bindparam("item_id"))
        .values(language=bindparam("lang"), sentiment_label=bindparam("label"), sentiment_score=bindparam("score"),
                fast_reply=bindparam("fast"), intents=bindparam("intents"), priority=bindparam("prio"), priority_reasons=bindparam("reasons"),
                triaged_at=bindparam("at"), scored_with=bindparam("scorer"))
    )  # fmt: skip


def _scored_with(result: TriageResult) -> str:
    """What the item records about who triaged it: scorer name and version (see `triage rescore`)."""
    return f"{result.scorer}/{result.version}"
