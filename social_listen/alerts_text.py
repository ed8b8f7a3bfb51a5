"""What alerts and the daily digest say, in the brand's language (Spanish or English; others get English)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from social_listen.sla import format_duration

LANGUAGES = ("es", "en")
MAX_LINES = 10
EXCERPT = 140

TITLES: dict[str, dict[str, str]] = {
    "es": {
        "new_negative": "{count} {noun} — {brand}",
        "sla_at_risk": "{count} {noun} cerca del plazo de respuesta — {brand}",
        "sla_breached": "{count} {noun} fuera del plazo de respuesta — {brand}",
        "reply_window": "{count} {noun} con la ventana de respuesta de la plataforma a punto de cerrarse — {brand}",
        "negative_spike": "Pico de negativos: {count} hoy (lo normal: {rate} al día) — {brand}",
        "first_negative_review": "Primera reseña negativa en {days} días — {brand}",
        "quota_exhausted": "Cuota de la API agotada en {source} hasta {until}",
        "source_failing": "La fuente {source} falla ({count} intentos seguidos)",
        "digest": "Resumen diario de {brand} — {date}",
    },
    "en": {
        "new_negative": "{count} {noun} — {brand}",
        "sla_at_risk": "{count} {noun} close to the response target — {brand}",
        "sla_breached": "{count} {noun} past the response target — {brand}",
        "reply_window": "{count} {noun} whose platform reply window is about to close — {brand}",
        "negative_spike": "Negative spike: {count} today (usual: {rate} a day) — {brand}",
        "first_negative_review": "First negative review in {days} days — {brand}",
        "quota_exhausted": "API quota exhausted for {source} until {until}",
        "source_failing": "Source {source} is failing ({count} runs in a row)",
        "digest": "Daily summary for {brand} — {date}",
    },
}
NOUNS = {
    # The rule counts items flagged for a fast reply: negative ones and complaints in flat words.
    "es": {"new_negative": ("comentario nuevo para responder rápido", "comentarios nuevos para responder rápido"),
           "item": ("mensaje", "mensajes")},
    "en": {"new_negative": ("new item to answer fast", "new items to answer fast"), "item": ("item", "items")},
}  # fmt: skip
MORE = {"es": "… y {n} más", "en": "… and {n} more"}
DIGEST: dict[str, dict[str, Any]] = {
    "es": {"open": "{n} sin responder", "neg": ("{n} negativo", "{n} negativos"),
           "median": "tiempo mediano de respuesta {t}", "no_median": "sin respuestas en 7 días",
           "sla": "{at_risk} cerca del plazo · {breached} fuera de plazo",
           "window": "negativos de las últimas 24 h; tiempo mediano de los últimos 7 días"},
    "en": {"open": "{n} unanswered", "neg": ("{n} negative", "{n} negative"),
           "median": "median response time {t}", "no_median": "no responses in 7 days",
           "sla": "{at_risk} close to the target · {breached} past the target",
           "window": "negatives of the last 24 h; median over the last 7 days"},
}  # fmt: skip
SPIKE_BODY = {
    "es": "{count} negativos desde medianoche; en los últimos {days} días hubo {base} (probabilidad {p:.2g}).",
    "en": "{count} negatives since midnight; the last {days} days had {base} (probability {p:.2g}).",
}


def language_of(languages: Sequence[str]) -> str:
    """The brand's first language if alerts speak it, else English."""
    first = languages[0] if languages else "en"
    return first if first in LANGUAGES else "en"


def title(rule: str, lang: str, **values: Any) -> str:
    """An alert title in ``lang``; ``count`` picks the noun's singular or plural."""
    count = int(values.get("count", 0) or 0)
    key = "new_negative" if rule == "new_negative" else "item"
    one, many = NOUNS[lang][key]
    return TITLES[lang][rule].format(noun=one if count == 1 else many, **values)


def item_lines(rows: Sequence[Any], lang: str) -> str:
    """One line per item: platform, author, excerpt, link (at most MAX_LINES, then "and N more")."""
    lines = []
    for row in rows[:MAX_LINES]:
        text = " ".join(str(row.text or "").split())
        text = text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
        link = f" {row.url}" if row.url else ""
        lines.append(f"- [{row.platform}] {row.author_name or '?'}: {text}{link}")
    if len(rows) > MAX_LINES:
        lines.append(MORE[lang].format(n=len(rows) - MAX_LINES))
    return "\n".join(lines)


def spike_rate(rate: float, lang: str) -> str:
    """A daily rate with one decimal, with a decimal comma in Spanish."""
    text = f"{rate:.1f}"
    return text.replace(".", ",") if lang == "es" else text


def digest_line(lang: str, waiting: int, negatives: int, median_seconds: float | None) -> str:
    """``3 sin responder · 1 negativo · tiempo mediano de respuesta 2 h 10 min``."""
    words = DIGEST[lang]
    one, many = words["neg"]
    median = words["median"].format(t=format_duration(median_seconds)) if median_seconds is not None else None
    parts = [words["open"].format(n=waiting), (one if negatives == 1 else many).format(n=negatives),
             median or words["no_median"]]  # fmt: skip
    return " · ".join(parts)


def digest_body(lang: str, line: str, at_risk: int, breached: int) -> str:
    """The digest: the summary line, the SLA line, and what the numbers cover."""
    words = DIGEST[lang]
    return "\n".join([line, words["sla"].format(at_risk=at_risk, breached=breached), f"({words['window']})"])


def local_stamp(value: datetime) -> str:
    """``2026-03-02 14:00 UTC`` for titles."""
    return f"{value:%Y-%m-%d %H:%M} UTC"
