"""Spanish 'tarde' as the afternoon and 'más tarde' as later (scorer 1.1.8): a time of day in a delivery note is
no delay, while a parcel that arrived late stays a complaint."""

from __future__ import annotations

import pytest

from social_listen.triage.spanish import spanish_scorer
from tests.triage.helpers import triage


def lexicon_score(text: str) -> float:
    """Score from the Spanish lexicon scorer alone (no learned layer)."""
    return spanish_scorer().score(text)


@pytest.mark.parametrize(
    "text",
    [
        "A las 5 de la tarde me llamaron",
        "Ayer a la tarde me llegó el pedido",  # AR/UY
        "Mañana a la tarde me lo traen",  # AR/UY
        "Hoy en la tarde llega mi pedido",  # MX/CO
        "Me lo dejaron el martes en la tarde con el portero",  # MX/CO
        "Esta tarde paso a retirarlo",
        "Me lo dejaron toda la tarde en la puerta",
        "Por las tardes trabajo, ¿se puede retirar el sábado?",
        "¿Entregan por la tarde?",
        "Mañana tarde paso por la tienda",  # ES
        "Te escribo más tarde",
        "Más tarde lo reviso",
        "Les llega a más tardar el viernes",
        "Lo pedí temprano y llegó a la tarde",
    ],
)
def test_the_afternoon_and_later_are_neutral_and_not_flagged(text: str) -> None:
    result = triage(text)
    assert result.sentiment_label == "neu"
    assert not result.negative


@pytest.mark.parametrize(
    "text",
    [
        "Llegó tarde y mal",
        "El pedido llegó tarde",
        "Llegaron tarde los zapatos, ya había pasado el cumple",
        "Llega tarde siempre, no vuelvo a comprar",
        "Demasiado tarde, ya pasó el cumpleaños",
        "Muy tarde llegó el paquete",
        "Llegó más tarde de lo prometido",
        "Llegó dos días más tarde de lo prometido",
        "Se me hizo tarde para el regalo por culpa del envío",
        "Llegó tres días tarde y encima a otra dirección",
        "Estuve toda la tarde esperando al repartidor y nunca vino",
        "Me dijeron que llegaba por la tarde y nunca llegó",
    ],
)
def test_late_deliveries_stay_negative(text: str) -> None:
    result = triage(text)
    assert result.sentiment_label == "neg"
    assert result.negative


def test_a_time_of_day_carries_no_valence_in_the_lexicon() -> None:
    for with_time, without in [
        ("A las 5 de la tarde me llamaron", "A las 5 me llamaron"),
        ("Pasé ayer a la tarde y estaba cerrado", "Pasé ayer y estaba cerrado"),
        ("Lo recibí en la tarde, todo bien", "Lo recibí, todo bien"),
        ("Esta tarde paso a retirarlo", "Paso a retirarlo"),
        ("Te escribo más tarde", "Te escribo"),
    ]:
        assert lexicon_score(with_time) == pytest.approx(lexicon_score(without))
    assert lexicon_score("ya es tarde") < 0
    assert lexicon_score("ya está tarde") < 0  # accents are optional: not 'esta tarde'
    assert lexicon_score("no tardes en responder") > 0  # 'tardes' alone stays the verb


def test_a_shop_found_closed_is_the_complaint_not_the_afternoon() -> None:
    result = triage("Pasé ayer a la tarde y estaba cerrado")
    assert result.sentiment_label == "neg"
    assert result.negative
    assert lexicon_score("Pasé ayer a la tarde y estaba cerrado") == pytest.approx(
        lexicon_score("Pasé ayer y estaba cerrado")
    )
    assert lexicon_score("Cerrado los domingos?") == 0.0
    assert triage("La caja venía cerrada y sellada, todo perfecto").sentiment_label == "pos"


def test_afternoon_praise_stays_positive() -> None:
    assert triage("El pedido llegó en la tarde, perfecto").sentiment_label == "pos"
    assert triage("Pedí en la mañana y en la tarde ya tenía mis tenis, chido").sentiment_label == "pos"
