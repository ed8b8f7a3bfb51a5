"""Compose texts from parts (opener, body, detail, closer, emoji, typing habits) so no sentence repeats much."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable

from social_listen.demo import texts_brand, texts_en, texts_es, texts_es_parts, texts_misc, texts_reviews
from social_listen.demo.catalog import LUNA, Product
from social_listen.demo.people import Person
from social_listen.demo.slots import Slots, details, product_slots

COMPLAINTS = frozenset({"not_received", "no_response", "defective", "sarcasm"})
EMOJI = {
    "praise": ("😍", "🥰", "🙌", "✨", "💛", "👏", "🔥", "😊", "❤️", "🌙"),
    "complaint": ("😡", "😤", "😩", "🙄", "😒", "😞", "👎"),
    "question": ("🤔", "🙏", "👀", "😊", "🙂"),
    "sarcasm": ("🙃", "👏", "🤡", "👏👏"),
}
CONTEXT = ("ciudad", "talla", "talla2", "size", "size2", "transportista", "pedido", "color", "codigo", "dias")
MAX_REPEATS = 2  # a composed text is redrawn once it has been used this many times


def reply_intent(intent: str, text: str) -> str:
    """The answer bank that fits: a late refund is not a how-to-return question, a colour is not washing."""
    for (for_intent, pattern), bank in zip(texts_brand.REPLY_TOPICS, texts_brand.TOPIC_BANKS, strict=True):
        if intent == for_intent and re.search(pattern, text, flags=re.IGNORECASE):
            return bank
    return intent


def tone_of(intent: str) -> str:
    """complaint, praise or question: what openers, closers and emoji fit."""
    if intent in COMPLAINTS:
        return "complaint"
    return "praise" if intent == "praise" else "question"


class Composer:
    """Writes every text of the demo from the banks; remembers what it wrote to keep texts distinct."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: Counter[str] = Counter()
        self.last_slots: dict[str, str] = {}  # the details of the last customer message (for the answer)

    def _unique(self, make: Callable[[], str], optional: bool = False) -> str:
        """A text not yet used MAX_REPEATS times; an optional one (a short reply) is dropped ("") instead."""
        text = make()
        for _ in range(12 if optional else 40):
            if self.seen[text] < MAX_REPEATS:
                break
            text = make()
        else:
            if optional:
                return ""
        self.seen[text] += 1
        return text

    def slots(self, person: Person, product: Product, brand: str) -> Slots:
        """All slot values for a message by ``person`` about ``product`` (details drawn when used)."""
        named = product_slots(product, person.region, person.voice == "en")
        return Slots({**named, "marca": brand}, details(self.rng, product, person.region, brand))

    def customer(self, person: Person, intent: str, product: Product, brand: str) -> str:
        """A customer's first message about ``intent``."""
        return self._unique(lambda: self._customer(person, intent, product, brand))

    def _customer(self, person: Person, intent: str, product: Product, brand: str) -> str:
        rng, tone, voice = self.rng, tone_of(intent), person.voice
        english = voice == "en"
        bodies = texts_en.BODIES[intent] if english else texts_es.BODIES[intent][voice]
        body = rng.choice([b for b in bodies if _fits(b, product)] or list(bodies))
        bank = (texts_en.OPENERS, texts_en.EXTRAS, texts_en.CLOSERS) if english else (
            texts_es_parts.OPENERS[voice], texts_es_parts.EXTRAS[voice], texts_es_parts.CLOSERS[voice])  # fmt: skip
        openers, extras, closers = (part[tone] for part in bank)
        parts = [body]
        if rng.random() < 0.35:
            parts.append(rng.choice([e for e in extras if not _shares_slot(e, body)] or [""]))
        if rng.random() < 0.4:
            parts.append(rng.choice(closers))
        slots = self.slots(person, product, brand)
        text = " ".join(p for p in parts if p).format_map(slots)
        opener = rng.choice(openers).format_map(slots)
        if rng.random() < 0.45 and not (opener.endswith(":") and ":" in text):
            text = _join_opener(opener, text)
        self.last_slots = {k: v for k, v in slots.items() if k in CONTEXT}
        return self._style(text, voice, "sarcasm" if intent == "sarcasm" else tone)

    def _style(self, text: str, voice: str, tone: str) -> str:
        rng = self.rng
        if rng.random() < (0.04 if voice == "es_usted" else 0.13):
            text = _casual(text, voice, rng)
        if tone == "complaint" and rng.random() < 0.06:
            first, _, rest = text.partition(". ")
            text = first.upper() + (". " + rest if rest else "")
        if rng.random() < 0.015:
            first, dot, rest = text.partition(". ")
            text = f"<b>{first}</b>{dot}{rest}" if rest else f"<b>{text}</b>"
        if voice != "en" and rng.random() < 0.03:
            text = _strip_accents(text)
        chance = {"praise": 0.55, "complaint": 0.3, "sarcasm": 0.8, "question": 0.15}[tone]
        if rng.random() < chance:
            text += " " + "".join(rng.choices(EMOJI[tone], k=rng.choice((1, 1, 2, 3))))
        return text

    def chime_in(self, person: Person, product: Product, brand: str, other: str, topic: str) -> str:
        """Another customer joining the thread on ``topic`` (same problem, advice, size, same question, praise)."""

        def make() -> str:
            slots = self.slots(person, product, brand)
            slots["name"] = other
            english = person.voice == "en"
            bank = texts_en.CHIME_INS[topic] if english else texts_es_parts.CHIME_INS[person.voice][topic]
            return self._style(self.rng.choice(bank).format_map(slots), person.voice, "question")

        return self._unique(make, optional=True)

    def follow_up(self, person: Person, product: Product, brand: str, moment: str, agent: str) -> str:
        """The author coming back: ``waiting`` (no answer yet) or ``thanks`` (after the brand answered)."""

        def make() -> str:
            slots = self.slots(person, product, brand)
            slots["agent"] = agent
            english = person.voice == "en"
            bank = texts_en.FOLLOW_UPS[moment] if english else texts_es_parts.FOLLOW_UPS[person.voice][moment]
            tone = "praise" if moment == "thanks" else "complaint"
            return self._style(self.rng.choice(bank).format_map(slots), person.voice, tone)

        return self._unique(make, optional=True)

    def review(
        self, person: Person, rating: int, product: Product, brand: str, about: str
    ) -> tuple[str, str]:
        """A review's title and text for ``rating`` stars; ``about`` is product, service or store."""
        banks = {
            "product": texts_reviews.PRODUCT,
            "service": texts_reviews.SERVICE,
            "store": texts_reviews.STORE,
        }
        lang = person.language
        title = self.rng.choice(texts_reviews.TITLES[rating][lang])

        def make() -> str:
            slots = self.slots(person, product, brand)
            if rating >= 4:  # a happy reviewer got the parcel quickly
                slots["dias"] = str(self.rng.choice((2, 2, 3, 4)))
            pool = banks[about][rating][lang] + texts_reviews.SERVICE[rating][lang] * (about == "store")
            pool = tuple(s for s in pool if _fits(s, product) and (product.kind != "accessory" or "{talla}" not in s
                                                                  and "{size}" not in s)) or pool  # fmt: skip
            sentences = self.rng.sample(pool, k=min(len(pool), self.rng.choice((1, 1, 2, 2, 3))))
            flavor = texts_reviews.FLAVOR[person.voice]["good" if rating >= 4 else "bad"]
            if rating != 3 and self.rng.random() < 0.35:
                sentences.append(self.rng.choice(flavor))
            tone = "praise" if rating >= 4 else ("complaint" if rating <= 2 else "question")
            return self._style(" ".join(sentences).format_map(slots), person.voice, tone)

        return title, self._unique(make)

    def brand_reply(
        self, person: Person, intent: str, product: Product, brand: str, agent: str, context: dict[str, str]
    ) -> str:
        """The shop's answer in the customer's register, about the details they gave, signed by ``agent``."""

        def make() -> str:
            rng, voice = self.rng, person.voice
            slots = self.slots(person, product, brand)
            slots.update(context)
            slots.update(name=person.first, agent=agent, dias_envio=texts_brand.SHIPPING_DAYS[person.region])
            slots["umbral"] = "50 €" if brand == LUNA else "$75"
            body = rng.choice(texts_brand.BY_INTENT[intent][voice])
            parts = [rng.choice(texts_brand.GREETINGS[voice]), body]
            if rng.random() < 0.85:
                parts.append(rng.choice(texts_brand.SIGNOFFS[voice]))
            return " ".join(parts).format_map(slots)

        return self._unique(make)

    def spam(self, language: str) -> str:
        """A spam comment: money from home, fake followers, replicas, links."""

        def make() -> str:
            domain = self.rng.choice(texts_misc.SPAM_DOMAINS)
            values = {"link": f"https://{domain}/{self.rng.randint(100, 9999)}", "domain": domain,
                      "handle": f"{self.rng.choice(('ganar', 'promo', 'collab', 'cash', 'lux'))}_{self.rng.randint(10, 999)}",
                      "amount": str(self.rng.choice((150, 200, 300, 500, 800, 1000)))}  # fmt: skip
            return self.rng.choice(texts_misc.SPAM[language]).format_map(values)

        return self._unique(make)


def _casual(text: str, voice: str, rng: random.Random) -> str:
    """How many people really type: lower case, no opening marks, short forms."""
    text = text.lower().replace("¿", "").replace("¡", "")
    swaps = {"es": ((" que ", " q "), ("porque", "xq"), ("por favor", "porfa"), ("también", "tb")),
             "en": ((" you ", " u "), ("please", "pls"), (" thanks", " thx"))}  # fmt: skip
    for old, new in swaps["en" if voice == "en" else "es"]:
        if rng.random() < 0.5:
            text = text.replace(old, new)
    return text


def _strip_accents(text: str) -> str:
    """Text typed without accents (ñ kept, as phones usually do)."""
    out = []
    for ch in text:
        if ch in "ñÑ":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)) or ch)
    return "".join(out)


_SHOE_ONLY = ("pie", "feet", "Calzo", "horma")
_BODY_ONLY = ("{altura}", "{feet}", "{peso}")
_KEEP_CAPITAL = {"I", "I'm", "I've", "I'd", "I'll"}


def _fits(template: str, product: Product) -> bool:
    """Height and weight questions are for clothes; foot questions for shoes."""
    if product.kind == "shoe":
        return not any(mark in template for mark in _BODY_ONLY)
    return not any(mark in template for mark in _SHOE_ONLY)


def _shares_slot(extra: str, body: str) -> bool:
    """Whether an extra sentence would repeat a detail (same order number, same city) already in the body."""
    groups = (("pedido",), ("ciudad",), ("dias",), ("evento",), ("color",),
              ("el_prod", "El_prod", "the_prod", "The_prod", "del_prod", "prod", "lo", "Lo", "it"))  # fmt: skip
    for group in groups:
        if any(f"{{{n}}}" in extra for n in group) and any(f"{{{n}}}" in body for n in group):
            return True
    return False


def _join_opener(opener: str, text: str) -> str:
    """``Hola, ¿hacéis...`` / ``Hey, do you...``: after a comma the body goes on in lower case."""
    letter_style = opener.endswith(":") and opener.split()[0] in ("Hola", "Estimados:", "Señores")
    if opener[-1] in ".!?" or letter_style:
        return f"{opener} {text}"
    first_word = text.split(" ", 1)[0]
    if first_word in _KEEP_CAPITAL or (first_word.isupper() and len(first_word) > 1):
        return f"{opener} {text}"
    index = 1 if text[:1] in "¿¡" else 0
    return f"{opener} {text[:index]}{text[index : index + 1].lower()}{text[index + 1 :]}"
