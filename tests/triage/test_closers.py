"""A polite closing in Spanish (courtesy emoji and emoticons, 'gracias', 'un saludo', 'espero vuestra
respuesta', 'quedo atenta') softens a complaint and never turns it into praise; after praise or a problem put
right it still counts."""

from __future__ import annotations

import pytest

from social_listen.triage.engine import CLOSER_SOFTEN
from social_listen.triage.spanish import spanish_scorer
from social_listen.triage.text import Prepared
from tests.triage.helpers import triage

# The demo inbox's comments (scorer 1.1.6 read the first two positive, tagged praise and not flagged).
COMPLAINTS_WITH_CLOSERS = [
    "El código SEMANALUNA no me funciona, dice que está caducado. Lo necesito para el finde. 🙂😊🙏",
    "El código BIENVENIDA15 no me funciona, dice que está caducado. Vivo en Pamplona. Espero vuestra respuesta :)",
    "El código BIENVENIDA15 no me funciona, dice que está caducado. Gracias",
    "El código BIENVENIDA15 no me funciona, dice que está caducado. Quedo atenta, gracias 🙏🏻",
    "El pedido llegó roto, quedo a la espera de vuestra respuesta 🙏🏻❤️",
]


@pytest.mark.parametrize("text", COMPLAINTS_WITH_CLOSERS)
def test_a_complaint_that_closes_politely_stays_a_complaint_and_is_flagged(text: str) -> None:
    result = triage(text)
    assert result.sentiment_label != "pos"
    assert "praise" not in result.intents
    assert result.fast_reply is True


@pytest.mark.parametrize(
    "text",
    [
        "Me encantó 😊🙏",
        "Ya me llegó, gracias 😊",
        "Todo perfecto, muchas gracias :)",
        "Llegó rápido y sin problemas, gracias ❤️",
        "Gracias 😊",
    ],
)
def test_praise_and_thanks_with_closers_stay_positive(text: str) -> None:
    result = triage(text)
    assert result.sentiment_label == "pos"
    assert result.fast_reply is False


def test_the_closing_of_a_complaint_is_not_counted_as_praise_in_the_spanish_lexicon() -> None:
    scorer = spanish_scorer()
    body = "El código BIENVENIDA15 no me funciona, dice que está caducado."
    for closing in (
        " Gracias",
        " Saludos",
        " Espero vuestra respuesta :)",
        " 🙂😊🙏",
        " Quedo atenta, gracias 🙏",
    ):
        assert scorer.score(body + closing) == pytest.approx(scorer.score(body))


def test_a_closing_softens_a_clearly_negative_body_at_most_by_its_share() -> None:
    scorer = spanish_scorer()
    body = "Pésimo servicio, el pedido llegó roto."
    raw_body = scorer.raw_score(body)
    raw = scorer.raw_score(body + " Muchas gracias 😊😊")
    assert raw_body < raw <= raw_body * (1 - CLOSER_SOFTEN) + 1e-9


def test_only_the_closing_counts_as_courtesy() -> None:
    scorer = spanish_scorer()
    # Thanks in the middle of a text, a verdict emoji and a negative emoji are no closing.
    for text in (
        "Gracias por nada, el pedido no llegó",
        "No me llegó el pedido 😡",
        "La luz es medio huachafa pero se puede apagar 🔥",
    ):
        items = scorer.items(Prepared(text))
        assert scorer._closing(items) == len(items)
    # A message that is only a closing keeps its valence.
    assert scorer.score("Gracias 😊") > 0.3


def test_a_bare_negation_is_no_negative_clause_before_a_closing() -> None:
    scorer = spanish_scorer()
    text = "El libro llegó dedicado por la autora, no me lo esperaba, gracias!!"
    assert scorer.score(text) > scorer.score("El libro llegó dedicado por la autora, no me lo esperaba")
