"""Run one crawl in its own process and stream what it finds to stdout as JSON Lines.

    python -m collectors.web.run --platform web_reviews --url https://shop.example/p/1 [--url ...]
        [--options '{"max_pages": 50}'] [--contact-url https://shop.example/contact]

Each line is an event: ``record`` (a review or comment), ``snapshot`` (an aggregate rating),
``visit`` (a page parsed), ``failure`` (a URL that failed, and why), ``dropped`` (a record the pipeline
refused, and why) and a final ``done`` with the crawl's counts. Scrapy's log goes to stderr.
Twisted's reactor lives and dies here, never in the CLI or collector process.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from collectors.web.records import as_event
from collectors.web.settings import DEFAULT_CONTACT_URL, check_options, crawler_settings
from social_listen.errors import ConfigError


class EventWriter:
    """Writes one JSON object per line and flushes, so the reader sees records as they are found."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.counts = {"record": 0, "snapshot": 0, "visit": 0, "failure": 0, "dropped": 0}

    def write(self, event: dict[str, Any]) -> None:
        """Write ``event`` as a JSON line."""
        kind = event["type"]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.out.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
        self.out.flush()

    def item_scraped(self, item: Any, **_: Any) -> None:
        """Signal handler: a record, visit or failure that passed the pipeline."""
        self.write(as_event(item))

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        """Signal handler: a record the pipeline refused."""
        page = getattr(item, "page_url", None)
        self.write({"type": "dropped", "url": page, "reason": str(exception)})

    def spider_error(self, failure: Any, response: Any, **_: Any) -> None:
        """Signal handler: a bug or surprise while parsing one page; the other pages go on."""
        self.write({"type": "failure", "url": response.url, "reason": f"could not parse: {failure.value!r}"})


def crawl_to(out: TextIO, platform: str, urls: list[str], options: dict[str, Any], contact_url: str) -> int:
    """Run the platform's spider over ``urls``, writing events to ``out``; returns the exit status."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from collectors.web import robots
    from collectors.web.spiders import SPIDERS

    writer = EventWriter(out)
    settings = crawler_settings(options, contact_url)
    settings["DOWNLOADER_MIDDLEWARES"] = robots.middlewares()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SPIDERS[platform])
    crawler.signals.connect(writer.item_scraped, signal=signals.item_scraped)
    crawler.signals.connect(writer.item_dropped, signal=signals.item_dropped)
    crawler.signals.connect(writer.spider_error, signal=signals.spider_error)
    process.crawl(crawler, urls=urls, options=options)
    process.start()
    writer.write({"type": "done", **writer.counts, "stats": _stats(crawler)})
    return 0


def _stats(crawler: Any) -> dict[str, Any]:
    wanted = ("downloader/request_count", "httpcache/hit", "httpcache/revalidate", "finish_reason")
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {key: stats.get(key) for key in wanted if key in stats}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of the crawler process."""
    parser = argparse.ArgumentParser(prog="python -m collectors.web.run", description=__doc__.splitlines()[0])
    parser.add_argument("--platform", required=True, choices=("web_reviews", "web_comments"))
    parser.add_argument("--url", action="append", required=True, help="A page, feed or sitemap (repeat)")
    parser.add_argument("--options", default="{}", help="The source's options as a JSON object")
    parser.add_argument("--contact-url", default=DEFAULT_CONTACT_URL, help="Shown in the User-Agent")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse arguments, check options, crawl; a bad option exits 2 with a message."""
    args = parse_args(argv)
    try:
        given = json.loads(args.options)
        if not isinstance(given, dict):
            raise ValueError("--options must be a JSON object")
        options = check_options(given, "--options")
    except (ValueError, ConfigError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    return crawl_to(sys.stdout, args.platform, args.url, options, args.contact_url)


if __name__ == "__main__":
    sys.exit(main())
