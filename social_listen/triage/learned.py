"""The learned layer: logistic regression over word n-grams plus the lexicon score, per language."""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from social_listen.triage.cues import CUES, SERVICE_CUES, complaint_cues, service_cues
from social_listen.triage.intents import matched_intents
from social_listen.triage.text import Prepared

CLASSES = ("neg", "neu", "pos")
MODEL_FILE = "model.json.gz"
UNIGRAM, BIGRAM = "w:", "b:"  # how sparse feature names start: 'w:hola', 'b:muy bueno'
# Shop intents read as features: a complaint states a fact ('still no parcel', 'nobody answers') more
# often than a feeling, and the lexicon scores such a text neutral.
INTENT_FEATURES = ("not_received", "no_answer", "defective", "scam")
# The topics of a shop's inbox that are neutral by themselves ('do you ship to Ireland?') but, in a message
# to a shop stated without sentiment words, are mostly a complaint ('charged for an add-on I never ticked').
SHOP_TOPICS = frozenset(
    ["shipping", "return_refund", "payment", "size_fit", "stock", "price_discount", "invoice"]
)
# Texts longer than a tweet (a product review): how much longer, a contrast word, and the smaller of the
# positive and negative valence masses ('llegó rápido pero la tela es finita' is mixed, often neutral).
LONG_WORDS = 24
_CONTRAST = frozenset(["pero", "aunque", "but", "although", "though", "however"])
# Phrases that turn a review ('lo único es que...', 'eso sí', 'the only thing...') as a contrast word does.
_CONTRAST_RE = re.compile(
    r"\b(?:sin embargo|no obstante|lo unico|el unico|la unica|lo malo|lo que no me gusto|eso si|"
    r"el problema es|only thing|only downside|only issue|only problem|on the other hand)\b"
)
# The dense features by name, in the order of dense_features. New features are only ever appended: a
# saved model (a brand's version) stores the names of its dense rows and is read by name (model_from_json).
# The last groups are fitted in a second stage with everything else frozen (see train.py), so a text
# without those features keeps the first stage's score exactly.
SECOND_STAGE = {
    "complaint": (*(f"intent:{name}" for name in INTENT_FEATURES), *(f"cue:{name}" for name in CUES)),
    "long_text": ("long:length", "long:contrast", "long:mixed"),
    "contrast": ("contrast:mixed", "contrast:mixed_valence"),
    # A shop topic stated plainly: fitted on our own posts only, where it is mostly a complaint.
    "shop_topic": ("topic:shop_plain",),
    # How service went: attempts and waits counted, a promise broken, a problem put right.
    "service": tuple(f"cue:{name}" for name in SERVICE_CUES),
}
DENSE_NAMES = (
    "compound",
    "compound_signed_square",
    "question_mark",
    "exclamation_mark",
    "positive_valence",
    "negative_valence",
    *(name for group in SECOND_STAGE.values() for name in group),
)
UNNAMED_ROWS = 6  # models saved before dense_names was stored had the first six features only
N_SECOND = sum(len(group) for group in SECOND_STAGE.values())


def features(prepared: Prepared) -> list[str]:
    """Sparse feature names of a text: token unigrams and bigrams (each counts once, L2-normalised)."""
    tokens = prepared.tokens
    feats = [UNIGRAM + tok for tok in tokens]
    feats.extend(f"{BIGRAM}{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return feats


def _has_contrast(prepared: Prepared) -> bool:
    """A contrast word ('pero', 'but') or phrase ('lo único', 'sin embargo') in the text."""
    return not _CONTRAST.isdisjoint(prepared.words()) or _CONTRAST_RE.search(prepared.folded) is not None


def _smaller_valence(compound: float) -> float:
    """The smaller of the positive and negative valence the compound summed (0.0 when its scorer does
    not report them, as the English one)."""
    return min(getattr(compound, "positive", 0.0), getattr(compound, "negative", 0.0))


def long_text_features(prepared: Prepared, compound: float) -> tuple[float, float, float]:
    """For a text of more than LONG_WORDS words: log of its length over LONG_WORDS, a contrast word, the
    smaller valence mass; all 0.0 for shorter texts."""
    length = len(prepared.words())
    if length <= LONG_WORDS:
        return 0.0, 0.0, 0.0
    return math.log(length / LONG_WORDS), float(_has_contrast(prepared)), _smaller_valence(compound)


def contrast_features(prepared: Prepared, compound: float) -> tuple[float, float]:
    """For a text of any length with a contrast word ('bonita, pero las correas molestan') and both
    positive and negative valence: 1.0 and the smaller valence mass; (0.0, 0.0) otherwise."""
    low = _smaller_valence(compound)
    if not low or not _has_contrast(prepared):
        return 0.0, 0.0
    return 1.0, low


# Size advice between buyers: the writer's own size ('yo uso M', 'calzo 42', 'soy talla 40') or a tip
# ('si estás entre dos talles', 'pidan media talla menos'). Every such text of the Spanish sets is neutral.
_SIZE_ADVICE_RE = re.compile(
    r"\b(?:yo uso|uso (?:(?:la|el) )?(?:talla |talle )?(?:xxs|xs|s|m|l|xl|xxl|\d{2})|soy (?:talla|talle)|"
    r"calzo \d|entre dos (?:talla|talle)s?|pid(?:an|e|i|o) (?:(?:una|un|media) )?(?:talla|talle|numero)s?|"
    r"(?:recomiendo|conviene) pedir)\b"
)


def shop_topic_plain(hits: frozenset[str], compound: float, folded: str = "") -> float:
    """1.0 for a shop topic among the intents (SHOP_TOPICS) in a text the lexicon reads as plain
    (|compound| < 0.3): 'charged for an add-on I never ticked', 'my parcel went to the wrong door'. Else 0.0,
    also when size is the only topic and the text (folded) is size advice to other buyers ('yo uso M y me
    queda justo, ojo'): that is no complaint."""
    topics = SHOP_TOPICS.intersection(hits)
    if topics == {"size_fit"} and _SIZE_ADVICE_RE.search(folded):
        return 0.0
    return float(abs(compound) < 0.3 and bool(topics))


def dense_features(prepared: Prepared, compound: float) -> tuple[float, ...]:
    """Numeric features: the lexicon compound, its signed square, question and exclamation marks, and the
    positive and negative valence the compound summed (when its scorer reports them, see engine.Compound:
    a text with both is often neutral or mixed, one with neither is mostly neutral); then the second-stage
    groups: the complaint features (hits of INTENT_FEATURES and the cues of cues.py: scare quotes, a
    counted wait, ironic praise), the long-text features, the contrast features and a shop topic stated plainly. Named by DENSE_NAMES."""
    text = prepared.original
    hits = matched_intents(prepared)
    return (
        compound,
        compound * abs(compound),
        float("?" in text),
        float("!" in text),
        getattr(compound, "positive", 0.0),
        getattr(compound, "negative", 0.0),
        *(float(name in hits) for name in INTENT_FEATURES),
        *complaint_cues(prepared, hits),
        *long_text_features(prepared, compound),
        *contrast_features(prepared, compound),
        shop_topic_plain(hits, compound, prepared.folded),
        *service_cues(prepared),
    )


@dataclass(frozen=True)
class LanguageModel:
    """Weights of one language's multinomial logistic regression and its tuned class offsets."""

    bias: tuple[float, float, float]
    dense: tuple[tuple[float, float, float], ...]
    sparse: dict[str, tuple[float, float, float]]
    offsets: tuple[float, float, float]
    tag: str = ""  # where the weights come from beyond the package, e.g. "v3" for a brand's version 3

    def logits(
        self, prepared: Prepared, compound: float, dense: tuple[float, ...] | None = None
    ) -> list[float]:
        """Class scores (neg, neu, pos) before the tuned offsets; ``dense``: the text's dense_features when
        already computed."""
        out = list(self.bias)
        if dense is None:
            dense = dense_features(prepared, compound)
        # A model may have fewer dense rows than there are features (weights saved before the later ones
        # were added, e.g. a brand's stored version): it ignores the features it has no row for.
        for value, row in zip(dense, self.dense, strict=False):
            if value:
                out[0] += value * row[0]
                out[1] += value * row[1]
                out[2] += value * row[2]
        if not self.sparse:
            return out
        # The features of `features()` without building their names: distinct tokens and distinct pairs.
        tokens = prepared.tokens
        unigrams, bigrams = set(tokens), set(zip(tokens, tokens[1:], strict=False))
        count = len(unigrams) + len(bigrams)
        if not count:
            return out
        scale = 1.0 / math.sqrt(count)
        by_token, by_pair = self._by_token, self._by_pair
        found = [by_token[t] for t in unigrams if t in by_token]
        found.extend(by_pair[p] for p in bigrams if p in by_pair)
        for weights in found:
            out[0] += weights[0] * scale
            out[1] += weights[1] * scale
            out[2] += weights[2] * scale
        return out

    @cached_property
    def _by_token(self) -> dict[str, tuple[float, float, float]]:
        """Unigram weights keyed by the token ('w:hola' -> 'hola')."""
        return {name[len(UNIGRAM) :]: row for name, row in self.sparse.items() if name.startswith(UNIGRAM)}

    @cached_property
    def _by_pair(self) -> dict[tuple[str, str], tuple[float, float, float]]:
        """Bigram weights keyed by the token pair ('b:muy bueno' -> ('muy', 'bueno'))."""
        pairs = {}
        for name, row in self.sparse.items():
            if name.startswith(BIGRAM):
                first, _, second = name[len(BIGRAM) :].partition(" ")
                pairs[first, second] = row
        return pairs

    def predict_with_negative(
        self, prepared: Prepared, compound: float, dense: tuple[float, ...] | None = None
    ) -> tuple[str, float, float]:
        """Label, score in [-1, 1] (P(pos) - P(neg)) and P(neg), all after the tuned class offsets (``dense``
        as for `logits`)."""
        shifted = [v + o for v, o in zip(self.logits(prepared, compound, dense), self.offsets, strict=True)]
        top = max(shifted)
        exps = [math.exp(v - top) for v in shifted]
        total = sum(exps)
        return CLASSES[shifted.index(top)], (exps[2] - exps[0]) / total, exps[0] / total


def _triple(values: Any) -> tuple[float, float, float]:
    """Three floats from a JSON list."""
    a, b, c = (float(v) for v in values)
    return a, b, c


def dense_rows(spec: dict[str, Any]) -> tuple[tuple[float, float, float], ...]:
    """A spec's dense rows in DENSE_NAMES order. A spec that names its rows ("dense_names") is read by name:
    a feature it has no row for gets zeros and a row for a feature this version no longer has is dropped.
    A spec without names (saved before they were stored) is read by position."""
    rows = tuple(_triple(row) for row in spec["dense"])
    names = spec.get("dense_names")
    if names is None:
        if len(rows) > UNNAMED_ROWS:
            raise ValueError(
                f"{len(rows)} dense rows without dense_names (only {UNNAMED_ROWS} can be read by position)"
            )
        return rows
    if len(names) != len(rows) or len(set(names)) != len(names):
        raise ValueError(
            f"dense_names has {len(names)} names ({len(set(names))} distinct) for {len(rows)} dense rows"
        )
    by_name = dict(zip(names, rows, strict=True))
    return tuple(by_name.get(name, (0.0, 0.0, 0.0)) for name in DENSE_NAMES)


def model_from_json(data: dict[str, Any], tag: str = "") -> dict[str, LanguageModel]:
    """Active per-language models from the weights file's JSON (or a brand version's, tagged e.g. "v3")."""
    models = {}
    for lang, spec in data["languages"].items():
        if not spec.get("active"):
            continue
        models[lang] = LanguageModel(
            bias=_triple(spec["bias"]),
            dense=dense_rows(spec),
            sparse={name: _triple(row) for name, row in spec["sparse"].items()},
            offsets=_triple(spec.get("offsets", (0.0, 0.0, 0.0))),
            tag=tag,
        )
    return models


@cache
def load_models() -> dict[str, LanguageModel]:
    """The packaged weights (data/model.json.gz), or no models when the file is absent."""
    path = resources.files("social_listen.triage").joinpath("data").joinpath(MODEL_FILE)
    if not path.is_file():
        return {}
    return model_from_json(json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")))
