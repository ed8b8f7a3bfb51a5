"""`social-listen triage score|eval|rescore|learn`: a thin layer over the triage library (and the store)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from social_listen.db.engine import reading
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


def _learned_models(ctx: click.Context, brand: str) -> tuple[dict[str, Any] | None, str]:
    """The brand's active learned version in the store (`triage learn`), when there is a database that has
    one; otherwise the packaged scorer. Scoring a CSV never creates or migrates a database."""
    from sqlalchemy import select
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from social_listen.brand_models import active_version
    from social_listen.db.tables import brands
    from social_listen.errors import SocialListenError
    from social_listen.store import Store
    from social_listen.triage.learned import model_from_json

    context = ctx.find_root().obj
    url = context.database_url or context.config().resolved_database_url()
    parsed = make_url(url)
    packaged = "the packaged scorer"
    if parsed.get_backend_name() == "sqlite" and not (parsed.database and Path(parsed.database).exists()):
        return None, f"{packaged} (no database yet)"
    store = Store(url)
    try:
        store.require_current()
        with reading(store.engine) as conn:
            brand_id = conn.execute(select(brands.c.id).where(brands.c.name == brand)).scalar()
            found = active_version(conn, int(brand_id)) if brand_id is not None else None
    except (SocialListenError, SQLAlchemyError) as exc:  # no usable database: the packaged scorer
        return None, f"{packaged} ({str(exc).splitlines()[0]})"
    finally:
        store.engine.dispose()
    if found is None:
        return None, f"{packaged} ({brand} has no active learned version)"
    version, languages = found
    models = model_from_json({"languages": languages}, tag=f"v{version}")
    return (
        (models, f"{brand}'s learned v{version} ({', '.join(sorted(models))})")
        if models
        else (None, packaged)
    )


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
    models, scorer = _learned_models(ctx, brand) if brand is not None else (None, "the packaged scorer")
    click.echo(f"scoring with {scorer}", err=True)
    try:
        written = score_csv(
            input_path, output_path, text_column, languages, overrides=overrides, models=models
        )
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

    Negative P/R is of the fast-reply flag (the `negative` column of `triage score`), which also catches
    complaints in flat words labelled neutral; the label's own negative P/R follows in brackets.

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
    """One row: rows, accuracy, macro-F1, negative P/R (the fast-reply flag, then the label) and per-class F1."""
    per_class = " ".join(f"{c} F1 {v['f1']:.3f}" for c, v in part["per_class"].items())
    neg, label = part["negative"], part["per_class"]["neg"]
    return (
        f"{name}: {part['rows']} rows, accuracy {part['accuracy']:.3f}, macro-F1 {part['macro_f1']:.3f}, "
        f"negative P/R {neg['precision']:.3f}/{neg['recall']:.3f} "
        f"(label {label['precision']:.3f}/{label['recall']:.3f}; {per_class})"
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


@triage.command("learn")
@click.option("--brand", default=None, help="The brand to learn for (needed when the database has several).")
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A labelled CSV (text,label[,lang]) to learn from as well as the corrections.",
)
@click.option("--dry-run", is_flag=True, help="Cross-validate and print the figures; record nothing.")
@click.option("--list", "list_versions", is_flag=True, help="List the recorded versions and their figures.")
@click.option(
    "--activate", type=int, default=None, metavar="N", help="Make version N the brand's active one."
)
@click.option(
    "--rollback", is_flag=True, help="Deactivate the brand's versions: back to the packaged scorer."
)
@click.pass_context
def learn(
    ctx: click.Context,
    brand: str | None,
    input_path: Path | None,
    dry_run: bool,
    list_versions: bool,
    activate: int | None,
    rollback: bool,
) -> None:
    """Learn a brand's own sentiment model from its people's corrections (and --input), compare it by
    5-fold cross-validation with the scorer it would replace, and activate it only if it is better.

    Every run is recorded as the brand's next version with its figures; --list shows them, --activate N
    and --rollback switch between them and the packaged scorer (the brand's items are triaged again).
    """
    modes = sum([list_versions, activate is not None, rollback])
    if modes > 1 or (modes and (input_path or dry_run)):
        raise click.UsageError(
            "use one of --list, --activate N, --rollback, or learn (with --input/--dry-run)"
        )
    context = ctx.find_root().obj
    config = context.config()
    store = context.store(config)
    if list_versions:
        click.echo(_versions_table(store, brand))
    elif activate is not None:
        _activate(store, config, brand, activate)
    elif rollback:
        _rollback(store, config, brand)
    else:
        from social_listen.learning import learn as learn_brand

        click.echo(_learn_report(learn_brand(store, config, brand, input_path, dry_run), dry_run))


def _learn_report(result: Any, dry_run: bool) -> str:
    """Per language: labels, CV macro-F1 new vs current, and the decision."""
    lines = [
        f"{result.brand}: {result.corrections} correction(s), {result.file_rows} file row(s); "
        f"current scorer: {result.current}"
    ]
    lines += [f"  {_language_line(report.metrics() | {'lang': report.lang})}" for report in result.reports]
    if dry_run:
        would = "activate a new version" if result.better else f"keep the current scorer ({result.current})"
        lines.append(f"dry run: nothing recorded (it would {would})")
    elif result.version is None:
        lines.append(f"nothing learned: no language has enough labels yet (kept current: {result.current})")
    elif result.activated:
        lines.append(f"activated v{result.version} ({result.retriaged} item(s) triaged again)")
    else:
        lines.append(f"kept current ({result.current}); v{result.version} recorded, inactive")
    return "\n".join(lines)


def _language_line(found: dict[str, Any]) -> str:
    """One language's figures, as `learn` and `learn --list` print them."""
    counts = f"{found['lang']}: {found['labels']} label(s)"
    if found.get("skipped"):
        return f"{counts}, skipped ({found['skipped']})"
    new, old = found["new_macro_f1"], found["current_macro_f1"]
    verdict = "better" if found["better"] else "not better"
    return (
        f"{counts} + {found['kept']} kept, CV macro-F1 new {new:.3f} vs current {old:.3f} "
        f"({new - old:+.3f}): {verdict}"
    )


def _versions_table(store: Any, brand: str | None) -> str:
    """Every recorded version with its figures; the active one marked."""
    from social_listen.brand_models import list_versions

    found = list_versions(store, brand)
    if not found:
        return "no versions recorded yet (run `social-listen triage learn --brand NAME`)"
    lines = []
    for v in found:
        state = f"ACTIVE ({', '.join(v.languages)})" if v.active else "inactive"
        when = v.created_at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(
            f"{v.brand} v{v.version}  {when}  {state}  {v.source}  vs {v.metrics.get('compared_with')}"
        )
        per_lang = v.metrics.get("languages", {})
        lines += [f"  {_language_line(m | {'lang': lang})}" for lang, m in per_lang.items()]
    return "\n".join(lines)


def _activate(store: Any, config: Any, brand: str | None, version: int) -> None:
    """Make version N active and say how many items were triaged again."""
    from social_listen.brand_models import activate_version

    count = activate_version(store, config, brand, version)
    click.echo(f"v{version} active ({count} item(s) triaged again)")


def _rollback(store: Any, config: Any, brand: str | None) -> None:
    """Back to the packaged scorer."""
    from social_listen.brand_models import rollback

    count = rollback(store, config, brand)
    if count is None:
        click.echo("no version was active: the packaged scorer is in use")
    else:
        click.echo(f"back to the packaged scorer ({count} item(s) triaged again)")
