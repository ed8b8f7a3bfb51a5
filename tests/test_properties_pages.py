"""One bad item never sinks a run: each real collector runs against its fake platform while every page the fake
serves carries one extra element — arbitrary JSON, or a real element of that page with random field values —
and the run still ends ok with every good item stored."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from collectors import (
    context_for,
    facebook,
    google_reviews,
    instagram,
    trustpilot,
    woocommerce,
    wordpress,
    x,
    youtube,
)
from collectors.base import RetryPolicy
from collectors.graph import client_for
from social_listen.collect import run_source
from social_listen.config import Config
from social_listen.db.tables import authors, items, sources
from social_listen.model import utcnow
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.google_reviews import FakeGoogleReviews
from tests.fakes.graph import FakeGraph, graph_server
from tests.fakes.server import FakeServer, Request, Response
from tests.fakes.trustpilot import FakeTrustpilot
from tests.fakes.wordpress import FakeWordPress, quick_server
from tests.fakes.x import FakeX
from tests.fakes.youtube import FakeYouTube
from tests.strategies import PROPERTY, json_values, key_names, payloads

pytestmark = pytest.mark.usefixtures("quiet_collector_logs")  # thousands of skipped payloads are logged

SOURCE = "luna-garbage"
PAGES = settings(PROPERTY, max_examples=15)
NASTY = [
    None,
    0,
    -1,
    True,
    "",
    "garbage",
    [],
    [None],
    {},
    {"id": None},
    {"id": {"nested": [1]}},
    {"id": 2**80},
]


def no_sleep(seconds: float) -> None:
    return None


QUICK = RetryPolicy(attempts=2, sleep=no_sleep)


@dataclasses.dataclass
class Platform:
    """A fake platform with a few good items, the source that reads it, and where its pages list elements."""

    server: FakeServer
    source: dict[str, Any]
    key: str | None  # the list in each answer ("data", "items", "reviews"), None: the answer is the list
    build: Callable[[Config], Callable[[Any], Any]]


def _graph_build(module: Any, cls: type) -> Callable[[Config], Callable[[Any], Any]]:
    def build(config: Config) -> Callable[[Any], Any]:
        def make(source: Any) -> Any:
            context = context_for(config, source)
            return cls(context, client_for(context, context.credential("page_token"), sleep=no_sleep))

        return make

    return build


def _factory(module: Any) -> Callable[[Config], Callable[[Any], Any]]:
    def build(config: Config) -> Callable[[Any], Any]:
        return lambda source: module.create(context_for(config, source), QUICK)

    return build


@contextmanager
def facebook_platform() -> Iterator[Platform]:
    with graph_server() as graph:
        post = graph.add_post("Rebajas de invierno", utcnow() - timedelta(days=1))
        for n in range(3):
            graph.add_comment(post, f"¿Queda la talla {n}?", utcnow() - timedelta(hours=5 - n))
        graph.add_post("Visita a la tienda", utcnow() - timedelta(hours=8), author=("5550009", "Eva Sanz"))
        yield Platform(graph.server, _graph_source(graph, "facebook", graph.page_id), "data",
                       _graph_build(facebook, facebook.FacebookCollector))  # fmt: skip


@contextmanager
def instagram_platform() -> Iterator[Platform]:
    with graph_server() as graph:
        media = graph.add_media("Nueva colección", utcnow() - timedelta(days=1))
        first = graph.add_ig_comment(media, "¿Envío a Canarias?", utcnow() - timedelta(hours=5))
        graph.add_ig_comment(first, "¡Yo también quiero saberlo!", utcnow() - timedelta(hours=4))
        graph.add_ig_comment(media, "Precioso", utcnow() - timedelta(hours=3))
        yield Platform(graph.server, _graph_source(graph, "instagram", graph.ig_id), "data",
                       _graph_build(instagram, instagram.InstagramCollector))  # fmt: skip


def _graph_source(graph: FakeGraph, platform: str, target: str) -> dict[str, Any]:
    return {"platform": platform, "target": target, "base_url": graph.base_url,
            "credentials": {"page_token": graph.token}}  # fmt: skip


@contextmanager
def youtube_platform() -> Iterator[Platform]:
    with quick_server() as server:
        fake = FakeYouTube(server)
        video = fake.add_video("Colección de invierno")
        for n in range(3):
            thread = fake.comment(video, f"¿Cuándo llega el pedido {n}?", utcnow() - timedelta(hours=6 - n))
            fake.reply(thread, "Yo también espero", utcnow() - timedelta(hours=2))
        source = {"platform": "youtube", "target": fake.channel_id, "base_url": server.url,
                  "credentials": {"api_key": "test-api-key"}}  # fmt: skip
        yield Platform(server, source, "items", _factory(youtube))


@contextmanager
def x_platform() -> Iterator[Platform]:
    with quick_server() as server:
        fake = FakeX(server)
        ana = fake.user("anaruiz", "Ana Ruiz")
        for n in range(3):
            fake.mention(ana, f"¿Y mi pedido {n}?", utcnow() - timedelta(hours=6 - n))
        source = {"platform": "x", "target": fake.brand_id, "base_url": server.url,
                  "credentials": {"bearer_token": "app-bearer"}}  # fmt: skip
        yield Platform(server, source, "data", _factory(x))


@contextmanager
def google_platform() -> Iterator[Platform]:
    with quick_server() as server:
        gbp = FakeGoogleReviews(server)
        for n in range(3):
            gbp.add_review(n + 2, f"Reseña {n}", utcnow() - timedelta(days=3 - n))
        source = {"platform": "google_reviews", "target": gbp.location, "base_url": gbp.base_url,
                  "credentials": {"access_token": gbp.access_token}}  # fmt: skip
        yield Platform(server, source, "reviews", _factory(google_reviews))


@contextmanager
def trustpilot_platform() -> Iterator[Platform]:
    with quick_server() as server:
        tp = FakeTrustpilot(server)
        for n in range(3):
            tp.add_review(n + 2, f"Título {n}", f"Texto {n}", utcnow() - timedelta(days=3 - n))
        source = {"platform": "trustpilot", "target": tp.unit, "base_url": tp.base_url,
                  "credentials": {"access_token": tp.token}, "options": {"business_user_id": tp.business_user}}  # fmt: skip
        yield Platform(server, source, "reviews", _factory(trustpilot))


@contextmanager
def wordpress_platform() -> Iterator[Platform]:
    with quick_server() as server:
        wp = FakeWordPress(server)
        post = wp.add_post("Cómo elegir tu talla")
        for n in range(3):
            wp.add_comment(post, f"Comentario {n}", utcnow() - timedelta(hours=6 - n))
        source = {"platform": "wordpress", "target": wp.site_url, "base_url": wp.base_url,
                  "credentials": {"username": wp.username, "app_password": wp.app_password}}  # fmt: skip
        yield Platform(server, source, None, _factory(wordpress))


@contextmanager
def woocommerce_platform() -> Iterator[Platform]:
    with quick_server() as server:
        shop = FakeWordPress(server)
        product = shop.add_post("Abrigo azul", type="product")
        for n in range(3):
            shop.add_review(product, f"Reseña {n}", utcnow() - timedelta(hours=6 - n), rating=n + 3)
        source = {"platform": "woocommerce", "target": shop.site_url, "base_url": shop.base_url,
                  "credentials": {"consumer_key": shop.consumer_key, "consumer_secret": shop.consumer_secret,
                                  "username": shop.username, "app_password": shop.app_password}}  # fmt: skip
        yield Platform(server, source, None, _factory(woocommerce))


PLATFORMS = {
    "facebook": facebook_platform, "instagram": instagram_platform, "youtube": youtube_platform, "x": x_platform,
    "google_reviews": google_platform, "trustpilot": trustpilot_platform, "wordpress": wordpress_platform,
    "woocommerce": woocommerce_platform,
}  # fmt: skip


class Garbage:
    """Puts one extra element into every non-empty list the fake answers; remembers a real element."""

    def __init__(self, server: FakeServer, key: str | None) -> None:
        self.key, self.value, self.active = key, None, False
        self.sample: Any = None
        self.injected = 0
        original = server.dispatch

        def dispatch(request: Request) -> Response:
            response = original(request)
            listed = self._list(response.body)
            if response.status != 200 or not listed:
                return response
            if self.sample is None and isinstance(listed[0], dict):
                self.sample = copy.deepcopy(listed[0])
            if not self.active:
                return response
            body = copy.deepcopy(response.body)
            target = self._list(body)
            target.insert(len(target) // 2, copy.deepcopy(self.value))
            self.injected += 1
            return dataclasses.replace(response, body=body)

        server.dispatch = dispatch  # type: ignore[method-assign]

    def _list(self, body: Any) -> list[Any] | None:
        found = body if self.key is None else body.get(self.key) if isinstance(body, dict) else None
        return found if isinstance(found, list) and found else None


def elsewhere(sample: Any) -> Any:
    """A real element under another id, so the garbage never replaces a good item of the same id."""
    moved = copy.deepcopy(sample)
    for key in ("id", "name", "reviewId"):
        if isinstance(moved.get(key), str):
            moved[key] = re.sub(r"\w$", "Z", moved[key]) + "9"
        elif isinstance(moved.get(key), int):
            moved[key] = 987654
    return moved


def stored_ids(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(items.c.external_id)).scalars())


def forget_everything(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(items))
        conn.execute(delete(authors))
        conn.execute(update(sources).values(cursor=None, paused_until=None, lease_owner=None,
                                            lease_expires_at=None))  # fmt: skip


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_one_bad_element_in_every_page_never_sinks_the_run(name: str, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.init()
    with PLATFORMS[name]() as platform:
        config = make_config(sources=[{"name": SOURCE, "brand": "Tienda Luna", **platform.source}])
        store.sync_config(config)
        garbage = Garbage(platform.server, platform.key)
        collect = platform.build(config)

        def run() -> Any:
            return run_source(store, config.source(SOURCE), collect)

        clean = run()
        good = stored_ids(store)
        assert clean.status == "ok" and len(good) >= 3, (clean, good)
        assert garbage.sample is not None, "the fake served no list to put garbage in"
        template = elsewhere(garbage.sample)
        bad = (
            st.sampled_from(NASTY)
            | json_values(key_names(template))
            | payloads(template, key_names(template))
        )
        garbage.active = True

        @PAGES
        @given(value=bad)
        def one_bad_element(value: Any) -> None:
            forget_everything(store)
            garbage.value, before = value, garbage.injected
            outcome = run()
            assert garbage.injected > before, "no page carried the bad element"
            assert outcome.status == "ok", f"{name}: the run ended {outcome.status}: {outcome.message}"
            missing = good - stored_ids(store)
            assert not missing, f"{name}: good items lost next to {value!r}: {sorted(missing)}"

        one_bad_element()
