"""The CSV commands' library functions: score any CSV, evaluate on a labelled one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from social_listen.triage import TriageInputError, eval_csv, score_csv, triage_texts
from social_listen.triage.metrics import classification_report


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write rows (all with the same keys) to a CSV file."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_score_csv_adds_the_triage_columns(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "in.csv",
        [
            {"id": "1", "comment": "Nunca me llegó el pedido y nadie responde"},
            {"id": "2", "comment": "Love it, thank you!"},
            {"id": "3", "comment": "¿Tienen talle M?"},
        ],
    )
    written = score_csv(src, tmp_path / "out.csv", text_column="comment")
    rows = read_csv(tmp_path / "out.csv")
    assert written == len(rows) == 3
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    for row in rows:  # every negative label is flagged (the flag may also catch flat English complaints)
        assert row["sentiment_label"] != "neg" or row["negative"] == "true"
        assert -1.0 <= float(row["sentiment_score"]) <= 1.0
        assert float(row["priority"]) >= 0
    assert rows[0]["negative"] == "true" and "not_received" in rows[0]["intents"].split(";")
    assert rows[1]["lang"] == "en" and rows[1]["sentiment_label"] == "pos"
    assert "question" in rows[2]["intents"].split(";")
    assert float(rows[0]["priority"]) > float(rows[1]["priority"])


def test_score_csv_uses_optional_priority_columns(tmp_path: Path) -> None:
    text = "¿Tienen talle M?"
    src = write_csv(
        tmp_path / "in.csv",
        [
            {"text": text, "vip": "", "like_count": "", "rating": ""},
            {"text": text, "vip": "true", "like_count": "340", "rating": "1"},
        ],
    )
    score_csv(src, tmp_path / "out.csv")
    plain, loud = read_csv(tmp_path / "out.csv")
    assert float(loud["priority"]) > float(plain["priority"])
    assert "VIP" in loud["priority_reasons"] and "340 likes" in loud["priority_reasons"]


def test_missing_text_column_names_the_columns_there_are(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", [{"comment": "hola"}])
    with pytest.raises(TriageInputError, match=r"'text' not found.*\['comment'\].*--text-column"):
        score_csv(src, tmp_path / "out.csv")


def test_eval_csv_matches_a_report_computed_from_the_results(tmp_path: Path) -> None:
    rows = [
        {"text": "Me encantó, gracias", "label": "pos", "lang": "es"},
        {"text": "Nunca llegó mi pedido", "label": "neg", "lang": "es"},
        {"text": "¿Tienen talle M?", "label": "neu", "lang": "es"},
        {"text": "Worst store ever", "label": "neg", "lang": "en"},
        {"text": "Do you ship to Canada?", "label": "pos", "lang": "en"},
    ]
    report = eval_csv(write_csv(tmp_path / "gold.csv", rows))
    results = triage_texts([r["text"] for r in rows])
    predicted, flagged = [r.sentiment_label for r in results], [r.negative for r in results]
    expected = classification_report([r["label"] for r in rows], predicted, flagged)
    assert report["macro_f1"] == expected["macro_f1"]
    assert report["negative"] == expected["negative"]
    en_rows = [i for i, r in enumerate(rows) if r["lang"] == "en"]
    assert report["by_language"]["en"] == classification_report(
        [rows[i]["label"] for i in en_rows], [predicted[i] for i in en_rows], [flagged[i] for i in en_rows]
    )
    assert report["texts_per_second"] > 0


def test_eval_csv_accepts_long_label_names_and_rejects_unknown_ones(tmp_path: Path) -> None:
    ok = write_csv(tmp_path / "ok.csv", [{"text": "Horrible", "label": "negative"}])
    assert eval_csv(ok)["rows"] == 1
    bad = write_csv(tmp_path / "bad.csv", [{"text": "Horrible", "label": "angry"}])
    with pytest.raises(TriageInputError, match="line 2.*'angry'"):
        eval_csv(bad)


def test_classification_report_by_hand() -> None:
    gold = ["neg", "neg", "neu", "pos"]
    pred = ["neg", "pos", "neu", "pos"]
    report = classification_report(gold, pred)
    assert report["accuracy"] == 0.75
    assert report["per_class"]["neg"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert report["per_class"]["pos"]["precision"] == 0.5
    assert report["macro_f1"] == round((0.6667 + 1.0 + 0.6667) / 3, 4)


def test_classification_report_measures_negative_on_the_fast_reply_flag_when_given() -> None:
    gold = ["neg", "neg", "neu", "pos"]
    pred = ["neg", "neu", "neu", "pos"]  # the second complaint labelled neutral ...
    flagged = [True, True, False, False]  # ... but flagged for a fast reply
    report = classification_report(gold, pred, flagged)
    assert report["negative"] == {"precision": 1.0, "recall": 1.0}
    assert report["per_class"]["neg"]["recall"] == 0.5  # the label's own figures are kept
    assert classification_report(gold, pred)["negative"] == {"precision": 1.0, "recall": 0.5}
