"""Shop intents (multi-label, Spanish and English) from the declared patterns in data/intents.txt."""

from __future__ import annotations

import re
from collections.abc import Iterable

from social_listen.triage.lexicon import read_rows
from social_listen.triage.text import Prepared

INTENTS = (
    "shipping",
    "not_received",
    "return_refund",
    "payment",
    "size_fit",
    "stock",
    "price_discount",
    "invoice",
    "defective",
    "no_answer",
    "scam",
    "spam",
    "question",
    "praise",
)
_LEAD_RE = re.compile(r"\\b([a-z0-9ñ]{2,3})")
Keyed = dict[str, tuple[tuple[str, re.Pattern[str]], ...]]
Unkeyed = tuple[tuple[str, re.Pattern[str]], ...]


def _grouped(lead: str, pats: list[str]) -> re.Pattern[str]:
    """One regex per lead: the shared literal first (fast to scan for), then the alternatives."""
    rests = []
    for pat in pats:
        rest = pat[2 + len(lead) :]
        if rest[:1] in ("?", "*", "+", "{"):
            raise ValueError(f"intent pattern {pat!r}: a quantifier may not follow its leading letters")
        rests.append(rest)
    return re.compile(re.escape(lead) + "(?:" + "|".join(rests) + ")")


def index_patterns(rows: Iterable[tuple[str, str]]) -> tuple[Keyed, Unkeyed]:
    """Group (intent, pattern) rows by the word prefix that must start a match; the rest always run."""
    grouped: dict[str, dict[str, list[str]]] = {}
    always: list[tuple[str, re.Pattern[str]]] = []
    for name, pat in rows:
        if name not in INTENTS:
            raise ValueError(f"unknown intent {name!r} in intents.txt; use one of {INTENTS}")
        lead = _LEAD_RE.match(pat)
        if lead is None:
            always.append((name, re.compile(pat)))
        else:
            grouped.setdefault(lead.group(1), {}).setdefault(name, []).append(pat)
    keyed = {
        key: tuple((n, _grouped(key, p)) for n, p in by_name.items()) for key, by_name in grouped.items()
    }
    return keyed, tuple(always)


_KEYED, _ALWAYS = index_patterns((row[0], row[1]) for row in read_rows("intents.txt"))
_KEYS = frozenset(_KEYED)


def _starts_a_word(pattern: re.Pattern[str], text: str) -> bool:
    """True when the pattern matches starting at the beginning of a word."""
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        start = match.start()
        if start == 0 or not text[start - 1].isalnum():
            return True
        pos = start + 1
    return False


def matched_intents(prepared: Prepared) -> frozenset[str]:
    """Intents whose patterns match the text (before the rules of detect_intents), computed once per text:
    the learned layer reads them as features and detect_intents starts from them."""
    if prepared.intent_hits is None:
        prepared.intent_hits = frozenset(_matched(prepared))
    return prepared.intent_hits


def _matched(prepared: Prepared) -> set[str]:
    """Intents whose patterns match, trying only patterns whose leading letters start a word here."""
    folded = prepared.folded
    words = prepared.words()
    found = {name for name, pattern in _ALWAYS if pattern.search(folded)}
    keys = {w[:3] for w in words}
    keys.update([w[:2] for w in words])
    for key in keys & _KEYS:
        for name, pattern in _KEYED[key]:
            if name not in found and _starts_a_word(pattern, folded):
                found.add(name)
    return found


def detect_intents(
    text: str | Prepared, sentiment_label: str, forced: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Intents in INTENTS order; not_received implies shipping; praise is a positive message (not spam/scam)."""
    prepared = text if isinstance(text, Prepared) else Prepared(text)
    found = set(matched_intents(prepared))
    found.update(forced)
    if "not_received" in found:
        found.add("shipping")
    if sentiment_label == "pos" and not found & {"spam", "scam"}:
        found.add("praise")
    return tuple(name for name in INTENTS if name in found)
