"""Language identification restricted to a brand's languages (py3langid, model inside the wheel)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from social_listen.triage.text import Prepared, clean

OTHER = "other"


def _words(text: str) -> tuple[str, ...]:
    """A word list written as one string."""
    return tuple(text.split())


SCORED_LANGUAGES = ("es", "en")

# Unambiguous function words: hits for one language and none for the other decide without running the
# model (short texts are where a character model is least sure); ¿ ¡ ñ and accents count for Spanish.
_SPANISH_MARKS = re.compile("[¿¡ñÑáéíóúÁÉÍÓÚ]")
_MARKERS = {
    "es": frozenset(
        _words(
            "el los las del que para por con una uno pero muy mas esta este esto estoy tengo tiene "
            "tienen hola gracias pedido nada todo hace yo mi mis nos les sus como cuando donde porque "
            "tambien siempre nunca hoy ayer es son fue hay sin sobre desde hasta llego compre quiero "
            "puedo usted vos sos tenes ustedes bueno buena malo mala lindo linda genial hermoso hermosa "
            "jaja jajaja envio talle talla estafa tienen soy eres feliz saludos cierto creo tampoco "
            "bien mal manana ahora"
        )
    ),
    "en": frozenset(
        _words(
            "the and with this that for from have was were are you your my our they their it can won "
            "what when where why how order still never please thanks thank just not "
            "but very really will would should could been being is of to in on at love loved great good "
            "nice awesome amazing fun happy yay lol omg congrats damn bad best worst sorry hate yes "
            "haha shipping refund i we be do some want going anyone tonight tomorrow morning last night"
        )
    ),
}


@cache
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    """A py3langid identifier restricted to the given languages (cached per set)."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    known = [lang for lang in languages if lang in identifier.labels]
    identifier.set_languages(known or list(SCORED_LANGUAGES))
    return identifier


def _marker_vote(prepared: Prepared, languages: tuple[str, ...]) -> str | None:
    """Decide from function words (and Spanish marks) when only one language has any."""
    words = prepared.words()
    hits = {lang: sum(map(_MARKERS[lang].__contains__, words)) for lang in languages}
    if "es" in hits and _SPANISH_MARKS.search(prepared.original):
        hits["es"] += 1
    ranked = sorted(hits, key=hits.__getitem__, reverse=True)
    first, rest = hits[ranked[0]], sum(hits[lang] for lang in ranked[1:])
    return ranked[0] if first and (rest == 0 or (first >= 2 and first >= 3 * rest)) else None


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
        lang = (_marker_vote(prepared, marked) if len(marked) == len(langs) else None) or str(
            _identifier(langs).classify(clean(prepared.original))[0]
        )
    return lang if lang in SCORED_LANGUAGES else OTHER
