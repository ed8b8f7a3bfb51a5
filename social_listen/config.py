"""Typed settings from one TOML file; secrets are references resolved from the environment or a secrets file."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from social_listen.errors import ConfigError
from social_listen.logs import register_secret
from social_listen.model import PLATFORMS

DEFAULT_CONFIG = "social-listen.toml"
CONFIG_ENV = "SOCIAL_LISTEN_CONFIG"
MASK = "***"

SecretRef = str | dict[str, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BrandConfig(_Strict):
    """A brand (shop) whose channels are watched."""

    name: str = Field(min_length=1, description="Unique brand name, as sources refer to it")
    timezone: str = Field("UTC", description="IANA time zone for business hours, e.g. Europe/Madrid")
    languages: list[str] = Field(default_factory=lambda: ["es", "en"], description="ISO 639-1 codes")
    own_names: list[str] = Field(default_factory=list, description="Brand and product names (neutral)")

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


class DashboardConfig(_Strict):
    """Where the dashboard listens."""

    host: str = "127.0.0.1"
    port: int = 8501


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
    dashboard: DashboardConfig = Field(default_factory=DashboardConfig)
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
        return data


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
    return problems
