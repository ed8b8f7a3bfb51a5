"""Small pieces shared by the views: times, SLA clock, badges and labels (always escaped)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import streamlit as st

from dashboard.i18n import t
from dashboard.safe import md
from social_listen.model import utcnow

SENTIMENT_COLORS: dict[str, Any] = {"neg": "red", "neu": "gray", "pos": "green"}
STATUS_COLORS: dict[str, Any] = {"open": "orange", "answered": "green", "ignored": "gray", "closed": "gray"}
PLATFORM_NAMES = {
    "youtube": "YouTube", "x": "X", "facebook": "Facebook", "instagram": "Instagram", "wordpress": "WordPress",
    "woocommerce": "WooCommerce", "google_reviews": "Google", "trustpilot": "Trustpilot",
    "web_reviews": "Web ★", "web_comments": "Web (blog)", "file": "Import",
}  # fmt: skip


def span(delta: timedelta) -> str:
    """A duration in the largest sensible unit: 45 min, 5 h, 3 d."""
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 60:
        return t("time.minutes", n=minutes)
    if minutes < 48 * 60:
        return t("time.hours", n=minutes // 60)
    return t("time.days", n=minutes // (24 * 60))


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """'3 h ago' / 'hace 3 h'."""
    if when is None:
        return ""
    return t("time.ago", span=span((now or utcnow()) - when))


def stamp(when: datetime | None) -> str:
    """An absolute time in UTC, to the minute."""
    return when.strftime("%Y-%m-%d %H:%M UTC") if when else ""


def sla_text(due: datetime, status: str, now: datetime | None = None) -> str:
    """The SLA clock of an open item: time left, or how long it is overdue."""
    if status != "open":
        return ""
    left = due - (now or utcnow())
    key = "sla.left" if left.total_seconds() >= 0 else "sla.overdue"
    return t(key, span=span(left))


def sla_color(due: datetime, status: str, now: datetime | None = None) -> Any:
    """Red when overdue, orange in the last quarter of the 24 h, else blue."""
    if status != "open":
        return "gray"
    left = (due - (now or utcnow())).total_seconds()
    return "red" if left < 0 else "orange" if left < 6 * 3600 else "blue"


def window_text(deadline: datetime | None, now: datetime | None = None) -> str:
    """The platform's reply window (e.g. a message that can only be answered for 7 days)."""
    if deadline is None:
        return ""
    left = deadline - (now or utcnow())
    key = "window.left" if left.total_seconds() >= 0 else "window.closed"
    return t(key, span=span(left))


def number(value: float) -> str:
    """A score as people read it: 0.95, 12.5, 175."""
    return (
        f"{value:.2f}"
        if abs(value) < 10
        else f"{value:.1f}".removesuffix(".0")
        if abs(value) < 100
        else f"{value:.0f}"
    )


def platform_name(platform: str) -> str:
    """The platform as people call it."""
    return PLATFORM_NAMES.get(platform, platform)


def intent_label(intent: str) -> str:
    """A translated intent name (unknown intents shown with spaces)."""
    key = f"intent.{intent}"
    text = t(key)
    return text if text != key else intent.replace("_", " ")


def facet_label(facet: str, value: str, fallback: str = "") -> str:
    """How a filter value is shown: translated where the value is a code."""
    if facet in ("status", "sentiment", "language") or (facet == "assignee" and value in ("mine", "none")):
        key = f"{facet}.{value or 'unknown'}"
        text = t(key)
        return text if text != key else value
    if facet == "intent":
        return intent_label(value)
    if facet == "platform":
        return platform_name(value)
    if facet == "rating":
        return "★" * int(value) if value.isdigit() else value
    return fallback or value


def likely_complaint(fast_reply: Any, label: str | None) -> bool:
    """Flagged for a fast reply though not labelled negative: a complaint in flat words."""
    return bool(fast_reply) and label != "neg"


def likely_complaint_badge() -> None:
    st.badge(t("item.likely_complaint"), icon=":material/bolt:", color="orange")


def badges(row: Any, extra: list[tuple[str, Any]] | None = None) -> None:
    """Sentiment, intents, priority, status and assignee of an item as a row of badges."""
    with st.container(horizontal=True, gap="small"):
        if row.sentiment_label:
            st.badge(
                md(t(f"sentiment.{row.sentiment_label}")),
                color=SENTIMENT_COLORS.get(row.sentiment_label, "gray"),
            )
        if likely_complaint(getattr(row, "fast_reply", False), row.sentiment_label):
            likely_complaint_badge()
        for intent in row.intents:
            st.badge(md(intent_label(intent)), color="violet")
        st.badge(t("item.priority", value=number(row.priority)), color="primary")
        st.badge(md(t(f"status.{row.status}")), color=STATUS_COLORS.get(row.status, "gray"))
        if row.assignee:
            st.badge(md(t("item.assigned_to", name=row.assignee)), icon=":material/person:", color="gray")
        for label, color in extra or []:
            st.badge(md(label), color=color)


def labels(values: Any, describe: Any) -> Any:
    """A format_func whose labels are fixed now: Streamlit maps a choice back by its label, and may call the
    function outside the script run (so it must not read the session's language then)."""
    fixed = {value: describe(value) for value in values}
    return lambda value: fixed.get(value, str(value))


def lock_labels(locks: list[Any]) -> list[tuple[str, Any]]:
    """'Beto is drafting a reply' badges for colleagues who have the item open."""
    return [(t(f"lock.{lock.activity}", name=lock.user), "orange") for lock in locks]
