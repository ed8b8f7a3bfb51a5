"""Complaint cues the lexicon cannot see: a fact stated flatly, an ironic 'great', a word in scare quotes.

The learned layer reads them as features. Customers rarely write 'I am angry'; they write "'delivered'
to a locker 12 miles away", "the 5th day running", "cheers for the 'free' delivery". Each cue is a
pattern over the folded text (English and Spanish forms), reported as 0.0 or 1.0.
"""

from __future__ import annotations

import re

from social_listen.triage.text import Prepared

# A short span in quotes: 'waterproof', "delivered", “gratis”, «express» (1-4 words, not a whole sentence).
_SCARE_QUOTES_RE = re.compile(r"""(?:^|[\s(])["'“‘«]([^"'“”‘’«»\n]{2,30})["'”’»](?=$|[\s.,!?;:)])""")
# Time spent or attempts counted: '9 days', 'third time', '4th message', 'day 19', '3 semanas', 'hace 10 dias'.
_COUNTED_RE = re.compile(
    r"\b(?:\d+|two|three|four|five|six|several|dos|tres|cuatro|cinco|seis|varias|varios)\s+"
    r"(?:more\s+|separate\s+|mas\s+)?(?:weeks|months|times|calls|emails|messages|tickets|semanas|meses|"
    r"veces|llamadas|mensajes|correos|reclamos)\b"
    r"|\b(?:\d+(?:st|nd|rd|th)|third|fourth|fifth|tercera?|cuarta?|quinta?)\s+(?:message|call|email|attempt|"
    r"day running|week running|mensaje|llamada|reclamo|vez que)\b"
    r"|\bday\s+\d+\b|\bstill\s+(?:no|not|nothing|waiting|says|hasn|haven|doesn|don)|\btodavia\s+(?:no|sin|espero)"
    r"|\ba[uú]n\s+(?:no|sin|espero|estoy esperando)\b"
)
# An ironic opener: praise or thanks that stands alone before the complaint ('great, another...',
# 'wow @brand, six weeks', 'amazing how...', 'gotta love', 'qué bien,', 'genial,', 'gracias por').
_IRONIC_OPENER_RE = re.compile(
    r"^(?:\W*)(?:great|wow|cheers|lovely|fantastic|brilliant|amazing how|love how|i love how|gotta love|"
    r"super helpful|very reassuring|nice|what a surprise|thanks for|thank you for|10/10|"
    r"que bien|genial|excelente|buenisimo|gracias por|que sorpresa|me encanta como|muy bien)\b[^a-z]*"
)
# Praise closing a complaint: '... truly world class', '... lovely', '... v convenient', '... cool cool'.
_IRONIC_CLOSER_RE = re.compile(
    r"(?:truly|really|just|so|v|very|how)?\s*(?:world class|lovely|wonderful|convenient|brilliant|great|"
    r"fantastic|helpful|hilarious|cool cool|ok then|nice one|genial|excelente|de lujo|impecable)\W*$"
)
CUES = ("scare_quotes", "counted_wait", "ironic_praise")
# Intents that make praise around them read as irony.
COMPLAINT_INTENTS = frozenset(
    ["not_received", "no_answer", "defective", "return_refund", "scam", "payment", "shipping"]
)


def complaint_cues(prepared: Prepared, intents: frozenset[str]) -> tuple[float, float, float]:
    """Each of CUES as 1.0 when present in the text, else 0.0. Praise counts as ironic only next to some
    evidence of a complaint: scare quotes, a counted wait or a complaint intent."""
    folded = prepared.folded.strip()
    quotes = _SCARE_QUOTES_RE.search(prepared.original) is not None
    counted = _COUNTED_RE.search(folded) is not None
    praise = _IRONIC_OPENER_RE.search(folded) is not None or _IRONIC_CLOSER_RE.search(folded) is not None
    evidence = quotes or counted or not COMPLAINT_INTENTS.isdisjoint(intents)
    return float(quotes), float(counted), float(praise and evidence)
