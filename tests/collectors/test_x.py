"""X mentions: collected from a fake X API v2 with since_id and pagination, answered, replied to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from collectors import collector_for, context_for
from collectors import x as xc
from collectors.base import AuthError, RetryPolicy
from collectors.x_normalize import snowflake_time
from social_listen.collect import run_source
from social_listen.config import Config
from social_listen.db.tables import items
from social_listen.errors import RateLimited, TransientError
from social_listen.model import Page, ReplyRequest
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.server import FakeServer, Response, json_response
from tests.fakes.x import FakeX, authorization, problem, rate_limited

SOURCE = "luna-x"
FAST = RetryPolicy(attempts=2, sleep=lambda seconds: None)
NOW = datetime.now(UTC)
H = timedelta(hours=1)
USER_TOKENS = {
    "consumer_key": "ck",
    "consumer_secret": "cs",
    "access_token": "at",
    "access_token_secret": "ats",
}


@pytest.fixture
def fake() -> Iterator[FakeX]:
    with FakeServer() as server:
        yield FakeX(server)


def config_for(fake: FakeX, target: str | None = None, credentials: dict[str, str] | None = None,
               **options: Any) -> Config:  # fmt: skip
    creds = credentials if credentials is not None else {"bearer_token": "app-bearer", **USER_TOKENS}
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "x", "target": target or fake.brand_id,
              "base_url": fake.server.url, "credentials": creds, "options": options}  # fmt: skip
    return make_config(sources=[source])


def collector(config: Config) -> xc.XCollector:
    return xc.create(context_for(config, config.source(SOURCE)), FAST)


def collect(config: Config, cursor: dict[str, Any] | None = None) -> list[Page]:
    return list(collector(config).collect(cursor))


def run(store: Store, config: Config) -> Any:
    return run_source(store, config.source(SOURCE), lambda source: collector(config))


def publisher_for(config: Config) -> Any:
    return lambda request: xc.create_publisher(context_for(config, config.source(request.source)))


def synced(store: Store, config: Config) -> Store:
    store.sync_config(config)
    return store


def item_rows(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        return {row.external_id: row for row in conn.execute(select(items))}


def conversation(fake: FakeX) -> dict[str, str]:
    """A complaint answered from the X app, a question not yet answered, and a brand post not about anyone."""
    ana, ben = fake.user("ana_compra", "Ana"), fake.user("ben_buys", "Ben")
    complaint = fake.mention(ana, "mi pedido no ha llegado 😡", NOW - 5 * H)
    answer = fake.brand_reply(complaint, "¡Lo sentimos! Te escribimos por DM", NOW - 4 * H)
    question = fake.mention(ben, "do you ship to Ireland?", NOW - 3 * H)
    fake.post(fake.brand_id, "Nueva colección de primavera 🌸", NOW - 2 * H)
    return {"ana": ana, "complaint": complaint, "answer": answer, "question": question}


def found(pages: list[Page]) -> dict[str, Any]:
    return {i.external_id: i for p in pages for i in p.items}


# -- collecting ------------------------------------------------------------------------------------


def test_mentions_and_own_replies_are_valid_items(fake: FakeX) -> None:
    ids = conversation(fake)
    got = found(collect(config_for(fake)))
    # the brand's plain post (not a reply) is not an item
    assert set(got) == {ids["complaint"], ids["answer"], ids["question"]}
    for item in got.values():
        assert item.published_at.utcoffset() == timedelta(0) and item.text and item.platform == "x"
    complaint = got[ids["complaint"]]
    assert (complaint.kind, complaint.is_own, complaint.author.handle) == ("mention", False, "ana_compra")
    assert complaint.url == f"https://x.com/ana_compra/status/{ids['complaint']}"
    answer = got[ids["answer"]]
    assert (answer.is_own, answer.parent_external_id, answer.thread_external_id) == (
        True, ids["complaint"], ids["complaint"])  # fmt: skip
    assert answer.text == "¡Lo sentimos! Te escribimos por DM"  # without X's leading "@ana_compra"


def test_reply_made_in_the_x_app_marks_the_mention_answered_at_its_time(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeX(server)
        ids = conversation(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        assert run(store, config).status == "ok"
    rows = item_rows(store)
    assert (rows[ids["complaint"]].status, rows[ids["complaint"]].answered_by) == ("answered", "platform")
    assert rows[ids["complaint"]].answered_at.replace(tzinfo=UTC) == rows[ids["answer"]].published_at.replace(
        tzinfo=UTC)  # fmt: skip
    assert rows[ids["question"]].status == "open"


def test_brand_answering_one_customer_does_not_answer_another_in_the_same_conversation(
    sqlite_store: Store,
) -> None:
    with FakeServer() as server:
        fake = FakeX(server)
        ana, ben = fake.user("ana"), fake.user("ben")
        root = fake.mention(ana, "¿abrís el domingo?", NOW - 5 * H)
        other = fake.mention(ben, "y yo quiero saber si hay rebajas", NOW - 4 * H, reply_to=root)
        fake.brand_reply(root, "¡Sí, de 10 a 14!", NOW - 3 * H)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
    rows = item_rows(store)
    assert (rows[root].status, rows[other].status) == ("answered", "open")


def test_second_run_changes_nothing_and_since_id_moves_forward(any_store: Store, fake: FakeX) -> None:
    ids = conversation(fake)
    config = config_for(fake)
    store = synced(any_store, config)
    first = run(store, config)
    since = store.get_cursor(SOURCE)["mentions"]["since_id"]
    again = run(store, config)
    assert (first.new, again.new, again.updated) == (3, 0, 0)
    assert since == ids["question"]
    late = fake.mention(ids["ana"], "sigo esperando", NOW - H)
    assert run(store, config).new == 1
    assert store.get_cursor(SOURCE)["mentions"]["since_id"] == late
    assert fake.server.calls("GET", r"/2/users/\d+/mentions")[-1].query["since_id"] == since


def test_handle_is_resolved_once_and_kept_in_the_cursor(fake: FakeX) -> None:
    conversation(fake)
    config = config_for(fake, target="@TiendaLuna")
    cursor = collect(config)[-1].cursor
    collect(config, cursor)
    assert cursor["user_id"] == fake.brand_id
    assert len(fake.server.calls("GET", r"/2/users/by/username/\w+")) == 1


def test_failure_on_page_three_keeps_what_was_saved_and_next_run_completes_the_rest(
    any_store: Store, fake: FakeX
) -> None:
    customer = fake.user("cliente")
    for n in range(12):
        fake.mention(customer, f"pregunta {n}", NOW - timedelta(minutes=100 - n))
    config = config_for(fake, max_results=5)
    store = synced(any_store, config)
    fake.fail_call(
        "mentions", 3, problem(503, "Service Unavailable", "Service Unavailable"), times=FAST.attempts
    )
    failed = run(store, config)
    assert (failed.status, failed.new, len(item_rows(store))) == ("failed", 10, 10)
    done = run(store, config)
    assert (done.status, done.new, len(item_rows(store))) == ("ok", 2, 12)
    resumed = fake.server.calls("GET", r"/2/users/\d+/mentions")[FAST.attempts + 2]
    assert resumed.query.get("pagination_token") and "since_id" not in resumed.query
    assert store.get_cursor(SOURCE)["mentions"]["since_id"] == max(fake.posts, key=int)


def test_rate_limit_with_a_near_reset_waits_and_carries_on(fake: FakeX) -> None:
    conversation(fake)
    slept: list[float] = []
    fake.fail_call("mentions", 1, rate_limited(reset_in=2))
    policy = RetryPolicy(attempts=2, sleep=slept.append)
    config = config_for(fake)
    pages = list(xc.create(context_for(config, config.source(SOURCE)), policy).collect(None))
    assert len(found(pages)) == 3 and 0 < slept[0] <= 3


def test_rate_limit_with_a_far_reset_pauses_the_source_until_then(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeX(server)
        conversation(fake)
        fake.fail_call("tweets", 1, rate_limited(reset_in=600))
        config = config_for(fake)
        store = synced(sqlite_store, config)
        outcome = run(store, config)
    assert outcome.status == "paused" and len(item_rows(store)) == 2  # the mentions were kept
    paused_until = store.source_row(SOURCE)["paused_until"].replace(tzinfo=UTC)
    assert timedelta(seconds=590) < paused_until - datetime.now(UTC) <= timedelta(seconds=601)


def test_rate_limit_error_carries_the_reset_time(fake: FakeX) -> None:
    fake.fail_call("mentions", 1, rate_limited(reset_in=900))
    with pytest.raises(RateLimited) as caught:
        collect(config_for(fake))
    assert caught.value.reset_at is not None and caught.value.reset_at > datetime.now(UTC) + timedelta(
        minutes=14
    )


def test_server_error_and_malformed_body_are_retried(fake: FakeX) -> None:
    conversation(fake)
    fake.fail_call("mentions", 1, problem(500, "Internal Server Error", "oops"))
    fake.fail_call("tweets", 1, Response(status=200, raw=b"<html>upstream timeout</html>"))
    assert len(found(collect(config_for(fake)))) == 3


def test_persistent_malformed_bodies_fail_with_a_transient_error(fake: FakeX) -> None:
    fake.fail_call("mentions", 1, Response(status=200, raw=b"{not json"), times=FAST.attempts)
    with pytest.raises(TransientError):
        collect(config_for(fake))


def test_posts_missing_fields_are_kept_or_skipped_never_sink_the_page(fake: FakeX) -> None:
    conversation(fake)
    sparse_id = "1578516295611748353"
    fake.fail_call("mentions", 1, json_response({"data": [
        {"id": sparse_id, "text": "@TiendaLuna hola"}, {"text": "no id"}, "junk", {"id": "abc", "text": "bad id"},
    ], "meta": {"result_count": 4, "newest_id": sparse_id}}))  # fmt: skip
    got = found(collect(config_for(fake)))
    sparse = got[sparse_id]
    assert sparse.author is None and sparse.published_at == snowflake_time(sparse_id)
    assert sparse.url == f"https://x.com/i/web/status/{sparse_id}"


def test_api_calls_and_billed_resources_are_recorded_per_page(fake: FakeX) -> None:
    conversation(fake)
    pages = collect(config_for(fake))
    assert [p.api_calls for p in pages] == [1, 1]
    assert pages[0].quota_units == 2 + 2  # two mentions and their two authors
    assert sum(p.api_calls for p in pages) == len(fake.server.requests)


def test_the_registry_builds_a_collector_that_never_sleeps_inside_tweepy(fake: FakeX) -> None:
    conversation(fake)
    config = config_for(fake)
    built = collector_for(config)(config.source(SOURCE))
    assert isinstance(built, xc.XCollector) and built.api.client.wait_on_rate_limit is False
    assert len(found(list(built.collect(None)))) == 3


def test_the_brands_own_mentions_come_only_from_its_timeline(fake: FakeX) -> None:
    ids = conversation(fake)
    own_mention = fake.brand_reply(ids["question"], "We ship from @TiendaLuna warehouse", NOW - H)
    pages = collect(config_for(fake))
    assert sum(own_mention in {i.external_id for i in p.items} for p in pages) == 1  # not also as a mention
    item = found(pages)[own_mention]
    assert (item.is_own, item.parent_external_id, item.author.name) == (True, ids["question"], "Tienda Luna")


def test_reading_needs_the_bearer_token(fake: FakeX) -> None:
    with pytest.raises(AuthError, match="credentials.bearer_token"):
        collector(config_for(fake, credentials={}))


# -- replying --------------------------------------------------------------------------------------


def queue_reply(store: Store, external_id: str, text: str) -> int:
    with store.engine.connect() as conn:
        item_id = conn.execute(select(items.c.id).where(items.c.external_id == external_id)).scalar_one()
    return store.enqueue_reply(item_id, text)


def test_reply_is_posted_in_user_context_and_recorded_with_its_post_id(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeX(server)
        ids = conversation(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
        reply_id = queue_reply(store, ids["question"], "Yes! 3-5 days to Ireland")
        assert publish_reply(store, reply_id, publisher_for(config)) == "sent"
        posts = fake.server.calls("POST", "/2/tweets")
    assert len(posts) == 1 and authorization(posts[0]).startswith("OAuth ")
    assert posts[0].json() == {
        "text": "Yes! 3-5 days to Ireland",
        "reply": {"in_reply_to_tweet_id": ids["question"]},
    }
    created = fake.replies_by_brand(ids["question"])[0]
    reply = store.reply_rows()[0]
    assert (reply["status"], reply["platform_reply_id"]) == ("sent", created["id"])


def test_oauth2_user_token_posts_with_a_bearer_header(fake: FakeX) -> None:
    ids = conversation(fake)
    config = config_for(fake, credentials={"bearer_token": "app-bearer", "oauth2_user_token": "user-token-1"})
    request = ReplyRequest(1, SOURCE, "x", ids["question"], None, None, "Yes!")
    posted = xc.create_publisher(context_for(config, config.source(SOURCE))).publish(request)
    assert authorization(fake.server.calls("POST", "/2/tweets")[0]) == "Bearer user-token-1"
    assert posted.url == f"https://x.com/i/web/status/{posted.platform_reply_id}"


def test_reply_to_an_author_who_did_not_mention_the_brand_fails_with_the_link(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeX(server)
        ids = conversation(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
        # e.g. it reached us without a mention
        fake.posts[ids["question"]]["text"] = "do you ship to Ireland?"
        reply_id = queue_reply(store, ids["question"], "Yes!")
        assert publish_reply(store, reply_id, publisher_for(config)) == "failed"
    error = store.reply_rows()[0]["error"]
    assert "mention or quote" in error and f"https://x.com/i/web/status/{ids['question']}" in error
    assert item_rows(store)[ids["question"]].status == "open"


def test_rate_limited_reply_is_requeued_for_the_reset_time(sqlite_store: Store) -> None:
    with FakeServer() as server:
        fake = FakeX(server)
        ids = conversation(fake)
        config = config_for(fake)
        store = synced(sqlite_store, config)
        run(store, config)
        fake.fail_call("create", 1, rate_limited(reset_in=300))
        reply_id = queue_reply(store, ids["question"], "Yes!")
        assert publish_reply(store, reply_id, publisher_for(config)) == "queued"
    wait = store.reply_rows()[0]["next_attempt_at"].replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(seconds=290) < wait <= timedelta(seconds=301)


def test_timeout_after_the_post_becomes_uncertain_and_next_collection_confirms_it(
    any_store: Store, fake: FakeX
) -> None:
    ids = conversation(fake)
    config = config_for(fake, timeout=0.5)
    store = synced(any_store, config)
    run(store, config)
    reply_id = queue_reply(store, ids["question"], "Yes, we ship to Ireland in 3-5 days")
    fake.server.fail_next("/2/tweets", Response(status=201, body={}, delay=2.0), after_handler=True)
    assert publish_reply(store, reply_id, publisher_for(config)) == "uncertain"
    assert publish_reply(store, reply_id, publisher_for(config)) == "skipped"
    assert run(store, config).status == "ok"
    reply = store.reply_rows()[0]
    assert (reply["status"], reply["platform_reply_id"]) == (
        "sent",
        fake.replies_by_brand(ids["question"])[0]["id"],
    )
    assert len(fake.server.calls("POST", "/2/tweets")) == 1
    assert item_rows(store)[ids["question"]].status == "answered"


def test_replying_needs_user_context_credentials(fake: FakeX) -> None:
    config = config_for(fake, credentials={"bearer_token": "app-bearer"})
    with pytest.raises(AuthError, match="oauth2_user_token"):
        xc.create_publisher(context_for(config, config.source(SOURCE)))
