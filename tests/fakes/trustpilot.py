"""A fake Trustpilot private API (business units and service reviews), on FakeServer.

It speaks the shapes of platforms.md §8: ``GET /v1/private/business-units/{id}/reviews`` filtered by
``startDateTime``, ordered by ``createdat.asc|desc``, paged by ``page`` / ``perPage`` (an empty
``reviews`` list past the end, ``links`` with ``next-page``); reviews with ``stars``, ``title``,
``text``, ``consumer``, ``createdAt`` and ``companyReply``; ``POST /v1/private/reviews/{id}/reply``
answering 201 with no body; a bearer business-user token.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.server import FakeServer, Request, Response, json_response

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UNIT = "5c8f1b2e9a3d4e0001a2b3c4"


def tp_time(when: datetime) -> str:
    """A time as Trustpilot writes it: ``2026-03-02T09:00:00.000Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def tp_error(status: int, message: str, **headers: str) -> Response:
    """An error answer (Trustpilot's bodies carry a message and an error code)."""
    return Response(status, body={"message": message, "errorCode": status * 10}, headers=headers)


@dataclass
class Review:
    """A service review, maybe with the company's reply."""

    id: str
    stars: int
    title: str
    text: str
    at: datetime
    name: str = "Ana Ruiz"
    language: str = "es"
    reply: tuple[str, datetime] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # fields to change when rendered; None drops one


class FakeTrustpilot:
    """One business unit's reviews; tests add reviews, then point a source at ``base_url``."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.unit = UNIT
        self.token = "tp-business-user-ACCESS-SECRET"
        self.business_user = "5c8f00000000000000000b0b"
        self.now = T0 + timedelta(days=1)  # createdAt of replies posted through the API
        self.reviews: dict[str, Review] = {}
        self.page_faults: dict[int, list[Response]] = {}
        self._ids = itertools.count(1)
        server._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        server.route("GET", r"/v1/private/business-units/(?P<unit>[^/]+)/reviews", self._guard(self._list))
        server.route("POST", r"/v1/private/reviews/(?P<review>[^/]+)/reply", self._guard(self._reply))

    @property
    def base_url(self) -> str:
        """What a source's ``base_url`` is set to."""
        return self.server.url

    def add_review(self, stars: int, title: str, text: str, at: datetime, name: str = "Ana Ruiz",
                   language: str = "es") -> str:  # fmt: skip
        """A review written at ``at``; returns its id."""
        review_id = f"65f0a1b2c3d4e5f6a7b8{next(self._ids):04d}"
        self.reviews[review_id] = Review(review_id, stars, title, text, at, name, language)
        return review_id

    def company_reply(self, review_id: str, text: str, at: datetime) -> None:
        """The company answers in Trustpilot Business."""
        self.reviews[review_id].reply = (text, at)

    def fail_page(self, page: int, response: Response, times: int = 1) -> None:
        """The next ``times`` requests for page ``page`` of the reviews list fail."""
        self.page_faults.setdefault(page, []).extend([response] * times)

    # -- answering ----------------------------------------------------------------------------

    def _guard(self, handler: Any) -> Any:
        def guarded(request: Request) -> Response:
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                return tp_error(401, "Unauthorized")
            return handler(request)

        return guarded

    def _list(self, request: Request) -> Response:
        if request.match["unit"] != self.unit:  # type: ignore[index]
            return tp_error(404, "Business unit not found")
        query = request.query
        per_page, page = int(query.get("perPage") or 20), int(query.get("page") or 1)
        if not 1 <= per_page <= 100 or query.get("orderBy", "createdat.desc") not in (
            "createdat.asc",
            "createdat.desc",
        ):
            return tp_error(400, "Invalid query parameters")
        faults = self.page_faults.get(page)
        if faults:
            return faults.pop(0)
        start = (
            datetime.fromisoformat(query["startDateTime"]).replace(tzinfo=UTC)
            if query.get("startDateTime")
            else None
        )
        found = sorted((r for r in self.reviews.values() if start is None or r.at >= start), key=lambda r: (r.at, r.id),
                       reverse=query.get("orderBy", "createdat.desc") == "createdat.desc")  # fmt: skip
        chunk = found[(page - 1) * per_page : page * per_page]
        links = [{"href": f"https://api.trustpilot.com{request.path}?page={page + 1}&perPage={per_page}",
                  "method": "GET", "rel": "next-page"}] if page * per_page < len(found) else []  # fmt: skip
        return json_response({"reviews": [self._render(r) for r in chunk], "links": links})

    def _reply(self, request: Request) -> Response:
        review = self.reviews.get(request.match["review"])  # type: ignore[index]
        if review is None:
            return tp_error(404, "Review not found")
        body = request.json() or {}
        if body.get("authorBusinessUserId") != self.business_user or not body.get("message"):
            return tp_error(400, "authorBusinessUserId and message are required")
        self.company_reply(review.id, body["message"], self.now)
        return Response(201, raw=b"")

    def _render(self, review: Review) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": review.id, "stars": review.stars, "title": review.title, "text": review.text,
            "language": review.language, "location": None, "createdAt": tp_time(review.at), "updatedAt": None,
            "experiencedAt": tp_time(review.at - timedelta(days=2)), "status": "active", "isVerified": True,
            "referenceId": f"pedido-{review.id[-4:]}", "referralEmail": "cliente@example.com",
            "consumer": {"id": f"5d00{review.id[-4:]}c0ffee", "displayName": review.name, "displayLocation": "ES",
                         "numberOfReviews": 3},
            "businessUnit": {"id": self.unit, "identifyingName": "tiendaluna.example", "displayName": "Tienda Luna"},
            "tags": [], "numberOfLikes": 0, "companyReply": None,
        }  # fmt: skip
        if review.reply:
            text, at = review.reply
            body["companyReply"] = {"text": text, "authorBusinessUserId": self.business_user,
                                    "authorBusinessUserName": "Marta (Tienda Luna)", "createdAt": tp_time(at),
                                    "updatedAt": None}  # fmt: skip
        for key, value in review.extra.items():
            if value is None:
                body.pop(key, None)
            else:
                body[key] = value
        return body
