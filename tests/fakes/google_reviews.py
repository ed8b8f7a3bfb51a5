"""A fake Google Business Profile reviews API (My Business v4) and OAuth token endpoint, on FakeServer.

It speaks the real shapes (platforms.md §7): ``reviews.list`` ordered by ``updateTime desc`` with an
opaque ``nextPageToken`` (absent on the last page) and ``averageRating`` / ``totalReviewCount``;
``starRating`` as ``ONE``..``FIVE``; ``reviewReply {comment, updateTime}``; RFC 3339 times with
fractional seconds; ``PUT .../reply`` as an upsert; errors as ``{"error": {"code", "message", "status"}}``;
``POST /token`` answering a refresh-token grant like Google's OAuth server.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.server import FakeServer, Request, Response, json_response

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOCATION = "accounts/108234567890123456789/locations/4561234567890123456"
STARS = ("ONE", "TWO", "THREE", "FOUR", "FIVE")
_REVIEWS = r"/v4/(?P<location>accounts/[^/]+/locations/[^/]+)/reviews"


def google_time(when: datetime) -> str:
    """A time as Google writes it: ``2026-03-02T09:00:00.123Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def google_error(code: int, status: str, message: str, **headers: str) -> Response:
    """A Google API error body."""
    return Response(
        code, body={"error": {"code": code, "message": message, "status": status}}, headers=headers
    )


@dataclass
class Review:
    """A review of the location, maybe with the owner's reply."""

    id: str
    stars: int
    comment: str | None
    created: datetime
    updated: datetime
    name: str = "Ana Ruiz"
    anonymous: bool = False
    reply: tuple[str, datetime] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # fields to change when rendered; None drops one


class FakeGoogleReviews:
    """One location's reviews; tests add reviews, then point a source at ``base_url``."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.location = LOCATION
        self.access_token, self.refresh_token = "ya29.a0-ACCESS-SECRET", "1//0g-REFRESH-SECRET"
        self.client_id, self.client_secret = "1234-abc.apps.googleusercontent.com", "GOCSPX-client-SECRET"
        self.now = T0 + timedelta(days=1)  # updateTime of replies put through the API
        self.reply_bumps_review = False  # whether an owner reply also moves the review's updateTime
        self.reviews: dict[str, Review] = {}
        self.page_faults: dict[int, list[Response]] = {}
        self.issued: list[str] = []
        self._ids = itertools.count(1)
        server._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        server.route("GET", _REVIEWS, self._guard(self._list))
        server.route("PUT", _REVIEWS + r"/(?P<review>[^/]+)/reply", self._guard(self._put_reply))
        server.route("POST", r"/token", self._token)

    @property
    def base_url(self) -> str:
        """What a source's ``base_url`` is set to."""
        return self.server.url

    def add_review(self, stars: int, comment: str | None, at: datetime, name: str = "Ana Ruiz",
                   updated: datetime | None = None, anonymous: bool = False) -> str:  # fmt: skip
        """A review written at ``at`` (edited at ``updated``); returns its reviewId."""
        review_id = f"AbFvOqm{next(self._ids):04d}xYz"
        self.reviews[review_id] = Review(review_id, stars, comment, at, updated or at, name, anonymous)
        return review_id

    def owner_reply(self, review_id: str, comment: str, at: datetime) -> None:
        """The owner answers in Google Maps or the GBP app."""
        self.reviews[review_id].reply = (comment, at)
        if self.reply_bumps_review:
            self.reviews[review_id].updated = at

    def name(self, review_id: str) -> str:
        """A review's resource name."""
        return f"{self.location}/reviews/{review_id}"

    def fail_page(self, page: int, response: Response, times: int = 1) -> None:
        """The next ``times`` requests for page ``page`` (1-based) of reviews.list fail."""
        self.page_faults.setdefault(page, []).extend([response] * times)

    # -- answering ----------------------------------------------------------------------------

    def _guard(self, handler: Any) -> Any:
        def guarded(request: Request) -> Response:
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in (self.access_token, *self.issued):
                return google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
                                    "Expected OAuth 2 access token, login cookie or other valid authentication "
                                    "credential.")  # fmt: skip
            if request.match["location"] != self.location:  # type: ignore[index]
                return google_error(403, "PERMISSION_DENIED", "The caller does not have permission")
            return handler(request)

        return guarded

    def _list(self, request: Request) -> Response:
        size = int(request.query.get("pageSize") or 50)
        if request.query.get("orderBy", "updateTime desc") != "updateTime desc" or not 1 <= size <= 50:
            return google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")
        start = int(base64.b64decode(request.query["pageToken"])) if request.query.get("pageToken") else 0
        faults = self.page_faults.get(start // size + 1)
        if faults:
            return faults.pop(0)
        ordered = sorted(self.reviews.values(), key=lambda r: (r.updated, r.id), reverse=True)
        chunk = ordered[start : start + size]
        body: dict[str, Any] = {"averageRating": self._average(), "totalReviewCount": len(ordered)}
        if chunk:
            body["reviews"] = [self._render(r) for r in chunk]
        if start + size < len(ordered):
            body["nextPageToken"] = base64.b64encode(str(start + size).encode()).decode()
        return json_response(body)

    def _put_reply(self, request: Request) -> Response:
        review = self.reviews.get(request.match["review"])  # type: ignore[index]
        if review is None:
            return google_error(404, "NOT_FOUND", "Requested entity was not found.")
        comment = (request.json() or {}).get("comment") or ""
        if not comment or len(comment.encode()) > 4096:
            return google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")
        self.owner_reply(review.id, comment, self.now)
        return json_response({"comment": comment, "updateTime": google_time(self.now)})

    def _token(self, request: Request) -> Response:
        form = request.form()
        known = (form.get("refresh_token"), form.get("client_id"), form.get("client_secret"))
        if form.get("grant_type") != "refresh_token" or known != (self.refresh_token, self.client_id,
                                                                  self.client_secret):  # fmt: skip
            return json_response({"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
                                 400)  # fmt: skip
        token = f"ya29.a0-REFRESHED-{len(self.issued) + 1}"
        self.issued.append(token)
        return json_response({"access_token": token, "expires_in": 3599, "token_type": "Bearer",
                              "scope": "https://www.googleapis.com/auth/business.manage"})  # fmt: skip

    def _average(self) -> float:
        stars = [r.stars for r in self.reviews.values()]
        return round(sum(stars) / len(stars), 1) if stars else 0

    def _render(self, review: Review) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name(review.id), "reviewId": review.id,
            "reviewer": {"displayName": review.name, "isAnonymous": False,
                         "profilePhotoUrl": f"https://lh3.googleusercontent.com/a-/{review.name.split()[0]}=s120-c-rp"},
            "starRating": STARS[review.stars - 1] if review.stars else "STAR_RATING_UNSPECIFIED",
            "createTime": google_time(review.created), "updateTime": google_time(review.updated),
        }  # fmt: skip
        if review.anonymous:
            body["reviewer"] = {"displayName": "A Google user", "isAnonymous": True}
        if review.comment is not None:
            body["comment"] = review.comment
        if review.reply:
            body["reviewReply"] = {"comment": review.reply[0], "updateTime": google_time(review.reply[1])}
        for key, value in review.extra.items():
            if value is None:
                body.pop(key, None)
            else:
                body[key] = value
        return body
