"""Send what the outbox holds: claim, post, record. Nothing uncertain is ever posted twice."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from social_listen.errors import PlatformError, RateLimited, SocialListenError, UncertainDelivery
from social_listen.model import PostedReply, ReplyRequest
from social_listen.outbox import OutboxMixin

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class Publisher(Protocol):
    """Posts one reply on its platform."""

    def publish(self, reply: ReplyRequest) -> PostedReply: ...


PublisherFor = Callable[[ReplyRequest], Publisher]


def publish_reply(outbox: OutboxMixin, reply_id: int, publisher_for: PublisherFor) -> str:
    """Claim a queued reply, post it and record the outcome; returns the reply's new status."""
    request = outbox.claim_reply(reply_id)
    if request is None:
        return "skipped"
    try:
        publisher = publisher_for(request)
    except Exception as exc:  # missing credentials, a bad source: nothing was sent, so it is plainly failed
        if not isinstance(exc, SocialListenError):
            log.exception("reply %s: could not prepare the publisher", reply_id)
        outbox.mark_reply_failed(reply_id, str(exc))
        return "failed"
    return _send(outbox, request, publisher)


def _send(outbox: OutboxMixin, request: ReplyRequest, publisher: Publisher) -> str:
    reply_id = request.reply_id
    try:
        posted = publisher.publish(request)
    except UncertainDelivery as exc:
        outbox.mark_reply_uncertain(reply_id, str(exc))
        return "uncertain"
    except PlatformError as exc:
        return _record_failure(outbox, reply_id, exc)
    except Exception as exc:  # a bug after the request may have left: do not risk a double post
        log.exception("reply %s: unexpected error while posting", reply_id)
        outbox.mark_reply_uncertain(reply_id, f"unexpected error while posting: {exc}")
        return "uncertain"
    outbox.mark_reply_sent(reply_id, posted)
    return "sent"


def _record_failure(outbox: OutboxMixin, reply_id: int, exc: PlatformError) -> str:
    attempts = next((r["attempts"] for r in outbox.reply_rows() if r["id"] == reply_id), MAX_ATTEMPTS)
    if exc.retryable and attempts < MAX_ATTEMPTS:
        outbox.mark_reply_retry(reply_id, str(exc), _next_attempt(exc, attempts))
        return "queued"
    outbox.mark_reply_failed(reply_id, str(exc))
    return "failed"


def _next_attempt(exc: PlatformError, attempts: int) -> datetime:
    if isinstance(exc, RateLimited) and exc.reset_at is not None:
        return exc.reset_at
    return datetime.now(UTC) + timedelta(minutes=2**attempts)


def publish_pending(outbox: OutboxMixin, publisher_for: PublisherFor, limit: int = 100) -> Counter[str]:
    """Send every due queued reply; stuck ``sending`` rows become uncertain first. Returns counts by outcome."""
    outcomes: Counter[str] = Counter()
    expired = outbox.expire_stuck_sends()
    if expired:
        outcomes["uncertain"] += expired
    for reply_id in outbox.due_reply_ids(limit):
        outcomes[publish_reply(outbox, reply_id, publisher_for)] += 1
    return outcomes
