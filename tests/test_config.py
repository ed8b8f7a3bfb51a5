"""Config: one TOML file, clear messages naming the field, secrets referenced and masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from social_listen.config import check_config, load_config, source_credentials
from social_listen.errors import ConfigError

GOOD = """
[[brands]]
name = "Tienda Luna"
timezone = "Europe/Madrid"

[[sources]]
name = "luna-yt"
brand = "Tienda Luna"
platform = "youtube"
target = "UC123"
credentials = { api_key = { "$env" = "TEST_YT_KEY" }, literal = "s3cr3t-literal" }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "social-listen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_config_loads_with_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.brands[0].languages == ["es", "en"]
    assert config.source("luna-yt").enabled
    assert config.resolved_database_url() == f"sqlite:///{(tmp_path / 'social-listen.db').resolve()}"


def test_env_reference_resolves_from_the_given_environment(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    creds = source_credentials(config, config.sources[0], {"TEST_YT_KEY": "AIza-test"})
    assert creds == {"api_key": "AIza-test", "literal": "s3cr3t-literal"}


def test_unset_variable_is_named_with_its_field(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    problems = check_config(config, environ={})
    assert problems == ["sources.luna-yt.credentials.api_key: environment variable TEST_YT_KEY is not set"]


def test_secret_from_secrets_file(tmp_path: Path) -> None:
    (tmp_path / "secrets.toml").write_text('yt = "from-file"\n')
    text = 'secrets_file = "secrets.toml"\n' + GOOD.replace(
        '{ "$env" = "TEST_YT_KEY" }', '{ "$secret" = "yt" }'
    )
    config = load_config(write(tmp_path, text))
    assert source_credentials(config, config.sources[0], {})["api_key"] == "from-file"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('platform = "youtube"', 'platform = "tiktok"'), "sources[0].platform: unknown platform 'tiktok'"),
        (('brand = "Tienda Luna"', 'brand = "Otra"'), "sources[0].brand: 'Otra' is not a [[brands]] name"),
        (
            ('timezone = "Europe/Madrid"', 'timezone = "Madrid"'),
            "brands[0].timezone: unknown time zone 'Madrid'",
        ),
        (('target = "UC123"', 'target = "UC123"\ntargte = "x"'), "sources[0].targte: unknown field"),
        (('target = "UC123"', ""), "sources[0].target: Field required"),
    ],
)
def test_invalid_config_names_file_and_field(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(path) in str(error.value) and expected in str(error.value)


def test_duplicate_source_names_are_refused(tmp_path: Path) -> None:
    text = GOOD + GOOD.split("[[sources]]")[1].join(["\n[[sources]]", ""])
    with pytest.raises(ConfigError, match=r"sources\[1\]\.name: 'luna-yt' is used twice"):
        load_config(write(tmp_path, text))


def test_broken_toml_says_where(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML.*line 2"):
        load_config(write(tmp_path, "[[brands]]\nname = \n"))


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file.*--config"):
        load_config(tmp_path / "nope.toml")


def test_masked_config_hides_literal_secrets_and_db_password(tmp_path: Path) -> None:
    text = 'database_url = "postgresql://sl:hunter2pw@db/sl"\n' + GOOD
    shown = json.dumps(load_config(write(tmp_path, text)).masked())
    assert "s3cr3t-literal" not in shown and "hunter2pw" not in shown
    assert "TEST_YT_KEY" in shown  # a reference is not a secret
