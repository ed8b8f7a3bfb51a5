"""Build the demo store: plan ~90 days of conversations, write them through the real paths, replay the team."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from social_listen.config import Config
from social_listen.db.engine import reading
from social_listen.db.tables import events
from social_listen.demo.compose import Composer
from social_listen.demo.config import SOURCES, DemoSource
from social_listen.demo.objects import Obj, Objects
from social_listen.demo.people import IdMaker, People
from social_listen.demo.plan import REVIEWS, Conversation, Planner, Problem
from social_listen.demo.shapes import Shaper, snapshot_item
from social_listen.demo.staff import Team, ensure_saved_replies, ensure_users
from social_listen.demo.summary import DemoSummary, summarize
from social_listen.demo.threads import ThreadWriter
from social_listen.demo.timeline import Clock
from social_listen.demo.writer import item_ids, kept_open, save_conversations, save_items, send_outbox
from social_listen.errors import SocialListenError
from social_listen.model import as_utc, parse_time, utcnow
from social_listen.store import Store

Plan = dict[str, list[Conversation]]
VIP_INTENTS = ("praise", "size_fit", "stock", "shipping", "praise", "not_received")
FAILURES = {
    "x": "403 Forbidden: the author limited who can reply to this conversation (X reply settings). "
         "Answer it in the X app: ReplyNotAllowed.",
    "instagram": "Instagram refused the reply: the comment is hidden or was deleted (error 100, subcode 33).",
    "facebook": "(#10) This page token lacks pages_manage_engagement: reconnect the Page in Settings.",
    "youtube": "commentsDisabled: comments are turned off for this video, replies are refused.",
}  # fmt: skip
UNCERTAIN = "ReadTimeout after the request was sent: the reply may be on the platform. Check before retrying."


def build_demo(
    store: Store,
    config: Config,
    *,
    seed: int = 7,
    days: int = 90,
    items: int = 5000,
    now: datetime | None = None,
) -> DemoSummary:
    """Write the demo shop (~``items`` items over ``days`` days ending at ``now``); same seed, same store.

    Without ``now`` a store that already holds this demo keeps the end of its first build, so running it again
    (``make demo`` on another day) changes nothing; delete the database file for a fresh demo."""
    started = time.perf_counter()
    sources = _demo_sources(config)
    store.sync_config(config)
    end = as_utc(now or _previous_end(store, seed) or utcnow()).replace(minute=0, second=0, microsecond=0)
    build = {"seed": seed, "now": end.isoformat(), "days": days, "items": items}
    if build not in _builds(store):
        plan, people = _plan(sources, seed, days, items, end)
        with kept_open(store):
            _write(store, plan, people, seed, end, days)
            with store.engine.begin() as conn:  # the audit trail's record of this build
                conn.execute(events.insert().values(at=end, action="demo_built", detail=build))
    store.refresh_statistics()
    return summarize(store, time.perf_counter() - started)


def _plan(sources: list[DemoSource], seed: int, days: int, items: int, end: datetime) -> tuple[Plan, People]:
    """Every conversation of the demo, decided before anything is written."""
    rng = random.Random(seed)
    ids = IdMaker(rng)
    people = People(rng, ids)
    clock = Clock(rng, end, days)
    writer = ThreadWriter(Planner(rng, clock, people, ids, Composer(rng)))
    objects = Objects(rng, ids, clock.start, end)
    plan: Plan = {s.name: _conversations(writer, objects.for_source(s), s, items) for s in sources}
    _outbox_problems(rng, plan)
    return plan, people


def _write(store: Store, plan: Plan, people: People, seed: int, end: datetime, days: int) -> None:
    """Items through save_page, the dashboard's replies through the outbox, then what the team did."""
    shaper = Shaper(people, end)
    users = ensure_users(store)
    ensure_saved_replies(store)
    save_conversations(store, shaper, plan, tool=False)
    send_outbox(store, shaper, plan, users)
    save_conversations(store, shaper, plan, tool=True)
    _save_snapshots(store, plan, end, days)
    conversations = [c for cs in plan.values() for c in cs]
    keys = [(c.source.platform, p.external_id) for c in conversations for p in c.posts if p.person]
    Team(store, seed, users, item_ids(store, keys), end).play(conversations, people)


def _save_snapshots(store: Store, plan: Plan, end: datetime, days: int) -> None:
    """Each Monday's crawl of the marketplace pages records their aggregate rating (older reviews included)."""
    for name, conversations in plan.items():
        reviews = [c for c in conversations if c.source.platform == "web_reviews" and c.obj is not None]
        if not reviews:
            continue
        batch = []
        pages = {c.obj.url: c.obj for c in reviews if c.obj is not None}
        for url, obj in sorted(pages.items()):
            mine = sorted(
                (c.top.at, c.top.rating or 5) for c in reviews if c.obj is not None and c.obj.url == url
            )
            for crawl in _mondays(end, days):
                seen = [stars for at, stars in mine if at < crawl]
                total, count = 4.4 * 60 + sum(seen), 60 + len(seen)  # 60 older reviews averaging 4.4
                batch.append(
                    snapshot_item(reviews[0].source, obj, crawl, round(total / count, 2), count + 25, count)
                )
        save_items(store, name, batch)


def _mondays(end: datetime, days: int) -> list[datetime]:
    first = (end - timedelta(days=days)).replace(hour=6, minute=0, second=0, microsecond=0)
    first += timedelta(days=(7 - first.weekday()) % 7)
    return [first + timedelta(weeks=w) for w in range(days // 7 + 1) if first + timedelta(weeks=w) < end]


def _builds(store: Store) -> list[dict[str, Any]]:
    query = select(events.c.detail).where(events.c.action == "demo_built").order_by(events.c.id)
    with reading(store.engine) as conn:
        details: list[Any] = list(conn.execute(query).scalars())
    return [d for d in details if isinstance(d, dict)]


def _previous_end(store: Store, seed: int) -> datetime | None:
    """When an earlier build of this seed ended: building again without ``now`` reuses it (and adds nothing)."""
    ends = [parse_time(str(d["now"])) for d in _builds(store) if d.get("seed") == seed and d.get("now")]
    return ends[0] if ends else None


def _demo_sources(config: Config) -> list[DemoSource]:
    names = {source.name for source in config.sources}
    chosen = [source for source in SOURCES if source.name in names]
    if not chosen:
        raise SocialListenError(
            "the config has none of the demo's sources: build it with demo_config(db_path)"
        )
    return chosen


def _conversations(
    writer: ThreadWriter, objs: list[Obj], source: DemoSource, total: int
) -> list[Conversation]:
    """Conversations for one source until it holds its share of ``total`` items; VIPs first."""
    conversations = _vip_conversations(writer, objs, source)
    count = sum(len(c.posts) for c in conversations)
    while count < round(source.share * total):
        conversation = writer.conversation(source, objs)
        conversations.append(conversation)
        count += len(conversation.posts)
    return conversations


def _vip_conversations(writer: ThreadWriter, objs: list[Obj], source: DemoSource) -> list[Conversation]:
    """The VIP customers' messages on this channel (the same people appear on several channels)."""
    found = []
    for vip in writer.p.people.vips:
        if vip.brand != source.brand or source.platform not in vip.vip_platforms:
            continue
        for _ in range(writer.rng.randint(2, 3)):
            if source.platform in REVIEWS:
                stars = 2 if vip.region == "UY" else writer.rng.choice((5, 5, 4))
                found.append(writer.review(source, objs, vip, rating=stars))
            else:
                intent = writer.rng.choice(VIP_INTENTS)
                found.append(writer.conversation(source, objs, vip, intent))
    return found


def _outbox_problems(rng: random.Random, plan: Plan) -> None:
    """A few replies sent from the dashboard were refused (failed) and one may or may not have arrived."""
    candidates = [(c, p) for cs in plan.values() for c in cs if c.source.platform in FAILURES
                  for p in c.posts if p.via_tool]  # fmt: skip
    if len(candidates) < 7:
        return
    chosen = rng.sample(candidates, 7)
    for index, (conv, post) in enumerate(chosen):
        failed = index < 6
        error = FAILURES[conv.source.platform] if failed else UNCERTAIN
        conv.problem = Problem("failed" if failed else "uncertain", error, post.user, post.at, post.text)
        conv.posts = [p for p in conv.posts if p is not post and not (p.closable and p.at > post.at)]
