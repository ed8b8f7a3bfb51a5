"""The team's side of the demo: users, saved replies, VIP customers, assignments, notes, statuses and events.
These rows are written with social_listen.db.tables directly (the demo plays back what people did)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from social_listen.db.engine import reading
from social_listen.db.tables import authors, brands, events, items, notes, saved_replies, users
from social_listen.demo import texts_misc
from social_listen.demo.catalog import REGIONS
from social_listen.demo.people import People
from social_listen.demo.plan import Conversation
from social_listen.demo.saved import SAVED_REPLIES
from social_listen.model import utcnow
from social_listen.store import Store
from social_listen.users import add_user

# name, password, role, display name, language
DEMO_USERS = (
    ("admin", "admin-demo", "admin", "Admin (demo)", "es"),
    ("lucia", "demo-1234", "agent", "Lucía Romero", "es"),
    ("mateo", "demo-1234", "agent", "Mateo Ibarra", "es"),
    ("owner", "demo-1234", "viewer", "Inés Moreno (dueña)", "es"),
)
Keyed = dict[tuple[str, str], int]


def ensure_users(store: Store) -> dict[str, int]:
    """The demo's users (created once), by name."""
    with reading(store.engine) as conn:
        existing = {str(n): int(str(i)) for n, i in conn.execute(select(users.c.name, users.c.id)).tuples()}
    for name, password, role, display, language in DEMO_USERS:
        if name not in existing:
            existing[name] = add_user(
                store.engine, name, password, role, display_name=display, language=language
            )
    return existing


def ensure_saved_replies(store: Store) -> int:
    """About twenty saved replies (es/en, by intent, form of address and rating), each title once per brand."""
    added = 0
    with store.engine.begin() as conn:
        brand_ids = {
            str(n): int(str(i)) for n, i in conn.execute(select(brands.c.name, brands.c.id)).tuples()
        }
        known = {
            (b, str(t)) for b, t in conn.execute(select(saved_replies.c.brand_id, saved_replies.c.title))
        }
        for row in SAVED_REPLIES:
            values = dict(row)
            brand = values.pop("brand")
            brand_id = brand_ids.get(brand) if brand else None
            if (brand_id, values["title"]) not in known:
                conn.execute(saved_replies.insert().values(brand_id=brand_id, created_at=utcnow(), **values))
                added += 1
    return added


class Team:
    """Plays back what the agents did in the inbox, idempotently (a second build changes nothing).

    Decisions are made on the items' current state in memory, then written in a few batched statements."""

    def __init__(self, store: Store, seed: int, user_ids: dict[str, int], ids: Keyed, now: datetime) -> None:
        self.store, self.seed, self.user_ids, self.ids, self.now = store, seed, user_ids, ids, now
        self.rng = random.Random(seed)
        self.agents = [user_ids["lucia"], user_ids["mateo"]]
        self.state: dict[int, dict[str, Any]] = {}
        self.changes: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.known_notes: set[tuple[int, str]] = set()

    def play(self, conversations: list[Conversation], people: People) -> None:
        """Everything the team did, in one transaction."""
        with self.store.engine.begin() as conn:
            self._load(conn)
            for conv in conversations:
                item_id = self.ids.get((conv.source.platform, conv.top.external_id))
                if item_id is None or item_id not in self.state:
                    continue
                # Each conversation draws from its own generator: decisions never depend on the store's state.
                self.rng = random.Random(f"{self.seed}:{conv.source.platform}:{conv.top.external_id}")
                self._manual(conv, item_id)
                self._spam(conv, item_id)
                self._assign(conv, item_id)
                self._close_thanks(conv)
                self._note(conv, item_id, conn)
            self._write(conn)
            self._tag_vips(conn, people)

    def _load(self, conn: Connection) -> None:
        wanted = set(self.ids.values())
        query = select(items.c.id, items.c.status, items.c.assignee_id).where(items.c.is_own.is_(False))
        self.state = {
            int(str(i)): {"status": s, "assignee_id": a}
            for i, s, a in conn.execute(query).tuples()
            if int(str(i)) in wanted
        }
        found = conn.execute(select(notes.c.item_id, notes.c.text)).tuples()
        self.known_notes = {(int(str(i)), str(t)) for i, t in found}

    def _change(self, item_id: int, **values: Any) -> None:
        self.state[item_id].update(values)
        self.changes.setdefault(item_id, {}).update(values)

    def _event(self, user_id: int, item_id: int, action: str, at: datetime, **detail: Any) -> None:
        self.events.append({"at": at, "user_id": user_id, "item_id": item_id, "action": action,
                            "detail": detail or None})  # fmt: skip

    def _is_open(self, item_id: int) -> bool:
        return bool(self.state[item_id]["status"] == "open")

    def _user(self, name: str) -> int:
        return self.user_ids.get(name) or self.user_ids["mateo"]

    def _manual(self, conv: Conversation, item_id: int) -> None:
        if conv.manual is None or not self._is_open(item_id):
            return
        name, at = conv.manual
        self._change(item_id, status="answered", answered_at=at, answered_by="manual", first_response_at=at)
        self._event(self._user(name), item_id, "marked_answered", at, answered_by="manual", previous="open")

    def _spam(self, conv: Conversation, item_id: int) -> None:
        if not conv.spam:
            return
        marked, hidden = self.rng.random() < 0.85, self.rng.random() < 0.5
        at = conv.top.at + timedelta(minutes=self.rng.randint(20, 900))
        agent = self.rng.choice(self.agents)
        if not marked or at >= self.now or not self._is_open(item_id):
            return
        self._change(item_id, status="ignored", tags=["spam"])
        self._event(agent, item_id, "marked_spam", at)
        if hidden and conv.source.platform in ("facebook", "instagram"):
            self._event(agent, item_id, "comment_hidden", at, platform=conv.source.platform)

    def _assign(self, conv: Conversation, item_id: int) -> None:
        tool = next((p for p in conv.posts if p.via_tool), None)
        if tool is not None:
            assignee, at = self._user(tool.user), tool.at - timedelta(minutes=15)
        elif conv.problem is not None:
            assignee, at = self._user(conv.problem.user), conv.problem.at - timedelta(minutes=10)
        elif conv.person.vip_note:
            assignee, at = self.user_ids["lucia"], conv.top.at + timedelta(minutes=30)
        elif conv.intent in ("not_received", "defective", "no_response") and self.rng.random() < 0.55:
            assignee, at = (
                self.rng.choice(self.agents),
                conv.top.at + timedelta(minutes=self.rng.randint(10, 300)),
            )
        else:
            return
        if at >= self.now or self.state[item_id]["assignee_id"] is not None:
            return
        self._change(item_id, assignee_id=assignee)
        self._event(self.user_ids["admin"], item_id, "assigned", max(at, conv.top.at), assignee_id=assignee,
                    previous=None)  # fmt: skip

    def _close_thanks(self, conv: Conversation) -> None:
        for post in conv.posts:
            item_id = self.ids.get((conv.source.platform, post.external_id))
            close, agent = self.rng.random() < 0.5, self.rng.choice(self.agents)
            if not post.closable or item_id not in self.state or not close:
                continue
            assert item_id is not None
            if self._is_open(item_id):
                at = min(post.at + timedelta(hours=2), self.now)
                self._change(item_id, status="closed")
                self._event(agent, item_id, "status_changed", at, previous="open", status="closed")

    def _note(self, conv: Conversation, item_id: int, conn: Connection) -> None:
        wanted = conv.person.vip_note or conv.intent in ("not_received", "defective") or conv.problem
        if not wanted or self.rng.random() > (0.6 if conv.person.vip_note else 0.12):
            return
        text = self._note_text(conv)
        at = conv.top.at + timedelta(minutes=self.rng.randint(30, 600))
        if (item_id, text) in self.known_notes or at >= self.now:
            return
        author = self.rng.choice(self.agents)
        self.notes.append({"item_id": item_id, "user_id": author, "text": text, "created_at": at})
        self._event(author, item_id, "note_added", at)
        self.known_notes.add((item_id, text))

    def _note_text(self, conv: Conversation) -> str:
        language = "en" if conv.person.language == "en" else "es"
        carrier = self.rng.choice(REGIONS[conv.person.region].carriers)
        text = self.rng.choice(texts_misc.NOTES[language]).format(transportista=carrier)
        return f"VIP. {text}" if conv.person.vip_note else text

    def _write(self, conn: Connection) -> None:
        """The decided changes in batches: one UPDATE per set of columns, then notes and events."""
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for item_id, values in self.changes.items():
            by_columns.setdefault(tuple(sorted(values)), []).append(
                {"b_id": item_id, **{f"b_{k}": v for k, v in values.items()}}
            )
        for columns, rows in by_columns.items():
            stmt = (
                update(items)
                .where(items.c.id == bindparam("b_id"))
                .values({c: bindparam(f"b_{c}") for c in columns})
            )
            conn.execute(stmt, rows)
        if self.notes:
            conn.execute(notes.insert(), self.notes)
        if self.events:
            conn.execute(events.insert(), self.events)

    def _tag_vips(self, conn: Connection, people: People) -> None:
        vips = {vip.key: vip for vip in people.vips}
        for (key, platform), author in people.authors.items():
            if key in vips:
                conn.execute(
                    update(authors)
                    .where(authors.c.platform == platform, authors.c.external_id == author.external_id)
                    .values(tags=["VIP"], notes=vips[key].vip_note)
                )
