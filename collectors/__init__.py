"""One module per platform. Each exposes ``create(context) -> Collector``, ``OPTIONS`` (the
``[sources.options]`` keys it understands) and, where the platform takes replies through its API,
``create_publisher(context) -> Publisher``."""

from __future__ import annotations

import difflib
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
WEB_PLATFORMS = frozenset({"web_reviews", "web_comments"})


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


def known_options(platform: str) -> frozenset[str]:
    """The option keys a source of ``platform`` understands: its module's ``OPTIONS``, plus the keys
    `social-listen import --source` reads from a source of any API platform (``file_import.OPTIONS``).
    The web collectors refuse every key outside their settings table, so they get no import keys."""
    declared: frozenset[str] = platform_module(platform).OPTIONS
    if platform in WEB_PLATFORMS:
        return declared
    imported: frozenset[str] = platform_module("file").OPTIONS
    return declared | imported


def option_problems(config: Config) -> list[str]:
    """Every source's unknown option keys, one line each: ``<file>: sources[i].options.<key>: ...``."""
    return [problem for source in config.sources for problem in source_option_problems(config, source)]


def source_option_problems(config: Config, source: SourceConfig) -> list[str]:
    """The unknown option keys of one source (with a "did you mean" when one is close), as config errors."""
    file = config.path or "config"
    index = next((i for i, s in enumerate(config.sources) if s.name == source.name), None)
    where = f"sources[{index}]" if index is not None else f"sources.{source.name}"
    try:
        known = known_options(source.platform)
    except ConfigError as exc:  # a platform without a collector in this version
        return [f"{file}: {where}.platform: {exc}"]
    own = sorted(platform_module(source.platform).OPTIONS)
    problems = []
    for key in source.options:
        if key in known:
            continue
        close = difflib.get_close_matches(key, sorted(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(
            f"{file}: {where}.options.{key}: unknown option for {source.platform}; "
            f"expected one of {', '.join(own)}{hint}"
        )
    if not problems and source.platform in WEB_PLATFORMS:
        from collectors.web.settings import check_options

        try:
            check_options(source.options, f"{where}.options")
        except ConfigError as exc:
            problems.append(f"{file}: {exc}")
    return problems


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
    """A factory building each source's collector (used by `social-listen collect`); a source with an
    unknown option is refused with a ConfigError naming it (the run fails, the other sources still run)."""

    def build(source: SourceConfig) -> Collector:
        problems = source_option_problems(config, source)
        if problems:
            raise ConfigError("; ".join(problems))
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
