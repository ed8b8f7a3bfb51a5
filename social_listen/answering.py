"""Which open customer items the brand has answered on the platform, read from the items of their threads.

An own item (the brand's reply) answers the item it replies to and, for a reply inside a thread, the earlier
replies in the same thread (YouTube and Facebook threads are one level deep). `Store.save_page` works this out
over a page's threads as they will be once the page is written: a new item whose answers are all new in the
same page is written answered, with its first response, in its one INSERT; only items stored before (or
answered by items stored before) need an UPDATE. An answer is news only when the item or one of the own items
under it is new in the page: an item a person reopened stays open until the brand replies again, however often
its thread is collected. The SQL side of the same rules is `metrics_sql`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ThreadItem:
    """An item of a page's threads as it will be stored once the page is written."""

    id: int | None  # None: new in this page, not stored yet
    external_id: str
    parent_external_id: str | None
    thread_external_id: str | None
    is_own: bool
    status: str
    answered_by: str | None
    published_at: datetime
    auto: bool = False  # an auto-reply (known for new own items; items stored before are not asked)


@dataclass(frozen=True, slots=True)
class Answer:
    """When an open customer item was first answered on the platform."""

    at: datetime  # the first own item under it, auto-replies included (the item's answered time)
    first_human: datetime | None  # the first that is not an auto-reply (its first response), None: none is
    settled: bool  # every own item under it is new in this page, so ``first_human`` is the whole answer


def answers(rows: Iterable[ThreadItem]) -> dict[str, Answer]:
    """The new answer of every open customer item in ``rows`` that has one (the item or an own item under it
    is new), by external id."""
    rows = list(rows)
    by_parent: dict[str | None, list[ThreadItem]] = defaultdict(list)
    by_thread: dict[str | None, list[ThreadItem]] = defaultdict(list)
    for row in rows:
        if row.is_own:
            by_parent[row.parent_external_id].append(row)
            if row.thread_external_id is not None:
                by_thread[row.thread_external_id].append(row)
    found: dict[str, Answer] = {}
    for row in rows:
        if row.is_own or row.status != "open":
            continue
        under = by_parent.get(row.external_id, [])
        if row.parent_external_id is not None:
            under = under + by_thread.get(row.thread_external_id, [])
        later = [own for own in under if own.published_at >= row.published_at]
        if row.id is not None:
            # Stored before: only own items new in the page answer it (the others did when they were stored,
            # and if it is open again, a person reopened it since).
            later = [own for own in later if own.id is None]
        if not later:
            continue
        human = [own.published_at for own in later if not own.auto]
        found[row.external_id] = Answer(
            at=min(own.published_at for own in later),
            first_human=min(human) if human else None,
            settled=row.id is None and all(own.id is None for own in later),
        )
    return found
