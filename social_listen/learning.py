"""`triage learn`: a brand's own sentiment model, learned from its people's corrections (and optionally a
labelled CSV), cross-validated against the scorer it would replace, recorded as the brand's next version,
and activated only when it is better.

Labels: the latest sentiment correction of each of the brand's items (its text and stored language), and
the file's rows (language detected among the brand's languages when the file has none). The dashboard only
records a correction when a person changes the label, so corrections are, by construction, texts the scorer
got wrong: judged on them alone the current scorer would always lose. So each language also gets up to
KEPT_PER_LABEL times as many "kept" rows, sampled (seeded) from the brand's items nobody corrected, with the
label the team left standing; both models are trained with them and judged on them too, so a new model must
fix the corrected texts without breaking the others."""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from social_listen.brand_models import active_version, find_brand, record_version, retriage_brand
from social_listen.config import Config
from social_listen.db.engine import reading
from social_listen.db.tables import corrections, items
from social_listen.errors import SocialListenError
from social_listen.scoring import brand_settings
from social_listen.store import Store, chunked
from social_listen.triage.crossval import (
    MARGIN,
    SEED,
    CurrentScorer,
    Example,
    LanguageReport,
    as_model,
    evaluate_language,
    fingerprint,
    packaged_scorer,
    retrained_scorer,
)
from social_listen.triage.csvio import read_labelled
from social_listen.triage.errors import TriageError
from social_listen.triage.language import SCORED_LANGUAGES, detect_language
from social_listen.triage.overrides import OverrideMatcher
from social_listen.triage.train import Row

log = logging.getLogger(__name__)
SENTIMENTS = ("neg", "neu", "pos")
KEPT_PER_LABEL = 3  # uncorrected items sampled per taught label and language (fewer let common words drift)


@dataclass
class LearnResult:
    """What `learn` found and did: per language figures, the version recorded, whether it is active now."""

    brand: str
    current: str  # "packaged scorer" or "v3"
    source: str
    corrections: int
    file_rows: int
    reports: list[LanguageReport] = field(default_factory=list)
    version: int | None = None  # None: nothing recorded (dry run, or no language had enough labels)
    activated: bool = False
    retriaged: int = 0

    @property
    def better(self) -> bool:
        """At least one language beat the current scorer by the margin."""
        return any(r.better for r in self.reports)


@dataclass
class _Labels:
    """Taught examples per language, and the counts behind them."""

    by_lang: dict[str, list[Example]] = field(default_factory=lambda: defaultdict(list))
    corrections: int = 0
    file_rows: int = 0


def learn(
    store: Store,
    config: Config | None,
    brand: str | None = None,
    input_path: Path | None = None,
    dry_run: bool = False,
) -> LearnResult:
    """Train, cross-validate and (when better) activate the brand's next model version; see the module doc."""
    with reading(store.engine) as conn:
        brand_id, name = find_brand(conn, brand)
        current = active_version(conn, brand_id)
    settings = brand_settings(store, config)[brand_id]
    languages = tuple(lang for lang in settings.languages if lang in SCORED_LANGUAGES)
    matcher = OverrideMatcher(settings.overrides) if settings.overrides else None
    labels = _taught(store, brand_id, settings.languages, matcher, input_path)
    if not labels.corrections and not labels.file_rows:
        raise SocialListenError(
            f"{name} has no sentiment corrections yet: correct some items in the dashboard, "
            "or pass --input labelled.csv (columns text,label[,lang])"
        )
    result = LearnResult(
        brand=name,
        current=f"v{current[0]}" if current else "packaged scorer",
        source="corrections" + (f"+{input_path.name}" if input_path else ""),
        corrections=labels.corrections,
        file_rows=labels.file_rows,
    )
    for lang in languages:
        taught = labels.by_lang.get(lang, [])
        examples = [*taught, *_kept(store, brand_id, lang, matcher, taught)]
        result.reports.append(evaluate_language(examples, lang, _current_scorer(current, lang)))
    if dry_run or not any(not r.skipped for r in result.reports):
        return result
    result.activated = result.better
    result.version = record_version(
        store,
        brand_id,
        _version_languages(result, current),
        _metrics(result),
        result.source,
        result.activated,
    )
    if result.activated:
        result.retriaged = retriage_brand(store, config, brand_id)
    log.info("%s: recorded v%s (%s)", name, result.version, "active" if result.activated else "inactive")
    return result


def _taught(
    store: Store, brand_id: int, languages: Sequence[str], matcher: OverrideMatcher | None, path: Path | None
) -> _Labels:
    """The brand's corrections and the file's rows as examples, one per text (a correction wins)."""
    labels, seen = _Labels(), set[str]()
    with reading(store.engine) as conn:
        corrected = _latest_corrections(conn, brand_id)
    for text, lang, label in corrected:
        lang = lang if lang in SCORED_LANGUAGES else detect_language(text, languages)
        labels.corrections += _add(labels, seen, (text, lang, label), languages, matcher)
    for text, label, lang in _file_rows(path, languages):
        labels.file_rows += _add(labels, seen, (text, lang, label), languages, matcher)
    return labels


def _add(
    labels: _Labels,
    seen: set[str],
    labelled: tuple[str, str, str],
    languages: Sequence[str],
    matcher: OverrideMatcher | None,
) -> int:
    """Add one taught (text, language, label) unless its text is already there or the brand does not write
    in its language; 1 when added."""
    text, lang, label = labelled
    key = fingerprint(text, lang)
    if key in seen or lang not in SCORED_LANGUAGES or lang not in languages or not text.strip():
        return 0
    seen.add(key)
    labels.by_lang[lang].append(_example(text, label, lang, matcher, key, taught=True))
    return 1


def _example(
    text: str, label: str, lang: str, matcher: OverrideMatcher | None, key: str, taught: bool
) -> Example:
    """A labelled text as triage sees it: the brand's phrase overrides applied first."""
    if matcher is None:
        return Example(Row(text, label, lang), key, taught)
    applied = matcher.apply(text)
    return Example(Row(applied.text, label, lang, extra=applied.valence), key, taught)


def _latest_corrections(conn: Connection, brand_id: int) -> list[tuple[str, str | None, str]]:
    """(text, stored language, label) of each of the brand's items a person labelled, latest label wins."""
    query = (
        select(corrections.c.item_id, items.c.text, items.c.language, corrections.c.value)
        .join(items, items.c.id == corrections.c.item_id)
        .where(items.c.brand_id == brand_id, corrections.c.field == "sentiment")
        .order_by(corrections.c.id)
    )
    latest: dict[int, tuple[str, str | None, str]] = {}
    rows: list[Any] = list(conn.execute(query))
    for item_id, text, lang, label in rows:
        if label in SENTIMENTS:
            latest[int(item_id)] = (str(text or ""), lang, str(label))
    return list(latest.values())


def _file_rows(path: Path | None, languages: Sequence[str]) -> list[tuple[str, str, str]]:
    """(text, label, language) of a labelled CSV; a missing or empty lang is detected."""
    if path is None:
        return []
    try:
        texts, labels, langs = read_labelled(path)
    except TriageError as exc:
        raise SocialListenError(str(exc)) from exc
    given = langs or [""] * len(texts)
    return [
        (text, label, (lang or "").strip() or detect_language(text, languages))
        for text, label, lang in zip(texts, labels, given, strict=True)
    ]


def _kept(
    store: Store, brand_id: int, lang: str, matcher: OverrideMatcher | None, taught: Sequence[Example]
) -> list[Example]:
    """Up to KEPT_PER_LABEL x len(taught) of the brand's items in `lang` nobody corrected, with the label
    they carry, sampled with a fixed seed (texts already taught, and repeated texts, left out)."""
    wanted = KEPT_PER_LABEL * len(taught)
    if not wanted:
        return []
    with reading(store.engine) as conn:
        found: list[Any] = list(conn.execute(_uncorrected(brand_id, lang)).scalars())
        ids = [int(i) for i in found]
        picked = sorted(random.Random(SEED).sample(ids, min(len(ids), 2 * wanted)))
        rows: list[Any] = []
        for part in chunked(picked):
            rows += conn.execute(
                select(items.c.text, items.c.sentiment_label).where(items.c.id.in_(part)).order_by(items.c.id)
            )  # in id order: the sample below must not depend on the database's row order
    seen, out = {e.key for e in taught}, list[Example]()
    for text, label in random.Random(SEED).sample(rows, len(rows)):
        key = fingerprint(text, lang)
        if key not in seen and len(out) < wanted:
            seen.add(key)
            out.append(_example(text, label, lang, matcher, key, taught=False))
    return out


def _uncorrected(brand_id: int, lang: str) -> Any:
    corrected = select(corrections.c.item_id).where(corrections.c.field == "sentiment")
    return (
        select(items.c.id)
        .where(items.c.brand_id == brand_id, items.c.language == lang, items.c.is_own.is_(False),
               items.c.triaged_at.is_not(None), items.c.sentiment_label.in_(SENTIMENTS), items.c.text != "",
               items.c.id.not_in(corrected))
        .order_by(items.c.id)
    )  # fmt: skip


def _current_scorer(current: tuple[int, dict[str, Any]] | None, lang: str) -> CurrentScorer:
    """The scorer a new model must beat in `lang`: the active version's model if it has one, else packaged."""
    spec = (current[1] if current else {}).get(lang)
    if not spec or not spec.get("active"):
        return packaged_scorer
    seen = frozenset(spec.get("provenance", {}).get("trained_on", []))
    return retrained_scorer(as_model(spec, lang), seen, lang)


def _version_languages(result: LearnResult, current: tuple[int, dict[str, Any]] | None) -> dict[str, Any]:
    """The new version's specs: languages that beat the current scorer are active; when the version is
    activated, a language the active version covers and the new model did not beat is carried over from it."""
    out: dict[str, Any] = {}
    for report in result.reports:
        if report.spec:
            out[report.lang] = {**report.spec, "active": report.better}
    if result.activated and current is not None:
        for lang, spec in current[1].items():
            if spec.get("active") and not (out.get(lang) or {}).get("active"):
                provenance = {**spec.get("provenance", {}), "carried_from": f"v{current[0]}"}
                out[lang] = {**spec, "provenance": provenance}
    return out


def _metrics(result: LearnResult) -> dict[str, Any]:
    """The figures stored with a version."""
    return {
        "languages": {r.lang: r.metrics() for r in result.reports},
        "compared_with": result.current,
        "decision": "activated" if result.activated else "kept current",
        "margin": MARGIN,
        "corrections": result.corrections,
        "file_rows": result.file_rows,
    }
