"""The inbox query: what needs an answer first, with filters and counts per filter value, all in SQL.

Only one page of rows is ever read (LIMIT/OFFSET); counts are GROUP BY queries, so the inbox stays fast on
a store with millions of items. Every filter value is a string (ids as text) so the UI can treat them alike.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    case,
    cast,
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
    type_coerce,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import String, Text

from social_listen.db.engine import one_of, reading
from social_listen.db.tables import brands, items, sources, users
from social_listen.model import ITEM_STATUSES
from social_listen.sla import SlaBook, SlaPolicy

# Without a config: every item should be answered within 24 hours of publication, around the clock.
DEFAULT_SLA = SlaBook.from_config(None)
FACETS = ("brand", "platform", "source", "language", "sentiment", "intent", "status", "assignee", "rating")
MINE = "mine"
UNASSIGNED = "none"
UNKNOWN = ""  # facet value for items not triaged yet (no language or sentiment)
EXCERPT = 400
COUNTED_STATUSES = ("open", "answered", "ignored")


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows: values within one facet are OR-ed, facets are AND-ed."""

    brand: tuple[str, ...] = ()
    platform: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    sentiment: tuple[str, ...] = ()
    intent: tuple[str, ...] = ()
    status: tuple[str, ...] = ("open",)
    assignee: tuple[str, ...] = ()
    rating: tuple[str, ...] = ()
    fast_reply: bool | None = None  # True: only items flagged for a fast reply
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""

    def without(self, facet: str) -> InboxFilter:
        """The same filter with one facet cleared (a facet's counts ignore its own selection)."""
        cleared: dict[str, Any] = {facet: ()}
        return replace(self, **cleared)

    def active(self) -> int:
        """How many facets or ranges narrow the inbox."""
        return sum(1 for f in fields(self) if getattr(self, f.name) not in ((), None, "", False))


class InboxRow(NamedTuple):
    """One line of the inbox. A named tuple: a page builds 25 of them on every rerun, and a tuple is made
    in a seventh of the time a frozen dataclass's fields are set in (0.13 against 0.9 µs per row)."""

    id: int
    platform: str
    source: str
    brand: str
    kind: str
    author_name: str
    text: str
    language: str | None
    rating: float | None
    sentiment_label: str | None
    sentiment_score: float | None
    intents: tuple[str, ...]
    priority: float
    priority_reasons: str
    status: str
    assignee_id: int | None
    assignee: str | None
    published_at: datetime
    sla_due_at: datetime
    reply_deadline_at: datetime | None
    can_reply: bool
    url: str | None
    tags: tuple[str, ...] = ()
    fast_reply: bool = False  # answer fast: negative, or a complaint in flat words (see triage.fast_reply)


COUNT_CAP = 1000  # the inbox counts matching items up to this many, then says "1000+"


@dataclass(frozen=True)
class InboxPage:
    """A page of inbox rows and how many rows match in all."""

    rows: list[InboxRow]
    total: int
    page: int
    per_page: int
    more: bool = False  # more than ``total`` match: the count stopped at COUNT_CAP

    @property
    def pages(self) -> int:
        """How many pages the matching rows fill (at least one); with ``more``, one past the counted ones."""
        return max(1, -(-self.total // self.per_page)) + (1 if self.more else 0)


@dataclass(frozen=True)
class FacetValue:
    """One value of a filter with its label and how many items have it."""

    value: str
    label: str
    count: int


def sla_due_at(
    published_at: datetime, brand: str = "", platform: str | None = None, sla: SlaBook | None = None
) -> datetime:
    """When the item should have been answered by: the brand's (and platform's) target in its opening hours."""
    return (sla or DEFAULT_SLA).policy(brand, platform).due_at(published_at)


@lru_cache(maxsize=4096)
def split_intents(value: str | None) -> tuple[str, ...]:
    """The ';'-joined intents column as a tuple. Cached: items share a few intent combinations, and splitting
    each inbox row's anew was a third of the time a row took to build."""
    return tuple(part for part in (value or "").split(";") if part)


def inbox_page(
    engine: Engine,
    inbox_filter: InboxFilter,
    user_id: int | None = None,
    page: int = 1,
    per_page: int = 25,
    sla: SlaBook | None = None,
) -> InboxPage:
    """Open items first, by priority then time left to the SLA; one page of them and the total."""
    page = max(1, page)
    # Counted up to a cap past the page asked for, as mail and helpdesk inboxes do ("1,000+"): an exact count
    # of a broad filter over a big backlog reads every matching row, while the page itself reads 25.
    cap = max(COUNT_CAP, page * per_page)
    offset = (page - 1) * per_page
    # Without a search the page is one statement, which needs no transaction around it.
    with reading(engine, single_statement=not inbox_filter.search) as conn:
        allowed = _allowed_brands(conn, user_id)
        if inbox_filter.search:
            base = list(_where(inbox_filter, user_id, allowed))
            counted, where = _count_and_narrow(conn, inbox_filter, base, cap, bool(allowed))
            rows = conn.execute(_page_query(inbox_filter, where, per_page, offset)).all()
        else:
            # No search: one statement, built once per filter, brings the page and the capped count with it.
            rows = _fetch(conn, _counted_page(inbox_filter, user_id, allowed, per_page, offset, cap))
            counted = rows[0][-1] if rows else 0
            if not rows and page > 1:  # past the last page: the count alone
                counted = conn.execute(
                    _capped_count(_where(inbox_filter, user_id, allowed), None, cap)
                ).scalar_one()
    more = int(counted) > cap
    policies: dict[tuple[str, str], SlaPolicy] = {}  # looked up once per brand and platform of the page
    return InboxPage(
        rows=[_row(r, sla, policies) for r in rows], total=cap if more else int(counted), page=page, per_page=per_page,
        more=more,
    )  # fmt: skip


@lru_cache(maxsize=256)
def _where(f: InboxFilter, user_id: int | None, allowed: tuple[str, ...]) -> tuple[ColumnElement[bool], ...]:
    return tuple(_scope(allowed) + _conditions(f, user_id))


def _page_query(f: InboxFilter, where: Any, per_page: int, offset: int) -> Select[Any]:
    return (
        select(*_row_columns())
        .select_from(_joined())
        .where(*where)
        .order_by(*_inbox_order(f))
        .limit(per_page)
        .offset(offset)
    )


@lru_cache(maxsize=256)
def _counted_page(
    f: InboxFilter, user_id: int | None, allowed: tuple[str, ...], per_page: int, offset: int, cap: int
) -> Select[Any]:
    """The page with the capped count as its last column. Statements are immutable, so one built for a filter
    serves every later run of it (the dashboard reruns the same filter on every click): building the statement
    and its cache key had cost more than running it on a store of a million items."""
    where = _where(f, user_id, allowed)
    total = _capped_count(list(where), None, cap).scalar_subquery().label("total")
    return _page_query(f, where, per_page, offset).add_columns(total)


def _fetch(conn: Connection, statement: Select[Any]) -> Sequence[Any]:
    """The statement's rows, run on the driver's own cursor when it can be (see ``_driver_form``)."""
    form = _driver_form(statement, conn.dialect)
    if form is None:
        return conn.execute(statement).all()
    cursor = conn.connection.cursor()
    try:
        cursor.execute(*form)
        return cursor.fetchall()
    finally:
        cursor.close()


@lru_cache(maxsize=256)
def _driver_form(statement: Select[Any], dialect: Dialect) -> tuple[str, Any] | None:
    """The statement's SQL and parameters in the driver's own style, compiled once per statement; None when
    a parameter needs converting (a time) or is expanded on every run (a list of several values). A page is
    a fraction of a millisecond of SQLite's time, and SQLAlchemy's execute and result rows had doubled it;
    the rows are converted by ``_row`` either way."""
    compiled = statement.compile(dialect=dialect)
    if compiled.post_compile_params or compiled.literal_execute_params:
        return None
    if any(bind.type.bind_processor(dialect) for bind in compiled.binds.values()):
        return None
    params = compiled.construct_params()
    if dialect.positional:
        return compiled.string, tuple(params[name] for name in compiled.positiontup or ())
    return compiled.string, params


def _count_and_narrow(
    conn: Connection, f: InboxFilter, where: list[ColumnElement[bool]], cap: int, scoped: bool = False
) -> tuple[int, list[ColumnElement[bool]]]:
    """How many items match, up to ``cap + 1``, and the conditions the page query reads them by: with a
    search, the matches are narrowed to those the text index lists (or the ids found) when that is cheaper
    than walking the inbox order and letting the LIKE conditions pick rows."""
    phrase = _search_phrase(conn.engine, f)
    if phrase is None and f.search:
        # A search the LIKE conditions decide alone (PostgreSQL's trigram indexes serve them): the matches'
        # ids, up to the cap. When they are that few, the page sorts just them. PostgreSQL cannot tell a rare
        # word from a common one and walked the inbox order for both, through most of the open items for a
        # rare one (206 ms for 289 matches in 200k items).
        found = _matching_ids(conn, f, where, cap + 1, scoped)
        return len(found), where if len(found) > cap else [*where, one_of(conn, items.c.id, found)]
    counted = int(conn.execute(_capped_count(where, phrase, cap)).scalar_one())
    if phrase is None or (counted > cap and _walks_inbox_order(f) and _common(conn, phrase)):
        return counted, where
    # Few matches: the text index lists them and only those are sorted. Many (a common word): walking the
    # inbox order, the LIKE conditions fill a page after a few hundred rows, while the index would list
    # every match (60,000 for "pedido" in a million items) to be sorted for 25.
    return counted, [*where, items.c.id.in_(_search_matches(phrase))]


# PostgreSQL, a search narrowed by status alone: the trigram indexes list a word's M matches, while a walk of
# the table stops at the cap but tests ILIKE on about cap·N/M rows. The index is the cheaper way while M is
# under TRIGRAM_MATCHES·sqrt(N) (measured at 200k and 1M items: 'pedido' in 6 % of them, 9 ms against 40 at
# 200k, 27 against 35 at 1M; 'hola' in 8 %, 12 against 47 at 200k, 47 against 39 at 1M).
TRIGRAM_MATCHES = 70


def _matching_ids(
    conn: Connection, f: InboxFilter, where: Sequence[ColumnElement[bool]], limit: int, scoped: bool = False
) -> list[int]:
    """The ids of up to ``limit`` items matching a search the LIKE conditions decide.

    PostgreSQL's planner cannot weigh that choice: it charges ILIKE as a cheap operator, so with a LIMIT it
    took a sequential scan for any word it thought common, and which plan it took flipped between two builds
    of the same store (a word in 6 % of 200k items: 55 ms one time, 19 another). For a search narrowed by
    status alone the product decides, from the planner's own estimate of the matches, and the statement runs
    with the other ways turned off in a savepoint that is rolled back after it. ``scoped``: ``where`` limits
    the user to some brands (then, as with any other filter, the planner decides)."""
    query = select(items.c.id).where(*where).limit(limit)
    plain = replace(f, status=(), search="").active() == 0 and not scoped
    if conn.dialect.name != "postgresql" or not plain or any(len(w) < 3 for w in _searched_words(f)):
        return list(conn.execute(query).scalars())
    matches = _estimated_rows(conn, select(items.c.id).where(*_range_and_search(f)))
    if matches < TRIGRAM_MATCHES * math.sqrt(_store_rows(conn)):
        # Only the trigram indexes: the status is compared as an expression no index covers, or the planner
        # ANDs the bitmap of every open item in (1.5-2x the time at 200k); no JIT for a statement this short.
        settings = {"enable_seqscan": "off", "enable_indexscan": "off", "jit": "off"}
        query = select(items.c.id).where(*_conditions(f, None, fence_status=True)).limit(limit)
    else:
        settings = {"enable_bitmapscan": "off"}
    savepoint = conn.begin_nested()
    try:
        chosen = ", ".join(f"set_config('{name}', '{value}', true)" for name, value in settings.items())
        conn.exec_driver_sql(f"SELECT {chosen}")  # the product's own constants, never the user's words
        return list(conn.execute(query).scalars())
    finally:
        savepoint.rollback()


def _estimated_rows(conn: Connection, query: Select[Any]) -> float:
    """How many rows PostgreSQL's planner expects the query to return (EXPLAIN, which does not run it)."""
    compiled = query.compile(dialect=conn.dialect)
    plan: Any = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled.string}", compiled.params).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])


def facet_counts(
    engine: Engine, inbox_filter: InboxFilter, user_id: int | None = None
) -> dict[str, list[FacetValue]]:
    """For every facet, each value with the number of items matching the other facets' selections."""
    labels = _labels(engine)
    # Facets nobody narrowed are all counted over the same rows: one pass groups by all of them at once.
    shared = [f for f in FACETS if f != "status" and not getattr(inbox_filter, f)]
    grouped: dict[str, list[tuple[str, int]]] = {}
    with reading(engine) as conn:
        scope = _scope(_allowed_brands(conn, user_id)) + _search_prefilter(engine, inbox_filter)
        if shared:
            grouped.update(_grouped_together(conn, shared, scope + _conditions(inbox_filter, user_id)))
        for facet in (f for f in FACETS if f not in shared):
            where = scope + _conditions(_counted(inbox_filter, facet), user_id)
            grouped.update(_grouped_together(conn, [facet], where))
    return {facet: _facet_values(facet, grouped[facet], labels, user_id) for facet in FACETS}


def _grouped_together(
    conn: Connection, facets: list[str], where: list[ColumnElement[bool]]
) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of each facet, from one GROUP BY over all of them."""
    ordered = sorted(facets, key=FACET_INDEX.index)
    columns = [FACET_COLUMNS[facet] for facet in ordered]
    query = select(*columns, func.count()).where(*where).group_by(*columns)
    totals: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for row in conn.execute(query):
        count = _as_count(row[-1])
        for facet, value in zip(ordered, row[:-1], strict=True):
            key = _facet_key(facet, value)
            totals[facet][key] = totals[facet].get(key, 0) + count
    return {facet: list(values.items()) for facet, values in totals.items()}


def _counted(f: InboxFilter, facet: str) -> InboxFilter:
    """The filter a facet is counted under: every other facet's choice. Statuses are counted for the
    working set only; closed items (the archive, with the brand's own posts) would mean reading every row."""
    if facet == "status":
        return replace(f, status=COUNTED_STATUSES)
    return f.without(facet)


# -- conditions ----------------------------------------------------------------------------------


def _conditions(f: InboxFilter, user_id: int | None, fence_status: bool = False) -> list[ColumnElement[bool]]:
    """``fence_status``: the status is compared as an expression (``status || ''``) that no index covers, so
    PostgreSQL reads it as a filter of the rows another index found (see ``_matching_ids``)."""
    # The brand's own posts and replies are stored closed and stay closed (nobody acts on them), so when
    # closed items are not asked for, the status alone leaves them out and the (status, priority) index
    # answers the query without reading rows.
    own_possible = not f.status or "closed" in f.status
    where: list[ColumnElement[bool]] = [items.c.is_own.is_(False)] if own_possible else []
    status = items.c.status.concat("") if fence_status else items.c.status
    simple = {
        "brand": items.c.brand_id, "source": items.c.source_id, "platform": items.c.platform,
        "language": items.c.language, "status": status, "sentiment": items.c.sentiment_label,
    }  # fmt: skip
    for facet, column_ in simple.items():
        values: tuple[str, ...] = getattr(f, facet)
        if values:
            where.append(_one_of(column_, _typed(facet, values), inline=facet == "status"))
    if f.intent:
        where.append(or_(*(_has_intent(v) for v in f.intent)))
    if f.assignee:
        where.append(or_(*(_assignee_is(v, user_id) for v in f.assignee)))
    if f.rating:
        where.append(or_(false(), *(_rated(int(v)) for v in f.rating if v.isdigit())))
    if f.fast_reply:
        where.append(items.c.fast_reply == true())
    where += _range_and_search(f)
    return where


def _one_of(column_: Any, values: list[Any], inline: bool = False) -> ColumnElement[bool]:
    """The column is one of ``values``, where UNKNOWN means NULL (not triaged yet): a plain IN on the column,
    not on coalesce(), so the planners can estimate it and use the indexes.

    ``inline``: the values are statuses, written into the SQL when they all are known ones. PostgreSQL's
    generic plan for a statement the driver has prepared (after five runs) then still knows that 'open' is
    half the store and 'ignored' a sliver; with the status a parameter it guessed, and a searched page with
    filters read its matches 1.5-4x slower than the same SQL with the status written in."""
    known: list[Any] = [v for v in values if v != UNKNOWN]
    if inline and set(known) <= set(ITEM_STATUSES):
        known = [literal_column(f"'{v}'") for v in known]
    # One value compares with '=': an IN list is expanded into its statement on every run.
    either = [column_ == known[0]] if len(known) == 1 else [column_.in_(known)] if known else []
    if UNKNOWN in values:
        either.append(column_.is_(None))
    return or_(false(), *either)


def _typed(facet: str, values: tuple[str, ...]) -> list[Any]:
    if facet in ("brand", "source"):
        return [int(v) for v in values if v.isdigit()]
    return list(values)


def _has_intent(intent: str) -> ColumnElement[bool]:
    padded = literal(";").concat(items.c.intents).concat(";")
    return padded.like(f"%;{_like_escape(intent)};%", escape="\\")


def _assignee_is(value: str, user_id: int | None) -> ColumnElement[bool]:
    if value == MINE:
        return items.c.assignee_id == user_id if user_id is not None else false()
    if value == UNASSIGNED:
        return items.c.assignee_id.is_(None)
    return items.c.assignee_id == int(value) if value.isdigit() else false()


def _range_and_search(f: InboxFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.since is not None:
        where.append(items.c.published_at >= f.since)
    if f.until is not None:
        where.append(items.c.published_at < f.until)
    for word in _searched_words(f):
        pattern = f"%{_like_escape(word)}%"
        where.append(
            or_(items.c.text.ilike(pattern, escape="\\"), items.c.author_name.ilike(pattern, escape="\\"))
        )
    return where


def _searched_words(f: InboxFilter) -> list[str]:
    """The words searched for: the first 8 of the search box, each of which must match."""
    return f.search.split()[:8]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


SEARCH_TABLE = "items_search"  # SQLite's FTS5 trigram index of items.text and author_name (migration 0005)
_search_tables: dict[str, bool] = {}


def _search_prefilter(engine: Engine, f: InboxFilter) -> list[ColumnElement[bool]]:
    """On SQLite, the items whose text or author contains every searched word of 3+ characters, from the
    trigram index (a superset of what the LIKE conditions keep, so those still decide). PostgreSQL's
    pg_trgm indexes serve the ILIKE conditions themselves."""
    phrase = _search_phrase(engine, f)
    return [] if phrase is None else [items.c.id.in_(_search_matches(phrase))]


def _search_phrase(engine: Engine, f: InboxFilter) -> str | None:
    """The FTS5 query for the searched words of 3+ characters (all of them), where the trigram index is there."""
    words = [w for w in _searched_words(f) if len(w) >= 3]
    if not words or engine.dialect.name != "sqlite" or not _has_search_table(engine):
        return None
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def _search_matches(phrase: str) -> Select[Any]:
    return select(_SEARCH.c.rowid).where(_matching(phrase))


def _matching(phrase: str) -> ColumnElement[bool]:
    return literal_column(SEARCH_TABLE).op("MATCH")(phrase)


_SEARCH = table(SEARCH_TABLE, column("rowid"))


def _capped_count(where: Sequence[ColumnElement[bool]], phrase: str | None, cap: int) -> Select[Any]:
    """How many items match, counted up to ``cap + 1``. With a search, the text index's matches drive the
    count (each looked up by id), so it stops after cap + 1 of them instead of listing every match first."""
    matching = select(items.c.id).where(*where)
    if phrase is not None:
        matching = matching.select_from(_SEARCH.join(items, items.c.id == _SEARCH.c.rowid)).where(
            _matching(phrase)
        )
    return select(func.count()).select_from(matching.limit(cap + 1).subquery("matching"))


# What reading one row in inbox order and testing it with LIKE costs, against listing one match from the text
# index and sorting it, times the page of 25 (measured at 1M items on SQLite: about 7.8 µs against 1.7 µs).
WALK_COST = 100


def _common(conn: Connection, phrase: str) -> bool:
    """Whether the words are in enough items that walking the inbox order finds a page sooner than sorting
    every match: with M matches in N items, a walk reads about 25·N/M rows, the index lists M, so more than
    sqrt(WALK_COST·N) matches. Counted up to that many only."""
    enough = math.isqrt(WALK_COST * _store_rows(conn)) + 1
    listed = select(func.count()).select_from(_search_matches(phrase).limit(enough).subquery("listed"))
    return int(conn.execute(listed).scalar_one()) >= enough


def _store_rows(conn: Connection) -> int:
    """About how many items the store holds: the highest id (read from the primary key, not counted)."""
    return int(conn.execute(select(func.coalesce(func.max(items.c.id), 0))).scalar_one())


def _walks_inbox_order(f: InboxFilter) -> bool:
    """The page query can walk the (status, priority) index in order: one status asked for."""
    return len(f.status) == 1


def _has_search_table(engine: Engine) -> bool:
    key = engine.url.render_as_string(hide_password=True)
    if key not in _search_tables:
        with reading(engine) as conn:
            found = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": SEARCH_TABLE}
            ).first()
        _search_tables[key] = found is not None
    return _search_tables[key]


def _allowed_brands(conn: Connection, user_id: int | None) -> tuple[str, ...]:
    """The brands a user is limited to (none: every brand)."""
    if user_id is None:
        return ()
    allowed = conn.execute(select(users.c.brands).where(users.c.id == user_id)).scalar()
    return tuple(str(name) for name in allowed or ())


def _scope(allowed: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """Users limited to some brands only see those brands' items."""
    if not allowed:
        return []
    return [items.c.brand_id.in_(select(brands.c.id).where(brands.c.name.in_(allowed)))]


def _rated(stars: int) -> ColumnElement[bool]:
    """Ratings that count as ``stars`` whole stars, halves rounding up (4.5 is 5), as the facet counts them."""
    return and_(items.c.rating >= stars - 0.5, items.c.rating < stars + 0.5)


# -- rows ----------------------------------------------------------------------------------------


def _joined() -> Any:
    # Source and brand names are looked up per row of the page rather than joined: with brands and sources in
    # FROM, a brand filter made SQLite start from the brand (through ix_items_facets) and sort all of its open
    # items (3.5 s at 1M) instead of walking the (status, priority) index and stopping after a page.
    return items.outerjoin(users, users.c.id == items.c.assignee_id)


def _name_of(table_: Any, key: Any) -> Any:
    return select(table_.c.name).where(table_.c.id == key).scalar_subquery()


def _row_columns() -> list[Any]:
    return [
        items.c.id, items.c.platform, _name_of(sources, items.c.source_id).label("source"),
        _name_of(brands, items.c.brand_id).label("brand"),
        items.c.kind, items.c.author_name, func.substr(items.c.text, 1, EXCERPT).label("text"),
        items.c.language, items.c.rating, items.c.sentiment_label, items.c.sentiment_score, items.c.intents,
        items.c.priority, items.c.priority_reasons, items.c.status, items.c.assignee_id,
        users.c.display_name.label("assignee"), _raw(items.c.published_at), _raw(items.c.reply_deadline_at),
        # Tags as text: PostgreSQL's driver would parse every row's JSON, where most are '[]' (see _tags).
        items.c.can_reply, items.c.url, cast(items.c.tags, Text).label("tags"), items.c.fast_reply,
    ]  # fmt: skip


def _raw(column_: Any) -> Any:
    """The column as the driver returns it, converted by ``_utc`` below: SQLAlchemy's per-value conversion
    of SQLite's datetime text cost more than the page's query itself."""
    return type_coerce(column_, String).label(column_.name)


def _utc(value: Any) -> Any:
    """A stored time as an aware UTC datetime: SQLite's naive UTC text or PostgreSQL's aware value."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value + "+00:00")  # as stored: UTC without an offset
        except ValueError:
            value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _tags(value: Any) -> tuple[str, ...]:
    """The tags column, read as JSON text on both databases (``_row_columns``), as a tuple."""
    if value == "[]" or value is None:
        return ()
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(value or ())


def _inbox_order(f: InboxFilter) -> list[Any]:
    # Time left to the SLA: with one SLA length for every item, the earliest published is due first.
    # With one status chosen (the usual "open") the first key is constant: leave it out so the database
    # can walk the (status, priority) index and stop after one page.
    open_first = [] if len(f.status) == 1 else [case((items.c.status == "open", 0), else_=1)]
    return [*open_first, items.c.priority.desc(), items.c.published_at.asc(), items.c.id.asc()]


def _row(r: Any, sla: SlaBook | None, policies: dict[tuple[str, str], SlaPolicy]) -> InboxRow:
    """An inbox line from a row of ``_row_columns()`` (a count may follow them); ``policies`` keeps the SLA
    policies looked up for the page's earlier rows."""
    (id_, platform, source, brand, kind, author_name, text_, language, rating, label, score, intents, priority,
     reasons, status, assignee_id, assignee, published_at, deadline, can_reply, url, tags, fast) = r[:_ROW_WIDTH]  # fmt: skip
    published_at = _utc(published_at)
    policy = policies.get((brand, platform))
    if policy is None:
        policy = policies[brand, platform] = (sla or DEFAULT_SLA).policy(brand, platform)
    return InboxRow._make((
        id_, platform, source, brand, kind, author_name or "", text_ or "", language, rating, label, score,
        split_intents(intents), float(priority or 0.0), reasons or "",
        status, assignee_id, assignee, published_at, policy.due_at(published_at),
        _utc(deadline), bool(can_reply), url, _tags(tags), bool(fast),
    ))  # fmt: skip


_ROW_WIDTH = len(_row_columns())


# -- facets --------------------------------------------------------------------------------------


# The facets in the order of the ix_items_facets index's columns after status: grouping the open items by the
# plain columns in this order reads that index alone, in order, with no sorting (about 30x faster at 1M items
# than grouping by expressions).
FACET_COLUMNS = {
    "brand": items.c.brand_id, "platform": items.c.platform, "source": items.c.source_id,
    "language": items.c.language, "sentiment": items.c.sentiment_label, "assignee": items.c.assignee_id,
    "rating": items.c.rating, "intent": items.c.intents, "status": items.c.status,
}  # fmt: skip
FACET_INDEX = (
    "status",
    "brand",
    "platform",
    "source",
    "language",
    "sentiment",
    "assignee",
    "rating",
    "intent",
)


def _facet_key(facet: str, value: Any) -> str:
    """A facet value as the filters name it: ratings by whole stars (4.5 counts as 5), no value as ""."""
    if facet == "rating" and value is not None:
        return str(math.floor(float(value) + 0.5))
    return _as_value(value)


def _as_value(value: Any) -> str:
    return "" if value is None else str(value)


def _as_count(value: Any) -> int:
    return int(value)


def _facet_values(
    facet: str, grouped: list[tuple[str, int]], labels: dict[str, dict[str, str]], user_id: int | None
) -> list[FacetValue]:
    if facet == "intent":
        grouped = _intent_totals(grouped)
    if facet == "rating":
        grouped = [(v, n) for v, n in grouped if v]
    if facet == "assignee":
        grouped = _assignee_totals(grouped, user_id)
    names = labels.get(facet, {})
    values = [FacetValue(v, names.get(v, v), n) for v, n in grouped]
    return sorted(values, key=lambda fv: (-fv.count, fv.label))


def _intent_totals(grouped: list[tuple[str, int]]) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for joined, count in grouped:
        for intent in split_intents(joined):
            totals[intent] = totals.get(intent, 0) + count
    return list(totals.items())


def _assignee_totals(grouped: list[tuple[str, int]], user_id: int | None) -> list[tuple[str, int]]:
    renamed = [(v or UNASSIGNED, n) for v, n in grouped]
    if user_id is not None:
        renamed.append((MINE, sum(n for v, n in grouped if v == str(user_id))))
    return renamed


def _labels(engine: Engine) -> dict[str, dict[str, str]]:
    with reading(engine) as conn:
        brand_names = {str(i): str(n) for i, n in conn.execute(select(brands.c.id, brands.c.name))}
        source_names = {str(i): str(n) for i, n in conn.execute(select(sources.c.id, sources.c.name))}
        user_names = {str(i): str(n) for i, n in conn.execute(select(users.c.id, users.c.display_name))}
    return {"brand": brand_names, "source": source_names, "assignee": user_names}
