"""Complaint cues the lexicon cannot see: a promise in scare quotes, a wait counted out, an ironic 'great'.

The learned layer reads them as features. Customers rarely write 'I am angry'; they write "'delivered'
to a locker 12 miles away", "it's been 9 days", "cheers for the 'free' delivery". Each cue is a pattern
over the folded text (English and Spanish forms), reported as 0.0 or 1.0. They are narrow on purpose:
a product name in quotes ('the "Sunset" colour'), a count that is not a wait ('ordered 3 times',
'6 months and still works') or praise next to a neutral topic ('shipping was quick, great') is no cue.
"""

from __future__ import annotations

import re

from social_listen.triage.text import Prepared, fold

# A short quoted span (up to 30 characters: 'delivered', "next day", “gratis”, «express», 'didn't arrive')
# between a space or the start and a space, punctuation or the end. An apostrophe inside a word does not
# close a single-quoted span (the closing quote must be followed by a space, punctuation or the end).
_QUOTED_RE = re.compile(
    r"""(?:^|(?<=[\s(]))(?:"([^"\n]{2,30}?)"|“([^”\n]{2,30}?)”|«([^»\n]{2,30}?)»|['‘]([^\n]{2,30}?)['’])(?=$|[\s.,!?;:)])"""
)
# What a shop promises and a customer then quotes back: delivery and service claims and product claims.
# A quoted span counts only when it holds one of these words (so quoted product names and sizes do not).
_CLAIM_RE = re.compile(
    r"\b(?:deliver(?:ed|y)?|arrived?|arriving|dispatched|shipped|on (?:its|the) way|out for delivery|in transit|tracked|"
    r"tracking|free|express|next[- ]day|same[- ]day|fast|quick|speedy|priority|premium|guaranteed?|"
    r"waterproof|water ?proof|leak ?proof|shatter ?proof|unbreakable|durable|quality|genuine|original|"
    r"authentic|new|in stock|available|refund(?:ed)?|processed|resolved|escalated|help(?:ful)?|support|"
    r"customer (?:service|care)|care|24/7|24h|48h|sorry|apology|"
    r"entregad[oa]|enviad[oa]|despachad[oa]|en camino|en reparto|gratis|gratuito|rapid[oa]|urgente|"
    r"garantia|garantizad[oa]|impermeable|calidad|original|nuevo|disponible|en stock|reembolsad[oa]|"
    r"reembolso|devuelto|resuelto|atencion|soporte|ayuda|24 ?hs?|48 ?hs?|disculpas)\b"
)
# Parcel and ticket statuses, quoted back whatever their case ("'Delivered' to a locker 12 miles away").
_STATUS_RE = re.compile(
    r"\b(?:delivered|dispatched|shipped|out for delivery|in transit|processing|resolved|refunded|"
    r"entregad[oa]|enviad[oa]|despachad[oa]|en camino|en reparto|en preparacion|resuelto|reembolsad[oa])\b"
)
_NUMBER = (
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|"
    r"diez|varias|varios)"
)
_SPAN = r"(?:days|weeks|months|dias|semanas|meses)"
# A wait counted out ('been 9 days', 'after 3 weeks', '10 days later', 'two weeks now', 'day 12 of waiting',
# 'hace 10 días que espero', 'llevo 3 semanas esperando', 'ya van tres semanas y nada'), attempts counted
# ('4 emails', 'the 3rd call', 'tercer reclamo', 'tercera vez que escribo'), and an order or an answer
# still missing ('still no reply', 'still not arrived', 'todavía no llega', 'sigo esperando'). Not a count
# that is no wait ('ordered 3 times', '6 months and still works', 'after 2 weeks of use I love it', 'hace
# 3 meses y me encanta', 'still no complaints', 'still nothing beats it') nor 'todavía no lo probé'.
_COUNTED_RE = re.compile(
    rf"\b(?:been|waited|waiting|wait|over|almost|nearly|another)\s+(?:for\s+)?(?:over\s+|almost\s+|nearly\s+|more than\s+)?"
    rf"(?:{_NUMBER}\s+{_SPAN}|a\s+(?:week|month|fortnight))\b"
    rf"|\bafter\s+{_NUMBER}\s+{_SPAN}\s+(?:of waiting|and still|still|and no|nothing|without)\b"
    rf"|\b{_NUMBER}\s+{_SPAN}\s+(?:later and|and\s+(?:counting|nothing|no\s+(?:reply|answer|response|refund|parcel|order|package|sign|news|word|update))|late|overdue|waiting|without)\b"
    rf"|\bhace\s+{_NUMBER}\s+{_SPAN}\s+(?:que\s+(?:espero|estoy esperando|reclamo|escribo)|y\s+(?:nada|nadie|sigo|todavia|aun|no)\b)"
    rf"|\b(?:esperando|espero)\s+(?:hace|desde hace)\s+{_NUMBER}\s+{_SPAN}\b"
    rf"|\bya\s+pasar(?:on|an)\s+{_NUMBER}\s+{_SPAN}\b"
    rf"|\b(?:llevo|llevamos|van|mas\s+de|casi)\s+{_NUMBER}\s+{_SPAN}\s+(?:esperando|sin|reclamando|y|que)\b"
    rf"|\b{_NUMBER}\s+{_SPAN}\s+(?:esperando|sin\s+(?:respuesta|noticias|el pedido|mi pedido|novedades)|"
    r"y\s+(?:nada|nadie|sigo|todavia|aun))\b"
    rf"|\b{_NUMBER}\s+(?:more\s+|separate\s+|different\s+|mas\s+)?(?:calls|emails|e-mails|messages|chats|"
    r"complaints|llamadas|mensajes|correos|mails|reclamos)\b"
    r"|\b(?:[2-9](?:st|nd|rd|th|do|ro|er|to|vo|a)|second|third|fourth|fifth|segund[oa]|tercer[oa]?|cuart[oa]|"
    r"quint[oa])\s+(?:message|call|email|e-mail|attempt to (?:contact|reach|call)|complaint|chat|day running|"
    r"week running|mensaje|llamada|correo|mail|reclamo|vez que (?:escribo|llamo|reclamo|pregunto|pido|consulto))\b"
    r"|\bday\s+\d+\s+(?:of|and|without|still)\b"
    r"|\bstill\s+(?:no\s+(?:reply|replies|answer|response|refund|parcel|package|order|delivery|sign|news|word|"
    r"update|tracking|contact|email|call|money|item|one|help|confirmation)|nothing\s+(?:from|on|yet|back|about)|not\s+(?:here|arrived|received|delivered|working|fixed|refunded|"
    r"resolved|heard|answered|replied|shipped|dispatched|got|had)|waiting\s+(?:for|on)\s+(?:my|the|a|an|your|"
    r"it|them|a reply|an answer)|hasn['’]?t|haven['’]?t|(?:says|shows)\s+(?:nothing|the same|pending|processing))\b"
    r"|\b(?:todavia|aun)\s+(?:no\s+(?:me\s+)?(?:llega|llego|recibi|recibo|contestan|responden|devuelven|"
    r"aparece|envian|mandan|tengo (?:respuesta|mi pedido|el pedido|noticias))|sin\s+(?:respuesta|noticias|"
    r"mi pedido|el pedido|reembolso|novedades)|espero|estoy esperando)\b"
    r"|\bsig(?:o|ue|uimos|uen)\s+(?:esperando|sin\s+(?:respuesta|noticias|mi pedido|el pedido|reembolso))\b"
)
# An ironic opener: praise or thanks before the complaint ('great, another...', 'wow @brand, six weeks',
# 'amazing how...', 'gotta love', 'qué bien,', 'genial,', 'gracias por').
_IRONIC_OPENER_RE = re.compile(
    r"^\W*(?:great|wow|cheers|lovely|fantastic|brilliant|amazing how|love how|i love how|gotta love|"
    r"super helpful|very reassuring|nice|what a surprise|thanks for|thank you for|10/10|"
    r"que bien|genial|excelente|buenisimo|gracias por|que sorpresa|me encanta como|muy bien)\b"
)
# Praise closing a complaint: '... truly world class', '... lovely', '... v convenient', '... cool cool'.
_IRONIC_CLOSER_RE = re.compile(
    r"(?:\b(?:truly|really|just|so|v|very|how)\s+)?\b(?:world class|lovely|wonderful|convenient|brilliant|"
    r"great|fantastic|helpful|hilarious|cool cool|ok then|nice one|genial|excelente|de lujo|impecable)\W*$"
)
CUES = ("scare_quotes", "counted_wait", "ironic_praise")
# Intents that make praise around them read as irony. Topics that are neutral by themselves (shipping,
# payment, a return) are not evidence: 'shipping was quick, great' is praise.
COMPLAINT_INTENTS = frozenset(["not_received", "no_answer", "defective", "scam"])


def scare_quotes(original: str) -> bool:
    """A short quoted span (up to four words) that holds a shop's claim ('delivered', "free", “express”). A
    capitalised span reads as a name ('the "Express" model', 'the "Original" recipe') unless it is a
    parcel status ('Delivered', 'In transit', 'Entregado')."""
    for match in _QUOTED_RE.finditer(original):
        span = next(group for group in match.groups() if group is not None)
        if len(span.split()) > 4:
            continue
        folded = fold(span)
        if _STATUS_RE.search(folded) or (not span[:1].isupper() and _CLAIM_RE.search(folded)):
            return True
    return False


def complaint_cues(prepared: Prepared, intents: frozenset[str]) -> tuple[float, float, float]:
    """Each of CUES as 1.0 when present in the text, else 0.0. Praise counts as ironic only next to some
    evidence of a complaint: a claim in scare quotes, a counted wait or a complaint intent."""
    folded = prepared.folded.strip()
    original = prepared.original
    quotes = any(q in original for q in "\"'“‘«") and scare_quotes(original)
    counted = _COUNTED_RE.search(folded) is not None
    evidence = quotes or counted or not COMPLAINT_INTENTS.isdisjoint(intents)
    praise = evidence and (
        _IRONIC_OPENER_RE.search(folded) is not None or _IRONIC_CLOSER_RE.search(folded) is not None
    )
    return float(quotes), float(counted), float(praise)
