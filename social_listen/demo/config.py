"""The demo's brands and sources: one of every platform, all disabled (no credentials), as a Config and as TOML."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from social_listen.config import Config, parse_config
from social_listen.demo.catalog import HARBOR, LUNA

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
BRANDS: tuple[dict[str, Any], ...] = (
    {"name": LUNA, "timezone": "Europe/Madrid", "languages": ["es", "en"],
     "own_names": ["Tienda Luna", "Aurora", "Brisa", "Marea", "Duna", "Coral", "Niebla"],
     # A split shift on weekdays, Saturday mornings, Madrid's holidays: business time differs from calendar time.
     "sla": {"target": "8h", "country": "ES", "subdivision": "MD",
             "hours": {**{day: ["09:00-14:00", "16:00-19:30"] for day in WEEKDAYS}, "sat": ["10:00-14:00"]},
             "platforms": {"x": {"target": "2h"}, "google_reviews": {"target": "2d"}, "trustpilot": {"target": "2d"}}}},
    {"name": HARBOR, "timezone": "America/New_York", "languages": ["en", "es"],
     "own_names": ["Harbor & Pine", "Ridge", "Drift", "Summit", "Tidal"],
     "sla": {"target": "9h", "country": "US", "subdivision": "NY",
             "hours": {**{day: ["09:00-18:00"] for day in WEEKDAYS}, "sat": ["10:00-16:00"]}}},
)  # fmt: skip


def _env(names: dict[str, str]) -> dict[str, dict[str, str]]:
    """Credentials as references to environment variables (the demo holds no secret)."""
    return {key: {"$env": variable} for key, variable in names.items()}


@dataclass(frozen=True)
class DemoSource:
    """A demo source: its config entry, what share of the demo's items it gets, and a comment for the TOML."""

    name: str
    brand: str
    platform: str
    target: str | list[str]
    share: float
    comment: str
    credentials: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def entry(self) -> dict[str, Any]:
        """The ``[[sources]]`` entry (disabled: the demo has no credentials)."""
        entry: dict[str, Any] = {"name": self.name, "brand": self.brand, "platform": self.platform,
                                 "target": self.target, "enabled": False}  # fmt: skip
        if self.credentials:
            entry["credentials"] = self.credentials
        if self.options:
            entry["options"] = self.options
        return entry


MARKETPLACE = "https://www.mercado-moda.example/p/tienda-luna-"


def site_host(source: DemoSource) -> str:
    """Host and path of a source's site (``blog.tienda-luna.example``): WordPress ids are per site."""
    first = source.target if isinstance(source.target, str) else source.target[0]
    parts = urlsplit(first)
    return (parts.netloc + (parts.path if source.platform in ("wordpress", "woocommerce") else "")).rstrip(
        "/"
    )


SOURCES: tuple[DemoSource, ...] = (
    DemoSource("luna-youtube", LUNA, "youtube", "UCTiendaLunaDemoChannel1", 0.09, "YouTube channel: comments on videos",
               _env({"api_key": "YOUTUBE_API_KEY", "oauth_token": "YOUTUBE_OAUTH_TOKEN"})),
    DemoSource("luna-x", LUNA, "x", "@tiendaluna", 0.09, "X: mentions of @tiendaluna and the replies to them",
               _env({"bearer_token": "X_BEARER_TOKEN", "oauth2_user_token": "X_OAUTH2_USER_TOKEN"})),
    DemoSource("luna-facebook", LUNA, "facebook", "104857600123456", 0.16, "Facebook Page: comments on posts",
               _env({"page_token": "FACEBOOK_PAGE_TOKEN"})),
    DemoSource("luna-instagram", LUNA, "instagram", "17841400000000001", 0.17, "Instagram business account",
               _env({"page_token": "FACEBOOK_PAGE_TOKEN"})),
    DemoSource("luna-blog", LUNA, "wordpress", "https://blog.tienda-luna.example", 0.06, "WordPress blog comments",
               _env({"username": "WP_USER", "app_password": "WP_APP_PASSWORD"}), {"staff_user_ids": [1, 2]}),
    DemoSource("luna-shop-reviews", LUNA, "woocommerce", "https://tienda-luna.example", 0.08,
               "WooCommerce product reviews", _env({"consumer_key": "WC_CONSUMER_KEY", "consumer_secret": "WC_CONSUMER_SECRET"})),
    DemoSource("luna-google", LUNA, "google_reviews", "accounts/1100000000000000001/locations/2200000000000000001", 0.05,
               "Google reviews of the Malasaña showroom", _env({"access_token": "GOOGLE_ACCESS_TOKEN"}),
               {"location_name": "Tienda Luna · Showroom Malasaña"}),
    DemoSource("luna-trustpilot", LUNA, "trustpilot", "5f0c1d2e3a4b5c6d7e8f9a0b", 0.05, "Trustpilot service reviews",
               _env({"access_token": "TRUSTPILOT_ACCESS_TOKEN"}),
               {"business_user_id": "5f0c1d2e3a4b5c6d7e8f0001"}),
    DemoSource("luna-marketplace", LUNA, "web_reviews",
               [MARKETPLACE + k for k in ("zapatillas-aurora", "chaqueta-brisa", "vestido-marea", "botines-duna",
                                          "mochila-nube")],
               0.04, "Reviews on a marketplace's product pages (schema.org), crawled"),
    DemoSource("luna-magazine", LUNA, "web_comments", "https://tienda-luna.example/revista/", 0.03,
               "Comments on the shop's magazine pages, crawled"),
    DemoSource("luna-contact-form", LUNA, "file", "contact-form.csv", 0.05,
               "Contact-form messages exported as CSV (social-listen import FILE --source luna-contact-form)",
               options={"kind": "message", "columns": {"text": "mensaje", "author": "nombre", "created": "fecha",
                                                       "external_id": "id"}}),
    DemoSource("harbor-instagram", HARBOR, "instagram", "17841400000000002", 0.06, "Harbor & Pine on Instagram",
               _env({"page_token": "HARBOR_PAGE_TOKEN"})),
    DemoSource("harbor-x", HARBOR, "x", "@harborandpine", 0.02, "Harbor & Pine on X",
               _env({"bearer_token": "HARBOR_X_BEARER_TOKEN"})),
    DemoSource("harbor-trustpilot", HARBOR, "trustpilot", "60a1b2c3d4e5f60718293a4b", 0.03,
               "Harbor & Pine on Trustpilot", _env({"access_token": "HARBOR_TRUSTPILOT_ACCESS_TOKEN"})),
    DemoSource("harbor-google", HARBOR, "google_reviews", "accounts/1100000000000000009/locations/2200000000000000042",
               0.02, "Google reviews of the Williamsburg store", _env({"access_token": "HARBOR_GOOGLE_ACCESS_TOKEN"}),
               {"location_name": "Harbor & Pine · Williamsburg"}),
)  # fmt: skip


def demo_data(db_path: Path) -> dict[str, Any]:
    """The demo configuration as plain data."""
    return {
        "database_url": f"sqlite:///{Path(db_path).resolve()}",
        "contact_url": "https://tienda-luna.example/contacto",
        "brands": [dict(brand) for brand in BRANDS],
        "sources": [source.entry() for source in SOURCES],
    }


def demo_config(db_path: Path) -> Config:
    """The demo's brands and sources (every platform, disabled so `collect --all` skips them)."""
    return parse_config(demo_data(db_path), Path(db_path).with_suffix(".toml"))


HEADER = """\
# social-listen demo configuration, written by `social-listen demo`.
# Two fictional shops: Tienda Luna (Spanish-first, Madrid) and Harbor & Pine (English-first, New York).
# The demo store holds ~90 days of comments and reviews from every platform below. Every source is
# disabled (enabled = false) because the demo has no credentials: `social-listen collect --all` skips them.
# To watch a real channel, copy a [[sources]] block into your own social-listen.toml, set its target, export
# the environment variables named in `credentials`, and set enabled = true.
"""


def write_demo_config(path: Path, db_path: Path) -> None:
    """Write the demo configuration as a commented TOML file a person can read and copy from."""
    data = demo_data(db_path)
    lines = [
        HEADER,
        f"database_url = {_toml(data['database_url'])}",
        f"contact_url = {_toml(data['contact_url'])}",
        "",
    ]
    for brand in data["brands"]:
        lines += ["[[brands]]", *_table("brands", brand), ""]
    for source in SOURCES:
        lines += [f"# {source.comment}", "[[sources]]"]
        entry = source.entry()
        options = entry.pop("options", None)
        lines += [f"{key} = {_toml(value)}" for key, value in entry.items()]
        if options:
            lines += ["[sources.options]", *(f"{key} = {_toml(value)}" for key, value in options.items())]
        lines.append("")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def _table(name: str, values: dict[str, Any]) -> list[str]:
    """Key = value lines, then each dict-valued key as its own ``[name.key]`` table (readable, not inline)."""
    lines = [f"{key} = {_toml(value)}" for key, value in values.items() if not isinstance(value, dict)]
    for key, value in values.items():
        if isinstance(value, dict):
            lines += [f"[{name}.{_key(key)}]", *_table(f"{name}.{_key(key)}", value)]
    return lines


def _toml(value: Any) -> str:
    """A TOML literal for strings, numbers, booleans, lists and inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)
