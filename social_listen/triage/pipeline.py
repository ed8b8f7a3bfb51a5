"""triage_texts: language, sentiment and intents for a batch of texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from social_listen.triage.intents import detect_intents
from social_listen.triage.language import detect_language
from social_listen.triage.learned import LanguageModel
from social_listen.triage.overrides import AppliedOverrides, OverrideMatcher, Overrides
from social_listen.triage.result import TRIAGE_VERSION, TriageResult
from social_listen.triage.sentiment import classify
from social_listen.triage.text import Prepared


def _triage_one(
    text: str,
    languages: Sequence[str],
    matcher: OverrideMatcher | None,
    models: Mapping[str, LanguageModel] | None,
) -> TriageResult:
    """Triage one text (overrides first, then language, sentiment and intents)."""
    applied = matcher.apply(text) if matcher else AppliedOverrides(text, 0.0, ())
    prepared = Prepared(applied.text)
    lang = detect_language(prepared, languages)
    label, score, scorer = classify(prepared, lang, applied.valence, models)
    own = models.get(lang) if models and scorer.startswith("brand-") else None
    return TriageResult(
        lang=lang,
        sentiment_label=label,
        sentiment_score=round(score, 4),
        intents=detect_intents(prepared, label, applied.intents),
        scorer=scorer,
        version=f"{own.tag}+{TRIAGE_VERSION}" if own is not None and own.tag else TRIAGE_VERSION,
    )


def triage_texts(
    texts: Sequence[str],
    languages: Sequence[str] = ("es", "en"),
    overrides: Overrides | None = None,
    models: Mapping[str, LanguageModel] | None = None,
) -> list[TriageResult]:
    """Triage a batch of texts for a brand writing in `languages`, applying its overrides; `models` (per
    language) replace the packaged learned layer, e.g. a brand's own learned version."""
    matcher = OverrideMatcher(overrides) if overrides else None
    langs = tuple(languages)
    return [_triage_one(text or "", langs, matcher, models) for text in texts]
