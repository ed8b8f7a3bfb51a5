"""Product reviews (schema.org) and blog comments from any web page, crawled by Scrapy in a child process.

Importing this package never imports Scrapy or Twisted: the spiders run in ``python -m collectors.web.run``.
"""

from __future__ import annotations

from collectors.web.collector import KINDS, WebCollector, crawl, create
from collectors.web.process import CrawlSummary
from collectors.web.settings import OPTIONS as _OPTION_TABLE

# The [sources.options] keys web_reviews and web_comments sources understand: the settings table (one
# table for both kinds; collectors.option_problems and settings.check_options report others).
OPTIONS = frozenset(_OPTION_TABLE)

__all__ = ["KINDS", "OPTIONS", "CrawlSummary", "WebCollector", "crawl", "create"]
