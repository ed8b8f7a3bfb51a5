"""The English scorer: VADER, plus shop complaint vocabulary and phrases it misses."""

from __future__ import annotations

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from social_listen.triage.engine import denormalize_score, normalize_score
from social_listen.triage.lexicon import index_phrases, phrase_tokens, read_rows
from social_listen.triage.text import Prepared

_SARCASM = frozenset(["🙄", "🙃", "yeah right", "thanks for nothing", "sure , ", "/s"])
_SARCASM_TOKENS = frozenset(["🙄", "🙃"])
N_SCALAR = -0.74


class EnglishScorer:
    """VADER's compound with our word updates and phrase valences added to its valence sum."""

    def __init__(self, words: dict[str, float], phrases: dict[tuple[str, ...], float]) -> None:
        """Extend a private VADER analyzer with our words and index our phrases."""
        self.vader = SentimentIntensityAnalyzer()
        self.vader.lexicon.update(words)
        self.phrase_valence = {" ".join(tokens): valence for tokens, valence in phrases.items()}
        self.phrases = index_phrases(phrases)
        self.phrase_starts = frozenset(tokens[0] for tokens in phrases)

    def raw_score(self, text: str | Prepared, extra: float = 0.0) -> float:
        """Valence sum on VADER's scale: VADER's own sum plus our phrases and sarcasm rule."""
        prepared = text if isinstance(text, Prepared) else Prepared(text)
        total = denormalize_score(self.vader.polarity_scores(prepared.original)["compound"])
        tokens = prepared.tokens
        if _SARCASM_TOKENS.intersection(tokens) and total > 0:
            total *= N_SCALAR
        return total + self._phrase_sum(tokens) + extra

    def score(self, text: str | Prepared, extra: float = 0.0) -> float:
        """Compound score in [-1, 1]."""
        return normalize_score(self.raw_score(text, extra))

    def _phrase_sum(self, tokens: list[str]) -> float:
        """Sum of the valences of our phrases found in the tokens (non-overlapping, longest first)."""
        total, i, n = 0.0, 0, len(tokens)
        starts = self.phrase_starts
        while i < n - 1:
            if tokens[i] not in starts:
                i += 1
                continue
            cands = self.phrases.get(f"{tokens[i]} {tokens[i + 1]}", ())
            step = 1
            for seq, joined in cands:
                if tuple(tokens[i : i + len(seq)]) == seq:
                    total += self.phrase_valence[joined]
                    step = len(seq)
                    break
            i += step
        return total


@cache
def english_scorer() -> EnglishScorer:
    """The shared English scorer."""
    words: dict[str, float] = {}
    phrases: dict[tuple[str, ...], float] = {}
    for row in read_rows("lexicon_en.txt"):
        tokens = phrase_tokens(row[0])
        if len(tokens) > 1:
            phrases[tokens] = float(row[1])
        else:
            words[row[0]] = float(row[1])
    return EnglishScorer(words, phrases)
