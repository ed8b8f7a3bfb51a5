"""Text normalisation and tokenising shared by every triage step."""

from __future__ import annotations

import re

# Accented vowels and their plain forms; str.replace per vowel present beats str.translate on short texts.
_FOLD = tuple(zip("áéíóúüàèìòùâêîôûäëïö", "aeiouuaeiouaeiouaeio", strict=True))
_NOISE_RE = re.compile("https?://\\S+|www\\.\\S+|@\\w+|#|[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")
_HASHTAG_RE = re.compile(r"#(\w+)")
_CAMEL_RE = re.compile(r"(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])")
_ELONGATED_RE = re.compile(r"([^\W\d_])\1{2,}")
_TRIPLE_RE = re.compile(r"(\w)\1\1")  # a cheap first look for _ELONGATED_RE (most texts have no run)
# Words first (most tokens are words; no other alternative starts with a letter), emoticons before the
# single punctuation mark they start with, 'd/d' before a lone number.
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+/\d+|\d+|>:\(|[:;=]'?-?[)(\]\[dp/|]|<3|[^\w\s]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_CAPS_WORD_RE = re.compile(r"\b[^\W\d_a-zß-ÿ]{2,}\b")
_LOWER_RE = re.compile(r"[a-zß-ÿ]")


def fold(text: str) -> str:
    """Lower-case and drop accents (ñ is kept), so 'Llegó' and 'llego' match."""
    text = text.lower()
    if text.isascii():
        return text
    for accented, plain in _FOLD:
        if accented in text:
            text = text.replace(accented, plain)
    return text


def _shorten(folded: str) -> str:
    """'buenooo' -> 'bueno': runs of three or more of the same letter become one."""
    return _ELONGATED_RE.sub(r"\1", folded) if _TRIPLE_RE.search(folded) else folded


def _split_hashtag(match: re.Match[str]) -> str:
    """'#NoMeGusta' -> ' No Me Gusta' so the words inside a hashtag count."""
    return " " + _CAMEL_RE.sub(" ", match.group(1))


def clean(text: str) -> str:
    """Remove URLs, @mentions and emoji modifiers; split camel-case hashtags into words."""
    if "#" in text:
        text = _HASHTAG_RE.sub(_split_hashtag, text)
    return _NOISE_RE.sub(" ", text)


def normalize(text: str) -> str:
    """Clean, fold and shorten letter runs ('buenooo' -> 'bueno')."""
    return _shorten(fold(clean(text)))


def tokenize(normalized: str) -> list[str]:
    """Split normalised text into words, numbers, emoticons, emoji and punctuation."""
    return TOKEN_RE.findall(normalized)


def has_letters(text: str) -> bool:
    """True when the text contains at least one letter (not only emoji, digits or links)."""
    return _LETTER_RE.search(clean(text)) is not None


def shouted_words(text: str) -> frozenset[str]:
    """Folded words written in capitals, when the rest of the text is not all capitals."""
    caps = _CAPS_WORD_RE.findall(text)
    if not caps or _LOWER_RE.search(text) is None:
        return frozenset()
    return frozenset(fold(word) for word in caps)


class Prepared:
    """One text cleaned, folded and tokenised once, for every triage step to share."""

    __slots__ = ("_words", "folded", "intent_hits", "normalized", "original", "tokens")

    def __init__(self, text: str) -> None:
        """Prepare a text: original, folded (no links/mentions) and normalised tokens."""
        self.original = text
        self.folded = fold(clean(text))
        self.normalized = _shorten(self.folded)
        self.tokens = TOKEN_RE.findall(self.normalized)
        self._words: list[str] | None = None
        self.intent_hits: frozenset[str] | None = None  # set once by intents.matched_intents

    def words(self) -> list[str]:
        """Tokens that are words (letters only)."""
        if self._words is None:
            self._words = [tok for tok in self.tokens if tok.isalpha()]
        return self._words
