"""Working days for every service: official years from the library, recorded arrangements, Monday–Friday beyond.

The State Council publishes each year's holidays and make-up working days (调休) around November
(国务院办公厅关于某年部分节假日安排的通知). Three sources, in this order, decide whether a day is worked:

1. the `chinese_calendar` package, for the years it carries (official, never overridden);
2. an arrangement an operator recorded from the notice (`Arrangement`; a `Calendar` holds those a service
   has received), for a year the package does not carry yet;
3. Monday–Friday, for any other year: a count that touched such a year is *provisional*, and is recomputed
   (as a new event) when that year's arrangement is recorded.

Callers record the count's `calendar` (which source decided each year it touched, with the arrangement's
digest) next to the date, so a replay uses the recorded date and a recomputation knows what it replaces.

File format of an arrangement (`calendar/<year>.toml`, see `calendar/README.md`)::

    year = 2027
    reference = "国办发明电〔2026〕N号"
    title = "国务院办公厅关于2027年部分节假日安排的通知"
    published_on = 2026-11-10   # optional: the day the notice was issued

    [[holidays]]
    name = "元旦 New Year's Day"
    first_day = 2027-01-01
    last_day = 2027-01-01
    makeup_workdays = []        # weekend days worked in exchange (调休上班)
"""

from __future__ import annotations

import functools
import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar

from services.common.errors import InvalidInputError

FIRST_YEAR = min(chinese_calendar.holidays).year
LAST_YEAR = max(chinese_calendar.holidays).year
LIBRARY = f"chinese-calendar {chinese_calendar.__version__}"
MONDAY_FRIDAY = "Monday-Friday (provisional)"
CALENDAR = f"{LIBRARY} ({FIRST_YEAR}-{LAST_YEAR}), Monday-Friday beyond"
"""The calendar of a count that used the library's years only."""
MAX_HOLIDAY_DAYS = 60


def covers(year: int) -> bool:
    """Whether the library carries this year's official arrangement."""
    return FIRST_YEAR <= year <= LAST_YEAR


@functools.cache
def _official_workday(day: date) -> bool:
    """The library's answer for a day of a year it covers, kept once asked: the library scans its whole
    holiday table on every call, and rebuilds ask for the same few thousand days millions of times."""
    return bool(chinese_calendar.is_workday(day))


@dataclass(frozen=True)
class Holiday:
    """One festival of a notice: its days off (first to last, inclusive) and the weekend days worked for it."""

    name: str
    first_day: date
    last_day: date
    makeup_workdays: tuple[date, ...] = ()

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "first_day": self.first_day, "last_day": self.last_day,
                "makeup_workdays": list(self.makeup_workdays)}


def _day(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidInputError(f"日期无效 (invalid date) {what}: {value}", code="calendar_invalid") from error


@dataclass(frozen=True)
class Arrangement:
    """A year's holidays and make-up working days, as the State Council's notice states them."""

    year: int
    reference: str
    title: str
    published_on: date | None
    holidays: tuple[Holiday, ...]
    _off: frozenset[date] = field(init=False, repr=False, compare=False)
    _on: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        off = {day for holiday in self.holidays for day in holiday.days()}
        on = {day for holiday in self.holidays for day in holiday.makeup_workdays}
        object.__setattr__(self, "_off", frozenset(off))
        object.__setattr__(self, "_on", frozenset(on))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Arrangement:
        """Read and check an arrangement (a TOML file's table, an API body, an event's fields)."""
        try:
            year = int(data["year"])
            for h in data["holidays"]:
                span = (_day(h["last_day"], "last_day") - _day(h["first_day"], "first_day")).days
                if not 0 <= span < MAX_HOLIDAY_DAYS:
                    raise InvalidInputError(f"放假起止日期无效 (invalid holiday dates): {h['name']}",
                                            code="calendar_invalid")
            holidays = tuple(
                Holiday(name=str(h["name"]).strip(), first_day=_day(h["first_day"], "first_day"),
                        last_day=_day(h["last_day"], "last_day"),
                        makeup_workdays=tuple(sorted(_day(d, "makeup_workdays")
                                                     for d in h.get("makeup_workdays", ()))))
                for h in data["holidays"]
            )
            arrangement = cls(year=year, reference=str(data["reference"]).strip(), title=str(data["title"]).strip(),
                              published_on=(None if data.get("published_on") in (None, "")
                                            else _day(data["published_on"], "published_on")),
                              holidays=holidays)
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, InvalidInputError):
                raise
            raise InvalidInputError(
                f"节假日安排格式有误 (invalid arrangement): {error!r}", code="calendar_invalid"
            ) from error
        arrangement.check()
        return arrangement

    @classmethod
    def from_file(cls, path: str | Path) -> Arrangement:
        """Read `calendar/<year>.toml` (the format is in this module's docstring)."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise InvalidInputError(f"文件不是有效的 TOML (not valid TOML): {error}", code="calendar_invalid") from error
        return cls.from_dict(data)

    def check(self) -> None:
        def refuse(message: str) -> None:
            raise InvalidInputError(message, code="calendar_invalid")

        if not self.reference or not self.title:
            refuse("须写明通知的文号和标题 (the notice's reference and title are required)")
        if not self.holidays:
            refuse("至少须有一个节日 (at least one holiday)")
        near = (date(self.year - 1, 12, 1), date(self.year + 1, 1, 31))
        for holiday in self.holidays:
            if not holiday.name:
                refuse("节日须有名称 (a holiday needs its name)")
            if holiday.last_day < holiday.first_day or len(holiday.days()) > MAX_HOLIDAY_DAYS:
                refuse(f"放假起止日期无效 (invalid holiday dates): {holiday.name}")
            for day in (*holiday.days(), *holiday.makeup_workdays):
                if not near[0] <= day <= near[1]:
                    refuse(f"日期不在{self.year}年 (a date outside {self.year}): {holiday.name} {day}")
            for day in holiday.makeup_workdays:
                if day.weekday() < 5:
                    refuse(f"调休上班日须为周末 (a make-up working day is a weekend day): {day}")
        if self._off & self._on:
            refuse("同一天既放假又上班 (a day both off and worked)")

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "reference": self.reference, "title": self.title,
                "published_on": self.published_on, "holidays": [h.as_dict() for h in self.holidays]}

    @property
    def digest(self) -> str:
        """SHA-256 of the days the notice decides (not of its wording): what a count depends on."""
        days = {"off": sorted(d.isoformat() for d in self._off), "on": sorted(d.isoformat() for d in self._on)}
        return hashlib.sha256(json.dumps(days, sort_keys=True).encode()).hexdigest()

    @property
    def version(self) -> str:
        return f"{self.reference} sha256:{self.digest[:12]}"

    def decides(self, day: date) -> bool | None:
        """Worked (True), off (False), or not a day this notice names (None)."""
        if day in self._on:
            return True
        if day in self._off:
            return False
        return None


@dataclass(frozen=True)
class WorkingDay:
    """A day found by counting working days, and how sure the count is."""

    day: date
    provisional: bool  # some counted day lies in a year without official data: Monday–Friday was assumed
    calendar: str = CALENDAR  # the calendar data (and its version) the count used
    provisional_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkingDayCount:
    """How many working days lie between two days, and how sure the count is (as `WorkingDay`)."""

    days: int
    provisional: bool
    calendar: str = CALENDAR
    provisional_years: tuple[int, ...] = ()


class Calendar:
    """The official years and the arrangements one service has received (recorded or learnt by a policy)."""

    def __init__(self, arrangements: Iterable[Arrangement] = ()) -> None:
        self.arrangements: dict[int, Arrangement] = {a.year: a for a in arrangements if not covers(a.year)}
        self._named: dict[date, bool] = {}
        self._added: dict[tuple[date, int], WorkingDay] = {}
        """answers of add_working_days already counted (a calendar never changes once built)"""
        for arrangement in sorted(self.arrangements.values(), key=lambda a: a.year):
            for day in (*arrangement._off, *arrangement._on):
                if not covers(day.year):
                    self._named[day] = bool(arrangement.decides(day))

    def source(self, year: int) -> str:
        """What decides this year's days: the library, a recorded notice (with its version), or Monday–Friday."""
        if covers(year):
            return LIBRARY
        if year in self.arrangements:
            return self.arrangements[year].version
        return MONDAY_FRIDAY

    def provisional(self, year: int) -> bool:
        return not covers(year) and year not in self.arrangements

    def is_workday(self, day: date) -> bool:
        if covers(day.year):
            return _official_workday(day)
        named = self._named.get(day)
        if named is not None:
            return named
        return day.weekday() < 5

    def describe(self, years: Iterable[int]) -> str:
        """The calendar version of a count over these years."""
        if all(covers(year) for year in years):
            return CALENDAR
        return "; ".join(f"{year}: {self.source(year)}" for year in sorted(set(years)))

    def add_working_days(self, start: date, days: int) -> WorkingDay:
        """The day `days` working days after `start` (the start day itself not counted; 0 days: `start`)."""
        found = self._added.get((start, days))
        if found is None:
            if len(self._added) >= 100_000:  # bounded: a long-lived calendar is asked about ever more days
                self._added.clear()
            found = self._added[(start, days)] = self._count_forward(start, days)
        return found

    def _count_forward(self, start: date, days: int) -> WorkingDay:
        current = start
        counted = 0
        years: set[int] = set()
        while counted < days:
            current += timedelta(days=1)
            years.add(current.year)
            if self.is_workday(current):
                counted += 1
        provisional_years = tuple(sorted(year for year in years if self.provisional(year)))
        return WorkingDay(current, bool(provisional_years), self.describe(years), provisional_years)


    def working_days_between(self, start: date, end: date) -> WorkingDayCount:
        """How many working days lie after `start` up to and including `end` (0 when `end` is `start`)."""
        if end < start:
            raise InvalidInputError("结束日期早于开始日期 (end before start)", code="end_before_start")
        current, counted, years = start, 0, set()
        while current < end:
            current += timedelta(days=1)
            years.add(current.year)
            if self.is_workday(current):
                counted += 1
        provisional_years = tuple(sorted(year for year in years if self.provisional(year)))
        return WorkingDayCount(counted, bool(provisional_years), self.describe(years or {start.year}),
                               provisional_years)


OFFICIAL = Calendar()
"""The library's years and Monday–Friday beyond (no recorded arrangement)."""


def is_workday(day: date, calendar: Calendar | None = None) -> bool:
    """Official working day (holidays off, 调休 weekends on); a recorded arrangement; Monday–Friday otherwise."""
    return (calendar or OFFICIAL).is_workday(day)


def add_working_days(start: date, days: int, calendar: Calendar | None = None) -> WorkingDay:
    """The day `days` working days after `start` by this calendar (by default: no recorded arrangement)."""
    return (calendar or OFFICIAL).add_working_days(start, days)


def working_days_between(start: date, end: date, calendar: Calendar | None = None) -> WorkingDayCount:
    """Working days after `start` up to and including `end` by this calendar (by default: none recorded)."""
    return (calendar or OFFICIAL).working_days_between(start, end)


# -- deadline rules as events record them ----------------------------------------------------------------
CALENDAR_DAYS = "calendar days"
"""The `calendar` a rule in calendar days records: no working-day data was used."""


def count(basis: str, days: int, from_date: date, calendar: Calendar | None = None) -> tuple[dict[str, Any], date]:
    """(the rule as an event records it: basis, count, from_date, the calendar counted with and the years it
    assumed Monday–Friday in; the date). `basis` is `calendar` or `working`."""
    from_date = _day(from_date, "from_date")
    rule: dict[str, Any] = {"basis": basis, "count": days, "from_date": from_date}
    if basis != "working":
        return rule | {"calendar": CALENDAR_DAYS, "provisional_years": []}, from_date + timedelta(days=days)
    counted = add_working_days(from_date, days, calendar)
    return rule | {"calendar": counted.calendar, "provisional_years": list(counted.provisional_years)}, counted.day


def provisional_in(recorded: Mapping[str, Any] | None, year: int) -> bool:
    """Whether a recorded rule was counted Monday–Friday in this year. A rule recorded before rules carried
    their calendar was counted with the library and Monday–Friday: it is counted so again to tell."""
    if not recorded or recorded.get("basis") != "working":
        return False
    if "provisional_years" in recorded:
        return year in recorded["provisional_years"]
    from_date = _day(recorded["from_date"], "from_date")
    return year in add_working_days(from_date, int(recorded["count"])).provisional_years
