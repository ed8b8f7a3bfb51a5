"""Conversations: who writes what, where and when; who answers, how fast, and through which path."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from social_listen.demo.catalog import LUNA, REGIONS, Product, products_of
from social_listen.demo.compose import Composer, tone_of
from social_listen.demo.config import DemoSource
from social_listen.demo.objects import Obj, pick_object
from social_listen.demo.people import IdMaker, People, Person
from social_listen.demo.timeline import DEFECT, LAUNCH, SALE, STRIKE, TOOL_ADOPTED_DAYS_AGO, Clock

REVIEWS = frozenset({"woocommerce", "google_reviews", "trustpilot", "web_reviews"})
TOOL_PLATFORMS = frozenset({"youtube", "x", "facebook", "instagram", "wordpress", "woocommerce", "google_reviews",
                            "trustpilot"})  # fmt: skip
MANUAL_PLATFORMS = frozenset({"file", "web_reviews"})
_COMMENTS: dict[str, float] = {"praise": 22, "size_fit": 10, "stock": 8, "shipping": 10, "discount": 5, "question": 6,
             "not_received": 9, "no_response": 3, "sarcasm": 2, "return_refund": 5, "payment": 3, "invoice": 1,
             "defective": 4, "spam": 7}  # fmt: skip
INTENTS: dict[str, dict[str, float]] = {
    "instagram": _COMMENTS,
    "facebook": {**_COMMENTS, "praise": 14, "not_received": 14, "no_response": 6, "return_refund": 8, "payment": 6,
                 "invoice": 3, "sarcasm": 3},
    "youtube": {**_COMMENTS, "praise": 30, "size_fit": 14, "question": 12, "not_received": 4, "spam": 12},
    "x": {**_COMMENTS, "praise": 10, "not_received": 20, "no_response": 12, "sarcasm": 8, "return_refund": 8,
          "size_fit": 3, "stock": 4},
    "wordpress": {**_COMMENTS, "question": 18, "size_fit": 14, "shipping": 14, "spam": 14, "not_received": 3},
    "web_comments": {**_COMMENTS, "question": 14, "praise": 20, "spam": 20, "not_received": 2},
    "file": {"not_received": 20, "return_refund": 16, "invoice": 12, "payment": 10, "shipping": 10, "defective": 10,
             "size_fit": 5, "stock": 5, "no_response": 6, "discount": 4, "spam": 2},
}  # fmt: skip
ANSWER_RATE = {"complaint": 0.95, "question": 0.9, "praise": 0.76}
PLATFORM_RATE = {"youtube": 0.8, "x": 1.0, "facebook": 1.0, "instagram": 0.98, "wordpress": 0.9,
                 "web_comments": 0.85, "woocommerce": 0.92, "google_reviews": 0.92, "trustpilot": 0.97,
                 "web_reviews": 0.6, "file": 0.95}  # fmt: skip
RATINGS = {5: 54, 4: 21, 3: 8, 2: 6, 1: 11}
RATINGS_DEFECT = {5: 12, 4: 10, 3: 13, 2: 25, 1: 40}
RATINGS_STRIKE = {5: 25, 4: 15, 3: 12, 2: 15, 1: 33}
AGENTS = {
    LUNA: (("Lucía", "lucia"), ("Mateo", "mateo"), ("Inés", "owner")),
    "other": (("Sam", ""), ("Mateo", "mateo")),
}


@dataclass
class Post:
    """One message of a conversation; ``person`` None means the brand wrote it."""

    external_id: str
    at: datetime
    text: str
    kind: str
    person: Person | None
    parent: str | None
    thread: str
    rating: int | None = None
    title: str = ""
    agent: str = ""
    user: str = ""  # the dashboard user who sent it through the outbox (via_tool)
    answers: str = ""  # for the brand's replies: the external id of the item answered
    via_tool: bool = False
    likes: int = 0
    closable: bool = False  # a "thank you" an agent may close
    topic: str = ""  # for other customers joining: same_problem, advice, size, same_question, praise


@dataclass(frozen=True)
class Problem:
    """A reply the dashboard tried to send that the platform refused (failed) or may have received (uncertain)."""

    status: str
    error: str
    user: str
    at: datetime
    text: str


@dataclass
class Conversation:
    """A top item and everything said under it."""

    source: DemoSource
    obj: Obj | None
    intent: str
    product: Product
    person: Person
    posts: list[Post] = field(default_factory=list)
    manual: tuple[str, datetime] | None = None  # answered outside any collector (e-mail, seller panel)
    problem: Problem | None = None  # a reply sent from the dashboard that failed or is uncertain
    context: dict[str, str] = field(default_factory=dict)  # details the customer gave (city, size, order)

    @property
    def top(self) -> Post:
        """The first message."""
        return self.posts[0]

    @property
    def spam(self) -> bool:
        """Whether the conversation is spam."""
        return self.intent == "spam"


@dataclass(frozen=True)
class Answer:
    """When and how the brand answers."""

    at: datetime
    via: str  # tool | platform | manual
    agent: str
    user: str


class Planner:
    """Writes conversations for each source until it holds its share of the demo's items."""

    def __init__(
        self, rng: random.Random, clock: Clock, people: People, ids: IdMaker, composer: Composer
    ) -> None:
        self.rng, self.clock, self.people, self.ids, self.composer = rng, clock, people, ids, composer

    def _intent(self, platform: str, at: datetime) -> str:
        weights = dict(INTENTS[platform])
        days_ago = self.clock.days_ago(at)
        boosts = ((SALE, {"discount": 3, "payment": 2}), (STRIKE, {"not_received": 3, "no_response": 3, "sarcasm": 2.5}),
                  (DEFECT, {"defective": 2.5}), (LAUNCH, {"praise": 1.5, "size_fit": 1.8}))  # fmt: skip
        for story, factors in boosts:
            if story.active(days_ago):
                for intent, factor in factors.items():
                    weights[intent] = weights.get(intent, 0) * factor
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _product(self, brand: str, intent: str, at: datetime, obj: Obj | None) -> Product:
        sized = intent in ("size_fit", "stock")
        if (
            obj
            and obj.product
            and self.rng.random() < 0.6
            and not (sized and obj.product.kind == "accessory")
        ):
            return obj.product
        catalog = [p for p in products_of(brand) if not (sized and p.kind == "accessory")]
        days_ago = self.clock.days_ago(at)
        weights = [self._product_weight(p, intent, days_ago) for p in catalog]
        return self.rng.choices(catalog, weights=weights)[0]

    def _product_weight(self, product: Product, intent: str, days_ago: float) -> float:
        weight = 1.6 if product.key in ("aurora", "brisa", "ridge") else 1.0
        if product.key == "aurora" and DEFECT.active(days_ago) and intent in ("defective", "review"):
            weight *= 8
        if product.key in ("marea", "coral") and LAUNCH.active(days_ago):
            weight *= 4
        return weight

    def answer(self, platform: str, brand: str, tone: str, at: datetime) -> Answer | None:
        """Whether, when and how the brand answers something published at ``at``."""
        if self.rng.random() >= ANSWER_RATE[tone] * PLATFORM_RATE[platform]:
            return None
        when = self.clock.reply_at(platform, brand, at)
        if when > self.clock.now - timedelta(minutes=2):
            return None  # not answered yet
        via = "manual" if platform in MANUAL_PLATFORMS else "platform"
        days_ago = self.clock.days_ago(when)
        if platform in TOOL_PLATFORMS and days_ago <= TOOL_ADOPTED_DAYS_AGO:
            via = "tool" if self.rng.random() < 0.05 + 0.06 * (1 - days_ago / TOOL_ADOPTED_DAYS_AGO) else via
        agents = [
            a
            for a in AGENTS[brand if brand == LUNA else "other"]
            if via != "tool" or a[1] in ("lucia", "mateo")
        ]
        agent, user = self.rng.choices(agents, weights=[6, 4, 1][: len(agents)])[0]
        return Answer(when, via, agent, user)

    def person_for(self, source: DemoSource, intent: str) -> Person:
        """Who writes: a spam account for spam, otherwise a customer of the brand."""
        if intent == "spam":
            return self.people.spammer(source.brand, "en" if source.brand != LUNA and self.rng.random() < 0.8 else
                                       self.rng.choice(("es", "es", "en")))  # fmt: skip
        return self.people.pick(source.brand)

    def when(self, person: Person) -> datetime:
        """A publication time in the writer's local rhythm."""
        return self.clock.moment(REGIONS[person.region].timezone)

    def pick(
        self, source: DemoSource, objs: list[Obj], at: datetime, intent: str
    ) -> tuple[Obj | None, Product]:
        """What the message is about: the object commented on and the product."""
        obj = pick_object(self.rng, objs, at)
        return obj, self._product(source.brand, intent, at, obj)

    def intent_for(self, source: DemoSource, at: datetime) -> str:
        """What a new message on ``source`` is about."""
        return self._intent(source.platform, at)

    def rating(self, source: DemoSource, product: Product, at: datetime) -> int:
        """Stars for a new review: skewed positive, with complaint bursts during the storylines."""
        days_ago = self.clock.days_ago(at)
        table = RATINGS
        if (
            product.key == "aurora"
            and DEFECT.active(days_ago)
            and source.platform in ("woocommerce", "web_reviews")
        ):
            table = RATINGS_DEFECT
        elif STRIKE.active(days_ago) and source.platform in ("trustpilot", "google_reviews"):
            table = RATINGS_STRIKE
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def review_product(self, source: DemoSource, objs: list[Obj], at: datetime) -> tuple[Obj | None, Product]:
        """The reviewed product (the page's product for product reviews)."""
        obj = self.rng.choice(objs) if objs else None
        if source.platform in ("woocommerce", "web_reviews") and objs:
            products = [o.product for o in objs if o.product]
            weights = [self._product_weight(p, "review", self.clock.days_ago(at)) for p in products]
            product = self.rng.choices(products, weights=weights)[0]
            obj = next(o for o in objs if o.product == product)
            return obj, product
        return obj, self._product(source.brand, "review", at, None)

    def tone(self, intent: str) -> str:
        """complaint, question or praise."""
        return tone_of(intent)
