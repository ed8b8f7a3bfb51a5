"""The learned layer: packaged weights, loaded offline, deterministic to rebuild, used only when active."""

from __future__ import annotations

import csv
import gzip
import json
import random
from dataclasses import replace
from importlib import resources
from pathlib import Path

from social_listen.triage import triage_texts
from social_listen.triage.learned import CLASSES, load_models, model_from_json
from social_listen.triage.spanish import spanish_scorer
from social_listen.triage.text import Prepared
from social_listen.triage.train import Recipe, Row, export, fit

REPO = Path(__file__).resolve().parents[2]


def packaged() -> dict[str, object]:
    """The weights file shipped in the package."""
    path = resources.files("social_listen.triage").joinpath("data").joinpath("model.json.gz")
    data: dict[str, object] = json.loads(gzip.decompress(path.read_bytes()))
    return data


def test_weights_ship_in_the_package_with_their_provenance() -> None:
    data = packaged()
    assert data["classes"] == list(CLASSES)
    languages = data["languages"]
    assert isinstance(languages, dict)
    for spec in languages.values():
        provenance = spec["provenance"]
        assert all(
            "test" not in source for source in [*provenance["trained_on"], *provenance["offsets_tuned_on"]]
        )


def test_active_models_are_used_and_named_hybrid() -> None:
    active = set(load_models())
    for text, lang in (("Me encantó la campera", "es"), ("Love the hoodie", "en")):
        result = triage_texts([text])[0]
        assert result.scorer.startswith("hybrid" if lang in active else ("lexicon", "vader"))


# Weights with four dense rows (as saved before the valence features): only the compound counts.
FOUR_ROW_SPEC = {
    "bias": [0, 0, 0],
    "dense": [[-5, 0, 5], [0, 0, 0], [0, 0, 0], [0, 0, 0]],
    "sparse": {},
    "active": True,
}


def test_inactive_models_are_not_loaded() -> None:
    spec = {"bias": [0, 0, 0], "dense": [[0, 0, 0]] * 4, "sparse": {}, "active": False}
    assert model_from_json({"languages": {"es": spec}}) == {}


def test_prediction_follows_the_weights() -> None:
    model = model_from_json({"languages": {"es": FOUR_ROW_SPEC}})["es"]
    assert model.predict_with_negative(Prepared("x"), 0.8)[0] == "pos"
    assert model.predict_with_negative(Prepared("x"), -0.8)[0] == "neg"
    _, score, p_neg = model.predict_with_negative(Prepared("x"), 0.0)
    assert score == 0.0 and 0.0 < p_neg < 1.0


def test_training_is_deterministic() -> None:
    rows = [
        Row("Me encantó, gracias", "pos", "es"),
        Row("Excelente atención", "pos", "es"),
        Row("Nunca llegó el pedido", "neg", "es"),
        Row("Pésimo, no compren", "neg", "es"),
        Row("¿Tienen talle M?", "neu", "es"),
        Row("Mañana paso a retirar", "neu", "es"),
    ] * 2
    recipe = Recipe("es", (), use_words=True, c=1.0)
    first, second = (json.dumps(export(*fit(recipe, rows)), sort_keys=True) for _ in range(2))
    assert first == second


def test_spanish_compound_carries_its_positive_and_negative_valence() -> None:
    mixed = spanish_scorer().score("Me encantó pero llegó tarde")
    assert mixed.positive > 0 and mixed.negative > 0
    assert float(mixed) == mixed and -1.0 < mixed < 1.0
    plain = spanish_scorer().score("Mañana paso a retirar")
    assert plain.positive == 0.0 and plain.negative == 0.0
    angry = spanish_scorer().score("Qué asco, odio esto")
    assert angry.negative > 0.5 and angry.positive == 0.0


def test_override_valence_counts_on_its_side() -> None:
    assert spanish_scorer().score("Mañana paso a retirar", 2.0).positive > 0
    assert spanish_scorer().score("Mañana paso a retirar", -2.0).negative > 0


def test_weights_with_fewer_dense_rows_still_predict() -> None:
    """A brand's stored version saved before the valence features were added has four dense rows."""
    model = model_from_json({"languages": {"es": FOUR_ROW_SPEC}})["es"]
    assert (
        model.predict_with_negative(Prepared("Me encantó"), spanish_scorer().score("Me encantó"))[0] == "pos"
    )


def test_spanish_weights_learn_from_our_own_posts() -> None:
    languages = packaged()["languages"]
    assert isinstance(languages, dict)
    provenance = languages["es"]["provenance"]
    assert "es_social/train.csv" in provenance["trained_on"]
    assert "es_social/train.csv (out of fold)" in provenance["offsets_tuned_on"]
    assert "data/complaints_es/train.csv" in provenance["trained_on"]
    assert "data/complaints_es/train.csv (out of fold)" in provenance["offsets_tuned_on"]
    assert not any("validation" in name for name in provenance["trained_on"])


def test_a_batch_of_mixed_languages_gets_for_each_text_what_it_gets_alone() -> None:
    # classify_all groups the batch by language and runs each step over a group: every result must still
    # land on its own text, in every language and with a brand's own model for one of them.
    rows = list(csv.DictReader((REPO / "data" / "shop_comments" / "train.csv").open(encoding="utf-8")))[:150]
    texts = [row["text"] for row in rows] + ["😡😡", "👍", "", "12345", "Merci beaucoup pour tout"]
    texts = [texts[k] for k in random.Random(7).sample(range(len(texts)), len(texts))]
    spanish = load_models()["es"]
    brand = {"es": replace(spanish, offsets=(spanish.offsets[0] + 1.0, *spanish.offsets[1:]), tag="v1")}
    for models in (None, brand):
        batch = triage_texts(texts, models=models)
        alone = [triage_texts([text], models=models)[0] for text in texts]
        assert batch == alone
        assert {r.lang for r in batch} == {"es", "en", "other"}
    assert {r.scorer for r in triage_texts(texts, models=brand)} >= {"brand-es", "hybrid-en"}
