"""The two CSV commands' library functions: score any CSV, evaluate on a labelled CSV."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from os import PathLike
from pathlib import Path
from typing import Any

from social_listen.triage.errors import TriageInputError
from social_listen.triage.learned import LanguageModel
from social_listen.triage.metrics import classification_report
from social_listen.triage.overrides import Overrides
from social_listen.triage.pipeline import triage_texts
from social_listen.triage.priority import priority
from social_listen.triage.result import TRIAGE_VERSION, TriageResult

PathType = str | PathLike[str]
ADDED_COLUMNS = (
    "lang",
    "sentiment_label",
    "sentiment_score",
    "negative",
    "intents",
    "priority",
    "priority_reasons",
)
LABEL_ALIASES = {
    "neg": "neg",
    "negative": "neg",
    "n": "neg",
    "-1": "neg",
    "neu": "neu",
    "neutral": "neu",
    "none": "neu",
    "0": "neu",
    "pos": "pos",
    "positive": "pos",
    "p": "pos",
    "1": "pos",
}
_BATCH = 2000


def _number(row: Mapping[str, str], *names: str) -> float | None:
    """The first of the named columns that holds a number, else None."""
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def _priority_for(result: TriageResult, row: Mapping[str, str]) -> tuple[float, str]:
    """Priority from the optional columns rating, like_count, follower_count, hours_open, sla_hours_left, vip."""
    likes = _number(row, "like_count", "likes")
    followers = _number(row, "follower_count", "followers")
    return priority(
        result,
        rating=_number(row, "rating", "stars"),
        like_count=int(likes) if likes is not None else None,
        follower_count=int(followers) if followers is not None else None,
        hours_open=_number(row, "hours_open") or 0.0,
        sla_hours_left=_number(row, "sla_hours_left"),
        vip=(row.get("vip") or "").strip().lower() in {"1", "true", "yes", "y", "si", "sí"},
    )


def _check_column(fieldnames: Sequence[str] | None, column: str, path: PathType) -> list[str]:
    """The CSV's columns, or an error naming the missing text column and the ones available."""
    columns = list(fieldnames or [])
    if column not in columns:
        raise TriageInputError(
            f"Column {column!r} not found in {path}; its columns are {columns}. "
            "Pass the right one with --text-column."
        )
    return columns


def _checked(reader: csv.DictReader[str], path: PathType) -> Iterator[dict[str, str]]:
    """The rows, or an error at the first row with more fields than the header (an unquoted comma in a text
    would otherwise cut the text short or fail the output)."""
    header = len(reader.fieldnames or ())
    for row in reader:
        if None in row:
            raise TriageInputError(
                f"{path}, line {reader.line_num}: {header + len(row[None])} fields where the header has {header}; "
                "put a text that contains commas in double quotes"
            )
        yield row


def _batches(reader: Iterator[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    """Rows in lists of _BATCH."""
    while batch := list(islice(reader, _BATCH)):
        yield batch


def score_csv(
    input_path: PathType,
    output_path: PathType,
    text_column: str = "text",
    languages: Sequence[str] = ("es", "en"),
    *,
    overrides: Overrides | None = None,
    models: Mapping[str, LanguageModel] | None = None,
) -> int:
    """Write the input CSV back with triage columns added (``models``: a brand's learned version in place of
    the packaged layer); returns the number of rows written."""
    written = 0
    with open(input_path, newline="", encoding="utf-8-sig") as src:
        reader = csv.DictReader(src)
        columns = _check_column(reader.fieldnames, text_column, input_path)
        out_columns = columns + [c for c in ADDED_COLUMNS if c not in columns]
        try:
            with open(output_path, "w", newline="", encoding="utf-8") as dst:
                writer = csv.DictWriter(dst, fieldnames=out_columns)
                writer.writeheader()
                for batch in _batches(_checked(reader, input_path)):
                    texts = [row.get(text_column) or "" for row in batch]
                    results = triage_texts(texts, languages, overrides, models)
                    writer.writerows(_scored_row(row, res) for row, res in zip(batch, results, strict=True))
                    written += len(batch)
        except TriageInputError:
            Path(output_path).unlink(missing_ok=True)  # no half-scored file left to be taken for a whole one
            raise
    return written


def _scored_row(row: dict[str, str], result: TriageResult) -> dict[str, Any]:
    """One output row: the input columns plus the triage columns."""
    score, reasons = _priority_for(result, row)
    return {
        **row,
        "lang": result.lang,
        "sentiment_label": result.sentiment_label,
        "sentiment_score": f"{result.sentiment_score:.4f}",
        "negative": "true" if result.negative else "false",
        "intents": ";".join(result.intents),
        "priority": f"{score:.1f}",
        "priority_reasons": reasons,
    }


def read_labelled(path: PathType, text_column: str = "text") -> tuple[list[str], list[str], list[str] | None]:
    """Texts, normalised gold labels and (if present) gold languages from a labelled CSV."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        columns = _check_column(reader.fieldnames, text_column, path)
        if "label" not in columns:
            raise TriageInputError(f"{path} has no 'label' column (neg/neu/pos); its columns are {columns}")
        rows = list(_checked(reader, path))
    labels = []
    for n, row in enumerate(rows, start=2):
        label = LABEL_ALIASES.get((row.get("label") or "").strip().lower())
        if label is None:
            raise TriageInputError(
                f"{path}, line {n}: label {row.get('label')!r} is not one of neg, neu, pos"
            )
        labels.append(label)
    langs = [(row.get("lang") or "").strip() for row in rows] if "lang" in columns else None
    return [row.get(text_column) or "" for row in rows], labels, langs


def eval_csv(
    input_path: PathType, text_column: str = "text", languages: Sequence[str] = ("es", "en")
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class P/R/F1 of the labels, negative P/R of the fast-reply flag (the
    `negative` column of `triage score`), per-language breakdown and texts per second."""
    texts, gold, gold_langs = read_labelled(input_path, text_column)
    triage_texts(
        ["warm up", "calentando"], languages
    )  # load models first: the rate is per text, not per start
    start = time.perf_counter()
    results = triage_texts(texts, languages)
    elapsed = time.perf_counter() - start
    pred = [r.sentiment_label for r in results]
    flagged = [r.negative for r in results]
    langs = gold_langs if gold_langs is not None else [r.lang for r in results]
    report = classification_report(gold, pred, flagged)
    report["by_language"] = {}
    for lang in sorted(set(langs)):
        mine = [i for i, lg in enumerate(langs) if lg == lang]
        report["by_language"][lang] = classification_report(
            [gold[i] for i in mine], [pred[i] for i in mine], [flagged[i] for i in mine]
        )
    report["language_source"] = "lang column" if gold_langs is not None else "detected"
    report["texts_per_second"] = round(len(texts) / elapsed, 1) if elapsed > 0 else None
    report["scorer_version"] = TRIAGE_VERSION
    return report
