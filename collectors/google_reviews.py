"""Google Business Profile reviews (My Business API v4): collect reviews and the owner's replies, reply.

platforms.md §7. ``GET {base}/v4/{accounts/*/locations/*}/reviews?orderBy=updateTime desc&pageSize=50``
pages with ``nextPageToken``, most recently changed first; a run stops at the reviews changed before
the last run's high-water mark (minus a lag window), so edited reviews come back and the upsert absorbs
them. ``reviewReply`` is the owner's reply, also when written in Google Maps or the GBP app. A reply is
``PUT .../reviews/{id}/reply {"comment"}`` (an upsert: one owner reply per review). Auth is an OAuth
token with scope ``business.manage``; google-auth refreshes one from a refresh token.
Docs: https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, TypeVar

import google.auth.exceptions
import google.auth.transport.requests
import google.oauth2.credentials
import httpx

from collectors.base import RetryPolicy, SourceContext
from collectors.rest import (
    CLIENT_OPTIONS,
    RestClient,
    build_http,
    dict_at,
    latest,
    list_at,
    rest_error,
    time_or_none,
)
from social_listen.errors import AuthError, PlatformError, ReplyNotAllowed, TransientError, UncertainDelivery
from social_listen.logs import register_secret
from social_listen.model import Author, Item, Page, PostedReply, ReplyRequest, content_id, utcnow

log = logging.getLogger(__name__)
PLATFORM = "google_reviews"
DEFAULT_BASE_URL = "https://mybusiness.googleapis.com"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL, not a secret
SCOPE = "https://www.googleapis.com/auth/business.manage"
PAGE_MAX = 50  # the API's maximum pageSize for reviews.list
# The [sources.options] keys a google_reviews source understands (collectors.option_problems reports others).
OPTIONS = (
    frozenset({"token_uri", "lag_minutes", "page_size", "backfill_days", "location_name", "location_url",
               "reply_author"})
    | CLIENT_OPTIONS
)  # fmt: skip
REPLY_MAX_BYTES = 4096  # updateReply rejects longer comments
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}  # STAR_RATING_UNSPECIFIED: no rating
# Reviews in another language than the viewer's come with Google's translation around the original text.
TRANSLATED, ORIGINAL = "(Translated by Google)", "(Original)"
T = TypeVar("T")


def google_error(response: httpx.Response) -> PlatformError:
    """Map ``{"error": {"code", "message", "status"}}``; auth failures say what GBP access needs."""
    error = rest_error(response, "Google Business Profile")
    if isinstance(error, AuthError):
        return AuthError(
            f"{error} (the token needs scope business.manage and the project approved GBP API access)"
        )
    return error


class GoogleToken:
    """The bearer token: ``access_token`` as configured, else refreshed with google-auth (and once on a 401)."""

    def __init__(self, context: SourceContext) -> None:
        get = context.credentials.get
        self.access = get("access_token")
        self.refresh_token, self.client_id, self.client_secret = (
            get("refresh_token"),
            get("client_id"),
            get("client_secret"),
        )
        base = context.source.base_url
        self.token_uri = context.option("token_uri") or (
            f"{base.rstrip('/')}/token" if base else GOOGLE_TOKEN_URI
        )
        self.renewed = False

    @property
    def refreshable(self) -> bool:
        """Whether a refresh token, client id and secret are configured."""
        return bool(self.refresh_token and self.client_id and self.client_secret)

    def header(self) -> dict[str, str]:
        """The Authorization header, refreshing first when no access token is configured."""
        if not self.access:
            self.access = self.refresh()
        return {"Authorization": f"Bearer {self.access}"}

    def renew(self) -> bool:
        """Refresh once after the API refused the token; False when that is not possible (or done already)."""
        if self.renewed or not self.refreshable:
            return False
        self.renewed, self.access = True, self.refresh()
        return True

    def refresh(self) -> str:
        """A new access token from the refresh token (google-auth, POST to ``token_uri``)."""
        if not self.refreshable:
            raise AuthError(
                "google_reviews needs credentials.access_token, or refresh_token + client_id + client_secret"
            )
        creds = google.oauth2.credentials.Credentials(  # type: ignore[no-untyped-call]
            token=None, refresh_token=self.refresh_token, token_uri=self.token_uri,
            client_id=self.client_id, client_secret=self.client_secret, scopes=[SCOPE],
        )  # fmt: skip
        try:
            creds.refresh(google.auth.transport.requests.Request())  # type: ignore[no-untyped-call]
        except google.auth.exceptions.RefreshError as exc:
            raise AuthError(f"Google refused the refresh token ({exc}): authorize the app again") from None
        except google.auth.exceptions.TransportError as exc:
            raise TransientError(f"cannot reach Google's token endpoint: {exc}") from None
        register_secret(str(creds.token))
        return str(creds.token)


class GoogleReviewsApi:
    """Reviews calls with the bearer token; a refused token is refreshed once and the call repeated."""

    def __init__(self, client: RestClient, token: GoogleToken) -> None:
        self.client, self.token = client, token

    def list_reviews(self, location: str, params: dict[str, Any]) -> dict[str, Any]:
        """One page of ``accounts.locations.reviews.list``."""
        path = f"/v4/{location}/reviews"
        body: dict[str, Any] = self._authorized(lambda h: self.client.get_json(path, params, dict, headers=h))
        return body

    def update_reply(self, review: str, comment: str) -> httpx.Response:
        """``PUT /v4/{review}/reply {"comment"}``, sent once (a 401 is refused before anything happens)."""
        return self._authorized(lambda h: self.client.write("PUT", f"/v4/{review}/reply", {"comment": comment},
                                                            on_error=google_error, headers=h))  # fmt: skip

    def _authorized(self, call: Callable[[dict[str, str]], T]) -> T:
        try:
            return call(self.token.header())
        except AuthError:
            if not self.token.renew():
                raise
            return call(self.token.header())


def review_text(raw: dict[str, Any]) -> str:
    """The reviewer's own words (Google's translation dropped); rating-only reviews show their stars."""
    comment = str(raw.get("comment") or "")
    if ORIGINAL in comment:
        comment = comment.split(ORIGINAL, 1)[1]
    elif TRANSLATED in comment:
        comment = comment.split(TRANSLATED, 1)[0]
    stars = STARS.get(str(raw.get("starRating")), 0)
    return comment.strip() or "★" * stars + "☆" * (5 - stars)


def reviewer(raw: dict[str, Any]) -> Author:
    """The reviewer: Google gives no id, so one is derived from the name and profile photo."""
    person = dict_at(raw, "reviewer")
    name = "" if person.get("isAnonymous") else str(person.get("displayName") or "")
    photo = str(person.get("profilePhotoUrl") or "")
    return Author(external_id=content_id(PLATFORM, name or "anonymous", photo), name=name or "Anonymous")


class GoogleReviewsCollector:
    """Collects one location's reviews, newest change first, down to the last run's high-water mark."""

    def __init__(
        self, context: SourceContext, api: GoogleReviewsApi, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.api, self.clock = api, clock
        self.location = context.source.targets[0].strip("/")
        self.lag = timedelta(minutes=float(context.option("lag_minutes", 3 * 24 * 60)))
        self.page_size = min(PAGE_MAX, int(context.option("page_size", PAGE_MAX)))
        backfill = context.option("backfill_days")
        self.backfill = timedelta(days=float(backfill)) if backfill else None
        self.location_name = context.option("location_name") or context.brand.name
        self.location_url = context.option("location_url")
        self.owner = Author(
            external_id=self.location, name=context.option("reply_author") or context.brand.name
        )

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of reviews and replies; only the last page promotes the mark (architecture invariant 2)."""
        mark = time_or_none((cursor or {}).get("updated"))
        stop = mark - self.lag if mark else (self.clock() - self.backfill if self.backfill else None)
        newest, params = mark, {"orderBy": "updateTime desc", "pageSize": self.page_size}
        while True:
            body = self.api.list_reviews(self.location, params)
            raws = list_at(body, "reviews")
            fresh = [r for r in raws if not _before(r, stop)]
            items = [i for raw in fresh for i in self.review_items(raw)]
            times = (time_or_none(r.get("updateTime")) for r in fresh if isinstance(r, dict))
            newest = latest(newest, (t for t in times if t))
            final = len(fresh) < len(raws) or not body.get("nextPageToken") or not raws
            kept = newest if final else mark
            yield Page(
                items, {"updated": kept.isoformat()} if kept else None, api_calls=self.api.client.take_calls()
            )
            if final:
                return
            params["pageToken"] = str(body["nextPageToken"])

    def review_items(self, raw: Any) -> list[Item]:
        """The review, and the owner's reply to it when there is one."""
        created = time_or_none(raw.get("createTime")) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or created is None or not (raw.get("name") or raw.get("reviewId")):
            log.warning("skipping a Google review without name or createTime in %s", self.location)
            return []
        name = str(raw.get("name") or f"{self.location}/reviews/{raw['reviewId']}")
        stars = STARS.get(str(raw.get("starRating")))
        review = Item(
            platform=PLATFORM, external_id=name, text=review_text(raw), published_at=created, kind="review",
            author=reviewer(raw), thread_external_id=name, object_id=self.location,
            object_title=self.location_name, object_url=self.location_url, rating=float(stars) if stars else None,
            url=self.location_url, updated_at=time_or_none(raw.get("updateTime")),
            raw={k: v for k, v in raw.items() if k != "reviewReply"}, fetched_at=self.clock(),
        )  # fmt: skip
        return [review, *self.reply_items(raw.get("reviewReply"), review)]

    def reply_items(self, reply: Any, review: Item) -> list[Item]:
        """``reviewReply`` as the brand's own reply item, at its ``updateTime`` (answers the review)."""
        if not isinstance(reply, dict) or not reply.get("comment"):
            return []
        at = time_or_none(reply.get("updateTime")) or review.updated_at or review.published_at
        return [Item(
            platform=PLATFORM, external_id=f"{review.external_id}/reply", text=str(reply["comment"]).strip(),
            published_at=at, kind="reply", author=self.owner, parent_external_id=review.external_id,
            thread_external_id=review.external_id, object_id=self.location, object_title=self.location_name,
            object_url=self.location_url, is_own=True, url=self.location_url, raw=reply, fetched_at=self.clock(),
        )]  # fmt: skip


def _before(raw: Any, stop: datetime | None) -> bool:
    """Whether a review was last changed at or before ``stop`` (where the run stops reading)."""
    updated = time_or_none(raw.get("updateTime")) if isinstance(raw, dict) else None
    return stop is not None and updated is not None and updated <= stop


class GoogleReviewsPublisher:
    """Posts the owner's reply to a review (``updateReply``)."""

    def __init__(self, api: GoogleReviewsApi) -> None:
        self.api = api

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """``PUT .../reviews/{id}/reply``; a lost answer is uncertain (a person may safely retry: it is an upsert)."""
        review = str((reply.item_raw or {}).get("name") or reply.item_external_id)
        if "/reviews/" not in review or review.endswith("/reply"):
            raise ReplyNotAllowed("Google takes one owner reply per review: reply to the review itself")
        if len(reply.text.encode("utf-8")) > REPLY_MAX_BYTES:
            raise PlatformError(f"Google takes replies up to {REPLY_MAX_BYTES} bytes; shorten this one")
        response = self.api.update_reply(review, reply.text)
        try:
            body = response.json()
        except ValueError:
            raise UncertainDelivery("Google accepted the reply but its answer was not JSON") from None
        posted = time_or_none(body.get("updateTime")) if isinstance(body, dict) else None
        return PostedReply(f"{review}/reply", posted_at=posted)


def api_for(context: SourceContext, retry: RetryPolicy | None = None) -> GoogleReviewsApi:
    """The reviews API of a source: its base URL (default mybusiness.googleapis.com) and token."""
    client = RestClient(build_http(context, DEFAULT_BASE_URL), PLATFORM, retry or RetryPolicy(), google_error)
    return GoogleReviewsApi(client, GoogleToken(context))


def create(context: SourceContext, retry: RetryPolicy | None = None) -> GoogleReviewsCollector:
    """The collector for a ``google_reviews`` source (target = ``accounts/*/locations/*``)."""
    return GoogleReviewsCollector(context, api_for(context, retry))


def create_publisher(context: SourceContext) -> GoogleReviewsPublisher:
    """The publisher: ``PUT .../reply`` with the same token."""
    return GoogleReviewsPublisher(api_for(context))


__all__ = ["GoogleReviewsCollector", "GoogleReviewsPublisher", "create", "create_publisher"]
