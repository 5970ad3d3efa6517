"""The working-day calendar: a year's arrangement from the State Council's notice (the ledgers service owns it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from services.common.interface import Command, Day, Fields, Name, Query, Result, Title

Year = Annotated[int, Field(ge=1949, le=2099, description="年份 (year)")]


class HolidayIn(Fields):
    """One festival of the notice: its days off (first to last day, inclusive) and the weekend days worked."""

    name: Name = Field(description="节日名称，如“春节” (the festival's name)")
    first_day: Day
    last_day: Day
    makeup_workdays: list[Day] = Field(default_factory=list, max_length=10,
                                       description="调休上班的周末日期 (weekend days worked in exchange)")


class ArrangementRecorded(Result):
    year: int
    version: str = Field(description="日历版本：文号与所定日期的摘要 (the notice and a digest of its days)")
    recomputed: int = Field(description="重新计算的期限数 (deadlines recomputed in this service)")
    position: int


class RecordCalendarArrangement(Command[ArrangementRecorded]):
    """Record a year's holidays and make-up working days from the State Council's notice (HQ).

    Only for a year the built-in official calendar does not carry; deadlines counted Monday–Friday in that
    year (provisional) are recomputed, each with a new DeadlineRecomputed event."""

    year: Year
    reference: Name = Field(description="通知文号 (the notice's reference number)")
    title: Title = Field(description="通知标题 (the notice's title)")
    published_on: Day | None = None
    holidays: list[HolidayIn] = Field(min_length=1, max_length=20)


class ArrangementView(Result):
    year: int
    reference: str
    title: str
    published_on: date | None
    holidays: list[HolidayIn]
    version: str
    source: str = Field(description="recorded | official (built-in chinese-calendar data)")


class CalendarYear(Result):
    year: int
    source: str = Field(description="决定该年工作日的数据 (what decides the year's working days)")
    provisional: bool = Field(description="无官方安排，按周一至周五计 (no arrangement: Monday–Friday assumed)")


class CalendarArrangements(Result):
    official_years: list[int]
    arrangements: list[ArrangementView]
    years: list[CalendarYear] = Field(description="今年起五年 (this year and the next four)")


class ListCalendarArrangements(Query[CalendarArrangements]):
    """The official years, the recorded arrangements and which years are still provisional."""


__all__ = [
    "ArrangementRecorded", "ArrangementView", "CalendarArrangements", "CalendarYear", "HolidayIn",
    "ListCalendarArrangements", "RecordCalendarArrangement", "Year",
]
