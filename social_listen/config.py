"""Typed settings from one TOML file; secrets are references resolved from the environment or a secrets file."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from social_listen.errors import ConfigError
from social_listen.logs import register_secret
from social_listen.model import PLATFORMS
from social_listen.sla import parse_duration, parse_week

DEFAULT_CONFIG = "social-listen.toml"
CONFIG_ENV = "SOCIAL_LISTEN_CONFIG"
MASK = "***"

SecretRef = str | dict[str, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: str) -> str:
    parse_duration(value)
    return value


def _secret_ref(key: str, ref: SecretRef) -> SecretRef:
    if isinstance(ref, dict) and (len(ref) != 1 or next(iter(ref)) not in ("$env", "$secret")):
        raise ValueError(f'{key} must be a string, {{ "$env" = "NAME" }} or {{ "$secret" = "key" }}')
    return ref


class PlatformSlaConfig(_Strict):
    """A platform's own first-response target for one brand (e.g. YouTube comments: 48h)."""

    target: str | None = Field(default=None, description="Duration such as 48h; default the brand's target")
    at_risk: float | None = Field(
        default=None, gt=0, lt=1, description="Share of the target that means at risk"
    )

    @field_validator("target")
    @classmethod
    def _valid_target(cls, value: str | None) -> str | None:
        return None if value is None else _duration(value)


class SlaConfig(_Strict):
    """A brand's first-response target and business calendar (in the brand's time zone)."""

    target: str = Field(
        default="24h", description="First-response target in business time, e.g. 24h, 30m, 2d"
    )
    at_risk: float = Field(
        default=0.75, gt=0, lt=1, description="Share of the target after which an item is at risk"
    )
    hours: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Opening periods per weekday, e.g. mon = ["09:00-14:00", "16:00-20:00"]',
    )
    country: str | None = Field(default=None, description="ISO country code for public holidays, e.g. ES")
    subdivision: str | None = Field(
        default=None, description="Region for regional holidays, e.g. MD (Madrid)"
    )
    closed_days: list[date] = Field(default_factory=list, description="Extra days the shop is closed")
    platforms: dict[str, PlatformSlaConfig] = Field(
        default_factory=dict, description="Per-platform overrides"
    )
    auto_reply_markers: list[str] = Field(
        default_factory=list, description="Text found in the brand's automatic replies (they do not count)"
    )

    @field_validator("target")
    @classmethod
    def _valid_target(cls, value: str) -> str:
        return _duration(value)

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        parse_week(value)
        return value

    @field_validator("platforms")
    @classmethod
    def _known_platforms(cls, value: dict[str, PlatformSlaConfig]) -> dict[str, PlatformSlaConfig]:
        unknown = [name for name in value if name not in PLATFORMS]
        if unknown:
            raise ValueError(f"unknown platform {unknown[0]!r}; expected one of {', '.join(PLATFORMS)}")
        return value

    @model_validator(mode="after")
    def _known_country(self) -> SlaConfig:
        if self.country is None:
            if self.subdivision:
                raise ValueError("subdivision needs a country")
            return self
        import holidays

        supported = holidays.list_supported_countries()
        code = self.country.upper()
        if code not in supported:
            raise ValueError(
                f"country: {self.country!r} is not a country the holidays package knows (e.g. ES, MX, US)"
            )
        if self.subdivision and self.subdivision.upper() not in [s.upper() for s in supported[code]]:
            raise ValueError(
                f"subdivision: {self.subdivision!r} is not a region of {code} ({', '.join(supported[code][:12])} ...)"
            )
        return self


class BrandConfig(_Strict):
    """A brand (shop) whose channels are watched."""

    name: str = Field(min_length=1, description="Unique brand name, as sources refer to it")
    timezone: str = Field("UTC", description="IANA time zone for business hours, e.g. Europe/Madrid")
    languages: list[str] = Field(default_factory=lambda: ["es", "en"], description="ISO 639-1 codes")
    own_names: list[str] = Field(default_factory=list, description="Brand and product names (neutral)")
    triage: dict[str, Any] = Field(
        default_factory=dict, description="Triage overrides: phrases with a fixed sentiment or intent"
    )

    sla: SlaConfig = Field(default_factory=SlaConfig, description="First-response target and opening hours")

    @field_validator("triage")
    @classmethod
    def _valid_triage(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - {"phrases", "neutral", "intents"})
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}; expected phrases, neutral or intents")
        for key, kind in (("phrases", dict), ("intents", dict), ("neutral", list)):
            if key in value and not isinstance(value[key], kind):
                shape = "a table of phrase = value" if kind is dict else "a list of names"
                raise ValueError(f"{key} must be {shape}")
        from social_listen.triage.overrides import Overrides  # late: the triage package is heavy to load

        try:
            Overrides.from_dict(value)
        except Exception as exc:  # TriageConfigError: a bad label or intent
            raise ValueError(str(exc)) from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (expected e.g. 'Europe/Madrid')") from exc
        return value


class SourceConfig(_Strict):
    """One watched channel: a platform account, site, or file."""

    name: str = Field(min_length=1, description="Unique source name used on the command line")
    brand: str = Field(min_length=1, description="Name of a [[brands]] entry")
    platform: str = Field(description="One of: " + ", ".join(PLATFORMS))
    target: str | list[str] = Field(description="What is watched: channel id, page id, site URL, file path")
    base_url: str | None = Field(None, description="API root, for tests, proxies and gateways")
    enabled: bool = True
    credentials: dict[str, SecretRef] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict, description="Platform-specific settings")

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError(f"unknown platform {value!r}; expected one of {', '.join(PLATFORMS)}")
        return value

    @field_validator("credentials")
    @classmethod
    def _refs_well_formed(cls, value: dict[str, SecretRef]) -> dict[str, SecretRef]:
        for key, ref in value.items():
            if isinstance(ref, dict) and (len(ref) != 1 or next(iter(ref)) not in ("$env", "$secret")):
                raise ValueError(
                    f'credential {key!r} must be a string, {{ "$env" = "NAME" }} or {{ "$secret" = "key" }}'
                )
        return value

    @property
    def targets(self) -> list[str]:
        """The target as a list (some platforms watch several URLs)."""
        return [self.target] if isinstance(self.target, str) else list(self.target)


class CollectConfig(_Strict):
    """How `collect --all` shares the work between runs and hosts."""

    min_interval: str | None = Field(
        default=None,
        description="`collect --all` skips a source whose last run ended ok less than this long ago (e.g. 4m "
        "with cron every 5 minutes on several hosts: each source is collected once per round); unset: never",
    )

    @field_validator("min_interval")
    @classmethod
    def _valid_duration(cls, value: str | None) -> str | None:
        return None if value is None else _duration(value)


class DashboardConfig(_Strict):
    """Where the dashboard listens."""

    host: str = "127.0.0.1"
    port: int = 8501


ALERT_RULES = (
    "new_negative", "sla_at_risk", "sla_breached", "negative_spike", "first_negative_review",
    "reply_window", "quota_exhausted", "source_failing", "digest",
)  # fmt: skip


class AlertRulesConfig(_Strict):
    """Which alerts fire, and their thresholds."""

    new_negative: bool = True
    sla_at_risk: bool = True
    sla_breached: bool = True
    negative_spike: bool = True
    first_negative_review: bool = True
    reply_window: bool = True
    quota_exhausted: bool = True
    source_failing: bool = True
    digest: bool = True
    spike_min_count: int = Field(
        default=3, ge=1, description="A spike needs at least this many negatives in the day"
    )
    spike_p_value: float = Field(
        default=0.01, gt=0, lt=1, description="How improbable the day must be (Poisson)"
    )
    spike_baseline_days: int = Field(
        default=28, ge=7, description="Days of history the normal rate is taken from"
    )
    first_negative_days: int = Field(
        default=30, ge=1, description="Quiet days before a negative review is news"
    )
    failing_runs: int = Field(default=3, ge=1, description="Failed collection runs in a row before an alert")
    reply_window_warning: str = Field(
        default="24h", description="Warn this long before a reply window closes"
    )
    lookback: str = Field(
        default="48h", description="Older events are not news (first run on old data stays quiet)"
    )
    digest_hour: int = Field(
        default=8, ge=0, le=23, description="Local hour after which the daily digest is sent"
    )

    @field_validator("reply_window_warning", "lookback")
    @classmethod
    def _valid_duration(cls, value: str) -> str:
        return _duration(value)


class AlertCooldownsConfig(_Strict):
    """Minimum time between two alerts of a rule for one brand (new items wait and are grouped)."""

    new_negative: str = "1h"
    sla: str = "1h"
    reply_window: str = "6h"

    @field_validator("new_negative", "sla", "reply_window")
    @classmethod
    def _valid_duration(cls, value: str) -> str:
        return _duration(value)


class _Channel(_Strict):
    rules: list[str] = Field(default_factory=list, description="Only these rules (default: every rule)")
    brands: list[str] = Field(default_factory=list, description="Only these brands (default: every brand)")

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: list[str]) -> list[str]:
        unknown = [rule for rule in value if rule not in ALERT_RULES]
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}; expected some of {', '.join(ALERT_RULES)}")
        return value


class WebhookChannelConfig(_Channel):
    """A Slack-compatible incoming webhook (JSON body with ``text``)."""

    url: SecretRef = Field(description='Webhook URL (it contains a token: prefer { "$env" = "NAME" })')
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("url")
    @classmethod
    def _ref(cls, value: SecretRef) -> SecretRef:
        return _secret_ref("url", value)


class SmtpChannelConfig(_Channel):
    """E-mail through an SMTP server."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    from_address: str = Field(alias="from", min_length=3, description="Sender address")
    to: list[str] = Field(min_length=1, description="Recipient addresses")
    username: SecretRef | None = None
    password: SecretRef | None = None
    starttls: bool = True
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("username", "password")
    @classmethod
    def _ref(cls, value: SecretRef | None) -> SecretRef | None:
        return None if value is None else _secret_ref("username/password", value)


class TelegramChannelConfig(_Channel):
    """A Telegram bot writing to a chat (https://core.telegram.org/bots/api#sendmessage)."""

    bot_token: SecretRef
    chat_id: str | int
    base_url: str = "https://api.telegram.org"
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("bot_token")
    @classmethod
    def _ref(cls, value: SecretRef) -> SecretRef:
        return _secret_ref("bot_token", value)


class AlertChannelsConfig(_Strict):
    """Where alerts go; any combination."""

    webhook: WebhookChannelConfig | None = None
    smtp: SmtpChannelConfig | None = None
    telegram: TelegramChannelConfig | None = None


class AlertsConfig(_Strict):
    """What `social-listen alerts` notifies, how often, and where."""

    enabled: bool = True
    rules: AlertRulesConfig = Field(default_factory=AlertRulesConfig)
    cooldowns: AlertCooldownsConfig = Field(default_factory=AlertCooldownsConfig)
    channels: AlertChannelsConfig = Field(default_factory=AlertChannelsConfig)


ALERT_SECRETS = {"webhook": ("url",), "smtp": ("username", "password"), "telegram": ("bot_token",)}


class Config(_Strict):
    """The whole configuration file."""

    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default a SQLite file next to the config"
    )
    secrets_file: str | None = Field(
        None, description='TOML file of secrets referenced as { "$secret" = key }'
    )
    contact_url: str = Field(
        "https://github.com/social-listen", description="Shown in the crawler's User-Agent"
    )
    brands: list[BrandConfig] = Field(default_factory=list)
    sources: list[SourceConfig] = Field(default_factory=list)
    collect: CollectConfig = Field(default_factory=CollectConfig)
    dashboard: DashboardConfig = Field(default_factory=DashboardConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    path: Path | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _references_resolve(self) -> Config:
        brand_names = [b.name for b in self.brands]
        _require_unique(brand_names, "brands", "name")
        _require_unique([s.name for s in self.sources], "sources", "name")
        for index, source in enumerate(self.sources):
            if source.brand not in brand_names:
                raise ValueError(
                    f"sources[{index}].brand: {source.brand!r} is not a [[brands]] name "
                    f"(known: {', '.join(brand_names) or 'none'})"
                )
        return self

    def source(self, name: str) -> SourceConfig:
        """The source called ``name``, or a ConfigError listing the known names."""
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise ConfigError(f"no source named {name!r} in {self.path} (known: {known})")

    def brand(self, name: str) -> BrandConfig:
        """The brand called ``name``."""
        for brand in self.brands:
            if brand.name == name:
                return brand
        raise ConfigError(f"no brand named {name!r} in {self.path}")

    def resolved_database_url(self) -> str:
        """The database URL; the default is ``social-listen.db`` beside the config file."""
        if self.database_url:
            return self.database_url
        folder = self.path.parent if self.path else Path.cwd()
        return f"sqlite:///{(folder / 'social-listen.db').resolve()}"

    def masked(self) -> dict[str, Any]:
        """The configuration as data with every credential replaced by ``***`` (for printing)."""
        data = self.model_dump(mode="json")
        for source in data["sources"]:
            source["credentials"] = {
                key: (ref if isinstance(ref, dict) else MASK) for key, ref in source["credentials"].items()
            }
        if data.get("database_url"):
            data["database_url"] = mask_url(data["database_url"])
        _mask_alert_secrets(data["alerts"]["channels"])
        return data


def _mask_alert_secrets(channels: dict[str, Any]) -> None:
    for channel, keys in ALERT_SECRETS.items():
        settings: dict[str, Any] = channels.get(channel) or {}
        for key in keys:
            if settings.get(key) is not None and not isinstance(settings[key], dict):
                settings[key] = MASK


def _require_unique(values: list[str], section: str, field: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise ValueError(f"{section}[{index}].{field}: {value!r} is used twice; names must be unique")
        seen.add(value)


def mask_url(url: str) -> str:
    """Hide the password in a database URL."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:{MASK}@{host}"


def config_path(explicit: str | os.PathLike[str] | None, environ: Mapping[str, str] | None = None) -> Path:
    """Where the config lives: the argument, then $SOCIAL_LISTEN_CONFIG, then ./social-listen.toml."""
    environ = os.environ if environ is None else environ
    return Path(explicit or environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def load_config(
    path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    """Read and validate the TOML config; every problem names the file and the field."""
    file = config_path(path, environ)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{file}: no such config file (pass --config, set {CONFIG_ENV}, "
            "or copy social-listen.example.toml to social-listen.toml)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        where = f"{exc.reason} at byte {exc.start}"
        raise ConfigError(f"{file}: not UTF-8 text ({where}): save it as UTF-8") from None
    return parse_config(data, file)


def parse_config(data: dict[str, Any], file: Path | None = None) -> Config:
    """Validate already-parsed config data."""
    try:
        config = Config.model_validate({**data, "path": file})
    except ValidationError as exc:
        raise ConfigError(f"{file or 'config'}: " + "; ".join(_describe(e) for e in exc.errors())) from None
    return config


def _describe(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"] if part not in ("function-after",))
    for part in error["loc"]:
        if isinstance(part, int):
            location = location.replace(f".{part}", f"[{part}]")
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown field (check the spelling; see social-listen.example.toml)"
    return f"{location or 'top level'}: {message}" if location else message


def resolve_secret(
    ref: SecretRef, where: str, environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None
) -> str:
    """Turn a credential reference into its value; a missing one names the field and the variable."""
    value = ref if isinstance(ref, str) else _lookup(ref, where, environ, secrets)
    register_secret(value)
    return value


def _lookup(
    ref: dict[str, str], where: str, environ: Mapping[str, str], secrets: Mapping[str, Any] | None
) -> str:
    kind, name = next(iter(ref.items()))
    if kind == "$env":
        if not environ.get(name):
            raise ConfigError(f"{where}: environment variable {name} is not set")
        return environ[name]
    if secrets is None or name not in secrets:
        raise ConfigError(f"{where}: secret {name!r} is not in the secrets file")
    return str(secrets[name])


def load_secrets(config: Config, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The secrets file's contents ({} when none is configured)."""
    environ = os.environ if environ is None else environ
    name = config.secrets_file or environ.get("SOCIAL_LISTEN_SECRETS")
    if not name:
        return {}
    file = Path(name)
    if not file.is_absolute() and config.path is not None:
        file = config.path.parent / file
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"secrets_file {file}: cannot read: {exc}") from None


def source_credentials(
    config: Config, source: SourceConfig, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """All of a source's credentials resolved to values (only ever held in memory)."""
    environ = os.environ if environ is None else environ
    secrets = load_secrets(config, environ)
    return {
        key: resolve_secret(ref, f"sources.{source.name}.credentials.{key}", environ, secrets)
        for key, ref in source.credentials.items()
    }


def check_config(config: Config, environ: Mapping[str, str] | None = None) -> list[str]:
    """Problems that only show at run time (unset variables, missing secrets), one line each."""
    problems = []
    for source in config.sources:
        if not source.enabled:
            continue
        try:
            source_credentials(config, source, environ)
        except ConfigError as exc:
            problems.append(str(exc))
    return problems + _alert_secret_problems(config, environ)


def _alert_secret_problems(config: Config, environ: Mapping[str, str] | None) -> list[str]:
    environ = os.environ if environ is None else environ
    problems = []
    for channel, keys in ALERT_SECRETS.items():
        settings = getattr(config.alerts.channels, channel)
        for key in keys if settings is not None else ():
            ref = getattr(settings, key)
            try:
                if ref is not None:
                    resolve_secret(
                        ref, f"alerts.channels.{channel}.{key}", environ, load_secrets(config, environ)
                    )
            except ConfigError as exc:
                problems.append(str(exc))
    return problems
