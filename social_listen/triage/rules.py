"""Declared rule sets for the lexicon scorer: negators, boosters, contrast and sarcasm cues."""

from __future__ import annotations

from dataclasses import dataclass, field

B_INCR = 0.293
B_DECR = -0.293


@dataclass(frozen=True)
class Rules:
    """Function words that change the valence of the sentiment words around them."""

    negators: frozenset[str]
    boosters: dict[str, float]
    contrast: frozenset[str]
    concessive: frozenset[str] = frozenset()
    valenced_boosters: frozenset[str] = frozenset()
    sarcasm: frozenset[str] = frozenset()
    function_phrases: tuple[str, ...] = field(default=())


SPANISH = Rules(
    negators=frozenset(
        [
            "no",
            "nunca",
            "jamas",
            "ni",
            "tampoco",
            "sin",
            "nadie",
            "nada",
            "ningun",
            "ninguna",
            "ninguno",
            "ningunos",
            "ningunas",
            "nel",
            "nop",
            "poco",
            "poca",
            "pocos",
            "pocas",
            "apenas",
        ]
        + ["para nada", "en absoluto", "en la vida", "ni siquiera", "no tan"]
    ),
    boosters={
        **dict.fromkeys(
            [
                "muy",
                "super",
                "re",
                "recontra",
                "requete",
                "mega",
                "hiper",
                "ultra",
                "tan",
                "demasiado",
                "demasiada",
                "demasiados",
                "demasiadas",
                "sumamente",
                "extremadamente",
                "increiblemente",
                "tremendamente",
                "terriblemente",
                "totalmente",
                "completamente",
                "absolutamente",
                "realmente",
                "verdaderamente",
                "especialmente",
                "particularmente",
                "muchisimo",
                "muchisima",
                "enormemente",
                "altamente",
                "profundamente",
                "full",
                "tremendo",
                "tremenda",
                "bien",
            ],
            B_INCR,
        ),
        **dict.fromkeys(["bastante", "mucho", "mucha", "harto", "harta", "re", "contra", "mas"], 0.2),
        **dict.fromkeys(["algo", "medio", "casi", "ligeramente", "levemente", "relativamente"], -0.2),
        **dict.fromkeys(["un poco", "un poquito", "un tanto", "mas o menos", "medio medio"], B_DECR),
    },
    contrast=frozenset(["pero", "sino", "sin embargo", "no obstante"]),
    concessive=frozenset(["aunque", "si bien"]),
    valenced_boosters=frozenset(["bien", "tremendo", "tremenda"]),
    sarcasm=frozenset(["🙄", "🙃", "si claro", "si , claro", "claro que si", "gracias por nada", "/ s"]),
    function_phrases=(
        "un poco",
        "un poquito",
        "un tanto",
        "mas o menos",
        "medio medio",
        "para nada",
        "en absoluto",
        "en la vida",
        "ni siquiera",
        "no tan",
        "sin embargo",
        "no obstante",
        "si bien",
        "no solo",
        "re contra",
        "si claro",
        "si, claro",
        "claro que si",
        "por favor",
        "/s",
    ),
)
