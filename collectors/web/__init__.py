"""Product reviews (schema.org) and blog comments from any web page, crawled by Scrapy in a child process.

Importing this package never imports Scrapy or Twisted: the spiders run in ``python -m collectors.web.run``.
"""

from __future__ import annotations

from collectors.web.collector import KINDS, WebCollector, crawl, create
from collectors.web.process import CrawlSummary

__all__ = ["KINDS", "CrawlSummary", "WebCollector", "crawl", "create"]
