"""Learning curve of `triage learn`: how a brand model grows with the number of labels.

`python -m bench.learning_curve` treats data/shop_comments/train.csv as a brand's corrections and
data/shop_comments/test.csv as held out (only measured, never used to choose anything). For 50, 100, 200,
400 and all labels (random subsets, three seeds each, mean reported) it prints per language the 5-fold CV
macro-F1 of the new model and of the packaged scorer (what `triage learn` decides on), whether it would be
activated, and the held-out macro-F1 of the new model, of the packaged scorer, and of whichever the decision
picked. The last line is one JSON object.

Caveats: the packaged model was itself trained on train.csv, so its CV figures here are in-sample
(optimistic); test.csv is the fair comparison. train.csv labels are a random sample, not corrections of
mistakes, so no "kept" rows are added (see social_listen/learning.py for why a store adds them).
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Sequence
from pathlib import Path
from statistics import mean
from typing import Any

from social_listen.triage import triage_texts
from social_listen.triage.crossval import Example, as_model, evaluate_language, fingerprint, packaged_scorer
from social_listen.triage.learned import LanguageModel
from social_listen.triage.metrics import classification_report
from social_listen.triage.train import Row

DATA = Path(__file__).resolve().parents[1] / "data" / "shop_comments"
SIZES: tuple[int | None, ...] = (50, 100, 200, 400, None)  # None: every label
SEEDS = (1, 2, 3)
LANGS = ("es", "en")


def read(name: str) -> list[dict[str, str]]:
    """Rows of one of the shop comment files."""
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def held_out_f1(test: Sequence[dict[str, str]], models: dict[str, LanguageModel]) -> dict[str, float]:
    """Macro-F1 on the held-out rows, overall and per language, through the normal triage path."""
    pred = [r.sentiment_label for r in triage_texts([row["text"] for row in test], LANGS, models=models)]
    gold = [row["label"] for row in test]
    out = {"all": float(classification_report(gold, pred)["macro_f1"])}
    for lang in LANGS:
        pairs = [(g, p) for g, p, row in zip(gold, pred, test, strict=True) if row["lang"] == lang]
        out[lang] = float(classification_report([g for g, _ in pairs], [p for _, p in pairs])["macro_f1"])
    return out


def one_run(labelled: Sequence[dict[str, str]], test: Sequence[dict[str, str]]) -> dict[str, Any]:
    """Learn from these labels as `triage learn` would; figures for the CV decision and the held-out set."""
    new: dict[str, LanguageModel] = {}
    decided: dict[str, LanguageModel] = {}
    per_lang: dict[str, Any] = {}
    for lang in LANGS:
        rows = [r for r in labelled if r["lang"] == lang]
        examples = [Example(Row(r["text"], r["label"], lang), fingerprint(r["text"], lang)) for r in rows]
        report = evaluate_language(examples, lang, packaged_scorer)
        per_lang[lang] = report.metrics()
        if report.spec:
            new[lang] = as_model(report.spec, lang)
            if report.better:
                decided[lang] = new[lang]
    return {
        "languages": per_lang,
        "held_out": {"new": held_out_f1(test, new), "decided": held_out_f1(test, decided)},
    }


def summarise(runs: Sequence[dict[str, Any]], size: int) -> dict[str, Any]:
    """Means over the seeds."""
    out: dict[str, Any] = {"labels": size, "runs": len(runs), "languages": {}, "held_out": {}}
    for lang in LANGS:
        found = [r["languages"][lang] for r in runs if not r["languages"][lang].get("skipped")]
        out["languages"][lang] = {
            "labels": round(mean(r["languages"][lang]["labels"] for r in runs), 1),
            "trained_in": len(found),
            "cv_new": round(mean(f["new_macro_f1"] for f in found), 4) if found else None,
            "cv_packaged": round(mean(f["current_macro_f1"] for f in found), 4) if found else None,
            "activated_in": sum(1 for f in found if f["better"]),
        }
    for which in ("new", "decided"):
        out["held_out"][which] = {
            key: round(mean(r["held_out"][which][key] for r in runs), 4) for key in ("all", *LANGS)
        }
    return out


def main() -> None:
    """Print one line per size and the whole curve as one JSON object."""
    train, test = read("train.csv"), read("test.csv")
    packaged = held_out_f1(test, {})
    print(
        f"packaged scorer, held out: all {packaged['all']:.3f} es {packaged['es']:.3f} en {packaged['en']:.3f}"
    )
    curve = []
    for size in SIZES:
        seeds = SEEDS if size is not None and size < len(train) else SEEDS[:1]
        runs = [
            one_run(random.Random(seed).sample(train, min(size or len(train), len(train))), test)
            for seed in seeds
        ]
        point = summarise(runs, min(size or len(train), len(train)))
        curve.append(point)
        langs = " | ".join(
            f"{lang} n={p['labels']} CV new {p['cv_new']} vs packaged {p['cv_packaged']} activated {p['activated_in']}/{len(runs)}"
            for lang, p in point["languages"].items()
        )
        held = point["held_out"]
        print(
            f"{point['labels']} labels: {langs} || held-out new {held['new']['all']:.3f} "
            f"(es {held['new']['es']:.3f}, en {held['new']['en']:.3f}), decided {held['decided']['all']:.3f}"
        )
    print(json.dumps({"benchmark": "learning_curve", "held_out_packaged": packaged, "curve": curve}))


if __name__ == "__main__":
    main()
