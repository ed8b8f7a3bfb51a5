"""Instagram comments: collected from a fake Graph API, answered by the account, replied to within the rules."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from collectors import context_for
from collectors.base import SourceContext
from collectors.graph import INSTAGRAM_LOGIN_BASE_URL, client_for
from collectors.instagram import InstagramCollector, InstagramPublisher, create, create_publisher
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.errors import ReplyNotAllowed
from social_listen.model import Item, ReplyRequest
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.graph import T0, FakeGraph, graph_error, graph_server
from tests.fakes.server import Response

NOW = T0 + timedelta(days=1)
H = timedelta(hours=1)
SOURCE = "luna-ig"
LUIS = ("17841422222222222", "luis.g")


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with graph_server() as fake:
        yield fake


@pytest.fixture
def ig_store(any_store: Store, graph: FakeGraph) -> Store:
    any_store.sync_config(config_for(graph))
    return any_store


def config_for(graph: FakeGraph, base_url: str | None = None, credentials: Any = None, **options: Any) -> Any:
    source = {
        "name": SOURCE, "brand": "Tienda Luna", "platform": "instagram", "target": graph.ig_id,
        "base_url": base_url or graph.base_url, "options": options,
        "credentials": {"page_token": graph.token} if credentials is None else credentials,
    }  # fmt: skip
    return make_config(sources=[source])


def context(graph: FakeGraph, **options: Any) -> SourceContext:
    config = config_for(graph, **options)
    return context_for(config, config.source(SOURCE))


class Harness:
    """Collectors and publishers on the fake with a fixed clock and no real sleeping."""

    def __init__(self, graph: FakeGraph, **options: Any) -> None:
        self.graph, self.options, self.sleeps = graph, options, []

    def client(self) -> Any:
        return client_for(context(self.graph, **self.options), self.graph.token, sleep=self.sleeps.append)

    def collector(self) -> InstagramCollector:
        return InstagramCollector(context(self.graph, **self.options), self.client(), clock=lambda: NOW)

    def publisher(self) -> InstagramPublisher:
        return InstagramPublisher(self.client())

    def run(self, store: Store) -> Any:
        return run_source(store, config_for(self.graph).source(SOURCE), lambda s: self.collector())

    def items(self) -> dict[str, Item]:
        return {i.external_id: i for page in self.collector().collect(None) for i in page.items}


def account(graph: FakeGraph) -> dict[str, str]:
    """Two media (one a live video), a thread the account answered, a hidden comment, a tagging post."""
    ids: dict[str, str] = {}
    ids["shoes"] = graph.add_media("Zapatillas nuevas para la primavera 👟", T0)
    ids["price"] = graph.add_ig_comment(ids["shoes"], "¿Precio?", T0 + H)
    ids["me_too"] = graph.add_ig_comment(ids["price"], "Eso, ¿precio?", T0 + 2 * H, author=LUIS)
    ids["answer"] = graph.add_ig_comment(ids["price"], "¡49,90 €! 😊", T0 + 3 * H, author=graph.account)
    ids["spam"] = graph.add_ig_comment(ids["shoes"], "Gana seguidores aquí", T0 + 4 * H, hidden=True)
    ids["live"] = graph.add_media("Directo: probamos las zapatillas", T0 + 5 * H, product_type="LIVE")
    ids["live_q"] = graph.add_ig_comment(ids["live"], "¿Hacéis envíos a Canarias?", T0 + 6 * H, author=LUIS)
    ids["tag"] = graph.add_media("Estrenando mis zapatillas de @tiendaluna", T0 + 7 * H, tagged=True)
    return ids


def status_of(store: Store, external_id: str) -> str:
    with store.engine.connect() as conn:
        return str(
            conn.execute(select(items.c.status).where(items.c.external_id == external_id)).scalar_one()
        )


def item_id(store: Store, external_id: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(items.c.id).where(items.c.external_id == external_id)).scalar_one())


# -- collecting ----------------------------------------------------------------------------------


def test_comments_and_nested_replies_become_items_with_a_private_reply_deadline(graph: FakeGraph) -> None:
    ids = account(graph)
    found = Harness(graph).items()
    assert set(found) == {ids[k] for k in ("price", "me_too", "answer", "spam", "live_q", "tag")}
    price, me_too, answer = found[ids["price"]], found[ids["me_too"]], found[ids["answer"]]
    assert (price.kind, price.parent_external_id, price.thread_external_id) == ("comment", None, ids["price"])
    assert (me_too.kind, me_too.parent_external_id, me_too.thread_external_id) == (
        "reply",
        ids["price"],
        ids["price"],
    )
    assert answer.is_own and not price.is_own and price.author and price.author.handle == "ana.ruiz"
    assert price.published_at == T0 + H and price.published_at.utcoffset() == timedelta(0)
    assert price.reply_deadline_at == T0 + H + timedelta(days=7) and answer.reply_deadline_at is None
    assert price.object_id == ids["shoes"] and price.object_title == "Zapatillas nuevas para la primavera 👟"
    assert price.url and price.url.startswith("https://www.instagram.com/p/")
    assert not found[ids["spam"]].can_reply and not found[ids["live_q"]].can_reply and price.can_reply


def test_account_reply_marks_the_comment_and_earlier_replies_answered(
    ig_store: Store, graph: FakeGraph
) -> None:
    ids = account(graph)
    Harness(graph).run(ig_store)
    assert (
        status_of(ig_store, ids["price"]) == "answered" and status_of(ig_store, ids["me_too"]) == "answered"
    )
    assert status_of(ig_store, ids["live_q"]) == "open"


def test_own_reply_is_recognised_by_username_when_from_is_missing(graph: FakeGraph) -> None:
    ids = account(graph)
    graph.nodes[ids["answer"]].extra = {"from": None}
    assert not Harness(graph).items()[ids["answer"]].is_own
    assert Harness(graph, username="@TiendaLuna").items()[ids["answer"]].is_own


def test_long_reply_threads_are_read_from_the_replies_edge(graph: FakeGraph) -> None:
    ids = account(graph)
    graph.nested_limit = 1
    found = Harness(graph).items()
    assert {ids["me_too"], ids["answer"]} <= set(found)
    assert [r.path for r in graph.calls(edge="replies")] == [f"/v26.0/{ids['price']}/replies"]


def test_unchanged_media_are_skipped_and_changed_ones_read_again(ig_store: Store, graph: FakeGraph) -> None:
    ids = account(graph)
    harness = Harness(graph, lag_minutes=30)
    harness.run(ig_store)
    before = len(graph.calls(edge="comments"))
    graph.add_ig_comment(ids["shoes"], "¿Tenéis la 42?", T0 + 8 * H)
    outcome = harness.run(ig_store)
    assert [r.path for r in graph.calls(edge="comments")[before:]] == [f"/v26.0/{ids['shoes']}/comments"]
    assert (outcome.new, outcome.updated) == (1, 0)


def test_second_run_on_the_same_responses_changes_nothing(ig_store: Store, graph: FakeGraph) -> None:
    account(graph)
    harness = Harness(graph)
    first, second = harness.run(ig_store), harness.run(ig_store)
    assert (first.status, first.new) == ("ok", 6)
    assert (second.status, second.new, second.updated) == ("ok", 0, 0)
    assert ig_store.get_cursor(SOURCE)["watermark"] == (T0 + 6 * H).isoformat()  # type: ignore[index]


def test_failure_on_page_three_keeps_what_was_saved_and_the_next_run_completes_it(
    ig_store: Store, graph: FakeGraph
) -> None:
    ids = account(graph)
    harness = Harness(graph, page_size=1)
    # Pages: mentions, live video comments, then the shoes' first comment page, which fails.
    graph.server.fail_next(f".*/{ids['shoes']}/comments", Response(502, raw=b"Bad Gateway"), times=4)
    crashed = harness.run(ig_store)
    assert (crashed.status, crashed.new) == ("failed", 2)
    assert ig_store.get_cursor(SOURCE) == {"watermark": None, "counts": {ids["live"]: 1}}
    resumed = harness.run(ig_store)
    assert (resumed.status, resumed.new) == ("ok", 4)
    with ig_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(items)).scalar_one() == 6


def test_tagged_media_come_in_as_mentions(graph: FakeGraph) -> None:
    ids = account(graph)
    mention = Harness(graph).items()[ids["tag"]]
    assert (mention.kind, mention.can_reply, mention.author.handle) == ("mention", False, "fan.de.luna")  # type: ignore[union-attr]


def test_mentions_that_the_login_does_not_offer_are_skipped_with_a_warning(
    graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    ids = account(graph)
    graph.server.fail_next(".*/tags", graph_error(100, "(#100) Tried accessing nonexisting field (tags)"))
    with caplog.at_level(logging.WARNING, logger="collectors.instagram"):
        found = Harness(graph).items()
    assert ids["tag"] not in found and ids["price"] in found
    assert any("mentions" in r.getMessage() for r in caplog.records)


def test_comment_without_timestamp_is_logged_and_skipped(
    graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    ids = account(graph)
    graph.nodes[ids["live_q"]].extra = {"timestamp": None}
    with caplog.at_level(logging.WARNING, logger="collectors.instagram"):
        found = Harness(graph).items()
    assert ids["live_q"] not in found and ids["price"] in found
    assert any("without id or timestamp" in r.getMessage() for r in caplog.records)


def test_instagram_throttling_pauses_the_source(ig_store: Store, graph: FakeGraph) -> None:
    account(graph)
    graph.throttle(code=80002, regain_minutes=12)
    outcome = Harness(graph).run(ig_store)
    assert outcome.status == "paused" and "80002" in outcome.message


def test_instagram_login_flavour_is_chosen_by_base_url_and_takes_an_access_token(graph: FakeGraph) -> None:
    config = config_for(graph, base_url=INSTAGRAM_LOGIN_BASE_URL, credentials={"access_token": "IGQV-token"})
    collector = create(context_for(config, config.source(SOURCE)))
    assert collector.client.base_url == "https://graph.instagram.com/v26.0"
    assert collector.client.token == "IGQV-token"
    publisher = create_publisher(context(graph))
    assert publisher.client.base_url == graph.base_url and publisher.client.token == graph.token


# -- replying --------------------------------------------------------------------------------------


def request_for(found: dict[str, Item], external_id: str, text: str = "¡Gracias!") -> ReplyRequest:
    item = found[external_id]
    return ReplyRequest(
        reply_id=1, source=SOURCE, platform="instagram", item_external_id=external_id,
        thread_external_id=item.thread_external_id, object_id=item.object_id, text=text, item_raw=item.raw,
    )  # fmt: skip


def test_reply_to_a_reply_goes_to_the_top_level_comment(graph: FakeGraph) -> None:
    ids = account(graph)
    harness = Harness(graph)
    posted = harness.publisher().publish(request_for(harness.items(), ids["me_too"], "49,90 €, Luis"))
    assert [r.path for r in graph.calls("POST")] == [f"/v26.0/{ids['price']}/replies"]
    assert graph.nodes[posted.platform_reply_id].parent == ids["price"]


@pytest.mark.parametrize(
    ("key", "reason"),
    [("spam", "hidden comments"), ("live_q", "live video"), ("tag", "tags the account")],
)
def test_replies_instagram_forbids_are_refused_before_any_call(
    graph: FakeGraph, key: str, reason: str
) -> None:
    ids = account(graph)
    harness = Harness(graph)
    found = harness.items()
    with pytest.raises(ReplyNotAllowed, match=reason) as refused:
        harness.publisher().publish(request_for(found, ids[key]))
    assert refused.value.url and refused.value.url.startswith("https://www.instagram.com/p/")
    assert graph.calls("POST") == []


def test_reply_is_sent_once_and_recorded_with_the_platform_id(ig_store: Store, graph: FakeGraph) -> None:
    ids = account(graph)
    harness = Harness(graph)
    harness.run(ig_store)
    reply_id = ig_store.enqueue_reply(item_id(ig_store, ids["live_q"]), "Sí, enviamos a Canarias.")
    graph.nodes[ids["live"]].product_type = "FEED"  # the raw payload still says LIVE: refused
    assert publish_reply(ig_store, reply_id, lambda r: harness.publisher()) == "failed"
    reply_id = ig_store.enqueue_reply(item_id(ig_store, ids["spam"]), "No")
    assert publish_reply(ig_store, reply_id, lambda r: harness.publisher()) == "failed"
    reply_id = ig_store.enqueue_reply(item_id(ig_store, ids["price"]), "Y con envío gratis.")
    assert publish_reply(ig_store, reply_id, lambda r: harness.publisher()) == "sent"
    row = next(r for r in ig_store.reply_rows() if r["id"] == reply_id)
    assert len(graph.calls("POST", "replies")) == 1 and row["platform_reply_id"] in graph.nodes


def test_timeout_after_instagram_took_the_reply_is_uncertain_then_collection_confirms_it(
    ig_store: Store, graph: FakeGraph
) -> None:
    ids = account(graph)
    Harness(graph).run(ig_store)
    reply_id = ig_store.enqueue_reply(item_id(ig_store, ids["price"]), "Y con envío gratis.")
    graph.server.fail_next(".*/replies", Response(200, body={}, delay=1.0), after_handler=True)
    slow = Harness(graph, timeout_seconds=0.3)
    assert publish_reply(ig_store, reply_id, lambda r: slow.publisher()) == "uncertain"
    Harness(graph).run(ig_store)
    row = ig_store.reply_rows()[0]
    mine = [n for n in graph.nodes.values() if n.text == "Y con envío gratis."]
    assert len(graph.calls("POST", "replies")) == 1 and len(mine) == 1
    assert (row["status"], row["platform_reply_id"]) == ("sent", mine[0].id)


def test_hide_a_comment(graph: FakeGraph) -> None:
    ids = account(graph)
    assert Harness(graph).publisher().hide_comment(ids["price"]) is True
    assert graph.nodes[ids["price"]].hidden and graph.calls("POST")[0].form()["hide"] == "true"
