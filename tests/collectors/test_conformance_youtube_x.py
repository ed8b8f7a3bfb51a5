"""The YouTube and X normalizers read real recorded platform responses (../shared/fixtures, see SOURCES.md)
and extract every comment, reply, author and time they contain."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httplib2
import pytest
from googleapiclient.errors import HttpError

from collectors.base import AuthError, retry_after_seconds
from collectors.x_api import XApi
from collectors.x_normalize import page_items, snowflake_time, tweet_item
from collectors.youtube_api import map_http_error
from collectors.youtube_normalize import (
    ThreadContext,
    comment_item,
    inline_replies,
    playlist_video_id,
    reply_items,
    thread_items,
    total_replies,
)
from social_listen.model import parse_time

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
YOUTUBE, X = FIXTURES / "youtube", FIXTURES / "x"
pytestmark = pytest.mark.skipif(
    not YOUTUBE.is_dir() or not X.is_dir(),
    reason=f"recorded platform responses not found at {FIXTURES.resolve()} (CI has them; see SOURCES.md)",
)
# The channel of comment_threads_all_to_me and of both insert answers.
OWN_CHANNEL = "UCa-vrCLQHviTOVnEKDOdetQ"


def load(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


THREAD_FILES = (
    sorted(p.name for p in YOUTUBE.glob("apidata__comment_threads__comment_thread*.json"))
    if YOUTUBE.is_dir()
    else []
)


@pytest.mark.parametrize("name", THREAD_FILES)
def test_every_thread_comment_and_inline_reply_is_extracted(name: str) -> None:
    threads = load(YOUTUBE, name)["items"]
    found = [item for thread in threads for item in thread_items(thread, OWN_CHANNEL)]
    expected = [t["snippet"]["topLevelComment"] for t in threads] + [
        r for t in threads for r in inline_replies(t)
    ]
    assert len(found) == len(expected) > 0
    for item, comment in zip(sorted(found, key=lambda i: i.external_id), sorted(expected, key=lambda c: c["id"]),
                             strict=True):  # fmt: skip
        snippet = comment["snippet"]
        assert item.external_id == comment["id"] and item.text == snippet["textDisplay"]
        assert item.published_at == parse_time(snippet["publishedAt"]) and item.published_at.tzinfo == UTC
        assert item.author is not None and item.author.external_id == snippet["authorChannelId"]["value"]
        assert item.author.name == snippet["authorDisplayName"] and item.kind == "comment"
        video = snippet.get("videoId")
        assert item.url == (f"https://www.youtube.com/watch?v={video}&lc={comment['id']}" if video else None)


def test_channel_threads_are_from_other_people_and_truncated_replies_are_noticed() -> None:
    threads = load(YOUTUBE, "apidata__comment_threads__comment_threads_all_to_me.json")["items"]
    assert not any(i.is_own for t in threads for i in thread_items(t, OWN_CHANNEL))
    missing = [t["id"] for t in threads if total_replies(t) > len(inline_replies(t))]
    assert missing == ["UgwSRpgkjCe6OHHe3IJ4AaABAg"]  # 1 reply that only comments.list(parentId) returns


def test_paged_replies_by_parent_are_extracted_with_parent_and_thread() -> None:
    context = ThreadContext("Ugw5zYU6n9pmIgAZWvN4AaABAg", "JE8xdDp5B8Q")
    pages = [load(YOUTUBE, f"apidata__comments__comments_by_parent_paged_{n}.json") for n in (1, 2)]
    assert "nextPageToken" in pages[0] and "nextPageToken" not in pages[1]
    found = [i for page in pages for i in reply_items(page["items"], context, OWN_CHANNEL)]
    assert [i.text for i in found] == [
        "this is the third reply!",
        "this is the second reply!",
        "hey, this is the replay",
    ]
    for item in found:
        assert (item.kind, item.parent_external_id, item.thread_external_id) == ("reply", context.thread_id,
                                                                                context.thread_id)  # fmt: skip
        assert item.author.external_id == "UCNvMBmCASzTNNX8lW3JRMbw" and item.published_at.year == 2019
        assert item.url == f"https://www.youtube.com/watch?v=JE8xdDp5B8Q&lc={item.external_id}"


@pytest.mark.parametrize(
    "name", ["apidata__comments__comments_multi.json", "apidata__comments__comments_single.json"]
)
def test_comments_by_id_are_top_level_comments(name: str) -> None:
    comments = load(YOUTUBE, name)["items"]
    found = [comment_item(c, ThreadContext(c["id"], None), OWN_CHANNEL) for c in comments]
    assert [i.external_id for i in found if i] == [c["id"] for c in comments]
    assert all(i and i.kind == "comment" and i.parent_external_id is None for i in found)


def test_the_reply_youtube_returns_after_insert_is_an_owner_reply() -> None:
    created = load(YOUTUBE, "apidata__comments__insert_response.json")
    parent = created["snippet"]["parentId"]
    item = comment_item(created, ThreadContext(parent, None), OWN_CHANNEL)
    assert item is not None and (item.is_own, item.kind, item.parent_external_id) == (True, "reply", parent)
    assert item.published_at == datetime(2022, 11, 14, 10, 23, 2, tzinfo=UTC)


def test_a_top_level_comment_by_the_channel_is_its_own() -> None:
    thread = load(YOUTUBE, "apidata__comment_threads__insert_response.json")
    (item,) = thread_items(thread, OWN_CHANNEL)
    assert item.is_own and item.object_id == "JE8xdDp5B8Q" and item.kind == "comment"


def test_playlist_items_give_the_uploaded_video_ids() -> None:
    page = load(YOUTUBE, "apidata__playlist_items__playlist_items_paged_1.json")
    ids = [playlist_video_id(entry) for entry in page["items"]]
    assert len(ids) == 10 and all(ids) and ids[0] == "CvTApw9X8aA"


@pytest.mark.parametrize("name", ["error_response.json", "apidata__error_permission_resp.json"])
def test_recorded_google_error_bodies_become_auth_errors(name: str) -> None:
    body = load(YOUTUBE, name)
    response = httplib2.Response({"status": str(body["error"]["code"])})
    error = map_http_error(
        HttpError(response, json.dumps(body).encode(), uri="https://x.test/youtube/v3/videos?key=SECRET")
    )
    assert isinstance(error, AuthError) and "SECRET" not in str(error)


# -- X ---------------------------------------------------------------------------------------------


def recorded(name: str) -> dict[str, Any]:
    return load(X, name)


def test_every_recorded_mention_is_extracted_with_a_time_from_its_id() -> None:
    record = recorded("test_client_get_users_mentions_0.json")
    body = record["json"]
    found = page_items(body, brand_id="783214")
    assert [i.external_id for i in found] == [t["id"] for t in body["data"]]
    assert [i.text for i in found] == [t["text"] for t in body["data"]]
    assert all(i.kind == "mention" and not i.is_own and i.author is None for i in found)
    assert (
        found[0].external_id == body["meta"]["newest_id"]
        and found[-1].external_id == body["meta"]["oldest_id"]
    )
    assert all(
        datetime(2022, 10, 7, tzinfo=UTC) < i.published_at < datetime(2022, 10, 9, tzinfo=UTC) for i in found
    )


def test_snowflake_times_match_the_times_written_in_recorded_posts() -> None:
    for post in recorded("test_client_search_recent_tweets_0.json")["json"]["data"]:
        written = datetime.fromisoformat(post["text"].split(" tweepy")[0]).replace(tzinfo=UTC)
        assert abs(snowflake_time(post["id"]) - written) < timedelta(seconds=5)  # the bot posted at that time


@pytest.mark.parametrize(
    "name", ["test_client_get_users_tweets_0.json", "test_client_search_recent_tweets_0.json"]
)
def test_every_recorded_post_becomes_a_valid_item(name: str) -> None:
    data = recorded(name)["json"]["data"]
    found = [tweet_item(post, {}, brand_id="783214") for post in data]
    assert len(found) == len(data) and all(i and i.published_at.tzinfo == UTC and i.text for i in found)


def test_a_single_recorded_post_is_read() -> None:
    post = recorded("test_client_get_tweet_0.json")["json"]["data"]
    item = tweet_item(post, {}, brand_id="783214")
    assert item is not None and item.published_at.year == 2020 and item.url.endswith(post["id"])


def test_recorded_rate_limit_headers_give_the_reset_time() -> None:
    headers = {k: v[0] for k, v in recorded("test_client_get_users_mentions_0.json")["headers"].items()}
    assert retry_after_seconds(headers, now=1665183228 - 300) == 300


def test_the_recorded_create_post_answer_gives_the_reply_id() -> None:
    record = recorded("test_client_create_and_delete_tweet_0.json")

    class RecordedClient:
        def create_tweet(self, **params: Any) -> dict[str, Any]:
            assert json.loads(record["request"]["body"])["text"] == "Test Tweet"
            return record["json"]

    data = XApi(RecordedClient()).reply("Test Tweet", "1", user_auth=True)  # type: ignore[arg-type]
    assert data["id"] == "1456012973835788293" and record["status"] == 201
