"""Trustpilot service reviews (private Business Units API): collect reviews and company replies, reply.

platforms.md §8. ``GET /v1/private/business-units/{id}/reviews?startDateTime=...&orderBy=createdat.asc
&perPage=100&page=N`` until a page comes back empty (past the end Trustpilot answers ``[]``). Reviews are
ordered by creation, so a company reply written later is seen while its review is inside the lag
window that every run re-reads. ``companyReply`` is the business's reply, also when written in
Trustpilot Business. Replying is ``POST /v1/private/reviews/{id}/reply {authorBusinessUserId, message}``
(201). Docs: https://developers.trustpilot.com/business-units-api-(private)
      https://developers.trustpilot.com/service-reviews-api
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

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
from social_listen.errors import AuthError, PlatformError, ReplyNotAllowed
from social_listen.model import Author, Item, Page, PostedReply, ReplyRequest, utcnow

log = logging.getLogger(__name__)
PLATFORM = "trustpilot"
DEFAULT_BASE_URL = "https://api.trustpilot.com"
PER_PAGE = 100  # perPage is 1-100
# The [sources.options] keys a trustpilot source understands (collectors.option_problems reports others).
OPTIONS = (
    frozenset({"lag_minutes", "page_size", "backfill_days", "business_name", "business_user_id"})
    | CLIENT_OPTIONS
)
REVIEW_URL = "https://www.trustpilot.com/reviews/{id}"


def trustpilot_error(response: httpx.Response) -> PlatformError:
    """Map an error answer; a refused token says how long business-user tokens live."""
    error = rest_error(response, "Trustpilot")
    if isinstance(error, AuthError):
        return AuthError(
            f"{error} (business-user access tokens expire after 100 hours: renew credentials.access_token)"
        )
    return error


def start_time(when: datetime) -> str:
    """``startDateTime`` as Trustpilot documents it: ``2013-09-07T13:37:00`` (UTC)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def review_text(raw: dict[str, Any]) -> str:
    """The review's title and text as one message (the title is often the gist)."""
    title, text = str(raw.get("title") or "").strip(), str(raw.get("text") or "").strip()
    if title and not text.startswith(title.rstrip(".…")):
        return f"{title}\n\n{text}".strip()
    return text or title


class TrustpilotCollector:
    """Collects a business unit's reviews oldest first, re-reading a lag window for late company replies."""

    def __init__(
        self, context: SourceContext, client: RestClient, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.client, self.clock = client, clock
        self.unit = context.source.targets[0]
        self.token = context.credential("access_token")
        self.lag = timedelta(minutes=float(context.option("lag_minutes", 3 * 24 * 60)))
        self.page_size = min(PER_PAGE, int(context.option("page_size", PER_PAGE)))
        backfill = context.option("backfill_days")
        self.backfill = timedelta(days=float(backfill)) if backfill else None
        self.unit_name = context.option("business_name") or context.brand.name
        self.company = Author(external_id=f"business-unit:{self.unit}", name=self.unit_name)

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of reviews and company replies; each page's cursor is the newest ``createdAt`` committed."""
        mark = time_or_none((cursor or {}).get("created"))
        start = mark - self.lag if mark else (self.clock() - self.backfill if self.backfill else None)
        params: dict[str, Any] = {"orderBy": "createdat.asc", "perPage": self.page_size}
        if start is not None:
            params["startDateTime"] = start_time(start)
        page = 1
        while True:
            raws = self.list_reviews({**params, "page": page})
            items = [i for raw in raws for i in self.review_items(raw)]
            mark = latest(mark, (i.published_at for i in items if i.kind == "review"))
            yield Page(
                items, {"created": mark.isoformat()} if mark else None, api_calls=self.client.take_calls()
            )
            if not raws:
                return
            page += 1

    def list_reviews(self, params: dict[str, Any]) -> list[Any]:
        """One page of the business unit's reviews (an empty list past the last page)."""
        body = self.client.get_json(f"/v1/private/business-units/{self.unit}/reviews", params, dict,
                                    headers={"Authorization": f"Bearer {self.token}"})  # fmt: skip
        return list_at(body, "reviews")

    def review_items(self, raw: Any) -> list[Item]:
        """The review, and the company's reply when there is one."""
        created = time_or_none(raw.get("createdAt")) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not raw.get("id") or created is None:
            log.warning("skipping a Trustpilot review without id or createdAt (business unit %s)", self.unit)
            return []
        consumer = dict_at(raw, "consumer")
        review = Item(
            platform=PLATFORM, external_id=str(raw["id"]), text=review_text(raw), published_at=created,
            kind="review", author=Author(str(consumer.get("id") or f"consumer:{raw['id']}"),
                                         name=str(consumer.get("displayName") or "")),
            thread_external_id=str(raw["id"]), object_id=self.unit, object_title=self.unit_name,
            rating=_stars(raw.get("stars")), url=REVIEW_URL.format(id=raw["id"]),
            updated_at=time_or_none(raw.get("updatedAt")), language=_language(raw.get("language")),
            raw={k: v for k, v in raw.items() if k != "companyReply"}, fetched_at=self.clock(),
        )  # fmt: skip
        return [review, *self.reply_items(raw.get("companyReply"), review)]

    def reply_items(self, reply: Any, review: Item) -> list[Item]:
        """``companyReply`` as the brand's own reply item, at its ``createdAt`` (answers the review)."""
        if not isinstance(reply, dict) or not reply.get("text"):
            return []
        at = (
            time_or_none(reply.get("createdAt"))
            or time_or_none(reply.get("updatedAt"))
            or review.published_at
        )
        return [Item(
            platform=PLATFORM, external_id=f"{review.external_id}/reply", text=str(reply["text"]).strip(),
            published_at=at, kind="reply", author=self.company, parent_external_id=review.external_id,
            thread_external_id=review.external_id, object_id=self.unit, object_title=self.unit_name,
            is_own=True, url=review.url, updated_at=time_or_none(reply.get("updatedAt")), raw=reply,
            fetched_at=self.clock(),
        )]  # fmt: skip


def _language(value: Any) -> str | None:
    """The review's language code (``es``, ``pt-BR``); None when absent or not a code."""
    return value if isinstance(value, str) and 0 < len(value) <= 8 else None


def _stars(value: Any) -> float | None:
    try:
        stars = float(value)
    except (TypeError, ValueError):
        return None
    return stars if 1 <= stars <= 5 else None


class TrustpilotPublisher:
    """Posts the company's reply to a service review, as the configured business user."""

    def __init__(self, client: RestClient, token: str, business_user_id: str) -> None:
        self.client, self.token, self.business_user_id = client, token, business_user_id

    def publish(self, reply: ReplyRequest) -> PostedReply:
        """``POST /v1/private/reviews/{id}/reply`` (201); sent once, a lost answer is uncertain."""
        review = reply.item_external_id
        if review.endswith("/reply"):
            raise ReplyNotAllowed("Trustpilot takes one company reply per review: reply to the review itself")
        self.client.write(
            "POST", f"/v1/private/reviews/{review}/reply",
            {"authorBusinessUserId": self.business_user_id, "message": reply.text},
            headers={"Authorization": f"Bearer {self.token}"},
        )  # fmt: skip
        return PostedReply(f"{review}/reply", url=REVIEW_URL.format(id=review))


def client_for(context: SourceContext, retry: RetryPolicy | None = None) -> RestClient:
    """A client on the source's base URL (default api.trustpilot.com)."""
    return RestClient(
        build_http(context, DEFAULT_BASE_URL), PLATFORM, retry or RetryPolicy(), trustpilot_error
    )


def create(context: SourceContext, retry: RetryPolicy | None = None) -> TrustpilotCollector:
    """The collector for a ``trustpilot`` source (target = the business unit id; credentials.access_token)."""
    return TrustpilotCollector(context, client_for(context, retry))


def create_publisher(context: SourceContext) -> TrustpilotPublisher:
    """The publisher; replies are signed by ``options.business_user_id`` (authorBusinessUserId)."""
    user = context.option("business_user_id")
    if not user:
        raise PlatformError(
            f"source {context.source.name!r}: set options.business_user_id (the Trustpilot business user "
            "who signs replies) to reply through the API"
        )
    return TrustpilotPublisher(client_for(context), context.credential("access_token"), str(user))


__all__ = ["TrustpilotCollector", "TrustpilotPublisher", "create", "create_publisher"]
