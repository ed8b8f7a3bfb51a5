"""`social-listen dashboard`: start the Streamlit app on the configured store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from social_listen.config import CONFIG_ENV, config_path

APP = Path(__file__).with_name("app.py")


def streamlit_command(host: str, port: int) -> list[str]:
    """The `streamlit run` command line: headless, no usage statistics, bound to ``host:port``."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.address", host,
        "--server.port", str(port),
        "--client.toolbarMode", "viewer",  # no "Deploy" button or developer menu for community managers
    ]  # fmt: skip


def dashboard_environment(config_file: str | None, database_url: str | None) -> dict[str, str]:
    """The app's environment: the config's absolute path (and a database URL override, if given)."""
    env = dict(os.environ)
    env[CONFIG_ENV] = str(config_path(config_file).resolve())
    if database_url:
        env["SOCIAL_LISTEN_DATABASE_URL"] = database_url
    return env


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: the config's, else 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: the config's, else 8501).")
@click.pass_context
def dashboard(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start the dashboard (Streamlit) on the configured store; stop it with Ctrl+C."""
    context = ctx.find_root().obj
    config = context.config()
    context.store(config)  # fails early, with advice, when the database is not initialised
    host = host or config.dashboard.host
    port = port or config.dashboard.port
    env = dashboard_environment(context.config_file, context.database_url)
    click.echo(f"Dashboard on http://{host}:{port} (Ctrl+C to stop)")
    sys.stdout.flush()
    # Become Streamlit (same process id): Ctrl+C and a service manager's SIGTERM reach it directly.
    command = streamlit_command(host, port)
    os.execve(command[0], command, env)  # noqa: S606 - our own interpreter, arguments as a list
