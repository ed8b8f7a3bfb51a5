"""The `social-listen` command: a thin layer over the library; errors become `Error: ...` and exit 1."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import click

from social_listen import __version__
from social_listen.config import Config, check_config, load_config
from social_listen.errors import SocialListenError
from social_listen.logs import redact, setup_logging
from social_listen.store import Store

# Commands that live beside their feature; imported lazily so a missing optional part never breaks the CLI.
PLUGINS = (
    ("collectors.web.cli", "crawl"),
    ("social_listen.triage.cli", "triage"),
    ("dashboard.cli", "dashboard"),
    ("social_listen.reports_cli", "report"),
    ("social_listen.reports_cli", "alerts"),
)


@dataclass
class Context:
    """What every command gets: where the config is and how to open the store."""

    config_file: str | None
    database_url: str | None

    def config(self) -> Config:
        """The loaded and validated config."""
        return load_config(self.config_file)

    def store(self, config: Config | None = None, require_current: bool = True) -> Store:
        """The store from --database-url or the config; checks the schema is current."""
        url = self.database_url or (config or self.config()).resolved_database_url()
        store = Store(url)
        if require_current:
            store.require_current()
        return store


def fail(message: str) -> NoReturn:
    """Print ``Error: message`` (secrets masked) and exit 1."""
    click.echo(f"Error: {redact(message)}", err=True)
    sys.exit(1)


class Group(click.Group):
    """Turns library errors into a clear message and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SocialListenError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="social-listen")
@click.option(
    "--config",
    "config_file",
    metavar="PATH",
    help="Config file (default $SOCIAL_LISTEN_CONFIG or ./social-listen.toml).",
)
@click.option(
    "--database-url", envvar="SOCIAL_LISTEN_DATABASE_URL", help="Override the config's database_url."
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, config_file: str | None, database_url: str | None, verbose: int) -> None:
    """Collect comments and reviews from every channel into one store, triage them, and answer them."""
    setup_logging(verbose)
    ctx.obj = Context(config_file, database_url)


pass_context = click.make_pass_decorator(Context)


@main.command()
@pass_context
def init(context: Context) -> None:
    """Create or upgrade the database, and register the config's brands and sources."""
    config = context.config()
    store = context.store(config, require_current=False)
    store.init()
    store.sync_config(config)
    click.echo(f"Database ready: {store.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"{len(config.brands)} brand(s), {len(config.sources)} source(s) registered.")


@main.group("config")
def config_group() -> None:
    """Check or show the configuration."""


@config_group.command("check")
@pass_context
def config_check(context: Context) -> None:
    """Validate the config file, every source's option keys, and that every enabled source's secrets can be
    resolved."""
    from collectors import option_problems  # late: the core imports no platform client at start-up

    config = context.config()
    problems = option_problems(config) + check_config(config)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        fail(f"{config.path}: {len(problems)} problem(s) found")
    click.echo(f"{config.path}: OK ({len(config.brands)} brand(s), {len(config.sources)} source(s))")


@config_group.command("show")
@pass_context
def config_show(context: Context) -> None:
    """Print the configuration as JSON with every secret masked."""
    import json

    click.echo(json.dumps(context.config().masked(), indent=2, ensure_ascii=False))


@main.command()
@pass_context
def status(context: Context) -> None:
    """Sources with their last run, pause (quota, rate limit), item and open counts."""
    from social_listen.status import source_status

    config = context.config()
    rows = source_status(context.store(config))
    if not rows:
        click.echo("No sources yet: add [[sources]] to the config and run `social-listen init`.")
        return
    click.echo(_table(rows, ("source", "platform", "brand", "enabled", "last_run", "last_status", "items",
                             "open", "note")))  # fmt: skip


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    cells = [[str(r.get(c) if r.get(c) is not None else "") for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


@main.command()
@click.option("--source", "names", multiple=True, metavar="NAME", help="Source to collect (repeatable).")
@click.option("--all", "all_sources", is_flag=True, help="Collect every enabled source.")
@pass_context
def collect(context: Context, names: tuple[str, ...], all_sources: bool) -> None:
    """Collect new items from sources; exits 1 if any source failed (the others still run)."""
    from collectors import collector_for
    from social_listen.collect import run_sources
    from social_listen.progress import page_reporter

    if not names and not all_sources:
        fail("say which sources: --source NAME (repeatable) or --all")
    config = context.config()
    store = context.store(config)
    store.sync_config(config)
    with page_reporter() as on_page:
        outcomes = run_sources(store, config, names or None, collector_for(config), on_page)
    for outcome in outcomes:
        click.echo(f"{outcome.source}: {outcome.status} — {outcome.new} new, {outcome.updated} updated, "
                   f"{outcome.answered} answered" + (f" — {outcome.message}" if outcome.message else ""))  # fmt: skip
    _after_collection(store, config)
    failed = [o.source for o in outcomes if o.failed]
    if failed:
        fail(f"{len(failed)} source(s) did not finish: {', '.join(failed)}")


def _after_collection(store: Store, config: Config) -> None:
    """Triage new and changed items, re-rank the open ones for the time that has passed, and refresh the
    query planner's statistics when the store has grown."""
    from social_listen.scoring import refresh_priorities, score_pending

    score_pending(store, config)
    refresh_priorities(store, config)
    store.refresh_statistics()


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--source", "source_name", required=True, metavar="NAME", help="The source the rows belong to.")
@pass_context
def import_(context: Context, file: Path, source_name: str) -> None:
    """Import a CSV, JSON or JSON Lines file; bad rows are listed, good rows are kept."""
    from collectors.file_import import import_into

    config = context.config()
    store = context.store(config)
    store.sync_config(config)
    report, result = import_into(store, config, source_name, file)
    for line, reason in report.bad:
        click.echo(f"{file}:{line}: {reason}", err=True)
    click.echo(f"{file}: {report.rows} row(s) read, {result.new} new, {result.updated} updated, "
               f"{result.unchanged} unchanged, {len(report.bad)} rejected")  # fmt: skip
    _after_collection(store, config)
    if report.bad:
        fail(f"{len(report.bad)} row(s) rejected (listed above); the other rows were imported")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="File to write (default: standard output).")
@click.option(
    "--since", metavar="DATE", help="Only items published since DATE (2026-03-01) or the last N days (30d)."
)
@pass_context
def export(context: Context, fmt: str, output: Path | None, since: str | None) -> None:
    """Export one row per item (platform, ids, text, status, response time, sentiment, priority...)."""
    from social_listen.export import export_rows, write_export

    store = context.store()
    rows = export_rows(store.engine, parse_since(since))
    if output is None:
        write_export(rows, sys.stdout, fmt)
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        count = write_export(rows, out, fmt)
    click.echo(f"{count} item(s) written to {output}", err=True)


def parse_since(value: str | None) -> datetime | None:
    """``30d`` / ``12h`` relative to now, or an ISO date; None stays None."""
    if not value:
        return None
    units = {"d": "days", "h": "hours", "w": "weeks"}
    if value[-1:] in units and value[:-1].isdigit():
        return datetime.now(UTC) - timedelta(**{units[value[-1]]: int(value[:-1])})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise SocialListenError(
            f"--since {value!r}: expected a date like 2026-03-01 or a span like 30d"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _register_plugins(group: click.Group, plugins: tuple[tuple[str, str], ...]) -> None:
    for module_name, attribute in plugins:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        command: Callable[..., Any] | None = getattr(module, attribute, None)
        if isinstance(command, click.Command):
            group.add_command(command)


from social_listen import cli_more  # noqa: E402  (more commands, kept in their own module)

cli_more.register(main)
_register_plugins(main, PLUGINS)
