"""Regression guard on the held-out half of our labelled shop comments (never used for tuning).

The floors sit a little below the figures measured when this gate was written (see the triage report).
"""

from __future__ import annotations

import csv
from pathlib import Path

from social_listen.triage import INTENTS, eval_csv, triage_texts

TEST_HALF = Path(__file__).resolve().parents[2] / "data" / "shop_comments" / "test.csv"


def test_held_out_sentiment_is_good_in_both_languages() -> None:
    report = eval_csv(TEST_HALF)
    assert report["macro_f1"] >= 0.75
    assert report["negative"]["recall"] >= 0.75
    assert report["negative"]["precision"] >= 0.85
    for lang in ("es", "en"):
        assert report["by_language"][lang]["macro_f1"] >= 0.70, lang


def test_held_out_intents_are_found() -> None:
    with TEST_HALF.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    results = triage_texts([r["text"] for r in rows])
    tp = fp = fn = 0
    for row, result in zip(rows, results, strict=True):
        gold = {i for i in row["intents"].split(";") if i}
        assert gold <= set(INTENTS)
        found = set(result.intents)
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.75
    assert recall >= 0.80
