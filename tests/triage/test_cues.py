"""Complaint cues (scare quotes, counted waits, ironic praise) and the second stage that weighs them."""

from __future__ import annotations

import numpy as np
import pytest

from social_listen.triage import triage_texts
from social_listen.triage.cues import SERVICE_CUES, complaint_cues, service_cues
from social_listen.triage.intents import matched_intents
from social_listen.triage.learned import (
    DENSE_NAMES,
    LONG_WORDS,
    SECOND_STAGE,
    contrast_features,
    dense_rows,
    load_models,
    long_text_features,
    shop_topic_plain,
)
from social_listen.triage.text import Prepared
from social_listen.triage.train import fit_second_stage


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
    assert cues("it's been 9 days")["counted"]
    assert cues("hace 10 días que espero el reembolso")["counted"]
    assert cues("ya van tres semanas y nada")["counted"]
    assert cues("todavía no llega mi pedido")["counted"]
    assert not cues("see you in 3 hours at the show")["counted"]
    assert not cues("my 2 kids love these boots")["counted"]


NOT_WAITS = (
    "ordered 3 times, staff always helpful",
    "6 months and still works like new",
    "3 months and no complaints, really handy",
    "Lo uso en el gimnasio hace tres meses, la botella no gotea",
    "Todavía no lo probé, apenas lo use les cuento",
    "third time ordering, love it",
    "Selling 2 tickets to the show, dm me",
    "Still nothing beats this kettle, best purchase ever",
    "Still no complaints after a year",
    "after 2 weeks of use I love it",
    "hace 3 meses y me encanta",
    "hace 2 semanas que compré y estoy feliz",
)


def test_counts_that_are_no_wait_are_not_a_cue() -> None:
    for text in NOT_WAITS:
        assert not cues(text)["counted"], text


def test_waits_written_other_ways_are_counted() -> None:
    assert cues("I've been waiting for 3 weeks")["counted"]
    assert cues("it's been over a week")["counted"]
    assert cues("esperando hace 10 días")["counted"]
    assert cues("ya pasaron dos semanas")["counted"]


def test_quoted_product_names_and_sizes_are_not_scare_quotes() -> None:
    assert not cues('Love the "Sunset" colour')["quotes"]
    assert not cues("I ordered it in 'Large' and it fits perfectly")["quotes"]
    # A claim word in a capitalised span is a name: 'the "Express" model', 'the "Original" recipe'.
    assert not cues("Got the 'Express' model, really happy with it")["quotes"]
    assert not cues('The "Original" recipe tastes better, love it')["quotes"]
    assert cues("status says 'Delivered' but nothing here")["quotes"]  # a parcel status in any case
    assert cues("status says 'didn't arrive' and nobody explains")["quotes"]  # an apostrophe inside


def test_praise_is_ironic_only_next_to_evidence_of_a_complaint() -> None:
    assert cues("great, 3 weeks later and my parcel is nowhere")["ironic"]
    assert cues("wow, the 'waterproof' jacket soaked me through")["ironic"]
    assert cues("Genial, llegó roto y nadie responde")["ironic"]
    assert not cues("great service, thanks a lot!")["ironic"]
    assert not cues("Genial, me encantó la campera")["ironic"]
    assert not cues("Nice packaging, shipping was quick")["ironic"]  # a neutral topic is no evidence


def test_the_second_stage_leaves_texts_without_a_complaint_feature_as_they_were() -> None:
    logits = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.2, 0.1]])
    x = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    gold = ["neg", "neg", "neg", "neu"]
    weights = fit_second_stage(logits, x, gold, c=1.0)
    scored = logits + x @ weights
    assert (scored[:3].argmax(axis=1) == 0).all()  # the cue learnt to mean negative
    assert np.allclose(scored[3], logits[3])  # no cue: the first-stage scores, untouched
    assert np.allclose(weights[1], 0.0)  # a feature never seen gets no weight


def stage_rows(lang: str, group: str) -> np.ndarray:
    """The packaged model's dense rows of one second-stage group."""
    model = load_models()[lang]
    return np.array([model.dense[DENSE_NAMES.index(name)] for name in SECOND_STAGE[group]])


def test_packaged_models_weigh_complaint_cues_towards_negative_in_both_languages() -> None:
    for lang in ("en", "es"):
        rows = stage_rows(lang, "complaint")
        cue_rows = rows[-3:]  # scare quotes, counted wait, ironic praise
        assert (cue_rows[:, 0] > cue_rows[:, 2]).all(), lang


def test_packaged_spanish_model_reads_a_contrast_with_mixed_valence_as_neutral() -> None:
    mixed, _ = stage_rows("es", "contrast")
    assert mixed[1] > max(mixed[0], mixed[2])


def test_a_short_mixed_review_with_pero_scores_neutral() -> None:
    [result] = triage_texts(["Fome el libro, pero bien escrito."])
    assert result.sentiment_label == "neu"


def test_contrast_features_need_a_contrast_and_both_valences() -> None:
    from social_listen.triage.spanish import spanish_scorer

    def feats(text: str) -> tuple[float, float]:
        prepared = Prepared(text)
        return contrast_features(prepared, spanish_scorer().score(prepared, 0.0))

    assert feats("Fome el libro, pero bien escrito.")[0] == 1.0
    assert feats("Me encantó, llegó rápido y bien empaquetado.") == (0.0, 0.0)  # no contrast
    assert feats("Lo único malo es la caja, el resto excelente.")[0] == 1.0  # 'lo único' turns it


def test_saved_dense_rows_are_read_by_name_not_by_position() -> None:
    spec = {"dense": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "dense_names": ["cue:scare_quotes", "compound"]}
    rows = dense_rows(spec)
    assert len(rows) == len(DENSE_NAMES)
    assert rows[DENSE_NAMES.index("compound")] == (4.0, 5.0, 6.0)
    assert rows[DENSE_NAMES.index("cue:scare_quotes")] == (1.0, 2.0, 3.0)
    assert rows[DENSE_NAMES.index("question_mark")] == (0.0, 0.0, 0.0)
    # Without names (a version saved before they were stored) rows are read by position.
    assert dense_rows({"dense": [[1.0, 2.0, 3.0]]}) == ((1.0, 2.0, 3.0),)


def test_dense_rows_that_cannot_be_aligned_are_refused() -> None:
    row = [0.1, 0.2, 0.3]
    with pytest.raises(ValueError, match="without dense_names"):
        dense_rows({"dense": [row] * 16})
    with pytest.raises(ValueError, match="names"):
        dense_rows({"dense": [row] * 2, "dense_names": ["compound"]})
    with pytest.raises(ValueError, match="distinct"):
        dense_rows({"dense": [row] * 2, "dense_names": ["compound", "compound"]})


def test_long_text_features_are_zero_for_a_text_of_tweet_length() -> None:
    short = Prepared("Llegó rápido pero la tela es finita")
    assert long_text_features(short, 0.1) == (0.0, 0.0, 0.0)
    words = " ".join(["palabra"] * LONG_WORDS)
    long = Prepared(f"La campera llegó rápido, pero {words}")
    length, contrast, _ = long_text_features(long, 0.1)
    assert length > 0.0
    assert contrast == 1.0


def test_flat_factual_complaints_are_flagged_negative() -> None:
    texts = [
        "@NorthwindGoods 'next day delivery' they said. It's been 9 days",
        "cheers @KettleAndCo, third email this week and not a single reply",
        "wow, the 'leak proof' bottle leaked all over my laptop bag @FlaskFoxUK",
    ]
    results = triage_texts(texts)
    assert [r.sentiment_label for r in results] == ["neg", "neg", "neg"]


def test_a_shop_topic_counts_as_plain_only_without_strong_sentiment() -> None:
    def plain(text: str, compound: float) -> float:
        return shop_topic_plain(matched_intents(Prepared(text)), compound)

    assert plain("you took £39 for delivery on an order I collected in store", -0.1) == 1.0
    assert plain("me cobraron dos veces el envío", 0.0) == 1.0
    assert plain("the delivery was so quick, love it", 0.8) == 0.0  # the lexicon already reads it
    assert plain("see you at the match tonight", 0.0) == 0.0  # no shop topic


def test_size_advice_between_buyers_is_no_plain_shop_topic() -> None:
    def plain(text: str) -> float:
        prepared = Prepared(text)
        return shop_topic_plain(matched_intents(prepared), 0.0, prepared.folded)

    assert plain("Yo uso M y me queda justo, ojo") == 0.0
    assert plain("Me quedaron grandes, mejor pidan media talla menos") == 0.0
    assert plain("las sandalias son un 38 que calza como 36, y la tabla de talles dice otra cosa") == 1.0
    # Size advice does not hide another topic stated plainly.
    assert plain("Yo uso M y me cobraron dos veces el envío") == 1.0


def test_packaged_models_read_a_plain_shop_topic_as_less_neutral_and_english_as_negative() -> None:
    (english,), (spanish,) = stage_rows("en", "shop_topic"), stage_rows("es", "shop_topic")
    assert english[1] < 0 and spanish[1] < 0
    assert english[0] > english[2]


def test_plainly_stated_billing_and_delivery_complaints_are_negative_but_shop_questions_are_not() -> None:
    complaints = [
        "@PlumHouse you took £39 for delivery on an order that was collected in store",
        "@PlumHouse my parcel went to a locker across town and the code doesn't open it",
        "me cobraron dos veces el envío del pedido 4410",
    ]
    questions = ["@PlumHouse do you ship to Portugal?", "@PlumHouse what sizes does the linen shirt come in?",
                 "¿hacen envíos a Córdoba?"]  # fmt: skip
    assert [r.sentiment_label for r in triage_texts(complaints)] == ["neg"] * 3
    assert [r.sentiment_label for r in triage_texts(questions)] == ["neu"] * 3


def service(text: str) -> set[str]:
    """The service cues a text shows, by name."""
    return {name for name, on in zip(SERVICE_CUES, service_cues(Prepared(text)), strict=True) if on}


def test_attempts_and_waits_on_the_service_are_counted_in_both_languages() -> None:
    for text in ("tried 5 times to get through", "for the 5th time, where is my order", "on hold 52 mins now",
                 "3rd transfer and still no answer", "spoke to 3 different people", "ticket opened 19 days ago",
                 "llamé 4 veces y nada", "por tercera vez les escribo", "desde el lunes espero respuesta"):  # fmt: skip
        assert "attempts" in service(text), text
    for text in ("ordered 3 times, staff always helpful", "arrived in 5 min", "third time ordering, love it"):
        assert "attempts" not in service(text), text


def test_a_promise_set_against_what_happened_is_a_cue_but_a_promise_kept_is_not() -> None:
    for text in ("it was meant to arrive on monday", "the rep said 48h", "you promised a call back",
                 "se suponía que llegaba el lunes", "me dijeron que en 3 días"):  # fmt: skip
        assert "broken_promise" in service(text), text
    for text in ("as promised it came friday", "exactly what you promised, thanks"):
        assert "broken_promise" not in service(text), text


def test_a_problem_put_right_is_a_cue_but_one_still_awaited_is_not() -> None:
    for text in ("they replaced it, no fuss", "refunded within a day", "me lo cambiaron sin vueltas",
                 "me devolvieron el dinero al toque"):  # fmt: skip
        assert "resolved" in service(text), text
    for text in ("still not refunded", "never replaced it", "todavía no me devolvieron la plata"):
        assert "resolved" not in service(text), text


def test_packaged_english_model_reads_service_failures_as_negative_and_a_fix_as_positive() -> None:
    attempts, promise, resolved = stage_rows("en", "service")
    assert attempts[0] > max(attempts[1], attempts[2])
    assert promise[0] > max(promise[1], promise[2])
    assert resolved[2] > max(resolved[0], resolved[1])


def test_support_posts_that_count_attempts_or_a_broken_promise_are_flagged_negative() -> None:
    texts = ["@PlumParcel on hold 52 mins now", "@PlumParcel it was meant to arrive on monday",
             "@PlumParcel tried 5 times to get through"]  # fmt: skip
    assert [r.negative for r in triage_texts(texts)] == [True, True, True]


def test_no_fuss_and_hassle_free_read_as_praise_not_as_a_negation() -> None:
    [fuss, hassle] = triage_texts(["they replaced it, no fuss", "hassle free returns, thank you"])
    assert fuss.sentiment_score > 0 and hassle.sentiment_label == "pos"


def _labelled_texts() -> list[str]:
    """Every text of the project's own labelled sets (data/), folded as the cues read them."""
    import csv
    from pathlib import Path

    texts = []
    for path in sorted((Path(__file__).resolve().parents[2] / "data").rglob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            texts.extend(Prepared(row["text"]).folded for row in csv.DictReader(handle) if row.get("text"))
    return texts


@pytest.mark.parametrize("name", ["_COUNTED_RE", "_ATTEMPTS_RE", "_BROKEN_PROMISE_RE", "_RESOLVED_RE"])
def test_a_cue_pattern_skipped_for_lacking_its_keys_would_not_have_matched_any_labelled_text(
    name: str,
) -> None:
    from social_listen.triage import cues as module

    guarded = getattr(module, name)
    texts = _labelled_texts()
    matched = [t for t in texts if guarded.pattern.search(t)]
    assert len(texts) > 5_000 and matched  # the sets are there and the pattern does match some of them
    hidden = [t for t in matched if guarded.search(t) is None]
    assert hidden == [], f"{name}'s keys hide these matches: {hidden[:5]}"
