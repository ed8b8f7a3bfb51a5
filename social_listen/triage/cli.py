"""`social-listen triage score|eval|rescore`: a thin layer over the triage library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from social_listen.triage.csvio import eval_csv, score_csv
from social_listen.triage.errors import TriageError
from social_listen.triage.overrides import Overrides

DEFAULT_LANGUAGES = ("es", "en")


@click.group("triage")
def triage() -> None:
    """Score CSV files, measure the scorer on labelled data, or re-run triage on the store."""


def _brand_settings(ctx: click.Context, brand: str | None) -> tuple[tuple[str, ...], Overrides | None]:
    """A brand's languages and overrides from the config (own names count as neutral)."""
    if brand is None:
        return DEFAULT_LANGUAGES, None
    config = ctx.find_root().obj.config()
    for configured in config.brands:
        if configured.name == brand:
            overrides = Overrides.from_dict(configured.triage, extra_neutral=configured.own_names)
            return tuple(configured.languages) or DEFAULT_LANGUAGES, overrides
    names = ", ".join(b.name for b in config.brands) or "none"
    raise click.ClickException(f"No brand named {brand!r} in the config (brands: {names})")


@triage.command("score")
@click.option(
    "--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--text-column", default="text", show_default=True, help="Column holding the message text.")
@click.option("--brand", default=None, help="Use this brand's languages and overrides from the config.")
@click.pass_context
def score(
    ctx: click.Context, input_path: Path, output_path: Path, text_column: str, brand: str | None
) -> None:
    """Write IN.csv back with lang, sentiment_label, sentiment_score, negative, intents, priority, priority_reasons.

    Optional input columns feed the priority: rating, like_count, follower_count, hours_open,
    sla_hours_left, vip (true/false).
    """
    languages, overrides = _brand_settings(ctx, brand)
    try:
        written = score_csv(input_path, output_path, text_column, languages, overrides=overrides)
    except TriageError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{written} row(s) written to {output_path}", err=True)


@triage.command("eval")
@click.option(
    "--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--text-column", default="text", show_default=True, help="Column holding the message text.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def evaluate(input_path: Path, text_column: str, as_json: bool) -> None:
    """Accuracy, macro-F1, per-class and negative precision/recall, per language, and texts per second.

    LABELLED.csv needs text and label (neg/neu/pos) columns; an optional lang column splits the report.
    """
    try:
        report = eval_csv(input_path, text_column)
    except TriageError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(report, indent=2) if as_json else _table(report))


def _table(report: dict[str, Any]) -> str:
    """A short human-readable report."""
    lines = [_line("all", report)]
    lines += [_line(lang, part) for lang, part in report["by_language"].items()]
    lines.append(f"{report['texts_per_second']} texts/s (scorer {report['scorer_version']})")
    return "\n".join(lines)


def _line(name: str, part: dict[str, Any]) -> str:
    """One row: rows, accuracy, macro-F1, negative P/R and per-class F1."""
    per_class = " ".join(f"{c} F1 {v['f1']:.3f}" for c, v in part["per_class"].items())
    neg = part["negative"]
    return (
        f"{name}: {part['rows']} rows, accuracy {part['accuracy']:.3f}, macro-F1 {part['macro_f1']:.3f}, "
        f"negative P/R {neg['precision']:.3f}/{neg['recall']:.3f} ({per_class})"
    )


@triage.command("rescore")
@click.pass_context
def rescore(ctx: click.Context) -> None:
    """Forget every stored triage result and score all items again (after upgrading the scorers)."""
    from social_listen.scoring import rescore_all

    context = ctx.find_root().obj
    config = context.config()
    count = rescore_all(context.store(config), config)
    click.echo(f"{count} item(s) triaged again")
