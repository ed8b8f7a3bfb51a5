"""A deterministic YouTube channel of N items for the scale benchmarks, as the Data API returns it.

``Channel(count, seed, anchor).pages()`` yields pages of ``commentThread`` resources (the shape of
``commentThreads.list(part=snippet,replies)``, 100 threads a page, newest first): a top-level comment and
its inline replies, from customers and now and then from the brand's own channel. Texts are the project's
bilingual shop comments (data/shop_comments, ~2/3 Spanish), varied (two sentences, greetings, emoji), so
language, sentiment, intents and text search see realistic input. Times run back one year from ``anchor``.
The same (count, seed, anchor) gives the same resources, so a second pass re-reads exactly the first.

Not a benchmark itself (bench/run.py only runs bench_*.py and *_bench.py).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from social_listen.config import Config, parse_config

GENERATOR_VERSION = 1
REPO = Path(__file__).resolve().parents[1]
OWN_CHANNEL = "UCtiendaLunaOficial0000"
OWN_NAME = "Tienda Luna"
BRAND = "Tienda Luna"
SOURCE = "bench-youtube"
THREADS_PER_PAGE = 100  # commentThreads.list maxResults
INLINE_REPLIES = 5  # replies a thread carries inline (the collector reads the rest with comments.list)
SPAN = timedelta(days=365)
SPANISH_SHARE = 0.65
ITEMS_PER_THREAD = 2.415  # the mean of 1 + min(5, floor(Exp(0.5))): a comment and its replies
BRAND_REPLIED = 0.6  # of the threads with replies, those where the brand replied on YouTube
FIRST = ("Lucía", "Mateo", "Sofía", "Diego", "Valentina", "Hugo", "Martina", "Pablo", "Emma", "Liam", "Olivia",
         "Noah", "Ava", "James", "Camila", "Santiago", "Isabella", "Lucas", "Mia", "Daniel", "Carmen", "José")  # fmt: skip
LAST = ("García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Smith", "Johnson", "Brown", "Rossi",
        "Fernández", "Ruiz", "Díaz", "Moreno", "Taylor", "Wilson", "Álvarez", "Romero", "Navarro", "Torres")  # fmt: skip
GREETING = {"es": ("Hola,", "Buenas,", "Hola equipo,", "Buenos días,"), "en": ("Hi,", "Hello,", "Hey team,")}
EMOJI = ("🙂", "😡", "🙏", "❤️", "😢", "👍", "🤔", "😂")
BRAND_REPLIES = {
    "es": ("¡Hola {name}! Te escribimos por privado para revisar tu pedido.",
           "Gracias por contarnos, {name}. Ya lo estamos mirando con el almacén.",
           "¡Qué alegría leerte, {name}! Gracias por tu compra.",
           "Hola {name}, la devolución es gratuita durante 30 días desde la web."),
    "en": ("Hi {name}! We've sent you a DM to sort out your order.",
           "Thanks for letting us know, {name}. We're checking with the warehouse.",
           "So glad you like it, {name}! Thanks for shopping with us."),
}  # fmt: skip


def bench_config() -> Config:
    """One bilingual Madrid shop with one YouTube channel."""
    return parse_config(
        {
            "brands": [{"name": BRAND, "timezone": "Europe/Madrid", "languages": ["es", "en"],
                        "own_names": [OWN_NAME]}],
            "sources": [{"name": SOURCE, "brand": BRAND, "platform": "youtube", "target": OWN_CHANNEL}],
        }
    )  # fmt: skip


@cache
def shop_texts() -> dict[str, tuple[str, ...]]:
    """The labelled shop comments' texts, per language."""
    found: dict[str, list[str]] = {"es": [], "en": []}
    for name in ("train.csv", "test.csv"):
        with (REPO / "data" / "shop_comments" / name).open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                found.setdefault(row["lang"], []).append(row["text"])
    return {lang: tuple(texts) for lang, texts in found.items() if lang in ("es", "en")}


def stamp(at: datetime) -> str:
    """RFC 3339 in UTC with a Z, as the Data API writes times."""
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


class Channel:
    """``count`` items (comments and replies) in threads, as pages of commentThread resources."""

    def __init__(self, count: int, seed: int, anchor: datetime) -> None:
        self.count, self.seed, self.anchor = count, seed, anchor
        self.authors = max(50, count // 6)
        self.videos = max(5, count // 500)
        self.threads = 0

    def pages(self) -> Iterator[list[dict[str, Any]]]:
        """Pages of up to THREADS_PER_PAGE threads, newest first, ``count`` items in all."""
        rng = random.Random(self.seed)
        left, number, page = self.count, 0, []
        step = SPAN / max(1.0, self.count / ITEMS_PER_THREAD)
        while left > 0:
            at = self.anchor - timedelta(minutes=30) - step * (number + rng.random())
            size = min(left, 1 + min(INLINE_REPLIES, int(rng.expovariate(0.5))))
            page.append(self._thread(rng, number, at, size))
            left -= size
            number += 1
            if len(page) == THREADS_PER_PAGE:
                yield page
                page = []
        self.threads = number
        if page:
            yield page

    def _thread(self, rng: random.Random, number: int, at: datetime, size: int) -> dict[str, Any]:
        lang = "es" if rng.random() < SPANISH_SHARE else "en"
        video = f"vid{int(self.videos * rng.random() ** 1.5):07d}"
        thread_id = f"Ug{self.seed:02d}{number:09d}AaABAg"
        customer = self._person(rng)
        top = self._comment(thread_id, video, customer, self._text(rng, lang), at, rng)
        replies = []
        own_at = rng.randrange(1, size) if size > 1 and rng.random() < BRAND_REPLIED else None
        when = at
        for n in range(1, size):
            when = min(when + timedelta(minutes=rng.randint(5, 36 * 60)), self.anchor)
            if n == own_at:
                author = (OWN_CHANNEL, OWN_NAME)
                text = rng.choice(BRAND_REPLIES[lang]).format(name=customer[1].split()[0])
            else:
                author = customer if rng.random() < 0.3 else self._person(rng)
                text = self._text(rng, lang)
            reply = self._comment(f"{thread_id}.{n:03d}ZZ", video, author, text, when, rng, parent=thread_id)
            replies.append(reply)
        snippet: dict[str, Any] = {
            "channelId": OWN_CHANNEL, "videoId": video, "topLevelComment": top, "canReply": True,
            "totalReplyCount": len(replies), "isPublic": True,
        }  # fmt: skip
        thread: dict[str, Any] = {"kind": "youtube#commentThread", "etag": f"e{thread_id}", "id": thread_id,
                                  "snippet": snippet}  # fmt: skip
        if replies:
            thread["replies"] = {"comments": replies}
        return thread

    def _person(self, rng: random.Random) -> tuple[str, str]:
        n = int(self.authors * rng.random() ** 2)  # a few regulars, a long tail
        return f"UCfan{n:017d}", f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]}"

    @staticmethod
    def _text(rng: random.Random, lang: str) -> str:
        pool = shop_texts()[lang]
        text = rng.choice(pool)
        if rng.random() < 0.25:
            text = f"{text} {rng.choice(pool)}"
        if rng.random() < 0.1:
            text = f"{rng.choice(GREETING[lang])} {text[0].lower()}{text[1:]}"
        if rng.random() < 0.1:
            text = f"{text} {rng.choice(EMOJI)}"
        return text

    def _comment(self, comment_id: str, video: str, author: tuple[str, str], text: str, at: datetime,
                 rng: random.Random, parent: str | None = None) -> dict[str, Any]:  # fmt: skip
        snippet: dict[str, Any] = {
            "channelId": OWN_CHANNEL, "videoId": video, "textDisplay": text, "textOriginal": text,
            "authorDisplayName": author[1],
            "authorProfileImageUrl": "https://yt3.ggpht.com/ytc/default-user=s48-c-k-c0x00ffffff-no-rj",
            "authorChannelUrl": f"http://www.youtube.com/channel/{author[0]}",
            "authorChannelId": {"value": author[0]}, "canRate": True, "viewerRating": "none",
            "likeCount": int(rng.expovariate(0.3)), "publishedAt": stamp(at), "updatedAt": stamp(at),
        }  # fmt: skip
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": f"e{comment_id}", "id": comment_id, "snippet": snippet}
