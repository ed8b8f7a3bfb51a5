"""The only dashboard module that touches the store: one cached Store, cached reads with a short TTL, and
writes that go through the core (which checks the user's role) and then clear the cached reads."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from social_listen import inbox, inbox_actions, inbox_admin, inbox_detail, inbox_locks, inbox_replies, users
from social_listen.config import CONFIG_ENV, Config, load_config
from social_listen.errors import SocialListenError
from social_listen.sla import SlaBook
from social_listen.store import Store

DATABASE_ENV = "SOCIAL_LISTEN_DATABASE_URL"
FAST = 3  # seconds: the inbox list, so new items show on the next periodic refresh
SLOW = 30  # seconds: users, brands, saved replies (changes to them clear the cache anyway)


@st.cache_resource(show_spinner=False)
def _open(config_file: str, database_url: str) -> tuple[Store, Config | None]:
    config = load_config(config_file or None) if config_file or not database_url else None
    store = Store(database_url) if database_url else Store.from_config(config)  # type: ignore[arg-type]
    store.require_current()
    return store, config


def _opened() -> tuple[Store, Config | None]:
    return _open(os.environ.get(CONFIG_ENV, ""), os.environ.get(DATABASE_ENV, ""))


def store() -> Store:
    """The store named by $SOCIAL_LISTEN_CONFIG (or $SOCIAL_LISTEN_DATABASE_URL)."""
    return _opened()[0]


@st.cache_resource(show_spinner=False)
def _sla_book(config_file: str, database_url: str) -> SlaBook:
    return SlaBook.from_config(_open(config_file, database_url)[1])


def sla_book() -> SlaBook:
    """Every brand's SLA policy (targets and opening hours) from the config; 24 h around the clock without one."""
    return _sla_book(os.environ.get(CONFIG_ENV, ""), os.environ.get(DATABASE_ENV, ""))


def startup_problem() -> str | None:
    """Why the store cannot be opened (no config, schema not initialised), or None."""
    try:
        _opened()
    except SocialListenError as exc:
        return str(exc)
    return None


def clear_reads() -> None:
    """Forget cached reads after a write, so every view shows the change at once."""
    st.cache_data.clear()


# -- login ---------------------------------------------------------------------------------------


def authenticate(name: str, password: str) -> dict[str, Any] | None:
    """The user's row when name and password match an active user."""
    return users.authenticate(store().engine, name.strip(), password)


def fresh_user(user_id: int) -> dict[str, Any] | None:
    """The user's current row (role or language may have changed since login); None if disabled."""
    try:
        row = users.user_row(store().engine, user_id)
    except users.PermissionDenied:
        return None
    return row if row["active"] else None


def may(user: dict[str, Any] | None, action: str) -> bool:
    """Whether the user's role allows ``action`` (to decide which controls to show; the core decides)."""
    return bool(user) and action in users.PERMISSIONS.get(str(user["role"]), frozenset())  # type: ignore[index]


# -- reads ---------------------------------------------------------------------------------------


@st.cache_data(ttl=FAST, show_spinner=False)
def inbox_page(f: inbox.InboxFilter, user_id: int, page: int, per_page: int) -> inbox.InboxPage:
    """One page of the inbox."""
    return inbox.inbox_page(store().engine, f, user_id, page, per_page, sla_book())


@st.cache_data(ttl=FAST * 3, show_spinner=False)
def facet_counts(f: inbox.InboxFilter, user_id: int) -> dict[str, list[inbox.FacetValue]]:
    """Counts per filter value."""
    return inbox.facet_counts(store().engine, f, user_id)


@st.cache_data(ttl=FAST, show_spinner=False)
def item_detail(item_id: int, user_id: int) -> inbox_detail.ItemDetail:
    """An item with its thread, author history, notes, events and replies (if the user may see its brand)."""
    return inbox_detail.item_detail(store().engine, item_id, user_id, sla_book())


def locks(item_ids: Sequence[int], user_id: int) -> dict[int, list[inbox_locks.Lock]]:
    """Colleagues who have these items open right now (never cached: it is about now)."""
    return inbox_locks.active_locks(store().engine, item_ids, exclude_user=user_id)


@st.cache_data(ttl=SLOW, show_spinner=False)
def saved_replies_for(
    brand_id: int, language: str | None, intents: tuple[str, ...], rating: float | None, register: str
) -> list[dict[str, Any]]:
    """Saved replies that fit an item."""
    return inbox_replies.saved_replies_for(store().engine, brand_id, language, intents, rating, register)


@st.cache_data(ttl=SLOW, show_spinner=False)
def user_rows() -> list[dict[str, Any]]:
    """All users (no hashes)."""
    return users.list_users(store().engine)


@st.cache_data(ttl=SLOW, show_spinner=False)
def brand_rows() -> list[dict[str, Any]]:
    """All brands."""
    return inbox_admin.brand_rows(store().engine)


@st.cache_data(ttl=SLOW, show_spinner=False)
def saved_reply_rows() -> list[dict[str, Any]]:
    """All saved replies."""
    return inbox_admin.list_saved_replies(store().engine)


def default_language() -> str:
    """The first language of the first brand ('es' when there is none): the UI language for new users."""
    rows = brand_rows()
    languages = list(rows[0]["languages"] or []) if rows else []
    return str(languages[0]) if languages and languages[0] in ("es", "en") else "es"


@st.cache_resource(show_spinner=False)
def _platforms_with_reply_api() -> frozenset[str]:
    from collectors import MODULES, platform_module

    found = set()
    for platform in MODULES:
        try:
            if hasattr(platform_module(platform), "create_publisher"):
                found.add(platform)
        except SocialListenError:
            continue
    return frozenset(found)


def can_publish(platform: str) -> bool:
    """Whether replies to this platform can be posted through its API (else: answer there, mark answered)."""
    return platform in _platforms_with_reply_api()


# -- writes (the core checks the role; the cache is cleared after each) ----------------------------


def _write(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return action(*args, **kwargs)
    finally:
        clear_reads()


def assign(user_id: int, item_ids: Sequence[int], assignee_id: int | None) -> int:
    """Assign (or, with None, unassign) items."""
    return int(_write(inbox_actions.assign, store().engine, user_id, item_ids, assignee_id))


def set_status(user_id: int, item_ids: Sequence[int], status: str) -> int:
    """Answer by hand, ignore, close or reopen items."""
    return int(_write(inbox_actions.set_status, store().engine, user_id, item_ids, status))


def bulk_action(user_id: int, item_ids: Sequence[int], action: str, assignee_id: int | None = None) -> int:
    """One action on a selection."""
    return int(_write(inbox_actions.bulk_action, store().engine, user_id, item_ids, action, assignee_id))


def add_note(user_id: int, item_id: int, text: str) -> None:
    """An internal note."""
    _write(inbox_actions.add_note, store().engine, user_id, item_id, text)


def correct(user_id: int, item_id: int, sentiment: str | None, intents: Sequence[str] | None) -> None:
    """A person's sentiment and/or intents for the item."""
    if sentiment:
        _write(inbox_actions.correct_sentiment, store().engine, user_id, item_id, sentiment)
    if intents is not None:
        _write(inbox_actions.correct_intents, store().engine, user_id, item_id, intents)


def touch_lock(user_id: int, item_id: int, activity: str) -> None:
    """Tell colleagues the user has the item open (renewed while the page is open)."""
    inbox_locks.touch_lock(store().engine, user_id, item_id, activity)


def release_lock(user_id: int, item_id: int | None = None) -> None:
    """The user left the item (or every item)."""
    inbox_locks.release_lock(store().engine, user_id, item_id)


def _publisher_for() -> Any:
    from collectors import publisher_for

    config = _opened()[1]
    if config is None:
        raise SocialListenError("replies need the config file (set SOCIAL_LISTEN_CONFIG)")
    return publisher_for(config)


def send_reply(user_id: int, item_id: int, text: str, allow_answered: bool = False) -> dict[str, Any]:
    """Queue the reply, publish it now, and return its outbox row."""
    row: dict[str, Any] = _write(
        inbox_replies.send_reply, store(), user_id, item_id, text, _publisher_for(), allow_answered
    )
    return row


def settle_reply(user_id: int, reply_id: int, outcome: str) -> dict[str, Any]:
    """Retry, confirm or cancel a failed or uncertain reply."""
    publisher = _publisher_for() if outcome == "retry" else None
    row: dict[str, Any] = _write(inbox_replies.settle_reply, store(), user_id, reply_id, outcome, publisher)
    return row


def set_own_language(user_id: int, language: str) -> None:
    """The user's UI language."""
    _write(inbox_admin.set_own_language, store().engine, user_id, language)


def create_user(admin_id: int, name: str, password: str, role: str, **details: Any) -> int:
    """An admin adds a user."""
    return int(_write(inbox_admin.create_user, store().engine, admin_id, name, password, role, **details))


def update_user(admin_id: int, user_id: int, **changes: Any) -> None:
    """An admin changes a user."""
    _write(inbox_admin.update_user, store().engine, admin_id, user_id, **changes)


def save_reply_template(admin_id: int, values: dict[str, Any], reply_id: int | None = None) -> int:
    """An admin adds or edits a saved reply."""
    return int(_write(inbox_admin.save_reply_template, store().engine, admin_id, values, reply_id))


def delete_reply_template(admin_id: int, reply_id: int) -> None:
    """An admin removes a saved reply."""
    _write(inbox_admin.delete_reply_template, store().engine, admin_id, reply_id)


# -- reports: responsiveness, trends, FAQ (read-only, every role) ------------------------------------


def report_scope(
    user: dict[str, Any], days: int, brands: Sequence[str] = (), platforms: Sequence[str] = ()
) -> Any:
    """The period and filters of a report, never wider than the brands the user may see."""
    from datetime import UTC, datetime, timedelta

    from social_listen.metrics_sql import Scope

    allowed = [str(b) for b in user.get("brands") or []]
    chosen = [b for b in brands if not allowed or b in allowed] or allowed
    since = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
    return Scope(since=since, brands=tuple(chosen), platforms=tuple(platforms))


def _rules() -> Any:
    from social_listen.metrics_sql import ResponseRules

    return ResponseRules.from_config(_opened()[1])


@st.cache_data(ttl=SLOW, show_spinner=False)
def responsiveness(scope: Any, dimension: str) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """Rates, first response times (calendar and business), SLA share and backlog, one row per group."""
    from datetime import UTC, datetime

    from social_listen.config import parse_config
    from social_listen.responsiveness import responsiveness_rows

    config = _opened()[1] or parse_config({}, None)
    return responsiveness_rows(store().engine, config, scope, dimension, datetime.now(UTC))


@st.cache_data(ttl=SLOW, show_spinner=False)
def backlog_by_age(scope: Any) -> list[dict[str, Any]]:
    """Open items waiting for an answer, by age bucket."""
    from datetime import UTC, datetime

    from social_listen.metrics import backlog_by_age as by_age

    return by_age(store().engine, datetime.now(UTC), scope, "all", _rules())


@st.cache_data(ttl=SLOW, show_spinner=False)
def drill_down(kind: str, scope: Any, dimension: str, group: str | None) -> tuple[list[dict[str, Any]], int]:
    """The items behind a number (``unanswered``, ``answered`` with times, ``backlog``, ``sla_missed``): the
    first 500 with their excerpts, and how many there are in all."""
    from datetime import UTC, datetime

    from social_listen import metrics, metrics_business

    engine, rules, now = store().engine, _rules(), datetime.now(UTC)
    if kind == "answered":
        rows = metrics.response_time_items(engine, scope, dimension, group, rules)
    elif kind == "backlog":
        rows = metrics.backlog_items(engine, now, scope, None, dimension, group, rules)
    elif kind == "sla_missed":
        rows = metrics_business.sla_compliance_items(
            engine, sla_book(), now, "missed", scope, dimension, group, rules
        )
    else:
        rows = metrics.response_rate_items(engine, scope, "unanswered", dimension, group, rules)
    excerpts = metrics.item_excerpts(engine, [int(r["id"]) for r in rows[:500]])
    return [{**r, "text": excerpts.get(int(r["id"]), "")} for r in rows[:500]], len(rows)


@st.cache_data(ttl=SLOW, show_spinner=False)
def trend_rows(scope: Any, bucket: str, dimension: str) -> list[dict[str, Any]]:
    """Volume, sentiment, negative share and average rating per local day or week."""
    from social_listen.trends import volume_trend

    return [r.as_dict() for r in volume_trend(store().engine, scope, bucket, dimension)]


@st.cache_data(ttl=SLOW, show_spinner=False)
def heatmap(scope: Any) -> list[dict[str, int]]:
    """Incoming items per weekday and local hour."""
    from social_listen.trends import heatmap as cells

    return cells(store().engine, scope)


@st.cache_data(ttl=SLOW, show_spinner=False)
def trend_drill(
    scope: Any, period: Any, bucket: str, dimension: str, group: str | None
) -> list[dict[str, Any]]:
    """The items behind one period of the trend."""
    from social_listen.metrics import item_excerpts
    from social_listen.trends import trend_items

    rows = trend_items(store().engine, period, scope, bucket, dimension, group)[:500]
    excerpts = item_excerpts(store().engine, [int(r["id"]) for r in rows])
    return [{**r, "text": excerpts.get(int(r["id"]), "")} for r in rows]


@st.cache_data(ttl=SLOW, show_spinner=False)
def reputations(scope: Any) -> list[dict[str, Any]]:
    """Each brand's reputation score with its components and formula."""
    from dataclasses import asdict

    from social_listen.trends import reputation

    names = list(scope.brands) or [str(b["name"]) for b in brand_rows()]
    return [asdict(reputation(store().engine, name, sla_book(), scope, _rules())) for name in names]


@st.cache_data(ttl=SLOW, show_spinner=False)
def faq_groups(scope: Any, min_count: int) -> list[dict[str, Any]]:
    """Recurring customer questions with examples and the brand's best-liked answer."""
    from social_listen.faq import mine_faq

    return [g.as_dict() for g in mine_faq(store().engine, scope, min_count, rules=_rules())]
