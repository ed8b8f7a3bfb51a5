"""Every platform normalizer, fed arbitrary JSON or a payload of the platform's shape with random field values,
returns storable Items or nothing (skipped and logged) — or raises one of the product's own errors. Never an
AttributeError, TypeError, KeyError, OverflowError... that would escape the page and sink the run."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors import context_for
from collectors import youtube as yt
from collectors import youtube_normalize as yn
from collectors.facebook import FacebookCollector, parse_post
from collectors.google_reviews import GoogleReviewsCollector
from collectors.instagram import InstagramCollector, parse_media
from collectors.trustpilot import TrustpilotCollector
from collectors.woocommerce import WooCommerceCollector
from collectors.wordpress import PostInfo, Staff, WordPressSite, comment_item
from collectors.x_normalize import page_items, snowflake_time, tweet_item, users_by_id
from social_listen.errors import SocialListenError
from social_listen.model import Item
from tests.conftest import make_config
from tests.strategies import PROPERTY, assert_storable, key_names, payloads

pytestmark = pytest.mark.usefixtures("quiet_collector_logs")  # thousands of skipped payloads are logged

FETCHED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
OWN_CHANNEL = "UCluna0000000000000000AA"
PAGE_ID, IG_ID, BRAND_X = "104729112345678", "17841400000000001", "1500000000000000001"
SITE = "https://blog.tiendaluna.example"

# -- valid shapes, as the platforms document them (and the fakes in tests/fakes render them) ------------

YT_REPLY = {
    "kind": "youtube#comment", "etag": "e1", "id": "UgzThread01.AbCdReply01",
    "snippet": {"authorDisplayName": "Ana Ruiz", "authorChannelUrl": "http://www.youtube.com/channel/UCana",
                "authorChannelId": {"value": "UCana"}, "channelId": OWN_CHANNEL, "videoId": "vid0000001",
                "textDisplay": "¿Cuándo llega?", "textOriginal": "¿Cuándo llega?", "parentId": "UgzThread01",
                "canRate": True, "viewerRating": "none", "likeCount": 3,
                "publishedAt": "2026-03-02T09:00:00Z", "updatedAt": "2026-03-02T09:05:00Z"},
}  # fmt: skip
YT_TOP = {
    **YT_REPLY,
    "id": "UgzThread01",
    "snippet": {k: v for k, v in YT_REPLY["snippet"].items() if k != "parentId"},
}
YT_THREAD = {
    "kind": "youtube#commentThread", "etag": "e0", "id": "UgzThread01",
    "snippet": {"channelId": OWN_CHANNEL, "videoId": "vid0000001", "topLevelComment": YT_TOP,
                "canReply": True, "totalReplyCount": 1, "isPublic": True},
    "replies": {"comments": [YT_REPLY]},
}  # fmt: skip
YT_VIDEO = {"id": "vid0000001", "snippet": {"title": "Colección"}, "statistics": {"commentCount": "12"}}
YT_CHANNELS = {"items": [{"id": OWN_CHANNEL, "contentDetails": {"relatedPlaylists": {"uploads": "UUluna"}}}]}
YT_PLAYLIST_ENTRY = {
    "snippet": {"resourceId": {"videoId": "vid0000001"}},
    "contentDetails": {"videoId": "vid0000001"},
}

X_USER = {
    "id": "2244994945",
    "name": "Ana Ruiz",
    "username": "anaruiz",
    "public_metrics": {"followers_count": 120},
}
X_TWEET = {
    "id": "1899000000000000001", "text": "@tiendaluna ¿y mi pedido?", "author_id": "2244994945",
    "conversation_id": "1899000000000000001", "created_at": "2026-03-02T09:00:00.000Z", "reply_settings": "everyone",
    "referenced_tweets": [{"type": "replied_to", "id": "1898000000000000001"}],
    "public_metrics": {"like_count": 2, "reply_count": 0},
}  # fmt: skip
X_BODY = {"data": [X_TWEET, {**X_TWEET, "id": "1899000000000000002", "author_id": BRAND_X}],
          "includes": {"users": [X_USER]}, "meta": {"newest_id": "1899000000000000002", "result_count": 2}}  # fmt: skip

FB_POST = {
    "id": f"{PAGE_ID}_900000000000001", "message": "Nueva colección", "created_time": "2026-03-01T09:00:00+0000",
    "updated_time": "2026-03-01T10:00:00+0000", "permalink_url": "https://www.facebook.com/1047/posts/9001",
    "from": {"id": "5550001", "name": "Ana Ruiz"}, "comments": {"data": [], "summary": {"total_count": 3}},
}  # fmt: skip
FB_COMMENT = {
    "id": "900000000000001_900000000000002", "from": {"id": "5550001", "name": "Ana Ruiz"},
    "message": "¿Hay talla M?", "created_time": "2026-03-02T09:00:00+0000", "like_count": 1, "comment_count": 0,
    "permalink_url": "https://www.facebook.com/1047/posts/9001?comment_id=9002",
    "parent": {"id": "900000000000001_900000000000003"}, "can_comment": True, "is_hidden": False,
    "attachment": {"type": "sticker"},
}  # fmt: skip

IG_MEDIA = {"id": "17900000000000001", "caption": "Invierno", "permalink": "https://www.instagram.com/p/Abc/",
            "timestamp": "2026-03-01T09:00:00+0000", "comments_count": 2, "like_count": 9, "media_type": "IMAGE",
            "media_product_type": "FEED"}  # fmt: skip
IG_REPLY = {
    "id": "18000000000000002", "text": "¿Envío a Canarias?", "timestamp": "2026-03-02T09:00:00+0000",
    "username": "ana.ruiz", "from": {"id": "17841411111111111", "username": "ana.ruiz"}, "like_count": 0,
    "hidden": False, "parent_id": "18000000000000001",
    "media": {"id": "17900000000000001", "media_product_type": "FEED", "permalink": "https://www.instagram.com/p/Abc/"},
}  # fmt: skip
IG_COMMENT = {**{k: v for k, v in IG_REPLY.items() if k != "parent_id"}, "id": "18000000000000001",
              "replies": {"data": [IG_REPLY], "paging": {"cursors": {"after": "QVFI"}, "next": "https://graph/x"}}}  # fmt: skip
IG_TAG = {"id": "17900000000000009", "caption": "@tiendaluna ❤", "permalink": "https://www.instagram.com/p/Xyz/",
          "timestamp": "2026-03-02T09:00:00+0000", "username": "fan.de.luna", "media_type": "IMAGE"}  # fmt: skip

GBP_REVIEW = {
    "name": "accounts/1/locations/2/reviews/AbFvOqm0001xYz", "reviewId": "AbFvOqm0001xYz",
    "reviewer": {"displayName": "Ana Ruiz", "isAnonymous": False, "profilePhotoUrl": "https://lh3.example/a=s120"},
    "starRating": "FOUR", "comment": "Muy bien (Translated by Google) Very good", "createTime": "2026-03-02T09:00:00.123Z",
    "updateTime": "2026-03-02T10:00:00.456Z", "reviewReply": {"comment": "¡Gracias!", "updateTime": "2026-03-03T09:00:00Z"},
}  # fmt: skip
TP_REVIEW = {
    "id": "65e2f1a0b1c2d3e4f5a6b7c8", "stars": 2, "title": "Tarde", "text": "El pedido llegó tarde.",
    "language": "es", "createdAt": "2026-03-02T09:00:00.000Z", "updatedAt": "2026-03-02T09:30:00Z",
    "consumer": {"id": "5f1e2d3c4b5a697887766554", "displayName": "Ana Ruiz"},
    "companyReply": {"text": "Lo sentimos", "createdAt": "2026-03-03T09:00:00Z", "updatedAt": None},
}  # fmt: skip
WP_COMMENT = {
    "id": 41, "post": 7, "parent": 40, "author": 0, "author_name": "Ana Ruiz", "author_url": "https://ana.example",
    "date": "2026-03-02T10:00:00", "date_gmt": "2026-03-02T09:00:00", "content": {"rendered": "<p>¿Y en azul?</p>"},
    "link": f"{SITE}/2026/03/abrigo/#comment-41", "status": "approved", "type": "comment",
    "_links": {"up": [{"embeddable": True, "post_type": "post", "href": f"{SITE}/wp-json/wp/v2/posts/7"}]},
}  # fmt: skip
WOO_REVIEW = {
    "id": 52, "date_created": "2026-03-02T10:00:00", "date_created_gmt": "2026-03-02T09:00:00", "product_id": 9,
    "product_name": "Abrigo <b>azul</b>", "product_permalink": "https://tiendaluna.example/producto/abrigo/",
    "status": "approved", "reviewer": "Luis Pérez", "reviewer_email": "luis@example.com",
    "review": "<p>Precioso</p>", "rating": 5, "verified": True,
}  # fmt: skip


# -- the normalizers under test, built like the collectors build them (no network is used) -------------


def _context(platform: str, target: str, **credentials: str) -> Any:
    source = {"name": "prop", "brand": "Tienda Luna", "platform": platform, "target": target,
              "base_url": "http://127.0.0.1:9", "credentials": credentials}  # fmt: skip
    config = make_config(sources=[source])
    return context_for(config, config.source("prop"))


class NoNetwork:
    """Stands in for the HTTP clients: what a collector would fetch besides the payload under test."""

    calls = 0

    def __init__(self, body: Any) -> None:
        self.body = body

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        yield {"data": copy.deepcopy(self.body)}

    def get(self, *args: Any, **kwargs: Any) -> tuple[Any, dict[str, str]]:
        return copy.deepcopy(self.body), {}


FACEBOOK = FacebookCollector(_context("facebook", PAGE_ID, page_token="t"), NoNetwork(None))  # type: ignore[arg-type]
INSTAGRAM = InstagramCollector(_context("instagram", IG_ID, page_token="t"), NoNetwork([IG_REPLY]))  # type: ignore[arg-type]
GOOGLE = GoogleReviewsCollector(_context("google_reviews", "accounts/1/locations/2"), api=None)  # type: ignore[arg-type]
TRUSTPILOT = TrustpilotCollector(_context("trustpilot", "unit-1", access_token="t"), client=None)  # type: ignore[arg-type]
WP_SITE = WordPressSite(client=None, site_url=SITE)  # type: ignore[arg-type]
STAFF = Staff(frozenset({1}))
WP_POST = PostInfo(7, author=1, title="Abrigo", link=f"{SITE}/2026/03/abrigo/")
WOO = WooCommerceCollector(_context("woocommerce", SITE, consumer_key="ck", consumer_secret="cs"), WP_SITE)
WOO_SHOP = NoNetwork({"id": 9, "name": "Abrigo", "permalink": "https://tiendaluna.example/producto/abrigo/"})
FB_VISITOR_POST = parse_post(FB_POST)
IG_ONE_MEDIA = parse_media(IG_MEDIA)
YT_CONTEXT = yn.ThreadContext("UgzThread01", "vid0000001")


def _facebook_post(raw: Any) -> list[Item]:
    post = parse_post(raw)
    return [FACEBOOK.post_item(post)] if post is not None and post.is_visitor_post(PAGE_ID) else []


def _instagram_media(raw: Any) -> list[Item | None]:
    """A media entry, and a comment and a thread on it (they inherit its caption, link and product type)."""
    media = parse_media(raw)
    if media is None:
        return []
    return [*INSTAGRAM.thread_items(IG_COMMENT, media), INSTAGRAM.comment_item(IG_REPLY, media, None)]


def _woo_reply_view(raw: Any) -> list[Item]:
    review = WOO.review_item(WOO_REVIEW, WOO_SHOP)  # type: ignore[arg-type]
    assert review is not None
    return [WOO._as_reply(review, raw if isinstance(raw, dict) else None, STAFF)]


def _youtube_helpers(raw: Any) -> list[Item]:
    """The raw-reading helpers the YouTube collector calls on whole answers and threads."""
    if isinstance(raw, dict):
        yn.thread_context(raw)
        yn.total_replies(raw)
        yn.inline_replies(raw)
    yn.top_level_time(raw)
    yn.playlist_video_id(raw)
    yn.uploads_playlist(raw)
    info = yt._video_info(raw)
    assert info.comment_count is None or type(info.comment_count) is int
    assert info.title is None or isinstance(info.title, str)
    return []


def _x_snowflake(raw: Any) -> list[Item]:
    found = snowflake_time(str(raw))
    assert found is None or found.tzinfo is not None
    return []


# name -> (valid shape, the normalizer: payload -> Items)
NORMALIZERS: dict[str, tuple[Any, Callable[[Any], list[Item | None]]]] = {
    "youtube thread": (YT_THREAD, lambda raw: yn.thread_items(raw, OWN_CHANNEL, FETCHED)),
    "youtube replies page": ([YT_REPLY], lambda raw: yn.reply_items(raw, YT_CONTEXT, OWN_CHANNEL, FETCHED)),
    "youtube comment": (YT_REPLY, lambda raw: [yn.comment_item(raw, YT_CONTEXT, OWN_CHANNEL, FETCHED)]),
    "youtube answers": (YT_VIDEO | YT_CHANNELS | YT_PLAYLIST_ENTRY | YT_THREAD, _youtube_helpers),
    "x post": (X_TWEET, lambda raw: [tweet_item(raw, users_by_id(X_BODY), BRAND_X, FETCHED)]),
    "x page": (X_BODY, lambda raw: page_items(raw, BRAND_X, FETCHED) if isinstance(raw, dict) else []),
    "x snowflake": (X_TWEET["id"], _x_snowflake),
    "facebook post": (FB_POST, _facebook_post),
    "facebook comment": (FB_COMMENT, lambda raw: [FACEBOOK.comment_item(raw, FB_VISITOR_POST)]),  # type: ignore[arg-type]
    "instagram media": (IG_MEDIA, _instagram_media),
    "instagram comment with replies": (IG_COMMENT, lambda raw: INSTAGRAM.thread_items(raw, IG_ONE_MEDIA)),  # type: ignore[arg-type]
    "instagram reply": (IG_REPLY, lambda raw: [INSTAGRAM.comment_item(raw, IG_ONE_MEDIA, "18000000000000001")]),  # type: ignore[arg-type]
    "instagram mention": (IG_TAG, lambda raw: [INSTAGRAM.mention_item(raw)]),
    "google review": (GBP_REVIEW, GOOGLE.review_items),
    "trustpilot review": (TP_REVIEW, TRUSTPILOT.review_items),
    "wordpress comment": (WP_COMMENT, lambda raw: [comment_item(raw, WP_SITE, WP_POST, STAFF, fetched_at=FETCHED)]),
    "woocommerce review": (WOO_REVIEW, lambda raw: [WOO.review_item(raw, WOO_SHOP)]),  # type: ignore[arg-type]
    "woocommerce shop reply": (WP_COMMENT, _woo_reply_view),
}  # fmt: skip


def test_every_template_normalizes_to_storable_items() -> None:
    """The valid shapes are valid: each normalizer turns its template into at least one good Item."""
    for name, (template, normalize) in NORMALIZERS.items():
        if name in ("youtube answers", "x snowflake"):
            continue
        found = [i for i in normalize(copy.deepcopy(template)) if i is not None]
        assert found, f"{name}: the valid template gave no item"
        for item in found:
            assert_storable(item)


PAYLOADS = {name: payloads(template, key_names(template)) for name, (template, _) in NORMALIZERS.items()}


@pytest.mark.parametrize("name", sorted(NORMALIZERS))
@PROPERTY
@given(data=st.data())
def test_a_normalizer_returns_storable_items_or_nothing_or_a_product_error(
    name: str, data: st.DataObject
) -> None:
    raw = data.draw(PAYLOADS[name], label="payload")
    normalize = NORMALIZERS[name][1]
    try:
        found = normalize(raw)
    except SocialListenError:
        return  # a typed error: the collector reports it and the run says how it ended
    for item in found:
        if item is not None:
            assert_storable(item)
