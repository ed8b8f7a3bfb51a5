"""The Spanish scorer: our lexicon and rules on the VADER-style engine."""

from __future__ import annotations

from functools import cache

from social_listen.triage.engine import LexiconScorer
from social_listen.triage.lexicon import build_lexicon, emoji_valences, read_rows
from social_listen.triage.rules import SPANISH

# A bare 'no' ('no me llegó', 'no contestan') leans negative even with no sentiment word after it;
# this is its valence when it negates nothing (chosen on the dev tweets and our train half, like
# VADER's own -1.2 for English 'no').
BARE_NEGATION = -1.5


@cache
def spanish_scorer() -> LexiconScorer:
    """The shared Spanish scorer (lexicon loaded once per process)."""
    lexicon = build_lexicon(read_rows("lexicon_es.txt"), SPANISH.function_phrases)
    lexicon.words.update(emoji_valences())
    return LexiconScorer(lexicon, SPANISH, bare_negation=BARE_NEGATION)
