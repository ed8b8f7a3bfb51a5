"""YouTube comments: collected from a fake Data API v3 within a small quota, answered, replied to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from collectors import collector_for, context_for
from collectors import youtube as yt
from collectors.base import AuthError, RetryPolicy
from collectors.youtube_api import next_quota_reset
from social_listen.collect import run_source
from social_listen.config import Config
from social_listen.db.tables import items, sources
from social_listen.errors import ConfigError, QuotaExhausted, TransientError
from social_listen.model import Page
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.server import FakeServer, Response, json_response
from tests.fakes.youtube import FakeYouTube, google_error, minutes_ago, quota_exceeded

SOURCE = "luna-youtube"
FAST = RetryPolicy(attempts=2, sleep=lambda seconds: None)
THREADS = "GET commentThreads"


@pytest.fixture
def fake() -> Iterator[FakeYouTube]:
    with FakeServer() as server:
        yield FakeYouTube(server)


def config_for(fake: FakeYouTube, **options: Any) -> Config:
    credentials = {"api_key": "test-api-key", "oauth_token": "oauth-token-1", "refresh_token": "refresh-1",
                   "client_id": "client-1", "client_secret": "secret-1"}  # fmt: skip
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "youtube", "target": fake.channel_id,
              "base_url": fake.server.url, "credentials": credentials, "options": options}  # fmt: skip
    return make_config(sources=[source])


def collector(config: Config) -> yt.YouTubeCollector:
    return yt.create(context_for(config, config.source(SOURCE)), FAST)


def collect(config: Config, cursor: dict[str, Any] | None = None) -> list[Page]:
    return list(collector(config).collect(cursor))


def run(store: Store, config: Config) -> Any:
    return run_source(store, config.source(SOURCE), lambda source: collector(config))


def publisher_for(config: Config) -> Any:
    return lambda request: yt.create_publisher(context_for(config, config.source(request.source)))


def synced(store: Store, config: Config) -> Store:
    store.sync_config(config)
    return store


def item_rows(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        return {row.external_id: row for row in conn.execute(select(items))}


def shop(fake: FakeYouTube) -> dict[str, str]:
    """Two videos: a question with a long conversation and a brand reply, and a short complaint."""
    shoes, jacket = fake.add_video("Zapatillas Luna: unboxing"), fake.add_video("Chaqueta impermeable")
    question = fake.comment(shoes, "¿Cuándo vuelven las tallas 38?", minutes_ago(600))
    for n in range(4):
        fake.reply(question, f"Yo también la espero ({n})", minutes_ago(590 - n))
    answer = fake.owner_reply(question, "¡La semana que viene!", minutes_ago(500))
    complaint = fake.comment(jacket, "My jacket arrived torn", minutes_ago(300), author="UCbuyer", name="Sam")
    return {"shoes": shoes, "jacket": jacket, "question": question, "answer": answer, "complaint": complaint}


# -- collecting ------------------------------------------------------------------------------------


def test_items_are_valid_comments_and_replies_with_video_titles_and_links(fake: FakeYouTube) -> None:
    ids = shop(fake)
    found = {i.external_id: i for p in collect(config_for(fake)) for i in p.items}
    assert len(found) == 2 + 5
    for item in found.values():
        assert item.published_at.tzinfo is not None and item.published_at.utcoffset() == timedelta(0)
        assert item.text and item.external_id and item.platform == "youtube"
    complaint = found[ids["complaint"]]
    assert (complaint.kind, complaint.author.name, complaint.object_title) == (
        "comment",
        "Sam",
        "Chaqueta impermeable",
    )
    assert complaint.url == f"https://www.youtube.com/watch?v={ids['jacket']}&lc={ids['complaint']}"
    assert complaint.object_url == f"https://www.youtube.com/watch?v={ids['jacket']}"
    answer = found[ids["answer"]]
    assert (answer.kind, answer.is_own, answer.parent_external_id) == ("reply", True, ids["question"])
    assert answer.thread_external_id == ids["question"] and answer.object_title == "Zapatillas Luna: unboxing"


def test_thread_with_more_replies_than_inline_fetches_them_with_comments_list(fake: FakeYouTube) -> None:
    ids = shop(fake)
    found = {i.external_id for p in collect(config_for(fake)) for i in p.items}
    assert len(fake.calls_to("comments")) == 1
    assert fake.calls_to("comments")[0].query["parentId"] == ids["question"]
    assert set(fake.replies[ids["question"]][i].id for i in range(5)) <= found


def test_owner_reply_written_in_studio_marks_comment_answered_at_reply_time(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeYouTube(server)
        ids = shop(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        assert run(store, config).status == "ok"
    rows = item_rows(store)
    question, answer = rows[ids["question"]], rows[ids["answer"]]
    assert (question.status, question.answered_by) == ("answered", "platform")
    assert question.answered_at.replace(tzinfo=UTC) == answer.published_at.replace(tzinfo=UTC)
    assert rows[ids["complaint"]].status == "open" and answer.status == "closed"


def test_second_run_changes_nothing_and_the_cursor_moves_forward(any_store: Store, fake: FakeYouTube) -> None:
    ids = shop(fake)
    config = config_for(fake)
    store = synced(any_store, config)
    first = run(store, config)
    mark = store.get_cursor(SOURCE)["watermark"]
    again = run(store, config)
    assert (first.new, again.new, again.updated, again.status) == (7, 0, 0, "ok")
    fake.comment(ids["jacket"], "¿Hacéis envíos a Canarias?", minutes_ago(1))
    third = run(store, config)
    assert (third.new, third.updated) == (1, 0)
    assert store.get_cursor(SOURCE)["watermark"] > mark


def test_failure_on_page_three_keeps_what_was_saved_and_next_run_completes_the_rest(
    any_store: Store, fake: FakeYouTube
) -> None:
    video = fake.add_video("Rebajas")
    for n in range(10):
        fake.comment(video, f"Comentario {n}", minutes_ago(100 - n))
    config = config_for(fake, page_size=2)
    store = synced(any_store, config)
    fake.fail_call(
        THREADS, 3, google_error(500, "backendError", "Backend Error", "global"), times=FAST.attempts
    )
    failed = run(store, config)
    assert (failed.status, failed.new, len(item_rows(store))) == ("failed", 4, 4)
    resumed_from = len(fake.calls_to("commentThreads"))
    done = run(store, config)
    assert (done.status, done.new, len(item_rows(store))) == ("ok", 6, 10)
    assert fake.calls_to("commentThreads")[resumed_from].query.get("pageToken")  # resumed at page 3
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(items)).scalar_one() == 10


def test_new_reply_in_an_old_thread_is_found_by_rescanning_only_that_video(fake: FakeYouTube) -> None:
    ids = shop(fake)
    config = config_for(fake)
    cursor = collect(config)[-1].cursor
    late = fake.reply(ids["complaint"], "Same here, mine too", minutes_ago(0))
    pages = collect(config, cursor)
    rescans = [r.query["videoId"] for r in fake.calls_to("commentThreads") if "videoId" in r.query]
    assert rescans == [ids["jacket"]]
    assert late in {i.external_id for p in pages for i in p.items}
    assert pages[-1].cursor["videos"][ids["jacket"]] == fake.comment_count(ids["jacket"])


def test_new_comments_seen_by_the_channel_walk_do_not_trigger_a_rescan(fake: FakeYouTube) -> None:
    ids = shop(fake)
    config = config_for(fake)
    cursor = collect(config)[-1].cursor
    cursor["stats_at"] = minutes_ago(30).isoformat()  # the last count was taken half an hour ago
    fake.comment(ids["shoes"], "¡Me encantan!", minutes_ago(5))
    collect(config, cursor)
    assert not [r for r in fake.calls_to("commentThreads") if "videoId" in r.query]


def test_idle_run_on_a_200_video_channel_spends_a_handful_of_units(fake: FakeYouTube) -> None:
    for n in range(200):
        fake.comment(fake.add_video(f"Vídeo {n}"), f"Comentario {n}", minutes_ago(10_000 + 30 * n))
    config = config_for(fake)
    cursor = collect(config)[-1].cursor
    before = fake.units()
    pages = collect(config, cursor)
    assert fake.units() - before <= 5
    assert sum(p.quota_units for p in pages) == fake.units() - before
    assert not [r for r in fake.calls_to("commentThreads") if "videoId" in r.query]


def test_quota_exceeded_keeps_fetched_items_and_pauses_until_midnight_pacific(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeYouTube(server)
        video = fake.add_video()
        thread = fake.comment(video, "¿Tenéis tienda en Sevilla?", minutes_ago(60))
        for n in range(4):
            fake.reply(thread, f"Respuesta {n}", minutes_ago(50 - n))
        fake.fail_call("GET comments", 1, quota_exceeded())
        config = config_for(fake)
        store = synced(sqlite_store, config)
        outcome = run(store, config)
        assert len(fake.calls_to("comments")) == 1  # quotaExceeded is never retried
    assert outcome.status == "paused" and "quota" in outcome.message
    assert len(item_rows(store)) == 3  # the thread and its inline replies were kept
    row = store.source_row(SOURCE)
    assert row["paused_until"].replace(tzinfo=UTC) == next_quota_reset()
    assert store.run_rows(SOURCE)[0]["quota_units"] == 2  # the thread page and the refused comments.list


def test_quota_exhausted_error_names_the_reset_time(fake: FakeYouTube) -> None:
    fake.comment(fake.add_video(), "Hola", minutes_ago(10))
    fake.fail_call(THREADS, 1, quota_exceeded())
    with pytest.raises(QuotaExhausted) as caught:
        collect(config_for(fake))
    assert caught.value.until == next_quota_reset()
    assert "midnight Pacific" in str(caught.value) and "test-api-key" not in str(caught.value)


def test_next_quota_reset_is_the_next_midnight_in_los_angeles() -> None:
    assert next_quota_reset(datetime(2026, 7, 1, 6, 59, tzinfo=UTC)) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert next_quota_reset(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)) == datetime(
        2026, 12, 2, 8, 0, tzinfo=UTC
    )


def test_server_error_and_malformed_body_are_retried(fake: FakeYouTube) -> None:
    shop(fake)
    fake.fail_call(THREADS, 1, google_error(503, "backendError", "Backend Error", "global"))
    fake.fail_call("GET videos", 1, Response(status=200, raw=b"<html>Bad gateway</html>"))
    pages = collect(config_for(fake))
    assert len({i.external_id for p in pages for i in p.items}) == 7
    assert len(fake.calls_to("commentThreads")) == 2


def test_persistent_server_errors_fail_with_a_transient_error(fake: FakeYouTube) -> None:
    fake.fail_call(
        THREADS, 1, google_error(500, "backendError", "Backend Error", "global"), times=FAST.attempts
    )
    with pytest.raises(TransientError):
        collect(config_for(fake))


def test_a_malformed_comment_is_skipped_and_the_rest_of_the_page_kept(fake: FakeYouTube) -> None:
    ids = shop(fake)
    body = json_response({"kind": "youtube#commentThreadListResponse", "items": [
        {"kind": "youtube#commentThread", "id": "UgxBroken", "snippet": {"topLevelComment": {"id": "UgxBroken"}}},
        "not even an object",
        fake._thread_resource(fake.threads[ids["complaint"]], _parts("snippet,replies")),
    ]})  # fmt: skip
    fake.fail_call(THREADS, 1, body)
    found = {i.external_id for p in collect(config_for(fake)) for i in p.items}
    assert found == {ids["complaint"]}


def _parts(part: str) -> Any:
    from tests.fakes.server import Request

    return Request("GET", "/", {"part": part}, {}, b"")


def test_refused_page_token_restarts_the_walk_from_the_newest_thread(fake: FakeYouTube) -> None:
    ids = shop(fake)
    config = config_for(fake)
    stale = collect(config)[-1].cursor
    stale["scan"] = {"page_token": "expired", "newest": None, "stop_at": None}
    found = {i.external_id for p in collect(config, stale) for i in p.items}
    assert ids["complaint"] in found


def test_cursor_of_another_channel_starts_afresh(fake: FakeYouTube) -> None:
    shop(fake)
    pages = collect(
        config_for(fake), {"channel_id": "UCsomeoneelse", "watermark": datetime.now(UTC).isoformat()}
    )
    assert len({i.external_id for p in pages for i in p.items}) == 7


def test_the_registry_builds_the_collector_and_publisher_from_the_config(fake: FakeYouTube) -> None:
    shop(fake)
    config = config_for(fake)
    built = collector_for(config)(config.source(SOURCE))
    assert (
        isinstance(built, yt.YouTubeCollector)
        and len({i.external_id for p in built.collect(None) for i in p.items}) == 7
    )
    assert isinstance(yt.create_publisher(context_for(config, config.source(SOURCE))), yt.YouTubePublisher)


def test_an_option_that_is_not_a_number_is_a_config_error(fake: FakeYouTube) -> None:
    with pytest.raises(ConfigError, match="options.lag_minutes"):
        collector(config_for(fake, lag_minutes="half an hour"))


def test_missing_api_key_says_which_credential_to_set(fake: FakeYouTube) -> None:
    config = make_config(sources=[{"name": SOURCE, "brand": "Tienda Luna", "platform": "youtube",
                                   "target": fake.channel_id, "base_url": fake.server.url}])  # fmt: skip
    with pytest.raises(AuthError, match="credentials.api_key"):
        yt.create(context_for(config, config.source(SOURCE)))


# -- replying --------------------------------------------------------------------------------------


def queue_reply(store: Store, external_id: str, text: str) -> int:
    with store.engine.connect() as conn:
        item_id = conn.execute(select(items.c.id).where(items.c.external_id == external_id)).scalar_one()
    return store.enqueue_reply(item_id, text)


def test_reply_is_posted_under_the_thread_and_recorded_with_its_platform_id(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeYouTube(server)
        ids = shop(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
        reply_id = queue_reply(
            store, ids["complaint"], "Sentimos mucho el desgarro: te escribimos por privado"
        )
        assert publish_reply(store, reply_id, publisher_for(config)) == "sent"
        posts = fake.calls_to("comments", "POST")
    assert len(posts) == 1 and posts[0].json()["snippet"]["parentId"] == ids["complaint"]
    reply = store.reply_rows()[0]
    created = fake.replies[ids["complaint"]][-1]
    assert (reply["status"], reply["platform_reply_id"]) == ("sent", created.id)
    assert reply["url"] == f"https://www.youtube.com/watch?v={ids['jacket']}&lc={created.id}"
    assert created.author_channel == fake.channel_id


def test_reply_to_a_reply_goes_under_its_top_level_comment(fake: FakeYouTube) -> None:
    ids = shop(fake)
    config = config_for(fake)
    question_reply = fake.replies[ids["question"]][0]
    found = {i.external_id: i for p in collect(config) for i in p.items}
    item = found[question_reply.id]
    from social_listen.model import ReplyRequest

    request = ReplyRequest(1, SOURCE, "youtube", item.external_id, item.thread_external_id, item.object_id,
                           "Llega el lunes", item_raw=item.raw)  # fmt: skip
    posted = yt.create_publisher(context_for(config, config.source(SOURCE))).publish(request)
    assert fake.calls_to("comments", "POST")[0].json()["snippet"]["parentId"] == ids["question"]
    assert posted.url == f"https://www.youtube.com/watch?v={ids['shoes']}&lc={posted.platform_reply_id}"


def test_timeout_after_the_insert_becomes_uncertain_and_next_collection_confirms_it(
    any_store: Store, fake: FakeYouTube
) -> None:
    ids = shop(fake)
    config = config_for(fake, timeout=0.5)
    store = synced(any_store, config)
    run(store, config)
    text = "Te mandamos una chaqueta nueva hoy mismo"
    reply_id = queue_reply(store, ids["complaint"], text)
    fake.server.fail_next(
        r"/youtube/v3/comments", Response(status=200, body={}, delay=2.0), after_handler=True
    )
    assert publish_reply(store, reply_id, publisher_for(config)) == "uncertain"
    assert publish_reply(store, reply_id, publisher_for(config)) == "skipped"
    assert run(store, config).status == "ok"
    reply = store.reply_rows()[0]
    assert (reply["status"], reply["platform_reply_id"]) == ("sent", fake.replies[ids["complaint"]][-1].id)
    assert len(fake.calls_to("comments", "POST")) == 1
    assert item_rows(store)[ids["complaint"]].status == "answered"


def test_reply_on_a_video_with_comments_turned_off_fails_with_the_link(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeYouTube(server)
        ids = shop(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
        fake.videos[ids["jacket"]].comments_disabled = True
        reply_id = queue_reply(store, ids["complaint"], "Lo sentimos")
        assert publish_reply(store, reply_id, publisher_for(config)) == "failed"
    error = store.reply_rows()[0]["error"]
    assert "turned off" in error and f"lc={ids['complaint']}" in error


def test_quota_spent_while_replying_requeues_the_reply_until_midnight_pacific(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeYouTube(server)
        ids = shop(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
        fake.fail_call("POST comments", 1, quota_exceeded())
        reply_id = queue_reply(store, ids["complaint"], "Lo sentimos")
        assert publish_reply(store, reply_id, publisher_for(config)) == "queued"
    reply = store.reply_rows()[0]
    assert reply["next_attempt_at"].replace(tzinfo=UTC) == next_quota_reset()


def test_expired_oauth_token_is_refreshed_once_and_the_reply_posted(fake: FakeYouTube) -> None:
    ids = shop(fake)
    config = config_for(fake)
    fake.valid_tokens = {"oauth-token-9"}  # the configured token has expired
    found = {i.external_id: i for p in collect(config) for i in p.items}
    item = found[ids["complaint"]]
    from social_listen.model import ReplyRequest

    request = ReplyRequest(
        1, SOURCE, "youtube", item.external_id, item.thread_external_id, item.object_id, "Hola"
    )
    yt.create_publisher(context_for(config, config.source(SOURCE))).publish(request)
    token_calls = fake.server.calls("POST", "/token")
    assert len(token_calls) == 1 and token_calls[0].form()["client_id"] == "client-1"
    assert len(fake.calls_to("comments", "POST")) == 2  # refused with the old token, posted with the new one


def test_reply_without_an_oauth_token_says_what_to_configure(fake: FakeYouTube) -> None:
    config = make_config(sources=[{"name": SOURCE, "brand": "Tienda Luna", "platform": "youtube",
                                   "target": fake.channel_id, "credentials": {"api_key": "k"}}])  # fmt: skip
    with pytest.raises(AuthError, match="credentials.oauth_token"):
        yt.create_publisher(context_for(config, config.source(SOURCE)))


def test_quota_units_are_recorded_on_the_run(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeYouTube(server)
        shop(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
        spent = fake.units()
    with store.engine.connect() as conn:
        assert conn.execute(select(sources.c.last_status)).scalar_one() == "ok"
    assert store.run_rows(SOURCE)[0]["quota_units"] == spent
