"""Spanish sentiment: the rules a community manager would expect, on real-looking comments."""

from __future__ import annotations

import pytest

from social_listen.triage.spanish import spanish_scorer
from tests.triage.helpers import label, score, triage


def lexicon_score(text: str) -> float:
    """Score from the Spanish lexicon scorer alone (no learned layer)."""
    return spanish_scorer().score(text)


def test_negated_positive_spanish_is_negative() -> None:
    assert label("No me gustó para nada la campera") == "neg"
    assert lexicon_score("No me gustó") < 0 < lexicon_score("Me gustó")


def test_negation_reaches_over_clitics() -> None:
    assert lexicon_score("No lo recomiendo") < 0 < lexicon_score("Lo recomiendo")


def test_negation_reaches_a_verb_over_clitics_and_an_auxiliary() -> None:
    assert lexicon_score("No se van a arrepentir") > 0 > lexicon_score("Se van a arrepentir")
    assert lexicon_score("No te va a gustar") < 0 < lexicon_score("Te va a gustar")


def test_a_defect_that_did_not_happen_is_no_complaint() -> None:
    assert lexicon_score("La botella no gotea") > 0 > lexicon_score("La botella gotea")
    assert lexicon_score("La pelota se desinfló al día siguiente") < 0


def test_lukewarm_verdicts_read_neutral_not_negative() -> None:
    for text in (
        "Ni fu ni fa el diseño",
        "Cumple, ni más ni menos",
        "No me disgusta",
        "Normal, nada especial",
    ):
        assert lexicon_score(text) > -0.2, text
    assert label("Cero recomendable") == "neg"


def test_neither_end_of_a_scale_is_a_middle_verdict() -> None:
    for text in ("Normal, ni bueno ni malo.", "Ni mejor ni peor", "Ni me gustó ni me disgustó"):
        assert lexicon_score(text) == 0.0, text
    # Halves without opposite sentiment words keep their negation: a lack stated twice is a complaint.
    assert lexicon_score("No tengo ni plata ni pedido") < 0
    assert lexicon_score("Ni funciona ni responden") < 0


def test_neither_very_nor_very_is_a_middle_verdict() -> None:
    # Both halves graded by the same degree word weigh the product between two ends, whatever the words.
    for text in ("Ni muy dulce ni muy salado", "ni tan grande ni tan chico", "Ni muy cómodo ni muy feo"):
        assert lexicon_score(text) == 0.0, text
    assert label("El café es normal, ni muy suave ni muy amargo.") == "neu"
    # One degree word only, or different ones, is no such pair.
    assert lexicon_score("Ni muy bueno ni barato") != 0.0
    assert lexicon_score("Ni tan rico ni muy sano") != 0.0


def test_double_negative_concord_stays_negative() -> None:
    assert lexicon_score("No me gustó nada, no está nada bueno") < 0


def test_negated_negative_softens_to_positive() -> None:
    assert lexicon_score("No está mal") > 0
    assert label("Nunca me decepcionaron") == "pos"


def test_voseo_complaint_is_negative() -> None:
    assert label("Contestá los mensajes, hace una semana que te escribo y no respondés") == "neg"
    assert label("¿Por qué no me respondés? Ya te pagué y no me mandaste nada") == "neg"


def test_usted_complaint_is_negative() -> None:
    assert (
        label("Le he escrito en varias ocasiones sin obtener respuesta, le agradecería una solución") == "neg"
    )


def test_pero_contrast_weights_the_second_clause() -> None:
    assert lexicon_score("Es lindo pero la calidad es mala") < 0
    assert lexicon_score("La calidad es mala pero es lindo") > 0


def test_opening_aunque_clause_weighs_less() -> None:
    assert lexicon_score("Aunque tardó bastante, me encantó") > lexicon_score("Tardó bastante y me encantó")


def test_boosters_strengthen_and_dampeners_soften() -> None:
    plain = lexicon_score("Es lindo")
    assert lexicon_score("Es muy lindo") > plain > lexicon_score("Es un poco lindo")
    assert lexicon_score("Es súper caro") < lexicon_score("Es caro")


def test_rioplatense_re_is_a_booster() -> None:
    assert lexicon_score("re lindo") > lexicon_score("lindo")
    assert lexicon_score("re mal") < lexicon_score("mal")


def test_poco_before_an_adjective_reads_as_not() -> None:
    assert lexicon_score("Muy poco profesional") < 0


def test_laughter_reads_positive() -> None:
    assert lexicon_score("jajaja") > 0
    assert lexicon_score("jajsjs qué lindo") > lexicon_score("qué lindo")


def test_shouting_intensifies() -> None:
    assert lexicon_score("El envío fue MALO") < lexicon_score("El envío fue malo") < 0


def test_exclamation_marks_intensify() -> None:
    assert lexicon_score("Me encantó!!!") > lexicon_score("Me encantó")


def test_accents_and_elongations_are_optional() -> None:
    assert lexicon_score("Llegó rapidísimo") == lexicon_score("llego rapidisimo") > 0
    assert lexicon_score("buenooooo") == lexicon_score("bueno") > 0


def test_superlatives_and_diminutives_are_recognised() -> None:
    assert lexicon_score("carísimo") < lexicon_score("caro") < 0
    assert lexicon_score("lindito") > 0


def test_hashtag_words_count() -> None:
    assert lexicon_score("#NoMeGusta") < 0 < lexicon_score("#MeEncanta")


@pytest.mark.parametrize(
    "text",
    [
        "Re copadas las fundas, ya es la segunda vez que les compro",  # AR
        "Está bien padre la chamarra, llegó rapidísimo",  # MX
        "Mola mucho la nueva colección",  # ES
        "Qué chimba de tenis, parce",  # CO
        "Bacán el servicio, me llegó al otro día",  # CL
        "Bravazo el polo, todo paja",  # PE
        "Un servicio impecable, sin duda volveré a comprar",  # neutral Spanish
    ],
)
def test_regional_praise_is_positive(text: str) -> None:
    assert label(text) == "pos"


@pytest.mark.parametrize(
    "text",
    [
        "Qué bronca, me vendieron algo trucho",  # AR
        "Está bien gacho que no avisen, qué poca madre",  # MX
        "Vaya chapuza, os he escrito tres veces",  # ES
        "Qué boleta, me llegó el pedido de otra persona",  # CO
        "Más fome la atención, nadie pesca",  # CL
        "Charcha la mochila, se rompió al tiro",  # CL
    ],
)
def test_regional_complaint_is_negative(text: str) -> None:
    assert label(text) == "neg"


@pytest.mark.parametrize(
    "text",
    [
        "Todavía no me llegó el pedido",
        "Nadie responde los mensajes",
        "Sigo esperando el reembolso",
        "Me cobraron dos veces la compra",
        "El producto no funciona",
    ],
)
def test_shop_complaint_phrases_are_negative(text: str) -> None:
    assert label(text) == "neg"


def test_eye_roll_turns_praise_into_sarcasm() -> None:
    assert lexicon_score("Excelente servicio, tres semanas esperando el paquete 🙄") < 0
    assert lexicon_score("Excelente servicio, tres semanas esperando el paquete") > lexicon_score(
        "Excelente servicio, tres semanas esperando el paquete 🙄"
    )


def test_gracias_por_nada_is_negative() -> None:
    assert label("Gracias por nada, siguen sin responder") == "neg"


def test_neutral_question_stays_neutral() -> None:
    assert label("¿Tenés el buzo negro en talle L?") == "neu"
    assert label("¿Hacen envíos a Córdoba?") == "neu"


def test_emoji_carry_sentiment_in_spanish_text() -> None:
    assert lexicon_score("El pedido 😡") < 0 < lexicon_score("El pedido 😍")


def test_score_is_bounded_even_for_long_rants() -> None:
    text = "Pésimo, horrible, una estafa, nunca más, " * 30
    assert -1.0 <= score(text) < 0
    assert triage(text).sentiment_label == "neg"


def test_asking_how_long_delivery_takes_is_no_delay_but_a_delay_stated_is() -> None:
    for text in ("¿Cuánto tarda el envío a Pamplona?", "¿Cuántos días hábiles tarda un envío a Salamanca?",
                 "¿Cuánto tiempo demora en llegar a Lima?"):  # fmt: skip
        assert lexicon_score(text) == 0.0, text
    assert lexicon_score("El envío tarda una eternidad") < 0
    assert triage("Hola, ¿cuánto tarda el envío a Pamplona? Lo quiero para una boda.").negative is False


def test_a_product_not_tried_yet_is_no_complaint() -> None:
    for text in ("Aún no lo pruebo", "Llegaron ayer, todavía no los estrené", "Todavía no lo he usado",
                 "Llegó ayer, todavía no abro la caja."):  # fmt: skip
        assert lexicon_score(text) >= 0.0, text
        assert label(text) == "neu", text
    # Not yet received is still a complaint, and a 'no' that is not 'not yet' keeps its weight.
    assert label("Aún no lo he recibido y ya pasaron dos semanas") == "neg"
    assert lexicon_score("No lo probé, vino roto") < 0


def test_a_product_that_still_fails_is_not_a_product_not_tried_yet() -> None:
    # The verbs of trying in the third person with no object are the product failing, not the customer
    # waiting to try it: their 'no' weighs as any bare 'no' ('No abre la app').
    for text in ("Todavía no abre la app", "Desde la actualización todavía no me abre la app",
                 "La app no abre todavía", "Todavía no conecta el bluetooth con el celular",
                 "Todavía no se conecta al wifi", "Todavía no prende la freidora"):  # fmt: skip
        assert lexicon_score(text) < 0, text
        assert label(text) == "neg", text
        assert triage(text).negative is True, text
    assert lexicon_score("Todavía no abre la app") == lexicon_score("No abre la app")
    # Faults and orders that still fail keep their complaint.
    for text in ("Aún no funciona la licuadora que me cambiaron", "No funciona todavía el control remoto",
                 "Todavía no llega mi pedido y ya pasaron diez días", "Sigue sin funcionar el cargador"):  # fmt: skip
        assert label(text) == "neg", text


def test_the_customers_own_not_trying_yet_is_no_complaint_wherever_the_not_yet_goes() -> None:
    for text in ("Aún no lo he probado, llegó ayer", "Todavía no lo estrené, es para el viaje",
                 "No lo usé todavía, después les cuento", "No he abierto la caja todavía, es para regalo",
                 "Todavía no la abrí porque es para regalo", "Todavía no se lo pongo a mi gato"):  # fmt: skip
        assert lexicon_score(text) >= 0.0, text
        assert label(text) == "neu", text
        assert triage(text).negative is False, text
    # Someone else not opening a gift yet is no fault either: the verb has its object ('lo').
    assert lexicon_score("Lo compré para el cumple de mi vieja, todavía no lo abrió") > 0
    # 'aún' in another clause, or no 'not yet' at all, leaves the 'no' as it was.
    assert lexicon_score("No lo probé, aún así me lo quedo") == lexicon_score("No lo probé") < 0
    assert lexicon_score("No lo usé nunca") < 0
    assert label("Todavía no lo probé y ya se le salió un botón") == "neg"


def test_an_elliptic_no_tanto_denies_the_praise_before_it() -> None:
    mixed = lexicon_score("Para el balcón, perfecta; para adentro, no tanto.")
    assert 0 < mixed < lexicon_score("Para el balcón, perfecta.")
    # With a sentiment word of its own, 'no tanto' adds nothing.
    assert lexicon_score("Perfecta, no tanto rica") == lexicon_score("Perfecta, rica")


def test_praise_for_how_fast_a_shop_charges_is_irony() -> None:
    assert label("Muy eficientes para cobrar, no tanto para enviar") == "neg"
    assert lexicon_score("Para cobrarme fueron rapidísimos") < 0 < lexicon_score("Fueron rapidísimos")


def test_a_discount_code_that_does_not_apply_is_a_complaint() -> None:
    assert label("El código BIENVENIDA15 no me aplica") == "neg"
    assert label("No se aplicó el cupón en el carrito y pagué el precio completo") == "neg"
    assert label("¿El cupón de descuento aplica en productos de rebaja?") == "neu"


def test_size_advice_between_buyers_is_neutral_and_a_glove_fit_is_praise() -> None:
    for text in ("Yo uso M y me queda justo, ojo", "Talla un poco grande. Yo uso M y con la S me queda bien.",
                 "Si estás entre dos talles, pedí el más grande"):  # fmt: skip
        assert label(text) == "neu", text
        assert triage(text).negative is False, text
    assert label("Me queda como un guante, repetiré") == "pos"
    # A size the shop got wrong is still a complaint.
    assert label("La talla 44 que me mandasteis es un 42 como mucho") == "neg"
