"""The Graph normalizers against real recorded responses (../shared/fixtures/graph, from python-facebook).

The recorded Facebook comments were fetched with Page Public Content Access, so they carry no ``id`` and
no ``from`` (platforms.md §2): the collector must skip them with a warning, and parse everything else.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from collectors import context_for
from collectors.facebook import FacebookCollector, FacebookPublisher, parse_post
from collectors.graph import GraphClient, Usage, graph_error, next_params
from collectors.instagram import InstagramCollector, Media, parse_media
from social_listen.errors import PlatformError
from social_listen.model import Item, ReplyRequest
from tests.conftest import make_config

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "graph"
pytestmark = pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason=f"recorded Graph responses not found at {FIXTURES} (shared/ beside the repo)",
)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def collector(kind: type, platform: str, target: str) -> Any:
    source = {"name": "rec", "brand": "Tienda Luna", "platform": platform, "target": target,
              "base_url": "http://127.0.0.1:9", "credentials": {"page_token": "unused"}}  # fmt: skip
    config = make_config(sources=[source])
    return kind(context_for(config, config.source("rec")), GraphClient("http://127.0.0.1:9", "unused"))


def assert_valid(item: Item) -> None:
    assert item.external_id and isinstance(item.text, str)
    assert item.published_at.tzinfo is not None and item.published_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_recorded_feed_posts_parse_with_their_comment_counts() -> None:
    posts = [parse_post(p) for p in fixture("facebook__apidata__posts__feeds_default_fields_p1")["data"]]
    assert all(posts) and len(posts) == 5
    first = posts[0]
    assert first and first.comment_count == 13 and first.permalink and first.updated and first.message
    assert not first.is_visitor_post("19292868552")  # no `from` recorded: treated as the Page's own post


def test_recorded_comments_without_id_are_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    fb = collector(FacebookCollector, "facebook", "19292868552")
    post = parse_post(fixture("facebook__apidata__posts__feeds_default_fields_p1")["data"][0])
    page = fixture("facebook__apidata__comments__comments_p1")
    with caplog.at_level(logging.WARNING, logger="collectors.facebook"):
        found = [fb.comment_item(raw, post) for raw in page["data"]]
    assert found == [None] * len(page["data"]) and len(caplog.records) == len(page["data"])
    assert page["summary"]["total_count"] == 18


@pytest.mark.parametrize(
    "name", ["facebook__apidata__comments__comments_p1", "facebook__apidata__comments__comments_p2"]
)
def test_recorded_comments_normalize_once_a_page_token_adds_ids(name: str) -> None:
    fb = collector(FacebookCollector, "facebook", "19292868552")
    post = parse_post(fixture("facebook__apidata__posts__feeds_default_fields_p1")["data"][0])
    for number, raw in enumerate(fixture(name)["data"]):
        item = fb.comment_item({**raw, "id": f"10158407654328553_{number}"}, post)
        assert item is not None
        assert_valid(item)
        assert item.text == raw["message"].strip() and item.url == raw["permalink_url"] and not item.is_own


def test_recorded_single_comment_normalizes() -> None:
    fb = collector(FacebookCollector, "facebook", "19292868552")
    post = parse_post(fixture("facebook__apidata__posts__feeds_default_fields_p1")["data"][0])
    item = fb.comment_item(fixture("facebook__apidata__comments__comment_info"), post)
    assert (
        item
        and item.external_id == "10158371815748553_10158371930463553"
        and item.text == "This is really nice"
    )


def test_recorded_paging_shapes() -> None:
    assert next_params(fixture("facebook__apidata__comments__comments_p1")["paging"]) == {"after": "after"}
    assert next_params(fixture("facebook__apidata__comments__comments_p2")["paging"]) is None
    assert next_params(fixture("facebook__apidata__posts__feed_fields_p1")["paging"]) == {
        "until": "1624385168",
        "__paging_token": "__paging_token",
    }
    assert next_params(fixture("facebook__apidata__posts__feed_fields_p2")["paging"]) is None
    assert next_params(fixture("instagram__apidata__users__medias_p1")["paging"]) == {"after": "after"}
    assert next_params(fixture("instagram__apidata__medias__comments_p2").get("paging")) is None


def test_recorded_create_response_becomes_a_posted_reply() -> None:
    class RecordedClient:
        def post(self, path: str, data: dict[str, Any], idempotent: bool = False) -> dict[str, Any]:
            return dict(fixture("facebook__apidata__comments__create_resp"))

    request = ReplyRequest(1, "rec", "facebook", "245778718206154_1", None, None, "Message from api")
    posted = FacebookPublisher(RecordedClient()).publish(request)  # type: ignore[arg-type]
    assert posted.platform_reply_id == "245778718206154_229887283291835"
    assert posted.url and posted.posted_at and posted.posted_at.isoformat() == "2023-07-14T10:45:55+00:00"


@pytest.mark.parametrize("name", ["error", "base__error_data"])
def test_recorded_error_bodies_map_to_a_clear_platform_error(name: str) -> None:
    request = httpx.Request("GET", "https://graph.facebook.com/v26.0/19292868552/feed?access_token=SECRET")
    error = graph_error(httpx.Response(400, json=fixture(name), request=request))
    assert type(error) is PlatformError and "Graph API error 100" in str(error) and "SECRET" not in str(error)


def test_recorded_instagram_media_and_comments_normalize() -> None:
    ig = collector(InstagramCollector, "instagram", "17841406338772941")
    media = [
        parse_media(m)
        for name in ("p1", "p2")
        for m in fixture(f"instagram__apidata__users__medias_{name}")["data"]
    ]
    assert all(media) and media[1] and media[1].comments_count == 6 and media[1].permalink
    target: Media = media[1]  # type: ignore[assignment]
    pages = ("instagram__apidata__medias__comments_p1", "instagram__apidata__medias__comments_p2")
    items = [ig.comment_item(raw, target, parent=None) for name in pages for raw in fixture(name)["data"]]
    for item in items:
        assert item is not None
        assert_valid(item)
        assert item.reply_deadline_at and item.kind == "comment" and item.object_url == target.permalink
    reply = ig.comment_item(
        fixture("instagram__apidata__comments__replies")["data"][0], target, parent="17858154961981086"
    )
    assert reply and reply.kind == "reply" and reply.thread_external_id == "17858154961981086"


def test_recorded_instagram_comment_fields_give_the_author_and_own_replies() -> None:
    ig = collector(InstagramCollector, "instagram", "17841406338772941")
    media = parse_media(fixture("instagram__apidata__users__medias_p1")["data"][0])
    item = ig.comment_item(fixture("instagram__apidata__comments__comment_fields"), media, parent=None)
    assert item and item.author and item.author.handle == "ikroskun" and item.like_count == 1
    ig.username = "ikroskun"  # the recorded account commented on its own media
    assert ig.comment_item(fixture("instagram__apidata__comments__comment_fields"), media, parent=None).is_own  # type: ignore[union-attr]


def test_recorded_mentioned_media_becomes_a_mention() -> None:
    ig = collector(InstagramCollector, "instagram", "17841406338772941")
    item = ig.mention_item(fixture("instagram__apidata__users__mentioned_media")["mentioned_media"])
    assert item and item.kind == "mention" and item.text == "@ikroskun hey" and not item.can_reply
    assert_valid(item)


def test_usage_headers_in_the_documented_shape_are_read() -> None:
    headers = httpx.Headers({
        "X-App-Usage": '{"call_count":28,"total_time":25,"total_cputime":25}',
        "X-Business-Use-Case-Usage": '{"19292868552":[{"type":"pages","call_count":96,"total_cputime":4,'
                                     '"total_time":5,"estimated_time_to_regain_access":0}]}',
    })  # fmt: skip
    assert Usage.from_headers(headers) == Usage(96.0, 0.0)
    assert Usage.from_headers(httpx.Headers({"X-App-Usage": "not json"})) == Usage(0.0, 0.0)
