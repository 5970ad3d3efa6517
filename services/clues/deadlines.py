"""Statutory time limits of clue handling, counted in calendar or Chinese working days."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.common import workdays


def add_working_days(start: date, days: int, calendar: workdays.Calendar | None = None) -> date:
    """The date `days` working days after `start` (the start day itself not counted)."""
    return workdays.add_working_days(start, days, calendar).day


@dataclass(frozen=True)
class Limit:
    days: int
    working_days: bool = False

    def due(self, start: date, calendar: workdays.Calendar | None = None) -> date:
        return self.counted(start, calendar)[1]

    def counted(self, start: date, calendar: workdays.Calendar | None = None) -> tuple[dict[str, Any], date]:
        """(the rule as the clue's event records it, with the calendar it was counted with; the date)."""
        return workdays.count("working" if self.working_days else "calendar", self.days, start, calendar)


@dataclass(frozen=True)
class TimeLimits:
    """Configurable limits. Defaults: disposition proposed within one month of receipt; a letter inquiry
    answered within 15 working days; preliminary verification within 90 days; a held clue reviewed
    within 180 days."""

    disposition: Limit = Limit(30)
    inquiry_reply: Limit = Limit(15, working_days=True)
    verification: Limit = Limit(90)
    hold_review: Limit = Limit(180)

    def of(self, kind: str) -> Limit:
        limit: Limit = getattr(self, kind)
        return limit

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TimeLimits:
        """Read `CLUES_LIMIT_<KIND>` = "<days>" or "<days>w" (working days) overrides."""
        values = {}
        for kind in ("disposition", "inquiry_reply", "verification", "hold_review"):
            raw = env.get(f"CLUES_LIMIT_{kind.upper()}")
            if raw:
                raw = raw.strip().lower()
                working = raw.endswith("w")
                values[kind] = Limit(int(raw.rstrip("w")), working_days=working)
        return cls(**values)
