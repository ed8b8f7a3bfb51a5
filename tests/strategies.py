"""Hypothesis strategies shared by the property tests: arbitrary JSON, platform-shaped payloads with random
field values, timestamps in the shapes platforms write them (including the edges of the calendar), and the
check that a normalizer's Item can be stored as it is."""

from __future__ import annotations

import functools
import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from social_listen.model import ITEM_KINDS, PLATFORMS, Author, Item

# Reproducible in CI: the same examples on every run, nothing remembered between runs.
PROPERTY = settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# What JSON can carry (no NaN / Infinity: json.dumps would write invalid JSON for them).
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)


@functools.cache
def json_values(keys: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    """Any JSON value; objects use the platform's own key names (``keys``) as often as random ones."""
    key = st.sampled_from(keys) | st.text(max_size=12) if keys else st.text(max_size=12)
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(key, children, max_size=5),
        max_leaves=20,
    )


OFFSETS = [
    None,
    UTC,
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-12)),
    timezone(timedelta(hours=5, minutes=30)),
]
moments = st.datetimes(
    min_value=datetime(1, 1, 1),
    max_value=datetime(9999, 12, 31, 23, 59, 59),
    timezones=st.sampled_from(OFFSETS),
)


def _formats(when: datetime) -> st.SearchStrategy[str]:
    offset = when.strftime("%z") or "+0000"
    return st.sampled_from([
        when.isoformat(),
        when.strftime("%Y-%m-%dT%H:%M:%S") + offset,  # Graph: 2026-03-02T09:00:00+0000
        when.replace(tzinfo=None).isoformat() + "Z",  # YouTube, X, Google
        when.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z",
        when.replace(tzinfo=None).isoformat(),  # WordPress date_gmt: naive UTC
        when.strftime("%Y-%m-%d"),
    ])  # fmt: skip


time_texts = moments.flatmap(_formats) | st.sampled_from(["", "Z", "2026-02-30T10:00:00Z", "now", "+0000"])
TIME_KEYS = ("time", "At", "date", "timestamp", "Time")  # key names whose template value is a time


def _is_time(key: str, value: Any) -> bool:
    return isinstance(value, str) and any(part in key for part in TIME_KEYS) and value[:2] in ("19", "20")


def shaped(template: Any, keys: tuple[str, ...] = (), key: str = "") -> st.SearchStrategy[Any]:
    """Payloads with the template's shape: every field kept, dropped, given a random value of its own type,
    or replaced by any JSON at all; nested objects and lists are shaped the same way."""
    anything = json_values(keys)
    if isinstance(template, dict):
        fields = {k: st.one_of(shaped(v, keys, k), st.just(_DROP)) for k, v in template.items()}
        own = st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not _DROP})
    elif isinstance(template, list):
        own = st.lists(shaped(template[0], keys, key) if template else anything, max_size=3)
    elif isinstance(template, bool):
        own = st.booleans()
    elif isinstance(template, int):
        own = st.just(template) | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
    elif isinstance(template, float):
        own = st.just(template) | st.floats(allow_nan=False, allow_infinity=False)
    elif _is_time(key, template):
        own = st.just(template) | time_texts
    elif isinstance(template, str):
        own = (
            st.just(template)
            | st.text(max_size=40)
            | st.integers(min_value=-(2**130), max_value=2**130).map(str)
        )
    else:
        own = anything
    return st.one_of(own, anything)


_DROP = object()


def payloads(template: Any, keys: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    """What a normalizer may be handed: arbitrary JSON (with the platform's key names) or a shaped payload."""
    return json_values(keys) | shaped(template, keys)


def key_names(template: Any) -> tuple[str, ...]:
    """Every key used anywhere in a template."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            found.update(value)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(template)
    return tuple(sorted(found))


# -- what a stored Item must look like ------------------------------------------------------------------

DB_INT = 2**31 - 1  # counts are INTEGER columns: 32 bits on PostgreSQL
OPTIONAL_TEXT = ("parent_external_id", "thread_external_id", "object_id", "object_title", "object_url", "url",
                 "language")  # fmt: skip


def _aware_utc(value: Any, name: str) -> None:
    assert isinstance(value, datetime), f"{name} is {value!r}, not a datetime"
    assert value.utcoffset() == timedelta(0), f"{name} {value!r} is not timezone-aware UTC"


def _small_int(value: Any, name: str) -> None:
    assert type(value) is int and -DB_INT <= value <= DB_INT, (
        f"{name} is {value!r}, not an integer the DB takes"
    )


def assert_storable(item: Any) -> None:
    """The Item has the types the store's columns need, so saving its page cannot fail because of it."""
    assert isinstance(item, Item), f"expected an Item, got {item!r}"
    assert item.platform in PLATFORMS and item.kind in ITEM_KINDS, (item.platform, item.kind)
    assert isinstance(item.external_id, str) and item.external_id, f"external_id {item.external_id!r}"
    assert isinstance(item.text, str), f"text {item.text!r}"
    _aware_utc(item.published_at, "published_at")
    for name in ("updated_at", "reply_deadline_at", "fetched_at"):
        if getattr(item, name) is not None:
            _aware_utc(getattr(item, name), name)
    for name in OPTIONAL_TEXT:
        value = getattr(item, name)
        assert value is None or isinstance(value, str), f"{name} is {value!r}, not text"
    assert item.language is None or len(item.language) <= 8, f"language {item.language!r} (column holds 8)"
    assert type(item.is_own) is bool and type(item.can_reply) is bool, (item.is_own, item.can_reply)
    if item.rating is not None:
        assert type(item.rating) in (int, float) and math.isfinite(item.rating), f"rating {item.rating!r}"
        assert 0 <= item.rating <= 5, f"rating {item.rating!r} outside 0-5"
    if item.like_count is not None:
        _small_int(item.like_count, "like_count")
    if item.author is not None:
        author = item.author
        assert isinstance(author, Author) and isinstance(author.external_id, str) and author.external_id
        assert all(isinstance(v, str) for v in (author.name, author.handle, author.url)), author
        if author.follower_count is not None:
            _small_int(author.follower_count, "author.follower_count")
    assert item.raw is None or isinstance(item.raw, dict), f"raw {item.raw!r}"
    json.dumps(item.raw, allow_nan=False)  # the raw payload goes into a JSON column
    item.fingerprint()
