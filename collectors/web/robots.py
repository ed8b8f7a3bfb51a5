"""robots.txt for every request, including those that arrive while robots.txt is still downloading.

Since Scrapy made ``RobotsTxtMiddleware.robot_parser`` a coroutine (scrapy/scrapy#6802, Scrapy 2.13),
requests that wait for a robots.txt in flight all await the same Deferred. The first waiter's callback
passes ``None`` down the chain, so the third and later requests to a site see "no robots.txt" and are
fetched even when disallowed. This subclass gives each waiter its own Deferred fed from the shared one.
"""

from __future__ import annotations

import inspect
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

BASE = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with the parser shared by every request that waited for it."""

    async def robot_parser(self, request: Any) -> Any:
        """The site's robots.txt parser; waits for a download already in flight without consuming it."""
        parsers = getattr(self, "_parsers", None)
        pending = parsers.get(urlparse_cached(request).netloc) if isinstance(parsers, dict) else None
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        waiter: Deferred[Any] = Deferred()

        def share(result: Any) -> Any:
            waiter.callback(result)
            return result

        pending.addBoth(share)
        return await maybe_deferred_to_future(waiter)


def middlewares() -> dict[str, int | None]:
    """DOWNLOADER_MIDDLEWARES replacing Scrapy's robots.txt middleware where it has the shared-wait bug."""
    if not inspect.iscoroutinefunction(RobotsTxtMiddleware.robot_parser):
        return {}
    return {BASE: None, f"{__name__}.SharedRobotsTxtMiddleware": 100}
