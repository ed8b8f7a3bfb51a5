"""Small helpers shared by the triage tests."""

from __future__ import annotations

from social_listen.triage import TriageResult, triage_texts


def triage(text: str, languages: tuple[str, ...] = ("es", "en")) -> TriageResult:
    """Triage one text."""
    return triage_texts([text], languages)[0]


def label(text: str) -> str:
    """Sentiment label of one text."""
    return triage(text).sentiment_label


def score(text: str) -> float:
    """Sentiment score of one text."""
    return triage(text).sentiment_score
