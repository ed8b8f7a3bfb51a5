"""Facebook Page comments: collected incrementally from a fake Graph API, answered, replied to, hidden."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from collectors import context_for
from collectors.base import SourceContext
from collectors.facebook import FacebookCollector, FacebookPublisher, create, create_publisher
from collectors.graph import DEFAULT_BASE_URL, client_for, graph_error, next_params
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.errors import AuthError, NotFound, PlatformError, RateLimited, TransientError
from social_listen.model import Item
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.graph import T0, FakeGraph, graph_server, graph_time
from tests.fakes.graph import graph_error as graph_error_response
from tests.fakes.server import Response

NOW = T0 + timedelta(days=1)
H = timedelta(hours=1)
SOURCE = "luna-fb"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with graph_server() as fake:
        yield fake


@pytest.fixture
def fb_store(any_store: Store, graph: FakeGraph) -> Store:
    any_store.sync_config(config_for(graph))
    return any_store


def config_for(graph: FakeGraph, **options: Any) -> Any:
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "facebook", "target": graph.page_id,
              "base_url": graph.base_url, "credentials": {"page_token": graph.token}, "options": options}  # fmt: skip
    return make_config(sources=[source])


def context(graph: FakeGraph, **options: Any) -> SourceContext:
    config = config_for(graph, **options)
    return context_for(config, config.source(SOURCE))


class Harness:
    """Builds collectors and publishers on the fake with a fixed clock and recorded sleeps."""

    def __init__(self, graph: FakeGraph, **options: Any) -> None:
        self.graph, self.options, self.sleeps = graph, options, []

    def client(self) -> Any:
        return client_for(context(self.graph, **self.options), self.graph.token, sleep=self.sleeps.append)

    def collector(self) -> FacebookCollector:
        return FacebookCollector(context(self.graph, **self.options), self.client(), clock=lambda: NOW)

    def publisher(self) -> FacebookPublisher:
        return FacebookPublisher(self.client())

    def run(self, store: Store) -> Any:
        return run_source(store, config_for(self.graph).source(SOURCE), lambda s: self.collector())

    def items(self, cursor: dict[str, Any] | None = None) -> list[Item]:
        return [i for page in self.collector().collect(cursor) for i in page.items]


def shop(graph: FakeGraph) -> dict[str, str]:
    """A Page with two posts, a thread the Page answered in Business Suite, and a visitor post."""
    ids: dict[str, str] = {}
    ids["sale"] = graph.add_post("Rebajas de primavera: 20 % en todas las zapatillas", T0)
    ids["size"] = graph.add_comment(ids["sale"], "¿Hay talla 38 en blanco?", T0 + H)
    ids["me_too"] = graph.add_comment(
        ids["size"], "Yo también la busco", T0 + 2 * H, author=("5550002", "Luis")
    )
    ids["answer"] = graph.page_reply(ids["size"], "¡Sí! Queda talla 38 en blanco.", T0 + 3 * H)
    ids["late"] = graph.add_comment(ids["sale"], "Mi pedido 1234 no llega", T0 + 4 * H)
    ids["new"] = graph.add_post("Nueva colección de verano", T0 + 8 * H)
    ids["love"] = graph.add_comment(ids["new"], "¡Me encanta!", T0 + 9 * H, author=("5550003", "Marta"))
    ids["visitor"] = graph.add_post("Me llegó el paquete roto", T0 + 10 * H, author=("5550004", "Pablo"))
    return ids


def by_id(found: list[Item]) -> dict[str, Item]:
    return {i.external_id: i for i in found}


def status_of(store: Store, external_id: str) -> tuple[str, datetime | None]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(items.c.status, items.c.answered_at).where(items.c.external_id == external_id)
        ).one()
    return row.status, row.answered_at


def item_count(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(items)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(items.c.external_id)))).scalar_one()
    return total, distinct


# -- collecting ----------------------------------------------------------------------------------


def test_first_run_collects_comments_replies_and_visitor_posts_as_valid_items(graph: FakeGraph) -> None:
    ids = shop(graph)
    found = by_id(Harness(graph).items())
    assert set(found) == {ids[k] for k in ("size", "me_too", "answer", "late", "love", "visitor")}
    for item in found.values():
        assert item.platform == "facebook" and item.text and item.published_at.tzinfo is not None
        assert item.published_at.utcoffset() == timedelta(0)
    size, me_too, answer = found[ids["size"]], found[ids["me_too"]], found[ids["answer"]]
    assert (size.kind, size.parent_external_id, size.thread_external_id) == ("comment", None, ids["size"])
    assert (me_too.kind, me_too.parent_external_id, me_too.thread_external_id) == (
        "reply",
        ids["size"],
        ids["size"],
    )
    assert answer.is_own and not size.is_own and answer.author and answer.author.name == "Tienda Luna"
    assert (
        size.object_id == ids["sale"]
        and size.object_title == "Rebajas de primavera: 20 % en todas las zapatillas"
    )
    assert size.object_url and size.object_url.startswith("https://www.facebook.com/")
    assert size.url and "comment_id=" in size.url and size.published_at == T0 + H
    assert found[ids["visitor"]].kind == "post" and found[ids["visitor"]].author.name == "Pablo"  # type: ignore[union-attr]


def test_page_reply_in_business_suite_marks_the_thread_answered_at_its_time(
    fb_store: Store, graph: FakeGraph
) -> None:
    ids = shop(graph)
    Harness(graph).run(fb_store)
    assert status_of(fb_store, ids["size"]) == ("answered", T0 + 3 * H)
    assert status_of(fb_store, ids["me_too"]) == ("answered", T0 + 3 * H)
    assert status_of(fb_store, ids["late"]) == ("open", None)


def test_page_comment_on_a_visitor_post_answers_it(fb_store: Store, graph: FakeGraph) -> None:
    ids = shop(graph)
    graph.page_reply(ids["visitor"], "Lo sentimos, Pablo: te escribimos por privado.", T0 + 11 * H)
    Harness(graph).run(fb_store)
    assert status_of(fb_store, ids["visitor"]) == ("answered", T0 + 11 * H)


def test_second_run_on_the_same_responses_changes_nothing(fb_store: Store, graph: FakeGraph) -> None:
    shop(graph)
    harness = Harness(graph)
    first = harness.run(fb_store)
    second = harness.run(fb_store)
    assert (first.status, first.new) == ("ok", 6)
    assert (second.status, second.new, second.updated) == ("ok", 0, 0)


def test_cursor_moves_forward_to_the_newest_comment_seen(fb_store: Store, graph: FakeGraph) -> None:
    ids = shop(graph)
    harness = Harness(graph)
    harness.run(fb_store)
    first = fb_store.get_cursor(SOURCE)
    graph.add_comment(ids["sale"], "¿Envío a Canarias?", T0 + 12 * H)
    harness.run(fb_store)
    second = fb_store.get_cursor(SOURCE)
    assert first and second and first["watermark"] == (T0 + 10 * H).isoformat()
    assert second["watermark"] == (T0 + 12 * H).isoformat()
    assert second["counts"][ids["sale"]] == first["counts"][ids["sale"]] + 1


def test_unchanged_posts_outside_the_lag_window_are_not_read_again(fb_store: Store, graph: FakeGraph) -> None:
    ids = shop(graph)
    harness = Harness(graph, lag_minutes=90)
    harness.run(fb_store)
    before = len(graph.calls(edge="comments"))
    harness.run(fb_store)
    reread = [r.path for r in graph.calls(edge="comments")[before:]]
    assert reread == [f"/v26.0/{ids['new']}/comments"]  # last activity 9:00 is within 90 min of 10:00


def test_new_comment_on_an_old_post_is_found_by_its_changed_count_reading_only_new_pages(
    fb_store: Store, graph: FakeGraph
) -> None:
    ids = shop(graph)
    for n in range(6):
        graph.add_comment(ids["sale"], f"Comentario viejo {n}", T0 + 5 * H + n * timedelta(minutes=5))
    harness = Harness(graph, lag_minutes=30, page_size=2)
    harness.run(fb_store)
    graph.add_comment(ids["sale"], "¿Siguen las rebajas?", T0 + 20 * H)
    graph.add_comment(ids["sale"], "¿Y en tiendas físicas?", T0 + 21 * H)
    before = len(graph.calls(edge="comments"))
    outcome = harness.run(fb_store)
    sale_pages = [r for r in graph.calls(edge="comments")[before:] if ids["sale"] in r.path]
    assert outcome.new == 2
    assert len(sale_pages) == 2  # 2 new comments, then one page that reaches the watermark; not all 6 pages


@pytest.mark.parametrize(("lag_minutes", "caught"), [(120, True), (0, False)])
def test_late_comment_inside_the_lag_window_is_caught(
    fb_store: Store, graph: FakeGraph, lag_minutes: int, caught: bool
) -> None:
    ids = shop(graph)
    harness = Harness(graph, lag_minutes=lag_minutes)
    harness.run(fb_store)
    # Indexed late: written at 9:30, before the 10:00 watermark, it shows up only after the run; the
    # post's count is unchanged because another comment was deleted meanwhile. Only the lag window finds it.
    graph.nodes.pop(ids["love"])
    late = graph.add_comment(ids["new"], "Llegó tarde al índice", T0 + 9 * H + timedelta(minutes=30))
    harness.run(fb_store)
    with fb_store.engine.connect() as conn:
        found = conn.execute(
            select(func.count()).select_from(items).where(items.c.external_id == late)
        ).scalar_one()
    assert found == int(caught)


def test_failure_on_page_three_keeps_what_was_saved_and_the_next_run_completes_it(
    fb_store: Store, graph: FakeGraph
) -> None:
    ids = shop(graph)
    for n in range(3):
        graph.add_comment(ids["new"], f"Pregunta {n}", T0 + 9 * H + (n + 1) * timedelta(minutes=5))
    harness = Harness(graph, page_size=2)
    graph.server.fail_next(
        f".*/{ids['sale']}/comments", graph_error_response(2, "Service temporarily unavailable", 503), times=4
    )
    crashed = harness.run(fb_store)
    assert crashed.status == "failed" and crashed.new == 5  # the visitor post + the newest post's 4 comments
    assert fb_store.get_cursor(SOURCE) == {"watermark": None, "counts": {ids["new"]: 4, ids["visitor"]: 0}}
    resumed = harness.run(fb_store)
    assert (resumed.status, resumed.new) == ("ok", 4)
    assert item_count(fb_store) == (9, 9)


def test_bad_comment_is_logged_and_skipped(graph: FakeGraph, caplog: pytest.LogCaptureFixture) -> None:
    ids = shop(graph)
    graph.nodes[ids["late"]].extra = {"created_time": None}
    graph.nodes[ids["love"]].extra = {"created_time": "yesterday"}
    with caplog.at_level(logging.WARNING, logger="collectors.facebook"):
        found = by_id(Harness(graph).items())
    assert ids["late"] not in found and ids["love"] not in found and ids["size"] in found
    assert sum("without id or created_time" in r.getMessage() for r in caplog.records) == 2


def test_sticker_only_comment_gets_a_placeholder_text(graph: FakeGraph) -> None:
    ids = shop(graph)
    graph.nodes[ids["love"]].extra = {"message": None, "attachment": {"type": "sticker"}}
    assert by_id(Harness(graph).items())[ids["love"]].text == "[sticker]"


def test_published_posts_edge_leaves_out_visitor_posts(graph: FakeGraph) -> None:
    ids = shop(graph)
    found = by_id(Harness(graph, edge="published_posts").items())
    assert ids["visitor"] not in found and ids["love"] in found


# -- rate limits and errors --------------------------------------------------------------------


def test_throttled_page_pauses_the_source_until_meta_says(fb_store: Store, graph: FakeGraph) -> None:
    shop(graph)
    graph.throttle(code=80001, regain_minutes=7)
    outcome = Harness(graph).run(fb_store)
    paused_until = fb_store.source_row(SOURCE)["paused_until"]
    assert outcome.status == "paused" and "80001" in outcome.message
    expected = datetime.now(UTC) + timedelta(minutes=7)
    assert abs((paused_until - expected).total_seconds()) < 30


def test_usage_near_the_limit_slows_down_before_hitting_it(graph: FakeGraph) -> None:
    shop(graph)
    graph.usage = 90
    harness = Harness(graph, slow_down_at=75, max_pause_seconds=30)
    harness.items()
    assert harness.sleeps and set(harness.sleeps) == {
        18.0
    }  # 90 % is 60 % of the way from 75 to 100: 0.6 × 30 s


def test_usage_at_100_percent_stops_without_another_call(graph: FakeGraph) -> None:
    shop(graph)
    graph.usage, graph.regain = 100, 3
    with pytest.raises(RateLimited) as raised:
        Harness(graph).items()
    assert len(graph.server.requests) == 1
    assert raised.value.reset_at and raised.value.reset_at > datetime.now(UTC) + timedelta(minutes=2)


def test_expired_token_is_an_auth_error_and_the_token_is_never_logged(
    graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    shop(graph)
    graph.expired = True
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthError) as raised:
        Harness(graph).items()
    assert "190" in str(raised.value) and "new Page token" in str(raised.value)
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert ours and graph.token not in str(raised.value) and not any(graph.token in m for m in ours)


def test_missing_permission_is_an_auth_error(graph: FakeGraph) -> None:
    graph.server.fail_next(
        ".*/feed", graph_error_response(200, "(#200) Requires pages_read_engagement permission")
    )
    with pytest.raises(AuthError, match="lacks a permission"):
        Harness(graph).items()


def test_server_errors_are_retried_then_the_run_goes_on(graph: FakeGraph) -> None:
    ids = shop(graph)
    graph.server.fail_next(
        f".*/{ids['sale']}/comments", Response(500, raw=b"<html>Internal error</html>"), times=2
    )
    harness = Harness(graph)
    assert ids["size"] in by_id(harness.items())
    assert harness.sleeps == [1.0, 2.0]


def test_malformed_body_that_stays_malformed_fails_the_run(graph: FakeGraph) -> None:
    shop(graph)
    graph.server.fail_next(".*/feed", Response(200, raw=b'{"data": [{"id": '), times=4)
    with pytest.raises(TransientError, match="malformed JSON"):
        Harness(graph).items()
    assert len(graph.calls(edge="feed")) == 4


def test_second_page_of_comments_follows_the_after_cursor_not_the_absolute_next_url(graph: FakeGraph) -> None:
    ids = shop(graph)
    found = by_id(Harness(graph, page_size=1).items())
    assert {ids["size"], ids["me_too"], ids["answer"], ids["late"]} <= set(found)
    sale = [r for r in graph.calls(edge="comments") if ids["sale"] in r.path]
    assert len(sale) == 4 and sale[1].query["after"] and sale[1].path.startswith("/v26.0/")


@pytest.mark.parametrize(
    ("code", "subcode", "status", "expected"),
    [(4, None, 400, RateLimited), (17, None, 400, RateLimited), (32, None, 403, RateLimited),
     (613, None, 400, RateLimited), (80001, None, 400, RateLimited), (80002, None, 400, RateLimited),
     (190, 463, 400, AuthError), (10, None, 403, AuthError), (200, None, 403, AuthError),
     (299, None, 403, AuthError), (2, None, 503, TransientError), (100, 33, 400, NotFound),
     (100, None, 400, PlatformError)],
)  # fmt: skip
def test_graph_error_codes_map_to_our_errors(
    code: int, subcode: int | None, status: int, expected: type
) -> None:
    fake = graph_error_response(code, "message", status, subcode)
    request = httpx.Request("GET", "https://graph.facebook.com/v26.0/1/feed?access_token=SECRET")
    error = graph_error(httpx.Response(status, json=fake.body, request=request))
    assert type(error) is expected and "SECRET" not in str(error) and str(code) in str(error)


def test_throttle_without_an_estimate_still_pauses() -> None:
    request = httpx.Request("GET", "https://graph.facebook.com/v26.0/1/feed")
    error = graph_error(httpx.Response(400, json=graph_error_response(4, "Application request limit reached").body,
                                       request=request))  # fmt: skip
    assert (
        isinstance(error, RateLimited)
        and error.reset_at
        and error.reset_at > datetime.now(UTC) + timedelta(minutes=5)
    )


def test_time_based_paging_reuses_the_next_urls_paging_parameters() -> None:
    paging = {"next": "https://graph.facebook.com/v10.0/4/posts?access_token=TOKEN&fields=id&until=1624385168"
                      "&since&__paging_token=abc&__previous"}  # fmt: skip
    assert next_params(paging) == {"until": "1624385168", "__paging_token": "abc"}
    assert next_params({"cursors": {"after": "QVFI"}}) is None  # no `next`: the last page


def test_default_base_url_is_the_pinned_graph_version(graph: FakeGraph) -> None:
    config = config_for(graph)
    plain = config.model_copy(update={"sources": [config.sources[0].model_copy(update={"base_url": None})]})
    collector = create(context_for(plain, plain.sources[0]))
    assert collector.client.base_url == DEFAULT_BASE_URL == "https://graph.facebook.com/v26.0"
    assert create(context(graph)).client.base_url == graph.base_url


# -- replying and moderating -------------------------------------------------------------------


def item_id(store: Store, external_id: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(items.c.id).where(items.c.external_id == external_id)).scalar_one())


def test_reply_is_posted_once_and_recorded_sent_with_the_platform_id(
    fb_store: Store, graph: FakeGraph
) -> None:
    ids = shop(graph)
    harness = Harness(graph)
    harness.run(fb_store)
    reply_id = fb_store.enqueue_reply(item_id(fb_store, ids["late"]), "Hola, te escribimos por privado.")
    assert publish_reply(fb_store, reply_id, lambda r: harness.publisher()) == "sent"
    posts = graph.calls("POST", "comments")
    row = fb_store.reply_rows()[0]
    assert len(posts) == 1 and posts[0].form()["message"] == "Hola, te escribimos por privado."
    assert posts[0].path == f"/v26.0/{ids['late']}/comments"
    assert (
        row["platform_reply_id"] in graph.nodes and graph.nodes[row["platform_reply_id"]].author == graph.page
    )


def test_timeout_after_the_reply_was_posted_is_uncertain_then_collection_confirms_it(
    fb_store: Store, graph: FakeGraph
) -> None:
    ids = shop(graph)
    harness = Harness(graph, timeout_seconds=0.3)
    harness.run(fb_store)
    reply_id = fb_store.enqueue_reply(item_id(fb_store, ids["late"]), "Lo revisamos ahora mismo.")
    graph.server.fail_next(".*/comments", Response(200, body={}, delay=1.0), after_handler=True)
    assert publish_reply(fb_store, reply_id, lambda r: harness.publisher()) == "uncertain"
    assert publish_reply(fb_store, reply_id, lambda r: harness.publisher()) == "skipped"
    Harness(graph).run(fb_store)
    row = fb_store.reply_rows()[0]
    own = [n for n in graph.nodes.values() if n.author == graph.page and n.parent == ids["late"]]
    assert len(graph.calls("POST", "comments")) == 1 and len(own) == 1
    assert (row["status"], row["platform_reply_id"]) == ("sent", own[0].id)
    assert status_of(fb_store, ids["late"])[0] == "answered"


def test_throttled_reply_goes_back_to_the_queue(fb_store: Store, graph: FakeGraph) -> None:
    ids = shop(graph)
    harness = Harness(graph)
    harness.run(fb_store)
    reply_id = fb_store.enqueue_reply(item_id(fb_store, ids["late"]), "Gracias por avisar.")
    graph.throttle(code=32, regain_minutes=5)
    assert publish_reply(fb_store, reply_id, lambda r: harness.publisher()) == "queued"
    assert not [n for n in graph.nodes.values() if n.text == "Gracias por avisar."]


def test_hide_and_unhide_a_comment(graph: FakeGraph) -> None:
    ids = shop(graph)
    publisher = Harness(graph).publisher()
    assert publisher.hide_comment(ids["late"]) is True and graph.nodes[ids["late"]].hidden
    assert publisher.hide_comment(ids["late"], hidden=False) is True and not graph.nodes[ids["late"]].hidden
    assert [r.form()["is_hidden"] for r in graph.calls("POST")] == ["true", "false"]


def test_publisher_needs_the_page_token(graph: FakeGraph) -> None:
    config = config_for(graph)
    bare = config.model_copy(update={"sources": [config.sources[0].model_copy(update={"credentials": {}})]})
    with pytest.raises(AuthError, match="credentials.page_token"):
        create_publisher(context_for(bare, bare.sources[0]))


def test_graph_time_round_trips() -> None:
    assert graph_time(T0) == "2026-03-02T09:00:00+0000"


def test_hiding_a_comment_changes_the_platform_then_tags_the_item_and_records_who(
    fb_store: Store, graph: FakeGraph
) -> None:
    from collectors import moderator_for
    from social_listen.db.tables import events
    from social_listen.moderation import set_hidden
    from social_listen.users import PermissionDenied, add_user

    ids = shop(graph)
    Harness(graph).run(fb_store)
    target = item_id(fb_store, ids["late"])
    agent = add_user(fb_store.engine, "lucia", "demo-12345", role="agent")
    viewer = add_user(fb_store.engine, "ines", "demo-12345", role="viewer")
    moderate = moderator_for(config_for(graph))

    with pytest.raises(PermissionDenied):
        set_hidden(fb_store.engine, viewer, target, True, moderate)
    assert not graph.nodes[ids["late"]].hidden and not graph.calls("POST")

    assert set_hidden(fb_store.engine, agent, target, True, moderate) is True
    assert graph.nodes[ids["late"]].hidden
    assert set_hidden(fb_store.engine, agent, target, True, moderate) is False  # already hidden: no call
    assert len(graph.calls("POST")) == 1
    assert set_hidden(fb_store.engine, agent, target, False, moderate) is True
    assert not graph.nodes[ids["late"]].hidden
    with fb_store.engine.connect() as conn:
        tags = conn.execute(select(items.c.tags).where(items.c.id == target)).scalar_one()
        history = conn.execute(
            select(events.c.action, events.c.user_id).where(events.c.item_id == target).order_by(events.c.id)
        ).all()
    assert "hidden" not in (tags or [])
    assert [tuple(row) for row in history] == [("hidden", agent), ("unhidden", agent)]


def test_comments_on_a_platform_without_moderation_cannot_be_hidden() -> None:
    from collectors import moderator_for
    from social_listen.errors import ReplyNotAllowed

    config = make_config(sources=[{"name": "blog", "brand": "Tienda Luna", "platform": "web_comments",
                                   "target": "https://blog.example/"}])  # fmt: skip
    with pytest.raises(ReplyNotAllowed, match="cannot be hidden"):
        moderator_for(config)("blog")
