"""The web collectors: a crawl of the source's URLs, streamed into the store in batches.

Web pages have no incremental API: every run re-crawls the targets (politely, through the HTTP cache)
and stable ids make the re-crawl harmless. The cursor only records when and how the last crawl went.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from collectors.base import SourceContext
from collectors.web.normalize import export_row, to_item
from collectors.web.process import CrawlSummary, crawl_events
from collectors.web.settings import DEFAULT_CONTACT_URL, check_options
from social_listen.errors import ConfigError, SocialListenError
from social_listen.model import Item, Page, utcnow

KINDS = {"reviews": "web_reviews", "comments": "web_comments"}


class WebCollector:
    """Crawls a ``web_reviews`` or ``web_comments`` source; one failed URL never loses the others."""

    def __init__(self, context: SourceContext, now: Callable[[], datetime] = utcnow) -> None:
        source = context.source
        self.context = context
        self.options = check_options(source.options, f"sources.{source.name}.options")
        self.urls = [rebase(url, source.base_url) for url in source.targets]
        self.now = now
        self.summary = CrawlSummary()

    def collect(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Pages of ``batch_size`` items as the crawl finds them; the last one carries the cursor."""
        started, platform = self.now(), self.context.source.platform
        self.summary = CrawlSummary()
        events = crawl_events(platform, self.urls, self.options, self.context.contact_url, self.summary)
        batch: list[Item] = []
        pages_seen = 0
        for event in events:
            batch.append(to_item(event, platform, started))
            if len(batch) >= int(self.options["batch_size"]):
                yield Page(items=batch, api_calls=self.summary.pages - pages_seen)
                batch, pages_seen = [], self.summary.pages
        yield Page(items=batch, cursor=self._cursor(started), api_calls=self.summary.pages - pages_seen)
        if self.summary.failures:
            raise SocialListenError(_failure_message(self.summary))

    def _cursor(self, started: datetime) -> dict[str, Any]:
        return {
            "crawled_at": started.isoformat(),
            "pages": self.summary.pages,
            "items": self.summary.records,
            "failed": [url for url, _ in self.summary.failures],
        }


def _failure_message(summary: CrawlSummary) -> str:
    listed = "; ".join(f"{url}: {reason}" for url, reason in summary.failures[:5])
    more = f" (and {len(summary.failures) - 5} more)" if len(summary.failures) > 5 else ""
    return f"{len(summary.failures)} URL(s) failed, the rest was saved: {listed}{more}"


def rebase(url: str, base_url: str | None) -> str:
    """``url`` sent to ``base_url`` instead (tests, proxies): same path and query, base's scheme and host."""
    if not base_url:
        return url
    base = urlsplit(base_url)
    parts = urlsplit(urljoin(base_url, url))
    path = base.path.rstrip("/") + parts.path if parts.netloc != base.netloc else parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))


def crawl(
    kind: str,
    urls: list[str],
    options: dict[str, Any] | None = None,
    contact_url: str = DEFAULT_CONTACT_URL,
    summary: CrawlSummary | None = None,
) -> Iterator[dict[str, Any]]:
    """Crawl ``urls`` for ``reviews`` or ``comments`` without a store; yields export-shaped rows.

    Failed URLs do not raise: they are listed in ``summary.failures`` (pass a CrawlSummary to read them).
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown crawl kind {kind!r}; expected one of {', '.join(KINDS)}")
    platform, started = KINDS[kind], utcnow()
    checked = check_options(options or {}, "crawl options")
    for event in crawl_events(platform, list(urls), checked, contact_url, summary or CrawlSummary()):
        yield export_row(to_item(event, platform, started))


def create(context: SourceContext) -> WebCollector:
    """The collector for a ``web_reviews`` or ``web_comments`` source (by ``context.source.platform``)."""
    if context.source.platform not in KINDS.values():
        raise ConfigError(f"collectors.web cannot collect platform {context.source.platform!r}")
    return WebCollector(context)
