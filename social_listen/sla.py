"""Business calendars, first-response SLA due times and states, and platform reply deadlines.

A calendar lives in the brand's time zone: weekly opening periods (several per day for split shifts, and
periods past midnight such as ``22:00-02:00``), public holidays of a country (the ``holidays`` package) and
custom closed days. A period belongs to the day it starts on: a holiday closes the periods that start on it.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from social_listen.config import BrandConfig, Config

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLA_STATES = ("ok", "at_risk", "breached")
DEFAULT_TARGET = timedelta(hours=24)
DEFAULT_AT_RISK = 0.75
MAX_SEARCH_DAYS = 3 * 366  # a calendar closed for longer than this is treated as never open
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|min|s)", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "min": "minutes", "s": "seconds"}
_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Interval = tuple[datetime, datetime]


def parse_duration(text: str) -> timedelta:
    """``"24h"``, ``"30m"``, ``"2d"``, ``"1h30m"`` or ``"1w"`` as a timedelta (ValueError otherwise)."""
    cleaned = text.strip().replace(" ", "")
    parts = _DURATION.findall(cleaned)
    if not parts or "".join(n + u for n, u in parts).lower() != cleaned.lower():
        raise ValueError(f"{text!r} is not a duration; write e.g. '24h', '30m', '2d' or '1h30m'")
    try:
        total = sum((timedelta(**{_UNITS[u.lower()]: float(n)}) for n, u in parts), timedelta())
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration") from None
    if total <= timedelta():
        raise ValueError(f"{text!r}: a duration must be longer than zero")
    return total


def format_duration(value: timedelta | float | None) -> str:
    """A short human form: ``2 h 10 min``, ``3 d 4 h``, ``45 s``; empty for None."""
    if value is None:
        return ""
    seconds = int(round(value.total_seconds() if isinstance(value, timedelta) else value))
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"
    if hours:
        return f"{sign}{hours} h {minutes} min" if minutes else f"{sign}{hours} h"
    return f"{sign}{minutes} min" if minutes else f"{sign}{secs} s"


@dataclass(frozen=True)
class Period:
    """An opening period: local start time and length (at most a day; may run past midnight)."""

    start: time
    minutes: int

    def bounds(self, day: date, zone: ZoneInfo) -> Interval:
        """The period on ``day`` as UTC times, using the wall clock of that day (DST-aware)."""
        midnight = datetime.combine(day, time(0))
        start = midnight + timedelta(hours=self.start.hour, minutes=self.start.minute)
        end = start + timedelta(minutes=self.minutes)
        return _to_utc(start, zone), _to_utc(end, zone)


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


def parse_period(text: str) -> Period:
    """``"09:00-17:00"``; an end at or before the start means the next day (``"22:00-02:00"``)."""
    match = _PERIOD.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an opening period; write e.g. '09:00-14:00' or '22:00-02:00'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise ValueError(f"{text!r}: hours run 00:00 to 24:00")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise ValueError(f"{text!r} is empty; use '00:00-24:00' for a whole day")
    length = end - start if end > start else end + 1440 - start
    return Period(time(h1, m1), length)


def parse_week(hours: Mapping[str, Sequence[str]]) -> dict[int, tuple[Period, ...]]:
    """``{"mon": ["09:00-14:00", "16:00-20:00"], ...}`` as periods by weekday number (Monday = 0)."""
    week: dict[int, tuple[Period, ...]] = {}
    for name, periods in hours.items():
        key = name.strip().lower()[:3]
        if key not in WEEKDAYS:
            raise ValueError(f"{name!r} is not a weekday; use {', '.join(WEEKDAYS)}")
        week[WEEKDAYS.index(key)] = tuple(sorted((parse_period(p) for p in periods), key=lambda p: p.start))
    return week


ALWAYS = {day: (Period(time(0), 1440),) for day in range(7)}


@dataclass(frozen=True)
class BusinessCalendar:
    """When a brand is open: weekly periods in its time zone minus holidays and closed days."""

    timezone: str = "UTC"
    week: Mapping[int, tuple[Period, ...]] = field(default_factory=lambda: dict(ALWAYS))
    holidays: Container[date] | None = None
    closed_days: frozenset[date] = frozenset()
    # Each day's opening intervals, worked out once: re-ranking an inbox asks for the same few days for
    # every item (time zone conversions and holiday lookups were two thirds of its time).
    _days: dict[date, tuple[Interval, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    @cached_property
    def always_open(self) -> bool:
        """True when business time equals calendar time (24/7, no closed days)."""
        return dict(self.week) == ALWAYS and not self.closed_days and self.holidays is None

    def is_closed_day(self, day: date) -> bool:
        """A public holiday or a custom closed day."""
        return day in self.closed_days or (self.holidays is not None and day in self.holidays)

    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """The opening periods that start on local ``day``, as UTC intervals."""
        found = self._days.get(day)
        if found is None:
            zone = self.zone
            closed = self.is_closed_day(day)
            found = () if closed else tuple(p.bounds(day, zone) for p in self.week.get(day.weekday(), ()))
            self._days[day] = found
        return found

    def intervals(self, start: datetime, end: datetime | None = None) -> Iterator[Interval]:
        """Opening intervals (UTC, merged, clipped) from ``start`` up to ``end`` or ever onwards."""
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        last = day + timedelta(days=MAX_SEARCH_DAYS)
        pending: Interval | None = None
        while day <= last:
            for lo, hi in self.day_intervals(day):
                if pending is not None and lo <= pending[1]:
                    pending = (pending[0], max(pending[1], hi))
                    continue
                if pending is not None:
                    yield from _clip(pending, start, end)
                pending = (lo, hi)
            if end is not None and _day_start(day, self.zone) > end:
                break
            day += timedelta(days=1)
        if pending is not None:
            yield from _clip(pending, start, end)

    def business_time(self, start: datetime, end: datetime) -> timedelta:
        """Open time between ``start`` and ``end`` (zero when end is not after start)."""
        if end <= start:
            return timedelta()
        if self.always_open:
            return end - start
        return sum((hi - lo for lo, hi in self.intervals(start, end)), timedelta())

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of open time has passed since ``start`` (an SLA due time)."""
        if self.always_open:
            return start + duration
        left = duration
        for lo, hi in self.intervals(start):
            if hi - lo >= left:
                return lo + left
            left -= hi - lo
        raise ValueError(f"the business calendar ({self.timezone}) has no opening hours for years ahead")

    def is_open(self, at: datetime) -> bool:
        """True when ``at`` falls inside an opening period."""
        return any(lo <= at < hi for lo, hi in self.intervals(at, at + timedelta(seconds=1)))


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return _to_utc(datetime.combine(day, time(0)), zone)


def _clip(interval: Interval, start: datetime, end: datetime | None) -> Iterator[Interval]:
    lo, hi = max(interval[0], start), interval[1] if end is None else min(interval[1], end)
    if lo < hi:
        yield lo, hi


@dataclass(frozen=True)
class SlaStatus:
    """Where an open item stands against its first-response target."""

    state: str
    due_at: datetime
    at_risk_at: datetime
    business_elapsed: timedelta
    calendar_elapsed: timedelta

    @property
    def overdue(self) -> bool:
        """True once the due time has passed."""
        return self.state == "breached"


@dataclass(frozen=True)
class SlaPolicy:
    """A first-response target counted in business time, with the share of it that means "at risk"."""

    target: timedelta = DEFAULT_TARGET
    at_risk: float = DEFAULT_AT_RISK
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)

    def due_at(self, start: datetime) -> datetime:
        """When the first response is due (the target consumed only in opening hours)."""
        return self.calendar.add(start, self.target)

    def at_risk_at(self, start: datetime) -> datetime:
        """When the item turns "at risk" (``at_risk`` of the target consumed)."""
        return self.calendar.add(start, self.target * self.at_risk)

    def met(self, start: datetime, answered_at: datetime) -> bool:
        """True when an answer at ``answered_at`` is within the target (a reply exactly at the due time counts)."""
        return answered_at <= self.due_at(start)

    def status(self, start: datetime, now: datetime) -> SlaStatus:
        """ok / at_risk / breached for an item still waiting at ``now`` (breached strictly after the due time)."""
        due, risky = self.due_at(start), self.at_risk_at(start)
        state = "breached" if now > due else "at_risk" if now >= risky else "ok"
        elapsed = self.calendar.business_time(start, now)
        return SlaStatus(state, due, risky, elapsed, max(now - start, timedelta()))


def calendar_from_settings(
    timezone: str,
    hours: Mapping[str, Sequence[str]] | None = None,
    country: str | None = None,
    subdivision: str | None = None,
    closed_days: Iterable[date] = (),
) -> BusinessCalendar:
    """A calendar from config values; no ``hours`` means open around the clock."""
    week = parse_week(hours) if hours else dict(ALWAYS)
    return BusinessCalendar(timezone, week, public_holidays(country, subdivision), frozenset(closed_days))


def public_holidays(country: str | None, subdivision: str | None = None) -> Container[date] | None:
    """The country's (and region's) public holidays for any year; None when no country is set."""
    if not country:
        return None
    import holidays  # imported late: it is slow to load and only needed with a country

    found: Container[date] = holidays.country_holidays(country.upper(), subdiv=subdivision)
    return found


class SlaBook:
    """Every brand's SLA policy (per platform when overridden), built once from the config."""

    def __init__(self, policies: Mapping[tuple[str, str | None], SlaPolicy], default: SlaPolicy) -> None:
        self._policies = dict(policies)
        self.default = default

    @classmethod
    def from_config(cls, config: Config | None) -> SlaBook:
        """Policies for the config's brands; unknown brands get 24 h around the clock."""
        policies: dict[tuple[str, str | None], SlaPolicy] = {}
        for brand in config.brands if config else []:
            policies.update(brand_policies(brand))
        return cls(policies, SlaPolicy())

    def policy(self, brand: str, platform: str | None = None) -> SlaPolicy:
        """The policy for a brand's items on a platform."""
        found = self._policies.get((brand, platform)) or self._policies.get((brand, None))
        return found or self.default

    def timezone(self, brand: str) -> str:
        """The brand's time zone (UTC when unknown)."""
        return self.policy(brand).calendar.timezone


def brand_policies(brand: BrandConfig) -> dict[tuple[str, str | None], SlaPolicy]:
    """The brand's default policy and one per overridden platform."""
    sla = brand.sla
    calendar = calendar_from_settings(
        brand.timezone, sla.hours, sla.country, sla.subdivision, sla.closed_days
    )
    base = SlaPolicy(parse_duration(sla.target), sla.at_risk, calendar)
    found: dict[tuple[str, str | None], SlaPolicy] = {(brand.name, None): base}
    for platform, override in sla.platforms.items():
        target = parse_duration(override.target) if override.target else base.target
        at_risk = override.at_risk if override.at_risk is not None else base.at_risk
        found[(brand.name, platform)] = SlaPolicy(target, at_risk, calendar)
    return found


# -- platform deadlines: their own kind, next to the SLA ----------------------------------------------


@dataclass(frozen=True)
class PlatformDeadline:
    """A limit the platform imposes: a reply window that closes, or a quota that stops collection."""

    kind: str  # "reply_window" | "quota_exhausted" | "rate_limited"
    at: datetime
    state: str  # reply_window: "open" | "closing" | "expired"; pauses: "paused"
    detail: str = ""


def reply_window(deadline_at: datetime | None, now: datetime, warn: timedelta) -> PlatformDeadline | None:
    """The platform's reply window (Instagram: a private reply within 7 days of the comment)."""
    if deadline_at is None:
        return None
    state = "expired" if now >= deadline_at else "closing" if deadline_at - now <= warn else "open"
    return PlatformDeadline("reply_window", deadline_at, state, "private reply window")


def source_pause(
    platform: str, paused_until: datetime | None, reason: str | None, now: datetime
) -> PlatformDeadline | None:
    """A source paused by the platform: YouTube's daily quota (resets at midnight Pacific) or a rate limit."""
    if paused_until is None or paused_until <= now:
        return None
    text = reason or ""
    quota = platform == "youtube" or "quota" in text.lower()
    return PlatformDeadline("quota_exhausted" if quota else "rate_limited", paused_until, "paused", text)


def describe_policy(policy: SlaPolicy) -> dict[str, Any]:
    """The policy as plain data (for reports and the dashboard)."""
    calendar = policy.calendar
    hours = {
        WEEKDAYS[d]: [f"{p.start:%H:%M}+{p.minutes}min" for p in periods]
        for d, periods in sorted(calendar.week.items())
    }
    return {
        "target": format_duration(policy.target),
        "at_risk": policy.at_risk,
        "timezone": calendar.timezone,
        "business_hours": not calendar.always_open,
        "hours": hours,
    }
