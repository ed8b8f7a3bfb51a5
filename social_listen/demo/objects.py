"""What people comment on or review: videos, posts, media, blog articles, products, store locations."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from social_listen.demo import texts_misc
from social_listen.demo.catalog import LUNA, Product, products_of
from social_listen.demo.config import MARKETPLACE, DemoSource
from social_listen.demo.people import IdMaker, slug


@dataclass(frozen=True)
class Obj:
    """A commented or reviewed object: the platform's id, a title, a link, when it was published."""

    id: str
    title: str
    url: str
    at: datetime
    product: Product | None = None
    number: str = ""  # a second id some platforms need (post number, WordPress post id)


class Objects:
    """Builds each source's objects, spread before and through the window."""

    def __init__(self, rng: random.Random, ids: IdMaker, start: datetime, now: datetime) -> None:
        self.rng = rng
        self.ids = ids
        self.start = start
        self.now = now

    def _times(self, count: int) -> list[datetime]:
        span = (self.now - self.start).total_seconds() + 14 * 86400
        first = self.start - timedelta(days=14)
        return sorted(first + timedelta(seconds=self.rng.uniform(0, span - 86400)) for _ in range(count))

    def for_source(self, source: DemoSource) -> list[Obj]:
        """The objects of one demo source (an empty list for X: mentions are not attached to a post)."""
        makers = {
            "youtube": self._videos, "facebook": self._posts, "instagram": self._media, "wordpress": self._blog,
            "web_comments": self._magazine, "woocommerce": self._products, "web_reviews": self._marketplace,
            "google_reviews": self._location, "trustpilot": self._business, "file": self._form,
        }  # fmt: skip
        maker = makers.get(source.platform)
        return maker(source) if maker else []

    def _catalog(self, source: DemoSource) -> list[Product]:
        return products_of(source.brand)

    def _videos(self, source: DemoSource) -> list[Obj]:
        titles = texts_misc.VIDEOS["luna" if source.brand == LUNA else "harbor"]
        objs = []
        for title, at in zip(titles, self._times(len(titles)), strict=True):
            video = self.ids.youtube_video()
            product = next((p for p in self._catalog(source) if p.model in title), None)
            objs.append(Obj(video, title, f"https://www.youtube.com/watch?v={video}", at, product))
        return objs

    def _caption(self, source: DemoSource, template: str) -> tuple[str, Product]:
        product = self.rng.choice(self._catalog(source))
        noun = product.noun_for("ES")
        article = {("f", False): "una", ("f", True): "unas", ("m", False): "un", ("m", True): "unos"}
        text = template.format(
            model=product.model, noun=noun.text if source.brand == LUNA else product.en_us,
            noun_un=f"{article[(noun.gender, noun.plural)]} {noun.text}", count=self.rng.randint(300, 900),
        )  # fmt: skip
        return text, product

    def _posts(self, source: DemoSource) -> list[Obj]:
        templates = texts_misc.POSTS["luna" if source.brand == LUNA else "harbor"]
        objs = []
        for index, at in enumerate(self._times(36)):
            text, product = self._caption(source, templates[index % len(templates)])
            number = self.ids.digits(17, "10")
            url = f"https://www.facebook.com/{source.target}/posts/{number}"
            objs.append(Obj(f"{source.target}_{number}", text, url, at, product, number))
        return objs

    def _media(self, source: DemoSource) -> list[Obj]:
        templates = texts_misc.POSTS["luna" if source.brand == LUNA else "harbor"]
        tags = " #TiendaLuna #modasostenible" if source.brand == LUNA else " #HarborAndPine #outdoorstyle"
        objs = []
        for index, at in enumerate(self._times(48 if source.brand == LUNA else 20)):
            text, product = self._caption(source, templates[(index * 5) % len(templates)])
            short = self.ids.chars(11)
            objs.append(
                Obj(
                    self.ids.digits(17, "179"),
                    text + tags,
                    f"https://www.instagram.com/p/{short}/",
                    at,
                    product,
                )
            )
        return objs

    def _blog(self, source: DemoSource) -> list[Obj]:
        objs = []
        for (path, title), at in zip(
            texts_misc.BLOG_POSTS, self._times(len(texts_misc.BLOG_POSTS)), strict=True
        ):
            post_id = str(self.ids.next("wp-posts", 120))
            objs.append(
                Obj(post_id, title, f"{source.target}/{path}/", at, self._mentioned(source, title), post_id)
            )
        return objs

    def _magazine(self, source: DemoSource) -> list[Obj]:
        pages = texts_misc.MAGAZINE_PAGES
        target = str(source.target)
        return [Obj(f"{target}{path}/", title, f"{target}{path}/", at)
                for (path, title), at in zip(pages, self._times(len(pages)), strict=True)]  # fmt: skip

    def _mentioned(self, source: DemoSource, title: str) -> Product | None:
        return next((p for p in self._catalog(source) if p.model in title), None)

    def _products(self, source: DemoSource) -> list[Obj]:
        objs = []
        for index, product in enumerate(self._catalog(source)):
            noun = product.noun_for("ES").text
            name = f"{noun[0].upper()}{noun[1:]} {product.model}"
            url = f"{source.target}/producto/{slug(noun)}-{slug(product.model)}/"
            objs.append(Obj(str(1001 + index * 7), name, url, self.start - timedelta(days=200), product))
        return objs

    def _marketplace(self, source: DemoSource) -> list[Obj]:
        by_key = {p.key: p for p in self._catalog(source)}
        objs = []
        for key, title in texts_misc.MARKETPLACE_PAGES:
            url = next(t for t in source.target if t.startswith(MARKETPLACE) and key in t)
            objs.append(Obj(url, title, url, self.start - timedelta(days=120), by_key[key]))
        return objs

    def _location(self, source: DemoSource) -> list[Obj]:
        title = "Tienda Luna · Showroom Malasaña" if source.brand == LUNA else "Harbor & Pine · Williamsburg"
        url = f"https://maps.google.com/?cid={self.ids.digits(19, '1')}"
        return [Obj(str(source.target), title, url, self.start - timedelta(days=400))]

    def _business(self, source: DemoSource) -> list[Obj]:
        domain = "tienda-luna.example" if source.brand == LUNA else "harborandpine.example"
        url = f"https://www.trustpilot.com/review/{domain}"
        return [Obj(str(source.target), f"{source.brand} ({domain})", url, self.start - timedelta(days=400))]

    def _form(self, source: DemoSource) -> list[Obj]:
        return [Obj("contact-form", "Formulario de contacto", "https://tienda-luna.example/contacto",
                    self.start - timedelta(days=400))]  # fmt: skip


def pick_object(rng: random.Random, objs: list[Obj], at: datetime) -> Obj | None:
    """An object published before ``at``, most likely a recent one (comments follow new posts)."""
    if not objs:
        return None
    earlier = [o for o in objs if o.at <= at - timedelta(minutes=10)] or objs[:1]
    weights = [0.08 + math.exp(-(at - o.at).total_seconds() / (4 * 86400)) for o in earlier]
    return rng.choices(earlier, weights=weights)[0]
