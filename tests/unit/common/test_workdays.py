"""One working-day rule for every service: official years from the calendar, Monday–Friday (provisional) beyond."""

from __future__ import annotations

from datetime import date

from services.common import workdays
from services.common.workdays import add_working_days, is_workday


def test_official_year_follows_holidays_and_make_up_days() -> None:
    assert not is_workday(date(2025, 10, 1))  # National Day
    assert is_workday(date(2025, 10, 11))  # Saturday worked in exchange (调休)
    counted = add_working_days(date(2025, 9, 30), 1)
    assert counted.day == date(2025, 10, 9)
    assert not counted.provisional
    assert counted.calendar == workdays.CALENDAR


def test_uncovered_year_counts_monday_to_friday_provisionally() -> None:
    year = workdays.LAST_YEAR + 1
    assert not workdays.covers(year)
    new_year = date(year, 1, 1)
    assert is_workday(new_year) == (new_year.weekday() < 5)
    counted = add_working_days(date(year, 1, 1), 10)
    assert counted.provisional
    assert counted.day.weekday() < 5
    assert sum(1 for n in range(1, (counted.day - new_year).days + 1)
               if date.fromordinal(new_year.toordinal() + n).weekday() < 5) == 10


def test_a_count_crossing_into_an_uncovered_year_is_provisional() -> None:
    counted = add_working_days(date(workdays.LAST_YEAR, 12, 15), 20)
    assert counted.day.year == workdays.LAST_YEAR + 1
    assert counted.provisional


def test_zero_days_is_the_start_and_never_provisional() -> None:
    assert add_working_days(date(2035, 6, 1), 0) == workdays.WorkingDay(date(2035, 6, 1), provisional=False)


def test_every_service_gets_the_same_answer() -> None:
    from services.clues.deadlines import Limit
    from services.ledgers.deadlines import DeadlineRule

    start = date(workdays.LAST_YEAR, 12, 15)
    assert DeadlineRule("working", 20, start).due_on() == Limit(20, working_days=True).due(start)
