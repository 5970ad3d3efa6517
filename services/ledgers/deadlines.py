"""Deadline rules: calendar or working days from a date, working days from the official Chinese calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import chinese_calendar

from services.common.clock import CHINA_TZ
from services.common.errors import InvalidInputError

BASES = ("calendar", "working")


@dataclass(frozen=True)
class DeadlineRule:
    """`count` calendar or working days after `from_date` (the day itself not counted).

    Working days follow the State Council's calendar (holidays and 调休 make-up working days) as the
    `chinese_calendar` package maintains it. Events record the rule *and* the computed date, so a replay
    uses the recorded date even if the calendar data (or this code) later changes.
    """

    basis: str
    count: int
    from_date: date

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise InvalidInputError(
                f"期限类型须为自然日或工作日 (basis must be calendar or working): {self.basis}",
                code="deadline_basis",
            )
        if self.count < 0 or (self.basis == "working" and self.count < 1):
            raise InvalidInputError("期限天数无效 (invalid number of days)", code="deadline_count")

    @classmethod
    def on(cls, due: date) -> DeadlineRule:
        """A fixed date (0 calendar days from it)."""
        return cls("calendar", 0, due)

    def due_on(self) -> date:
        if self.basis == "calendar":
            return self.from_date + timedelta(days=self.count)
        try:
            return chinese_calendar.find_workday(self.count - 1, self.from_date + timedelta(days=1))
        except NotImplementedError as error:
            raise InvalidInputError(
                f"官方节假日数据未覆盖该年份 (no official calendar for {self.from_date.year})",
                code="calendar_unavailable",
            ) from error

    def as_dict(self) -> dict[str, Any]:
        return {"basis": self.basis, "count": self.count, "from_date": self.from_date}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeadlineRule:
        from_date = data["from_date"]
        if isinstance(from_date, str):
            from_date = date.fromisoformat(from_date)
        return cls(str(data["basis"]), int(data["count"]), from_date)


def rule_from(value: DeadlineRule | dict[str, Any] | date | None) -> DeadlineRule | None:
    """Accept a rule, its dict form (from the API) or a plain date."""
    if value is None or isinstance(value, DeadlineRule):
        return value
    if isinstance(value, dict):
        return DeadlineRule.from_dict(value)
    if isinstance(value, date):
        return DeadlineRule.on(value)
    raise InvalidInputError("期限格式无效 (invalid deadline)", code="deadline_invalid")


def plain(value: Any) -> Any:
    """A recorded rule dict with dates as ISO strings, for query results."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def today(moment: datetime) -> date:
    """The calendar date in Beijing at this moment (deadlines are Beijing dates)."""
    return moment.astimezone(CHINA_TZ).date()
