"""Spanish regional praise, complaints and lukewarm verdicts (scorer 1.1.6), with the near-misses that share
their words and must keep their own reading."""

from __future__ import annotations

import pytest

from social_listen.triage.spanish import spanish_scorer
from tests.triage.helpers import label


def lexicon_score(text: str) -> float:
    """Score from the Spanish lexicon scorer alone (no learned layer)."""
    return spanish_scorer().score(text)


@pytest.mark.parametrize(
    "text",
    [
        "Un lujo la campera, abriga un montón y llegó en dos días",  # AR
        "Una joyita el termo, mantiene el agua caliente toda la tarde",  # AR/UY
        "Bien fregona la batidora, la uso a diario",  # MX
        "Está de pelos la licuadora, muele hielo sin problema",  # MX
        "A toda madre el servicio, me llegó antes de lo prometido",  # MX
        "Un chollo, por ese precio no encuentras nada igual",  # ES
        "De rechupete los polvorones, repetiremos",  # ES
        "Me queda que ni pintado el abrigo",  # ES
        "El vestido me quedó pintado, lo usé en la boda de mi prima",  # CO
        "Está melo el morral, bien resistente",  # CO
        "Es una nota la licuadora, hace los jugos en segundos",  # CO
        "Qué berraquera de tenis, súper cómodos",  # CO
        "Quedó regio el sillón con la funda nueva",  # CL
        "Bkn la polera, la tela es gruesita",  # CL
        "Está paja la casaca, abriga bastante",  # PE
        "Mostro el servicio, me respondieron al toque",  # PE
        "Pura vida, el paquete llegó rapidísimo",  # CR
        "Tuanis la camiseta, el estampado no se borra",  # CR
        "Chilero el morral, lo uso para todo",  # GT
    ],
)
def test_regional_praise_reads_positive(text: str) -> None:
    assert label(text) == "pos"


@pytest.mark.parametrize(
    "text",
    [
        "Un afano lo que cobran de envío",  # AR
        "Una bosta la licuadora, no muele nada",  # AR/UY
        "Pedorro el cargador, no carga ni a palos",  # AR
        "Me metieron la mula con el cargador, no es original",  # AR
        "Qué chingadera, se rompió al primer uso",  # MX
        "Valió madre la licuadora a la semana",  # MX
        "Me fregaron con el envío, me cobraron doble",  # MX
        "Pinche servicio, el pedido nunca llegó",  # MX
        "Chapucero el acabado, las costuras van torcidas",  # ES
        "Funciona de pena, se apaga cada dos por tres",  # ES
        "Estoy berraco, no me responden hace una semana",  # CO
        "La embarraron con mi pedido, me mandaron otro color",  # CO
        "Qué mamera esperar tanto por un envío",  # CO
        "Rasca la tela del suéter, me picó todo el día",  # CL
        "Me metieron el perro, la chaqueta vino usada",  # CL
        "Son bamba, las zapatillas se despegaron al mes",  # PE
        "Huachafo el diseño, nada que ver con la foto",  # PE
        "Qué roche, el regalo llegó abierto",  # PE
        "Me vendieron gato por liebre",  # everywhere
        "La atención de terror, nadie contesta",  # AR/CL
        "Ni de chiste lo vuelvo a comprar",  # MX: no way
    ],
)
def test_regional_complaint_reads_negative(text: str) -> None:
    assert label(text) == "neg"


@pytest.mark.parametrize(
    "text",
    [
        "Regularcito el sabor.",
        "Está equis la funda.",
        "Ni chicha ni limonada.",
        "Cumple sin más.",
        "Sin pena ni gloria.",
        "Pasadero el jabón.",
        "Ni tan tan ni muy muy.",
    ],
)
def test_lukewarm_one_liners_read_neutral(text: str) -> None:
    assert label(text) == "neu"
    assert -0.35 < lexicon_score(text) < 0.35


def test_a_regional_word_outside_its_frame_keeps_its_other_sense() -> None:
    # ES: a fregona is a mop; MX 'fregón' praise needs its own word or frame.
    assert lexicon_score("Compré una fregona y un cubo para la cocina") == 0.0
    assert lexicon_score("Qué fregona la batidora") > 0
    # Melo is a town in Uruguay; 'está melo' is CO praise.
    assert lexicon_score("¿Hacen envíos a Melo, Cerro Largo?") == 0.0
    # A credit note or a voice note is no praise; CO 'es una nota' is.
    assert lexicon_score("¿Me pueden hacer una nota de crédito?") == 0.0
    assert lexicon_score("Es una nota de voz lo que les mandé") == 0.0
    # Hair on the clothes is no praise; MX 'quedó de pelos' is.
    assert lexicon_score("La ropa quedó llena de pelos del gato") <= 0.0
    assert lexicon_score("La fiesta quedó de pelos") > 0
    # ES 'unas bambas' are sneakers; PE 'son bamba' is a fake.
    assert lexicon_score("Unas bambas muy cómodas para el día a día") > 0
    assert lexicon_score("Son bamba, no son originales") < 0


def test_berraco_is_read_only_where_its_sense_is_pinned() -> None:
    # CO: 'qué berraquera' is praise, 'estoy berraco' is anger; 'berraco' alone is left unread.
    assert lexicon_score("Qué berraquera de morral") > 0
    assert lexicon_score("Estoy berraca con el envío") < 0
    assert lexicon_score("Me tienen berraco con tanta demora") < 0
    assert lexicon_score("berraco") == 0.0


def test_bravo_as_angry_or_spicy_is_no_cheer() -> None:
    # '¡Bravo!' cheers; CO/PE 'está bravo' (angry, hard) and MX 'está brava la salsa' (spicy) do not.
    assert lexicon_score("¡Bravo, llegó a tiempo!") > 0
    assert lexicon_score("La salsa está brava") <= 0.0
    assert lexicon_score("Estoy bravo, me cancelaron el pedido") < 0


def test_overcharged_is_no_uruguayan_praise() -> None:
    # UY 'está de más' (great) is left out: 'me cobraron de más' is a complaint.
    assert label("Me cobraron de más en el envío") == "neg"


def test_garments_and_costumes_named_like_praise_or_blame_read_neutral() -> None:
    assert lexicon_score("Me llegó un top negro talla S") == 0.0
    assert lexicon_score("El disfraz de pirata viene en talla 6") == 0.0
    assert lexicon_score("Es pirata, no original") < 0


def test_a_refusal_keeps_its_negation() -> None:
    # 'ni de chiste' (no way) negates as 'ni de coña' does; 'de chiste' alone is a laughable service.
    assert lexicon_score("Ni de chiste") < 0
    assert lexicon_score("Un servicio de chiste") < 0
    # 'ni' before praise still negates it: CL 'ni ahí' is not listed as a phrase of its own.
    assert label("Ni ahí vuelvo a comprar acá, la polera se desarmó") == "neg"


def test_mexican_cañón_is_hard_not_praise() -> None:
    assert lexicon_score("Está cañón armarlo sin instrucciones") < 0
