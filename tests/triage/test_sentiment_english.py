"""English sentiment: VADER, plus the shop complaints it misses."""

from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from social_listen.triage.english import english_scorer
from tests.triage.helpers import label, triage

VADER = SentimentIntensityAnalyzer()


@pytest.mark.parametrize(
    "text",
    [
        "Still waiting for my order",
        "My package never arrived",
        "No response from support after three emails",
        "Where is my order? It has been two weeks",
        "I was charged twice for the same order",
    ],
)
def test_complaints_vader_reads_as_neutral_are_negative(text: str) -> None:
    assert english_scorer().score(text) < VADER.polarity_scores(text)["compound"]
    assert label(text) == "neg"


def test_praise_is_positive() -> None:
    assert label("Absolutely love my new hoodie, arrived super fast") == "pos"


def test_vader_negation_still_applies() -> None:
    assert english_scorer().score("not good at all") < 0 < english_scorer().score("good")


def test_thanks_for_nothing_is_negative() -> None:
    assert label("Thanks for nothing, still no reply") == "neg"


def test_eye_roll_turns_praise_into_sarcasm() -> None:
    text = "Great, another delay. Love waiting 🙄"
    assert english_scorer().score(text) < 0 < VADER.polarity_scores(text)["compound"]


def test_plain_questions_stay_neutral() -> None:
    assert label("Do you ship to Canada?") == "neu"


@pytest.mark.parametrize(
    ("british", "american"),
    [("The Niebla coat in black is my favourite too.", "The Niebla coat in black is my favorite too."),
     ("My favourites came back in stock", "My favorites came back in stock"),
     ("A favourable review, and rightly so", "A favorable review, and rightly so")],
)  # fmt: skip
def test_british_spellings_vader_lacks_read_like_the_american_ones(british: str, american: str) -> None:
    vader = SentimentIntensityAnalyzer().polarity_scores
    assert vader(british)["compound"] < vader(american)["compound"]  # plain VADER misses the British word
    ours, theirs = triage(british), triage(american)
    assert ours.sentiment_label == theirs.sentiment_label != "neg" and not ours.negative
    assert abs(ours.sentiment_score - theirs.sentiment_score) < 0.05
