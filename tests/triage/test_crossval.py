"""A brand's own model, without the store: it learns the brand's words on top of the packaged model,
replaces the packaged layer only where given, and is judged on folds it did not see."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from social_listen.triage import TRIAGE_VERSION, triage_texts
from social_listen.triage.crossval import (
    FOLDS,
    Example,
    as_model,
    assign_folds,
    evaluate_language,
    fingerprint,
    labels_under,
    packaged_scorer,
    too_few,
    train_spec,
)
from social_listen.triage.train import Recipe, Row, export, fit, matrices

TRAIN = Path(__file__).resolve().parents[2] / "data" / "shop_comments" / "train.csv"
# The shop's customers praise with words the lexicon reads as negative ("está enfermo" = it's great).
PRODUCTS = (
    "el buzo",
    "la campera",
    "los jeans",
    "las zapatillas",
    "este vestido",
    "esta remera",
    "mi mochila",
    "tu gorro",
)
SLANG = (
    "Está enfermo {p}",
    "Qué criminal {p}",
    "Enfermo {p}, de locos",
    "Salvaje cómo queda {p}",
    "Criminal lo bien que queda {p}",
)
UNSEEN = ("el short", "la camisa", "las botas", "estos lentes")


def _example(text: str, label: str, taught: bool = True) -> Example:
    return Example(Row(text, label, "es"), fingerprint(text, "es"), taught)


def _kept(n: int = 150) -> list[Example]:
    """Ordinary Spanish shop messages with the packaged scorer's labels (what nobody corrected)."""
    with TRAIN.open(encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh) if row["lang"] == "es"][:n]
    return [
        _example(t, r.sentiment_label, taught=False) for t, r in zip(texts, triage_texts(texts), strict=True)
    ]


def _slang_examples() -> list[Example]:
    return [_example(t.format(p=p), "pos") for t in SLANG for p in PRODUCTS] + _kept()


def _share_pos(texts: list[str], models: dict[str, object] | None = None) -> float:
    results = triage_texts(texts, models=models)  # type: ignore[arg-type]
    return sum(r.sentiment_label == "pos" for r in results) / len(results)


def test_a_brand_model_learns_its_words_and_leaves_ordinary_messages_no_worse() -> None:
    models = {"es": as_model(train_spec([e.row for e in _slang_examples()], "es"), "es", tag="v1")}
    unseen = [t.format(p=p) for t in SLANG for p in UNSEEN]
    assert _share_pos(unseen) == 0.0  # the packaged scorer reads the slang as a complaint
    assert _share_pos(unseen, models) >= 0.75
    with TRAIN.open(encoding="utf-8") as fh:
        others = [row for row in csv.DictReader(fh) if row["lang"] == "es"][150:]  # not among the kept rows
    gold, texts = [row["label"] for row in others], [row["text"] for row in others]
    before = [r.sentiment_label for r in triage_texts(texts)]
    after = [r.sentiment_label for r in triage_texts(texts, models=models)]
    # Few of the messages nobody corrected change their label other than to the right one, and at most 1 %
    # for the worse (on 110 rows one flip moves macro-F1 by up to 0.02, so a macro-F1 margin would measure
    # which row flipped, not how many). A change that corrects a label is no harm.
    changed = [(g, b, a) for g, b, a in zip(gold, before, after, strict=True) if b != a]
    assert changed  # the brand's words do reach some ordinary messages
    assert sum(a != g for g, _, a in changed) <= len(texts) * 0.03
    assert sum(b == g for g, b, _ in changed) <= len(texts) * 0.01


def test_a_brand_model_is_named_and_versioned_only_for_the_languages_it_covers() -> None:
    models = {"es": as_model(train_spec([e.row for e in _slang_examples()], "es"), "es", tag="v3")}
    spanish, english = triage_texts(["Está enfermo el short", "I love this jacket"], models=models)
    assert (spanish.scorer, spanish.version) == ("brand-es", f"v3+{TRIAGE_VERSION}")
    assert (english.scorer, english.version) == ("hybrid-en", TRIAGE_VERSION)


def test_folds_are_seeded_and_stratified_by_label() -> None:
    examples = _slang_examples()
    folds = assign_folds(examples)
    assert folds == assign_folds(examples)
    per_fold = Counter(folds)
    assert max(per_fold.values()) - min(per_fold.values()) <= 1
    for stratum, size in Counter((e.taught, e.row.label) for e in examples).items():
        counts = Counter(
            f for f, e in zip(folds, examples, strict=True) if (e.taught, e.row.label) == stratum
        )
        assert len(counts) == min(size, FOLDS)
        assert max(counts.values()) - min(counts.values()) <= 1 or size < FOLDS


def test_too_few_labels_or_a_single_sentiment_are_not_learned() -> None:
    assert "at least 30 needed" in too_few([_example(f"genial {n}", "pos") for n in range(29)])
    assert "only one sentiment" in too_few([_example(f"genial {n}", "pos") for n in range(40)])
    report = evaluate_language([_example(f"genial {n}", "pos") for n in range(12)], "es", packaged_scorer)
    assert report.skipped and not report.spec and report.new_f1 is None


def test_cross_validation_prefers_the_model_that_learned_the_slang() -> None:
    report = evaluate_language(_slang_examples(), "es", packaged_scorer)
    assert report.better
    assert report.new_f1 is not None and report.current_f1 is not None
    assert report.new_f1 >= report.current_f1 + 0.2
    assert report.spec["active"] and report.spec["provenance"]["labels"] == len(SLANG) * len(PRODUCTS)


def test_labels_the_scorer_already_gives_teach_nothing_to_activate() -> None:
    texts = [t.format(p=p) for t in SLANG for p in PRODUCTS]
    agreeing = [_example(t, r.sentiment_label) for t, r in zip(texts, triage_texts(texts), strict=True)]
    report = evaluate_language(agreeing + _kept(), "es", packaged_scorer)
    assert report.current_f1 == 1.0 and not report.better


def test_weights_trained_on_two_sentiments_predict_as_sklearn_does_and_never_the_third() -> None:
    rows = [
        Row(f"{text} {n}", label, "es")
        for n in range(3)
        for text, label in (("Me encantó, gracias", "pos"), ("Nunca llegó el pedido", "neg"),
                            ("Excelente atención", "pos"), ("Pésimo, no compren", "neg"))
    ]  # fmt: skip
    model, vectorizer = fit(Recipe("es", (), use_words=True, c=1.0), rows)
    exported = as_model({**export(model, vectorizer), "active": True}, "es")
    x, _ = matrices(rows, "es", vectorizer)
    assert labels_under(rows, {"es": exported}) == list(model.predict(x))
    assert "neu" not in labels_under(
        [Row("¿Tienen talle M?", "", "es"), Row("hola", "", "es")], {"es": exported}
    )
