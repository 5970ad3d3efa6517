"""Deadline rules in calendar and working days (official calendar, 2025 National Day and its 调休)."""

from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import InvalidInputError
from services.ledgers.deadlines import DeadlineRule, rule_from


def test_calendar_days_count_every_day() -> None:
    assert DeadlineRule("calendar", 10, date(2025, 9, 28)).due_on() == date(2025, 10, 8)


def test_working_days_skip_the_national_day_golden_week() -> None:
    # 2025-09-30 (Tue) is a working day; Oct 1-8 are holidays; Oct 9 is the first working day after.
    assert DeadlineRule("working", 1, date(2025, 9, 30)).due_on() == date(2025, 10, 9)
    assert DeadlineRule("working", 3, date(2025, 9, 30)).due_on() == date(2025, 10, 11)


def test_make_up_saturday_counts_as_a_working_day() -> None:
    # 2025-10-11 is a Saturday worked in exchange (调休): one working day after Friday Oct 10.
    assert DeadlineRule("working", 1, date(2025, 10, 10)).due_on() == date(2025, 10, 11)
    # and Sunday 2025-09-28 likewise, one working day after Friday Sep 26.
    assert DeadlineRule("working", 1, date(2025, 9, 26)).due_on() == date(2025, 9, 28)


def test_working_days_starting_on_a_holiday_count_from_the_next_working_day() -> None:
    assert DeadlineRule("working", 1, date(2025, 10, 1)).due_on() == date(2025, 10, 9)
    assert DeadlineRule("working", 5, date(2025, 10, 1)).due_on() == date(2025, 10, 14)


def test_an_ordinary_weekend_is_skipped() -> None:
    assert DeadlineRule("working", 1, date(2025, 3, 7)).due_on() == date(2025, 3, 10)


def test_invalid_rules_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        DeadlineRule("lunar", 3, date(2025, 1, 1))
    with pytest.raises(InvalidInputError):
        DeadlineRule("working", 0, date(2025, 1, 1))
    with pytest.raises(InvalidInputError):
        DeadlineRule("calendar", -1, date(2025, 1, 1))


def test_a_year_without_official_data_counts_monday_to_friday() -> None:
    # Issue #15: a year the official calendar does not cover yet is counted Monday–Friday (provisionally;
    # `services.common.workdays` marks the count), not refused. 2035-01-01 is a Monday.
    assert DeadlineRule("working", 5, date(2035, 1, 1)).due_on() == date(2035, 1, 8)


def test_rule_round_trips_through_its_recorded_form() -> None:
    rule = DeadlineRule("working", 5, date(2025, 9, 30))
    assert DeadlineRule.from_dict({"basis": "working", "count": 5, "from_date": "2025-09-30"}) == rule
    assert rule_from(rule.as_dict()) == rule
    assert rule_from(date(2025, 5, 1)) == DeadlineRule("calendar", 0, date(2025, 5, 1))
