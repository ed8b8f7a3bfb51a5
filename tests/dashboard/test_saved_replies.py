"""Saved replies: the ones that fit the item come first, rendered with the customer's name and form of address."""

from __future__ import annotations

import pytest

from social_listen.errors import SocialListenError
from social_listen.inbox_admin import save_reply_template
from social_listen.inbox_replies import greeting_name, render_reply, saved_replies_for
from social_listen.store import Store
from tests.dashboard.seed import Seeded, seed


@pytest.fixture
def seeded(store: Store) -> Seeded:
    return seed(store)


def titles(seeded: Seeded, language: str | None, intents: tuple[str, ...], rating: float | None) -> list[str]:
    found = saved_replies_for(seeded.store.engine, seeded.brand_id, language, intents, rating)
    return [r["title"] for r in found]


def test_saved_replies_follow_intent_language_and_rating(seeded: Seeded) -> None:
    assert titles(seeded, "es", ("not_received", "no_answer"), None) == ["Pedido retrasado"]
    assert titles(seeded, "en", ("payment", "return_refund"), None) == ["Refund"]
    assert titles(seeded, "es", (), 5.0) == ["Gracias por la reseña"]
    assert titles(seeded, "es", (), 1.0) == ["Sentimos la mala experiencia"]
    assert titles(seeded, "es", (), 3.0) == []


def test_general_saved_replies_come_after_those_for_the_intent(seeded: Seeded) -> None:
    save_reply_template(
        seeded.store.engine, seeded.users["ana"], {"title": "A general one", "text": "Hola {name}"}
    )
    assert titles(seeded, "es", ("return_refund",), None) == ["Reembolso", "A general one"]


def test_register_limits_saved_replies_written_for_one_form(seeded: Seeded) -> None:
    engine, ana = seeded.store.engine, seeded.users["ana"]
    save_reply_template(engine, ana, {"title": "Formal", "text": "Estimado {name}", "register": "usted"})
    found = saved_replies_for(engine, seeded.brand_id, "es", (), None, register="vos")
    assert "Formal" not in [r["title"] for r in found]
    with pytest.raises(SocialListenError):
        save_reply_template(engine, ana, {"title": "Bad", "text": "x", "register": "vosotros"})
    with pytest.raises(SocialListenError):
        save_reply_template(engine, ana, {"title": "Bad", "text": "x", "min_rating": 4, "max_rating": 2})


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        ("tu", "Hola María, escríbenos por privado."),
        ("usted", "Hola María, escríbanos por privado."),
        ("vos", "Hola María, escribinos por privado."),
    ],
)
def test_reply_uses_tu_usted_or_vos(register: str, expected: str) -> None:
    template = "Hola {name}, {escríbenos|escríbanos|escribinos} por privado."
    assert render_reply(template, name="María", register=register) == expected


def test_two_option_groups_use_the_tu_form_for_vos() -> None:
    assert render_reply("¿{Puedes|Puede} {name}?", name="Leo", register="vos") == "¿Puedes Leo?"


def test_missing_name_leaves_no_gap_and_product_is_filled() -> None:
    text = render_reply("¡Gracias {name}! Nos alegra que te guste {product}.", product="la chaqueta")
    assert text == "¡Gracias! Nos alegra que te guste la chaqueta."


def test_unknown_placeholders_and_braces_stay_as_written() -> None:
    assert render_reply("Código {code} y {} ok", name="x") == "Código {code} y {} ok"


def test_greeting_name_is_the_first_word_without_at() -> None:
    assert greeting_name("@maria_87") == "maria_87"
    assert greeting_name("María López") == "María"
    assert greeting_name("  ") == ""
