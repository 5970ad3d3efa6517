"""`paizhu serve --today`: the injected clock starts on the chosen day and runs on from there."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.common.clock import ManualClock, ShiftedClock, today


def test_the_shifted_clock_starts_on_the_day_and_runs_on() -> None:
    real = ManualClock(datetime(2026, 12, 1, 18, 0, tzinfo=UTC))
    clock = ShiftedClock(date(2027, 3, 1), base=real)
    assert today(clock) == date(2027, 3, 1)
    real.advance(timedelta(days=20))
    assert today(clock) == date(2027, 3, 21)
