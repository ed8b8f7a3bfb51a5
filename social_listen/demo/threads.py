"""Builds conversations per platform: comment threads, X mentions, reviews, contact-form messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from social_listen.demo.catalog import LUNA
from social_listen.demo.compose import reply_intent
from social_listen.demo.config import DemoSource, site_host
from social_listen.demo.objects import Obj
from social_listen.demo.people import Person
from social_listen.demo.plan import REVIEWS, Answer, Conversation, Planner, Post
from social_listen.model import content_id

BRAND_HANDLES = {"x": {LUNA: "tiendaluna", "other": "harborandpine"}}
NESTED = frozenset({"x", "wordpress", "web_comments"})  # replies can answer replies; elsewhere one level
CHIME_COUNTS = (0, 1, 2, 3, 4)
CHIME_TOPICS = {
    "not_received": ("same_problem", "same_problem", "advice"), "no_response": ("same_problem", "advice"),
    "sarcasm": ("same_problem", "advice"), "defective": ("same_problem",), "shipping": ("advice", "same_question"),
    "size_fit": ("size", "size", "same_question"), "praise": ("praise", "praise", "size"),
    "default": ("same_question", "same_question", "advice"),
}  # fmt: skip
CHIME_WEIGHTS = {"x": (75, 18, 5, 2, 0), "default": (58, 25, 10, 5, 2)}


class ThreadWriter:
    """Turns the planner's decisions into posts with platform ids."""

    def __init__(self, planner: Planner) -> None:
        self.p = planner
        self.rng = planner.rng
        self.ids = planner.ids
        self.composer = planner.composer

    def conversation(self, source: DemoSource, objs: list[Obj], person: Person | None = None,
                     intent: str | None = None) -> Conversation:  # fmt: skip
        """A new conversation on ``source`` (by ``person`` about ``intent`` when given)."""
        if source.platform in REVIEWS:
            return self.review(source, objs, person)
        at_person = person or self.p.people.pick(source.brand)
        at = self.p.when(at_person)
        intent = intent or self.p.intent_for(source, at)
        if intent == "spam" and person is None:
            at_person = self.p.person_for(source, intent)
        obj, product = self.p.pick(source, objs, at, intent)
        conv = Conversation(source, obj, intent, product, at_person)
        if source.platform == "file":
            return self._message(conv, at)
        return self._thread(conv, at)

    def _new_id(self, conv: Conversation, at: datetime, parent: str | None) -> str:
        platform = conv.source.platform
        if platform == "youtube":
            return self.ids.youtube_reply(conv.top.external_id) if parent else self.ids.youtube_comment()
        if platform == "facebook":
            number = conv.obj.number if conv.obj else "0"
            return f"{number}_{self.ids.digits(16, '10')}"
        if platform == "instagram":
            return self.ids.digits(17, "179" if parent else "178")
        if platform == "x":
            return self.ids.tweet(at)
        if platform == "web_comments":
            return f"{conv.obj.url if conv.obj else ''}#comment-{self.ids.next('magazine', 310)}"
        return (
            f"{site_host(conv.source)}#{self.ids.next(platform, 4100 if platform == 'wordpress' else 8800)}"
        )

    def _text(self, conv: Conversation) -> str:
        person = conv.person
        if conv.spam:
            return self.composer.spam(person.language)
        text = self.composer.customer(person, conv.intent, conv.product, conv.source.brand)
        conv.context = dict(self.composer.last_slots)
        return text

    def _brand_handle(self, conv: Conversation) -> str:
        return BRAND_HANDLES["x"][LUNA if conv.source.brand == LUNA else "other"]

    def _mention(self, conv: Conversation, text: str, to: str | None = None, by_brand: bool = False) -> str:
        """On X a reply starts with the @handle it answers; customers mention the brand."""
        if conv.source.platform != "x":
            return text
        brand = self._brand_handle(conv)
        if by_brand or to == brand:
            return _fit_280(f"@{to} {text}")
        if to:
            return _fit_280(f"@{to} @{brand} {text.removeprefix(f'@{to} ')}")
        return _fit_280(f"@{brand} {text}" if self.rng.random() < 0.7 else f"{text} @{brand}")

    def _thread(self, conv: Conversation, at: datetime) -> Conversation:
        kind = "mention" if conv.source.platform == "x" else "comment"
        conv.posts.append(Post("", at, "", kind, conv.person, None, ""))
        top = conv.top
        top.external_id = top.thread = self._new_id(conv, at, None)
        top.text = self._mention(conv, self._text(conv))
        top.likes = self._likes(conv.intent)
        answer = (
            None
            if conv.spam
            else self.p.answer(conv.source.platform, conv.source.brand, self.p.tone(conv.intent), at)
        )
        if not conv.spam:
            self._chime_ins(conv)
            self._waiting(conv, answer)
        if answer and answer.via != "manual":
            reply = self._brand_reply(conv, answer, top, conv.intent)
            self._thanks(conv, reply)
            self._answer_later_replies(conv, reply)
        elif answer:
            conv.manual = (answer.user or answer.agent, answer.at)
        conv.posts.sort(key=lambda post: post.at)
        return conv

    def _likes(self, intent: str) -> int:
        top = 40 if intent == "praise" else 8
        return int(self.rng.paretovariate(1.6)) - 1 if self.rng.random() < 0.7 else self.rng.randint(0, top)

    def _reply(self, conv: Conversation, at: datetime, text: str, parent: str, person: Person | None) -> Post:
        if conv.source.platform not in NESTED:
            parent = conv.top.external_id
        post = Post(self._new_id(conv, at, parent), at, text, "reply", person, parent, conv.top.external_id)
        conv.posts.append(post)
        return post

    def _chime_ins(self, conv: Conversation) -> None:
        weights = CHIME_WEIGHTS.get(conv.source.platform, CHIME_WEIGHTS["default"])
        for _ in range(self.rng.choices(CHIME_COUNTS, weights=weights)[0]):
            at = self.p.clock.later(conv.top.at, 240, 1.4)
            topic = self.rng.choice(CHIME_TOPICS.get(conv.intent, CHIME_TOPICS["default"]))
            if at >= self.p.clock.now:
                continue
            other = self.p.people.pick(conv.source.brand)
            text = self.composer.chime_in(other, conv.product, conv.source.brand, conv.person.handle, topic)
            if not text:
                continue
            post = self._reply(
                conv, at, self._mention(conv, text, conv.person.handle), conv.top.external_id, other
            )
            post.topic = topic

    def _waiting(self, conv: Conversation, answer: Answer | None) -> None:
        if self.p.tone(conv.intent) == "praise" or self.rng.random() > 0.3:
            return
        at = self.p.clock.later(conv.top.at, 600, 0.8)
        if at >= self.p.clock.now or (
            answer and (answer.at - conv.top.at < timedelta(hours=8) or at >= answer.at)
        ):
            return
        text = self.composer.follow_up(conv.person, conv.product, conv.source.brand, "waiting", "")
        if not text:
            return
        self._reply(conv, at, self._mention(conv, text), conv.top.external_id, conv.person)

    def _brand_reply(self, conv: Conversation, answer: Answer, to: Post, intent: str) -> Post:
        person = to.person or conv.person
        context = conv.context if person is conv.person else {}
        intent = reply_intent(intent, to.text)
        text = self.composer.brand_reply(
            person, intent, conv.product, conv.source.brand, answer.agent, context
        )
        post = self._reply(
            conv, answer.at, self._mention(conv, text, person.handle, True), to.external_id, None
        )
        post.agent, post.user, post.via_tool = answer.agent, answer.user, answer.via == "tool"
        post.answers = to.external_id
        post.likes = self.rng.choice((0, 0, 1, 1, 2, 3))
        return post

    def _thanks(self, conv: Conversation, reply: Post) -> None:
        if self.rng.random() > 0.3:
            return
        at = self.p.clock.later(reply.at, 60, 1.2)
        if at >= self.p.clock.now:
            return
        text = self.composer.follow_up(conv.person, conv.product, conv.source.brand, "thanks", reply.agent)
        if not text:
            return
        to_brand = self._brand_handle(conv) if conv.source.platform == "x" else None
        post = self._reply(conv, at, self._mention(conv, text, to_brand), reply.external_id, conv.person)
        post.closable = True

    def _answer_later_replies(self, conv: Conversation, first: Post) -> None:
        """Questions that came in under the thread after the brand's answer often get a second answer."""
        later = [p for p in conv.posts if p.person is not None and p.at > first.at and not p.closable
                 and p.topic in ("", "same_problem", "same_question")]  # fmt: skip
        if not later or self.rng.random() > 0.55:
            return
        last = max(later, key=lambda post: post.at)
        answer = self.p.answer(conv.source.platform, conv.source.brand, "complaint", last.at)
        if answer is not None and answer.via != "manual":
            self._brand_reply(conv, answer, last, conv.intent)

    def review(self, source: DemoSource, objs: list[Obj], person: Person | None = None,
               rating: int | None = None) -> Conversation:  # fmt: skip
        """A review with stars and, often, the shop's public answer."""
        person = person or self.p.people.pick(source.brand)
        at = self.p.when(person)
        obj, product = self.p.review_product(source, objs, at)
        stars = rating or self.p.rating(source, product, at)
        conv = Conversation(source, obj, "review", product, person)
        about = {"woocommerce": "product", "web_reviews": "product", "trustpilot": "service"}.get(
            source.platform
        )
        about = about or ("store" if self.rng.random() < 0.6 else "service")
        title, text = self.composer.review(person, stars, product, source.brand, about)
        if (
            source.platform == "web_reviews"
        ):  # schema.org datePublished is a date; the crawler keeps midnight UTC
            at = datetime.combine(at.date(), datetime.min.time(), tzinfo=UTC)
        conv.posts.append(
            Post(self._review_id(conv, at, text), at, text, "review", person, None, "", stars, title)
        )
        conv.top.thread = conv.top.external_id
        tone = "praise" if stars >= 4 else ("question" if stars == 3 else "complaint")
        answer = self.p.answer(source.platform, source.brand, tone, at)
        if answer and answer.via == "manual":
            conv.manual = (answer.user or answer.agent, answer.at)
        elif answer:
            post = self._brand_reply(conv, answer, conv.top, "review_good" if stars >= 4 else "review_bad")
            post.external_id = self._review_reply_id(conv)
            post.answers = conv.top.external_id
        return conv

    def _review_id(self, conv: Conversation, at: datetime, text: str) -> str:
        platform = conv.source.platform
        if platform == "google_reviews":  # the review's resource name, as the collector keys it
            return f"{conv.source.target}/reviews/{self.ids.google_review()}"
        if platform == "trustpilot":
            return self.ids.hex()
        if platform == "web_reviews":  # no id on the page: a content-derived one, as the crawler makes
            return content_id(
                conv.obj.url if conv.obj else "", conv.person.short, at.date().isoformat(), text
            )
        return f"{site_host(conv.source)}#{self.ids.next('woocommerce', 8800)}"

    def _review_reply_id(self, conv: Conversation) -> str:
        if conv.source.platform == "woocommerce":  # the shop's reply is a WordPress comment under the review
            return f"{site_host(conv.source)}#{self.ids.next('woocommerce', 8800)}"
        return f"{conv.top.external_id}/reply"  # reviewReply / companyReply live inside the review

    def _message(self, conv: Conversation, at: datetime) -> Conversation:
        external_id = f"CF-{self.ids.next('form', 20410)}"
        conv.posts.append(Post(external_id, at, self._text(conv), "message", conv.person, None, external_id))
        answer = None if conv.spam else self.p.answer("file", conv.source.brand, self.p.tone(conv.intent), at)
        if answer:
            conv.manual = (answer.user or "lucia", answer.at)
        return conv


def _fit_280(text: str) -> str:
    """X posts are at most 280 characters."""
    if len(text) <= 280:
        return text
    return text[:277].rsplit(" ", 1)[0] + "…"
