"""Recorded calendar arrangements, kept by every service that counts working days.

The ledgers service owns the command (an HQ operator records a year's arrangement from the State Council's
notice); it publishes `ledgers.CalendarArrangementRecorded`, and every other service that counts working
days records the same arrangement in its own store through a policy. `WorkingCalendar.working_calendar()`
is then what `services.common.workdays` counts with in that service: the library's official years, plus
the arrangements this service has received.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from authz import Scope
from services.common import workdays
from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError
from services.common.workdays import Arrangement, Calendar

CalendarOfficialError = ConflictError.kind("CalendarOfficialError", "calendar_official")
ArrangementRecordedError = ConflictError.kind("ArrangementRecordedError", "arrangement_recorded")


class CalendarArrangement(ChainedAggregate):
    """One year's arrangement (节假日安排) as a service holds it; one per year, never edited."""

    default_distribution = "hq"

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"paizhu:calendar:arrangement:{year}")

    @event("Recorded")
    def __init__(
        self,
        year: int,
        reference: str,
        title: str,
        published_on: date | None,
        holidays: list[dict[str, Any]],
        calendar_version: str,
        learnt_from: str | None,
    ) -> None:
        """`learnt_from`: None when recorded by a command here, else the integration event it came from.
        `calendar_version` is the notice's reference and a digest of its days (not the aggregate's `version`)."""
        self.year = year
        self.reference = reference
        self.title = title
        self.published_on = published_on
        self.holidays = holidays
        self.calendar_version = calendar_version
        self.learnt_from = learnt_from
        self.group_id: str | None = None
        self.unit_id: str | None = None

    @classmethod
    def record(cls, arrangement: Arrangement, learnt_from: str | None = None) -> CalendarArrangement:
        if arrangement.year <= workdays.LAST_YEAR:
            raise CalendarOfficialError(
                f"{arrangement.year}年由内置官方日历决定，只能记录{workdays.LAST_YEAR}年以后的安排 (the built-in "
                f"official calendar decides {arrangement.year}; only years after {workdays.LAST_YEAR} are recorded)"
            )
        values = arrangement.as_dict()
        return cls(year=arrangement.year, reference=arrangement.reference, title=arrangement.title,
                   published_on=arrangement.published_on, holidays=values["holidays"],
                   calendar_version=arrangement.version, learnt_from=learnt_from)

    def arrangement(self) -> Arrangement:
        return Arrangement.from_dict({"year": self.year, "reference": self.reference, "title": self.title,
                                      "published_on": self.published_on, "holidays": self.holidays})

    def access_scope(self) -> Scope:
        return Scope(distribution=None)  # public information: the rule of the action alone decides


class WorkingCalendar:
    """Mixed into a service application: the calendar its working-day counts use."""

    # provided by ServiceApplication
    repository: Any
    ids_with: Any

    _calendar_cache: tuple[tuple[UUID, ...], Calendar] | None = None
    _calendar_lock = threading.Lock()

    def working_calendar(self) -> Calendar:
        """The official years and every arrangement this service's store holds (cached until a new one)."""
        ids = tuple(self.ids_with(CalendarArrangement.Recorded))  # type: ignore[attr-defined]
        with self._calendar_lock:
            cached = self._calendar_cache
            if cached is not None and cached[0] == ids:
                return cached[1]
            calendar = Calendar(self.repository.get(i).arrangement() for i in ids)
            self._calendar_cache = (ids, calendar)
            return calendar

    def arrangements(self) -> list[CalendarArrangement]:
        found = [self.repository.get(i) for i in self.ids_with(CalendarArrangement.Recorded)]  # type: ignore[attr-defined]
        return sorted(found, key=lambda a: a.year)

    def new_arrangement(self, arrangement: Arrangement, learnt_from: str | None = None) -> CalendarArrangement | None:
        """A new, unsaved arrangement; None when this service has the same one; 409 for another one."""
        if CalendarArrangement.create_id(arrangement.year) in self.repository:
            held: CalendarArrangement = self.repository.get(CalendarArrangement.create_id(arrangement.year))
            if held.calendar_version == arrangement.version:
                return None
            raise ArrangementRecordedError(
                f"{arrangement.year}年的安排已记录 (the {arrangement.year} arrangement is already recorded: "
                f"{held.calendar_version})"
            )
        return CalendarArrangement.record(arrangement, learnt_from)
