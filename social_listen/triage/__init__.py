"""Triage: language, sentiment, shop intents and priority for incoming messages (no UI imports)."""

from social_listen.triage.csvio import eval_csv, score_csv
from social_listen.triage.errors import TriageConfigError, TriageError, TriageInputError
from social_listen.triage.intents import INTENTS
from social_listen.triage.overrides import Overrides
from social_listen.triage.pipeline import triage_texts
from social_listen.triage.priority import priority
from social_listen.triage.result import TRIAGE_VERSION, TriageResult

__all__ = [
    "INTENTS",
    "TRIAGE_VERSION",
    "Overrides",
    "TriageConfigError",
    "TriageError",
    "TriageInputError",
    "TriageResult",
    "eval_csv",
    "priority",
    "score_csv",
    "triage_texts",
]
