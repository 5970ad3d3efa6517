"""Working days for every service: the official Chinese calendar where it has data, Monday–Friday beyond.

The State Council publishes each year's holidays and make-up working days (调休) around November; the
`chinese_calendar` package carries the years published when it was released. A day in a year the package
does not cover is counted Monday–Friday, and a result that depended on such a day says it is provisional.
Callers record the result's `calendar` with the date, so a replay (or a later recomputation) knows which
data the date came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

FIRST_YEAR = min(chinese_calendar.holidays).year
LAST_YEAR = max(chinese_calendar.holidays).year
CALENDAR = f"chinese-calendar {chinese_calendar.__version__} ({FIRST_YEAR}-{LAST_YEAR}), Monday-Friday beyond"


@dataclass(frozen=True)
class WorkingDay:
    """A day found by counting working days, and how sure the count is."""

    day: date
    provisional: bool  # some counted day lies in a year without official data: Monday–Friday was assumed
    calendar: str = CALENDAR  # the calendar data (and its version) the count used


def covers(year: int) -> bool:
    """Whether the official calendar has this year's arrangement."""
    return FIRST_YEAR <= year <= LAST_YEAR


def is_workday(day: date) -> bool:
    """Official working day (holidays off, 调休 weekends on); Monday–Friday in a year without official data."""
    if covers(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> WorkingDay:
    """The day `days` working days after `start` (the start day itself not counted; 0 days: `start`)."""
    current = start
    counted = 0
    provisional = False
    while counted < days:
        current += timedelta(days=1)
        provisional = provisional or not covers(current.year)
        if is_workday(current):
            counted += 1
    return WorkingDay(current, provisional)
