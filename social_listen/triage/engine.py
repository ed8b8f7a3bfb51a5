"""A VADER-style lexicon scorer: valences, boosters, negation, contrast, emphasis and sarcasm."""

from __future__ import annotations

import math
import re

from social_listen.triage.lexicon import Lexicon
from social_listen.triage.rules import Rules
from social_listen.triage.text import Prepared, shouted_words

N_SCALAR = -0.74
C_INCR = 0.733
CONTRAST_BEFORE = 0.5
CONTRAST_AFTER = 1.5
LAUGH_VALENCE = 1.0
# A message's closing courtesy (positive emoji and emoticons, 'gracias', 'un saludo', 'espero vuestra
# respuesta') after a clause with negative valence softens the complaint, never turns it: together it
# counts at most this share of the negative sum before it ('El código no me funciona, dice que está
# caducado. 🙂😊🙏' read positive). After a text with no negative valence it counts in full ('Ya me llegó,
# gracias 😊').
CLOSER_SOFTEN = 0.5
# The emoji and emoticons of courtesy that may close a message: smiles, hearts, folded hands, a wave, a kiss.
# A verdict ('🔥', '👍', '😍', '✨') is part of what the message says, never a closing.
COURTESY_EMOJI = frozenset([
    "🙂", "😊", "☺", "😀", "😃", "😄", "😁", "😉", "🤗", "😘", "😇", "🙏", "👋", "❤", "💕", "💖", "💗", "💓", "💙",
    "💚", "💛", "💜", "🧡", "🤍", "🩷", ":)", ":-)", "=)", ":]", ":d", ":-d", ";)", ";-)", "<3",
])  # fmt: skip
_DECAY = (1.0, 0.95, 0.9)
_BREAKS = frozenset(".!?;:,¿¡\n")
_SENTENCE_STARTS = frozenset(".!?¿¡\n")
_LAUGH_RE = re.compile(
    r"^a?(?:[jh][aeiou]|js|jk)+(?:[jh][aeiou]|js|jk)[jhsk]?$|^(?:xd+|lol|lmao|lmfao|rofl)$"
)


def normalize_score(total: float, alpha: float = 15.0) -> float:
    """Map an unbounded valence sum to (-1, 1) the way VADER's compound does."""
    return total / math.sqrt(total * total + alpha)


def denormalize_score(compound: float, alpha: float = 15.0) -> float:
    """Inverse of normalize_score, for adding valence to an existing compound."""
    compound = max(-0.9999, min(0.9999, compound))
    return compound * math.sqrt(alpha) / math.sqrt(1.0 - compound * compound)


class Compound(float):
    """A compound score in [-1, 1] that also carries how much positive and how much negative valence it
    summed (each normalised to [0, 1)): 'great but late' and 'ok' can share a compound, not these two."""

    positive: float
    negative: float

    def __new__(cls, value: float, positive: float = 0.0, negative: float = 0.0) -> Compound:
        """A float equal to value, with the two masses as attributes."""
        obj = super().__new__(cls, value)
        obj.positive = positive
        obj.negative = negative
        return obj


def emphasis(text: str, total: float) -> float:
    """Add weight for '!' (up to 4) and for repeated '?' in the direction of the total."""
    bangs = min(text.count("!"), 4) * 0.292
    quest = text.count("?")
    quest_boost = 0.0 if quest < 2 else (quest * 0.18 if quest <= 3 else 0.96)
    boost = bangs + quest_boost
    if total > 0:
        return total + boost
    if total < 0:
        return total - boost
    return total


class LexiconScorer:
    """Score texts in one language from a lexicon and its rule set."""

    def __init__(self, lexicon: Lexicon, rules: Rules, bare_negation: float = 0.0) -> None:
        """Keep the lexicon and rules; bare_negation is the valence of a negator that negates nothing."""
        self.words = lexicon.words
        self.phrases = lexicon.phrases
        self.phrase_starts = frozenset(key.split(" ", 1)[0] for key in lexicon.phrases)
        self.rules = rules
        self.bare_negation = bare_negation
        # The courtesy formulas by their last token, longest first as in `Rules.closers`: a closing is read
        # from the message's end, so only the formulas ending in the token at hand can match there.
        self.closers_by_end: dict[str, list[tuple[str, ...]]] = {}
        for closer in rules.closers:
            self.closers_by_end.setdefault(closer[-1], []).append(closer)

    def items(self, text: str | Prepared) -> list[str]:
        """Normalised tokens with known phrases joined into one item."""
        tokens = (text if isinstance(text, Prepared) else Prepared(text)).tokens
        spellings = self.rules.spellings
        if spellings and not spellings.keys().isdisjoint(tokens):
            tokens = [w for tok in tokens for w in (spellings[tok].split() if tok in spellings else (tok,))]
        out: list[str] = []
        i, n = 0, len(tokens)
        starts = self.phrase_starts
        while i < n:
            tok = tokens[i]
            cands = self.phrases.get(f"{tok} {tokens[i + 1]}") if tok in starts and i + 1 < n else None
            matched = self._match(tokens, i, cands) if cands else None
            if matched is None:
                out.append(tok)
                i += 1
            else:
                out.append(matched[1])
                i += len(matched[0])
        return out

    @staticmethod
    def _match(
        tokens: list[str], i: int, cands: tuple[tuple[tuple[str, ...], str], ...]
    ) -> tuple[tuple[str, ...], str] | None:
        """The longest candidate phrase that starts at token i."""
        for cand in cands:
            if tuple(tokens[i : i + len(cand[0])]) == cand[0]:
                return cand
        return None

    def raw_score(self, text: str | Prepared, extra: float = 0.0) -> float:
        """Valence sum (VADER scale) of a text plus any extra valence from overrides."""
        return self._sums(text, extra)[0]

    def _sums(self, text: str | Prepared, extra: float) -> tuple[float, float, float]:
        """The valence sum, and the positive and negative valence (after negation, contrast and sarcasm;
        override valence counts on its side) before laughs and emphasis."""
        prepared = text if isinstance(text, Prepared) else Prepared(text)
        items = self.items(prepared)
        shouted = shouted_words(prepared.original)
        scored = self._valences(items, shouted)
        self._apply_contrast(items, scored)
        if self.rules.sarcasm.intersection(items):
            scored = [(i, v * N_SCALAR if v > 0 else v) for i, v in scored]
        if self.rules.closers:
            scored = self._soften_closing(items, scored)
        values = [v for _, v in scored]
        positive = sum([v for v in values if v > 0]) + max(extra, 0.0)
        negative = 0.0 - min(extra, 0.0) - sum([v for v in values if v < 0])
        total = sum(values)
        laughs = [tok for tok in items if tok[0] in "jhaxl" and _LAUGH_RE.match(tok)]
        total += LAUGH_VALENCE * len(laughs)
        total = emphasis(prepared.original, total)
        if self.rules.question_scalar != 1.0 and "?" in prepared.original:
            total *= self.rules.question_scalar
        return total + extra, positive, negative

    def score(self, text: str | Prepared, extra: float = 0.0) -> Compound:
        """Compound score in [-1, 1], carrying its positive and negative valence."""
        total, positive, negative = self._sums(text, extra)
        return Compound(normalize_score(total), normalize_score(positive), normalize_score(negative))

    def _valences(self, items: list[str], shouted: frozenset[str]) -> list[tuple[int, float]]:
        """Per-item valence after caps emphasis, boosters and negation."""
        words, rules = self.words, self.rules
        scored: list[tuple[int, float]] = []
        negated_by: set[int] = set()
        pairs, middle = self._neither_nor(items)
        for i, tok in enumerate(items):
            valence = words.get(tok)
            if not valence or tok in rules.boosters and self._boosts_next(items, i) or i in middle:
                continue
            if tok in shouted:
                valence += C_INCR if valence > 0 else -C_INCR
            if tok[0].isalnum():  # emoji and emoticons are not negated or boosted by nearby words
                valence = self._modify(items, i, valence, negated_by)
            scored.append((i, valence))
        if rules.elliptic and not rules.elliptic.isdisjoint(items):
            scored.extend(self._elliptic(items, scored))
        if self.bare_negation:
            untried = self._not_yet(items) if rules.trying and not rules.not_yet.isdisjoint(items) else ()
            scored.extend(
                (i, self.bare_negation)
                for i, tok in enumerate(items)
                if tok in rules.bare_negators and i not in negated_by and i not in pairs and i not in untried
            )
        return scored

    def _soften_closing(self, items: list[str], scored: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """After a body with a negative sentiment word (a bare negation is none: 'no me lo esperaba,
        gracias!!'), the closing courtesy's positive valence is scaled down to at most CLOSER_SOFTEN times the
        body's negative sum (none when the body's sum is not negative)."""
        start = self._closing(items)
        if start >= len(items):
            return scored
        body = [(i, v) for i, v in scored if i < start]
        bare = self.rules.bare_negators
        if not any(v < 0 and not (items[i] in bare and v == self.bare_negation) for i, v in body):
            return scored
        courtesy = sum(v for i, v in scored if i >= start and v > 0)
        if not courtesy:
            return scored
        factor = min(courtesy, CLOSER_SOFTEN * max(0.0, -sum(v for _, v in body))) / courtesy
        return [(i, v * factor if i >= start and v > 0 else v) for i, v in scored]

    def _closing(self, items: list[str]) -> int:
        """Where the message's closing starts: the trailing run of courtesy formulas (`Rules.closers`),
        COURTESY_EMOJI and clause breaks, holding at least one formula or emoji, after a body with a word in
        it. len(items) when there is none. Any other emoji ('😡', '🔥') belongs to the body."""
        if not items:
            return 0
        last = items[-1].rsplit(" ", 1)[-1]
        if last not in self.closers_by_end and not (last in COURTESY_EMOJI or last in _BREAKS):
            return len(items)  # most messages: the last word closes no courtesy formula
        flat = [(k, tok) for k, item in enumerate(items) for tok in item.split(" ")]
        j, found = len(flat), False
        while j > 0:
            k, tok = flat[j - 1]
            if not tok[0].isalnum() and items[k] == tok and (tok in COURTESY_EMOJI or tok in _BREAKS):
                found = found or tok in COURTESY_EMOJI
                j -= 1
                continue
            for closer in self.closers_by_end.get(tok, ()):
                n = len(closer)
                starts_item = j == n or (n < j and flat[j - n - 1][0] != flat[j - n][0])
                if starts_item and tuple(t for _, t in flat[j - n : j]) == closer:
                    j -= n
                    found = True
                    break
            else:
                break
        if not found or not any(tok[0].isalnum() for _, tok in flat[:j]):
            return len(items)
        return flat[j][0]

    def _not_yet(self, items: list[str]) -> set[int]:
        """The negators of 'todavía no lo probé', 'aún no lo he usado', 'todavía no abro el libro', 'no lo
        usé todavía': a product the writer has not tried yet is no complaint, so that 'no' is no bare
        negation. A verb of trying in the third person with no object ('todavía no abre la app', 'aún no
        prende', 'no conecta todavía') is the product failing: that 'no' keeps its weight."""
        rules = self.rules
        assert rules.trying is not None
        out: set[int] = set()
        for i, tok in enumerate(items):
            if tok not in rules.bare_negators:
                continue
            before = i > 0 and items[i - 1] in rules.not_yet
            j, has_object, auxiliary = i + 1, False, ""
            while j < len(items) and (items[j] in rules.transparent or items[j] in rules.auxiliaries):
                has_object = has_object or items[j] in rules.objects
                auxiliary = items[j] if items[j] in rules.auxiliaries else auxiliary
                j += 1
            if j >= len(items) or not rules.trying.match(items[j]):
                continue
            if not (before or self._not_yet_after(items, j)):
                continue
            first = (
                auxiliary in rules.first_person_auxiliaries
                if auxiliary
                else rules.first_person is not None and rules.first_person.match(items[j]) is not None
            )
            if has_object or first:
                out.add(i)
        return out

    def _not_yet_after(self, items: list[str], verb: int) -> bool:
        """'no lo usé todavía', 'no he abierto la caja aún': one of `not_yet` within three words after the
        verb, in its clause ('no lo probé, aún así...' is no 'not yet')."""
        end = min(_clause_end(items, verb), verb + 4)
        return any(items[k] in self.rules.not_yet for k in range(verb + 1, end))

    def _elliptic(self, items: list[str], scored: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """'para el balcón, perfecta; para adentro, no tanto', 'muy eficientes para cobrar, no tanto para
        enviar': an elliptic negation with no sentiment word after it in its clause counts as the strongest
        praise before it, negated (N_SCALAR)."""
        out: list[tuple[int, float]] = []
        for k, tok in enumerate(items):
            if tok not in self.rules.elliptic:
                continue
            end = _clause_end(items, k)
            if any(k < i < end for i, _ in scored):
                continue
            praise = [v for i, v in scored if i < k and v > 0]
            if praise:
                out.append((k, max(praise) * N_SCALAR))
        return out

    def _neither_nor(self, items: list[str]) -> tuple[set[int], set[int]]:
        """'ni bueno ni malo', 'ni mejor ni peor', 'ni me gustó ni me disgustó': a correlative pair whose two
        short halves (up to three words each, clitics not counted) hold opposite sentiment words denies both
        ends of a scale, a middle verdict. Returns the pairs' negators (not bare negations) and the items of
        their halves (no valence). 'ni plata ni pedido' or 'ni funciona ni responden' are kept as they are."""
        pairs: set[int] = set()
        middle: set[int] = set()
        rules = self.rules
        if rules.correlative.isdisjoint(items):
            return pairs, middle
        i, n = 0, len(items)
        while i < n:
            if items[i] not in rules.correlative:
                i += 1
                continue
            second = self._half_end(items, i)
            if second >= n or items[second] != items[i]:
                i += 1
                continue
            end = self._half_end(items, second)
            first_half, second_half = items[i + 1 : second], items[second + 1 : end]
            if end == second + 1 or not (
                self._opposed(first_half, second_half) or _graded(first_half, second_half, rules.graded)
            ):
                i += 1
                continue
            pairs.update((i, second))
            middle.update(range(i + 1, end))
            i = end
        return pairs, middle

    def _half_end(self, items: list[str], start: int) -> int:
        """Where the half after the correlative at start ends: at the next correlative, a clause break or
        after three words (clitics not counted)."""
        rules = self.rules
        j, words = start + 1, 0
        while j < len(items) and items[j] not in _BREAKS and items[j] not in rules.correlative and words < 3:
            words += items[j] not in rules.transparent
            j += 1
        return j

    def _opposed(self, first: list[str], second: list[str]) -> bool:
        """True when one half holds a positive sentiment word and the other a negative one."""

        def signs(half: list[str]) -> set[bool]:
            return {valence > 0 for tok in half if (valence := self.words.get(tok)) and tok[0].isalnum()}

        a, b = signs(first), signs(second)
        return (True in a and False in b) or (False in a and True in b)

    def _boosts_next(self, items: list[str], i: int) -> bool:
        """A word like 'bien' or 're' only boosts when a sentiment word follows it."""
        if items[i] not in self.rules.valenced_boosters:
            return True
        return i + 1 < len(items) and bool(self.words.get(items[i + 1]))

    def _modify(self, items: list[str], i: int, valence: float, negated_by: set[int]) -> float:
        """Apply up to three preceding boosters and negators within the same clause (words the rules
        call transparent, such as Spanish clitics, are skipped without counting)."""
        rules = self.rules
        negated = False
        j, k = i, 0
        while k < 3:
            j -= 1
            if j < 0:
                break
            prev = items[j]
            if prev in _BREAKS or prev in rules.contrast:
                break
            if prev in rules.transparent:
                continue
            k += 1
            boost = rules.boosters.get(prev)
            if boost is not None:
                valence += boost * _DECAY[k - 1] * (1 if valence > 0 else -1)
            if prev in rules.negators:
                negated = True
                negated_by.add(j)
        return valence * N_SCALAR if negated else valence

    def _apply_contrast(self, items: list[str], scored: list[tuple[int, float]]) -> None:
        """'pero' weights the clause after it more; an opening 'aunque' clause weighs less."""
        rules = self.rules
        for c, tok in enumerate(items):
            if tok in rules.contrast:
                scored[:] = [(i, v * (CONTRAST_BEFORE if i < c else CONTRAST_AFTER)) for i, v in scored]
                return
            if tok in rules.concessive and _opens_sentence(items, c):
                end = _clause_end(items, c)
                scored[:] = [(i, v * (CONTRAST_BEFORE if c < i < end else CONTRAST_AFTER)) for i, v in scored]
                return


def _graded(first: list[str], second: list[str], degrees: frozenset[str]) -> bool:
    """True when both halves of a 'ni ... ni ...' open with the same one of ``degrees`` and go on."""
    return len(first) > 1 and len(second) > 1 and first[0] in degrees and first[0] == second[0]


def _opens_sentence(items: list[str], i: int) -> bool:
    """True when item i starts the text or follows sentence punctuation."""
    return i == 0 or items[i - 1] in _SENTENCE_STARTS


def _clause_end(items: list[str], start: int) -> int:
    """Index of the first clause break after start (or the end of the text)."""
    for j in range(start + 1, len(items)):
        if items[j] in _BREAKS:
            return j
    return len(items)
