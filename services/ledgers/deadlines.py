"""Deadline rules: calendar or working days from a date, working days as `services.common.workdays` counts them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from events.plain import plain
from services.common.clock import beijing_date
from services.common.errors import InvalidInputError
from services.common.workdays import CALENDAR_DAYS, Calendar, count, provisional_in

BASES = ("calendar", "working")
RULE_FIELDS = ("basis", "count", "from_date")


def rule_facts(recorded: dict[str, Any]) -> dict[str, Any]:
    """The rule's own fields of a recorded rule (without the calendar it was counted with)."""
    return {name: recorded[name] for name in RULE_FIELDS}


@dataclass(frozen=True)
class DeadlineRule:
    """`count` calendar or working days after `from_date` (the day itself not counted).

    Working days follow `services.common.workdays`: the official years, the arrangements recorded from the
    State Council's notices, Monday–Friday (provisional) beyond. Events record the rule, the calendar it was
    counted with *and* the computed date (`computed`), so a replay uses the recorded date even if the
    calendar data (or this code) later changes; a provisional date is recomputed by a new event.
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

    def due_on(self, calendar: Calendar | None = None) -> date:
        return self.computed(calendar)[1]

    def computed(self, calendar: Calendar | None = None) -> tuple[dict[str, Any], date]:
        """(the rule as recorded, with the calendar it was counted with; the date)."""
        return count(self.basis, self.count, self.from_date, calendar)

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


__all__ = ["BASES", "CALENDAR_DAYS", "DeadlineRule", "plain", "provisional_in", "rule_facts", "rule_from", "today"]

today = beijing_date
