"""Declared rule sets for the lexicon scorer: negators, boosters, contrast and sarcasm cues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

B_INCR = 0.293
B_DECR = -0.293


def _words(text: str) -> list[str]:
    """A word list written as one string."""
    return text.split()


@dataclass(frozen=True)
class Rules:
    """Function words that change the valence of the sentiment words around them."""

    negators: frozenset[str]
    boosters: dict[str, float]
    contrast: frozenset[str]
    concessive: frozenset[str] = frozenset()
    valenced_boosters: frozenset[str] = frozenset()
    sarcasm: frozenset[str] = frozenset()
    bare_negators: frozenset[str] = frozenset()
    transparent: frozenset[str] = frozenset()
    correlative: frozenset[str] = frozenset()
    # 'ni muy dulce ni muy simple', 'ni tan grande ni tan chico': both halves of a `correlative` pair graded by
    # the same one of these degree words weigh the product between two ends, a middle verdict whatever the
    # words' valence.
    graded: frozenset[str] = frozenset()
    # 'todavía no lo probé', 'no lo usé todavía': a negator right after one of `not_yet` (or with one of them
    # after its verb in the same clause) whose verb (after clitics and `auxiliaries`) matches `trying` is a
    # product not tried yet, no bare negation, when the writer is the one not trying: the verb takes an
    # `objects` clitic ('no lo abrió', someone has not opened it) or is in the first person (`first_person`,
    # or after one of `first_person_auxiliaries`). 'todavía no abre la app' is a fault.
    not_yet: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()
    trying: re.Pattern[str] | None = None
    objects: frozenset[str] = frozenset()
    first_person: re.Pattern[str] | None = None
    first_person_auxiliaries: frozenset[str] = frozenset()
    # 'para el balcón, perfecta; para adentro, no tanto': an elliptic negation with no sentiment word of
    # its own in its clause denies the strongest praise before it (a mixed verdict, not a bare 'no').
    elliptic: frozenset[str] = frozenset()
    # Courtesy formulas that close a message ('gracias', 'un saludo', 'espero vuestra respuesta', 'quedo
    # atenta'), as folded token sequences, longest first. With courtesy emoji and emoticons after the last
    # clause they are its closing (engine.LexiconScorer._closing): after a negative clause they only soften it.
    closers: tuple[tuple[str, ...], ...] = ()
    question_scalar: float = 1.0
    spellings: dict[str, str] = field(default_factory=dict)
    function_phrases: tuple[str, ...] = field(default=())


# 'poco' before an adjective reads as 'not' ('poco profesional'); 'un poco' is a dampener instead.
_ES_NEGATORS = _words(
    "no nunca jamas ni tampoco sin nadie nada ningun ninguna ninguno ningunos ningunas nel nop"
)
_ES_NEGATORS += _words("poco poca pocos pocas apenas")
_ES_NEGATOR_PHRASES = ["para nada", "en absoluto", "en la vida", "ni siquiera", "no tan"]
_ES_STRONG_BOOSTERS = _words(
    "muy super re recontra requete mega hiper ultra tan demasiado demasiada demasiados demasiadas sumamente "
    "extremadamente increiblemente tremendamente terriblemente totalmente completamente absolutamente "
    "realmente verdaderamente especialmente particularmente muchisimo muchisima enormemente altamente "
    "profundamente full tremendo tremenda bien"
)
_ES_MILD_BOOSTERS = _words("bastante mucho mucha harto harta mas") + ["re contra"]
_ES_MILD_DAMPENERS = _words("algo medio casi ligeramente levemente relativamente")
_ES_DAMPENER_PHRASES = ["un poco", "un poquito", "un tanto", "mas o menos", "medio medio"]
# 'no sabés lo feliz que estoy' is emphasis, not negation.
_ES_EMPHASIS_PHRASES = [
    "no sabes lo",
    "no saben lo",
    "no te imaginas lo",
    "no se imaginan lo",
    "no tienes idea de lo",
]

# Chat spellings read as the words they stand for, so phrases and negation still match ('q asco', 'nunk').
_ES_SPELLINGS = {
    "q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque", "porq": "porque", "tb": "tambien",
    "tmb": "tambien", "tmbn": "tambien", "bn": "bien", "nd": "nada", "nunk": "nunca", "bno": "bueno",
    "xfa": "por favor", "porfa": "por favor", "porfis": "por favor", "mxo": "mucho", "muxo": "mucho",
    "xo": "pero", "toy": "estoy", "tqm": "te quiero mucho", "tkm": "te quiero mucho", "ntp": "no te preocupes",
    "salu2": "saludos", "dnd": "donde", "wn": "weon", "pa": "para",
}  # fmt: skip

# Praise for how a shop charges is irony ('muy eficientes para cobrar', 'para cobrarme fueron rapidísimos').
_ES_CHARGING = [
    "para cobrar",
    "para cobrarme",
    "para cobrarnos",
    "para cobrarte",
    "para cobrarle",
    "a la hora de cobrar",
]

# Verbs of trying a product out, as their folded forms start: probar, estrenar, usar, abrir, armar,
# instalar, leer, montar, lavar, poner, prender, conectar. They count only with an object clitic or in the
# first person (below): in the third person without one they are mostly the product failing ('todavía no
# abre la app', 'aún no prende', 'todavía no conecta el bluetooth').
_ES_TRYING = re.compile(
    r"(?:prob|prueb|estren|us(?:o|e|ado|ada|ados|adas|amos|aron|an)$|abr[eio]|abiert|arm[aeo]|instal|"
    r"le(?:i|o|ido|imos)$|mont[aeo]|lav[aeo]|pus[eo]|puest|pong|prend|conect)"
)
# Their first persons, folded: present and preterite singular ('pruebo', 'probé', 'abro', 'abrí', 'puse')
# and plural ('probamos', 'abrimos', 'pusimos'). Folded, an -ar verb's 'uso' is also 'usó' (he used): no fault.
_ES_TRYING_FIRST_PERSON = re.compile(
    r"(?:pruebo|prob(?:e|amos)|(?:estren|us|arm|instal|mont|lav|conect)(?:e|o|amos)|abr(?:o|i|imos)|"
    r"le(?:o|i|emos|imos)|pongo|ponemos|puse|pusimos|prend(?:o|i|emos|imos))$"
)

# How Spanish messages to a shop close: thanks, greetings, waiting for the answer. Folded, as tokens.
_ES_CLOSERS = [
    "gracias", "graciass", "muchas gracias", "mil gracias", "muchisimas gracias", "gracias de antemano",
    "de antemano gracias", "gracias por adelantado", "gracias por la atencion", "gracias por su atencion",
    "gracias por vuestra atencion", "gracias por tu atencion", "saludos", "un saludo", "saludos cordiales",
    "cordiales saludos", "un cordial saludo", "un saludo cordial", "atentamente", "un abrazo", "abrazos",
    "besos", "bendiciones", "espero respuesta", "espero su respuesta", "espero vuestra respuesta",
    "espero tu respuesta", "espero una respuesta", "espero pronta respuesta", "espero su pronta respuesta",
    "espero vuestra pronta respuesta", "espero tu pronta respuesta", "espero sus noticias",
    "espero vuestras noticias", "quedo atento", "quedo atenta", "quedo atento a su respuesta",
    "quedo atenta a su respuesta", "quedo a la espera", "quedo a la espera de su respuesta",
    "quedo a la espera de vuestra respuesta", "quedo a la espera de respuesta", "a la espera de su respuesta",
    "a la espera de vuestra respuesta", "quedo pendiente", "quedamos atentos", "quedamos a la espera",
]  # fmt: skip

SPANISH = Rules(
    negators=frozenset(_ES_NEGATORS + _ES_NEGATOR_PHRASES),
    boosters={
        **dict.fromkeys(_ES_STRONG_BOOSTERS + _ES_EMPHASIS_PHRASES, B_INCR),
        **dict.fromkeys(_ES_MILD_BOOSTERS, 0.2),
        **dict.fromkeys(_ES_MILD_DAMPENERS, -0.2),
        **dict.fromkeys(_ES_DAMPENER_PHRASES, B_DECR),
    },
    contrast=frozenset(["pero", "sino", "sin embargo", "no obstante"]),
    concessive=frozenset(["aunque", "si bien"]),
    valenced_boosters=frozenset(["bien", "tremendo", "tremenda"]),
    sarcasm=frozenset(
        ["🙄", "🙃", "si claro", "si , claro", "claro que si", "gracias por nada", "/ s", *_ES_CHARGING]
    ),
    bare_negators=frozenset(_words("no nunca jamas nadie tampoco ni")),
    # Clitic pronouns sit between a negator and its verb: 'no se van a arrepentir', 'no me lo cambiaron'.
    transparent=frozenset(_words("me te se lo la le los las les nos os")),
    correlative=frozenset(["ni"]),
    graded=frozenset(_words("muy tan demasiado demasiada")),
    not_yet=frozenset(_words("aun todavia")),
    auxiliaries=frozenset(_words("he has ha hemos han")),
    trying=_ES_TRYING,
    objects=frozenset(_words("lo la los las")),
    first_person=_ES_TRYING_FIRST_PERSON,
    first_person_auxiliaries=frozenset(_words("he hemos")),
    elliptic=frozenset(["no tanto"]),
    closers=tuple(tuple(closer.split()) for closer in sorted(_ES_CLOSERS, key=lambda c: -len(c.split()))),
    question_scalar=0.5,  # questions are mostly requests: their valence counts half
    spellings=_ES_SPELLINGS,
    function_phrases=(
        *_ES_NEGATOR_PHRASES,
        *_ES_DAMPENER_PHRASES,
        *_ES_EMPHASIS_PHRASES,
        "sin embargo",
        "no obstante",
        "si bien",
        "no solo",
        "no tanto",
        *_ES_CHARGING,
        "re contra",
        "si claro",
        "si, claro",
        "claro que si",
        "por favor",
        "/s",
    ),
)
