"""Reply priority: a score (higher = answer sooner) and the reasons a person can read."""

from __future__ import annotations

import math

from social_listen.triage.result import TriageResult

# Points per intent; urgent problems first, spam pushed to the bottom.
INTENT_POINTS = {
    "not_received": 25.0,
    "scam": 25.0,
    "no_answer": 20.0,
    "defective": 18.0,
    "payment": 18.0,
    "return_refund": 15.0,
    "shipping": 10.0,
    "question": 10.0,
    "invoice": 8.0,
    "size_fit": 6.0,
    "stock": 5.0,
    "price_discount": 4.0,
    "praise": 2.0,
    "spam": -60.0,
}
INTENT_REASONS = {
    "not_received": "order not received",
    "scam": "scam accusation",
    "no_answer": "nobody answered",
    "defective": "defective item",
    "payment": "payment problem",
    "return_refund": "return/refund",
    "shipping": "shipping",
    "question": "question",
    "invoice": "invoice",
    "size_fit": "size/fit",
    "stock": "stock",
    "price_discount": "price/discount",
    "spam": "spam",
}
SENTIMENT_POINTS = {"neg": 30.0, "neu": 5.0, "pos": 0.0}
# Every other reason, by name: stored in English as written here ({value} filled in); the dashboard reads
# them back by these templates to show them in the reader's language (dashboard/i18n.py).
REASON_TEXTS = {
    "negative": "negative",
    "likely_complaint": "likely complaint",
    "rated": "rated {value}★",
    "likes": "{value} likes",
    "followers": "{value} followers",
    "sla_overdue": "SLA overdue",
    "sla_in": "SLA in {value} h",
    "sla_under_hour": "SLA in < 1 h",
    "hours_open": "{value} h open",
    "day_open": "1 day open",
    "days_open": "{value} days open",
    "vip": "VIP",
}


def _sentiment_part(result: TriageResult) -> tuple[float, list[str]]:
    """Negative messages first; stronger negativity adds a little more. A message flagged for a fast reply
    though not labelled negative (a complaint in flat words) ranks as a mildly negative one."""
    points = SENTIMENT_POINTS.get(result.sentiment_label, 0.0)
    if result.sentiment_label == "neg":
        return points + 10.0 * abs(result.sentiment_score), [REASON_TEXTS["negative"]]
    if result.negative:
        return SENTIMENT_POINTS["neg"], [REASON_TEXTS["likely_complaint"]]
    return points, []


def _intent_part(intents: tuple[str, ...]) -> tuple[float, list[str]]:
    """Intent points (the two most urgent count fully, the rest at a quarter) and their reasons."""
    ranked = sorted(intents, key=lambda name: -INTENT_POINTS.get(name, 0.0))
    points = sum(
        INTENT_POINTS.get(n, 0.0) * (1.0 if i < 2 or n == "spam" else 0.25) for i, n in enumerate(ranked)
    )
    reasons = [INTENT_REASONS[n] for n in ranked if n in INTENT_REASONS and n != "question"][:2]
    if "question" in intents and len(reasons) < 2:
        reasons.append(INTENT_REASONS["question"])
    return points, reasons


def _rating_part(rating: float | None) -> tuple[float, list[str]]:
    """A review rated 2 stars or less is a complaint whatever its words say."""
    if rating is None or rating > 2:
        return 0.0, []
    return 20.0 + (2 - rating) * 5.0, [REASON_TEXTS["rated"].format(value=f"{rating:g}")]


def _reach_part(like_count: int | None, follower_count: int | None) -> tuple[float, list[str]]:
    """Visible messages matter more: log-scaled likes and author followers."""
    points, reasons = 0.0, []
    if like_count:
        points += min(20.0, 5.0 * math.log10(like_count + 1))
        if like_count >= 10:
            reasons.append(REASON_TEXTS["likes"].format(value=like_count))
    if follower_count:
        points += min(15.0, 3.0 * math.log10(follower_count + 1))
        if follower_count >= 10_000:
            reasons.append(REASON_TEXTS["followers"].format(value=_compact(follower_count)))
    return points, reasons


def _time_part(hours_open: float, sla_hours_left: float | None) -> tuple[float, list[str]]:
    """Waiting time adds up to 20 points; a close or missed SLA adds more."""
    points = min(20.0, max(0.0, hours_open) / 6.0)
    reasons = [_open_for(hours_open)] if hours_open >= 1 else []
    if sla_hours_left is not None:
        if sla_hours_left <= 0:
            points += 35.0
            reasons.append(REASON_TEXTS["sla_overdue"])
        elif sla_hours_left <= 4:
            points += 25.0 - 5.0 * sla_hours_left
            reasons.append(
                REASON_TEXTS["sla_in"].format(value=f"{sla_hours_left:.0f}")
                if sla_hours_left >= 1
                else REASON_TEXTS["sla_under_hour"]
            )
    return points, reasons


def priority(
    result: TriageResult,
    *,
    rating: float | None,
    like_count: int | None,
    follower_count: int | None,
    hours_open: float,
    sla_hours_left: float | None,
    vip: bool,
) -> tuple[float, str]:
    """Score (higher = answer sooner) and reasons like 'negative · order not received · 2 days open · VIP'."""
    parts = [
        _sentiment_part(result),
        _intent_part(result.intents),
        _rating_part(rating),
        _time_part(hours_open, sla_hours_left),
        _reach_part(like_count, follower_count),
        (25.0, [REASON_TEXTS["vip"]]) if vip else (0.0, []),
    ]
    score = round(max(0.0, sum(points for points, _ in parts)), 1)
    return score, " · ".join(reason for _, reasons in parts for reason in reasons)


def _open_for(hours: float) -> str:
    """'5 h open', '1 day open', '3 days open'."""
    if hours < 24:
        return REASON_TEXTS["hours_open"].format(value=f"{hours:.0f}")
    days = int(hours // 24)
    return REASON_TEXTS["day_open"] if days == 1 else REASON_TEXTS["days_open"].format(value=days)


def _compact(n: int) -> str:
    """12500 -> '12.5k', 2000000 -> '2M'."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    return f"{n / 1000:.1f}".rstrip("0").rstrip(".") + "k"
