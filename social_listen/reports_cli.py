"""`social-listen report` (responsiveness, trends, FAQ) and `social-listen alerts`: thin commands over the library."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import click

from social_listen.config import Config
from social_listen.errors import SocialListenError
from social_listen.metrics import ACTIVITY_LABEL, COHORT_LABEL
from social_listen.metrics_sql import DIMENSIONS, Scope
from social_listen.sla import format_duration
from social_listen.store import Store

FORMATS = ("table", "csv", "json")
DURATIONS = ("median", "p90", "mean", "median_business", "p90_business")
RATES = ("response_rate", "activity_rate", "within_sla")
DEFINITIONS = {
    "response_rate": COHORT_LABEL,
    "activity_rate": ACTIVITY_LABEL,
    "median/p90/mean": "first response time in calendar time, items published in the period (cohort)",
    "median_business/p90_business": "the same in business time (each brand's opening hours and holidays)",
    "within_sla": "answered within the SLA target ÷ (answered in time + late + unanswered past due)",
    "waiting/at_risk/breached": "items waiting for a first response now, and their SLA state",
}


def _root() -> Any:
    """The CLI's Context object (config file, database URL)."""
    return click.get_current_context().find_root().obj


def _open() -> tuple[Config, Store]:
    context = _root()
    config = context.config()
    return config, context.store(config)


def _scope(since: str | None, brands: Sequence[str], platforms: Sequence[str] = ()) -> Scope:
    from social_listen.cli import parse_since

    return Scope(since=parse_since(since), brands=tuple(brands), platforms=tuple(platforms))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _human(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in DURATIONS:
        return format_duration(float(value))
    if column in RATES:
        return f"{100 * float(value):.1f} %"
    return str(_plain(value))


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    cells = [[_human(c, row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(line[i]) for line in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)) for line in cells]
    return "\n".join(line.rstrip() for line in lines)


def emit(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, notes: dict[str, str] | None = None
) -> None:
    """Print rows as an aligned table (with the definitions), CSV, or JSON."""
    if fmt == "json":
        payload = [{c: _plain(row.get(c)) for c in columns} for row in rows]
        click.echo(json.dumps({"rows": payload, "definitions": notes or {}}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: _plain(row.get(c)) for c in columns} for row in rows)
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(_table(rows, columns) if rows else "No items in this period.")
        for key, text in (notes or {}).items():
            click.echo(f"  {key}: {text}")


_since = click.option(
    "--since", default="30d", show_default=True, help="Period start: 30d, 12h, 2w or a date."
)
_brand = click.option(
    "--brand", "brands", multiple=True, metavar="NAME", help="Only this brand (repeatable)."
)
_format = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)


@click.group("report", invoke_without_command=True)
@_since
@_brand
@click.option(
    "--platform", "platforms", multiple=True, metavar="NAME", help="Only this platform (repeatable)."
)
@click.option(
    "--by", type=click.Choice(DIMENSIONS), default="brand", show_default=True, help="One row per ..."
)
@_format
@click.pass_context
def report(
    ctx: click.Context, since: str, brands: tuple[str, ...], platforms: tuple[str, ...], by: str, fmt: str
) -> None:
    """Responsiveness: first response times (calendar and business), response rates, SLA share, backlog."""
    if ctx.invoked_subcommand is not None:
        return
    from social_listen.responsiveness import responsiveness_rows

    config, store = _open()
    rows, columns = responsiveness_rows(
        store.engine, config, _scope(since, brands, platforms), by, datetime.now(UTC)
    )
    emit(rows, columns, fmt, DEFINITIONS)


@report.command("faq")
@_since
@_brand
@click.option("--min-count", default=2, show_default=True, help="Smallest group shown.")
@_format
def report_faq(since: str, brands: tuple[str, ...], min_count: int, fmt: str) -> None:
    """Recurring customer questions per brand, with examples and the brand's best-liked answer."""
    from social_listen.faq import mine_faq
    from social_listen.metrics_sql import ResponseRules

    config, store = _open()
    groups = mine_faq(store.engine, _scope(since, brands), min_count, rules=ResponseRules.from_config(config))
    rows: list[dict[str, Any]] = [
        {"brand": g.brand, "count": g.count, "question": g.label, "example": g.examples[0]["text"] if g.examples else "",
         "best_answer": g.best_answer.text if g.best_answer else "",
         "answer_likes": g.best_answer.like_count if g.best_answer else None,
         "item_ids": " ".join(str(i) for i in g.item_ids)}
        for g in groups
    ]  # fmt: skip
    columns = ("brand", "count", "question", "example", "best_answer", "answer_likes", "item_ids")
    if fmt == "table":
        rows = [
            {**r, "example": str(r["example"])[:60], "best_answer": str(r["best_answer"])[:60]} for r in rows
        ]
    emit(rows, columns if fmt != "table" else columns[:-1], fmt)


@report.command("trends")
@_since
@_brand
@click.option("--bucket", type=click.Choice(("day", "week")), default="day", show_default=True)
@click.option(
    "--by", type=click.Choice(("all", "brand", "platform", "intent")), default="brand", show_default=True
)
@_format
def report_trends(since: str, brands: tuple[str, ...], bucket: str, by: str, fmt: str) -> None:
    """Incoming volume, sentiment, negative share and average rating per local day or week."""
    from social_listen.trends import volume_trend

    _config, store = _open()
    rows = [r.as_dict() for r in volume_trend(store.engine, _scope(since, brands), bucket, by)]
    columns = ("period", "group", "total", "positive", "neutral", "negative", "unscored", "negative_share",
               "average_rating")  # fmt: skip
    emit(rows, columns, fmt)


@click.command("alerts")
@click.option("--dry-run", is_flag=True, help="Show which alerts would be sent; record and send nothing.")
@click.option("--list", "show", is_flag=True, help="List recent alerts with each delivery's state.")
@click.option("--resolve", nargs=2, type=(int, click.Choice(("sent", "retry"))), default=None,
              metavar="DELIVERY sent|retry", help="Settle an uncertain delivery after checking the channel.")  # fmt: skip
def alerts(dry_run: bool, show: bool, resolve: tuple[int, str] | None) -> None:
    """Notify new negatives, SLA risks and breaches, spikes, source problems and the daily digest (cron-safe)."""
    from social_listen import alerts as alerting
    from social_listen.alerts_outbox import alert_rows, resolve_delivery

    config, store = _open()
    if resolve is not None:
        resolve_delivery(store.engine, *resolve)
        click.echo(f"delivery {resolve[0]}: {resolve[1]}")
    elif show:
        emit(alert_rows(store.engine), ("id", "rule", "subject", "title", "decided_at", "delivery_id", "channel",
                                        "status", "attempts", "error"), "table")  # fmt: skip
    elif dry_run:
        for decision in alerting.proposed_alerts(store.engine, config):
            click.echo(f"would send [{decision.rule}] {decision.title}\n{decision.body}\n")
    else:
        _run_alerts(config, store)


def _run_alerts(config: Config, store: Store) -> None:
    from social_listen.alerts import run_alerts
    from social_listen.alerts_channels import channels_from_config
    from social_listen.alerts_outbox import alert_rows

    channels = channels_from_config(config)
    run = run_alerts(store.engine, config, channels)
    for decision in run.decided:
        click.echo(f"[{decision.rule}] {decision.title}")
    counts = ", ".join(f"{n} {state}" for state, n in sorted(run.deliveries.items())) or "nothing to send"
    click.echo(
        f"{len(run.decided)} new alert(s); deliveries: {counts}"
        + ("" if channels else " (no channels configured)")
    )
    uncertain = alert_rows(store.engine, limit=1000, delivery_status="uncertain")
    if uncertain:
        click.echo(
            f"{len(uncertain)} delivery(ies) may not have arrived: see `social-listen alerts --list`",
            err=True,
        )
    if run.failed:
        raise SocialListenError(f"{run.failed} delivery(ies) failed; they are retried on the next run")
