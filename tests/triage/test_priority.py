"""Reply priority: who to answer first, and why, in words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from social_listen.triage import TriageResult, priority
from tests.triage.helpers import PLAIN, triage


def result(label: str = "neu", score: float = 0.0, intents: tuple[str, ...] = ()) -> TriageResult:
    """A triage result built by hand."""
    return TriageResult(lang="es", sentiment_label=label, sentiment_score=score, intents=intents, scorer="t")


def test_negative_not_received_outranks_praise() -> None:
    complaint = triage("Hace dos semanas que compré y nunca me llegó nada, nadie responde")
    praise = triage("Me encantó todo, gracias!")
    assert priority(complaint, **PLAIN, vip=False)[0] > priority(praise, **PLAIN, vip=False)[0]


def test_reasons_read_like_a_sentence() -> None:
    _, reasons = priority(
        result("neg", -0.8, ("shipping", "not_received")),
        rating=None, like_count=340, follower_count=None, hours_open=50.0, sla_hours_left=None, vip=True,
    )  # fmt: skip
    assert reasons == "negative · order not received · shipping · 2 days open · 340 likes · VIP"


def test_low_rating_raises_priority_and_says_so() -> None:
    low, reasons = priority(result(), **{**PLAIN, "rating": 1.0}, vip=False)
    high, _ = priority(result(), **{**PLAIN, "rating": 5.0}, vip=False)
    assert low > high
    assert "rated 1★" in reasons


def test_overdue_sla_raises_priority() -> None:
    overdue, reasons = priority(result(), **{**PLAIN, "sla_hours_left": -1.0}, vip=False)
    relaxed, _ = priority(result(), **{**PLAIN, "sla_hours_left": 20.0}, vip=False)
    assert overdue > relaxed
    assert "SLA overdue" in reasons


def test_spam_goes_to_the_bottom() -> None:
    spam, _ = priority(result("neu", 0.0, ("spam",)), **PLAIN, vip=False)
    question, _ = priority(result("neu", 0.0, ("question",)), **PLAIN, vip=False)
    assert spam < question


def test_vip_adds_priority() -> None:
    assert priority(result(), **PLAIN, vip=True)[0] > priority(result(), **PLAIN, vip=False)[0]


def test_big_audiences_are_named() -> None:
    _, reasons = priority(result(), **{**PLAIN, "follower_count": 125_000}, vip=False)
    assert "125k followers" in reasons


@given(
    likes=st.integers(min_value=0, max_value=10**7),
    more=st.integers(min_value=1, max_value=10**6),
    hours=st.floats(min_value=0, max_value=24 * 60),
)
def test_priority_never_drops_with_more_likes_or_waiting(likes: int, more: int, hours: float) -> None:
    base = {**PLAIN, "hours_open": hours}
    neg = result("neg", -0.5, ("question",))
    assert (
        priority(neg, **{**base, "like_count": likes + more}, vip=False)[0]
        >= priority(neg, **{**base, "like_count": likes}, vip=False)[0]
    )
    assert (
        priority(neg, **{**base, "hours_open": hours + 1}, vip=False)[0]
        >= priority(neg, **base, vip=False)[0]
    )
