"""Classification metrics for sentiment evaluation (pure Python, no scikit-learn at run time)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CLASSES = ("neg", "neu", "pos")


def _prf(gold: Sequence[str], pred: Sequence[str], cls: str) -> dict[str, float]:
    """Precision, recall, F1 and support of one class."""
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == cls and p == cls)
    predicted = sum(1 for p in pred if p == cls)
    support = sum(1 for g in gold if g == cls)
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": support,
    }


def classification_report(
    gold: Sequence[str], pred: Sequence[str], flagged: Sequence[bool] | None = None
) -> dict[str, Any]:
    """Accuracy, macro-F1 over the classes present in gold, per-class P/R/F1 and negative P/R: of the
    fast-reply flag when ``flagged`` is given (one bool per text), else of the negative label."""
    per_class = {cls: _prf(gold, pred, cls) for cls in CLASSES}
    negative = per_class["neg"]
    if flagged is not None:
        negative = _prf(gold, ["neg" if f else "" for f in flagged], "neg")
    present = [cls for cls in CLASSES if per_class[cls]["support"]] or list(CLASSES)
    accuracy = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0
    return {
        "rows": len(gold),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(sum(per_class[c]["f1"] for c in present) / len(present), 4),
        "per_class": per_class,
        "negative": {"precision": negative["precision"], "recall": negative["recall"]},
    }
