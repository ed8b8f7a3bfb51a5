"""`social-listen dashboard`: runs Streamlit headless on the configured store; refuses an uninitialised one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard import cli as dashboard_cli
from social_listen.cli import main
from social_listen.config import CONFIG_ENV
from social_listen.store import Store
from tests.dashboard.seed import write_config


def test_dashboard_command_is_registered_with_help() -> None:
    result = CliRunner().invoke(main, ["dashboard", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--host" in result.output


def test_dashboard_runs_streamlit_headless_on_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path / "shop.toml", tmp_path / "shop.db")
    Store(f"sqlite:///{tmp_path / 'shop.db'}").init()
    seen = {}

    def fake_exec(path: str, command: list[str], env: dict[str, str]) -> None:
        seen.update(path=path, command=command, env=env)

    monkeypatch.setattr(os, "execve", fake_exec)
    result = CliRunner().invoke(main, ["--config", str(config), "dashboard", "--port", "8765"])
    assert result.exit_code == 0, result.output
    command = seen["command"]
    assert (
        seen["path"] == command[0]
        and command[1:4] == ["-m", "streamlit", "run"]
        and command[4].endswith("dashboard/app.py")
    )
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    assert flags == {"--server.headless": "true", "--browser.gatherUsageStats": "false",
                     "--server.address": "127.0.0.1", "--server.port": "8765", "--client.toolbarMode": "viewer"}  # fmt: skip
    assert seen["env"][CONFIG_ENV] == str(config.resolve())
    assert "http://127.0.0.1:8765" in result.output


def test_dashboard_refuses_an_uninitialised_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(tmp_path / "shop.toml", tmp_path / "never.db")
    monkeypatch.setattr(os, "execve", lambda *a, **k: pytest.fail("must not start Streamlit"))
    result = CliRunner().invoke(main, ["--config", str(config), "dashboard"])
    assert result.exit_code == 1 and "social-listen init" in result.output


def test_streamlit_command_binds_where_asked() -> None:
    command = dashboard_cli.streamlit_command("0.0.0.0", 9000)
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[command.index("--server.port") + 1] == "9000"
