"""Properties that hold for any input text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from social_listen.triage import INTENTS, TRIAGE_VERSION, triage_texts


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=5))
def test_any_text_gets_a_well_formed_result(texts: list[str]) -> None:
    results = triage_texts(texts)
    assert len(results) == len(texts)
    for result in results:
        assert result.lang in {"es", "en", "other"}
        assert result.sentiment_label in {"neg", "neu", "pos"}
        assert -1.0 <= result.sentiment_score <= 1.0
        assert set(result.intents) <= set(INTENTS)
        assert result.version == TRIAGE_VERSION and result.scorer


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=120))
def test_triage_is_deterministic(text: str) -> None:
    assert triage_texts([text]) == triage_texts([text])
