"""The triage result record and the scorer version stamped on it."""

from __future__ import annotations

from dataclasses import dataclass

# Bump when labels or scores can change for the same text, so `triage rescore` re-runs old rows.
TRIAGE_VERSION = "1.0.0"


@dataclass(frozen=True)
class TriageResult:
    """Language, sentiment and intents of one message, with the scorer that produced them."""

    lang: str
    sentiment_label: str
    sentiment_score: float
    intents: tuple[str, ...]
    scorer: str
    version: str = TRIAGE_VERSION

    @property
    def negative(self) -> bool:
        """The fast-reply flag: the message reads negative."""
        return self.sentiment_label == "neg"
