"""On the shared dev sets (when present): we beat plain VADER clearly; skipped where the data is absent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from social_listen.triage import eval_csv
from social_listen.triage.metrics import classification_report

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "sentiment"


def vader_macro_f1(path: Path) -> float:
    """Macro-F1 of plain VADER (±0.05) on a labelled CSV."""
    analyzer = SentimentIntensityAnalyzer()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pred = []
    for row in rows:
        c = analyzer.polarity_scores(row["text"])["compound"]
        pred.append("pos" if c >= 0.05 else "neg" if c <= -0.05 else "neu")
    return float(classification_report([r["label"] for r in rows], pred)["macro_f1"])


@pytest.mark.parametrize(
    ("name", "margin"),
    [("es_intertass17_tweets_trainval.csv", 0.15), ("en_semeval17_tweets_trainval.csv", 0.02)],
)
def test_dev_tweets_beat_plain_vader(name: str, margin: float) -> None:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    assert eval_csv(path)["macro_f1"] >= vader_macro_f1(path) + margin
