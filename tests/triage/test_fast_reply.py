"""The fast-reply flag: negative labels, and complaints in flat words that the label calls neutral."""

from __future__ import annotations

from pathlib import Path

import pytest

from social_listen.triage import TriageResult, eval_csv, priority, score_csv, sentiment
from social_listen.triage.sentiment import FAST_REPLY_P_NEG, classify
from social_listen.triage.text import Prepared
from tests.triage.helpers import PLAIN, triage
from tests.triage.test_csv import read_csv, write_csv

# Invented posts: a broken link reported flatly, and a question that is no complaint.
FLAT_COMPLAINT = "@NorthwindShop the tracking link in your email goes to a 404 page"
PLAIN_QUESTION = "@NorthwindShop can I pay with PayPal?"


def test_a_flat_english_complaint_stays_neutral_for_the_trends_but_is_flagged_for_a_fast_reply() -> None:
    result = triage(FLAT_COMPLAINT)
    assert (result.lang, result.sentiment_label) == ("en", "neu")
    assert result.fast_reply is True and result.negative is True


def test_a_plain_question_is_not_flagged() -> None:
    result = triage(PLAIN_QUESTION)
    assert result.sentiment_label == "neu" and result.negative is False


def test_every_negative_label_is_flagged_in_both_languages() -> None:
    for text in ("Nunca llegó mi pedido y nadie contesta", "Worst shop ever, my parcel never came"):
        result = triage(text)
        assert result.sentiment_label == "neg" and result.negative is True


def test_positive_messages_are_never_flagged_and_a_clear_spanish_question_is_not_either() -> None:
    # Praise by a negated product flaw ('no es grasoso': the flaw must be a known word, or the bare 'no'
    # reads as a complaint), an English thanks and a plain question.
    texts = ("Buenazo el protector, no es grasoso y aguanta el sol de Lima", "Love it, thank you!",
             "¿Hacen envíos a Rosario?")  # fmt: skip
    for text in texts:
        result = triage(text)
        assert result.sentiment_label in ("pos", "neu") and result.negative is False


class FixedModel:
    """A brand model that answers one label and P(neg) for every text."""

    def __init__(self, label: str, p_neg: float) -> None:
        self.label, self.p_neg = label, p_neg

    def predict_with_negative(
        self, prepared: Prepared, compound: float, dense: tuple[float, ...] | None = None
    ) -> tuple[str, float, float]:
        return self.label, 0.0, self.p_neg


def _flagged(lang: str, label: str, p_neg: float, brand: bool, monkeypatch: pytest.MonkeyPatch) -> bool:
    """The flag for a text the (brand's own or packaged) model reads as label with this P(neg)."""
    model = FixedModel(label, p_neg)
    if brand:
        return classify(Prepared("Me llegó el pedido"), lang, models={lang: model}).fast_reply  # type: ignore[dict-item]
    monkeypatch.setattr(sentiment, "load_models", lambda: {lang: model})
    return classify(Prepared("Me llegó el pedido"), lang).fast_reply


@pytest.mark.parametrize("brand", [False, True], ids=["packaged model", "brand model"])
def test_only_a_neutral_label_is_flagged_by_its_p_neg_and_only_from_the_cut_off(
    brand: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert set(FAST_REPLY_P_NEG) == {"es", "en"}
    for lang, cut in FAST_REPLY_P_NEG.items():
        assert _flagged(lang, "neu", cut, brand, monkeypatch)
        assert not _flagged(lang, "neu", cut - 0.01, brand, monkeypatch)
        assert not _flagged(lang, "pos", 0.49, brand, monkeypatch)
        assert _flagged(lang, "neg", 0.34, brand, monkeypatch)


def test_a_late_delivery_reads_as_a_shipping_complaint_in_spanish() -> None:
    result = triage("El pedido llegó tarde")
    assert "shipping" in result.intents and result.negative is True


def test_a_result_built_without_a_flag_follows_its_label() -> None:
    made = TriageResult(lang="es", sentiment_label="neg", sentiment_score=-0.5, intents=(), scorer="t")
    assert made.negative is True
    assert (
        TriageResult(lang="es", sentiment_label="neu", sentiment_score=0.0, intents=(), scorer="t").negative
        is False
    )


def test_a_flagged_neutral_message_ranks_like_a_mild_complaint_and_says_why() -> None:
    flagged, plain = triage(FLAT_COMPLAINT), triage(PLAIN_QUESTION)
    flagged_points, reasons = priority(flagged, **PLAIN, vip=False)
    assert flagged_points > priority(plain, **PLAIN, vip=False)[0]
    assert reasons.startswith("likely complaint")


def test_score_csv_writes_the_flag_into_the_negative_column(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", [{"text": FLAT_COMPLAINT}, {"text": PLAIN_QUESTION}])
    score_csv(src, tmp_path / "out.csv")
    complaint, question = read_csv(tmp_path / "out.csv")
    assert (complaint["sentiment_label"], complaint["negative"]) == ("neu", "true")
    assert (question["sentiment_label"], question["negative"]) == ("neu", "false")


def test_eval_counts_a_flagged_complaint_as_found_while_the_label_misses_it(tmp_path: Path) -> None:
    gold = write_csv(tmp_path / "gold.csv", [
        {"text": FLAT_COMPLAINT, "label": "neg"},
        {"text": PLAIN_QUESTION, "label": "neu"},
    ])  # fmt: skip
    report = eval_csv(gold)
    assert report["negative"] == {"precision": 1.0, "recall": 1.0}
    assert report["per_class"]["neg"]["recall"] == 0.0
