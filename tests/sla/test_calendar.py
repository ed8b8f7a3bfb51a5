"""Business calendars: opening hours in the brand's zone, split shifts, holidays, DST and periods past midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from social_listen.sla import (
    BusinessCalendar,
    SlaPolicy,
    calendar_from_settings,
    format_duration,
    parse_duration,
    parse_period,
    reply_window,
    source_pause,
)

MADRID = ZoneInfo("Europe/Madrid")
WEEKDAYS_9_TO_5 = {day: ["09:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def local(*parts: int) -> datetime:
    """A Madrid wall-clock time as an aware UTC datetime."""
    return datetime(*parts, tzinfo=MADRID).astimezone(UTC)


def policy(target: str, hours: dict[str, list[str]] | None = None, **settings: object) -> SlaPolicy:
    calendar = calendar_from_settings("Europe/Madrid", hours or WEEKDAYS_9_TO_5, **settings)  # type: ignore[arg-type]
    return SlaPolicy(parse_duration(target), 0.75, calendar)


def test_friday_1645_with_30_minutes_and_weekday_hours_breaches_monday_0915() -> None:
    sla = policy("30m")
    friday = local(2026, 3, 6, 16, 45)
    due = sla.due_at(friday)
    assert due.astimezone(MADRID) == datetime(2026, 3, 9, 9, 15, tzinfo=MADRID)
    assert sla.status(friday, local(2026, 3, 9, 9, 0)).state == "ok"  # 15 of 30 business minutes gone
    assert sla.status(friday, local(2026, 3, 9, 9, 8)).state == "at_risk"  # 23 of 30: past the 75 % mark
    assert sla.status(friday, local(2026, 3, 9, 9, 15)).state == "at_risk"
    assert sla.status(friday, local(2026, 3, 9, 9, 16)).state == "breached"
    assert sla.met(friday, due) and not sla.met(friday, due + timedelta(seconds=1))


def test_business_and_calendar_clocks_are_both_kept() -> None:
    friday, monday = local(2026, 3, 6, 16, 45), local(2026, 3, 9, 9, 15)
    status = policy("30m").status(friday, monday)
    assert status.business_elapsed == timedelta(minutes=30)
    assert status.calendar_elapsed == timedelta(days=2, hours=16, minutes=30)


def test_split_shift_pauses_the_clock_over_lunch() -> None:
    sla = policy("1h", {"mon": ["09:00-14:00", "16:00-20:00"]})
    assert sla.due_at(local(2026, 3, 2, 13, 30)).astimezone(MADRID).time().isoformat() == "16:30:00"
    assert sla.due_at(local(2026, 3, 2, 15, 0)) == local(2026, 3, 2, 17, 0)
    assert sla.calendar.business_time(local(2026, 3, 2, 13, 0), local(2026, 3, 2, 17, 0)) == timedelta(
        hours=2
    )


def test_national_holiday_is_skipped() -> None:
    # 6 January 2026 (a Tuesday) is Epiphany, a national holiday in Spain.
    sla = policy("30m", country="ES")
    assert sla.due_at(local(2026, 1, 5, 16, 45)) == local(2026, 1, 7, 9, 15)
    assert policy("30m").due_at(local(2026, 1, 5, 16, 45)) == local(2026, 1, 6, 9, 15)


def test_regional_holiday_applies_only_to_its_region() -> None:
    # 24 June 2026 (a Wednesday) is Sant Joan in Catalonia, a working day in Madrid.
    catalonia = policy("30m", country="ES", subdivision="CT")
    madrid = policy("30m", country="ES", subdivision="MD")
    start = local(2026, 6, 23, 16, 45)
    assert catalonia.due_at(start) == local(2026, 6, 25, 9, 15)
    assert madrid.due_at(start) == local(2026, 6, 24, 9, 15)


def test_custom_closed_day_is_skipped() -> None:
    sla = policy("30m", closed_days=[date(2026, 3, 9)])
    assert sla.due_at(local(2026, 3, 6, 16, 45)) == local(2026, 3, 10, 9, 15)


def test_spring_forward_weekend_keeps_local_opening_times() -> None:
    # Clocks in Madrid go from 02:00 to 03:00 on Sunday 29 March 2026: Friday is UTC+1, Monday UTC+2.
    friday = local(2026, 3, 27, 16, 45)
    due = policy("30m").due_at(friday)
    assert friday.hour == 15 and due == datetime(2026, 3, 30, 7, 15, tzinfo=UTC)
    assert due.astimezone(MADRID).hour == 9


def test_night_shift_over_a_dst_change_counts_real_hours() -> None:
    night = {"sat": ["22:00-06:00"]}
    spring = calendar_from_settings("Europe/Madrid", night)
    start, end = local(2026, 3, 28, 21, 0), local(2026, 3, 29, 7, 0)
    assert spring.business_time(start, end) == timedelta(hours=7)  # 02:00-03:00 never happened
    autumn_start, autumn_end = local(2026, 10, 24, 21, 0), local(2026, 10, 25, 7, 0)
    assert spring.business_time(autumn_start, autumn_end) == timedelta(hours=9)  # 02:00-03:00 happened twice


def test_period_past_midnight_belongs_to_the_day_it_starts() -> None:
    sla = policy("30m", {"fri": ["20:00-02:00"]})
    assert sla.due_at(local(2026, 3, 7, 1, 0)) == local(2026, 3, 7, 1, 30)  # Saturday 01:00: Friday's shift
    assert sla.due_at(local(2026, 3, 7, 1, 45)) == local(2026, 3, 13, 20, 15)  # 15 min left, then next Friday
    assert sla.calendar.is_open(local(2026, 3, 7, 1, 59)) and not sla.calendar.is_open(
        local(2026, 3, 7, 2, 0)
    )


def test_holiday_closes_the_whole_night_shift_that_starts_on_it() -> None:
    sla = policy("30m", {"fri": ["20:00-02:00"]}, closed_days=[date(2026, 3, 6)])
    assert not sla.calendar.is_open(local(2026, 3, 7, 1, 0))
    assert sla.due_at(local(2026, 3, 6, 19, 0)) == local(2026, 3, 13, 20, 30)


def test_overlapping_periods_are_not_counted_twice() -> None:
    calendar = calendar_from_settings("UTC", {"mon": ["22:00-03:00"], "tue": ["00:00-02:00", "09:00-10:00"]})
    monday = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert calendar.business_time(monday, monday + timedelta(days=2)) == timedelta(hours=6)


def test_no_hours_means_open_around_the_clock() -> None:
    calendar = BusinessCalendar()
    start = datetime(2026, 3, 6, 16, 45, tzinfo=UTC)
    assert calendar.always_open and SlaPolicy(timedelta(hours=24), 0.75, calendar).due_at(
        start
    ) == start + timedelta(days=1)
    with_holidays = calendar_from_settings("Europe/Madrid", None, country="ES")
    assert not with_holidays.always_open
    assert with_holidays.business_time(local(2026, 1, 5, 12), local(2026, 1, 7, 12)) == timedelta(hours=24)


def test_whole_day_period_and_empty_period() -> None:
    assert parse_period("00:00-24:00").minutes == 1440
    with pytest.raises(ValueError, match="empty"):
        parse_period("09:00-09:00")
    with pytest.raises(ValueError, match="not an opening period"):
        parse_period("9-17")
    with pytest.raises(ValueError, match="00:00 to 24:00"):
        parse_period("09:00-25:00")


def test_durations_parse_and_print() -> None:
    assert parse_duration("24h") == timedelta(hours=24)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("2d") == timedelta(days=2)
    for bad in ("soon", "24", "0h", "h"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert format_duration(timedelta(hours=2, minutes=10)) == "2 h 10 min"
    assert format_duration(7800.4) == "2 h 10 min"
    assert format_duration(90000) == "1 d 1 h"
    assert format_duration(45) == "45 s"


def test_instagram_reply_window_is_its_own_kind_of_deadline() -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    warn = timedelta(hours=24)
    assert reply_window(None, now, warn) is None
    assert reply_window(now + timedelta(days=3), now, warn).state == "open"  # type: ignore[union-attr]
    closing = reply_window(now + timedelta(hours=5), now, warn)
    assert closing is not None and closing.kind == "reply_window" and closing.state == "closing"
    assert reply_window(now - timedelta(seconds=1), now, warn).state == "expired"  # type: ignore[union-attr]


def test_youtube_quota_pause_is_a_platform_deadline() -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    later = now + timedelta(hours=3)
    quota = source_pause("youtube", later, "quotaExceeded", now)
    assert quota is not None and quota.kind == "quota_exhausted" and quota.at == later
    limited = source_pause("x", later, "429 Too Many Requests", now)
    assert limited is not None and limited.kind == "rate_limited"
    assert source_pause("youtube", now - timedelta(seconds=1), "quota", now) is None
