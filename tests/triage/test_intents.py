"""Shop intents in Spanish and English, multi-label."""

from __future__ import annotations

import pytest

from social_listen.triage import INTENTS
from social_listen.triage.intents import detect_intents
from tests.triage.helpers import triage


def intents(text: str) -> tuple[str, ...]:
    """Intents of a text read as neutral."""
    return detect_intents(text, "neu")


def test_question_detected_with_alguien_sabe() -> None:
    assert "question" in intents("Alguien sabe si hacen envíos a Salta")


def test_question_detected_with_hay_talla() -> None:
    assert "question" in intents("hay talla M del buzo negro")


def test_question_detected_from_marks_in_both_languages() -> None:
    assert "question" in intents("¿El envío es gratis")
    assert "question" in intents("is it waterproof?")


def test_english_question_without_mark() -> None:
    assert "question" in intents("anyone know if the mugs are dishwasher safe")


def test_statement_is_not_a_question() -> None:
    assert "question" not in intents("Ya hice el pedido, quedo atenta al mail")
    assert "question" not in intents("Just placed my order")


@pytest.mark.parametrize(
    ("intent", "spanish", "english"),
    [
        ("shipping", "El correo se demoró diez días en despachar", "Tracking hasn't updated in a week"),
        ("not_received", "Nunca me llegó el pedido", "My package never arrived"),
        ("return_refund", "Quiero la devolución de mi plata", "When will I get my refund"),
        ("payment", "Me debitaron dos veces de la tarjeta", "My card was charged twice"),
        ("size_fit", "El talle M me queda enorme", "The medium runs small"),
        ("stock", "¿Cuándo reponen el vestido verde? Está agotado", "Please restock the sage green"),
        (
            "price_discount",
            "¿El cupón de descuento sirve en rebajas?",
            "Does the promo code work on sale items",
        ),
        ("invoice", "Necesito factura A con mi CUIT", "Can you send me a VAT invoice"),
        ("defective", "La campera vino con el cierre roto", "The zipper broke after one wash"),
        ("no_answer", "Nadie contesta los mensajes", "No reply to my emails"),
        ("scam", "Son unos estafadores, no compren", "This is a scam, do not order"),
        ("spam", "Sígueme y gana dinero desde casa con cripto", "Check out my page for cheap followers"),
    ],
)
def test_each_intent_in_spanish_and_english(intent: str, spanish: str, english: str) -> None:
    assert intent in intents(spanish)
    assert intent in intents(english)


def test_a_message_can_carry_several_intents() -> None:
    found = intents("Pedí un M y me queda enorme, ¿cómo hago el cambio? Tampoco me contestan")
    assert {"size_fit", "return_refund", "question", "no_answer"} <= set(found)


def test_praise_needs_positive_sentiment() -> None:
    assert "praise" in triage("Me encantó la remera, súper recomendable").intents
    assert "praise" not in triage("La remera llegó rota").intents


def test_intents_come_in_a_stable_order() -> None:
    found = intents("¿Hay stock del talle L? ¿Cuánto sale el envío?")
    assert list(found) == [name for name in INTENTS if name in found]


def test_words_inside_other_words_do_not_trigger() -> None:
    assert "shipping" not in intents("Me encanta la reenvioteca")  # no word starts with 'envi'
    assert "payment" not in intents("Compré un pagoda de madera")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("pedí la mochila azul marino y me llegó celeste 😒", "defective"),  # the wrong item
        ("pedí talla 40 y me mandaron 38", "defective"),
        ("la cartera es de otro color, la de la foto era camel", "defective"),
        ("el pedido llegó incompleto, faltan dos camisetas", "defective"),
        ("el cochecito vino sin una rueda", "defective"),
        ("el vestido llegó con el cierre dañado", "defective"),  # ñ is kept by the folding
        ("la freidora dejó de calentar a los 10 días", "defective"),
        ("el yogur llegó vencido", "defective"),
        ("hace 12 días que el pedido sigue 'en preparación'", "not_received"),
        ("9 días 'en ruta', ni que viniera de la Antártida", "shipping"),
        ("pedí 6 alfajores y vinieron 5", "not_received"),
        ("me dejaron el paquete en la casa del vecino", "not_received"),
        ("os he escrito 5 veces y ni caso", "no_answer"),
        ("tres correos y cero respuesta", "no_answer"),
        ("llevo una hora al teléfono y me han colgado dos veces", "no_answer"),
        ("'mañana le llega' me dijeron hace 4 días", "shipping"),  # ñ kept by the folding
    ],
)
def test_spanish_complaints_in_flat_words_carry_their_intent(text: str, intent: str) -> None:
    assert intent in intents(text)


@pytest.mark.parametrize(
    "text",
    [
        "Pedí el viernes y llegó el martes, todo bien",  # ordered and arrived: no wrong item
        "El termo no gotea en la mochila",
        "La alfombra no suelta pelusa",
        "Llegó sin problemas y bien embalado",
        "Qué falta de respeto",  # 'falta' of manners, not of an item
        "Ya no hay esperanza para mi equipo",  # 'ya no hay' without an item
        "Pedí la funda y me llegó en dos días, genial",
        "Pedí la funda y me llegó súper rápido",
        "Llegó sin golpes, muy bien embalado",
        "Nada que ver con la tienda de antes, mucho mejor",
        "¿Lo tienen de otro color?",
        "No le falta nada, es perfecto",
        "Faltan 2 días para el Black Friday",
        "Tengo la factura vencida, ¿me mandan otra?",
        "La quiero en color crudo",
        "¿No cierra los domingos la tienda?",
        "No suena nada mal este parlante",
        "Llegaron 2 días antes de lo previsto, gracias",
    ],
)
def test_praise_or_other_talk_near_those_words_is_not_a_defect_or_stock_issue(text: str) -> None:
    assert not {"defective", "stock", "not_received"} & set(intents(text))


@pytest.mark.parametrize(
    "text",
    ["¿Alguien atiende el local los domingos?", "¿Cómo se cuelgan las lámparas?", "Lo tengo colgado en la pared",
     "Me pasaron con 20% de descuento"],
)  # fmt: skip
def test_a_question_or_a_remark_with_service_words_is_not_nobody_answering(text: str) -> None:
    assert "no_answer" not in intents(text)


@pytest.mark.parametrize(
    "text",
    [
        "El código BIENVENIDA15 no me aplica",
        "el cupón no funciona",
        "no me toma el descuento",
        "me cobraron sin el descuento",
        "Hola! El código no me funciona en la web, ¿me ayudan?",
        "Puse el código VERANO20 y dice inválido",
        "No me toma el código en el carrito",
        "no me deja aplicar el código, sale error",
        "El código que me mandaron por mail está vencido",
        "¿Me sirve el código de primera compra si ya compré en tienda?",
        "the discount code doesn't work",
        "my coupon isn't applying",
        "promo code invalid at checkout",
        "code SPRING15 says 'invalid' though your email came yesterday",
        "the code won't apply at checkout",
        "my code isn’t working on the app",
        "the voucher code you sent me has expired",
    ],
)
def test_a_discount_code_that_does_not_apply_is_about_price_and_discount(text: str) -> None:
    assert "price_discount" in intents(text)


@pytest.mark.parametrize(
    "text",
    [
        "No me llega el código de verificación para entrar a mi cuenta",
        "El código de seguimiento no funciona en la web del correo",
        "El código QR del manual no funciona",
        "¿Cuál es el código postal para envíos a Quito?",
        "Me mandaron el código de seguimiento AB123456789ES",
        "the app said my zip code is invalid",
        "the QR code you emailed won't scan",
        "my 2FA code is not working",
        "the security code on my card was rejected",
        "error code E04 on the washing machine",
        "Ya les mandé el voucher de la transferencia",  # a payment receipt
    ],
)
def test_other_codes_that_fail_are_not_about_a_discount(text: str) -> None:
    assert "price_discount" not in intents(text)


def test_a_discount_code_that_does_not_apply_is_a_complaint_about_the_discount() -> None:
    for text in ("El código BIENVENIDA15 no me aplica", "No me toma el código en el carrito",
                 "my code isn't working on the app"):  # fmt: skip
        result = triage(text)
        assert result.sentiment_label == "neg", text
        assert "price_discount" in result.intents, text
    # A question about a code stays a question.
    assert triage("¿Me sirve el código de primera compra si ya compré en tienda?").sentiment_label == "neu"
