"""The [brands.sla] and [alerts] settings: defaults keep old configs valid, mistakes name the field."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from social_listen.config import check_config, parse_config
from social_listen.errors import ConfigError
from social_listen.sla import SlaBook
from tests.conftest import make_config

EXAMPLE = """
[[brands]]
name = "Tienda Luna"
timezone = "Europe/Madrid"
languages = ["es", "en"]

[brands.sla]
target = "24h"
at_risk = 0.8
hours = { mon = ["09:00-14:00", "16:00-20:00"], fri = ["09:00-14:00", "22:00-02:00"] }
country = "ES"
subdivision = "MD"
closed_days = [2026-12-24, "2026-12-31"]
auto_reply_markers = ["Gracias por escribirnos"]
platforms = { youtube = { target = "48h" }, google_reviews = { target = "3d", at_risk = 0.5 } }

[alerts.rules]
spike_min_count = 4
[alerts.cooldowns]
new_negative = "30m"
[alerts.channels.webhook]
url = { "$env" = "SLACK_WEBHOOK_URL" }
[alerts.channels.smtp]
host = "smtp.example.com"
from = "alertas@example.com"
to = ["duena@example.com"]
username = "alertas"
password = { "$env" = "SMTP_PASSWORD" }
[alerts.channels.telegram]
bot_token = { "$env" = "TELEGRAM_BOT_TOKEN" }
chat_id = "-100123"
"""


def test_existing_configs_stay_valid_with_defaults() -> None:
    config = make_config()
    sla = config.brands[0].sla
    assert sla.target == "24h" and sla.at_risk == 0.75 and sla.hours == {} and sla.country is None
    assert config.alerts.enabled and config.alerts.channels.webhook is None
    assert SlaBook.from_config(config).policy("Tienda Luna").calendar.always_open


def test_full_example_parses_into_policies() -> None:
    config = parse_config(tomllib.loads(EXAMPLE), Path("x.toml"))
    book = SlaBook.from_config(config)
    assert book.policy("Tienda Luna").target == timedelta(hours=24)
    assert book.policy("Tienda Luna", "youtube").target == timedelta(hours=48)
    reviews = book.policy("Tienda Luna", "google_reviews")
    assert reviews.target == timedelta(days=3) and reviews.at_risk == 0.5
    assert book.policy("Tienda Luna", "facebook").at_risk == 0.8
    assert book.policy("unknown brand").target == timedelta(hours=24)
    assert (
        config.alerts.channels.smtp is not None
        and config.alerts.channels.smtp.from_address == "alertas@example.com"
    )


@pytest.mark.parametrize(
    ("sla", "message"),
    [
        ({"target": "soon"}, "brands[0].sla.target: 'soon' is not a duration"),
        ({"hours": {"mon": ["9-17"]}}, "brands[0].sla.hours: '9-17' is not an opening period"),
        ({"hours": {"funday": ["09:00-17:00"]}}, "brands[0].sla.hours: 'funday' is not a weekday"),
        ({"country": "XX"}, "country: 'XX' is not a country"),
        ({"country": "ES", "subdivision": "ZZ"}, "subdivision: 'ZZ' is not a region of ES"),
        ({"platforms": {"myspace": {}}}, "brands[0].sla.platforms: unknown platform 'myspace'"),
        ({"at_risk": 1.5}, "brands[0].sla.at_risk"),
        ({"closed_days": ["someday"]}, "brands[0].sla.closed_days[0]"),
    ],
)
def test_sla_mistakes_name_the_field(sla: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        make_config(brands=[{"name": "Tienda Luna", "sla": sla}])


@pytest.mark.parametrize(
    ("alerts", "message"),
    [
        ({"channels": {"smtp": {"host": "h"}}}, "alerts.channels.smtp.from: Field required"),
        ({"rules": {"spike_p_value": 2}}, "alerts.rules.spike_p_value"),
        ({"cooldowns": {"sla": "often"}}, "alerts.cooldowns.sla: 'often' is not a duration"),
        ({"channels": {"webhook": {"url": "u", "rules": ["everything"]}}}, "unknown rule 'everything'"),
        (
            {"channels": {"telegram": {"bot_token": {"$vault": "x"}, "chat_id": 1}}},
            "bot_token must be a string",
        ),
        ({"channels": {"pager": {}}}, "alerts.channels.pager: unknown field"),
    ],
)
def test_alert_mistakes_name_the_field(alerts: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make_config(alerts=alerts)


def test_alert_secrets_are_masked_and_checked() -> None:
    config = make_config(alerts={"channels": {
        "webhook": {"url": "https://hooks.slack.com/services/T0/B0/secret"},
        "smtp": {"host": "h", "from": "a@b.es", "to": ["c@d.es"], "password": "hunter22"},
        "telegram": {"bot_token": {"$env": "TG_TOKEN"}, "chat_id": 5},
    }})  # fmt: skip
    masked = config.masked()["alerts"]["channels"]
    assert masked["webhook"]["url"] == "***" and masked["smtp"]["password"] == "***"
    assert masked["telegram"]["bot_token"] == {"$env": "TG_TOKEN"}
    problems = check_config(config, environ={})
    assert problems == ["alerts.channels.telegram.bot_token: environment variable TG_TOKEN is not set"]
    assert check_config(config, environ={"TG_TOKEN": "123:abc"}) == []
