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


class Guarded:
    """A pattern that is tried only on texts holding one of ``keys``: strings every match of it contains.
    The patterns below are long alternations Python tries at every position of a text, and most texts
    have none of their words. A test checks that the keys hide no match in any labelled text we have."""

    def __init__(self, pattern: re.Pattern[str], keys: tuple[str, ...]) -> None:
        self.pattern = pattern
        self._any_key = re.compile("|".join(map(re.escape, keys)))

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._any_key.search(text) else None

    def finditer(self, text: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(text)) if self._any_key.search(text) else []


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
_COUNTED_RE = Guarded(re.compile(
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
), ("day", "week", "month", "fortnight", "dia", "semana", "mes", "call", "mail", "message", "chat", "complaint",
    "llamada", "mensaje", "correo", "reclamo", "attempt", "vez", "still", "todavia", "aun", "sig"))  # fmt: skip
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


_ORDINAL = r"(?:(?:[2-9]|1\d)\s?(?:st|nd|rd|th)|second|third|fourth|fifth|sixth|seventh|umpteenth|nth)"
_TIME_UNIT = r"(?:hours?|hrs?|minutes?|mins?|horas?|minutos?)"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Service that keeps a customer busy: attempts counted ('tried 5 times', 'for the 5th time', '3rd transfer',
# 'told 3 different things'), time spent waiting ('on hold 52 mins', '2nd hour on the phone', 'for 40
# minutes', 'since friday', 'opened 19 days ago'), Spanish forms ('llamé 4 veces', 'por tercera vez', 'hace 2
# horas que', 'desde el lunes'). Not a count of purchases ('ordered 3 times', 'third time ordering') nor
# speed ('in 5 min').
_ATTEMPTS_RE = Guarded(
    re.compile(
        rf"\b(?:tried|asked|called|rang|phoned|emailed|mailed|messaged|chased|contacted|explained|reported|"
        rf"complained|raised it|sent (?:it|them|this|my \w+)|told (?:you|them))\s+(?:it\s+|this\s+|you\s+|them\s+)?"
        rf"(?:{_NUMBER}|a few|so many|multiple|many)\s+times\b"
        rf"|\b(?:{_NUMBER}|so many|multiple)\s+times\s+(?:now|already|so far|in a row|this (?:week|month|year)|today)\b"
        rf"|\b{_ORDINAL}\s+(?:time(?!\s+(?:i\s+|we\s+)?(?:order|buy|bought|shop|purchas|us|wear|visit)\w*)|person|agent|transfer|hour|attempt|try|reminder|ticket|engineer|visit|"
        r"one this (?:week|month|year))\b"
        rf"|\b{_NUMBER}\s+different\s+(?:people|agents|answers|things|stories|reps|departments|numbers)\b"
        r"|\b(?:on hold|in (?:the|a) queue|queuing|queueing|waiting|waited|sat|sitting|stuck|trying|been)\b[^.!?]{0,24}?"
        rf"\b(?:for\s+)?(?:over\s+|almost\s+|nearly\s+)?(?:\d+|an?|two|three|four|five|six)\s*{_TIME_UNIT}\b"
        rf"|\b\d+\s*{_TIME_UNIT}\s+(?:wait|waiting|on hold|in the queue|trying|and (?:counting|still|nothing|no))\b"
        rf"|\bfor\s+(?:over\s+)?\d+\s*(?:hours|hrs|minutes|mins)\b"
        rf"|\bsince\s+(?:last\s+)?(?:{_WEEKDAY}|week|month|yesterday|this morning|{_NUMBER}\s+(?:days|weeks|months|hours))\b"
        rf"|\b(?:opened|approved|reported|raised|submitted|filed|acknowledged|promised|logged|requested)\b"
        rf"(?:\s+\S+){{0,3}}\s+{_NUMBER}\s+{_SPAN}\s+ago\b"
        r"|\bnothing since\b|\bnothing yet\b"
        rf"|\b(?:llame|escribi|reclame|mande|pregunte|insisti)\w*\s+(?:ya\s+)?{_NUMBER}\s+veces\b"
        rf"|\b{_NUMBER}\s+veces\s+(?:ya|y nada|y nadie|sin|que)\b"
        r"|\bpor\s+(?:segunda|tercera|cuarta|quinta|enesima)\s+vez\b"
        rf"|\bhace\s+{_NUMBER}\s+{_TIME_UNIT}\s+que\b|\b{_NUMBER}\s+{_TIME_UNIT}\s+(?:esperando|en espera|al telefono)\b"
        r"|\bdesde el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b"
    ),
    (
        "time",
        "different",
        "hour",
        "hr",
        "min",
        "hora",
        "since",
        "ago",
        "nothing",
        "veces",
        "vez",
        "desde",
        "person",
        "agent",
        "transfer",
        "attempt",
        "try",
        "reminder",
        "ticket",
        "engineer",
        "visit",
        "one this",
    ),
)
# A promise set against what happened: 'was meant to arrive', 'supposed to', 'you said 48h', 'the rep
# said', 'that was tuesday', 'it's Friday'; 'se suponía que', 'me dijeron que', 'supuestamente'. Not a
# promise kept ('as promised', 'exactly what you promised').
_BROKEN_PROMISE_RE = Guarded(
    re.compile(
        r"\b(?:was|were|is|are)\s+(?:meant|supposed)\s+to\b|\bsupposed to\b"
        r"|\b(?:you|they|he|she|the (?:rep|agent|advisor|email|app|website|site|driver|courier|tracking))\s+"
        r"(?:said|told me|told us|claimed|assured)\b"
        r"|\bpromised\b(?<!\bas promised)(?<!what you promised)(?<!what they promised)|\bwas told\b|\bwere told\b"
        rf"|\b(?:that|this) was (?:last\s+)?(?:{_WEEKDAY}|week|month)\b|\bit['’]?s (?:now\s+)?{_WEEKDAY}\b"
        r"|\bse suponia que\b|\bme (?:dijeron|prometieron|aseguraron)\b|\bsupuestamente\b|\bprometieron\b"
        r"|\bquedaron en\b|\bdebia (?:llegar|estar|venir)\b"
    ),
    (
        "meant",
        "supposed",
        "said",
        "told",
        "claimed",
        "assured",
        "promised",
        "was ",
        "it's",
        "its",
        "it’s",
        "suponia",
        "dijeron",
        "prometieron",
        "aseguraron",
        "supuestamente",
        "quedaron",
        "debia",
    ),
)
# A problem put right: 'sorted', 'replaced', 'refunded', 'rebooked me', 'no fuss', 'without any hassle';
# 'me lo cambiaron', 'lo solucionaron', 'me devolvieron el dinero', 'sin vueltas'. Not one still waited
# for ('not fixed', 'still not refunded', 'never replaced', 'todavía no me devolvieron').
_RESOLVED_RE = Guarded(re.compile(
    r"\b(?:sorted|fixed|resolved|solved|replaced|rebooked|reprinted|restocked|reshipped|resent|swapped|"
    r"exchanged|refunded|reimbursed|compensated|found it|got me back|put it right|made it right)\b"
    r"|\bno (?:fuss|drama|hassle|questions asked|questions)\b|\bwithout (?:any\s+)?(?:fuss|hassle|drama|question)\b"
    r"|\bhassle[- ]free\b|\bpainless\b"
    r"|\b(?:me lo|me la|me los|me las|lo|la)\s+(?:cambiaron|reemplazaron|solucionaron|resolvieron|arreglaron|"
    r"repusieron|reenviaron)\b|\bme (?:devolvieron|reembolsaron|reintegraron)\b|\bsin (?:vueltas|drama|preguntas)\b"
    r"|\b(?:solucionado|resuelto)\b"
), ("sorted", "fixed", "resolv", "solved", "replaced", "rebooked", "reprinted", "restocked", "reshipped", "resent",
    "swapped", "exchanged", "refunded", "reimbursed", "compensated", "found it", "got me back", "put it right",
    "made it right", "fuss", "drama", "hassle", "question", "painless", "cambiaron", "reemplazaron", "solucion",
    "arreglaron", "repusieron", "reenviaron", "devolvieron", "reembolsaron", "reintegraron", "vueltas", "preguntas",
    "resuelto"))  # fmt: skip
_NEGATED_BEFORE_RE = re.compile(
    r"(?:\b(?:not|never|no|yet|still|nobody|supposedly|nunca|todavia no|aun no|no me|no lo|no la)|n['’]?t)"
    r"(?:\s+\S+){0,2}\s*$"
)
SERVICE_CUES = ("attempts", "broken_promise", "resolved")


def _resolved(folded: str) -> bool:
    """A fix that is stated, not denied or still awaited (see _RESOLVED_RE)."""
    for match in _RESOLVED_RE.finditer(folded):
        if _NEGATED_BEFORE_RE.search(folded[max(0, match.start() - 24) : match.start()]) is None:
            return True
    return False


def service_cues(prepared: Prepared) -> tuple[float, float, float]:
    """Each of SERVICE_CUES as 1.0 when present: attempts or waiting counted out, a promise set against
    what happened, a problem put right."""
    folded = prepared.folded
    return (
        float(_ATTEMPTS_RE.search(folded) is not None),
        float(_BROKEN_PROMISE_RE.search(folded) is not None),
        float(_resolved(folded)),
    )
