"""The packaged lexicons load, are well formed, and expand to the forms people write."""

from __future__ import annotations

import pytest

from social_listen.triage.inflect import expand
from social_listen.triage.lexicon import read_rows
from social_listen.triage.spanish import spanish_scorer
from social_listen.triage.text import fold

KINDS = {"w", "adj", "adjf", "adjor", "n", "v"}


@pytest.mark.parametrize("name", ["lexicon_es.txt", "lexicon_en.txt", "emoji.txt"])
def test_every_row_is_well_formed(name: str) -> None:
    rows = list(read_rows(name))
    assert rows
    for row in rows:
        assert -4.0 <= float(row[1]) <= 4.0, row
        if len(row) > 2:
            assert row[2] in KINDS, row


@pytest.mark.parametrize(
    "form", ["decepcionadas", "recomendás", "odiás", "odiaron", "carísimas", "geniales", "estafadores"]
)
def test_inflected_forms_are_in_the_spanish_lexicon(form: str) -> None:
    assert fold(form) in spanish_scorer().words


def test_verbs_expand_to_voseo_and_past_forms() -> None:
    forms = {form for form, _ in expand("arruinar", "v")}
    assert {"arruinas", "arruino", "arruinaron", "arruinado", "arruinaba"} <= forms


def test_superlatives_are_stronger_than_the_base_form() -> None:
    strength = dict(expand("rico", "adj"))
    assert strength["riquisimo"] > strength["rico"] == 1.0
