"""Per-brand overrides: names that carry no sentiment, fixed phrases, extra intents."""

from __future__ import annotations

import pytest

from social_listen.triage import Overrides, TriageConfigError, triage_texts


def triage_with(text: str, data: dict[str, object] | None) -> tuple[str, float, tuple[str, ...]]:
    """Label, score and intents of a text under the given overrides."""
    overrides = Overrides.from_dict(data) if data is not None else None
    result = triage_texts([text], ("es", "en"), overrides)[0]
    return result.sentiment_label, result.sentiment_score, result.intents


def test_brand_name_is_neutral() -> None:
    text = "Compré en Tienda Feliz Hermosa"
    assert triage_with(text, None)[0] == "pos"
    assert triage_with(text, {"neutral": ["Tienda Feliz Hermosa"]})[0] == "neu"


def test_a_shop_that_sells_mate_lists_it_as_neutral_and_its_comments_read_as_written() -> None:
    # The Spanish lexicon reads "mate" as a form of matar; the drink's sellers name it neutral.
    mate = {"neutral": ["mate", "mates"]}
    praise, question = "Compré el mate de calabaza y llegó perfecto", "¿Tienen mate de algarrobo?"
    assert triage_with(praise, None)[0] == "neg" and triage_with(praise, mate)[0] == "pos"
    assert triage_with(question, None)[0] == "neg" and triage_with(question, mate)[0] == "neu"
    assert triage_with("El mate llegó roto", mate)[0] == "neg"
    assert triage_with("Que me mate, no llega nunca el pedido", mate)[0] == "neg"


def test_phrase_override_sets_sentiment() -> None:
    text = "Me muero por esa campera"
    assert triage_with(text, None)[0] != "pos"
    assert triage_with(text, {"phrases": {"me muero por": "pos"}})[0] == "pos"


def test_overrides_ignore_case_and_accents() -> None:
    assert triage_with("ME MUERO POR la campera", {"phrases": {"me muero por": "pos"}})[0] == "pos"
    assert triage_with("Compre en tienda feliz hermosa", {"neutral": ["Tienda Feliz Hermosá"]})[0] == "neu"


def test_intent_override_adds_intent() -> None:
    text = "¿Cuándo es el próximo drop?"
    assert "stock" not in triage_with(text, None)[2]
    assert "stock" in triage_with(text, {"intents": {"drop": "stock"}})[2]


def test_overrides_apply_to_english_texts_too() -> None:
    text = "Ordered from Best Happy Deals Store today"
    assert triage_with(text, None)[0] == "pos"
    assert triage_with(text, {"neutral": ["Best Happy Deals Store"]})[0] == "neu"


@pytest.mark.parametrize(
    "data",
    [{"phrases": {"me muero por": "great"}}, {"intents": {"talle": "sizes"}}],
)
def test_invalid_overrides_say_what_to_fix(data: dict[str, object]) -> None:
    with pytest.raises(TriageConfigError, match="one of"):
        Overrides.from_dict(data)
