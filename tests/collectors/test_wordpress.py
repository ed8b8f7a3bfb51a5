"""WordPress blog comments: discovered, collected incrementally from a fake site, answered, replied to."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from collectors import context_for
from collectors.base import RetryPolicy, SourceContext
from collectors.rest import html_text, rebase
from collectors.wordpress import WordPressCollector, WordPressPublisher, create, create_publisher, site_for
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.errors import AuthError, TransientError
from social_listen.model import Item
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.server import Response
from tests.fakes.wordpress import T0, FakeWordPress, quick_server, wp_error

NOW = T0 + timedelta(days=1)
H = timedelta(hours=1)
SOURCE = "luna-blog"


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    with quick_server() as server:
        yield FakeWordPress(server)


@pytest.fixture
def wp_store(any_store: Store, wp: FakeWordPress) -> Store:
    any_store.sync_config(config_for(wp))
    return any_store


def config_for(
    wp: FakeWordPress, credentials: bool = True, password: str | None = None, **options: Any
) -> Any:
    creds = {"username": wp.username, "app_password": password or wp.app_password} if credentials else {}
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "wordpress", "target": wp.site_url,
              "base_url": wp.base_url, "credentials": creds, "options": options}  # fmt: skip
    return make_config(sources=[source])


def context(wp: FakeWordPress, credentials: bool = True, **options: Any) -> SourceContext:
    config = config_for(wp, credentials, **options)
    return context_for(config, config.source(SOURCE))


class Harness:
    """Builds collectors and publishers on the fake with a fixed clock and recorded sleeps."""

    def __init__(self, wp: FakeWordPress, credentials: bool = True, **options: Any) -> None:
        self.wp, self.credentials, self.options, self.sleeps = wp, credentials, options, []

    def context(self) -> SourceContext:
        return context(self.wp, self.credentials, **self.options)

    def collector(self) -> WordPressCollector:
        site = site_for(self.context(), RetryPolicy(sleep=self.sleeps.append))
        return WordPressCollector(self.context(), site, clock=lambda: NOW)

    def publisher(self) -> WordPressPublisher:
        return create_publisher(self.context())

    def run(self, store: Store) -> Any:
        return run_source(store, config_for(self.wp).source(SOURCE), lambda s: self.collector())

    def items(self, cursor: dict[str, Any] | None = None) -> list[Item]:
        return [i for page in self.collector().collect(cursor) for i in page.items]


def blog(wp: FakeWordPress) -> dict[str, int]:
    """A post with a question its author answered, a follow-up, an unanswered complaint; a second post."""
    ids: dict[str, int] = {}
    ids["post"] = wp.add_post("Cómo elegir la talla de tus zapatillas", author=1)
    ids["question"] = wp.add_comment(ids["post"], "¿La 38 talla grande?\n\nGracias & saludos", T0)
    ids["follow_up"] = wp.add_comment(
        ids["post"], "A mí me pasó lo mismo", T0 + H, name="Luis", parent=ids["question"]
    )
    ids["answer"] = wp.add_comment(
        ids["post"], "Sí, pide una menos.", T0 + 2 * H, author=1, parent=ids["question"]
    )
    ids["complaint"] = wp.add_comment(ids["post"], "Mi pedido no llega", T0 + 3 * H, name="Pablo")
    ids["other"] = wp.add_post("Novedades de primavera", author=1)
    ids["love"] = wp.add_comment(ids["other"], "¡Me encantan!", T0 + 4 * H, name="Marta")
    return ids


def by_id(wp: FakeWordPress, found: list[Item]) -> dict[int, Item]:
    return {int(i.external_id.rsplit("#", 1)[1]): i for i in found}


def ext(wp: FakeWordPress, comment: int) -> str:
    return f"blog.tiendaluna.example#{comment}"


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


def test_first_run_collects_comments_and_replies_as_valid_items(wp: FakeWordPress) -> None:
    ids = blog(wp)
    found = by_id(wp, Harness(wp).items())
    assert set(found) == {ids[k] for k in ("question", "follow_up", "answer", "complaint", "love")}
    for item in found.values():
        assert item.platform == "wordpress" and item.text and item.published_at.utcoffset() == timedelta(0)
        assert item.external_id.startswith("blog.tiendaluna.example#") and item.raw and item.fetched_at == NOW
    question, follow_up = found[ids["question"]], found[ids["follow_up"]]
    assert question.text == "¿La 38 talla grande?\n\nGracias & saludos" and question.published_at == T0
    assert (question.kind, question.parent_external_id, question.thread_external_id) == (
        "comment", None, ext(wp, ids["question"]))  # fmt: skip
    assert (follow_up.kind, follow_up.parent_external_id) == ("reply", ext(wp, ids["question"]))
    assert question.object_title == "Cómo elegir la talla de tus zapatillas"
    assert (
        question.object_url == "https://blog.tiendaluna.example/blog/c-mo-elegir-la-talla-de-tus-zapatillas/"
    )
    assert question.url == f"{question.object_url}#comment-{ids['question']}"
    assert question.author and question.author.name == "Ana Ruiz" and not question.is_own
    assert found[ids["answer"]].is_own and found[ids["answer"]].author.name == "Marta Gil"  # type: ignore[union-attr]


@pytest.mark.parametrize("announce", ["both", "header", "html"])
def test_rest_root_is_discovered_from_the_sites_link_header_or_tag(wp: FakeWordPress, announce: str) -> None:
    blog(wp)
    wp.announce = announce
    assert len(Harness(wp).items()) == 5
    assert wp.server.calls("GET")[0].path == "/" and wp.server.calls("GET", "/wp-json/wp/v2/comments")


def test_site_that_announces_no_rest_root_is_read_through_rest_route(wp: FakeWordPress) -> None:
    blog(wp)
    wp.announce = "none"
    assert len(Harness(wp).items()) == 5
    listed = wp.rest_calls("/wp/v2/comments")
    assert listed and all(r.path == "/" and r.query["rest_route"] == "/wp/v2/comments" for r in listed)


def test_plain_permalink_site_announcing_index_php_is_followed(wp: FakeWordPress) -> None:
    blog(wp)
    wp.plain_permalinks = True
    assert len(Harness(wp).items()) == 5
    assert {r.path for r in wp.rest_calls("/wp/v2/comments")} == {"/index.php"}
    assert not wp.server.calls("GET", "/wp-json/.*")


def test_configured_rest_root_skips_discovery(wp: FakeWordPress) -> None:
    blog(wp)
    Harness(wp, rest_root="https://blog.tiendaluna.example/wp-json/").items()
    assert not wp.server.calls("GET", "/")


def test_post_author_reply_marks_the_comment_and_the_follow_up_answered(
    wp_store: Store, wp: FakeWordPress
) -> None:
    ids = blog(wp)
    Harness(wp).run(wp_store)
    assert status_of(wp_store, ext(wp, ids["question"])) == ("answered", T0 + 2 * H)
    assert status_of(wp_store, ext(wp, ids["follow_up"])) == ("answered", T0 + 2 * H)
    assert status_of(wp_store, ext(wp, ids["complaint"])) == ("open", None)


def test_configured_staff_user_answers_but_a_registered_customer_does_not(wp: FakeWordPress) -> None:
    ids = blog(wp)
    by_staff = wp.add_comment(
        ids["post"], "Te escribimos por privado.", T0 + 5 * H, author=5, parent=ids["complaint"]
    )
    by_customer = wp.add_comment(ids["other"], "Yo también", T0 + 6 * H, author=9, parent=ids["love"])
    found = by_id(wp, Harness(wp, credentials=False, staff_user_ids=[5]).items())
    assert found[by_staff].is_own and found[by_staff].parent_external_id == ext(wp, ids["complaint"])
    assert not found[by_customer].is_own


def test_the_application_password_user_counts_as_staff(wp: FakeWordPress) -> None:
    ids = blog(wp)
    reply = wp.add_comment(
        ids["other"], "¡Gracias, Marta!", T0 + 5 * H, author=wp.app_user, parent=ids["love"]
    )
    assert by_id(wp, Harness(wp).items())[reply].is_own
    assert not by_id(wp, Harness(wp, credentials=False).items())[reply].is_own
    assert wp.rest_calls("/wp/v2/users/me")[0].headers["Authorization"].startswith("Basic ")


def test_each_post_is_read_once_per_run(wp: FakeWordPress) -> None:
    blog(wp)
    Harness(wp, page_size=2).items()
    reads = [r.path for r in wp.server.calls("GET", "/wp-json/wp/v2/posts/.*")]
    assert sorted(reads) == sorted(set(reads)) and len(reads) == 2


def test_second_run_on_the_same_responses_changes_nothing(wp_store: Store, wp: FakeWordPress) -> None:
    blog(wp)
    harness = Harness(wp)
    first, second = harness.run(wp_store), harness.run(wp_store)
    assert (first.status, first.new) == ("ok", 5)
    assert (second.status, second.new, second.updated) == ("ok", 0, 0)


def test_cursor_moves_forward_and_the_next_run_asks_after_it_minus_the_overlap(
    wp_store: Store, wp: FakeWordPress
) -> None:
    ids = blog(wp)
    harness = Harness(wp, overlap_minutes=10)
    harness.run(wp_store)
    assert wp_store.get_cursor(SOURCE) == {"after": (T0 + 4 * H).isoformat()}
    wp.add_comment(ids["other"], "¿Hay envío a Canarias?", T0 + 7 * H)
    outcome = harness.run(wp_store)
    assert (outcome.new, outcome.updated) == (1, 0)
    assert wp.rest_calls("/wp/v2/comments")[-1].query["after"] == "2026-03-02T12:50:00Z"
    assert wp_store.get_cursor(SOURCE) == {"after": (T0 + 7 * H).isoformat()}


def test_failure_on_page_three_keeps_what_was_saved_and_the_next_run_completes_it(
    wp_store: Store, wp: FakeWordPress
) -> None:
    ids = blog(wp)
    wp.add_comment(ids["other"], "Una pregunta más", T0 + 5 * H)
    wp.fail_page("/wp/v2/comments", 3, Response(502, raw=b"<html>Bad gateway</html>"), times=4)
    harness = Harness(wp, page_size=2)
    crashed = harness.run(wp_store)
    assert (crashed.status, crashed.new) == ("failed", 4) and "502" in crashed.message
    assert wp_store.get_cursor(SOURCE) == {"after": (T0 + 3 * H).isoformat()}
    resumed = harness.run(wp_store)
    assert (resumed.status, resumed.new) == ("ok", 2)
    assert item_count(wp_store) == (6, 6)


def test_comment_without_a_date_is_logged_and_skipped(
    wp: FakeWordPress, caplog: pytest.LogCaptureFixture
) -> None:
    ids = blog(wp)
    wp.comments[ids["love"]].extra = {"date_gmt": None}
    with caplog.at_level(logging.WARNING, logger="collectors.wordpress"):
        found = by_id(wp, Harness(wp).items())
    assert ids["love"] not in found and ids["question"] in found
    assert any("without id or date_gmt" in r.getMessage() for r in caplog.records)


def test_private_post_does_not_stop_the_run(wp: FakeWordPress) -> None:
    ids = blog(wp)
    wp.private_posts.add(ids["other"])
    love = by_id(wp, Harness(wp).items())[ids["love"]]
    assert love.object_title is None and love.object_id == f"blog.tiendaluna.example/?p={ids['other']}"


def test_comments_on_a_closed_post_cannot_be_replied_to(wp: FakeWordPress) -> None:
    ids = blog(wp)
    wp.posts[ids["other"]].comment_status = "closed"
    found = by_id(wp, Harness(wp).items())
    assert not found[ids["love"]].can_reply and found[ids["question"]].can_reply


def test_server_errors_are_retried_then_the_run_goes_on(wp: FakeWordPress) -> None:
    blog(wp)
    wp.fail_page("/wp/v2/comments", 1, Response(500, raw=b"<html>Error</html>"), times=2)
    harness = Harness(wp)
    assert len(harness.items()) == 5 and harness.sleeps == [1.0, 2.0]


def test_body_that_is_not_a_list_is_retried_then_fails_the_run(wp: FakeWordPress) -> None:
    blog(wp)
    wp.fail_page("/wp/v2/comments", 1, Response(200, raw=b"<!DOCTYPE html><p>Maintenance</p>"), times=4)
    with pytest.raises(TransientError, match="malformed JSON"):
        Harness(wp).items()


def test_rate_limited_site_pauses_the_source(wp_store: Store, wp: FakeWordPress) -> None:
    blog(wp)
    wp.fail_page("/wp/v2/comments", 1, wp_error("too_many", "Slow down", 429))
    wp.page_faults[-1][2].headers["Retry-After"] = "600"
    outcome = Harness(wp).run(wp_store)
    paused = wp_store.source_row(SOURCE)["paused_until"]
    assert outcome.status == "paused" and paused > datetime.now(UTC) + timedelta(minutes=9)


def test_wrong_application_password_is_an_auth_error_and_never_logged(
    wp: FakeWordPress, caplog: pytest.LogCaptureFixture
) -> None:
    blog(wp)
    config = config_for(wp, password="wrong pass WORD 1234")
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthError) as raised:
        list(create(context_for(config, config.source(SOURCE))).collect(None))
    messages = [r.getMessage() for r in caplog.records] + [str(raised.value)]
    assert "401" in str(raised.value) and "incorrect_password" in str(raised.value)
    assert not any("wrong pass" in m or "d3JvbmcgcGFzcyBXT1JE" in m for m in messages)


# -- replying ------------------------------------------------------------------------------------


def test_reply_is_posted_once_under_the_comment_and_recorded_sent(wp_store: Store, wp: FakeWordPress) -> None:
    ids = blog(wp)
    harness = Harness(wp)
    harness.run(wp_store)
    reply_id = wp_store.enqueue_reply(
        item_id(wp_store, ext(wp, ids["complaint"])), "Lo miramos ahora, Pablo."
    )
    assert publish_reply(wp_store, reply_id, lambda r: harness.publisher()) == "sent"
    posts = wp.rest_calls("/wp/v2/comments", "POST")
    assert len(posts) == 1 and posts[0].json() == {"post": ids["post"], "parent": ids["complaint"],
                                                   "content": "Lo miramos ahora, Pablo."}  # fmt: skip
    created = max(wp.comments)
    row = wp_store.reply_rows()[0]
    assert row["platform_reply_id"] == ext(wp, created) and row["url"].endswith(f"#comment-{created}")
    assert status_of(wp_store, ext(wp, ids["complaint"]))[0] == "answered"


def test_timeout_after_the_reply_was_posted_is_uncertain_then_collection_confirms_it(
    wp_store: Store, wp: FakeWordPress
) -> None:
    ids = blog(wp)
    harness = Harness(wp, timeout_seconds=0.2)
    harness.run(wp_store)
    reply_id = wp_store.enqueue_reply(
        item_id(wp_store, ext(wp, ids["complaint"])), "Lo revisamos ahora mismo."
    )
    wp.server.fail_next("/wp-json/wp/v2/comments", Response(201, body={}, delay=0.6), after_handler=True)
    assert publish_reply(wp_store, reply_id, lambda r: harness.publisher()) == "uncertain"
    assert wp_store.reply_rows()[0]["status"] == "uncertain"
    Harness(wp).run(wp_store)
    row = wp_store.reply_rows()[0]
    created = [c for c in wp.comments.values() if c.parent == ids["complaint"]]
    assert len(wp.rest_calls("/wp/v2/comments", "POST")) == 1 and len(created) == 1
    assert (row["status"], row["platform_reply_id"]) == ("sent", ext(wp, created[0].id))
    assert status_of(wp_store, ext(wp, ids["complaint"])) == ("answered", wp.now)


def test_closed_comments_refuse_the_reply_with_a_link_to_answer_on_the_site(
    wp_store: Store, wp: FakeWordPress
) -> None:
    ids = blog(wp)
    harness = Harness(wp)
    harness.run(wp_store)
    wp.posts[ids["post"]].comment_status = "closed"
    reply_id = wp_store.enqueue_reply(item_id(wp_store, ext(wp, ids["complaint"])), "Hola")
    assert publish_reply(wp_store, reply_id, lambda r: harness.publisher()) == "failed"
    error = wp_store.reply_rows()[0]["error"]
    assert "rest_comment_closed" in error and f"#comment-{ids['complaint']}" in error


def test_duplicate_reply_is_uncertain_not_failed(wp: FakeWordPress) -> None:
    from social_listen.errors import UncertainDelivery
    from social_listen.model import ReplyRequest

    ids = blog(wp)
    wp.add_comment(ids["post"], "Ya está", T0 + 5 * H, author=wp.app_user, parent=ids["complaint"])
    request = ReplyRequest(1, SOURCE, "wordpress", ext(wp, ids["complaint"]), None, None, "Ya está",
                           item_raw={"id": ids["complaint"], "post": ids["post"]})  # fmt: skip
    with pytest.raises(UncertainDelivery, match="already has this exact reply"):
        Harness(wp).publisher().publish(request)


def test_publisher_needs_an_application_password(wp: FakeWordPress) -> None:
    with pytest.raises(AuthError, match="credentials.username"):
        create_publisher(context(wp, credentials=False))


# -- helpers ---------------------------------------------------------------------------------------


def test_rendered_html_becomes_plain_text_with_its_line_breaks() -> None:
    rendered = "<p>Hola &amp; gracias<br />\nsegunda línea</p>\n<p>&#8220;Otro&#8221; párrafo <a href='x'>enlace</a></p>\n"
    assert html_text(rendered) == "Hola & gracias\nsegunda línea\n\n“Otro” párrafo enlace"


def test_absolute_links_are_rebased_on_the_configured_base_url() -> None:
    link = "https://blog.tiendaluna.example/index.php?rest_route=/wp/v2/posts/4"
    assert (
        rebase(link, "http://127.0.0.1:9/proxy/")
        == "http://127.0.0.1:9/proxy/index.php?rest_route=/wp/v2/posts/4"
    )
    assert rebase(link, None) == link


def test_requests_say_who_we_are_with_the_configured_contact_url(wp: FakeWordPress) -> None:
    blog(wp)
    Harness(wp).items()
    agents = {r.headers["User-Agent"] for r in wp.server.requests}
    assert agents == {"social-listen/0.1.0 (+https://github.com/social-listen)"}


def test_comments_on_products_are_left_to_the_woocommerce_source(wp: FakeWordPress) -> None:
    ids = blog(wp)
    product = wp.add_post("Botas Luna", type="product")
    review = wp.add_review(product, "Geniales", T0 + H)
    on_review = wp.add_comment(product, "¡Gracias!", T0 + 2 * H, author=wp.app_user, parent=review)
    found = by_id(wp, Harness(wp).items())
    assert on_review not in found and review not in found and ids["question"] in found
