"""Today in Beijing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.common.clock import ManualClock, beijing_date, today


def test_today_is_the_beijing_date() -> None:
    # 17:00 UTC is already 01:00 the next day in Beijing.
    assert today(ManualClock(datetime(2026, 12, 1, 17, 0, tzinfo=UTC))) == date(2026, 12, 2)
    assert beijing_date(datetime(2026, 12, 1, 15, 59, tzinfo=UTC)) == date(2026, 12, 1)
