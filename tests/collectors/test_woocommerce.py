"""WooCommerce product reviews: collected from a fake shop, answered through WordPress comments, replied to."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from collectors import context_for
from collectors.base import RetryPolicy, SourceContext
from collectors.woocommerce import WooCommerceCollector, WooCommercePublisher, create_publisher
from collectors.wordpress import site_for
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.errors import AuthError
from social_listen.model import Item
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.server import Response
from tests.fakes.wordpress import SITE, T0, FakeWordPress, quick_server, wp_error

NOW = T0 + timedelta(days=1)
H = timedelta(hours=1)
SOURCE = "luna-shop"
HOST = "blog.tiendaluna.example"


@pytest.fixture
def shop() -> Iterator[FakeWordPress]:
    with quick_server() as server:
        yield FakeWordPress(server)


@pytest.fixture
def wc_store(any_store: Store, shop: FakeWordPress) -> Store:
    any_store.sync_config(config_for(shop))
    return any_store


def config_for(
    shop: FakeWordPress, wp_password: bool = True, secret: str | None = None, **options: Any
) -> Any:
    creds = {"consumer_key": shop.consumer_key, "consumer_secret": secret or shop.consumer_secret}
    if wp_password:
        creds |= {"username": shop.username, "app_password": shop.app_password}
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "woocommerce", "target": SITE,
              "base_url": shop.base_url, "credentials": creds, "options": options}  # fmt: skip
    return make_config(sources=[source])


class Harness:
    """Builds collectors and publishers on the fake shop with a fixed clock and recorded sleeps."""

    def __init__(
        self, shop: FakeWordPress, wp_password: bool = True, secret: str | None = None, **options: Any
    ):
        self.shop, self.wp_password, self.secret, self.options = shop, wp_password, secret, options
        self.sleeps: list[float] = []

    def context(self) -> SourceContext:
        config = config_for(self.shop, self.wp_password, self.secret, **self.options)
        return context_for(config, config.source(SOURCE))

    def collector(self) -> WooCommerceCollector:
        site = site_for(self.context(), RetryPolicy(sleep=self.sleeps.append), "woocommerce")
        return WooCommerceCollector(self.context(), site, clock=lambda: NOW)

    def publisher(self) -> WooCommercePublisher:
        return create_publisher(self.context())

    def run(self, store: Store) -> Any:
        return run_source(store, config_for(self.shop).source(SOURCE), lambda s: self.collector())

    def items(self) -> list[Item]:
        return [i for page in self.collector().collect(None) for i in page.items]


def catalog(shop: FakeWordPress) -> dict[str, int]:
    """Two products; three reviews; the shop answered one in wp-admin; a customer replied to another."""
    ids: dict[str, int] = {}
    ids["boots"] = shop.add_post("Botas Luna & Sol", author=1, type="product")
    ids["bag"] = shop.add_post("Bolso de lona", author=1, type="product")
    ids["great"] = shop.add_review(ids["boots"], "Comodísimas, repetiré.", T0, rating=5)
    ids["broken"] = shop.add_review(
        ids["boots"], "Llegaron con la suela despegada", T0 + H, rating=2, name="Ana"
    )
    ids["ok"] = shop.add_review(ids["bag"], "Bonito pero pequeño", T0 + 2 * H, rating=4, verified=False)
    ids["shop_reply"] = shop.add_comment(ids["boots"], "Lo sentimos, Ana: te enviamos otro par.", T0 + 3 * H,
                                         author=shop.app_user, parent=ids["broken"])  # fmt: skip
    ids["customer_reply"] = shop.add_comment(ids["boots"], "¡A mí también me encantan!", T0 + 4 * H,
                                             author=9, parent=ids["great"], type="review")  # fmt: skip
    return ids


def ext(comment: int) -> str:
    return f"{HOST}#{comment}"


def by_id(found: list[Item]) -> dict[int, Item]:
    return {int(i.external_id.rsplit("#", 1)[1]): i for i in found}


def status_of(store: Store, external_id: str) -> tuple[str, datetime | None]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(items.c.status, items.c.answered_at).where(items.c.external_id == external_id)
        ).one()
    return row.status, row.answered_at


def item_id(store: Store, external_id: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(items.c.id).where(items.c.external_id == external_id)).scalar_one())


def item_count(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(items)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(items.c.external_id)))).scalar_one()
    return total, distinct


# -- collecting ----------------------------------------------------------------------------------


def test_first_run_collects_reviews_with_rating_product_and_link_as_valid_items(shop: FakeWordPress) -> None:
    ids = catalog(shop)
    found = by_id(Harness(shop).items())
    assert set(found) == {ids[k] for k in ("great", "broken", "ok", "shop_reply", "customer_reply")}
    broken = found[ids["broken"]]
    assert (broken.platform, broken.kind, broken.rating, broken.text) == (
        "woocommerce", "review", 2.0, "Llegaron con la suela despegada")  # fmt: skip
    assert broken.published_at == T0 + H and broken.published_at.utcoffset() == timedelta(0)
    assert broken.object_title == "Botas Luna & Sol" and broken.object_id == f"{HOST}/?p={ids['boots']}"
    assert broken.object_url == f"{SITE}/producto/botas-luna-sol/"
    assert broken.url == f"{SITE}/producto/botas-luna-sol/#comment-{ids['broken']}"
    assert broken.raw and broken.raw["verified"] is True and found[ids["ok"]].raw["verified"] is False  # type: ignore[index]
    assert broken.author and broken.author.name == "Ana" and broken.thread_external_id == ext(ids["broken"])
    reply = found[ids["shop_reply"]]
    assert (reply.kind, reply.is_own, reply.parent_external_id) == ("reply", True, ext(ids["broken"]))
    assert reply.platform == "woocommerce" and reply.object_title == "Botas Luna & Sol"
    customer = found[ids["customer_reply"]]  # written on the shop: listed among the reviews, without parent
    assert (customer.kind, customer.parent_external_id, customer.is_own) == (
        "reply",
        ext(ids["great"]),
        False,
    )


def test_shop_reply_in_wp_admin_marks_the_review_answered_at_its_time(
    wc_store: Store, shop: FakeWordPress
) -> None:
    ids = catalog(shop)
    Harness(shop).run(wc_store)
    assert status_of(wc_store, ext(ids["broken"])) == ("answered", T0 + 3 * H)
    assert status_of(wc_store, ext(ids["great"])) == ("open", None)


def test_front_end_staff_reply_is_told_apart_from_reviews_with_the_application_password(
    shop: FakeWordPress,
) -> None:
    ids = catalog(shop)
    staff = shop.add_comment(ids["bag"], "¡Gracias! Hay talla grande.", T0 + 5 * H, author=5, parent=ids["ok"],
                             type="review")  # fmt: skip
    reply = by_id(Harness(shop, staff_user_ids="5").items())[staff]
    assert (reply.kind, reply.is_own, reply.parent_external_id) == ("reply", True, ext(ids["ok"]))
    before = len(shop.rest_calls("/wp/v2/comments"))
    anonymous = by_id(Harness(shop, wp_password=False, staff_user_ids="5").items())
    assert (anonymous[staff].kind, anonymous[staff].rating) == ("review", None)  # the documented limitation
    assert (
        anonymous[ids["shop_reply"]].is_own is False
    )  # no users/me without the password: name it in staff ids
    assert {r.query["type"] for r in shop.rest_calls("/wp/v2/comments")[before:]} == {"comment"}


def test_replies_are_looked_up_once_per_page_of_reviews(shop: FakeWordPress) -> None:
    ids = catalog(shop)
    Harness(shop).items()
    views, admin = shop.rest_calls("/wp/v2/comments")
    assert (views.query["type"], views.query["include"]) == (
        "review", ",".join(str(ids[k]) for k in ("great", "broken", "ok", "customer_reply")))  # fmt: skip
    assert (admin.query["type"], admin.query["post"]) == ("comment", f"{ids['boots']},{ids['bag']}")
    assert admin.query["parent"] == f"{ids['great']},{ids['broken']},{ids['ok']}"


@pytest.mark.parametrize("in_query", [False, True])
def test_keys_go_as_basic_auth_or_query_parameters_and_are_never_logged(
    shop: FakeWordPress, caplog: pytest.LogCaptureFixture, in_query: bool
) -> None:
    catalog(shop)
    with caplog.at_level(logging.DEBUG, logger="collectors"):
        assert len(Harness(shop, auth_in_query=in_query).items()) == 5
    listed = shop.rest_calls("/wc/v3/products/reviews")[0]
    assert ("consumer_secret" in listed.query) is in_query
    assert listed.headers.get("Authorization", "").startswith("Basic ") is not in_query
    assert caplog.records and not any(shop.consumer_secret in r.getMessage() for r in caplog.records)


def test_wrong_keys_are_an_auth_error_naming_the_keys(shop: FakeWordPress) -> None:
    catalog(shop)
    with pytest.raises(AuthError, match="consumer_key") as raised:
        Harness(shop, secret="cs_wrong_wrong_wrong").items()
    assert "cs_wrong" not in str(raised.value)


def test_older_woocommerce_without_product_names_reads_each_product_once(shop: FakeWordPress) -> None:
    ids = catalog(shop)
    shop.legacy_reviews = True
    found = by_id(Harness(shop).items())
    assert (
        found[ids["great"]].object_title == "Botas Luna & Sol"
        and found[ids["ok"]].object_title == "Bolso de lona"
    )
    assert found[ids["great"]].url == f"{SITE}/producto/botas-luna-sol/"
    assert len(shop.server.calls("GET", "/wp-json/wc/v3/products/[0-9]+")) == 2


def test_second_run_on_the_same_responses_changes_nothing(wc_store: Store, shop: FakeWordPress) -> None:
    catalog(shop)
    harness = Harness(shop)
    first, second = harness.run(wc_store), harness.run(wc_store)
    assert (first.status, first.new) == ("ok", 5)
    assert (second.status, second.new, second.updated) == ("ok", 0, 0)


def test_cursor_moves_forward_and_the_lag_window_catches_a_late_shop_reply(
    wc_store: Store, shop: FakeWordPress
) -> None:
    ids = catalog(shop)
    harness = Harness(shop, lag_minutes=600)
    harness.run(wc_store)
    assert wc_store.get_cursor(SOURCE) == {"after": (T0 + 4 * H).isoformat()}
    shop.add_review(ids["bag"], "Muy práctico", T0 + 6 * H, rating=5)
    shop.add_comment(ids["bag"], "¡Nos alegra!", T0 + 7 * H, author=shop.app_user, parent=ids["ok"])
    outcome = harness.run(wc_store)
    assert (
        outcome.new == 2
        and shop.rest_calls("/wc/v3/products/reviews")[-1].query["after"] == "2026-03-02T03:00:00Z"
    )
    assert wc_store.get_cursor(SOURCE) == {"after": (T0 + 6 * H).isoformat()}
    assert status_of(wc_store, ext(ids["ok"])) == ("answered", T0 + 7 * H)


def test_failure_on_page_three_keeps_what_was_saved_and_the_next_run_completes_it(
    wc_store: Store, shop: FakeWordPress
) -> None:
    ids = catalog(shop)
    for n in range(3):
        shop.add_review(ids["bag"], f"Reseña {n}", T0 + (5 + n) * H, rating=3)
    shop.fail_page("/wc/v3/products/reviews", 3, Response(503, raw=b"busy"), times=4)
    harness = Harness(shop, page_size=2)
    crashed = harness.run(wc_store)
    assert crashed.status == "failed" and crashed.new == 5  # 3 reviews, a front-end and a wp-admin reply
    assert wc_store.get_cursor(SOURCE) == {"after": (T0 + 4 * H).isoformat()}
    resumed = harness.run(wc_store)
    assert resumed.status == "ok" and item_count(wc_store) == (8, 8)


def test_unreadable_replies_do_not_stop_the_reviews(
    shop: FakeWordPress, caplog: pytest.LogCaptureFixture
) -> None:
    ids = catalog(shop)
    shop.fail_page("/wp/v2/comments", 1, wp_error("rest_forbidden", "Sorry, you are not allowed to do that.", 403),
                   times=2)  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="collectors.woocommerce"):
        found = by_id(Harness(shop).items())
    assert {ids["great"], ids["broken"], ids["ok"], ids["customer_reply"]} == set(found)
    assert any("not readable" in r.getMessage() for r in caplog.records)


# -- replying ------------------------------------------------------------------------------------


def test_reply_is_posted_through_wordpress_comments_under_the_review(
    wc_store: Store, shop: FakeWordPress
) -> None:
    ids = catalog(shop)
    harness = Harness(shop)
    harness.run(wc_store)
    reply_id = wc_store.enqueue_reply(item_id(wc_store, ext(ids["ok"])), "Gracias, lo tendremos en cuenta.")
    assert publish_reply(wc_store, reply_id, lambda r: harness.publisher()) == "sent"
    posts = shop.rest_calls("/wp/v2/comments", "POST")
    assert len(posts) == 1 and posts[0].json() == {"post": ids["bag"], "parent": ids["ok"],
                                                   "content": "Gracias, lo tendremos en cuenta."}  # fmt: skip
    assert wc_store.reply_rows()[0]["platform_reply_id"] == ext(max(shop.comments))


def test_timeout_after_the_reply_was_posted_is_uncertain_then_collection_confirms_it(
    wc_store: Store, shop: FakeWordPress
) -> None:
    ids = catalog(shop)
    Harness(shop).run(wc_store)
    reply_id = wc_store.enqueue_reply(item_id(wc_store, ext(ids["ok"])), "Te escribimos por correo.")
    shop.server.fail_next("/wp-json/wp/v2/comments", Response(201, body={}, delay=0.6), after_handler=True)
    slow = Harness(shop, timeout_seconds=0.2)
    assert publish_reply(wc_store, reply_id, lambda r: slow.publisher()) == "uncertain"
    Harness(shop).run(wc_store)
    created = [c for c in shop.comments.values() if c.parent == ids["ok"]]
    row = wc_store.reply_rows()[0]
    assert len(shop.rest_calls("/wp/v2/comments", "POST")) == 1 and len(created) == 1
    assert (row["status"], row["platform_reply_id"]) == ("sent", ext(created[0].id))
    assert status_of(wc_store, ext(ids["ok"]))[0] == "answered"


@pytest.mark.parametrize(
    "refusal",
    [wp_error("rest_cannot_create", "Sorry, you are not allowed to create comments on this product.", 403),
     wp_error("rest_comment_login_required", "Sorry, you must be logged in to comment.", 401),
     wp_error("rest_comment_invalid_type", "Invalid comment type for products.", 400)],
)  # fmt: skip
def test_site_refusing_replies_on_products_leaves_the_review_open_with_reason_and_link(
    wc_store: Store, shop: FakeWordPress, refusal: Response
) -> None:
    ids = catalog(shop)
    harness = Harness(shop)
    harness.run(wc_store)
    shop.refuse_replies = refusal
    reply_id = wc_store.enqueue_reply(item_id(wc_store, ext(ids["ok"])), "Gracias")
    assert publish_reply(wc_store, reply_id, lambda r: harness.publisher()) == "failed"
    error = wc_store.reply_rows()[0]["error"]
    assert refusal.body["code"] in error and "refused the reply" in error
    assert f"{SITE}/producto/bolso-de-lona/#comment-{ids['ok']}" in error
    assert status_of(wc_store, ext(ids["ok"])) == ("open", None)


def test_without_an_application_password_the_reply_is_left_to_a_person_with_the_link(
    wc_store: Store, shop: FakeWordPress
) -> None:
    ids = catalog(shop)
    Harness(shop).run(wc_store)
    reply_id = wc_store.enqueue_reply(item_id(wc_store, ext(ids["ok"])), "Gracias")
    no_password = Harness(shop, wp_password=False)
    assert publish_reply(wc_store, reply_id, lambda r: no_password.publisher()) == "failed"
    error = wc_store.reply_rows()[0]["error"]
    assert "app_password" in error and f"#comment-{ids['ok']}" in error
    assert not shop.rest_calls("/wp/v2/comments", "POST")
