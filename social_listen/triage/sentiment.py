"""Route a text to its language's scorer and turn the score into a neg/neu/pos label."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from social_listen.triage.engine import LexiconScorer
from social_listen.triage.english import english_scorer
from social_listen.triage.learned import LanguageModel, load_models
from social_listen.triage.lexicon import Lexicon, emoji_valences
from social_listen.triage.rules import Rules
from social_listen.triage.spanish import spanish_scorer
from social_listen.triage.text import Prepared

# Compound cut-offs per language: scores inside (neg, pos) are neutral. Chosen on the dev tweet
# sets (threshold tuning only; see bench/triage_eval.py), never on data/shop_comments/test.csv.
THRESHOLDS = {"es": (-0.3, 0.3), "en": (-0.3, 0.3), "other": (-0.3, 0.3)}
SCORER_NAMES = {"es": "lexicon-es", "en": "vader-en", "other": "emoji"}
HYBRID_NAMES = {"es": "hybrid-es", "en": "hybrid-en"}
BRAND_NAMES = {"es": "brand-es", "en": "brand-en"}


@cache
def emoji_scorer() -> LexiconScorer:
    """Scorer for texts in no supported language: emoji and emoticons only."""
    rules = Rules(negators=frozenset(), boosters={}, contrast=frozenset())
    return LexiconScorer(Lexicon(words=dict(emoji_valences()), phrases={}), rules)


def score_text(text: str | Prepared, lang: str, extra: float = 0.0) -> float:
    """Compound score in [-1, 1] from the scorer for this language."""
    if lang == "es":
        return spanish_scorer().score(text, extra)
    if lang == "en":
        return english_scorer().score(text, extra)
    return emoji_scorer().score(text, extra)


def label_for(score: float, lang: str) -> str:
    """'neg', 'neu' or 'pos' using the language's cut-offs."""
    low, high = THRESHOLDS.get(lang, THRESHOLDS["other"])
    if score <= low:
        return "neg"
    if score >= high:
        return "pos"
    return "neu"


def classify(
    prepared: Prepared, lang: str, extra: float = 0.0, models: Mapping[str, LanguageModel] | None = None
) -> tuple[str, float, str]:
    """Label, score in [-1, 1] and scorer name: a brand's own model for the language when given, else the
    packaged learned layer when active, else the lexicon."""
    compound = score_text(prepared, lang, extra)
    own = models.get(lang) if models else None
    if own is not None and lang in BRAND_NAMES:
        label, score = own.predict(prepared, compound)
        return label, score, BRAND_NAMES[lang]
    model = load_models().get(lang)
    if model is None:
        return label_for(compound, lang), compound, SCORER_NAMES[lang]
    label, score = model.predict(prepared, compound)
    return label, score, HYBRID_NAMES[lang]
