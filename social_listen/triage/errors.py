"""Exceptions raised by the triage package."""


class TriageError(Exception):
    """Base class for triage errors."""


class TriageConfigError(TriageError, ValueError):
    """Overrides or options are invalid; the message says which value to fix."""


class TriageInputError(TriageError, ValueError):
    """An input CSV cannot be read as asked (missing column, bad label)."""
