"""Injected time: the system clock in production, a settable clock in tests."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


def beijing_date(moment: datetime) -> date:
    """The calendar date in Beijing at this moment (deadlines, receipts and reports are Beijing dates)."""
    return moment.astimezone(CHINA_TZ).date()


def today(clock: Clock) -> date:
    """Today in Beijing by this clock."""
    return beijing_date(clock.now())


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests, replays, the demo)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


class ShiftedClock:
    """The system clock moved so that it starts on a chosen day (`paizhu serve --today`, training and demos):
    time runs on from there, so deadlines fall due and schedulers fire as the days pass."""

    def __init__(self, start_day: date, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        real = self._base.now()
        start = datetime(start_day.year, start_day.month, start_day.day, tzinfo=UTC) + timedelta(hours=1)
        self._offset = start - real  # 09:00 Beijing on that day, then running

    def now(self) -> datetime:
        return self._base.now() + self._offset
