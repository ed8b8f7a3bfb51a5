"""Per-brand overrides: phrases with a fixed sentiment or intent, and names that carry none."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from social_listen.triage.errors import TriageConfigError
from social_listen.triage.intents import INTENTS
from social_listen.triage.text import fold

LABELS = ("neg", "neu", "pos")
# Valence given to an override phrase (VADER scale): as strong as 'great' / 'terrible'.
OVERRIDE_VALENCE = {"pos": 2.5, "neu": 0.0, "neg": -2.5}
_ACCENTED = {"a": "[aá]", "e": "[eé]", "i": "[ií]", "o": "[oó]", "u": "[uúü]"}


@dataclass(frozen=True)
class Overrides:
    """Brand phrases: {'phrases': {'me muero por': 'pos'}, 'neutral': ['Tienda Luna'], 'intents': {...}}."""

    phrases: Mapping[str, str] = field(default_factory=dict)
    neutral: tuple[str, ...] = ()
    intents: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, extra_neutral: Sequence[str] = ()) -> Overrides:
        """Build and validate overrides from config or database data (plus e.g. a brand's own names)."""
        phrases = {str(k): str(v) for k, v in dict(data.get("phrases") or {}).items()}
        intents = {str(k): str(v) for k, v in dict(data.get("intents") or {}).items()}
        bad_labels = sorted(v for v in phrases.values() if v not in LABELS)
        if bad_labels:
            raise TriageConfigError(f"Override sentiment must be one of {LABELS}, got {bad_labels}")
        bad_intents = sorted(v for v in intents.values() if v not in INTENTS)
        if bad_intents:
            raise TriageConfigError(f"Unknown override intent(s) {bad_intents}; use one of {INTENTS}")
        neutral = tuple(str(n) for n in [*(data.get("neutral") or ()), *extra_neutral])
        return cls(phrases=phrases, neutral=neutral, intents=intents)


@dataclass(frozen=True)
class AppliedOverrides:
    """The outcome for one text: text with override phrases masked, their valence and forced intents."""

    text: str
    valence: float
    intents: tuple[str, ...]


def _pattern(phrase: str) -> str:
    """Case- and accent-insensitive pattern for a phrase, matching whole words."""
    body = "".join(_ACCENTED.get(ch, re.escape(ch)) for ch in fold(phrase).strip())
    return rf"(?<!\w){body}(?!\w)"


class OverrideMatcher:
    """Compiled overrides applied to each text before scoring."""

    def __init__(self, overrides: Overrides) -> None:
        """Compile one regex per sentiment phrase group and per intent phrase."""
        masked = {p: OVERRIDE_VALENCE[label] for p, label in overrides.phrases.items()}
        masked.update({name: 0.0 for name in overrides.neutral})
        ordered = sorted(masked, key=len, reverse=True)
        self._valence = {fold(p).strip(): v for p, v in masked.items()}
        self._mask = re.compile("|".join(_pattern(p) for p in ordered), re.IGNORECASE) if ordered else None
        self._intents = [(re.compile(_pattern(p), re.IGNORECASE), i) for p, i in overrides.intents.items()]

    def apply(self, text: str) -> AppliedOverrides:
        """Mask override phrases (so the lexicon ignores them) and collect their valence and intents."""
        intents = tuple(intent for pattern, intent in self._intents if pattern.search(text))
        if self._mask is None or self._mask.search(text) is None:
            return AppliedOverrides(text, 0.0, intents)
        found: list[float] = []

        def _sub(match: re.Match[str]) -> str:
            found.append(self._valence.get(fold(match.group(0)), 0.0))
            return " "

        masked = self._mask.sub(_sub, text)
        return AppliedOverrides(masked, sum(found), intents)
