"""WooCommerce product reviews: collect them with their rating, see the shop's replies, reply through WordPress.

platforms.md §6. Reviews come from ``/wc/v3/products/reviews`` (consumer key and secret), oldest first
after the newest ``date_created_gmt`` seen minus a lag window, so late shop replies to recent reviews
are caught. WooCommerce's own API has no ``parent`` and cannot create a reply (creating a review forces
``comment_parent = 0``), so the shop's replies are read from ``/wp/v2/comments?post=<products>&parent=
<reviews>`` and posted with ``POST /wp/v2/comments`` as a shop manager's Application Password user.
Replies written on the shop's front end are stored as reviews (``type = review``) and listed among them
without a parent; the Application Password lets us ask WordPress which of them are replies.
Docs: https://woocommerce.github.io/woocommerce-rest-api-docs/#product-reviews
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from collectors.base import RetryPolicy, SourceContext, text_or_none
from collectors.rest import html_text, iso_z, latest, time_or_none
from collectors.wordpress import (
    PER_PAGE,
    SITE_OPTIONS,
    PostInfo,
    Staff,
    WordPressSite,
    comment_item,
    reply_error,
    site_for,
    staff_of,
)
from social_listen.errors import PlatformError, ReplyNotAllowed
from social_listen.model import Author, Item, Page, PostedReply, ReplyRequest, utcnow

log = logging.getLogger(__name__)
PLATFORM = "woocommerce"
# The [sources.options] keys a woocommerce source understands (collectors.option_problems reports others).
OPTIONS = frozenset({"lag_minutes", "page_size", "backfill_days", "auth_in_query"}) | SITE_OPTIONS
REVIEWS = "/wc/v3/products/reviews"
PRODUCT_FIELDS = "id,name,permalink"


def review_link(raw: dict[str, Any]) -> str | None:
    """Where a review shows on the shop: ``product_permalink#comment-<id>`` (newer WooCommerce versions)."""
    permalink = text_or_none(raw.get("product_permalink"))
    return f"{permalink}#comment-{raw.get('id')}" if permalink else None


def rating_of(value: Any) -> float | None:
    """The review's stars (1-5); 0 means the shop does not ask for ratings."""
    try:
        stars = float(value)
    except (TypeError, ValueError):
        return None
    return stars if 1 <= stars <= 5 else None


class WooCommerceCollector:
    """Collects a shop's product reviews and the replies written under them."""

    def __init__(
        self, context: SourceContext, site: WordPressSite, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.context, self.site, self.clock = context, site, clock
        self.lag = timedelta(minutes=float(context.option("lag_minutes", 3 * 24 * 60)))
        self.page_size = min(PER_PAGE, int(context.option("page_size", PER_PAGE)))
        backfill = context.option("backfill_days")
        self.backfill = timedelta(days=float(backfill)) if backfill else None
        self._products: dict[int, PostInfo] = {}

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of reviews with their replies; each page's cursor is the newest listed date committed."""
        shop, staff = self.shop(), staff_of(self.context, self.site)
        mark = time_or_none((cursor or {}).get("after"))
        params: dict[str, Any] = {"orderby": "date_gmt", "order": "asc", "per_page": self.page_size}
        after = mark - self.lag if mark else (self.clock() - self.backfill if self.backfill else None)
        if after is not None:
            params["after"] = iso_z(after)
        for raws in shop.pages(REVIEWS, params):
            listed = [r for r in (self.review_item(raw, shop) for raw in raws) if r is not None]
            mark = latest(mark, (r.published_at for r in listed))
            found = self.front_end_replies(listed, staff)
            found += self.admin_replies([i for i in found if i.kind == "review"], staff)
            yield Page(
                found, {"after": mark.isoformat()} if mark else None, api_calls=self.site.client.take_calls()
            )

    def shop(self) -> WordPressSite:
        """The site as the WooCommerce API sees it: same REST root, consumer key and secret as auth."""
        self.site.root()
        key, secret = self.context.credential("consumer_key"), self.context.credential("consumer_secret")
        if self.context.option("auth_in_query", False):  # for hosts that drop the Authorization header
            return replace(self.site, auth=None, query={"consumer_key": key, "consumer_secret": secret})
        return replace(self.site, auth=(key, secret))

    def review_item(self, raw: Any, shop: WordPressSite) -> Item | None:
        """A review as an Item (kind review, with rating); None (logged) without an id or date."""
        published = time_or_none(raw.get("date_created_gmt")) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not raw.get("id") or published is None:
            log.warning("skipping a %s review without id or date_created_gmt", self.site.host)
            return None
        product = self.product(raw, shop)
        own_id, name = self.site.comment_id(raw["id"]), str(raw.get("reviewer") or "")
        return Item(
            platform=PLATFORM, external_id=own_id, text=html_text(str(raw.get("review") or "")),
            published_at=published, kind="review", author=Author(f"{self.site.host}:reviewer:{name}", name),
            thread_external_id=own_id, object_id=f"{self.site.host}/?p={product.id}", object_title=product.title,
            object_url=product.link, rating=rating_of(raw.get("rating")), url=review_link(raw) or product.link,
            raw=raw, fetched_at=self.clock(),
        )  # fmt: skip

    def product(self, raw: dict[str, Any], shop: WordPressSite) -> PostInfo:
        """The reviewed product; older WooCommerce versions send no name or link, so it is read once."""
        product_id = _product_id(raw)
        if raw.get("product_name"):
            title = html_text(str(raw["product_name"]))
            return PostInfo(product_id, title=title, link=text_or_none(raw.get("product_permalink")))
        if product_id not in self._products:
            self._products[product_id] = self._read_product(product_id, shop)
        return self._products[product_id]

    def _read_product(self, product_id: int, shop: WordPressSite) -> PostInfo:
        try:
            body, _ = shop.get(f"/wc/v3/products/{product_id}", {"_fields": PRODUCT_FIELDS}, dict)
        except PlatformError as exc:
            if exc.retryable:
                raise
            log.warning("%s: cannot read product %s (%s)", self.site.host, product_id, exc)
            return PostInfo(product_id)
        return PostInfo(
            product_id,
            title=html_text(str(body.get("name") or "")) or None,
            link=text_or_none(body.get("permalink")),
        )

    def front_end_replies(self, listed: list[Item], staff: Staff) -> list[Item]:
        """Replies written on the shop are stored as reviews and listed with them, without their parent;
        the WordPress view of the same comments (``type=review``, needs the Application Password) tells
        them apart. Without it they stay reviews without a rating."""
        if self.site.auth is None or not listed:
            return listed
        ids = ",".join(str(i.raw["id"]) for i in listed if i.raw)
        views = self._wp_comments({"include": ids, "type": "review", "per_page": PER_PAGE}, "shop replies")
        by_id = {str(v.get("id")): v for v in views if isinstance(v, dict)}
        return [self._as_reply(i, by_id.get(str((i.raw or {}).get("id"))), staff) for i in listed]

    def _as_reply(self, review: Item, view: dict[str, Any] | None, staff: Staff) -> Item:
        if not view or not _whole(view.get("parent")):
            return review
        post = PostInfo(_product_id(review.raw), title=review.object_title, link=review.object_url)
        return comment_item(view, self.site, post, staff, PLATFORM, self.clock()) or review

    def admin_replies(self, reviews: list[Item], staff: Staff) -> list[Item]:
        """Replies written in wp-admin (``type=comment``) under these reviews: ``/wp/v2/comments?post=&parent=``."""
        if not reviews:
            return []
        products = {_product_id(r.raw): PostInfo(_product_id(r.raw), title=r.object_title, link=r.object_url)
                    for r in reviews}  # fmt: skip
        params = {"post": ",".join(map(str, sorted(products))), "orderby": "date_gmt", "order": "asc",
                  "parent": ",".join(str((r.raw or {}).get("id")) for r in reviews), "type": "comment",
                  "per_page": PER_PAGE}  # fmt: skip
        found = []
        for raw in self._wp_comments(params, "replies"):
            post = products.get(_whole(raw.get("post"))) if isinstance(raw, dict) else None
            found.append(comment_item(raw, self.site, post, staff, PLATFORM, self.clock()))
        return [i for i in found if i is not None]

    def _wp_comments(self, params: dict[str, Any], what: str) -> list[Any]:
        """Every page of a ``/wp/v2/comments`` query; a site that refuses it is logged, not fatal."""
        found: list[Any] = []
        try:
            for raws in self.site.pages("/wp/v2/comments", params):
                found += raws
        except PlatformError as exc:
            if exc.retryable:
                raise
            log.warning(
                "%s: %s are not readable (%s); the reviews are still collected", self.site.host, what, exc
            )
        return found


def _product_id(raw: dict[str, Any] | None) -> int:
    return _whole((raw or {}).get("product_id"))


def _whole(value: Any) -> int:
    """An id such as ``product_id`` or ``parent``; 0 when absent or not a number."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


class WooCommercePublisher:
    """Posts a reply under a review through ``/wp/v2/comments``; a refusing site leaves it to a person."""

    refusals = frozenset({400, 401, 403})

    def __init__(self, site: WordPressSite) -> None:
        self.site = site

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """``POST /wp/v2/comments {post: product, parent: review, content}``; never retried on a timeout."""
        raw = reply.item_raw or {}
        product, parent = int(raw.get("product_id") or raw.get("post") or 0), int(raw.get("id") or 0)
        link = review_link(raw) or raw.get("link")
        if self.site.auth is None:
            raise ReplyNotAllowed(
                "WooCommerce's API cannot post replies; set credentials.username and credentials.app_password "
                f"(a shop manager's Application Password) to reply through WordPress, or answer on the shop: {link}",
                url=link,
            )
        if not product or not parent:
            raise PlatformError(
                f"reply {reply.reply_id}: the item has no WooCommerce review payload (product_id, id)"
            )
        created = self.site.create_comment(product, parent, reply.text,
                                           lambda r: reply_error(r, link, self.refusals, PLATFORM))  # fmt: skip
        return PostedReply(self.site.comment_id(created["id"]), url=created.get("link"),
                           posted_at=time_or_none(created.get("date_gmt")))  # fmt: skip


def create(context: SourceContext, retry: RetryPolicy | None = None) -> WooCommerceCollector:
    """The collector for a ``woocommerce`` source (target = the shop URL; consumer_key, consumer_secret)."""
    return WooCommerceCollector(context, site_for(context, retry, PLATFORM))


def create_publisher(context: SourceContext) -> WooCommercePublisher:
    """The publisher; replies need a WordPress Application Password (``username``, ``app_password``)."""
    return WooCommercePublisher(site_for(context, platform=PLATFORM))


__all__ = ["WooCommerceCollector", "WooCommercePublisher", "create", "create_publisher"]
