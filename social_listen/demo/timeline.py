"""When things happen: daily volume with storylines, local hours, and brand reply delays by business hours."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from social_listen.demo.catalog import LUNA

# Customers write more at lunch and in the evening (local time); weights for hours 0-23.
HOURS = (2.0, 1.2, 0.6, 0.4, 0.3, 0.4, 0.8, 1.5, 2.5, 3.2, 3.6, 3.8, 4.2, 4.3, 4.0, 3.5, 3.4, 3.6, 4.0, 4.5,
         5.0, 5.2, 4.6, 3.4)  # fmt: skip
_HOURS_CUMULATIVE = tuple(accumulate(HOURS))
WEEKDAYS = (1.15, 1.05, 1.0, 1.0, 0.95, 0.85, 1.1)

# Typical first-response delay (median, minutes) per platform; log-normal around it.
MEDIAN_MINUTES = {
    "x": 25, "instagram": 60, "facebook": 75, "youtube": 360, "wordpress": 300, "web_comments": 600,
    "woocommerce": 600, "google_reviews": 900, "trustpilot": 720, "file": 240, "web_reviews": 1800,
}  # fmt: skip
SIGMA = 1.3

# Opening hours of each brand's support team: weekday -> (open, close) in the brand's time zone.
BUSINESS_HOURS = {
    LUNA: ("Europe/Madrid", {0: (9, 19), 1: (9, 19), 2: (9, 19), 3: (9, 19), 4: (9, 19), 5: (10, 14)}),
    "other": ("America/New_York", {0: (9, 18), 1: (9, 18), 2: (9, 18), 3: (9, 18), 4: (9, 18), 5: (10, 16)}),
}


@dataclass(frozen=True)
class Story:
    """Something that happened in the demo's 90 days, as a window of days ago and what it changes."""

    name: str
    first_day_ago: int
    last_day_ago: int
    volume: float = 1.0

    def active(self, days_ago: float) -> bool:
        """Whether ``days_ago`` falls inside the story's window."""
        return self.last_day_ago <= days_ago <= self.first_day_ago


LAUNCH = Story("launch_marea", 76, 64, 1.25)  # the Marea collection goes on sale: praise and size questions
SALE = Story("semana_luna", 43, 37, 1.6)  # the -30 % week: discount and payment questions, many orders
STRIKE = Story("transport_strike", 38, 27, 1.5)  # carriers on strike: "mi pedido no llegó", slow answers
DEFECT = Story("aurora_soles", 20, 8, 1.2)  # a batch of Aurora soles comes unglued: 1-2 star reviews
STORIES = (LAUNCH, SALE, STRIKE, DEFECT)
TOOL_ADOPTED_DAYS_AGO = 35  # the shop started answering from social-listen five weeks ago


class Clock:
    """Draws publication times and reply delays for a window of ``days`` ending at ``now``."""

    def __init__(self, rng: random.Random, now: datetime, days: int) -> None:
        self.rng = rng
        self.now = now
        self.days = days
        self.start = now - timedelta(days=days)
        self.day_weights = list(accumulate(self._day_weight(d) for d in range(days)))  # cumulative

    def _day_weight(self, days_ago: int) -> float:
        day = (self.now - timedelta(days=days_ago)).date()
        growth = 0.75 + 0.25 * (1 - days_ago / max(self.days, 1))
        story = math.prod(s.volume for s in STORIES if s.active(days_ago))
        return growth * WEEKDAYS[day.weekday()] * story

    def days_ago(self, at: datetime) -> float:
        """How long before ``now`` a moment is, in days."""
        return (self.now - at).total_seconds() / 86400

    def moment(self, timezone: str) -> datetime:
        """A publication time inside the window, following daily volume and the writer's local hours."""
        days_ago = self.rng.choices(range(self.days), cum_weights=self.day_weights)[0]
        local_day = (self.now - timedelta(days=days_ago)).astimezone(ZoneInfo(timezone)).date()
        hour = self.rng.choices(range(24), cum_weights=_HOURS_CUMULATIVE)[0]
        local = datetime.combine(local_day, time(hour, self.rng.randrange(60), self.rng.randrange(60)))
        at = local.replace(tzinfo=ZoneInfo(timezone)).astimezone(self.now.tzinfo)
        if at >= self.now:
            at = self.now - timedelta(minutes=self.rng.randint(5, 600))
        return max(at, self.start)

    def reply_at(self, platform: str, brand: str, after: datetime) -> datetime:
        """When the brand answers something published at ``after`` (may be later than now: not yet)."""
        minutes = self.rng.lognormvariate(math.log(MEDIAN_MINUTES[platform]), SIGMA)
        if STRIKE.active(self.days_ago(after)):
            minutes *= 2.5  # the backlog during the strike
        candidate = after + timedelta(minutes=max(minutes, 1.5))
        if not self._open(brand, candidate) and self.rng.random() < 0.8:
            candidate = self._next_opening(brand, candidate) + timedelta(minutes=self.rng.expovariate(1 / 45))
        return candidate

    def _open(self, brand: str, at: datetime) -> bool:
        zone, hours = BUSINESS_HOURS[brand if brand == LUNA else "other"]
        local = at.astimezone(ZoneInfo(zone))
        window = hours.get(local.weekday())
        return window is not None and window[0] <= local.hour < window[1]

    def _next_opening(self, brand: str, at: datetime) -> datetime:
        zone, hours = BUSINESS_HOURS[brand if brand == LUNA else "other"]
        local = at.astimezone(ZoneInfo(zone))
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            window = hours.get(day.weekday())
            if window is None:
                continue
            opening = datetime.combine(day, time(window[0]), tzinfo=ZoneInfo(zone))
            if opening > local:
                return opening.astimezone(at.tzinfo)
        return at

    def later(self, after: datetime, median_minutes: float, sigma: float = 1.0) -> datetime:
        """A follow-up moment some (log-normal) minutes after ``after``."""
        minutes = self.rng.lognormvariate(math.log(median_minutes), sigma)
        return after + timedelta(minutes=max(minutes, 1.0))
