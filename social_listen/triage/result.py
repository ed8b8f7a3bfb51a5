"""The triage result record and the scorer version stamped on it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

# Bump the number when a code change can change labels or scores for the same text; the suffix is a
# digest of the packaged lexicons, patterns and weights, so retraining changes the version by itself.
# Stored with every score, it lets `triage rescore` find rows scored by an older triage.
_NUMBER = "1.1.8"
_DATA_FILES = ("lexicon_es.txt", "lexicon_en.txt", "emoji.txt", "intents.txt", "model.json.gz")


def _data_digest() -> str:
    """First 8 hex digits of a SHA-256 over the packaged data files (missing files count as empty)."""
    digest = hashlib.sha256()
    folder = resources.files("social_listen.triage").joinpath("data")
    for name in _DATA_FILES:
        path = folder.joinpath(name)
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:8]


TRIAGE_VERSION = f"{_NUMBER}+{_data_digest()}"


@dataclass(frozen=True)
class TriageResult:
    """Language, sentiment and intents of one message, with the scorer that produced them."""

    lang: str
    sentiment_label: str
    sentiment_score: float
    intents: tuple[str, ...]
    scorer: str
    version: str = TRIAGE_VERSION
    # Answer fast: the label is negative or, where the scorer knows better, the message reads like a
    # complaint though its words are flat (see sentiment.FAST_REPLY_P_NEG). None: follow the label.
    fast_reply: bool | None = None

    @property
    def negative(self) -> bool:
        """The fast-reply flag: the message reads negative or like a complaint."""
        return self.sentiment_label == "neg" if self.fast_reply is None else self.fast_reply
