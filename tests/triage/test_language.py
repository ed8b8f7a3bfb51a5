"""Language identification restricted to the brand's languages."""

from __future__ import annotations

import pytest

from social_listen.triage.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hace 15 días que compré y todavía no me llegó nada", "es"),
        ("¿Tenés el buzo en talle L?", "es"),
        ("Sos un genio, quedó hermoso", "es"),
        ("gracias!", "es"),
        ("Muy padre", "es"),
        ("Ordered two weeks ago and still nothing", "en"),
        ("thanks!", "en"),
        ("Love it", "en"),
        ("@user https://t.co/xyz where is my order", "en"),
    ],
)
def test_spanish_and_english_are_told_apart(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["😡😡😡", "👍", "12345", "https://example.com", "", "!!!"])
def test_texts_without_letters_are_other(text: str) -> None:
    assert detect_language(text) == "other"


def test_a_single_brand_language_is_used_for_any_text() -> None:
    assert detect_language("Still waiting for my order", ["es"]) == "es"


def test_languages_outside_spanish_and_english_report_other() -> None:
    assert detect_language("Obrigado pela entrega rápida, adorei o produto", ["es", "pt"]) == "other"
    assert detect_language("Muchas gracias por la entrega rápida", ["es", "pt"]) == "es"
