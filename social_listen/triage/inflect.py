"""Expand Spanish lexicon lemmas into the inflected forms people write."""

from __future__ import annotations

from collections.abc import Iterator

from social_listen.triage.text import fold


def _words(text: str) -> tuple[str, ...]:
    """A word list written as one string."""
    return tuple(text.split())


_AR = _words(
    "o as as a amos ais an e aste o asteis aron aba abas abamos aban are aras ara aremos aran aria "
    "arias ariamos arian e es emos en ara aras aramos aran ar ado ada ados adas ando a ate arlo arla "
    "arte arme arse enlo"
)
_ER = _words(
    "o es es e emos eis en i iste io imos ieron ia ias iamos ian ere eras era eremos eran eria erian "
    "a as amos an iera ieran er ido ida idos idas iendo e elo ela erme erte erse"
)
_IR = _words(
    "o es is e imos en i iste io ieron ia ias iamos ian ire iras ira iremos iran iria irian a as "
    "amos an iera ieran ir ido ida idos idas iendo i irlo irla irme irte irse"
)
_VERB_ENDINGS = {"ar": _AR, "er": _ER, "ir": _IR}


def _superlative_stem(stem: str) -> str:
    """Stem for -ísimo: 'ric' -> 'riqu', 'larg' -> 'largu'."""
    if stem.endswith("c"):
        return stem[:-1] + "qu"
    if stem.endswith("g"):
        return stem[:-1] + "gu"
    return stem


def _adjective(word: str) -> Iterator[tuple[str, float]]:
    """-o/-a adjective: gender, number, diminutive and -ísimo (stronger)."""
    stem = word[:-1] if word[-1] in "oa" else word
    for ending in ("o", "a", "os", "as", "ito", "ita", "itos", "itas"):
        yield stem + ending, 1.0
    sup = _superlative_stem(stem)
    if not stem.endswith("isim"):
        for ending in ("isimo", "isima", "isimos", "isimas"):
            yield sup + ending, 1.25


def _invariable(word: str) -> Iterator[tuple[str, float]]:
    """Adjective or noun with one form per number: 'excelente(s)', 'genial(es)', 'feliz/felices'."""
    yield word, 1.0
    if word[-1] in "aeiou":
        yield word + "s", 1.0
    elif word.endswith("z"):
        yield word[:-1] + "ces", 1.0
    else:
        yield word + "es", 1.0


def _agentive(word: str) -> Iterator[tuple[str, float]]:
    """-or/-ón adjective: 'encantador(a)(es)(as)', 'chingón/chingona'."""
    for ending in ("", "a", "es", "as"):
        yield word + ending, 1.0


def _verb(word: str) -> Iterator[tuple[str, float]]:
    """Regular verb: present, past, imperfect, future, conditional, subjunctive, voseo, participles."""
    stem, conj = word[:-2], word[-2:]
    for ending in _VERB_ENDINGS.get(conj, ()):
        yield stem + ending, 1.0


_EXPANDERS = {"adj": _adjective, "adjf": _invariable, "n": _invariable, "adjor": _agentive, "v": _verb}


def expand(term: str, kind: str) -> Iterator[tuple[str, float]]:
    """Folded forms of a lemma with a multiplier for their strength; 'w' yields the word itself."""
    word = fold(term)
    expander = _EXPANDERS.get(kind)
    if expander is None:
        yield word, 1.0
        return
    yield from expander(word)
