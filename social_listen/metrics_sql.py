"""SQL building blocks shared by the metrics: filters, the first-response time of an item, percentiles.

Everything here compiles to the same meaning on SQLite and PostgreSQL. Definitions (also in the README):

- An item *needs a response* when a customer wrote it (not ``is_own``), it is not ignored (spam), and it was not
  closed without an answer (closing says "nothing to answer").
- Its *first response* is the brand's first human reply: the time of the first reply sent through the tool
  (``answered_by = tool``), the time a person marked it answered (``manual``), or, for replies seen on the
  platform (``platform``: made in the platform's own app, at their real time), the first own reply under it that
  is not an auto-reply. An *auto-reply* is an own item tagged ``auto`` or whose text contains one of the brand's
  ``sla.auto_reply_markers`` (case-sensitive). An item answered only by an auto-reply is still unanswered.
- Medians are the middle value (mean of the two middle values for an even count); p90 is the nearest-rank
  value (rank ceil(0.9 n)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from social_listen.config import Config
from social_listen.db.tables import brands, items, replies, sources, users

AUTO_TAG = "auto"
WAITING_STATUSES = ("open", "answered")
STORED_RULES_KEY = (
    "auto_reply_markers"  # brands.settings: the markers items.first_response_at was computed with
)
DIMENSIONS = ("all", "brand", "platform", "agent", "intent", "sentiment")
ALL = "all"
NO_INTENT = ""
AGENT_LABELS = {"platform": "(platform app)", "manual": "(marked answered)", "tool": "(tool, no user)"}


# -- dialect-neutral functions ---------------------------------------------------------------------------


class seconds_between(FunctionElement[float]):  # noqa: N801 - reads like the SQL function it is
    """``end - start`` in seconds (float)."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    end, start = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between)
def _seconds_default(element: Any, compiler: Any, **kw: Any) -> str:
    end, start = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"


class utc_hour(FunctionElement[str]):  # noqa: N801
    """The UTC hour of a timestamp as text ``YYYY-MM-DD HH`` (the unit trends are grouped by in SQL)."""

    type = String()
    name = "utc_hour"
    inherit_cache = True


@compiles(utc_hour, "sqlite")
def _hour_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y-%m-%d %H', {value})"


@compiles(utc_hour)
def _hour_default(element: Any, compiler: Any, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


class contains_text(FunctionElement[bool]):  # noqa: N801
    """True when ``needle`` occurs in ``haystack`` (case-sensitive on both databases)."""

    name = "contains_text"
    inherit_cache = True


@compiles(contains_text, "sqlite")
def _contains_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    haystack, needle = (compiler.process(c, **kw) for c in element.clauses)
    return f"(instr({haystack}, {needle}) > 0)"


@compiles(contains_text)
def _contains_default(element: Any, compiler: Any, **kw: Any) -> str:
    haystack, needle = (compiler.process(c, **kw) for c in element.clauses)
    return f"(strpos({haystack}, {needle}) > 0)"


# -- filters -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which items a metric covers: published in [since, until), of these brands, platforms and sources."""

    since: datetime | None = None
    until: datetime | None = None
    brands: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def conditions(self, dated: bool = True) -> list[ColumnElement[bool]]:
        """WHERE conditions on ``items``; ``dated=False`` leaves the date range out."""
        where: list[ColumnElement[bool]] = []
        if self.brands:
            where.append(items.c.brand_id.in_(select(brands.c.id).where(brands.c.name.in_(self.brands))))
        if self.platforms:
            where.append(items.c.platform.in_(self.platforms))
        if self.sources:
            where.append(items.c.source_id.in_(select(sources.c.id).where(sources.c.name.in_(self.sources))))
        if dated:
            where += self.date_conditions(items.c.published_at)
        return where

    def date_conditions(self, column: ColumnElement[Any]) -> list[ColumnElement[bool]]:
        """``column`` within [since, until)."""
        where: list[ColumnElement[bool]] = []
        if self.since is not None:
            where.append(column >= self.since)
        if self.until is not None:
            where.append(column < self.until)
        return where


def needs_response() -> ColumnElement[bool]:
    """A customer item that is neither spam/ignored nor closed without an answer."""
    return and_(
        items.c.is_own.is_(False),
        items.c.status != "ignored",
        not_(and_(items.c.status == "closed", items.c.answered_at.is_(None))),
    )


# -- first response --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseRules:
    """What does not count as a response: own items tagged ``auto`` or containing a brand's marker text."""

    markers: Mapping[str, tuple[str, ...]] | None = None
    auto_tag: str = AUTO_TAG

    @classmethod
    def from_config(cls, config: Config | None) -> ResponseRules:
        """The auto-reply markers of every configured brand."""
        found = {b.name: tuple(b.sla.auto_reply_markers) for b in (config.brands if config else [])}
        return cls({name: marks for name, marks in found.items() if marks})

    def is_auto(self, own: Any) -> ColumnElement[bool]:
        """True for an own item (alias ``own`` of items) that is an auto-reply."""
        tagged = contains_text(cast(own.c.tags, String), literal(f'"{self.auto_tag}"'))
        marked = [
            and_(
                own.c.brand_id.in_(select(brands.c.id).where(brands.c.name == name)),
                contains_text(own.c.text, m),
            )
            for name, marks in (self.markers or {}).items()
            for m in marks
        ]
        return or_(tagged, *marked) if marked else tagged


def computed_first_response_at(rules: ResponseRules) -> ColumnElement[Any]:
    """When the brand first answered the item (a person, not an auto-reply); NULL when it has not."""
    return case(
        (items.c.answered_by.in_(("tool", "manual")), items.c.answered_at),
        (items.c.answered_by == "platform", platform_first_response_at(rules)),
        else_=None,
    )


def platform_first_response_at(rules: ResponseRules) -> ColumnElement[Any]:
    """The first human answer among the brand's own items on the platform under the item, or NULL.

    Computed from the own items under it: one correlated subquery per way of being "under" (a reply to the
    item; a later reply in the same thread, for replies), so each uses its index instead of a scan."""
    own = items.alias("own")
    human = [own.c.platform == items.c.platform, own.c.is_own.is_(True),
             own.c.published_at >= items.c.published_at, not_(rules.is_auto(own))]  # fmt: skip
    to_item = (
        select(own.c.published_at.label("t"))
        .where(own.c.parent_external_id == items.c.external_id, *human)
        .correlate(items)
    )
    in_thread = (
        select(own.c.published_at.label("t"))
        .where(
            items.c.parent_external_id.is_not(None), own.c.thread_external_id == items.c.thread_external_id
        )
        .where(*human)
        .correlate(items)
    )
    either = union_all(to_item, in_thread).subquery("answers")
    return select(func.min(either.c.t)).scalar_subquery()


def first_response_at(rules: ResponseRules, stored: bool = False) -> ColumnElement[Any]:
    """The first response time: the stored ``items.first_response_at`` when it was computed with these
    rules (``stored``, see ``rules_are_stored``), else computed on the fly."""
    return items.c.first_response_at if stored else computed_first_response_at(rules)


def stored_rules(conn: Any) -> ResponseRules | None:
    """The rules ``items.first_response_at`` holds for every brand; None while some brand's is not filled."""
    markers: dict[str, tuple[str, ...]] = {}
    for name, settings in conn.execute(select(brands.c.name, brands.c.settings)):
        found = (settings or {}).get(STORED_RULES_KEY)
        if not isinstance(found, list):
            return None
        if found:
            markers[str(name)] = tuple(str(m) for m in found)
    return ResponseRules(markers)


def rules_are_stored(conn: Any, rules: ResponseRules) -> bool:
    """True when the stored first responses were computed with ``rules`` (what the config says)."""
    stored = stored_rules(conn)
    if stored is None or stored.auto_tag != rules.auto_tag:
        return False
    wanted = {name: tuple(marks) for name, marks in (rules.markers or {}).items() if marks}
    return dict(stored.markers or {}) == wanted


def refresh_first_responses(conn: Any, rules: ResponseRules, *where: ColumnElement[bool]) -> int:
    """Recompute the stored first response of the customer items matching ``where``; rows changed."""
    stmt = (
        update(items)
        .where(items.c.is_own.is_(False), *where)
        .values(first_response_at=computed_first_response_at(rules))
    )
    return int(conn.execute(stmt).rowcount or 0)


def agent_label() -> ColumnElement[Any]:
    """Who gave the first response: the user who sent the first tool reply, else how it was answered."""
    user = (
        select(users.c.name)
        .select_from(replies.join(users, users.c.id == replies.c.user_id))
        .where(replies.c.item_id == items.c.id, replies.c.status == "sent")
        .order_by(replies.c.sent_at, replies.c.id)
        .limit(1)
        .scalar_subquery()
    )
    how = case(*((items.c.answered_by == k, literal(v)) for k, v in AGENT_LABELS.items()), else_=literal(""))
    return func.coalesce(case((items.c.answered_by == "tool", user), else_=None), how)


def response_facts(
    rules: ResponseRules,
    scope: Scope,
    with_agent: bool = False,
    dated: bool = True,
    stored: bool = False,
    responded: Scope | None = None,
    waiting: bool = False,
    where: Sequence[ColumnElement[bool]] = (),
) -> Subquery:
    """One row per item needing a response in scope, with its first response time and grouping columns;
    ``responded`` keeps only items first answered in its date range, ``waiting`` only those still waiting
    for one (open or answered by an auto-reply alone), ``where`` adds conditions on ``items``."""
    first = first_response_at(rules, stored)
    # The brand's name by a lookup, not a join: with items alone in FROM the planner is free to pick the
    # published_at or the first_response_at index.
    brand_name = select(brands.c.name).where(brands.c.id == items.c.brand_id).scalar_subquery()
    columns: list[Any] = [
        items.c.id, items.c.brand_id, brand_name.label("brand"), items.c.platform, items.c.published_at,
        items.c.status, items.c.answered_by, func.coalesce(items.c.sentiment_label, "").label("sentiment"),
        func.coalesce(items.c.intents, "").label("intents"), items.c.rating, items.c.reply_deadline_at,
        first.label("first_response_at"),
        (agent_label() if with_agent else literal("")).label("agent"),
    ]  # fmt: skip
    query = select(*columns).select_from(items).where(*scope.conditions(dated), *where)
    if waiting:
        # Implies needs_response (brand items are stored closed): written on the columns of the
        # (first_response_at, status, is_own, published_at) index alone, so counting reads only the index.
        query = query.where(first.is_(None), items.c.status.in_(WAITING_STATUSES), items.c.is_own.is_(False))
    else:
        query = query.where(needs_response())
    if responded is not None:
        query = query.where(first.is_not(None), *responded.date_conditions(first))
    return query.subquery("facts")


def with_seconds(facts: Subquery) -> ColumnElement[float]:
    """Calendar seconds from publication to first response."""
    return seconds_between(facts.c.first_response_at, facts.c.published_at)


def intent_condition(column: ColumnElement[Any], intent: str) -> ColumnElement[bool]:
    """The ';'-joined ``column`` contains ``intent`` (or is empty, for NO_INTENT)."""
    if intent == NO_INTENT:
        return or_(column.is_(None), column == "")
    return contains_text(literal(";").concat(column).concat(";"), literal(f";{intent};"))


def grouped(facts: Subquery, dimension: str, intents: Sequence[str] = ()) -> Select[Any]:
    """``facts`` with a ``grp`` column; for ``intent`` an item appears once per intent it has."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}, not {dimension!r}")
    if dimension == "intent":
        parts = [
            select(literal(intent).label("grp"), *facts.c).where(intent_condition(facts.c.intents, intent))
            for intent in [*intents, NO_INTENT]
        ]
        return select(*union_all(*parts).subquery("by_intent").c)
    group = {"all": literal(ALL), "brand": facts.c.brand, "platform": facts.c.platform,
             "agent": facts.c.agent, "sentiment": facts.c.sentiment}[dimension]  # fmt: skip
    return select(group.label("grp"), *facts.c)


def only_group(query: Select[Any], group: str | None) -> Select[Any]:
    """Restrict a ``grouped`` query to one group (drill-downs); None keeps all."""
    if group is None:
        return query
    sub = query.subquery("one_group")
    return select(*sub.c).where(sub.c.grp == group)


def summary(values: Subquery) -> Select[Any]:
    """Count, mean, median, p90, min and max of ``values.v`` per ``values.grp`` (window functions)."""
    ranked = select(
        values.c.grp,
        values.c.v,
        func.row_number().over(partition_by=values.c.grp, order_by=values.c.v).label("rn"),
        func.count().over(partition_by=values.c.grp).label("n"),
    ).subquery("ranked")
    rn, n, v = ranked.c.rn, ranked.c.n, ranked.c.v
    middle = or_(rn == (n + 1) // 2, rn == (n + 2) // 2)
    return select(
        ranked.c.grp, func.max(n).label("n"), func.avg(v).label("mean"),
        func.avg(case((middle, v), else_=None)).label("median"),
        func.max(case((rn == (9 * n + 9) // 10, v), else_=None)).label("p90"),
        func.min(v).label("min"), func.max(v).label("max"),
    ).group_by(ranked.c.grp)  # fmt: skip


def distinct_intents(conn: Any, scope: Scope) -> list[str]:
    """Every intent that occurs on items in scope."""
    query = select(items.c.intents).where(items.c.is_own.is_(False), *scope.conditions()).distinct()
    found = {part for (joined,) in conn.execute(query) for part in str(joined or "").split(";") if part}
    return sorted(found)


def never() -> ColumnElement[bool]:
    """A condition no row meets."""
    return false()
