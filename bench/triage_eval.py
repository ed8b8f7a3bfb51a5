"""Sentiment figures per labelled file: plain VADER vs our lexicon scorers vs the full triage (hybrid).

`python -m bench.triage_eval [CSV ...]` (default: ../shared/data/sentiment/*.csv, our held-out shop
comments and the held-out sets in data/heldout). For each file prints macro-F1 and negative
precision/recall of the three systems (for the full triage, of its fast-reply flag, the `negative` column
of `triage score`; for VADER and the lexicon, of the negative label), per language, plus texts per second
of eval_csv; the last line
is one JSON object. Dev files with a `source` column ending in /train or /val are also reported per
split (offsets were tuned on /train).
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from social_listen.triage import eval_csv
from social_listen.triage.language import detect_language
from social_listen.triage.metrics import classification_report
from social_listen.triage.sentiment import label_for, score_text
from social_listen.triage.text import Prepared

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "sentiment"
DEFAULT_FILES = [
    *sorted(SHARED.glob("*.csv")),
    REPO / "data" / "shop_comments" / "test.csv",
    *sorted((REPO / "data" / "heldout").glob("*.csv")),
]


def vader_label(analyzer: SentimentIntensityAnalyzer) -> Callable[[str], str]:
    """VADER as its authors recommend: compound >= 0.05 positive, <= -0.05 negative."""

    def label(text: str) -> str:
        compound = analyzer.polarity_scores(text)["compound"]
        return "pos" if compound >= 0.05 else "neg" if compound <= -0.05 else "neu"

    return label


def lexicon_label(text: str) -> str:
    """Our lexicon scorers alone (language routed), with their shipped thresholds."""
    prepared = Prepared(text)
    lang = detect_language(prepared)
    return label_for(score_text(prepared, lang), lang)


def summary(report: dict[str, Any]) -> dict[str, float]:
    """macro-F1 and negative P/R of a report."""
    return {
        "macro_f1": report["macro_f1"],
        "neg_p": report["negative"]["precision"],
        "neg_r": report["negative"]["recall"],
    }


def subset_file(rows: Sequence[dict[str, str]], folder: Path, name: str) -> Path:
    """Write rows to a CSV in folder and return its path."""
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def evaluate(path: Path, rows: Sequence[dict[str, str]], vader: Callable[[str], str]) -> dict[str, Any]:
    """The three systems on one set of rows."""
    gold = [r["label"] for r in rows]
    ours = eval_csv(path)
    return {
        "rows": len(rows),
        "vader": summary(classification_report(gold, [vader(r["text"]) for r in rows])),
        "lexicon": summary(classification_report(gold, [lexicon_label(r["text"]) for r in rows])),
        "triage": summary(ours),
        "triage_by_language": {lang: summary(rep) for lang, rep in ours["by_language"].items()},
        "texts_per_second": ours["texts_per_second"],
    }


def splits(rows: Sequence[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Rows grouped by the split named at the end of their source (train/val), if any."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        split = row.get("source", "").rsplit("/", 1)[-1]
        if split in ("train", "val"):
            groups.setdefault(split, []).append(row)
    return groups


def _label(path: Path) -> str:
    """A file's name with its folder ('reviews_es/validation_c.csv'): two sets may share a file name."""
    return f"{path.resolve().parent.name}/{path.name}"


def main(argv: Sequence[str]) -> None:
    """Evaluate each file (and its splits) and print a table and one JSON object."""
    vader = vader_label(SentimentIntensityAnalyzer())
    eval_csv(subset_file([{"text": "hola", "label": "neu"}], Path(tempfile.mkdtemp()), "warm.csv"))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in [Path(p) for p in argv] or DEFAULT_FILES:
            with path.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
            name = _label(path)
            results[name] = evaluate(path, rows, vader)
            for split, part in splits(rows).items():
                results[f"{name} [{split}]"] = evaluate(
                    subset_file(part, Path(tmp), f"{split}.csv"), part, vader
                )
    for name, res in results.items():
        cells = " | ".join(
            f"{system} {res[system]['macro_f1']:.3f} ({res[system]['neg_p']:.2f}/{res[system]['neg_r']:.2f})"
            for system in ("vader", "lexicon", "triage")
        )
        print(f"{name}: {cells} | {res['texts_per_second']}/s")
    print(json.dumps({"benchmark": "triage_eval", "results": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
