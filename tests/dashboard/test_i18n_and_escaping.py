"""Every UI string exists in Spanish and English; untrusted text can never become markup or a link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.i18n import KNOWN_INTENTS, STRINGS, reason_key, reasons
from dashboard.safe import md, url
from social_listen.inbox import FACETS
from social_listen.inbox_actions import BULK_ACTIONS
from social_listen.inbox_replies import REGISTERS
from social_listen.model import ANSWERED_BY, ITEM_STATUSES, REPLY_STATUSES, ROLES
from social_listen.triage import TriageResult
from social_listen.triage.priority import INTENT_POINTS, INTENT_REASONS, REASON_TEXTS, priority

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
EVENTS = ("assigned", "unassigned", "note_added", "status_changed", "marked_answered", "reopened", "marked_spam",
          "corrected", "reply_queued", "reply_sent", "reply_resolved_sent", "reply_resolved_retry",
          "reply_resolved_cancel")  # fmt: skip


def keys_used_in_code() -> set[str]:
    found: set[str] = set()
    for source in DASHBOARD.rglob("*.py"):
        found |= set(re.findall(r"""\bt\(["']([a-z_.]+)["']""", source.read_text(encoding="utf-8")))
    return found


def keys_built_from_codes() -> set[str]:
    families = {
        "status": ITEM_STATUSES, "sentiment": ("neg", "neu", "pos", "unknown"), "role": ROLES,
        "register": REGISTERS, "reply.status": REPLY_STATUSES, "reply.settle": ("retry", "sent", "cancel"),
        "reply.explain": ("failed", "uncertain"), "bulk": BULK_ACTIONS, "facet": FACETS, "intent": KNOWN_INTENTS,
        "answered_by": ANSWERED_BY, "event": EVENTS, "action": ("answered", "ignored", "closed", "spam", "reopen"),
        "lock": ("viewing", "drafting", "viewing_long", "drafting_long"), "language": ("es", "en", "unknown"),
        "assignee": ("mine", "none"), "reason": tuple(REASON_TEXTS), "reason.intent": tuple(INTENT_REASONS),
    }  # fmt: skip
    return {f"{family}.{code}" for family, codes in families.items() for code in codes}


def test_every_string_the_ui_uses_exists_in_both_languages() -> None:
    missing = sorted((keys_used_in_code() | keys_built_from_codes()) - set(STRINGS))
    assert missing == []
    assert all(es.strip() and en.strip() for es, en in STRINGS.values())


def test_placeholders_match_between_languages() -> None:
    for key, (es, en) in STRINGS.items():
        assert set(re.findall(r"\{(\w+)\}", es)) == set(re.findall(r"\{(\w+)\}", en)), key


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", "[click](javascript:alert(1))", "**bold** _it_ `code`", ":red[colour] :smile:",
     "$x^2$", "<img src=x onerror=alert(1)>", "# heading", "a\nb\n\n- list"],
)  # fmt: skip
def test_markdown_escaping_leaves_no_markup_character_bare(hostile: str) -> None:
    escaped = md(hostile)
    bare = re.sub(r"\\.", "", escaped)
    assert not set(bare) & set("<>[]()*_`:$#!-") and "\n" not in escaped


def test_markdown_escaping_shortens_long_text() -> None:
    assert md("x" * 50, limit=10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    ("link", "kept"),
    [("https://shop.example/p?id=1", True), ("http://a.example", True), ("javascript:alert(1)", False),
     ("data:text/html,<b>x</b>", False), ("//evil.example", False), ("https://a.example/\" onclick=x", False),
     ("", False), (None, False)],
)  # fmt: skip
def test_only_plain_web_links_are_linked(link: str | None, kept: bool) -> None:
    assert (url(link) is not None) == kept


def test_priority_reasons_read_in_spanish_and_stay_as_written_in_english() -> None:
    stored = "negative · order not received · 2 days open · 340 likes · 12.5k followers · SLA in 3 h · VIP"
    assert reasons(stored, "es") == (
        "negativo · pedido no recibido · 2 días abierto · 340 me gusta · 12.5k seguidores · SLA en 3 h · VIP"
    )
    assert reasons(stored, "en") == stored
    assert (
        reasons("likely complaint · rated 1★ · SLA overdue", "es")
        == "probable queja · valorado 1★ · SLA vencido"
    )
    assert reasons("a reason from a newer version", "es") == "a reason from a newer version"


def test_every_reason_triage_can_write_has_a_translation() -> None:
    written: set[str] = set()
    for label, flagged in (("neg", True), ("neu", True), ("neu", False), ("pos", False)):
        for intents in [(name,) for name in INTENT_POINTS] + [("not_received", "payment", "question")]:
            for rating, likes, followers, hours, sla, vip in (
                (1.0, 340, 12_500, 0.5, 0.4, True), (2.5, 3, 2_000_000, 30.0, -1.0, False),
                (None, 12, None, 60.0, 3.2, False), (None, None, None, 5.0, None, False),
            ):  # fmt: skip
                result = TriageResult("es", label, -0.5, intents, "hybrid-es", "1", fast_reply=flagged)
                _, text = priority(result, rating=rating, like_count=likes, follower_count=followers,
                                   hours_open=hours, sla_hours_left=sla, vip=vip)  # fmt: skip
                written |= set(text.split(" · ")) - {""}
    assert len(written) > 25
    untranslated = sorted(reason for reason in written if reason_key(reason) is None)
    assert untranslated == []
