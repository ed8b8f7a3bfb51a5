"""Conformance: the WordPress and WooCommerce collectors read the responses the platforms really send.

The recorded responses live next to the repository in ../shared/fixtures/wordpress (WP core's generated
``/wp/v2/comments`` collection; the WooCommerce docs' reviews list). They are served as-is from a
local server, the way a site answers, and the collectors must turn them into valid items.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from collectors import context_for
from collectors.base import RetryPolicy
from collectors.woocommerce import WooCommerceCollector
from collectors.wordpress import WordPressCollector, site_for
from social_listen.model import Item
from tests.conftest import make_config
from tests.fakes.server import FakeServer, Request, Response, json_response
from tests.fakes.wordpress import quick_server

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "wordpress"
pytestmark = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"recorded platform responses not found at {FIXTURES} (../shared/fixtures)"
)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def listing(body: Any) -> Response:
    """A collection page as WordPress sends it, with its paging headers."""
    return json_response(body, 200, **{"X-WP-Total": str(len(body)), "X-WP-TotalPages": "1"})


def home(root: str) -> Response:
    page = f'<html><head><link rel="https://api.w.org/" href="{root}" /></head><body></body></html>'
    return Response(200, raw=page.encode(), headers={"Content-Type": "text/html; charset=UTF-8"})


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with quick_server() as running:
        yield running


def collect(server: FakeServer, platform: str, site: str, credentials: dict[str, str]) -> list[Item]:
    source = {"name": "recorded", "brand": "Tienda Luna", "platform": platform, "target": site,
              "base_url": server.url, "credentials": credentials}  # fmt: skip
    config = make_config(sources=[source])
    context = context_for(config, config.source("recorded"))
    wp_site = site_for(context, RetryPolicy(sleep=lambda s: None), platform)
    kind = WordPressCollector if platform == "wordpress" else WooCommerceCollector
    return [i for page in kind(context, wp_site, clock=lambda: NOW).collect(None) for i in page.items]


def test_recorded_wp_comments_collection_becomes_valid_items(server: FakeServer) -> None:
    comments = recorded("wp_v2_comments_collection.json")
    post = {"id": 4, "author": 1, "title": {"rendered": "REST API Client Fixture: Post"},
            "link": "http://example.org/?p=4", "comment_status": "open"}  # fmt: skip
    server.route("GET", "/", lambda r: home("http://example.org/index.php?rest_route=/"))
    server.route("GET", "/index.php", lambda r: _by_route(r, {"/wp/v2/comments": listing(comments),
                                                              "/wp/v2/posts/4": json_response(post)}))  # fmt: skip
    found = collect(server, "wordpress", "http://example.org", {})
    assert len(found) == len(comments) == 1
    item = found[0]
    assert (item.external_id, item.kind, item.text) == ("example.org#2", "comment", "This is a comment")
    assert item.published_at == datetime(
        2017, 2, 14, tzinfo=UTC
    ) and item.published_at.utcoffset() == timedelta(0)
    assert item.author and item.author.name == "Internet of something or other" and not item.is_own
    assert (item.object_id, item.object_title) == ("example.org/?p=4", "REST API Client Fixture: Post")
    assert item.url == "http://example.org/?p=4#comment-2" and item.thread_external_id == item.external_id
    assert [r.query["rest_route"] for r in server.calls("GET", "/index.php")] == [
        "/wp/v2/comments",
        "/wp/v2/posts/4",
    ]


def test_recorded_woocommerce_reviews_list_becomes_valid_items(server: FakeServer) -> None:
    reviews = recorded("wc_v3_products_reviews_list.json")
    products = {
        "22": ("Album", "https://example.com/product/album/"),
        "31": ("Polo", "https://example.com/product/polo/"),
    }
    server.route("GET", "/", lambda r: home("https://example.com/wp-json/"))
    server.route("GET", "/wp-json/wc/v3/products/reviews", lambda r: listing(reviews))
    server.route("GET", r"/wp-json/wc/v3/products/(?P<id>\d+)", lambda r: _product(r, products))
    server.route("GET", "/wp-json/wp/v2/comments", lambda r: listing([]))
    found = {i.external_id: i for i in collect(server, "woocommerce", "https://example.com",
                                               {"consumer_key": "ck_x", "consumer_secret": "cs_x"})}  # fmt: skip
    assert set(found) == {"example.com#22", "example.com#20"}
    album, polo = found["example.com#22"], found["example.com#20"]
    assert (album.kind, album.rating, album.text) == ("review", 5.0, "Nice album!")
    assert album.published_at == datetime(2018, 10, 18, 20, 59, 17, tzinfo=UTC)  # date_created_gmt, not local
    assert (album.object_title, album.object_url) == ("Album", "https://example.com/product/album/")
    assert polo.rating == 1.0 and polo.raw and polo.raw["verified"] is True
    assert album.author and album.author.name == "John Doe"


def _by_route(request: Request, answers: dict[str, Response]) -> Response:
    return answers.get(request.query.get("rest_route", ""), json_response({"code": "rest_no_route"}, 404))


def _product(request: Request, products: dict[str, tuple[str, str]]) -> Response:
    name, link = products[request.match["id"]]  # type: ignore[index]
    return json_response({"id": int(request.match["id"]), "name": name, "permalink": link})  # type: ignore[index]
