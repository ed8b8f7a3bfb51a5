"""The command line as cron and people use it: real processes, exit codes, messages."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import click
import pytest

from social_listen.cli import main
from social_listen.store import Store

ROOT = Path(__file__).resolve().parents[1]
CONFIG = """
[[brands]]
name = "Tienda Luna"
timezone = "Europe/Madrid"

[[sources]]
name = "form"
brand = "Tienda Luna"
platform = "file"
target = "form.csv"
[sources.options]
columns = { text = "mensaje", created = "fecha", author = "nombre" }
"""


def run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "social_listen", "--config", str(tmp_path / "sl.toml"), *args]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, input=stdin, timeout=120)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "sl.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "form.csv").write_text(
        "mensaje,fecha,nombre\n¿Envían a Chile?,2026-03-01 10:00,Ana\nLlegó tarde,2026-03-02,Luis\n",
        encoding="utf-8",
    )
    assert run(tmp_path, "init").returncode == 0
    return tmp_path


def test_collect_import_export_round_trip(workdir: Path) -> None:
    first = run(workdir, "collect", "--all")
    assert first.returncode == 0, first.stderr
    assert "form: ok — 2 new" in first.stdout
    again = run(workdir, "import", "form.csv", "--source", "form")
    assert again.returncode == 0 and "0 new, 0 updated, 2 unchanged, 0 rejected" in again.stdout
    exported = run(workdir, "export", "--format", "csv")
    lines = exported.stdout.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("platform,external_id,source,kind,parent_external_id")
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(exported.stdout))}
    assert rows["Llegó tarde"]["negative"] == "True" and rows["¿Envían a Chile?"]["negative"] == "False"
    status = run(workdir, "status")
    assert re.search(r"form\s+file\s+Tienda Luna\s+yes\s+\S+ \S+\s+ok\s+2\s+2", status.stdout), status.stdout


def test_bad_import_rows_exit_nonzero_but_keep_good_rows(workdir: Path) -> None:
    (workdir / "bad.csv").write_text(
        "mensaje,fecha\nBien,2026-03-01\n,2026-03-01\nMal,hoy\n", encoding="utf-8"
    )
    result = run(workdir, "import", "bad.csv", "--source", "form")
    assert result.returncode == 1
    assert "bad.csv:3: no text" in result.stderr and "bad.csv:4: creation time 'hoy'" in result.stderr
    assert "1 new" in result.stdout


def test_invalid_config_exits_1_naming_the_field(workdir: Path) -> None:
    (workdir / "sl.toml").write_text(CONFIG.replace('platform = "file"', 'platform = "myspace"'))
    result = run(workdir, "config", "check")
    assert result.returncode == 1
    assert (
        result.stderr.startswith("Error: ")
        and "sources[0].platform: unknown platform 'myspace'" in result.stderr
    )


def test_unset_secret_fails_config_check(workdir: Path) -> None:
    text = CONFIG + 'credentials = { token = { "$env" = "SL_TEST_UNSET_TOKEN" } }\n'
    (workdir / "sl.toml").write_text(text.replace("[sources.options]\ncolumns", "options.columns"))
    result = run(workdir, "config", "check")
    assert result.returncode == 1 and "SL_TEST_UNSET_TOKEN is not set" in result.stderr


# A YouTube source (listed before the good file source) whose lag_minutes lost its "s".
MISSPELT_YOUTUBE = """
[[sources]]
name = "yt"
brand = "Tienda Luna"
platform = "youtube"
target = "UCxxxxxxxxxxxxxxxxxxxxxx"
base_url = "http://127.0.0.1:9"
credentials = { api_key = "not-used" }
[sources.options]
lag_minute = 30
"""


def with_misspelt_option(workdir: Path) -> str:
    brands, sources = CONFIG.split("[[sources]]", 1)
    (workdir / "sl.toml").write_text(brands + MISSPELT_YOUTUBE + "\n[[sources]]" + sources, encoding="utf-8")
    return (
        f"{workdir / 'sl.toml'}: sources[0].options.lag_minute: unknown option for youtube; expected one of "
    )


def test_config_check_names_a_misspelt_option_with_its_place_and_the_right_key(workdir: Path) -> None:
    where = with_misspelt_option(workdir)
    result = run(workdir, "config", "check")
    assert result.returncode == 1
    assert f"problem: {where}backfill_days, inventory_hours, lag_minutes," in result.stderr
    assert "did you mean 'lag_minutes'?" in result.stderr
    assert "Error: " in result.stderr and "1 problem(s) found" in result.stderr


def test_collect_refuses_the_source_with_a_misspelt_option_and_still_collects_the_others(
    workdir: Path,
) -> None:
    where = with_misspelt_option(workdir)
    result = run(workdir, "collect", "--all")
    assert result.returncode == 1
    assert "form: ok — 2 new" in result.stdout
    assert f"yt: failed — 0 new, 0 updated, 0 answered — {where}" in result.stdout
    assert "did you mean 'lag_minutes'?" in result.stdout
    assert "1 source(s) did not finish: yt" in result.stderr
    status = run(workdir, "status")
    assert re.search(r"yt\s+youtube\s+Tienda Luna\s+yes\s+\S+ \S+\s+failed", status.stdout), status.stdout


def test_busy_source_is_skipped_cleanly(workdir: Path) -> None:
    store = Store(f"sqlite:///{workdir / 'social-listen.db'}")
    assert store.acquire_lease("form", "other-host:99", timedelta(minutes=5))
    result = run(workdir, "collect", "--source", "form")
    assert result.returncode == 0, result.stderr
    assert "form: busy" in result.stdout and "other-host:99" in result.stdout


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    (tmp_path / "sl.toml").write_text(CONFIG)
    result = run(tmp_path, "status")
    assert result.returncode == 1 and "run `social-listen init` first" in result.stderr


def test_collect_needs_a_choice_of_sources(workdir: Path) -> None:
    result = run(workdir, "collect")
    assert result.returncode == 1 and "--source NAME" in result.stderr


def test_user_add_reads_password_from_stdin_never_argv(workdir: Path) -> None:
    result = run(workdir, "user", "add", "lucia", "--role", "agent", stdin="contraseña-larga\n")
    assert result.returncode == 0, result.stderr
    from social_listen.users import authenticate

    store = Store(f"sqlite:///{workdir / 'social-listen.db'}")
    assert authenticate(store.engine, "lucia", "contraseña-larga")["role"] == "agent"


def all_commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names += all_commands(command, f"{prefix}{name} ")
    return names


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in all_commands(main) if f"social-listen {name}" not in readme]
    assert missing == []


def test_every_command_has_help() -> None:
    from click.testing import CliRunner

    for name in all_commands(main):
        result = CliRunner().invoke(main, [*name.split(), "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "social_listen", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and re.match(r"social-listen, version \d+\.\d+\.\d+", result.stdout)
