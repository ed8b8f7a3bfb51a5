"""CLI commands for replies, users and the demo shop (registered on the main group by cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from sqlalchemy import select

from social_listen.db.engine import reading
from social_listen.db.tables import items


def register(main: click.Group) -> None:
    """Add this module's commands to the main group."""
    for command in (demo, publish, reply, replies, hide, user):
        main.add_command(command)


def _context() -> Any:
    return click.get_current_context().find_root().obj


def _fail(message: str) -> NoReturn:
    from social_listen.cli import fail

    fail(message)


@click.command()
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=Path("demo-data/demo.db"),
              show_default=True, help="SQLite file to build the demo store in.")  # fmt: skip
@click.option("--config-out", type=click.Path(path_type=Path), default=None,
              help="Where to write the demo config (default: next to the database).")  # fmt: skip
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same store).")
@click.option(
    "--items", "item_count", type=int, default=5000, show_default=True, help="About how many items."
)
def demo(db_path: Path, config_out: Path | None, seed: int, item_count: int) -> None:
    """Build a realistic demo store for a bilingual web shop (~90 days, every platform)."""
    from social_listen.demo import build_demo, demo_config, format_summary, write_demo_config
    from social_listen.store import Store

    db_path = db_path.resolve()
    config_file = config_out or db_path.with_suffix(".toml")
    write_demo_config(config_file, db_path)
    config = demo_config(db_path)
    store = Store(f"sqlite:///{db_path}")
    store.init()
    store.sync_config(config)
    summary = build_demo(store, config, seed=seed, items=item_count)
    _score_demo(store, config)
    click.echo(format_summary(summary))
    click.echo(f"\nDemo store: {db_path}\nDemo config: {config_file}")
    click.echo(f"Try: social-listen --config {config_file} status")


def _score_demo(store: Any, config: Any) -> None:
    from social_listen.scoring import score_pending

    score_pending(store, config)


@click.command()
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many replies per run.")
def publish(limit: int) -> None:
    """Send queued replies that are due; stuck sends become uncertain (never re-sent blindly)."""
    from collectors import publisher_for
    from social_listen.publish import publish_pending

    context = _context()
    config = context.config()
    outcomes = publish_pending(context.store(config), publisher_for(config), limit)
    click.echo(", ".join(f"{n} {state}" for state, n in sorted(outcomes.items())) or "nothing to send")
    if outcomes.get("failed"):
        _fail(f"{outcomes['failed']} reply(ies) failed: see `social-listen replies --status failed`")


@click.command()
@click.argument("item")
@click.argument("text", required=False)
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the reply text from standard input.")
def reply(item: str, text: str | None, from_stdin: bool) -> None:
    """Answer ITEM (PLATFORM:EXTERNAL_ID) on its platform now; the reply is queued first, then sent."""
    from collectors import publisher_for
    from social_listen.publish import publish_reply

    if from_stdin:
        text = sys.stdin.read()
    if not text or not text.strip():
        _fail("give the reply text as an argument or with --stdin")
        return
    context = _context()
    config = context.config()
    store = context.store(config)
    item_id = _item_id(store, item)
    reply_id = store.enqueue_reply(item_id, text.strip())
    state = publish_reply(store, reply_id, publisher_for(config))
    row = store.reply_rows(item_id=item_id)[0]
    click.echo(f"reply {reply_id}: {row['status']}" + (f" ({row['url'] or row['platform_reply_id']})"
                                                       if row["status"] == "sent" else ""))  # fmt: skip
    if state in ("failed", "uncertain"):
        _fail(f"reply {reply_id} is {row['status']}: {row['error']}")


def _item_id(store: Any, ref: str) -> int:
    platform, _, external = ref.partition(":")
    with reading(store.engine) as conn:
        found = conn.execute(
            select(items.c.id).where(items.c.platform == platform, items.c.external_id == external)
        ).scalar()
    if found is None:
        _fail(f"no item {ref!r} (give PLATFORM:EXTERNAL_ID as in `social-listen export`)")
    return int(found)


@click.command()
@click.argument("item")
@click.option("--unhide", is_flag=True, help="Show the comment again.")
def hide(item: str, unhide: bool) -> None:
    """Hide a comment on Facebook or Instagram (spam, insults, personal data), or show it again with --unhide.

    ITEM is PLATFORM:EXTERNAL_ID as in `social-listen export`. The item is tagged `hidden` and the change is
    recorded in its history."""
    from collectors import moderator_for
    from social_listen.moderation import set_hidden

    context = _context()
    config = context.config()
    store = context.store(config)
    changed = set_hidden(store.engine, None, _item_id(store, item), not unhide, moderator_for(config))
    state = "visible" if unhide else "hidden"
    click.echo(f"{item}: {state}" if changed else f"{item}: already {state}")


@click.group(invoke_without_command=True)
@click.option(
    "--status", "status_filter", type=click.Choice(["queued", "sending", "sent", "failed", "uncertain"])
)
@click.pass_context
def replies(ctx: click.Context, status_filter: str | None) -> None:
    """List replies in the outbox (or resolve one with `replies resolve`)."""
    if ctx.invoked_subcommand:
        return
    rows = _context().store().reply_rows(status=status_filter)
    for row in rows:
        click.echo(f"{row['id']}\t{row['status']}\titem {row['item_id']}\tattempts {row['attempts']}\t"
                   f"{row['error'] or row['platform_reply_id'] or ''}")  # fmt: skip
    if not rows:
        click.echo("no replies")


@replies.command("resolve")
@click.argument("reply_id", type=int)
@click.option("--outcome", type=click.Choice(["sent", "retry", "cancel"]), required=True,
              help="sent: it is on the platform; retry: queue it again; cancel: give up.")  # fmt: skip
def replies_resolve(reply_id: int, outcome: str) -> None:
    """Settle a failed or uncertain reply after checking the platform."""
    _context().store().resolve_reply(reply_id, outcome)
    click.echo(f"reply {reply_id}: {outcome}")


@click.group()
def user() -> None:
    """Manage dashboard users."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "agent", "viewer"]), default="agent", show_default=True)
@click.option("--display-name", default="", help="Name shown in the dashboard.")
@click.option("--language", type=click.Choice(["es", "en"]), default=None, help="Dashboard language.")
def user_add(name: str, role: str, display_name: str, language: str | None) -> None:
    """Add a user; the password is read from a prompt (or standard input), never from an argument."""
    from social_listen.users import add_user

    password = _read_password()
    add_user(_context().store().engine, name, password, role, display_name=display_name, language=language)
    click.echo(f"user {name} added ({role})")


def _read_password() -> str:
    if sys.stdin.isatty():
        value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return value
    return sys.stdin.readline().rstrip("\n")


@user.command("list")
def user_list() -> None:
    """List users and their roles."""
    from social_listen.users import list_users

    for row in list_users(_context().store().engine):
        click.echo(f"{row['name']}\t{row['role']}\t{'active' if row['active'] else 'disabled'}")
