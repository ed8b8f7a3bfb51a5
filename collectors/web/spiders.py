"""The spiders: they only fetch and parse; records go through the pipeline, failures are reported as data."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from collectors.web import comments_html, feeds, schema_org
from collectors.web.records import PageFailure, PageVisit
from collectors.web.settings import allowed_domains


class WebSpider(scrapy.Spider):
    """Shared start, link following (only within the allowed domains) and failure reporting."""

    def __init__(self, urls: list[str], options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = list(dict.fromkeys(urls))
        self.options = options
        self.allowed_domains = allowed_domains(self.urls, options)

    async def start(self) -> AsyncIterator[Any]:
        """A request per target; a target outside the allowed domains is reported, not fetched."""
        for url in self.urls:
            if self.is_allowed(url):
                yield scrapy.Request(url, callback=self.parse, errback=self.failed)
            else:
                yield PageFailure(
                    url, f"not fetched: outside the allowed domains ({', '.join(self.allowed_domains)})"
                )

    def is_allowed(self, url: str) -> bool:
        """Whether ``url`` is http(s) on an allowed domain or one of its subdomains."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        on_domain = any(host == d or host.endswith("." + d) for d in self.allowed_domains)
        return parts.scheme in ("http", "https") and on_domain

    def follow_all_allowed(self, response: Response, hrefs: list[str]) -> Iterator[scrapy.Request]:
        """Requests for the links that stay within the allowed domains."""
        for href in hrefs:
            url = response.urljoin(href.strip())
            if self.is_allowed(url):
                yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def failed(self, failure: Failure) -> Iterator[PageFailure]:
        """Report a URL that could not be fetched, with a reason a person can act on."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        yield PageFailure(url, failure_reason(failure))

    def parse(self, response: Response, **kwargs: Any) -> Any:  # noqa: D102 - each spider has its own
        raise NotImplementedError


def failure_reason(failure: Failure) -> str:
    """Why a request failed, in words: HTTP status, robots.txt, size cap, DNS or connection error."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"HTTP {error.response.status}"
    message = str(error) or type(error).__name__
    if "robots.txt" in message:
        return "forbidden by the site's robots.txt"
    if "max size" in message.lower() or "maxsize" in message.lower():
        return f"page larger than the max_page_bytes option: {message}"
    return f"{type(error).__name__}: {message}"


class ReviewsSpider(WebSpider):
    """schema.org reviews and aggregate ratings on product or listing pages; sitemaps lead to pages."""

    name = "web_reviews"

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Reviews and the aggregate rating of a page, or the pages a sitemap lists."""
        body = _sitemap_body(response)
        if body is not None:
            yield from self.parse_sitemap(response, body)
            return
        if not isinstance(response, TextResponse):
            yield PageFailure(response.url, f"not an HTML page ({_content_type(response)})")
            return
        syntaxes = tuple(self.options.get("syntaxes") or schema_org.SYNTAXES)
        records = list(schema_org.extract(response.body, response.encoding, response.url, syntaxes))
        yield from records
        yield PageVisit(response.url, response.status, len(records))

    def parse_sitemap(self, response: Response, body: bytes) -> Iterator[Any]:
        """Follow a sitemap's (or sitemap index's) URLs that pass ``sitemap_filter``."""
        wanted = re.compile(self.options.get("sitemap_filter") or "")
        locations = [entry["loc"] for entry in Sitemap(body) if entry.get("loc")]
        yield from self.follow_all_allowed(response, [u for u in locations if wanted.search(u)])
        yield PageVisit(response.url, response.status, 0)


def _sitemap_body(response: Response) -> bytes | None:
    """The sitemap XML (gunzipped if need be), or None when the response is not a sitemap."""
    body = response.body
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=10 * 1024 * 1024)
        except OSError:
            return None
    head = body[:2048]
    return body if b"<urlset" in head or b"<sitemapindex" in head else None


def _content_type(response: Response) -> str:
    value = response.headers.get(b"Content-Type") or b"no content type"
    return value.decode("latin-1")


class CommentsSpider(WebSpider):
    """Blog comments: WordPress markup, a custom CSS profile, or RSS/Atom comment feeds."""

    name = "web_comments"

    def __init__(self, urls: list[str], options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(urls, options, **kwargs)
        self.profile = comments_html.CommentProfile.from_options(options)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Every comment on the page (or in the feed), then the post's other comment pages."""
        if feeds.is_feed(response.body):
            records = list(feeds.extract(response.body, response.url, self.profile))
        elif isinstance(response, TextResponse):
            records = list(comments_html.extract(response.selector, response.url, self.profile))
            if self.options.get("follow_pagination", True):
                links = comments_html.pagination_links(response.selector, self.profile)
                yield from self.follow_all_allowed(response, links)
        else:
            yield PageFailure(response.url, f"not an HTML page or feed ({_content_type(response)})")
            return
        yield from records
        yield PageVisit(response.url, response.status, len(records))


SPIDERS: dict[str, type[WebSpider]] = {"web_reviews": ReviewsSpider, "web_comments": CommentsSpider}
