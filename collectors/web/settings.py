"""The crawler's polite defaults and the source options that tune them (plain data: no Scrapy import here).

Scrapy settings reference: https://docs.scrapy.org/en/latest/topics/settings.html
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from social_listen import __version__
from social_listen.errors import ConfigError

DEFAULT_CONTACT_URL = "https://github.com/social-listen"

# Source options understood by the web collectors, with their defaults and what they do (for the README).
OPTIONS: dict[str, tuple[Any, str]] = {
    "allowed_domains": (None, "Domains the crawler may fetch (default: the targets' hosts)"),
    "max_pages": (200, "Stop after fetching this many pages per crawl"),
    "max_depth": (10, "How many links deep to follow (sitemaps, comment pages)"),
    "max_page_bytes": (10 * 1024 * 1024, "Pages larger than this are not downloaded"),
    "download_delay": (1.0, "Seconds between requests to one site (AutoThrottle adapts from here)"),
    "http_cache": (True, "Keep an HTTP cache and revalidate with ETag/Last-Modified"),
    "cache_dir": (None, "Where the HTTP cache lives (default: the user's cache dir)"),
    "timeout": (900, "Give up on the whole crawl after this many seconds"),
    "batch_size": (100, "Items per page handed to the store"),
    "syntaxes": (["json-ld", "microdata", "rdfa"], "web_reviews: structured-data syntaxes to read"),
    "sitemap_filter": (None, "web_reviews: regex a sitemap URL must match to be crawled"),
    "follow_pagination": (True, "web_comments: follow links to older/newer comment pages"),
    "own_selector": (".bypostauthor", "web_comments: CSS class/selector of the owner's comments"),
    "own_authors": ([], "web_comments: author names that are the brand (feeds, custom themes)"),
    "item_selector": (None, "web_comments: CSS for each comment (switches to a custom theme profile)"),
    "text_selector": (None, "web_comments: CSS for the body, inside a comment"),
    "author_selector": (None, "web_comments: CSS for the author's name, inside a comment"),
    "date_selector": (None, "web_comments: CSS for the date (datetime/content/title attribute or text)"),
    "date_format": (None, "web_comments: strptime format for text dates, e.g. %d/%m/%Y %H:%M"),
    "id_attribute": (None, "web_comments: attribute of the comment element holding its id"),
    "parent_selector": (None, "web_comments: CSS an enclosing comment must match to be the parent"),
    "parent_attribute": (None, "web_comments: attribute holding the parent comment's id"),
    "pagination_selector": (None, "web_comments: CSS for links to other comment pages"),
    "exclude_selector": (None, "web_comments: CSS for parts of the body to leave out"),
    "log_level": ("WARNING", "Log level of the crawler process"),
}


def check_options(options: Mapping[str, Any], where: str = "options") -> dict[str, Any]:
    """The options with defaults filled in; ConfigError naming an unknown key."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ConfigError(f"{where}: unknown web option(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}")
    return {key: options.get(key, default) for key, (default, _) in OPTIONS.items()}


def user_agent(contact_url: str) -> str:
    """Who we are and where site owners can reach us, as the User-Agent says it."""
    return f"social-listen/{__version__} (+{contact_url})"


def cache_dir(options: Mapping[str, Any]) -> str:
    """The HTTP cache folder: the ``cache_dir`` option or ``<user cache dir>/social-listen/httpcache``."""
    if options.get("cache_dir"):
        return str(Path(str(options["cache_dir"])).expanduser().resolve())
    import platformdirs  # a dependency of Scrapy

    return str(Path(platformdirs.user_cache_dir("social-listen")) / "httpcache")


def allowed_domains(urls: list[str], options: Mapping[str, Any]) -> list[str]:
    """The hosts the crawler may fetch: the ``allowed_domains`` option or the targets' own hosts."""
    configured = options.get("allowed_domains")
    if configured:
        return [str(d).strip().lower() for d in ([configured] if isinstance(configured, str) else configured)]
    return sorted({(urlsplit(u).hostname or "").lower() for u in urls} - {""})


def crawler_settings(options: Mapping[str, Any], contact_url: str) -> dict[str, Any]:
    """Scrapy settings: robots.txt obeyed, AutoThrottle, a contact User-Agent, an RFC 2616 cache, caps."""
    delay = float(options["download_delay"])
    return {
        "BOT_NAME": "social-listen",
        "USER_AGENT": user_agent(contact_url),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "social-listen",
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_TIMEOUT": 30,
        "DOWNLOAD_MAXSIZE": int(options["max_page_bytes"]),
        "DOWNLOAD_WARNSIZE": int(options["max_page_bytes"]) // 2,
        "DEPTH_LIMIT": int(options["max_depth"]),
        "CLOSESPIDER_PAGECOUNT": int(options["max_pages"]),
        "CLOSESPIDER_TIMEOUT": int(options["timeout"]),
        "RETRY_TIMES": 2,
        "COOKIES_ENABLED": False,
        # No listening ports (telnet console, Scrapy 2.19's remote control): only the targets are contacted.
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None},
        "HTTPCACHE_ENABLED": bool(options["http_cache"]),
        "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.RFC2616Policy",
        "HTTPCACHE_DIR": cache_dir(options),
        "HTTPCACHE_IGNORE_HTTP_CODES": [401, 403, 404, 408, 429, 500, 502, 503, 504],
        "ITEM_PIPELINES": {
            "collectors.web.pipelines.ValidateRecordPipeline": 100,
            "collectors.web.pipelines.NormaliseRatingPipeline": 200,
            "collectors.web.pipelines.StableIdPipeline": 300,
            "collectors.web.pipelines.DuplicatePipeline": 400,
        },
        "LOG_LEVEL": str(options["log_level"]).upper(),
        "LOG_FORMAT": "%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s",
    }
