"""A year's arrangement from the State Council's notice: the file format, its checks, and counting with it.

No 2027 notice is available, so the arrangement used here is `calendar/2026.toml`, reproduced from the
library; the tests that need a year the library does not carry pretend it stops at 2025 (`official_until_2025`).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from services.common import workdays
from services.common.errors import InvalidInputError
from services.common.workdays import Arrangement, Calendar

EXAMPLE = Path(__file__).resolve().parents[3] / "calendar" / "2026.toml"


@pytest.fixture
def official_until_2025(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def library_count(start: date, days: int) -> date:
    """The package's own answer, day by day."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        counted += bool(chinese_calendar.is_workday(day))
    return day


def test_the_example_file_reproduces_the_library_on_every_day_of_2026(official_until_2025: None) -> None:
    calendar = Calendar([Arrangement.from_file(EXAMPLE)])
    assert not calendar.provisional(2026)
    differing = [day for day in days_of(2026) if calendar.is_workday(day) != chinese_calendar.is_workday(day)]
    assert differing == []


def test_without_the_arrangement_the_year_is_monday_to_friday_and_says_so(official_until_2025: None) -> None:
    counted = workdays.add_working_days(date(2025, 12, 15), 20)
    # 2026-01-01/02 are off and Sunday 2026-01-04 is worked by the notice; Monday–Friday counts them the other way
    assert counted.provisional and counted.provisional_years == (2026,)
    assert counted.day == date(2026, 1, 12)
    assert counted.calendar == f"2025: {workdays.LIBRARY}; 2026: {workdays.MONDAY_FRIDAY}"


def test_with_the_arrangement_the_count_follows_the_notice_and_names_its_version(official_until_2025: None) -> None:
    arrangement = Arrangement.from_file(EXAMPLE)
    counted = workdays.add_working_days(date(2025, 12, 15), 20, Calendar([arrangement]))
    assert not counted.provisional
    assert counted.day == library_count(date(2025, 12, 15), 20) == date(2026, 1, 13)
    assert counted.calendar == f"2025: {workdays.LIBRARY}; 2026: {arrangement.version}"
    assert arrangement.version.endswith(f"sha256:{arrangement.digest[:12]}")


def test_an_official_year_is_never_overridden_by_an_arrangement() -> None:
    changed = Arrangement.from_dict({
        "year": 2026, "reference": "伪造", "title": "伪造的安排",
        "holidays": [{"name": "假", "first_day": "2026-03-02", "last_day": "2026-03-06"}],
    })
    assert workdays.covers(2026)
    assert Calendar([changed]).is_workday(date(2026, 3, 2))
    assert Calendar([changed]).arrangements == {}


@pytest.mark.parametrize(("holiday", "why"), [
    ({"name": "春节", "first_day": "2027-02-10", "last_day": "2027-02-09"}, "last day before first"),
    ({"name": "春节", "first_day": "2027-02-10", "last_day": "2027-02-12", "makeup_workdays": ["2027-02-15"]},
     "a make-up working day on a Monday"),
    ({"name": "春节", "first_day": "2027-02-13", "last_day": "2027-02-14", "makeup_workdays": ["2027-02-13"]},
     "a day both off and worked"),
    ({"name": "春节", "first_day": "2029-02-10", "last_day": "2029-02-12"}, "a date in another year"),
    ({"name": "", "first_day": "2027-02-10", "last_day": "2027-02-12"}, "no name"),
    ({"name": "春节", "first_day": "2027-02-30", "last_day": "2027-03-01"}, "no such date"),
])
def test_a_notice_that_cannot_be_right_is_refused(holiday: dict[str, object], why: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        Arrangement.from_dict({"year": 2027, "reference": "国办发明电〔2026〕1号", "title": "通知",
                               "holidays": [holiday]})
    assert refused.value.code == "calendar_invalid", why


def test_a_file_that_is_not_toml_or_lacks_a_field_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("year = \n", encoding="utf-8")
    with pytest.raises(InvalidInputError):
        Arrangement.from_file(broken)
    missing = tmp_path / "missing.toml"
    missing.write_text('year = 2027\ntitle = "通知"\n', encoding="utf-8")
    with pytest.raises(InvalidInputError):
        Arrangement.from_file(missing)


def test_the_recorded_rule_says_where_it_was_provisional(official_until_2025: None) -> None:
    rule, due = workdays.count("working", 20, date(2025, 12, 15))
    assert rule["provisional_years"] == [2026] and due == date(2026, 1, 12)
    assert workdays.provisional_in(rule, 2026) and not workdays.provisional_in(rule, 2027)
    # a rule recorded before rules carried their calendar is counted again to tell
    assert workdays.provisional_in({"basis": "working", "count": 20, "from_date": "2025-12-15"}, 2026)
    calendar_days, _ = workdays.count("calendar", 40, date(2025, 12, 15))
    assert not workdays.provisional_in(calendar_days, 2026) and calendar_days["calendar"] == workdays.CALENDAR_DAYS


def test_a_holiday_spanning_years_is_refused_before_its_days_are_listed() -> None:
    with pytest.raises(InvalidInputError) as refused:
        Arrangement.from_dict({"year": 2027, "reference": "x", "title": "y",
                               "holidays": [{"name": "假", "first_day": "1950-01-01", "last_day": "2099-12-31"}]})
    assert refused.value.code == "calendar_invalid"
