"""Load the packaged lexicons (Spanish words and phrases, emoji, English shop additions)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from social_listen.triage.inflect import expand
from social_listen.triage.text import fold, normalize, tokenize


@dataclass(frozen=True)
class Lexicon:
    """Single-token valences plus multi-token phrases indexed by their first two tokens."""

    words: dict[str, float]
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]


def read_rows(name: str) -> Iterator[list[str]]:
    """Tab-separated rows of a packaged data file, without comments and blank lines."""
    text = resources.files("social_listen.triage").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokens of a phrase exactly as the scorer will see them in a text."""
    return tuple(tokenize(normalize(phrase)))


def index_phrases(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Index phrases by 'first second' token key, longest first, each with its joined form."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for tokens in set(phrases):
        if len(tokens) > 1:
            index.setdefault(f"{tokens[0]} {tokens[1]}", []).append((tokens, " ".join(tokens)))
    return {key: tuple(sorted(cands, key=lambda c: -len(c[0]))) for key, cands in index.items()}


def _word_entries(rows: Iterable[list[str]]) -> tuple[dict[str, float], dict[tuple[str, ...], float]]:
    """Expand word lemmas (generated forms never overwrite listed forms) and collect phrases."""
    generated: dict[str, float] = {}
    listed: dict[str, float] = {}
    phrases: dict[tuple[str, ...], float] = {}
    for row in rows:
        term, valence, kind = row[0], float(row[1]), (row[2] if len(row) > 2 else "w")
        tokens = phrase_tokens(term)
        if len(tokens) > 1:
            phrases[tokens] = valence
            continue
        for form, strength in expand(term, kind):
            generated[form] = round(max(-4.0, min(4.0, valence * strength)), 3)
        listed[fold(term)] = valence
    return {**generated, **listed}, phrases


def build_lexicon(rows: Iterable[list[str]], extra_phrases: Iterable[str] = ()) -> Lexicon:
    """Build a lexicon from data rows; extra phrases (function phrases) join with valence 0."""
    words, phrases = _word_entries(rows)
    for phrase in extra_phrases:
        phrases.setdefault(phrase_tokens(phrase), 0.0)
    for tokens, valence in phrases.items():
        words[" ".join(tokens)] = valence
    return Lexicon(words=words, phrases=index_phrases(phrases))


@cache
def emoji_valences() -> dict[str, float]:
    """Emoji and emoticon valences shared by all languages."""
    return {row[0].replace("\ufe0f", ""): float(row[1]) for row in read_rows("emoji.txt")}
