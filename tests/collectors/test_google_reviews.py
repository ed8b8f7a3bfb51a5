"""Google Business Profile reviews: collected newest change first from a fake API, answered, replied to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from collectors import context_for
from collectors.base import RetryPolicy, SourceContext
from collectors.google_reviews import (
    DEFAULT_BASE_URL,
    GoogleReviewsCollector,
    api_for,
    create,
    create_publisher,
    review_text,
)
from social_listen.collect import run_source
from social_listen.db.tables import items
from social_listen.errors import AuthError
from social_listen.model import Item
from social_listen.publish import publish_reply
from social_listen.store import Store
from tests.conftest import make_config
from tests.fakes.google_reviews import LOCATION, T0, FakeGoogleReviews, google_error
from tests.fakes.server import Response
from tests.fakes.wordpress import quick_server

NOW = T0 + timedelta(days=2)
H = timedelta(hours=1)
SOURCE = "luna-google"


@pytest.fixture
def gbp() -> Iterator[FakeGoogleReviews]:
    with quick_server() as server:
        yield FakeGoogleReviews(server)


@pytest.fixture
def gbp_store(any_store: Store, gbp: FakeGoogleReviews) -> Store:
    any_store.sync_config(config_for(gbp))
    return any_store


def config_for(gbp: FakeGoogleReviews, credentials: dict[str, str] | None = None, **options: Any) -> Any:
    source = {"name": SOURCE, "brand": "Tienda Luna", "platform": "google_reviews", "target": gbp.location,
              "base_url": gbp.base_url, "credentials": credentials or {"access_token": gbp.access_token},
              "options": {"location_name": "Tienda Luna Madrid", **options}}  # fmt: skip
    return make_config(sources=[source])


def refresh_credentials(gbp: FakeGoogleReviews, **extra: str) -> dict[str, str]:
    return {"refresh_token": gbp.refresh_token, "client_id": gbp.client_id, "client_secret": gbp.client_secret,
            **extra}  # fmt: skip


class Harness:
    """Builds collectors and publishers on the fake with a fixed clock and recorded sleeps."""

    def __init__(
        self, gbp: FakeGoogleReviews, credentials: dict[str, str] | None = None, **options: Any
    ) -> None:
        self.gbp, self.credentials, self.options, self.sleeps = gbp, credentials, options, []

    def context(self) -> SourceContext:
        config = config_for(self.gbp, self.credentials, **self.options)
        return context_for(config, config.source(SOURCE))

    def collector(self) -> GoogleReviewsCollector:
        api = api_for(self.context(), RetryPolicy(sleep=self.sleeps.append))
        return GoogleReviewsCollector(self.context(), api, clock=lambda: NOW)

    def run(self, store: Store) -> Any:
        return run_source(store, config_for(self.gbp).source(SOURCE), lambda s: self.collector())

    def items(self, cursor: dict[str, Any] | None = None) -> list[Item]:
        return [i for page in self.collector().collect(cursor) for i in page.items]


def location(gbp: FakeGoogleReviews) -> dict[str, str]:
    """Reviews: one answered in Google Maps, a complaint, a rating-only one, a translated one."""
    ids: dict[str, str] = {}
    ids["happy"] = gbp.add_review(5, "Atención de diez, volveré.", T0)
    gbp.owner_reply(ids["happy"], "¡Gracias, Ana! Te esperamos.", T0 + 2 * H)
    ids["angry"] = gbp.add_review(1, "Me cobraron dos veces.", T0 + H, name="Pablo Gil")
    ids["stars"] = gbp.add_review(4, None, T0 + 3 * H, name="Lucía")
    ids["tourist"] = gbp.add_review(3, "(Translated by Google) Nice shop, slow queue\n\n(Original)\nTienda bonita, "
                                    "cola lenta", T0 + 4 * H, name="John")  # fmt: skip
    return ids


def by_id(found: list[Item]) -> dict[str, Item]:
    return {i.external_id: i for i in found}


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


def test_first_run_collects_reviews_and_the_owners_replies_as_valid_items(gbp: FakeGoogleReviews) -> None:
    ids = location(gbp)
    found = by_id(Harness(gbp).items())
    happy, reply = found[gbp.name(ids["happy"])], found[gbp.name(ids["happy"]) + "/reply"]
    assert len(found) == 5
    for item in found.values():
        assert (
            item.platform == "google_reviews" and item.text and item.published_at.utcoffset() == timedelta(0)
        )
        assert (
            item.object_id == LOCATION
            and item.object_title == "Tienda Luna Madrid"
            and item.fetched_at == NOW
        )
    assert (happy.kind, happy.rating, happy.text, happy.published_at) == (
        "review",
        5.0,
        "Atención de diez, volveré.",
        T0,
    )
    assert happy.author and happy.author.name == "Ana Ruiz" and happy.author.external_id.startswith("h:")
    assert (reply.kind, reply.is_own, reply.parent_external_id, reply.thread_external_id) == (
        "reply", True, happy.external_id, happy.external_id)  # fmt: skip
    assert reply.text == "¡Gracias, Ana! Te esperamos." and reply.published_at == T0 + 2 * H
    assert found[gbp.name(ids["angry"])].rating == 1.0
    assert found[gbp.name(ids["stars"])].text == "★★★★☆"


@pytest.mark.parametrize(("enum", "rating"), [("ONE", 1.0), ("TWO", 2.0), ("THREE", 3.0), ("FOUR", 4.0),
                                              ("FIVE", 5.0), ("STAR_RATING_UNSPECIFIED", None)])  # fmt: skip
def test_star_rating_enums_become_numbers(gbp: FakeGoogleReviews, enum: str, rating: float | None) -> None:
    review = gbp.add_review(3, "Bien", T0)
    gbp.reviews[review].extra = {"starRating": enum}
    assert Harness(gbp).items()[0].rating == rating


@pytest.mark.parametrize(
    "comment",
    [
        "(Translated by Google) Nice shop\n\n(Original)\nTienda bonita",
        "Tienda bonita\n\n(Translated by Google)\nNice shop",
    ],
)
def test_googles_translation_is_left_out_of_the_text(comment: str) -> None:
    assert review_text({"comment": comment, "starRating": "FOUR"}) == "Tienda bonita"


def test_anonymous_reviewer_keeps_no_name(gbp: FakeGoogleReviews) -> None:
    gbp.add_review(2, "Regular", T0, anonymous=True)
    author = Harness(gbp).items()[0].author
    assert author and author.name == "Anonymous"


def test_owner_reply_in_google_maps_marks_the_review_answered_at_its_time(
    gbp_store: Store, gbp: FakeGoogleReviews
) -> None:
    ids = location(gbp)
    Harness(gbp).run(gbp_store)
    assert status_of(gbp_store, gbp.name(ids["happy"])) == ("answered", T0 + 2 * H)
    assert status_of(gbp_store, gbp.name(ids["angry"])) == ("open", None)


def test_second_run_on_the_same_responses_changes_nothing(gbp_store: Store, gbp: FakeGoogleReviews) -> None:
    location(gbp)
    harness = Harness(gbp)
    first, second = harness.run(gbp_store), harness.run(gbp_store)
    assert (first.status, first.new) == ("ok", 5)
    assert (second.status, second.new, second.updated) == ("ok", 0, 0)


def test_next_run_reads_only_down_to_the_last_mark_minus_the_lag(gbp: FakeGoogleReviews) -> None:
    for n in range(120):
        gbp.add_review(4, f"Reseña {n}", T0 + n * timedelta(minutes=5))
    harness = Harness(gbp, lag_minutes=60)
    pages = list(harness.collector().collect(None))
    assert len(pages) == 3 and pages[-1].cursor == {"updated": (T0 + 119 * timedelta(minutes=5)).isoformat()}
    assert [p.cursor for p in pages[:-1]] == [None, None]  # no mark yet: nothing to promote before the end
    gbp.add_review(2, "Nueva", T0 + 12 * H)
    before = len(gbp.server.calls("GET"))
    again = [i for page in harness.collector().collect(pages[-1].cursor) for i in page.items]
    assert len(gbp.server.calls("GET")) - before == 1 and len(again) == 1 + 12  # the new one + the lag hour


def test_edited_review_comes_back_and_is_updated(gbp_store: Store, gbp: FakeGoogleReviews) -> None:
    ids = location(gbp)
    harness = Harness(gbp)
    harness.run(gbp_store)
    review = gbp.reviews[ids["angry"]]
    review.comment, review.stars, review.updated = "Ya me devolvieron el cargo, gracias.", 4, T0 + 20 * H
    outcome = harness.run(gbp_store)
    assert (outcome.new, outcome.updated) == (0, 1)
    with gbp_store.engine.connect() as conn:
        row = conn.execute(
            select(items.c.text, items.c.rating).where(items.c.external_id == gbp.name(review.id))
        ).one()
    assert (row.text, row.rating) == ("Ya me devolvieron el cargo, gracias.", 4.0)


def test_failure_on_page_three_keeps_the_old_mark_and_the_next_run_completes_it(
    gbp_store: Store, gbp: FakeGoogleReviews
) -> None:
    location(gbp)
    harness = Harness(gbp, page_size=2, lag_minutes=0)
    harness.run(gbp_store)
    mark = gbp_store.get_cursor(SOURCE)
    for n in range(6):
        gbp.add_review(3, f"Nueva {n}", T0 + (10 + n) * H)
    gbp.fail_page(3, google_error(503, "UNAVAILABLE", "The service is currently unavailable."), times=4)
    crashed = harness.run(gbp_store)
    assert (crashed.status, crashed.new) == ("failed", 4) and gbp_store.get_cursor(SOURCE) == mark
    resumed = harness.run(gbp_store)
    assert (resumed.status, resumed.new) == ("ok", 2) and item_count(gbp_store) == (11, 11)
    assert gbp_store.get_cursor(SOURCE) == {"updated": (T0 + 15 * H).isoformat()}


# -- auth and errors -------------------------------------------------------------------------------


def test_configured_access_token_is_used_without_refreshing(gbp: FakeGoogleReviews) -> None:
    location(gbp)
    Harness(gbp, {"access_token": gbp.access_token, **refresh_credentials(gbp)}).items()
    assert not gbp.server.calls("POST", "/token")
    assert gbp.server.calls("GET")[0].headers["Authorization"] == f"Bearer {gbp.access_token}"


def test_refresh_token_gets_an_access_token_when_none_is_configured(gbp: FakeGoogleReviews) -> None:
    location(gbp)
    assert len(Harness(gbp, refresh_credentials(gbp)).items()) == 5
    token_calls = gbp.server.calls("POST", "/token")
    assert len(token_calls) == 1 and token_calls[0].form()["grant_type"] == "refresh_token"
    assert gbp.server.calls("GET")[0].headers["Authorization"] == "Bearer ya29.a0-REFRESHED-1"


def test_expired_access_token_is_refreshed_once_and_the_call_repeated(gbp: FakeGoogleReviews) -> None:
    location(gbp)
    assert len(Harness(gbp, refresh_credentials(gbp, access_token="ya29.expired")).items()) == 5
    assert len(gbp.server.calls("POST", "/token")) == 1 and len(gbp.server.calls("GET")) == 2


def test_revoked_refresh_token_is_an_auth_error_without_secrets(gbp: FakeGoogleReviews) -> None:
    with pytest.raises(AuthError, match="authorize the app again") as raised:
        Harness(gbp, refresh_credentials(gbp, refresh_token="1//revoked-SECRET")).items()
    assert "SECRET" not in str(raised.value)


def test_missing_credentials_say_what_to_configure(gbp: FakeGoogleReviews) -> None:
    with pytest.raises(AuthError, match="refresh_token \\+ client_id \\+ client_secret"):
        Harness(gbp, {"client_id": gbp.client_id}).items()


def test_permission_denied_says_what_gbp_access_needs(gbp: FakeGoogleReviews) -> None:
    gbp.fail_page(1, google_error(403, "PERMISSION_DENIED", "The caller does not have permission"), times=2)
    with pytest.raises(AuthError, match="business.manage") as raised:
        Harness(gbp).items()
    assert "PERMISSION_DENIED" in str(raised.value)


def test_quota_exhaustion_pauses_the_source_for_a_minute(gbp_store: Store, gbp: FakeGoogleReviews) -> None:
    location(gbp)
    gbp.fail_page(
        1, google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests'"), times=4
    )
    harness = Harness(gbp)
    outcome = harness.run(gbp_store)
    paused = gbp_store.source_row(SOURCE)["paused_until"]
    assert outcome.status == "paused" and "RESOURCE_EXHAUSTED" in outcome.message
    assert datetime.now(UTC) < paused < datetime.now(UTC) + timedelta(minutes=2) and len(harness.sleeps) == 3


def test_malformed_body_is_retried(gbp: FakeGoogleReviews) -> None:
    location(gbp)
    gbp.fail_page(1, Response(200, raw=b'{"reviews": ['))
    harness = Harness(gbp)
    assert len(harness.items()) == 5 and harness.sleeps == [1.0]


def test_default_base_url_is_mybusiness_googleapis(gbp: FakeGoogleReviews) -> None:
    config = config_for(gbp)
    plain = config.model_copy(update={"sources": [config.sources[0].model_copy(update={"base_url": None})]})
    collector = create(context_for(plain, plain.sources[0]))
    assert str(collector.api.client.http.base_url).rstrip("/") == DEFAULT_BASE_URL
    assert collector.api.token.token_uri == "https://oauth2.googleapis.com/token"


# -- replying ------------------------------------------------------------------------------------


def test_reply_is_put_once_and_recorded_sent(gbp_store: Store, gbp: FakeGoogleReviews) -> None:
    ids = location(gbp)
    harness = Harness(gbp)
    harness.run(gbp_store)
    angry = gbp.name(ids["angry"])
    reply_id = gbp_store.enqueue_reply(item_id(gbp_store, angry), "Pablo, ya te hemos devuelto el cargo.")
    assert publish_reply(gbp_store, reply_id, lambda r: create_publisher(harness.context())) == "sent"
    puts = gbp.server.calls("PUT")
    assert len(puts) == 1 and puts[0].path == f"/v4/{angry}/reply"
    assert puts[0].json() == {"comment": "Pablo, ya te hemos devuelto el cargo."}
    row = gbp_store.reply_rows()[0]
    assert (row["platform_reply_id"], row["sent_at"]) == (f"{angry}/reply", gbp.now)


def test_timeout_after_the_reply_was_put_is_uncertain_then_collection_confirms_it(
    gbp_store: Store, gbp: FakeGoogleReviews
) -> None:
    ids = location(gbp)
    Harness(gbp).run(gbp_store)
    angry = gbp.name(ids["angry"])
    reply_id = gbp_store.enqueue_reply(item_id(gbp_store, angry), "Lo revisamos hoy mismo.")
    gbp.server.fail_next(f"/v4/{angry}/reply", Response(200, body={}, delay=0.6), after_handler=True)
    slow = Harness(gbp, timeout_seconds=0.2)
    assert publish_reply(gbp_store, reply_id, lambda r: create_publisher(slow.context())) == "uncertain"
    assert "may have been posted" in gbp_store.reply_rows()[0]["error"]
    Harness(gbp).run(gbp_store)  # the review is inside the lag window: its reviewReply is seen
    row = gbp_store.reply_rows()[0]
    assert len(gbp.server.calls("PUT")) == 1 and gbp.reviews[ids["angry"]].reply == (
        "Lo revisamos hoy mismo.",
        gbp.now,
    )
    assert (row["status"], row["platform_reply_id"]) == ("sent", f"{angry}/reply")
    assert status_of(gbp_store, angry) == ("answered", gbp.now)


def test_reply_longer_than_google_takes_is_refused_before_sending(
    gbp_store: Store, gbp: FakeGoogleReviews
) -> None:
    ids = location(gbp)
    harness = Harness(gbp)
    harness.run(gbp_store)
    reply_id = gbp_store.enqueue_reply(item_id(gbp_store, gbp.name(ids["angry"])), "ñ" * 2100)
    assert publish_reply(gbp_store, reply_id, lambda r: create_publisher(harness.context())) == "failed"
    assert "4096 bytes" in gbp_store.reply_rows()[0]["error"] and not gbp.server.calls("PUT")


def test_rate_limited_reply_is_queued_again(gbp_store: Store, gbp: FakeGoogleReviews) -> None:
    ids = location(gbp)
    harness = Harness(gbp)
    harness.run(gbp_store)
    gbp.server.fail_next(".*/reply", google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"))
    reply_id = gbp_store.enqueue_reply(item_id(gbp_store, gbp.name(ids["angry"])), "Hola")
    assert publish_reply(gbp_store, reply_id, lambda r: create_publisher(harness.context())) == "queued"
    assert not gbp.reviews[ids["angry"]].reply and gbp_store.reply_rows()[0]["next_attempt_at"] is not None
