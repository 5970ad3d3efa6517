"""The closed loop: scheduling rounds (调度), reconciliations (对账), the deadline scheduler."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field

from services.common.interface import (
    NO_CONTROL_CHARACTERS,
    Body,
    Command,
    Count,
    Fields,
    Id,
    Name,
    Query,
    Recorded,
    Result,
    Title,
)
from services.ledgers.interface.fields import SERVICE, DeadlineIn, Reference, ReportedStatus, Text


class RoundRecorded(Result):
    round_id: str
    position: int

class RoundOpened(RoundRecorded):
    respond_by: date

class ReconciliationChanged(Result):
    reconciliation_id: str
    position: int

class ReconciliationRecorded(ReconciliationChanged):
    findings: int = Field(description="对账发现数 (how many mismatches were found)")

class SchedulerRun(Recorded):
    stages_overdue: int
    items_overdue: int
    look_backs_due: int
    rounds_overdue: int

class RoundView(Result):
    round_id: str
    group_id: str
    unit_id: str
    subject: str
    directive_ids: list[str]
    respond_by: date
    respond_by_rule: dict[str, Any]
    requested_on: date
    responses: dict[str, dict[str, Any]]
    missing: list[str]
    overdue_on: date | None
    closed: bool
    distribution: str

class ReconciliationView(Result):
    reconciliation_id: str
    group_id: str
    unit_id: str
    report_id: str
    period: str
    compared_on: date
    matched: int
    findings: list[dict[str, Any]]
    distribution: str

class OpenSchedulingRound(Command[RoundOpened]):
    """Ask the unit for progress on these directives by a date (定期调度进展成效)."""

    service = SERVICE

    group_id: Id
    unit_id: Id
    subject: Title
    directive_ids: Annotated[list[Id], Field(max_length=500)]
    respond_by: DeadlineIn

class RoundResponseBody(Body):
    directive_id: Id
    status: ReportedStatus
    summary: Text

class RecordRoundResponse(Command[RoundRecorded], RoundResponseBody):
    """Record the unit's answer for one directive of a scheduling round."""

    service = SERVICE

    round_id: Id

class NoteBody(Body):
    note: Text = ""

class CloseSchedulingRound(Command[RoundRecorded], NoteBody):
    """End a scheduling round."""

    service = SERVICE

    round_id: Id

class ReportedRow(Fields):
    reference_number: Reference
    title: Annotated[str, Field(max_length=500, pattern=NO_CONTROL_CHARACTERS)]
    status: ReportedStatus

class Reconcile(Command[ReconciliationRecorded]):
    """Reconcile (对账) the master ledger with a supervision report entered by hand."""

    service = SERVICE

    group_id: Id
    unit_id: Id
    report_id: Name
    period: Annotated[str, Field(min_length=1, max_length=32, pattern=NO_CONTROL_CHARACTERS)]
    items: Annotated[list[ReportedRow], Field(max_length=2000)]

class ResolveFinding(Command[ReconciliationChanged], NoteBody):
    """Record how a reconciliation finding was dealt with."""

    service = SERVICE

    reconciliation_id: Id
    index: Count

class RunScheduler(Command[SchedulerRun]):
    """Record Overdue / LookBackDue events for every deadline that has passed (once each)."""

    service = SERVICE

class GetSchedulingRound(Query[RoundView]):
    service = SERVICE

    round_id: Id

class GetReconciliation(Query[ReconciliationView]):
    service = SERVICE

    reconciliation_id: Id
