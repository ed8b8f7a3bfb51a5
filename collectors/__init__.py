"""One module per platform. Each exposes ``create(context) -> Collector`` and, where the platform takes
replies through its API, ``create_publisher(context) -> Publisher``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from collectors.base import Collector, Publisher, ReplyNotAllowed, SourceContext
from social_listen.config import Config, SourceConfig, source_credentials
from social_listen.errors import ConfigError
from social_listen.model import ReplyRequest

MODULES = {
    "youtube": "collectors.youtube",
    "x": "collectors.x",
    "facebook": "collectors.facebook",
    "instagram": "collectors.instagram",
    "wordpress": "collectors.wordpress",
    "woocommerce": "collectors.woocommerce",
    "google_reviews": "collectors.google_reviews",
    "trustpilot": "collectors.trustpilot",
    "web_reviews": "collectors.web",
    "web_comments": "collectors.web",
    "file": "collectors.file_import",
}


def platform_module(platform: str) -> ModuleType:
    """The collector module for ``platform``; ConfigError when that platform is not available yet."""
    name = MODULES.get(platform)
    if name is None:
        raise ConfigError(f"unknown platform {platform!r}; expected one of {', '.join(MODULES)}")
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise ConfigError(f"platform {platform!r} has no collector in this version") from None
        raise


def context_for(config: Config, source: SourceConfig) -> SourceContext:
    """The collector context of ``source``: its brand and credentials resolved from the environment."""
    return SourceContext(
        source=source,
        brand=config.brand(source.brand),
        credentials=source_credentials(config, source),
        contact_url=config.contact_url,
        config_dir=config.path.parent.resolve() if config.path else Path.cwd(),
    )


def collector_for(config: Config) -> Callable[[SourceConfig], Collector]:
    """A factory building each source's collector (used by `social-listen collect`)."""

    def build(source: SourceConfig) -> Collector:
        collector: Collector = platform_module(source.platform).create(context_for(config, source))
        return collector

    return build


def publisher_for(config: Config) -> Callable[[ReplyRequest], Publisher]:
    """A factory building the publisher for a reply's source; ReplyNotAllowed where there is no reply API."""

    def build(request: ReplyRequest) -> Publisher:
        source = config.source(request.source)
        module = platform_module(source.platform)
        if not hasattr(module, "create_publisher"):
            raise ReplyNotAllowed(
                f"{source.platform} has no reply API: answer on the platform and mark the item answered"
            )
        publisher: Publisher = module.create_publisher(context_for(config, source))
        return publisher

    return build


def moderator_for(config: Config) -> Callable[[str], Any]:
    """A factory building, for a source's name, the publisher that can hide comments (Facebook, Instagram);
    ReplyNotAllowed for platforms whose API has no such thing."""

    def build(source_name: str) -> Any:
        source = config.source(source_name)
        module = platform_module(source.platform)
        publisher = (
            module.create_publisher(context_for(config, source))
            if hasattr(module, "create_publisher")
            else None
        )
        if publisher is None or not hasattr(publisher, "hide_comment"):
            raise ReplyNotAllowed(
                f"{source.platform} comments cannot be hidden through its API: do it on the platform"
            )
        return publisher

    return build
