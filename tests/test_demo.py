"""The demo shop: deterministic, every platform, both languages and all forms of address, realistic answers."""

from __future__ import annotations

import collections
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import delete, func, select

import social_listen.users
from social_listen.config import load_config
from social_listen.db.tables import authors, events, items, notes, replies, saved_replies, users
from social_listen.demo import DEMO_USERS, build_demo, demo_config, format_summary, write_demo_config
from social_listen.export import export_rows
from social_listen.model import PLATFORMS
from social_listen.store import Store
from social_listen.users import authenticate

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
TABLES = (items, authors, replies, events, notes, users, saved_replies)


@pytest.fixture(autouse=True, scope="module")
def _cheap_password_hashes() -> Any:
    """Each build creates four users; cheap argon2 parameters keep these tests fast (hashes still verify)."""
    original = social_listen.users._hasher
    social_listen.users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    social_listen.users._hasher = original


def _demo_store(folder: Path, items_wanted: int = 5000, seed: int = 7) -> Store:
    db = folder / "demo.db"
    config = demo_config(db)
    store = Store(f"sqlite:///{db}")
    store.init()
    build_demo(store, config, seed=seed, items=items_wanted, now=NOW)
    return store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """One full-size demo store (5,000 items), shared by the read-only tests."""
    return _demo_store(tmp_path_factory.mktemp("demo"))


def _rows(store: Store, *columns: Any, where: Any = None) -> list[Any]:
    query = select(*columns)
    if where is not None:
        query = query.where(where)
    with store.engine.connect() as conn:
        return list(conn.execute(query).all())


def _counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in TABLES}


def test_demo_config_covers_every_platform_and_nothing_is_enabled(tmp_path: Path) -> None:
    config = demo_config(tmp_path / "demo.db")
    assert {s.platform for s in config.sources} == set(PLATFORMS)
    assert not [s.name for s in config.sources if s.enabled]
    assert {b.name for b in config.brands} == {"Tienda Luna", "Harbor & Pine"}
    assert config.resolved_database_url() == f"sqlite:///{(tmp_path / 'demo.db').resolve()}"


def test_written_demo_config_reads_back_as_the_same_config_with_comments(tmp_path: Path) -> None:
    path = tmp_path / "demo.toml"
    write_demo_config(path, tmp_path / "demo.db")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "enabled = false" in text and '"$env"' in text
    tomllib.loads(text)
    loaded = load_config(path)
    assert loaded.model_dump(exclude={"path"}) == demo_config(tmp_path / "demo.db").model_dump(
        exclude={"path"}
    )


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = _demo_store(tmp_path / "a", items_wanted=1000)
    second = _demo_store(tmp_path / "b", items_wanted=1000)
    fields = (
        "platform",
        "external_id",
        "text",
        "published_at",
        "status",
        "answered_at",
        "answered_by",
        "rating",
    )
    export_a = [tuple(r[f] for f in fields) for r in export_rows(first.engine)]
    export_b = [tuple(r[f] for f in fields) for r in export_rows(second.engine)]
    assert export_a == export_b
    assert len(export_a) >= 950
    other_seed = _demo_store(tmp_path / "c", items_wanted=200, seed=8)
    other_texts = {r["text"] for r in export_rows(other_seed.engine)}
    assert len(other_texts & {row[2] for row in export_a}) < 0.2 * len(other_texts)


def test_demo_has_about_the_asked_number_of_items_on_every_platform_in_90_days(demo: Store) -> None:
    rows = _rows(demo, items.c.platform, items.c.published_at)
    assert 4900 <= len(rows) <= 5300
    per_platform = collections.Counter(p for p, _ in rows)
    assert set(per_platform) == set(PLATFORMS)
    assert min(per_platform.values()) >= 100
    times = [t for _, t in rows]
    assert max(times) < NOW and (NOW - min(times)).days <= 91


def test_demo_speaks_spanish_with_tu_usted_and_voseo_and_english(demo: Store) -> None:
    rows = _rows(demo, items.c.text, items.c.language, where=items.c.is_own.is_(False))
    languages = collections.Counter(lang for _, lang in rows)
    assert languages["es"] > languages["en"] > 500
    spanish = " ".join(t for t, lang in rows if lang == "es")

    def count(pattern: str) -> int:
        return len(re.findall(pattern, spanish, flags=re.IGNORECASE))

    assert count(r"\b(podés|tenés|querés|recomendás|fijate|vos)\b") >= 30  # voseo (Argentina, Uruguay)
    assert count(r"\bche\b") >= 10
    assert count(r"\b(hacéis|os|vosotros|tenéis|enviáis)\b") >= 30  # Spain
    assert count(r"\b(podría|quisiera|le agradecería|agradezco)\b") >= 30  # usted


def test_brand_replies_mark_what_they_answer_answered_after_it_was_published(demo: Store) -> None:
    own = _rows(demo, items.c.platform, items.c.parent_external_id, items.c.published_at,
                where=items.c.is_own.is_(True) & items.c.parent_external_id.is_not(None))  # fmt: skip
    state = {(p, e): (s, a, pub, by) for p, e, s, a, pub, by in _rows(
        demo, items.c.platform, items.c.external_id, items.c.status, items.c.answered_at, items.c.published_at,
        items.c.answered_by, where=items.c.is_own.is_(False))}  # fmt: skip
    assert len(own) > 1000
    for platform, parent, replied_at in own:
        status, answered_at, published_at, answered_by = state[(platform, parent)]
        assert status == "answered", (platform, parent)
        assert answered_by in ("platform", "tool")
        assert published_at <= answered_at <= replied_at


def test_some_customers_are_never_answered_and_delays_range_from_minutes_to_days(demo: Store) -> None:
    rows = _rows(demo, items.c.status, items.c.published_at, items.c.answered_at, items.c.answered_by,
                 where=items.c.is_own.is_(False) & items.c.parent_external_id.is_(None)
                 & (items.c.status != "ignored"))  # fmt: skip
    never = sum(1 for r in rows if r.answered_at is None) / len(rows)
    assert 0.12 <= never <= 0.3
    delays = [(r.answered_at - r.published_at).total_seconds() for r in rows if r.answered_at is not None]
    assert min(delays) > 0
    assert sum(1 for d in delays if d < 30 * 60) > 50
    assert sum(1 for d in delays if d > 2 * 86400) > 50
    assert {r.answered_by for r in rows if r.answered_by} == {"tool", "platform", "manual"}


def test_the_shop_answers_mostly_in_its_business_hours(demo: Store) -> None:
    madrid = ZoneInfo("Europe/Madrid")
    times = [t.astimezone(madrid) for (t,) in _rows(demo, items.c.published_at, where=items.c.is_own.is_(True)
                                                    & (items.c.author_name == "Tienda Luna"))]  # fmt: skip
    inside = sum(
        1 for t in times if t.weekday() < 5 and 9 <= t.hour < 19 or t.weekday() == 5 and 10 <= t.hour < 14
    )
    assert inside / len(times) > 0.6


def test_texts_are_varied_not_repeated(demo: Store) -> None:
    texts = [t for (t,) in _rows(demo, items.c.text)]
    most_common = collections.Counter(texts).most_common(1)[0][1]
    assert most_common <= 3
    assert len(set(texts)) / len(texts) >= 0.9


def test_reviews_have_one_to_five_stars_skewed_positive_with_complaints(demo: Store) -> None:
    ratings = [r for (r,) in _rows(demo, items.c.rating, where=items.c.kind == "review")]
    assert ratings and all(r in (1, 2, 3, 4, 5) for r in ratings)
    counts = collections.Counter(int(r) for r in ratings)
    assert counts.most_common(1)[0][0] == 5
    assert counts[1] + counts[2] > 0.1 * len(ratings)
    assert 3.5 < sum(ratings) / len(ratings) < 4.5


def test_every_reply_has_its_parent_and_threads_look_like_the_platforms(demo: Store) -> None:
    known = {(p, e) for p, e in _rows(demo, items.c.platform, items.c.external_id)}
    replies_ = _rows(demo, items.c.platform, items.c.external_id, items.c.parent_external_id, items.c.text,
                     items.c.raw, where=items.c.parent_external_id.is_not(None))  # fmt: skip
    assert all((p, parent) in known for p, _, parent, _, _ in replies_)
    youtube = [r for r in replies_ if r.platform == "youtube"]
    assert youtube and all(r.external_id.startswith(r.raw["snippet"]["parentId"] + ".") for r in youtube)
    x_posts = [r for r in replies_ if r.platform == "x"]
    assert x_posts and all(r.raw["referenced_tweets"][0]["id"] == r.parent_external_id for r in x_posts)
    brand_posts = [r for r in x_posts if r.raw["author_id"].startswith("148000000000000000")]
    assert brand_posts and all(r.text.startswith("@") and "@tiendaluna" not in r.text for r in brand_posts)
    assert all("@tiendaluna" in r.text or "@harborandpine" in r.text for r in x_posts if r not in brand_posts)
    assert all(r.raw["parent"]["id"] == r.parent_external_id for r in replies_ if r.platform == "facebook")


def test_outbox_holds_sent_failed_and_one_uncertain_reply(demo: Store) -> None:
    rows = _rows(
        demo, replies.c.status, replies.c.error, replies.c.sent_at, replies.c.created_at, replies.c.user_id
    )
    statuses = collections.Counter(r.status for r in rows)
    assert statuses["sent"] >= 40 and 3 <= statuses["failed"] <= 10 and statuses["uncertain"] == 1
    assert all(r.error for r in rows if r.status in ("failed", "uncertain"))
    assert all(r.created_at < r.sent_at < NOW for r in rows if r.status == "sent")
    assert all(r.user_id for r in rows)


def test_building_twice_into_the_same_store_adds_no_rows(demo: Store) -> None:
    before = _counts(demo)
    config = demo_config(Path(str(demo.engine.url.database)))
    with demo.engine.begin() as conn:  # as if the first build had stopped before recording itself
        conn.execute(delete(events).where(events.c.action == "demo_built"))
    build_demo(demo, config, now=NOW)
    assert _counts(demo) == before
    build_demo(demo, config)  # a later `make demo`: the store keeps the end of its first build
    assert _counts(demo) == before


def test_demo_users_can_log_in_with_their_roles(demo: Store) -> None:
    for name, password, role, _display, _language in DEMO_USERS:
        user = authenticate(demo.engine, name, password)
        assert user is not None and user["role"] == role
    assert authenticate(demo.engine, "lucia", "wrong-password") is None


def test_team_left_assignments_notes_spam_and_saved_replies(demo: Store) -> None:
    assert len(_rows(demo, items.c.id, where=items.c.assignee_id.is_not(None))) > 50
    assert len(_rows(demo, notes.c.id)) > 20
    spam = _rows(demo, items.c.status, items.c.tags, where=items.c.status == "ignored")
    assert spam and all("spam" in (tags or []) for _, tags in spam)
    saved = _rows(demo, saved_replies.c.language, saved_replies.c.register, saved_replies.c.intent,
                  saved_replies.c.min_rating, saved_replies.c.max_rating)  # fmt: skip
    assert 18 <= len(saved) <= 30
    assert {r.language for r in saved} == {"es", "en"}
    assert {"tu", "usted", "vos"} <= {r.register for r in saved}
    assert any(r.min_rating == 4 for r in saved) and any(r.max_rating == 2 for r in saved)
    actions = {a for (a,) in _rows(demo, events.c.action)}
    assert {
        "reply_queued",
        "reply_sent",
        "assigned",
        "marked_spam",
        "marked_answered",
        "note_added",
    } <= actions


def test_vip_customers_write_on_several_channels(demo: Store) -> None:
    vips = [(p, h) for p, h, tags in _rows(demo, authors.c.platform, authors.c.handle, authors.c.tags)
            if "VIP" in (tags or [])]  # fmt: skip
    platforms_by_person = collections.defaultdict(set)
    for platform, handle in vips:
        platforms_by_person[handle].add(platform)
    assert len(platforms_by_person) >= 4
    assert all(len(p) >= 2 for p in platforms_by_person.values())


def test_html_and_markdown_looking_texts_are_kept_as_written(demo: Store) -> None:
    texts = [t for (t,) in _rows(demo, items.c.text)]
    assert any("<b>" in t for t in texts)
    assert any("](https://" in t for t in texts)
    assert any("<img" in t or "<a href" in t for t in texts)
    assert any("gana dinero desde casa" in t.lower() for t in texts)


def test_summary_names_every_platform_and_the_logins(demo: Store) -> None:
    from social_listen.demo import summarize

    text = format_summary(summarize(demo))
    assert all(platform in text for platform in PLATFORMS)
    assert "lucia" in text and "demo-1234" in text


def test_small_demo_builds_on_sqlite_and_postgresql(any_store: Store, tmp_path: Path) -> None:
    config = demo_config(tmp_path / "unused.db")
    summary = build_demo(any_store, config, items=300, now=NOW)
    assert summary.items >= 280
    assert set(summary.by_platform) == set(PLATFORMS)
    build_demo(any_store, config, items=300, now=NOW)
    assert _counts(any_store)["items"] == summary.items
