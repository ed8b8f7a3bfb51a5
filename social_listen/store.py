"""The store: idempotent upserts, cursors that commit with their data, leases, runs and the reply outbox."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Connection, Engine, bindparam, func, null, or_, select, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from social_listen.answering import ThreadItem, answers
from social_listen.config import Config
from social_listen.db import engine as db
from social_listen.db.bulk import BulkWrite
from social_listen.db.engine import one_of, reading
from social_listen.db.tables import authors, brands, items, replies, runs, sources
from social_listen.errors import LeaseLost, SocialListenError
from social_listen.logs import redact
from social_listen.metrics_sql import (
    STORED_RULES_KEY,
    ResponseRules,
    platform_first_response_at,
    refresh_first_responses,
    stored_rules,
)
from social_listen.model import Author, Item, Page, SaveResult, utcnow
from social_listen.outbox import OutboxMixin, new_id

log = logging.getLogger(__name__)

CHUNK = 500
ABANDONED_RUN = "the collecting process stopped before finishing (killed or crashed); a later run took over"
# Columns a collector owns; everything else on an item (status, triage, assignment) belongs to people.
COLLECTED = (
    "source_id", "brand_id", "kind", "parent_external_id", "thread_external_id", "object_id",
    "object_title", "object_url", "author_id", "author_name", "is_own", "text", "rating",
    "like_count", "url", "can_reply", "reply_deadline_at", "published_at", "updated_at",
    "collected_at", "raw", "fetched_at", "fingerprint", "triaged_at",
)  # fmt: skip


def chunked(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Slices of ``values`` of at most ``size`` elements."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


STATS_GROWTH = 0.2  # re-ANALYZE once the items table is this much bigger
# The PostgreSQL advisory lock one host holds while it refreshes the planner statistics ("sl-stat" in hex).
ANALYZE_LOCK = 0x736C2D73746174
# What the write path looks up by (PostgreSQL): a page's known items and threads, its authors.
LOOKUP_ANALYZE = "ANALYZE items (platform, external_id, parent_external_id, thread_external_id), authors (platform, external_id)"


class PageTriage(Protocol):
    """Triage of new items as they are stored (scoring.InlineTriage): `fill` sets the triage columns of new
    item rows before they are written (``people``: author id -> stored follower count and tags)."""

    def fill(self, rows: Sequence[dict[str, Any]], people: dict[int, tuple[int | None, Any]]) -> None: ...


class Store(OutboxMixin):
    """All reads and writes of the product's data go through here."""

    def __init__(self, url_or_engine: str | Engine) -> None:
        self.engine = db.make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        self._bulk: dict[tuple[str, tuple[str, ...]], BulkWrite] = {}
        self._lookups_analyzed = False  # a lookups-only ANALYZE ran since the last full one
        self._stats_seen: tuple[int, int | None] | None = None  # (items, analyzed items) at the last check
        self.dialect = self.engine.dialect.name

    @classmethod
    def from_config(cls, config: Config) -> Store:
        """The store the config points at."""
        return cls(config.resolved_database_url())

    def init(self) -> None:
        """Create or upgrade the schema (Alembic), keeping existing data."""
        db.upgrade(self.engine)

    def require_current(self) -> None:
        """Fail with advice unless the schema is at this version's head."""
        db.require_current(self.engine)

    # -- configuration -------------------------------------------------------------------------

    def sync_config(self, config: Config) -> None:
        """Create or update brand and source rows to match the config (names are the keys)."""
        with self.engine.begin() as conn:
            for brand in config.brands:
                self._upsert_named(
                    conn, brands, brand.name, {"timezone": brand.timezone, "languages": list(brand.languages)}
                )
            brand_ids: dict[str, int] = dict(conn.execute(select(brands.c.name, brands.c.id)).tuples().all())
            for brand in config.brands:
                self._store_response_rules(
                    conn, brand_ids[brand.name], brand.name, brand.sla.auto_reply_markers
                )
            for name in sorted(set(brand_ids) - {b.name for b in config.brands}):  # left the config
                self._store_response_rules(conn, brand_ids[name], name, [])
            for source in config.sources:
                values: dict[str, Any] = {
                    "brand_id": brand_ids[source.brand],
                    "platform": source.platform,
                    "target": " ".join(source.targets),
                    "enabled": source.enabled,
                }
                self._upsert_named(conn, sources, source.name, values)

    @staticmethod
    def _store_response_rules(conn: Connection, brand_id: int, name: str, markers: Sequence[str]) -> None:
        """Recompute the brand's stored first responses when its auto-reply markers changed (or never ran)."""
        settings = dict(conn.execute(select(brands.c.settings).where(brands.c.id == brand_id)).scalar() or {})
        if settings.get(STORED_RULES_KEY) == list(markers):
            return
        rules = ResponseRules({name: tuple(markers)} if markers else {})
        changed = refresh_first_responses(
            conn, rules, items.c.brand_id == brand_id,
            or_(items.c.answered_by.is_not(None), items.c.first_response_at.is_not(None)),
        )  # fmt: skip
        settings[STORED_RULES_KEY] = list(markers)
        conn.execute(update(brands).where(brands.c.id == brand_id).values(settings=settings))
        log.info("first responses of brand %s recomputed (%d items)", name, changed)

    def refresh_first_responses(self) -> None:
        """Recompute every stored first response with the rules already stored (after direct edits)."""
        with self.engine.begin() as conn:
            rules = stored_rules(conn)
            if rules is not None:
                refresh_first_responses(conn, rules)

    @staticmethod
    def _upsert_named(conn: Connection, table: Any, name: str, values: dict[str, Any]) -> None:
        found = conn.execute(select(table.c.id).where(table.c.name == name)).scalar()
        if found is None:
            conn.execute(table.insert().values(name=name, **values))
        else:
            conn.execute(table.update().where(table.c.id == found).values(**values))

    def source_row(self, name: str, conn: Connection | None = None) -> dict[str, Any]:
        """The source's row as a dict; SocialListenError when it was never synced."""
        if conn is None:
            with reading(self.engine) as own:
                return self.source_row(name, own)
        row = conn.execute(select(sources).where(sources.c.name == name)).mappings().first()
        if row is None:
            raise SocialListenError(f"source {name!r} is not in the database: run `social-listen init`")
        return dict(row)

    def get_cursor(self, source_name: str) -> dict[str, Any] | None:
        """Where the source's next collection starts (None: from the beginning)."""
        cursor = self.source_row(source_name)["cursor"]
        return dict(cursor) if cursor else None

    # -- the write path ------------------------------------------------------------------------

    def save_page(
        self,
        source_name: str,
        page: Page,
        run_id: int | None = None,
        triage: PageTriage | None = None,
        lease: tuple[str, timedelta] | None = None,
    ) -> SaveResult:
        """Upsert a page of items and its cursor in one transaction; safe to re-run. With ``triage``, new
        items are stored triaged (one write each); otherwise, and for changed items, `score_pending` does it.
        With ``lease`` (owner, ttl), the source's lease is renewed in the same transaction, and if another
        host holds it now, nothing of the page is written (`LeaseLost`)."""
        with self.engine.begin() as conn:
            source = self.source_row(source_name, conn)
            batch = [i for i in page.items if _storable(i)]
            written: set[tuple[str, str]] = set()
            result, plan = self._upsert_items(conn, source, batch, triage, written)
            answered = plan.in_page + self._mark_answered(conn, plan, batch, written)
            self._reconcile_replies(conn, batch)
            self._advance(conn, source, page, lease)
            if run_id is not None:
                self._count_run(conn, run_id, result, page)
        return SaveResult(result.new, result.updated, result.unchanged, answered)

    @staticmethod
    def _advance(
        conn: Connection, source: dict[str, Any], page: Page, lease: tuple[str, timedelta] | None
    ) -> None:
        """Store the page's cursor and renew the lease, in one UPDATE of the source's row."""
        values: dict[str, Any] = {} if page.cursor is None else {"cursor": page.cursor}
        stmt = update(sources).where(sources.c.id == source["id"])
        if lease is not None:
            owner, ttl = lease
            values["lease_expires_at"] = utcnow() + ttl
            stmt = stmt.where(sources.c.lease_owner == owner)
        if not values:
            return
        if (conn.execute(stmt.values(**values)).rowcount or 0) != 1 and lease is not None:
            raise LeaseLost(
                f"lost the lease on source {source['name']!r} (another host took it over); stopping"
            )

    def _upsert_items(
        self,
        conn: Connection,
        source: dict[str, Any],
        batch: Sequence[Item],
        triage: PageTriage | None,
        written: set[tuple[str, str]],
    ) -> tuple[SaveResult, _AnswerPlan]:
        """Upsert the batch's authors and new or changed items (``written`` collects their keys); new items
        answered within the page are written answered, the answers left to `_mark_answered` are returned."""
        unique = list({(i.platform, i.external_id): i for i in batch}.values())
        author_ids, people = self._upsert_authors(conn, [i.author for i in unique if i.author], unique)
        known = self._known_fingerprints(conn, unique)
        now = utcnow()
        rows: list[dict[str, Any]] = []
        fresh: list[dict[str, Any]] = []
        new = updated = 0
        for item in unique:
            fingerprint = item.fingerprint()
            previous = known.get((item.platform, item.external_id))
            if previous == fingerprint:
                continue
            new, updated = (new + 1, updated) if previous is None else (new, updated + 1)
            rows.append(self._item_row(item, source, author_ids, fingerprint, now))
            written.add((item.platform, item.external_id))
            if previous is None:
                fresh.append(rows[-1])
        plan = self._plan_answers(
            conn, source, unique, rows, {(r["platform"], r["external_id"]) for r in fresh}
        )
        if triage is not None and fresh:
            triage.fill(fresh, people)  # after the answers: an answered item has no priority
        if rows:
            write = self._bulk_write("items", self._item_upsert, tuple(rows[0]))
            for part in chunked(rows):
                write.run(conn, part)
        return SaveResult(new=new, updated=updated, unchanged=len(unique) - new - updated), plan

    def _known_fingerprints(self, conn: Connection, batch: Sequence[Item]) -> dict[tuple[str, str], str]:
        found = _item_values(conn, items.c.fingerprint, ((i.platform, i.external_id) for i in batch))
        return {key: str(value) for key, value in found.items()}

    def _item_row(
        self,
        item: Item,
        source: dict[str, Any],
        author_ids: dict[tuple[str, str], int],
        fp: str,
        now: datetime,
    ) -> dict[str, Any]:
        author = item.author
        return {
            "platform": item.platform,
            "external_id": item.external_id,
            "source_id": source["id"],
            "brand_id": source["brand_id"],
            "kind": item.kind,
            "parent_external_id": item.parent_external_id,
            "thread_external_id": item.thread_external_id,
            "object_id": item.object_id,
            "object_title": _no_nul(item.object_title),
            "object_url": item.object_url,
            "author_id": author_ids.get((item.platform, author.external_id)) if author else None,
            "author_name": _no_nul((author.name or author.handle) if author else ""),
            "is_own": item.is_own,
            "text": _no_nul(item.text),
            "language": item.language,
            "rating": item.rating,
            "like_count": item.like_count,
            "url": item.url,
            "can_reply": item.can_reply,
            "reply_deadline_at": item.reply_deadline_at,
            "published_at": item.published_at,
            "updated_at": item.updated_at,
            "collected_at": now,
            "raw": item.raw,
            "fetched_at": item.fetched_at or now,
            "fingerprint": fp,
            "status": "closed" if item.is_own else "open",
            "sentiment_label": None,  # set here by an inline triage, else by score_pending
            "sentiment_score": None,
            "fast_reply": None,
            "triaged_at": None,
            "scored_with": None,
            "tags": [],
            "priority": 0.0,
            "priority_reasons": "",
            "intents": "",
            "answered_at": None,  # set when an own item in the same page answers it (_plan_answers)
            "answered_by": None,
            "first_response_at": None,
        }

    def _bulk_write(self, name: str, statement: Callable[[], Any], keys: tuple[str, ...]) -> BulkWrite:
        """The statement compiled once for rows with these keys (see db.bulk)."""
        key = (name, keys)
        if key not in self._bulk:
            self._bulk[key] = BulkWrite.compile(statement(), self.engine.dialect, keys)
        return self._bulk[key]

    def _insert(self, table: Any = items) -> Any:
        """An INSERT for this database's dialect (it has ON CONFLICT)."""
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    def _item_upsert(self) -> Any:
        stmt = self._insert()
        changed: dict[str, Any] = {name: stmt.excluded[name] for name in COLLECTED}
        changed["triaged_at"] = null()  # what changed is triaged again, by score_pending
        return stmt.on_conflict_do_update(
            index_elements=[items.c.platform, items.c.external_id],
            set_=changed,
            where=items.c.fingerprint != stmt.excluded.fingerprint,
        )

    def _author_upsert(self) -> Any:
        insert = self._insert(authors)
        return insert.on_conflict_do_update(
            index_elements=[authors.c.platform, authors.c.external_id],
            set_={"name": insert.excluded.name, "handle": insert.excluded.handle, "url": insert.excluded.url,
                  "follower_count": func.coalesce(insert.excluded.follower_count, authors.c.follower_count)},
            where=or_(authors.c.name != insert.excluded.name, authors.c.handle != insert.excluded.handle),
        )  # fmt: skip

    def _upsert_authors(
        self, conn: Connection, people: Iterable[Author], batch: Sequence[Item]
    ) -> tuple[dict[tuple[str, str], int], dict[int, tuple[int | None, Any]]]:
        """Upsert the page's new and renamed authors; the ids of all of them by (platform, external id), and
        their stored follower count and tags by id (what the priority reads). Authors stored before with the
        same name and handle are only read: most of a page's authors are regulars."""
        platform_of = {i.author.external_id: i.platform for i in batch if i.author}
        wanted = {(platform_of[a.external_id], a.external_id): a for a in people}
        if not wanted:
            return {}, {}
        stored = self._author_rows(conn, wanted)
        rows: list[dict[str, Any]] = []
        for (p, e), a in wanted.items():
            name, handle = _no_nul(a.name), _no_nul(a.handle)
            known = stored.get((p, e))
            # the upsert's own test (name or handle differs; a NULL on either side is no difference)
            if known is None or _differs(known.name, name) or _differs(known.handle, handle):
                rows.append({"platform": p, "external_id": e, "name": name, "handle": handle, "url": a.url,
                             "follower_count": a.follower_count, "tags": [], "notes": ""})  # fmt: skip
        if rows:
            write = self._bulk_write("authors", self._author_upsert, tuple(rows[0]))
            for part in chunked(rows):
                write.run(conn, part)
            stored.update(self._author_rows(conn, [(r["platform"], r["external_id"]) for r in rows]))
        ids = {key: row.id for key, row in stored.items()}
        facts = {row.id: (row.follower_count, row.tags) for row in stored.values()}
        return ids, facts

    @staticmethod
    def _author_rows(
        conn: Connection, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], _StoredAuthor]:
        """The stored authors with these keys, by key."""
        cols = (authors.c.platform, authors.c.external_id, authors.c.id, authors.c.name, authors.c.handle,
                authors.c.follower_count, authors.c.tags)  # fmt: skip
        found: dict[tuple[str, str], _StoredAuthor] = {}
        for platform, external_ids in _ids_by_platform(keys):
            query = select(*cols).where(
                authors.c.platform == platform, one_of(conn, authors.c.external_id, external_ids)
            )
            rows: list[Any] = list(conn.execute(query))
            for p, e, i, name, handle, followers, tags in rows:
                found[(str(p), str(e))] = _StoredAuthor(int(i), name, handle, followers, tags)
        return found

    def _plan_answers(
        self,
        conn: Connection,
        source: dict[str, Any],
        batch: Sequence[Item],
        rows: Sequence[dict[str, Any]],
        fresh: set[tuple[str, str]],
    ) -> _AnswerPlan:
        """Work out, before the page is written, which open items of its threads the brand answered on the
        platform. A new item whose answers are all new in this page gets its answered state and first
        response in its row (``rows`` are changed); the other answers are left for `_mark_answered`."""
        rules = stored_rules(conn)
        if not rows:  # nothing new, nothing changed: no answer is news, no first response moves
            return _AnswerPlan(rules)
        markers: tuple[str, ...] = ()
        if rules is not None and rules.markers:
            name = conn.execute(select(brands.c.name).where(brands.c.id == source["brand_id"])).scalar()
            markers = tuple(rules.markers.get(str(name), ()))
        plan = _AnswerPlan(rules)
        written = {(r["platform"], r["external_id"]): r for r in rows}
        for platform in sorted({i.platform for i in batch}):
            mine = [i for i in batch if i.platform == platform]
            threads = {i.thread_external_id or i.external_id for i in mine}
            threads |= {i.parent_external_id for i in mine if i.parent_external_id}
            stored = {row.external_id: row for row in self._thread_rows(conn, platform, sorted(threads))}
            view = {ext: _thread_item(row) for ext, row in stored.items()}
            for (p, external_id), row in written.items():
                if p != platform:
                    continue
                before = stored.get(external_id)
                view[external_id] = ThreadItem(
                    id=before.id if before is not None else None, external_id=external_id,
                    parent_external_id=row["parent_external_id"], thread_external_id=row["thread_external_id"],
                    is_own=row["is_own"], status=before.status if before is not None else row["status"],
                    answered_by=before.answered_by if before is not None else None,
                    published_at=row["published_at"],
                    auto=(p, external_id) in fresh and any(m in (row["text"] or "") for m in markers),
                )  # fmt: skip
            for external_id, answer in answers(view.values()).items():
                item = view[external_id]
                if answer.settled:
                    written[(platform, external_id)].update(
                        status="answered", answered_at=answer.at, answered_by="platform", priority=0.0,
                        priority_reasons="",
                        first_response_at=answer.first_human if rules is not None else None,
                    )  # fmt: skip
                    plan.in_page += 1
                elif item.id is not None:
                    plan.by_id[item.id] = answer.at
                else:  # new, but answered by an item stored before: its id is known once it is written
                    plan.by_key[(platform, external_id)] = answer.at
            plan.threads[platform] = [row for row in view.values() if row.id is not None]
        return plan

    def _mark_answered(
        self, conn: Connection, plan: _AnswerPlan, batch: Sequence[Item], written: set[tuple[str, str]]
    ) -> int:
        """The answers ``plan`` left, once the page is written: open items answered by the brand on the
        platform become answered at the reply's time, and the stored first response of every customer item
        in a thread where an own item was written (new or changed: ``written``) is brought up to date."""
        answered = dict(plan.by_id)
        if plan.by_key:
            ids = _item_values(conn, items.c.id, plan.by_key)
            answered.update({int(ids[key]): at for key, at in plan.by_key.items() if key in ids})
        total = 0
        rules = plan.rules
        if answered:
            # One write per answered item: its first response is computed in the same UPDATE (SET
            # expressions read the row as it was, hence the platform branch directly).
            first = {"first_response_at": platform_first_response_at(rules)} if rules is not None else {}
            stmt = (
                update(items)
                .where(items.c.id == bindparam("item_id"), items.c.status == "open")
                .values(status="answered", answered_at=bindparam("at"), answered_by="platform", priority=0.0,
                        priority_reasons="", **first)
            )  # fmt: skip
            total = conn.execute(stmt, [{"item_id": k, "at": v} for k, v in answered.items()]).rowcount or 0
        if rules is not None:
            for platform, rows in plan.threads.items():
                changed = [
                    i
                    for i in batch
                    if i.platform == platform and i.is_own and (i.platform, i.external_id) in written
                ]
                self._refresh_threads(conn, rules, changed, rows, set(answered))
        return total

    @staticmethod
    def _refresh_threads(
        conn: Connection, rules: ResponseRules, own: Sequence[Item], rows: list[Any], answered: set[int]
    ) -> None:
        """Recompute first responses where they may have changed: customer items in a thread where one of
        these own items was stored (items just answered had theirs set as they were marked)."""
        if not own:
            return
        touched = {i.thread_external_id or i.external_id for i in own} | {i.parent_external_id for i in own}
        # Only items answered on the platform have a first response that own items change (the others'
        # comes from the tool or a person, or is none), so only they are recomputed, as the UPDATE would.
        ids = {
            r.id for r in rows
            if not r.is_own and r.answered_by == "platform" and r.id not in answered
            and ((r.thread_external_id or r.external_id) in touched or r.external_id in touched)
        }  # fmt: skip
        for part in chunked(sorted(ids)):
            refresh_first_responses(conn, rules, items.c.id.in_(list(part)))

    def _thread_rows(self, conn: Connection, platform: str, threads: list[str]) -> list[Any]:
        """Every stored item in these threads (or whose id is one of them), through the thread index."""
        cols = (items.c.id, items.c.external_id, items.c.parent_external_id, items.c.thread_external_id,
                items.c.is_own, items.c.status, items.c.answered_by, items.c.published_at)  # fmt: skip
        found: dict[int, Any] = {}
        for part in chunked(threads):
            ids = list(part)
            # One statement, each half through its own index (thread; platform+external id).
            query = union(
                select(*cols).where(
                    items.c.platform == platform, one_of(conn, items.c.thread_external_id, ids)
                ),
                select(*cols).where(items.c.platform == platform, one_of(conn, items.c.external_id, ids)),
            )
            found.update({row.id: row for row in conn.execute(query)})
        return list(found.values())

    def _reconcile_replies(self, conn: Connection, batch: Sequence[Item]) -> None:
        """A reply we were unsure about is sent once the brand's reply shows up on the platform."""
        own = [i for i in batch if i.is_own and i.parent_external_id]
        unsure = select(replies.c.id).where(replies.c.status.in_(("uncertain", "sending"))).limit(1)
        if not own or conn.execute(unsure).first() is None:
            return
        for item in own:
            pending = conn.execute(
                select(replies.c.id, replies.c.text)
                .join(items, items.c.id == replies.c.item_id)
                .where(items.c.platform == item.platform, items.c.external_id == item.parent_external_id)
                .where(replies.c.status.in_(("uncertain", "sending")))
            ).all()
            for reply_id, text in pending:
                if _same_text(str(text), item.text):
                    conn.execute(
                        update(replies).where(replies.c.id == reply_id).values(
                            status="sent", platform_reply_id=item.external_id, url=item.url,
                            sent_at=item.published_at, updated_at=utcnow(), error=None)
                    )  # fmt: skip
                    log.info("reply %s confirmed on the platform as %s", reply_id, item.external_id)

    # -- planner statistics ----------------------------------------------------------------------

    def refresh_statistics(
        self, growth: float = STATS_GROWTH, lookups_only: bool = False, added: int | None = None
    ) -> bool:
        """ANALYZE when the items table has grown by ``growth`` since the planner's statistics were taken
        (or never had any): without them SQLite scans whole tables for the dashboard's aggregates, and
        PostgreSQL misplans until its autovacuum gets round to it. True when it ran.

        ``lookups_only`` (PostgreSQL, during a collection) analyzes just the columns the write path looks
        items and authors up by, a fraction of the cost: a full ANALYZE reads every sampled row's text and
        payload. The next full refresh then runs whatever the growth, as the other columns' statistics are
        as old as before the collection.

        ``added``: how many items this process stored since its last call. While they cannot have grown the
        store enough since the last check, nothing is asked of the database (a collection calls this after
        every page; writes by other hosts are not counted, so they only make the refresh come later)."""
        partial = lookups_only and self.dialect == "postgresql"
        full_due = self._lookups_analyzed and not partial
        if added is not None and self._stats_seen is not None and not full_due:
            seen, known = self._stats_seen
            self._stats_seen = (seen + added, known)
            if known is not None and seen + added <= known * (1 + growth):
                return False
        with reading(self.engine) as conn:
            rows = int(conn.execute(select(func.coalesce(func.max(items.c.id), 0))).scalar_one())
            known = self._analyzed_rows(conn)
        self._stats_seen = (rows, known)
        stale = known is None or rows > known * (1 + growth) or full_due
        if rows == 0 or not stale:
            return False
        try:
            with self.engine.begin() as conn:
                # Several hosts collecting at once would each ANALYZE the same tables, and two ANALYZEs of
                # items and authors deadlock on each other's table locks: one host refreshes, the rest skip.
                taken = select(func.pg_try_advisory_xact_lock(ANALYZE_LOCK))
                if self.dialect == "postgresql" and not conn.execute(taken).scalar():
                    log.info("planner statistics: another host is refreshing them")
                    return False
                conn.exec_driver_sql(LOOKUP_ANALYZE if partial else "ANALYZE")
        except DBAPIError as exc:  # statistics only speed queries up: a failed refresh fails no collection
            log.warning("planner statistics not refreshed: %s", exc.orig)
            return False
        self._stats_seen = (rows, rows)
        self._lookups_analyzed = partial
        log.info("planner statistics refreshed (%d items%s)", rows, ", lookup columns" if partial else "")
        return True

    def _analyzed_rows(self, conn: Connection) -> int | None:
        if self.dialect == "sqlite":
            exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
            if exists is None:
                return None
            stat = conn.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = 'items' LIMIT 1").scalar()
            return int(str(stat).split()[0]) if stat else None
        if self.dialect == "postgresql":
            found = conn.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE relname = 'items' AND relkind = 'r'"
            ).scalar()
            return int(found) if found is not None and found >= 0 else None
        return None

    # -- leases and runs -------------------------------------------------------------------------

    def acquire_lease(self, source_name: str, owner: str, ttl: timedelta) -> bool:
        """Take the source's lease unless another live holder has it; atomic on SQLite and PostgreSQL."""
        now = utcnow()
        stmt = (
            update(sources)
            .where(sources.c.name == source_name)
            .where(or_(sources.c.lease_owner.is_(None), sources.c.lease_expires_at < now,
                       sources.c.lease_owner == owner))
            .values(lease_owner=owner, lease_expires_at=now + ttl)
        )  # fmt: skip
        with self.engine.begin() as conn:
            return (conn.execute(stmt).rowcount or 0) == 1

    def renew_lease(self, source_name: str, owner: str, ttl: timedelta) -> bool:
        """Extend a lease we hold; False when it was lost (expired and taken by another host)."""
        stmt = (
            update(sources)
            .where(sources.c.name == source_name, sources.c.lease_owner == owner)
            .values(lease_expires_at=utcnow() + ttl)
        )
        with self.engine.begin() as conn:
            return (conn.execute(stmt).rowcount or 0) == 1

    def release_lease(self, source_name: str, owner: str) -> None:
        """Give the lease back (only if we still hold it)."""
        stmt = (
            update(sources)
            .where(sources.c.name == source_name, sources.c.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None)
        )
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def run_since(self, source_name: str, since: datetime) -> tuple[str, datetime] | None:
        """The host and finish time of a run of the source that started at or after ``since`` and ended ok."""
        query = (
            select(runs.c.host, runs.c.finished_at)
            .join(sources, sources.c.id == runs.c.source_id)
            .where(sources.c.name == source_name, runs.c.started_at >= since, runs.c.status == "ok")
            .order_by(runs.c.finished_at.desc())
            .limit(1)
        )
        with reading(self.engine) as conn:
            row = conn.execute(query).first()
        return (str(row.host), row.finished_at) if row is not None else None

    def start_run(self, source_name: str, host: str) -> int:
        """Record the start of a collection run and return its id; runs a dead process left open are closed."""
        with self.engine.begin() as conn:
            source_id = self.source_row(source_name, conn)["id"]
            # We hold the lease, so a run of this source still "running" belongs to a process that was killed
            # or crashed (its lease expired): close it as failed, so `status` and the failing-runs alert see it.
            conn.execute(
                update(runs).where(runs.c.source_id == source_id, runs.c.status == "running")
                .values(status="failed", finished_at=utcnow(), error=ABANDONED_RUN)
            )  # fmt: skip
            result = conn.execute(runs.insert().values(source_id=source_id, host=host, started_at=utcnow()))
            return new_id(result)

    def _count_run(self, conn: Connection, run_id: int, result: SaveResult, page: Page) -> None:
        conn.execute(
            update(runs).where(runs.c.id == run_id).values(
                new_count=runs.c.new_count + result.new, updated_count=runs.c.updated_count + result.updated,
                pages=runs.c.pages + 1, api_calls=runs.c.api_calls + page.api_calls,
                quota_units=runs.c.quota_units + page.quota_units)
        )  # fmt: skip

    def finish_run(self, run_id: int, status: str, error: str | None = None, api_calls: int = 0) -> None:
        """Close a run and copy its outcome onto the source."""
        now = utcnow()
        error = redact(error) if error else error  # a platform's error text may echo the token it was sent
        with self.engine.begin() as conn:
            conn.execute(
                update(runs).where(runs.c.id == run_id).values(
                    finished_at=now, status=status, error=error, api_calls=runs.c.api_calls + api_calls)
            )  # fmt: skip
            source_id: int = conn.execute(select(runs.c.source_id).where(runs.c.id == run_id)).scalar_one()
            conn.execute(
                update(sources)
                .where(sources.c.id == source_id)
                .values(last_run_at=now, last_status=status, last_error=error)
            )

    def pause_source(self, source_name: str, until: datetime | None, reason: str | None) -> None:
        """Stop collecting a source until ``until`` (quota spent, rate limit); None clears the pause."""
        with self.engine.begin() as conn:
            conn.execute(
                update(sources)
                .where(sources.c.name == source_name)
                .values(paused_until=until, paused_reason=redact(reason) if reason else reason)
            )

    def run_rows(self, source_name: str, limit: int = 10) -> list[dict[str, Any]]:
        """The source's latest runs, newest first."""
        with reading(self.engine) as conn:
            source_id = self.source_row(source_name, conn)["id"]
            query = select(runs).where(runs.c.source_id == source_id).order_by(runs.c.id.desc()).limit(limit)
            return [dict(r) for r in conn.execute(query).mappings()]


def _ids_by_platform(keys: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """(platform, up to CHUNK external ids) groups, for index-friendly IN lookups."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for platform, external_id in keys:
        grouped[platform].append(external_id)
    for platform, ids in grouped.items():
        for part in chunked(ids):
            yield platform, list(part)


def _item_values(
    conn: Connection, column: Any, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    """``column`` of the stored items with these (platform, external id) keys, by key."""
    found: dict[tuple[str, str], Any] = {}
    for platform, ids in _ids_by_platform(keys):
        query = select(items.c.platform, items.c.external_id, column).where(
            items.c.platform == platform, one_of(conn, items.c.external_id, ids)
        )
        found.update({(str(p), str(e)): value for p, e, value in conn.execute(query)})
    return found


def _thread_item(row: Any) -> ThreadItem:
    return ThreadItem(row.id, row.external_id, row.parent_external_id, row.thread_external_id, row.is_own,
                      row.status, row.answered_by, row.published_at)  # fmt: skip


class _StoredAuthor(NamedTuple):
    """What a page's write reads of an author stored before."""

    id: int
    name: str | None
    handle: str | None
    follower_count: int | None
    tags: Any


@dataclass
class _AnswerPlan:
    """What `Store._plan_answers` left for `Store._mark_answered`: answers of items stored before (by id) or
    new items answered by items stored before (by key), and each platform's stored thread items."""

    rules: ResponseRules | None
    in_page: int = 0  # new items written answered
    by_id: dict[int, datetime] = field(default_factory=dict)
    by_key: dict[tuple[str, str], datetime] = field(default_factory=dict)
    threads: dict[str, list[ThreadItem]] = field(default_factory=dict)


ID_COLUMNS = ("external_id", "parent_external_id", "thread_external_id", "object_id")
ID_LENGTH = 255  # the id columns' size


def _storable(item: Item) -> bool:
    """False (and logged) for an item whose ids no database column can hold: it is skipped, the page is kept."""
    values = [(column, getattr(item, column)) for column in ID_COLUMNS]
    values.append(("author id", item.author.external_id if item.author else None))
    for column, value in values:
        if value is not None and (len(value) > ID_LENGTH or "\x00" in value):
            log.warning("%s item skipped: its %s is not a usable id (%d characters)", item.platform, column,
                        len(value))  # fmt: skip
            return False
    return True


def _no_nul(text: str | None) -> str | None:
    """The text without NUL characters, which PostgreSQL cannot store in text columns."""
    return text.replace("\x00", "") if text and "\x00" in text else text


def _differs(stored: str | None, new: str | None) -> bool:
    """SQL's ``stored != new``: NULL on either side is no difference."""
    return stored is not None and new is not None and stored != new


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
