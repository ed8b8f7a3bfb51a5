"""Triage throughput: triage_texts (language, sentiment, intents) against plain VADER on the same texts.

Same texts, same process, same run: short shop comments (data/shop_comments, Spanish and English) and,
when ../shared/data/sentiment is present, tweets. Reports texts per second of CPU time on one core (best
of BENCH_REPEAT runs), the ratio to VADER, and a per-step split for the short texts. Prints one JSON object.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from social_listen.triage import triage_texts
from social_listen.triage.intents import detect_intents
from social_listen.triage.language import detect_language
from social_listen.triage.sentiment import classify_all
from social_listen.triage.text import Prepared

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "sentiment"
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
TARGET = int(os.environ.get("BENCH_TEXTS", "5000"))


def read_texts(path: Path) -> list[str]:
    """The text column of a CSV."""
    with path.open(newline="", encoding="utf-8") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def sized(texts: Sequence[str], n: int) -> list[str]:
    """Repeat the texts until there are n of them."""
    return [texts[i % len(texts)] for i in range(n)]


def per_second(fn: Callable[[list[str]], Any], texts: list[str]) -> float:
    """Best-of-REPEAT texts per CPU second for fn over the texts."""
    best = float("inf")
    for _ in range(REPEAT):
        start = time.process_time()
        fn(texts)
        best = min(best, time.process_time() - start)
    return round(len(texts) / best, 1)


def vader_all(analyzer: SentimentIntensityAnalyzer) -> Callable[[list[str]], Any]:
    """Plain VADER over a list of texts."""
    return lambda texts: [analyzer.polarity_scores(t)["compound"] for t in texts]


def steps(texts: list[str]) -> dict[str, float]:
    """Microseconds per text spent in each triage step (CPU time, one pass)."""
    timings: dict[str, float] = {}
    start = time.process_time()
    prepared = [Prepared(t) for t in texts]
    timings["prepare_us"] = time.process_time() - start
    start = time.process_time()
    langs = [detect_language(p) for p in prepared]
    timings["language_us"] = time.process_time() - start
    start = time.process_time()
    labels = [c.label for c in classify_all(prepared, langs, [0.0] * len(prepared))]
    timings["sentiment_us"] = time.process_time() - start
    start = time.process_time()
    for p, label in zip(prepared, labels, strict=True):
        detect_intents(p, label)
    timings["intents_us"] = time.process_time() - start
    return {k: round(v / len(texts) * 1e6, 1) for k, v in timings.items()}


def measure(name: str, texts: list[str], analyzer: SentimentIntensityAnalyzer) -> dict[str, Any]:
    """Throughput of triage_texts and VADER on the same texts."""
    ours = per_second(lambda batch: triage_texts(batch), texts)
    vader = per_second(vader_all(analyzer), texts)
    return {
        "texts": len(texts),
        "mean_chars": round(statistics.mean(len(t) for t in texts), 1),
        "triage_texts_per_second": ours,
        "vader_texts_per_second": vader,
        "triage_vs_vader": round(ours / vader, 3),
        "name": name,
    }


def main() -> None:
    """Warm both up, measure each text set, print one JSON object."""
    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    triage_texts(["warm up", "calentando"])
    load_seconds = round(time.perf_counter() - start, 2)
    short = read_texts(REPO / "data" / "shop_comments" / "train.csv") + read_texts(
        REPO / "data" / "shop_comments" / "test.csv"
    )
    sets = {"shop_comments": sized(short, TARGET)}
    for lang, name in (
        ("es", "es_intertass17_tweets_trainval.csv"),
        ("en", "en_semeval17_tweets_trainval.csv"),
    ):
        if (SHARED / name).is_file():
            sets[f"tweets_{lang}"] = read_texts(SHARED / name)
    results = {name: measure(name, texts, analyzer) for name, texts in sets.items()}
    for result in results.values():
        result.pop("name")
    print(json.dumps({
        "benchmark": "triage",
        "repeat": REPEAT,
        "load_seconds": load_seconds,
        "results": results,
        "short_text_steps_us": steps(sets["shop_comments"]),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
