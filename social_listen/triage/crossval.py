"""A brand's own sentiment model: train it on labelled texts and cross-validate it against the scorer it
would replace, on the same held-out rows (pure: no store; social_listen/learning.py feeds it).

The model has the packaged learned layer's features (the lexicon compound, its signed square, `?`, `!`, and
word unigrams and bigrams) and starts from its weights: only word weights are learned from the brand's rows,
on top of the packaged ones (L2-regularised towards them), so a few dozen labels can teach the brand's own
words ("está enfermo" = great) without unlearning the lexicon, its class offsets or other words. A language
with no packaged model is trained from scratch with the same recipe.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize

from social_listen.triage.learned import (
    CLASSES,
    DENSE_NAMES,
    LanguageModel,
    dense_features,
    load_models,
    model_from_json,
)
from social_listen.triage.metrics import classification_report
from social_listen.triage.sentiment import classify
from social_listen.triage.text import Prepared
from social_listen.triage.train import (
    MIN_WEIGHT,
    Recipe,
    Row,
    compound,
    export,
    fit,
    frequent_vocabulary,
    matrices,
)

MIN_LABELS = 30  # taught labels a language needs before a model is trained for it
MIN_CLASS_ROWS = 2  # rows per class (at least two classes) so every training fold sees each class
FOLDS = 5
SEED = 20260
MARGIN = 0.01  # CV macro-F1 the new model must gain over the current scorer to be activated
# Inverse L2 strength of the word weights learned on top of the packaged ones. Chosen on dev data only (a
# synthetic slang set plus data/shop_comments/train.csv): 30 learns a brand's words from ~40 labels without
# lowering macro-F1 on ordinary messages; 3 learned little, 100 started to unlearn the packaged words.
C = 30.0
N_DENSE = len(dense_features(Prepared(""), 0.0))

Models = Mapping[str, LanguageModel] | None  # None: the packaged learned layer (or the lexicon)
CurrentScorer = Callable[[Sequence["Example"]], Models]


def fingerprint(text: str, lang: str) -> str:
    """A short id of a text (case and spacing ignored), to know which rows a version was trained on."""
    normal = " ".join(text.lower().split())
    return hashlib.sha256(f"{lang}\n{normal}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Example:
    """One labelled text: `row` as triage sees it (after the brand's overrides); `taught` when a person or
    the labelled file gave the label, False for a scorer's label the team left standing."""

    row: Row
    key: str
    taught: bool = True


@dataclass
class LanguageReport:
    """What cross-validation found for one language, and the model trained on all its rows."""

    lang: str
    labels: int
    kept: int
    new_f1: float | None = None
    current_f1: float | None = None
    better: bool = False
    skipped: str = ""
    spec: dict[str, Any] = field(default_factory=dict)

    def metrics(self) -> dict[str, Any]:
        """The JSON stored with a version (no weights)."""
        found = {"labels": self.labels, "kept": self.kept, "new_macro_f1": self.new_f1}
        found |= {"current_macro_f1": self.current_f1, "better": self.better}
        return found | ({"skipped": self.skipped} if self.skipped else {})


def too_few(examples: Sequence[Example]) -> str:
    """Why a language cannot be learned from these rows, or "" when it can."""
    taught = sum(1 for e in examples if e.taught)
    if taught < MIN_LABELS:
        return f"{taught} label(s), at least {MIN_LABELS} needed"
    classes = Counter(e.row.label for e in examples)
    if sum(1 for n in classes.values() if n >= MIN_CLASS_ROWS) < 2:
        return f"only one sentiment among the labels ({', '.join(sorted(classes))}): nothing to tell apart"
    return ""


def assign_folds(examples: Sequence[Example], folds: int = FOLDS, seed: int = SEED) -> list[int]:
    """A fold per example, stratified by (taught, label): each stratum is shuffled (seeded) and dealt out
    round-robin, continuing where the previous stratum stopped so the folds stay the same size."""
    strata: dict[tuple[bool, str], list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        strata[(example.taught, example.row.label)].append(i)
    shuffler, out, dealt = random.Random(seed), [0] * len(examples), 0
    for key in sorted(strata):
        members = strata[key]
        shuffler.shuffle(members)
        for i in members:
            out[i], dealt = dealt % folds, dealt + 1
    return out


def train_spec(rows: Sequence[Row], lang: str) -> dict[str, Any]:
    """A language spec (the packaged model.json.gz format, active): the packaged model plus word weights
    learned from the rows, or a model trained from scratch when no packaged one is active."""
    base = load_models().get(lang)
    if base is None:
        model, vectorizer = fit(Recipe(lang, (), use_words=True, c=C), rows)
        return {**export(model, vectorizer), "active": True}
    vectorizer = frequent_vocabulary(rows)
    x, _ = matrices(rows, lang, vectorizer)
    words = _fit_words(x[:, N_DENSE:], rows, _base_logits(base, rows))
    return _spec_plus(base, [str(n) for n in vectorizer.get_feature_names_out()], words)


def _base_logits(base: LanguageModel, rows: Sequence[Row]) -> np.ndarray:
    """The packaged model's class scores of the rows (after its offsets), as at run time."""
    out = []
    for row in rows:
        prepared = Prepared(row.text)
        logits = base.logits(prepared, compound(prepared, row.lang, row.extra))
        out.append([v + o for v, o in zip(logits, base.offsets, strict=True)])
    return np.array(out).reshape(len(rows), len(CLASSES))


def _fit_words(x: Any, rows: Sequence[Row], offset: np.ndarray) -> np.ndarray:
    """Word weights (features x classes) minimising C x weighted log-loss + 1/2 ||W||^2 with the base
    model's scores as a fixed offset: multinomial logistic regression that starts from the base."""
    y = np.array([CLASSES.index(r.label) for r in rows])
    weight = np.array([r.weight for r in rows]) * C
    shape = (x.shape[1], len(CLASSES))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta.reshape(shape)
        z = np.asarray(x @ w) + offset
        z -= z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1))
        prob = np.exp(z - log_norm[:, None])
        value = float(-(weight * (z[np.arange(len(y)), y] - log_norm)).sum() + 0.5 * (w * w).sum())
        prob[np.arange(len(y)), y] -= 1.0
        return value, (np.asarray(x.T @ (prob * weight[:, None])) + w).ravel()

    found = minimize(
        loss, np.zeros(shape[0] * shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 2000}
    )
    return np.asarray(found.x).reshape(shape)


def _spec_plus(base: LanguageModel, names: Sequence[str], words: np.ndarray) -> dict[str, Any]:
    """The base model's spec with the learned word weights added (tiny ones dropped)."""
    sparse = {name: list(row) for name, row in base.sparse.items()}
    for name, row in zip(names, words, strict=True):
        if np.abs(row).max() >= MIN_WEIGHT:
            old = sparse.get(name, [0.0, 0.0, 0.0])
            sparse[name] = [round(a + float(v), 4) for a, v in zip(old, row, strict=True)]
    return {
        "bias": list(base.bias),
        "dense": [list(row) for row in base.dense],
        "dense_names": list(DENSE_NAMES[: len(base.dense)]),
        "sparse": dict(sorted(sparse.items())),
        "offsets": list(base.offsets),
        "active": True,
    }


def as_model(spec: dict[str, Any], lang: str, tag: str = "") -> LanguageModel:
    """The run-time model of one language spec."""
    return model_from_json({"languages": {lang: {**spec, "active": True}}}, tag)[lang]


def labels_under(rows: Sequence[Row], models: Models) -> list[str]:
    """The labels the normal classify path gives the rows with these models (None: the packaged scorer)."""
    return [classify(Prepared(r.text), r.lang, r.extra, models)[0] for r in rows]


def packaged_scorer(_train: Sequence[Example]) -> Models:
    """The current scorer when the brand has no version active: the packaged learned layer / lexicon."""
    return None


def retrained_scorer(model: LanguageModel, seen: frozenset[str], lang: str) -> CurrentScorer:
    """The current scorer when it is a brand version: that version's rows minus the held-out fold, so
    it is not judged on rows it was trained on (it stays as it is if too few of its rows are left)."""

    def current(train: Sequence[Example]) -> Models:
        known = [e for e in train if e.key in seen]
        if len({e.row.label for e in known}) < 2:
            return {lang: model}
        return {lang: as_model(train_spec([e.row for e in known], lang), lang)}

    return current


def cross_validate(examples: Sequence[Example], lang: str, current: CurrentScorer) -> tuple[float, float]:
    """Macro-F1 of the new model and of the current scorer over the same out-of-fold predictions."""
    folds = assign_folds(examples)
    new, old = [""] * len(examples), [""] * len(examples)
    for fold in range(FOLDS):
        held = [i for i, f in enumerate(folds) if f == fold]
        train = [e for e, f in zip(examples, folds, strict=True) if f != fold]
        if not held:
            continue
        rows = [examples[i].row for i in held]
        model = as_model(train_spec([e.row for e in train], lang), lang)
        for i, got, had in zip(
            held, labels_under(rows, {lang: model}), labels_under(rows, current(train)), strict=True
        ):
            new[i], old[i] = got, had
    gold = [e.row.label for e in examples]
    return _f1(gold, new), _f1(gold, old)


def _f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    return float(classification_report(gold, pred)["macro_f1"])


def evaluate_language(examples: Sequence[Example], lang: str, current: CurrentScorer) -> LanguageReport:
    """Cross-validate one language and, when it has enough rows, train its model on all of them."""
    taught = sum(1 for e in examples if e.taught)
    report = LanguageReport(lang, taught, len(examples) - taught, skipped=too_few(examples))
    if report.skipped:
        return report
    report.new_f1, report.current_f1 = cross_validate(examples, lang, current)
    report.better = report.new_f1 >= report.current_f1 + MARGIN
    report.spec = train_spec([e.row for e in examples], lang)
    report.spec["provenance"] = {
        "trained_on": sorted({e.key for e in examples}),
        "labels": taught,
        "kept": len(examples) - taught,
        "recipe": {
            "base": "packaged" if load_models().get(lang) else "none",
            "learned": "word weights" if load_models().get(lang) else "all weights",
            "C": C,
            "folds": FOLDS,
            "seed": SEED,
            "margin": MARGIN,
        },
    }
    return report
