"""Complaint cues (scare quotes, counted waits, ironic praise) and the second stage that weighs them."""

from __future__ import annotations

import numpy as np

from social_listen.triage import triage_texts
from social_listen.triage.cues import complaint_cues
from social_listen.triage.intents import matched_intents
from social_listen.triage.learned import N_COMPLAINT, load_models
from social_listen.triage.text import Prepared
from social_listen.triage.train import fit_complaint_weights


def cues(text: str) -> dict[str, bool]:
    """The cues of a text by name."""
    prepared = Prepared(text)
    quotes, counted, ironic = complaint_cues(prepared, matched_intents(prepared))
    return {"quotes": bool(quotes), "counted": bool(counted), "ironic": bool(ironic)}


def test_a_word_in_scare_quotes_is_a_cue_but_a_quoted_sentence_is_not() -> None:
    assert cues("my 'express' order took eleven days")["quotes"]
    assert cues("el envío “gratis” me costó 3000 pesos")["quotes"]
    assert not cues('She said: "we will be there at nine and bring the kids with us tomorrow morning"')[
        "quotes"
    ]


def test_waits_and_attempts_counted_are_a_cue_in_both_languages() -> None:
    assert cues("3 weeks and counting @PlumParcel")["counted"]
    assert cues("this is the 4th email I send you")["counted"]
    assert cues("it's day 12 of waiting for the refund")["counted"]
    assert cues("tracking still says nothing")["counted"]
    assert cues("ya van tres semanas y nada")["counted"]
    assert cues("todavía no llega mi pedido")["counted"]
    assert not cues("see you in 3 hours at the show")["counted"]
    assert not cues("my 2 kids love these boots")["counted"]


def test_praise_is_ironic_only_next_to_evidence_of_a_complaint() -> None:
    assert cues("great, 3 weeks and my parcel is nowhere")["ironic"]
    assert cues("wow, the 'waterproof' jacket soaked me through")["ironic"]
    assert cues("Genial, llegó roto y nadie responde")["ironic"]
    assert not cues("great service, thanks a lot!")["ironic"]
    assert not cues("Genial, me encantó la campera")["ironic"]


def test_the_second_stage_leaves_texts_without_a_complaint_feature_as_they_were() -> None:
    logits = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.2, 0.1]])
    x = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    gold = ["neg", "neg", "neg", "neu"]
    weights = fit_complaint_weights(logits, x, gold, c=1.0)
    scored = logits + x @ weights
    assert (scored[:3].argmax(axis=1) == 0).all()  # the cue learnt to mean negative
    assert np.allclose(scored[3], logits[3])  # no cue: the first-stage scores, untouched
    assert np.allclose(weights[1], 0.0)  # a feature never seen gets no weight


def test_packaged_english_model_weighs_the_complaint_features_and_spanish_does_not_yet() -> None:
    models = load_models()
    english = np.array(models["en"].dense[-N_COMPLAINT:])
    assert (english[:, 0] > english[:, 1]).sum() >= N_COMPLAINT - 2  # most point towards negative
    assert np.allclose(np.array(models["es"].dense[-N_COMPLAINT:]), 0.0)


def test_flat_factual_complaints_are_flagged_negative() -> None:
    texts = [
        "@NorthwindGoods 'next day delivery' they said. It's been 9 days",
        "cheers @KettleAndCo, third email this week and not a single reply",
        "wow, the 'leak proof' bottle leaked all over my laptop bag @FlaskFoxUK",
    ]
    results = triage_texts(texts)
    assert [r.sentiment_label for r in results] == ["neg", "neg", "neg"]
