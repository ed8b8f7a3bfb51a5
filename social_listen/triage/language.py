"""Language identification restricted to a brand's languages (py3langid, model inside the wheel)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from social_listen.triage.text import Prepared, clean

OTHER = "other"
SCORED_LANGUAGES = ("es", "en")

# Unambiguous function words: two or more hits for one language and none for the other decide
# without running the model (short texts are where a character model is least sure).
_MARKERS = {
    "es": frozenset(
        [
            "el",
            "los",
            "las",
            "del",
            "que",
            "para",
            "por",
            "con",
            "una",
            "uno",
            "pero",
            "muy",
            "mas",
            "esta",
            "este",
            "esto",
            "estoy",
            "tengo",
            "tiene",
            "tienen",
            "hola",
            "gracias",
            "pedido",
            "nada",
            "todo",
            "hace",
            "ya",
            "yo",
            "mi",
            "mis",
            "nos",
            "les",
            "sus",
            "como",
            "cuando",
            "donde",
            "porque",
            "tambien",
            "siempre",
            "nunca",
            "hoy",
            "ayer",
            "es",
            "son",
            "fue",
            "hay",
            "sin",
            "sobre",
            "desde",
            "hasta",
            "llego",
            "compre",
            "quiero",
            "puedo",
            "usted",
            "vos",
            "sos",
            "tenes",
            "ustedes",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "and",
            "with",
            "this",
            "that",
            "for",
            "from",
            "have",
            "has",
            "was",
            "were",
            "are",
            "you",
            "your",
            "my",
            "our",
            "they",
            "their",
            "it's",
            "i'm",
            "don't",
            "can't",
            "won't",
            "what",
            "when",
            "where",
            "why",
            "how",
            "order",
            "still",
            "never",
            "please",
            "thanks",
            "thank",
            "just",
            "not",
            "but",
            "very",
            "really",
            "will",
            "would",
            "should",
            "could",
            "been",
            "being",
            "is",
            "of",
            "to",
            "in",
            "on",
            "at",
        ]
    ),
}


@cache
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    """A py3langid identifier restricted to the given languages (cached per set)."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    known = [lang for lang in languages if lang in identifier.labels]
    identifier.set_languages(known or list(SCORED_LANGUAGES))
    return identifier


def _marker_vote(words: list[str], languages: tuple[str, ...]) -> str | None:
    """Decide from function words when exactly one language has at least two hits."""
    hits = {lang: sum(1 for w in words if w in _MARKERS[lang]) for lang in languages}
    winners = [lang for lang, n in hits.items() if n >= 2]
    if len(winners) == 1 and all(n == 0 for lang, n in hits.items() if lang != winners[0]):
        return winners[0]
    return None


def detect_language(text: str | Prepared, languages: Sequence[str] = SCORED_LANGUAGES) -> str:
    """'es', 'en' or 'other'; texts with no letters (only emoji, numbers or links) are 'other'."""
    prepared = text if isinstance(text, Prepared) else Prepared(text)
    langs = tuple(languages) or SCORED_LANGUAGES
    words = prepared.words()
    if not words:
        return OTHER
    if len(langs) == 1:
        lang = langs[0]
    else:
        marked = tuple(lang for lang in langs if lang in _MARKERS)
        lang = (_marker_vote(words, marked) if len(marked) == len(langs) else None) or str(
            _identifier(langs).classify(clean(prepared.original))[0]
        )
    return lang if lang in SCORED_LANGUAGES else OTHER
