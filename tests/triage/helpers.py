"""Small helpers shared by the triage tests."""

from __future__ import annotations

from social_listen.triage import TriageResult, triage_texts

# Priority inputs of a message with no rating, reach, wait or SLA: only its triage counts.
PLAIN = {
    "rating": None,
    "like_count": None,
    "follower_count": None,
    "hours_open": 0.0,
    "sla_hours_left": None,
}


def triage(text: str, languages: tuple[str, ...] = ("es", "en")) -> TriageResult:
    """Triage one text."""
    return triage_texts([text], languages)[0]


def label(text: str) -> str:
    """Sentiment label of one text."""
    return triage(text).sentiment_label


def score(text: str) -> float:
    """Sentiment score of one text."""
    return triage(text).sentiment_score
