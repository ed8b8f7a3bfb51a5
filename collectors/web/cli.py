"""`social-listen crawl reviews|comments URL...`: try the web spiders on pages without a store."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from collectors.web.collector import crawl as crawl_pages
from collectors.web.process import CrawlSummary
from collectors.web.settings import DEFAULT_CONTACT_URL, OPTIONS
from social_listen.errors import SocialListenError


@click.group("crawl")
def crawl() -> None:
    """Try the web spiders on pages: print one JSON object per item found, and a summary on stderr."""


def _crawl_options(command: Any) -> Any:
    command = click.option(
        "-o", "--option", "pairs", multiple=True, metavar="KEY=VALUE",
        help=f"A source option (value as JSON or text), e.g. -o max_pages=5. Keys: {', '.join(OPTIONS)}.",
    )(command)  # fmt: skip
    command = click.option("--no-cache", is_flag=True, help="Do not use or fill the HTTP cache.")(command)
    command = click.option("--contact-url", help="Contact URL for the User-Agent (default: the config's).")(
        command
    )
    return click.argument("urls", nargs=-1, required=True, metavar="URL...")(command)


@crawl.command("reviews")
@_crawl_options
@click.pass_context
def reviews(ctx: click.Context, urls: tuple[str, ...], pairs: tuple[str, ...], no_cache: bool,
            contact_url: str | None) -> None:  # fmt: skip
    """schema.org reviews (JSON-LD, microdata, RDFa) and aggregate ratings on product pages or sitemaps."""
    _run(ctx, "reviews", urls, pairs, no_cache, contact_url)


@crawl.command("comments")
@_crawl_options
@click.pass_context
def comments(ctx: click.Context, urls: tuple[str, ...], pairs: tuple[str, ...], no_cache: bool,
             contact_url: str | None) -> None:  # fmt: skip
    """Blog comments: WordPress markup, RSS/Atom comment feeds, or a theme's CSS profile (-o item_selector=...)."""
    _run(ctx, "comments", urls, pairs, no_cache, contact_url)


def _run(ctx: click.Context, kind: str, urls: tuple[str, ...], pairs: tuple[str, ...], no_cache: bool,
         contact_url: str | None) -> None:  # fmt: skip
    options = _parse_pairs(pairs)
    if no_cache:
        options["http_cache"] = False
    summary, count = CrawlSummary(), 0
    try:
        for row in crawl_pages(kind, list(urls), options, contact_url or _contact_url(ctx), summary):
            click.echo(json.dumps(row, ensure_ascii=False))
            count += 1
    except SocialListenError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    for url, reason in summary.failures:
        click.echo(f"Error: {url}: {reason}", err=True)
    click.echo(summary.line(count), err=True)
    if summary.failures:
        sys.exit(1)


def _parse_pairs(pairs: tuple[str, ...]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--option")
        try:
            options[key.strip()] = json.loads(value)
        except ValueError:
            options[key.strip()] = value
    return options


def _contact_url(ctx: click.Context) -> str:
    """The config's contact_url when a config can be loaded; the default otherwise (no config needed)."""
    loader = getattr(ctx.find_root().obj, "config", None)
    if loader is None:
        return DEFAULT_CONTACT_URL
    try:
        return str(loader().contact_url)
    except SocialListenError:
        return DEFAULT_CONTACT_URL
