"""The working-day calendar: an HQ operator records a year's arrangement; provisional deadlines are recomputed.

Why the ledgers service owns the command: it keeps most of the platform's deadlines (stage deadlines, item
deadlines and look-backs, scheduling rounds), so recording the arrangement and recomputing those deadlines
happen in one transaction here; the arrangement is then published (`ledgers.CalendarArrangementRecorded`) and
every other service that counts working days (clues) records it through a policy and recomputes its own.
"""

from __future__ import annotations

from typing import Any

from services.common import workdays
from services.common.application import command, query
from services.common.calendar import ArrangementRecordedError, CalendarArrangement
from services.common.workdays import Arrangement, Calendar
from services.ledgers.deadlines import DeadlineRule, provisional_in
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import SchedulingRound
from services.ledgers.domainmodel import Directive
from services.ledgers.interface import (
    ArrangementRecorded,
    ArrangementView,
    CalendarArrangements,
    CalendarYear,
    HolidayIn,
    ListCalendarArrangements,
    RecordCalendarArrangement,
)
from services.ledgers.records import LedgerRecords


class CalendarHandlers(LedgerRecords):
    @command
    def record_calendar_arrangement(self, c: RecordCalendarArrangement) -> ArrangementRecorded:
        """Record a year's arrangement from the State Council's notice; recompute the provisional deadlines."""
        arrangement = Arrangement.from_dict(c.model_dump())
        recorded = self.new_arrangement(arrangement)
        if recorded is None:
            raise ArrangementRecordedError(
                f"{arrangement.year}年的安排已记录 (the {arrangement.year} arrangement is already recorded)"
            )
        calendar = Calendar([*self.working_calendar().arrangements.values(), arrangement])
        recomputed, count = self.recompute_deadlines(arrangement.year, calendar)
        position = self.record(recorded, *recomputed)
        return ArrangementRecorded(year=arrangement.year, version=arrangement.version, recomputed=count,
                                   position=position)

    def recompute_deadlines(self, year: int, calendar: Calendar) -> tuple[list[Any], int]:
        """The aggregates whose running deadlines were counted Monday–Friday in `year`, each with one
        recomputation event per deadline (unsaved): stage deadlines, item deadlines and look-backs, scheduling
        rounds' reply dates. Scans the directives with stage deadlines, the items and the rounds (there is no
        due-date index yet)."""
        changed: list[Any] = []
        count = 0
        for directive_id in self.ids_with(Directive.StageDeadlineSet):
            directive = self.get(directive_id, Directive)
            stages = [stage for stage, deadline in directive.open_stage_deadlines().items()
                      if provisional_in(deadline["rule"], year)]
            for stage in stages:
                rule, due_on = DeadlineRule.from_dict(directive.stage_deadlines[stage]["rule"]).computed(calendar)
                directive.recompute_stage_deadline(stage=stage, rule=rule, due_on=due_on)
            if stages:
                count += len(stages)
                changed.append(directive)
        for item_id in self.ids_with(LedgerItem.Opened):
            item = self.get(item_id, LedgerItem)
            touched = False
            if item.has_running_deadline() and provisional_in(item.deadline_rule, year):
                assert item.deadline_rule is not None
                rule, due_on = DeadlineRule.from_dict(item.deadline_rule).computed(calendar)
                item.recompute_deadline(rule=rule, due_on=due_on)
                count, touched = count + 1, True
            look_back_rule = getattr(item, "look_back_rule", None)  # absent from a snapshot taken before it was kept
            if item.has_running_look_back() and look_back_rule and provisional_in(look_back_rule, year):
                rule, due_on = DeadlineRule.from_dict(look_back_rule).computed(calendar)
                item.recompute_look_back(rule=rule, due_on=due_on)
                count, touched = count + 1, True
            if touched:
                changed.append(item)
        for round_id in self.ids_with(SchedulingRound.Opened):
            round_ = self.get(round_id, SchedulingRound)
            if round_.has_running_deadline() and provisional_in(round_.respond_by_rule, year):
                rule, due_on = DeadlineRule.from_dict(round_.respond_by_rule).computed(calendar)
                round_.recompute_respond_by(rule=rule, due_on=due_on)
                count += 1
                changed.append(round_)
        return changed, count

    @query
    def list_calendar_arrangements(self, c: ListCalendarArrangements) -> CalendarArrangements:
        """The official years, the recorded arrangements and which years are still provisional."""
        calendar = self.working_calendar()
        this_year = self.today().year
        views = [
            ArrangementView(year=a.year, reference=a.reference, title=a.title, published_on=a.published_on,
                            holidays=[HolidayIn.model_validate(h) for h in a.holidays],
                            version=a.calendar_version, source="recorded")
            for a in self.arrangements()
        ]
        years = [CalendarYear(year=y, source=calendar.source(y), provisional=calendar.provisional(y))
                 for y in range(this_year, this_year + 5)]
        official = [y for y in range(workdays.FIRST_YEAR, workdays.LAST_YEAR + 1) if workdays.covers(y)]
        return CalendarArrangements(official_years=official, arrangements=views, years=years)


__all__ = ["CalendarArrangement", "CalendarHandlers"]
